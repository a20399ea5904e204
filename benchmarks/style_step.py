"""Time a training step of the style-based generator family against DCGAN.

Both models train on the same image shape, batch size, latent size and
`width`, in the same process on the same backend; the variants are
interleaved round-robin so that drift of the (shared) machine hits all of
them alike. Each figure is the median over `--repeats` timed `fit()` epochs
of `--steps` steps, after a warm-up epoch that compiles the step. Rows:

- dcgan: `keras_gans.DCGAN`, compiled with its defaults (non-saturating);
- style_gan: `keras_gans.StyleGAN` with its defaults (style mixing 0.9,
  non-saturating + R1(0.1) every step: R1 needs a second-order gradient);
- style_gan, no R1: the same without the regularizer (the generator's own cost);
- style_gan, no R1, no mixing: `mixing_prob=0`.

Prints a markdown table with milliseconds per step, images per second,
parameter counts and the ratio to DCGAN.

    KERAS_BACKEND=tensorflow python benchmarks/style_step.py
    KERAS_BACKEND=jax python benchmarks/style_step.py --image-shape 8,8,1 --steps 10
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import keras_gans  # noqa: E402


def variants(image_shape, latent_dim, width):
    """{row name: (uncompiled model, compile kwargs)}."""
    keras.utils.set_random_seed(0)
    shape = dict(image_shape=image_shape, latent_dim=latent_dim, width=width, seed=0)
    return {
        "dcgan": (keras_gans.DCGAN(**shape), {}),
        "style_gan": (keras_gans.StyleGAN(**shape), {}),
        "style_gan, no R1": (keras_gans.StyleGAN(**shape), {"regularizers": []}),
        "style_gan, no R1, no mixing": (
            keras_gans.StyleGAN(**shape, mixing_prob=0.0), {"regularizers": []}),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--image-shape", default="28,28,1")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--width", type=int, default=32)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    image_shape = tuple(int(d) for d in args.image_shape.split(","))

    x = np.random.default_rng(0).uniform(
        -1, 1, (args.batch_size * args.steps, *image_shape)).astype("float32")
    models = variants(image_shape, args.latent_dim, args.width)
    for model, compile_kwargs in models.values():
        model.compile(**compile_kwargs)
        model.fit(x, batch_size=args.batch_size, epochs=1, verbose=0)  # compile the step
    times = {name: [] for name in models}
    for _ in range(args.repeats):
        for name, (model, _) in models.items():
            start = time.perf_counter()
            model.fit(x, batch_size=args.batch_size, epochs=1, verbose=0, shuffle=False)
            times[name].append((time.perf_counter() - start) / args.steps)

    base = statistics.median(times["dcgan"])
    print(f"backend {keras.backend.backend()}, image {image_shape}, batch "
          f"{args.batch_size}, latent {args.latent_dim}, width {args.width}, "
          f"median of {args.repeats} x {args.steps} steps")
    print("| model | params | ms/step | images/s | ratio vs dcgan |")
    print("|---|---|---|---|---|")
    for name, (model, _) in models.items():
        median = statistics.median(times[name])
        print(f"| {name} | {model.count_params():,} | {1000 * median:.1f} | "
              f"{args.batch_size / median:.0f} | {median / base:.2f} |")


if __name__ == "__main__":
    main()
