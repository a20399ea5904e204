"""The augmentation hook reaches every image the discriminator sees."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans
from keras_gans import augmentation
from tests.gan_test_utils import check_part, snapshot


@keras.saving.register_keras_serializable(package="keras_gans_tests")
class Blank(augmentation.Augmentation):
    """Every image becomes zeros (differentiably: x * 0)."""

    def augment(self, images, seed_generator):
        return images * 0.0


def test_identity_is_the_default_and_changes_nothing():
    x = ops.ones((2, 8, 8, 1))
    assert augmentation.get(None).augment(x, None) is x
    with pytest.raises(TypeError, match="augmentation must be None"):
        augmentation.get(3)


def test_blank_augmentation_reaches_real_and_fake_in_both_phases(digits):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=0)
    gan.compile(augmentation=Blank())
    x = digits[0][:16]
    # Discriminator phase: real and fake both arrive blank, so they score alike.
    logs = gan.discriminator_step(x)
    assert logs["d_real"] == pytest.approx(logs["d_fake"], abs=1e-6)
    # Generator phase: the generator's images reach the discriminator only
    # through the augmentation, so a blanking one leaves no gradient.
    before = snapshot(gan.generator)
    gan.generator_step(x)
    after = snapshot(gan.generator)
    assert all(np.array_equal(a, b) for a, b in zip(before, after))


def test_augmentation_is_saved_in_the_compile_config(labelled_digits, tmp_path):
    (x, y), _ = labelled_digits
    gan = keras_gans.ConditionalGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=8,
                                    width=4, seed=0)
    loaded = check_part(gan, (x, y), tmp_path, augmentation=Blank())
    assert isinstance(loaded.augmentation, Blank)
