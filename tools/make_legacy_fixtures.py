"""Write the `.keras` files of tests/data/v0_1_0 with the installed code.

Run once, on version 0.1.0, before the composable-GAN refactor: each tiny
model is trained a few steps (so its optimizers hold state), saved, and its
samples for a fixed z stored beside it. tests/test_legacy_files.py then
checks that today's code loads each file and samples the same images.

    KERAS_BACKEND=tensorflow python tools/make_legacy_fixtures.py tests/data/v0_1_0
"""

import os
import sys

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

import keras_gans  # noqa: E402


def main(out):
    os.makedirs(out, exist_ok=True)
    x, y = keras_gans.datasets.load_digits(with_labels=True)
    x, y = x[:64], y[:64]
    rng = np.random.default_rng(0)
    models = {
        "dcgan": (keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=8, seed=1), x),
        "conditional_gan": (
            keras_gans.ConditionalGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=8, width=8, seed=1),
            (x, y),
        ),
        "vae_gan": (keras_gans.VAEGAN(image_shape=(8, 8, 1), latent_dim=8, width=8, seed=1), x),
        "wgan_gp": (keras_gans.WGANGP(image_shape=(8, 8, 1), latent_dim=8, width=8, n_critic=2, seed=1), x),
    }
    for name, (model, data) in models.items():
        model.compile()
        if isinstance(data, tuple):
            model.fit(data[0], data[1], batch_size=32, epochs=1, verbose=0)
        else:
            model.fit(data, batch_size=32, epochs=1, verbose=0)
        z = rng.standard_normal((6, model.latent_dim)).astype("float32")
        kwargs = {"labels": np.arange(6) % 10} if name == "conditional_gan" else {}
        samples = model.generate(z=z, **kwargs)
        model.save(os.path.join(out, f"{name}.keras"))
        np.savez(os.path.join(out, f"{name}_samples.npz"), z=z, samples=samples,
                 **{k: np.asarray(v) for k, v in kwargs.items()})
        print(name, keras_gans.__version__ if hasattr(keras_gans, "__version__") else "", samples.shape)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/v0_1_0")
