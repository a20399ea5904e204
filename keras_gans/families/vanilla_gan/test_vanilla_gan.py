"""The original GAN: the paper's layers by default, the 28x28 preset's
batch-normalized generator and LeakyReLU discriminator as options."""

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans.networks.layers import BatchNormalization, Maxout


def _layers(model, cls):
    return [layer for layer in model.layers if isinstance(layer, cls)]


def test_default_networks_are_the_papers_relu_and_maxout_layers():
    gan = keras_gans.get("vanilla_gan", image_shape=(8, 8, 1), latent_dim=4,
                         generator_units=(8, 16), discriminator_units=(8,), pieces=2)
    assert not _layers(gan.generator, keras.layers.BatchNormalization)
    dense = _layers(gan.generator, keras.layers.Dense)
    assert [layer.activation.__name__ for layer in dense] == ["relu", "relu", "tanh"]
    assert len(_layers(gan.discriminator, Maxout)) == 1


def test_batch_norm_generator_and_leaky_discriminator_save_and_load(tmp_path):
    gan = keras_gans.get(
        "vanilla_gan", image_shape=(8, 8, 1), latent_dim=4, generator_units=(8, 16),
        discriminator_units=(8,), generator_batch_norm=True,
        generator_activation="leaky_relu", discriminator_activation="leaky_relu", seed=0)
    assert len(_layers(gan.generator, BatchNormalization)) == 2
    assert len(_layers(gan.generator, keras.layers.LeakyReLU)) == 2
    assert not _layers(gan.discriminator, Maxout)
    assert _layers(gan.discriminator, keras.layers.LeakyReLU)
    gan.compile()
    x = np.random.default_rng(0).uniform(-1, 1, (32, 8, 8, 1)).astype("float32")
    gan.fit(x, batch_size=16, epochs=1, verbose=0)
    path = str(tmp_path / "v.keras")
    gan.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.get_config()["generator_batch_norm"] is True
    assert loaded.get_config()["discriminator_activation"] == "leaky_relu"
    z = np.random.default_rng(1).standard_normal((4, 4)).astype("float32")
    np.testing.assert_allclose(loaded.generate(z=z), gan.generate(z=z), atol=1e-5)


@pytest.mark.parametrize("arg,bad", [("generator_activation", "tanh"),
                                     ("discriminator_activation", "relu")])
def test_unknown_activation_is_refused_by_name(arg, bad):
    with pytest.raises(ValueError, match=f"{arg} must be one of .*received '{bad}'"):
        keras_gans.get("vanilla_gan", image_shape=(8, 8, 1), **{arg: bad})


def test_the_28x28_recipes_networks_pass_the_family_checklist(tmp_path):
    # The options vanilla_gan_bn_mnist_cpu uses (batch-normalized LeakyReLU
    # generator, LeakyReLU discriminator) through the shared checklist: phase
    # isolation, every optimizer advancing, .keras round trip.
    from tests.gan_test_utils import run_gan_test

    gan = keras_gans.get(
        "vanilla_gan", image_shape=(8, 8, 1), latent_dim=4, generator_units=(8, 16),
        discriminator_units=(8,), generator_batch_norm=True,
        generator_activation="leaky_relu", discriminator_activation="leaky_relu", seed=0)
    x = np.random.default_rng(0).uniform(-1, 1, (48, 8, 8, 1)).astype("float32")
    run_gan_test(gan, x, tmp_path=tmp_path)
