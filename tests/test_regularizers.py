"""Regularizers as parts: closed forms, and training with any family."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans
from keras_gans import regularizers
from keras_gans.augmentation import Augmentation, Identity
from keras_gans.regularizers import BCR, R1, R2, GradientPenalty, LeCam
from tests.gan_test_utils import check_part
from keras_gans.families.wgan_gp.test_wgan_gp import generator_4x4, linear_critic


@pytest.mark.parametrize("scale", [0.05, 0.6])
def test_closed_forms_for_a_linear_critic_on_a_plain_gan(scale):
    # D(x) = <w, x> + b has gradient w everywhere: GP = (||w|| - 1)^2 and the
    # weighted R1 term is gamma / 2 ||w||^2, whatever the images.
    rng = np.random.default_rng(0)
    w = (rng.standard_normal(16) * scale).astype("float32")
    gan = keras_gans.GAN(generator_4x4(), linear_critic(w))
    real = rng.uniform(-1, 1, (6, 4, 4, 1)).astype("float32")
    fake = rng.uniform(-1, 1, (6, 4, 4, 1)).astype("float32")
    context = {"real_images": real, "fake_images": fake, "labels": None}
    term, logs = GradientPenalty(weight=3.0).compute(gan, context)
    gp = (np.linalg.norm(w) - 1.0) ** 2
    np.testing.assert_allclose(float(ops.convert_to_numpy(logs["gp"])), gp, rtol=1e-4)
    np.testing.assert_allclose(float(ops.convert_to_numpy(term)), 3.0 * gp, rtol=1e-4)
    gamma = 2.5
    term, logs = R1(gamma=gamma).compute(gan, context)
    np.testing.assert_allclose(
        float(ops.convert_to_numpy(term)), gamma / 2 * np.sum(w**2), rtol=1e-4
    )


def test_r1_step_on_a_plain_gan_matches_the_hand_computed_update():
    # Real = fake = 0 and the Wasserstein loss: its gradient
    # w.r.t. the weights is mean(fake) - mean(real) = 0, so one SGD step moves
    # the linear critic by exactly -lr * gamma * w.
    rng = np.random.default_rng(3)
    w = (rng.standard_normal(16) * 0.6).astype("float32")
    z = keras.Input((3,))
    zeros = keras.layers.Lambda(lambda t: ops.zeros((ops.shape(t)[0], 4, 4, 1)))(z)
    gan = keras_gans.GAN(keras.Model(z, zeros), linear_critic(w))
    lr, gamma = 0.01, 2.0
    gan.compile(d_optimizer=keras.optimizers.SGD(lr), g_optimizer=keras.optimizers.SGD(lr),
                loss="wasserstein", regularizers=[R1(gamma)])
    logs = gan.discriminator_step(np.zeros((4, 4, 4, 1), "float32"))
    np.testing.assert_allclose(logs["r1"], 0.5 * np.sum(w**2), rtol=1e-4)
    after = ops.convert_to_numpy(gan.discriminator.layers[-1].kernel).ravel()
    np.testing.assert_allclose(after, w - lr * gamma * w, rtol=1e-4, atol=1e-6)


def number(x):
    return float(ops.convert_to_numpy(x))


def test_r2_closed_form_is_on_the_fakes():
    # R2 = 1/2 ||w||^2 for a linear critic, whatever the fakes; the real
    # images are not looked at (NaN reals leave it finite).
    rng = np.random.default_rng(1)
    w = (rng.standard_normal(16) * 0.4).astype("float32")
    gan = keras_gans.GAN(generator_4x4(), linear_critic(w))
    fake = rng.uniform(-1, 1, (5, 4, 4, 1)).astype("float32")
    real = np.full((5, 4, 4, 1), np.nan, "float32")
    gamma = 1.5
    term, logs = R2(gamma=gamma).compute(gan, {"real_images": real, "fake_images": fake})
    np.testing.assert_allclose(number(logs["r2"]), 0.5 * np.sum(w**2), rtol=1e-4)
    np.testing.assert_allclose(number(term), gamma / 2 * np.sum(w**2), rtol=1e-4)


def test_lecam_with_known_anchors():
    # Tseng et al. 2021, eq. 3, with anchors moved first by one EMA update.
    real = np.array([[0.5], [1.5], [-0.2]], "float32")
    fake = np.array([[-1.0], [0.25], [0.1]], "float32")
    lecam = LeCam(weight=0.3, decay=0.9)
    lecam.anchor_real.assign(0.8)
    lecam.anchor_fake.assign(-0.4)
    lecam.updates.assign(5.0)
    context = {"real_scores": real, "fake_scores": fake, "training": False}
    # A test step reads the anchors without moving them.
    want = np.mean((real + 0.4) ** 2) + np.mean((fake - 0.8) ** 2)
    np.testing.assert_allclose(number(lecam.penalty(None, context)), want, rtol=1e-5)
    assert number(lecam.anchor_real) == pytest.approx(0.8)
    # A training step moves them, then penalises with the new ones.
    a_real = 0.9 * 0.8 + 0.1 * real.mean()
    a_fake = 0.9 * -0.4 + 0.1 * fake.mean()
    want = np.mean((real - a_fake) ** 2) + np.mean((fake - a_real) ** 2)
    term, logs = lecam.compute(None, dict(context, training=True))
    np.testing.assert_allclose(number(logs["lecam"]), want, rtol=1e-5)
    np.testing.assert_allclose(number(term), 0.3 * want, rtol=1e-5)
    np.testing.assert_allclose(number(lecam.anchor_real), a_real, rtol=1e-5)
    np.testing.assert_allclose(number(lecam.anchor_fake), a_fake, rtol=1e-5)
    # The first update sets the anchors to the batch means.
    fresh = LeCam(decay=0.99)
    fresh.penalty(None, dict(context, training=True))
    np.testing.assert_allclose(number(fresh.anchor_real), real.mean(), rtol=1e-5)


@keras.saving.register_keras_serializable(package="keras_gans_tests")
class Shift(Augmentation):
    """Adds a constant to every pixel."""

    def __init__(self, offset=0.25, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def augment(self, images, seed_generator):
        return images + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


def test_bcr_closed_forms():
    # Zhao et al. 2020: (D(x) - D(T(x)))^2. A linear critic and T(x) = x + c
    # move every score by c * sum(w); the identity moves none.
    rng = np.random.default_rng(2)
    w = (rng.standard_normal(16) * 0.5).astype("float32")
    gan = keras_gans.GAN(generator_4x4(), linear_critic(w))
    real = rng.uniform(-1, 1, (6, 4, 4, 1)).astype("float32")
    fake = rng.uniform(-1, 1, (6, 4, 4, 1)).astype("float32")
    context = {"real_images": real, "fake_images": fake, "labels": None}
    term, logs = BCR(10.0, augmentation=Identity()).compute(gan, context)
    assert number(term) == pytest.approx(0.0, abs=1e-10)
    c = 0.25
    each = (c * np.sum(w)) ** 2
    term, logs = BCR(10.0, fake_weight=2.0, augmentation=Shift(c)).compute(gan, context)
    np.testing.assert_allclose(number(logs["bcr"]), 2 * each, rtol=1e-4)
    np.testing.assert_allclose(number(term), 10.0 * each + 2.0 * each, rtol=1e-4)
    # Given scores (as the discriminator phase passes them) are used as D(x).
    scores = {"real_scores": np.zeros((6, 1), "float32"),
              "fake_scores": np.zeros((6, 1), "float32")}
    real_t, fake_t = BCR(augmentation=Identity()).terms(gan, dict(context, **scores))
    d_real = real.reshape(6, 16) @ w + 0.3
    np.testing.assert_allclose(number(real_t), np.mean(d_real**2), rtol=1e-4)


REGULARIZERS = {
    "gp": lambda: GradientPenalty(10.0),
    "r1": lambda: R1(gamma=1.0),
    "r2": lambda: R2(gamma=1.0),
    "lecam": lambda: LeCam(0.3),
    "bcr": lambda: BCR(1.0),
}


@pytest.mark.parametrize("name", sorted(REGULARIZERS))
def test_regularizer_trains_with_dcgan(name, digits, tmp_path):
    model = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=0)
    loaded = check_part(
        model, digits[0], tmp_path, log_names=(name,), regularizers=[REGULARIZERS[name]()]
    )
    assert [type(r) for r in loaded.regularizers] == [type(REGULARIZERS[name]())]
    if name == "lecam":
        # The anchors moved in training and are saved with the model.
        before = model.regularizers[0]
        assert number(before.updates) == 2.0
        for key in ("anchor_real", "anchor_fake"):
            assert number(getattr(before, key)) != 0.0
        # The loaded model trained two more steps from the saved anchors.
        assert number(loaded.regularizers[0].updates) == 4.0


@pytest.mark.parametrize("name", sorted(REGULARIZERS))
def test_regularizer_trains_with_conditional_gan(name, labelled_digits, tmp_path):
    # The penalty differentiates the conditional discriminator on (images,
    # labels): it sees the step's labels.
    model = keras_gans.ConditionalGAN(
        image_shape=(8, 8, 1), num_classes=10, latent_dim=8, width=4,
        normalization="layer", seed=0,
    )
    check_part(model, labelled_digits[0], tmp_path, log_names=(name,),
               regularizers=[REGULARIZERS[name]()])


def test_regularizer_on_acgan_penalises_the_source_head(labelled_digits, tmp_path):
    model = keras_gans.ACGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=8,
                             width=4, normalization="layer", seed=0)
    check_part(model, labelled_digits[0], tmp_path, log_names=("r1",), regularizers=[R1(1.0)])


def test_names_duplicates_and_phases_are_checked():
    assert type(regularizers.get("gp")) is GradientPenalty
    with pytest.raises(ValueError, match="Unknown regularizer 'r3'"):
        regularizers.get("r3")
    with pytest.raises(ValueError, match="same name"):
        regularizers.get_list([R1(), R1()])
    with pytest.raises(ValueError, match="weight must be a number >= 0"):
        GradientPenalty(weight=-1)

    class GeneratorSide(R1):
        phase = "mapping"

    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4)
    with pytest.raises(ValueError, match="'mapping' phase"):
        gan.compile(regularizers=[GeneratorSide()])
