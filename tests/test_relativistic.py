"""Relativistic losses as parts: they train with any paired family."""

import keras
import numpy as np
import pytest

import keras_gans
from tests.gan_test_utils import check_part


@pytest.mark.parametrize("loss", ["rpgan", "ragan"])
def test_relativistic_loss_trains_with_dcgan(loss, digits, tmp_path):
    model = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=0)
    loaded = check_part(model, digits[0], tmp_path, loss=loss)
    assert loaded.gan_loss.name == loss


def test_rpgan_trains_with_conditional_gan(labelled_digits, tmp_path):
    model = keras_gans.ConditionalGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=8,
                                      width=4, normalization="layer", seed=0)
    check_part(model, labelled_digits[0], tmp_path, loss="rpgan")


def test_generator_phase_scores_the_real_batch_only_for_relativistic_losses(digits):
    # Relativistic: the generator's loss depends on the real batch.
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=0)
    gan.compile(loss="rpgan")
    z = gan.latent_vectors(8, seed=1)
    x = digits[0][:8]
    a, _ = gan.generator_loss(z, None, False, real_images=x)
    b, _ = gan.generator_loss(z, None, False, real_images=-x)
    # ops.convert_to_numpy: np.asarray of a torch tensor that requires grad raises.
    assert (float(keras.ops.convert_to_numpy(a))
            != pytest.approx(float(keras.ops.convert_to_numpy(b)), rel=1e-6))
    with pytest.raises(ValueError, match="relativistic"):
        gan.generator_loss(z, None, False)
    # Others keep the positional (z, labels, training) signature.
    gan.compile(loss="hinge")
    gan.generator_loss(z, None, False)


def test_vae_gan_refuses_a_relativistic_loss():
    model = keras_gans.VAEGAN(image_shape=(8, 8, 1), latent_dim=4, width=4)
    with pytest.raises(ValueError, match="relativistic 'rpgan'"):
        model.compile(loss="rpgan")
