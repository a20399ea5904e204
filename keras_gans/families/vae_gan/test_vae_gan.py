"""VAE-GAN: three networks, three optimizers, reconstruction in Dis_l."""

import keras
import numpy as np
import pytest

import keras_gans
from tests.gan_test_utils import run_gan_test
from keras_gans.families.vae_gan import model as vae_gan

SMALL = dict(image_shape=(8, 8, 1), latent_dim=8, width=8)


def test_vae_gan_checklist(digits, tmp_path):
    x, _ = digits
    model = keras_gans.VAEGAN(**SMALL)
    assert model.decoder is model.generator
    phases = {
        "encoder_step": model.encoder,
        "decoder_step": model.decoder,
        "discriminator_step": model.discriminator,
    }
    loaded = run_gan_test(
        model, x, batch_size=16, steps=2, phases=phases, tmp_path=tmp_path,
        compile_kwargs={
            "e_optimizer": keras.optimizers.RMSprop(3e-4),
            "gamma": 0.25,
            "kl_weight": 0.5,
        },
    )
    # Three optimizers, each built on its own network, all restored.
    assert set(loaded.optimizer.roles) == {"encoder", "discriminator", "generator"}
    assert isinstance(loaded.e_optimizer, keras.optimizers.RMSprop)
    assert (loaded.gamma, loaded.kl_weight) == (0.25, 0.5)
    for role, net in (("encoder", loaded.encoder), ("generator", loaded.decoder),
                      ("discriminator", loaded.discriminator)):
        optimizer = loaded.optimizer.optimizers[role]
        # Adam/RMSprop keep one slot per trainable variable of their network.
        shapes = sorted(tuple(v.shape) for v in net.trainable_variables)
        slots = sorted(
            tuple(v.shape) for v in optimizer.variables if len(v.shape) > 0
        )
        assert all(slots.count(s) >= shapes.count(s) for s in set(shapes)), role


def test_generator_step_is_the_decoder_step(digits):
    x, _ = digits
    model = keras_gans.VAEGAN(**SMALL)
    model.compile()
    logs = model.generator_step(x[:16])
    assert set(logs) == {"g_loss", "recon_loss"}
    assert int(keras.ops.convert_to_numpy(model.g_optimizer.iterations)) == 1
    assert int(keras.ops.convert_to_numpy(model.e_optimizer.iterations)) == 0


def test_encode_decode_reconstruct(digits):
    x, _ = digits
    model = keras_gans.VAEGAN(**SMALL)
    mean, log_var = model.encode(x[:5])
    assert mean.shape == log_var.shape == (5, 8)
    images = model.decode(mean)
    assert images.shape == (5, 8, 8, 1)
    assert np.abs(images).max() <= 1.0
    np.testing.assert_allclose(model.reconstruct(x[:5]), images, atol=1e-6)
    assert model.generate(3, seed=0).shape == (3, 8, 8, 1)
    with pytest.raises(ValueError, match=r"\(16, 16, 1\) per image; expected \(8, 8, 1\)"):
        model.encode(np.zeros((2, 16, 16, 1), "float32"))
    with pytest.raises(ValueError, match="uint8"):
        model.reconstruct(np.zeros((2, 8, 8, 1), "uint8"))
    with pytest.raises(ValueError, match=r"z must have shape \(n, 8\)"):
        model.decode(np.zeros((2, 3)))


def test_losses_match_their_formulas():
    rng = np.random.default_rng(0)
    mean = rng.normal(size=(4, 3)).astype("float32")
    log_var = rng.normal(size=(4, 3)).astype("float32")
    expected = np.mean(
        0.5 * np.sum(np.exp(log_var) + mean**2 - 1.0 - log_var, axis=1)
    )
    got = float(keras.ops.convert_to_numpy(vae_gan.kl_to_standard_normal(mean, log_var)))
    assert got == pytest.approx(expected, rel=1e-5)
    a = rng.normal(size=(4, 2, 2, 3)).astype("float32")
    b = rng.normal(size=(4, 2, 2, 3)).astype("float32")
    expected = np.mean(0.5 * np.sum((a - b).reshape(4, -1) ** 2, axis=1))
    got = float(keras.ops.convert_to_numpy(vae_gan.feature_reconstruction_loss(a, b)))
    assert got == pytest.approx(expected, rel=1e-5)


def test_bad_arguments():
    model = keras_gans.VAEGAN(**SMALL)
    with pytest.raises(ValueError, match="gamma must be a finite number >= 0"):
        model.compile(gamma=-1.0)
    with pytest.raises(ValueError, match="kl_weight must be a finite number"):
        model.compile(kl_weight=float("nan"))
    with pytest.raises(TypeError, match="unexpected arguments"):
        model.compile(optimizer="adam")
    with pytest.raises(ValueError, match="no layer named 'dis_l'"):
        keras_gans.VAEGAN(**SMALL, feature_layer="dis_l")
    with pytest.raises(RuntimeError, match=r"compile\(\) before encoder_step"):
        model.encoder_step(np.zeros((4, 8, 8, 1), "float32"))
    assert keras_gans.get_class("vae_gan") is keras_gans.VAEGAN


@pytest.mark.slow
def test_vae_gan_reconstructs_held_out_digits(digits):
    """Test digits reconstruct far better after a short fit than at init,
    and better than the mean training digit does."""
    x_train, x_test = digits
    model = keras_gans.VAEGAN(image_shape=(8, 8, 1), latent_dim=16, width=16, seed=0)
    model.compile(
        e_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    )

    def error():
        return float(np.mean((model.reconstruct(x_test) - x_test) ** 2))

    before = error()
    model.fit(x_train, batch_size=32, epochs=4, verbose=0)
    after = error()
    mean_image = float(np.mean((x_test - x_train.mean(axis=0)) ** 2))
    assert after < 0.5 * before, (before, after)
    assert after < mean_image, (after, mean_image)
