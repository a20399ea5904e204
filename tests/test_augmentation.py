"""DiffAugment and adaptive augmentation (ADA) as parts of any family."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans
from keras_gans import augmentation
from keras_gans import backend as gan_backend
from keras_gans.augmentation import AdaptiveAugment, DiffAugment
from tests.gan_test_utils import check_part, snapshot


def number(x):
    return float(ops.convert_to_numpy(x))


def test_ops_keep_shape_and_translation_and_cutout_are_exact():
    x = np.arange(2 * 8 * 8 * 3, dtype="float32").reshape(2, 8, 8, 3) / 384.0
    for policy in ("color", "translation", "cutout", "xflip"):
        out = DiffAugment(policy).augment(x, keras.random.SeedGenerator(0))
        assert tuple(out.shape) == x.shape
    # Translation moves whole pixels and fills with zeros: every output pixel
    # is an input pixel of the same channel (or 0).
    out = ops.convert_to_numpy(augmentation.rand_translation(x, 3, ratio=0.25))
    assert set(np.round(out.ravel(), 5)) <= set(np.round(x.ravel(), 5)) | {0.0}
    # Cutout zeroes a 4x4 square at most (it may overhang) and keeps the rest.
    out = ops.convert_to_numpy(augmentation.rand_cutout(x + 1.0, 3, ratio=0.5))
    zeros = (out == 0).all(axis=-1).sum(axis=(1, 2))
    assert (zeros <= 16).all() and (zeros > 0).all()
    kept = out != 0
    np.testing.assert_allclose(out[kept], (x + 1.0)[kept])
    with pytest.raises(ValueError, match="Unknown augmentation policy"):
        DiffAugment("colour")


@pytest.mark.parametrize("policy", ["color", "translation", "cutout"])
def test_diffaugment_is_differentiable_in_the_images(policy):
    x = np.random.default_rng(0).uniform(-1, 1, (3, 8, 8, 1)).astype("float32")
    weights = np.random.default_rng(1).uniform(0.5, 1.0, (3, 8, 8, 1)).astype("float32")
    op = {"color": augmentation.rand_contrast, "translation": augmentation.rand_translation,
          "cutout": augmentation.rand_cutout}[policy]
    grads = ops.convert_to_numpy(
        gan_backend.gradients(lambda t: ops.multiply(op(t, 7), weights), x))
    assert np.isfinite(grads).all() and np.abs(grads).sum() > 0


@keras.saving.register_keras_serializable(package="keras_gans_tests")
class CountingDiffAugment(DiffAugment):
    """Records the ops of each call (at trace time under a compiled step)."""

    calls = []

    def augment(self, images, seed_generator):
        type(self).calls.append([getattr(op, "__name__", "op") for op in self._ops])
        return super().augment(images, seed_generator)


def test_the_same_policy_reaches_real_and_fake_in_both_phases_and_the_generator_learns(digits):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=0)
    gan.compile(augmentation=CountingDiffAugment("color,translation,cutout"))
    x = digits[0][:16]
    CountingDiffAugment.calls.clear()
    gan.discriminator_step(x)
    d_calls = list(CountingDiffAugment.calls)
    assert len(d_calls) == 2  # the real batch and the fake batch
    assert d_calls[0] == d_calls[1] and len(d_calls[0]) == 5
    CountingDiffAugment.calls.clear()
    before = snapshot(gan.generator)
    gan.generator_step(x)
    assert CountingDiffAugment.calls == d_calls[:1]
    # The generator's images reach the discriminator only through the
    # augmentation; a gradient flows through it (contrast: Blank in
    # test_augmentation_hook.py leaves the generator unchanged).
    after = snapshot(gan.generator)
    assert any(not np.array_equal(a, b) for a, b in zip(before, after))


def test_ada_p_rises_when_the_discriminator_overfits_and_falls_otherwise():
    ada = AdaptiveAugment(target=0.6, interval=2, speed_images=100)
    confident = np.full((10, 1), 3.0, "float32")  # r_t = 1 > 0.6
    ada.observe(None, confident)
    assert number(ada.p) == 0.0  # not yet: every 2nd phase
    ada.observe(None, confident)
    assert number(ada.p) == pytest.approx(20 / 100)  # 20 images seen in the interval
    assert number(ada.rt) == pytest.approx(1.0)
    mixed = np.array([[1.0]] * 7 + [[-1.0]] * 3, "float32")  # r_t = 0.4 < 0.6
    ada.observe(None, mixed)
    ada.observe(None, mixed)
    assert number(ada.p) == pytest.approx(0.0, abs=1e-7)
    assert number(ada.rt) == pytest.approx(0.4)
    ada.observe(None, mixed)
    ada.observe(None, mixed)
    assert number(ada.p) == 0.0  # clipped at 0
    # p = 0 augments nothing; p = 1 every op on every image.
    x = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    np.testing.assert_array_equal(
        ops.convert_to_numpy(ada.augment(x, keras.random.SeedGenerator(1))), x)
    ada.p.assign(1.0)
    assert not np.allclose(ops.convert_to_numpy(ada.augment(x, keras.random.SeedGenerator(1))), x)


def test_ada_adapts_inside_fit_and_p_survives_a_keras_round_trip(digits, tmp_path):
    # target=-1: r_t >= -1 always, and the fresh critic is not exactly -1,
    # so p rises by 16/160 at each of the 2 steps (interval 1) of each fit().
    model = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=0)
    ada = AdaptiveAugment(target=-1.0, interval=1, speed_images=160)
    loaded = check_part(model, digits[0], tmp_path, log_names=("aug_p", "aug_rt"),
                        augmentation=ada)
    assert number(model.augmentation.p) == pytest.approx(0.2)
    assert number(loaded.augmentation.p) == pytest.approx(0.4)
    assert number(loaded.augmentation.phases_seen) == 4.0


@pytest.mark.parametrize("part", ["diffaugment", "ada"])
def test_augmentation_trains_with_conditional_gan(part, labelled_digits, tmp_path):
    model = keras_gans.ConditionalGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=8,
                                      width=4, normalization="layer", seed=0)
    loaded = check_part(model, labelled_digits[0], tmp_path, augmentation=part)
    assert type(loaded.augmentation) is type(augmentation.get(part))


def test_diffaugment_trains_with_dcgan_and_presets_name_it_in_short_form(digits, tmp_path):
    model = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=0)
    short = {"class_name": "DiffAugment", "config": {"policy": "translation,cutout"}}
    loaded = check_part(model, digits[0], tmp_path, augmentation=short)
    assert loaded.augmentation.policy == "translation,cutout"


def test_ada_adapts_in_a_family_with_its_own_discriminator_phase(digits):
    # VAE-GAN's discriminator phase is its own; it calls observe_augmentation.
    model = keras_gans.VAEGAN(image_shape=(8, 8, 1), latent_dim=4, width=4, seed=0)
    model.compile(augmentation=AdaptiveAugment(target=-1.0, interval=1, speed_images=160))
    history = model.fit(digits[0][:32], batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert number(model.augmentation.p) == pytest.approx(0.2)
    assert history.history["aug_p"][-1] > 0
