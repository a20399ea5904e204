"""WGAN-GP: the checklist, the per-sample interpolation, the penalty's value."""

import keras
import numpy as np
import pytest
from keras import ops
from scipy import stats

import keras_gans
from keras_gans import backend as gan_backend
from keras_gans.regularizers import R1, GradientPenalty
from tests.gan_test_utils import run_gan_test


def small(**kwargs):
    defaults = dict(image_shape=(8, 8, 1), latent_dim=8, width=4, n_critic=3, seed=1)
    defaults.update(kwargs)
    return keras_gans.WGANGP(**defaults)


def test_checklist_critic_steps_n_critic_per_step(digits, tmp_path):
    model = small(n_critic=2)
    loaded = run_gan_test(
        model, digits[0], batch_size=16, steps=2,
        expected_iterations={"discriminator": 2, "generator": 1},
        tmp_path=tmp_path,
    )
    assert loaded.n_critic == 2 and loaded.penalty == "gp"
    assert "penalty" in model.tracker_names


def test_registered_with_paper_defaults():
    model = keras_gans.get("wgan_gp", image_shape=(8, 8, 1), latent_dim=8, width=4)
    assert isinstance(model, keras_gans.WGANGP)
    assert model.n_critic == 5 and model.gp_weight == 10.0
    model.compile()
    for opt in (model.d_optimizer, model.g_optimizer):
        assert float(opt.learning_rate) == pytest.approx(1e-4)
        assert float(opt.beta_1) == 0.0 and float(opt.beta_2) == pytest.approx(0.9)
    assert model.gan_loss.name == "wasserstein"
    # The critic has no batch norm.
    assert not any(
        isinstance(layer, keras.layers.BatchNormalization)
        for layer in model.critic.layers
    )


def test_refuses_batch_norm_and_bad_arguments():
    with pytest.raises(ValueError, match="batch norm"):
        small(normalization="batch")
    critic = keras_gans.nets.build_dcgan_discriminator((8, 8, 1), width=4)
    with pytest.raises(ValueError, match="BatchNormalization"):
        small(discriminator=critic)
    with pytest.raises(ValueError, match="penalty must be one of"):
        small(penalty="gp2")


def test_interpolation_weights_are_uniform_per_sample():
    model = small()
    eps = ops.convert_to_numpy(GradientPenalty.interpolation_weights(model, 4000))
    assert eps.shape == (4000, 1, 1, 1)
    values = eps.ravel()
    assert values.min() >= 0.0 and values.max() <= 1.0
    # Uniform on [0, 1]: a Kolmogorov-Smirnov test rejects a normal or a
    # clipped normal draw at this size.
    assert stats.kstest(values, "uniform").pvalue > 1e-3
    assert abs(values.mean() - 0.5) < 0.03
    # Fresh weights at each draw.
    again = ops.convert_to_numpy(GradientPenalty.interpolation_weights(model, 4000)).ravel()
    assert not np.allclose(values, again)


def linear_critic(weight, bias=0.3):
    images = keras.Input((4, 4, 1))
    score = keras.layers.Dense(1)(keras.layers.Flatten()(images))
    critic = keras.Model(images, score)
    critic.layers[-1].set_weights([weight.reshape(16, 1), np.array([bias], "float32")])
    return critic


def generator_4x4():
    z = keras.Input((3,))
    x = keras.layers.Dense(16, activation="tanh")(z)
    return keras.Model(z, keras.layers.Reshape((4, 4, 1))(x))


@pytest.mark.parametrize("scale", [0.05, 0.6])
def test_gradient_penalty_of_linear_critic_is_closed_form(scale):
    rng = np.random.default_rng(0)
    w = (rng.standard_normal(16) * scale).astype("float32")
    model = keras_gans.WGANGP(
        image_shape=(4, 4, 1), latent_dim=3,
        generator=generator_4x4(), discriminator=linear_critic(w),
    )
    real = rng.uniform(-1, 1, (6, 4, 4, 1)).astype("float32")
    fake = rng.uniform(-1, 1, (6, 4, 4, 1)).astype("float32")
    # D(x) = <w, x> + b: the gradient is w at every point, whatever eps.
    expected = (np.linalg.norm(w) - 1.0) ** 2
    context = {"real_images": real, "fake_images": fake, "labels": None}
    gp = float(ops.convert_to_numpy(GradientPenalty().penalty(model, context)))
    np.testing.assert_allclose(gp, expected, rtol=1e-4)
    r1 = float(ops.convert_to_numpy(R1().penalty(model, context)))
    np.testing.assert_allclose(r1, 0.5 * np.sum(w**2), rtol=1e-4)


def test_gradient_penalty_of_quadratic_critic_uses_the_interpolates():
    # D(x) = 0.5 * sum(x^2): grad = x_hat, so GP = mean (||x_hat|| - 1)^2
    # depends on the per-sample weights: checks the interpolation itself.
    images = keras.Input((4, 4, 1))
    score = keras.layers.Lambda(
        lambda t: 0.5 * ops.sum(ops.square(t), axis=(1, 2, 3))[:, None]
    )(images)
    critic = keras.Model(images, score)
    model = keras_gans.WGANGP(
        image_shape=(4, 4, 1), latent_dim=3,
        generator=generator_4x4(), discriminator=critic,
    )
    rng = np.random.default_rng(1)
    real = rng.uniform(-1, 1, (5, 4, 4, 1)).astype("float32")
    fake = rng.uniform(-1, 1, (5, 4, 4, 1)).astype("float32")
    eps = rng.uniform(0, 1, (5, 1, 1, 1)).astype("float32")
    mixed = eps * real + (1 - eps) * fake
    expected = np.mean((np.linalg.norm(mixed.reshape(5, -1), axis=1) - 1) ** 2)
    context = {"real_images": real, "fake_images": fake, "labels": None}
    gp = float(ops.convert_to_numpy(GradientPenalty().penalty(model, context, eps)))
    np.testing.assert_allclose(gp, expected, rtol=1e-4)


def test_penalty_step_matches_hand_computed_update():
    """Real = fake = 0: the Wasserstein term has no gradient and one SGD step
    moves the linear critic by exactly -lr * lambda * 2 (||w|| - 1) w/||w||."""
    rng = np.random.default_rng(3)
    w = (rng.standard_normal(16) * 0.6).astype("float32")
    z = keras.Input((3,))
    zeros = keras.layers.Lambda(lambda t: ops.zeros((ops.shape(t)[0], 4, 4, 1)))(z)
    gen = keras.Model(z, zeros)
    model = keras_gans.WGANGP(
        image_shape=(4, 4, 1), latent_dim=3, n_critic=1,
        generator=gen, discriminator=linear_critic(w),
    )
    lr = 0.01
    model.compile(d_optimizer=keras.optimizers.SGD(lr), g_optimizer=keras.optimizers.SGD(lr))
    logs = model.discriminator_step(np.zeros((4, 4, 4, 1), "float32"))
    np.testing.assert_allclose(logs["penalty"], (np.linalg.norm(w) - 1) ** 2, rtol=1e-4)
    after = ops.convert_to_numpy(model.critic.layers[-1].kernel).ravel()
    norm = np.linalg.norm(w)
    expected = w - lr * 10.0 * 2 * (norm - 1) * w / norm
    np.testing.assert_allclose(after, expected, rtol=1e-4, atol=1e-6)


def test_r1_variant_trains(digits, tmp_path):
    model = small(penalty="r1", r1_gamma=1.0, n_critic=2)
    model.compile(loss="non_saturating")
    history = model.fit(digits[0][:16], batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["penalty"][-1])
    assert history.history["penalty"][-1] > 0
    assert int(ops.convert_to_numpy(model.d_optimizer.iterations)) == 2
    clone = keras_gans.WGANGP.from_config(model.get_config())
    assert clone.penalty == "r1" and clone.r1_gamma == 1.0


def test_custom_nets_round_trip_config():
    w = np.ones(16, "float32") * 0.1
    model = keras_gans.WGANGP(
        image_shape=(4, 4, 1), latent_dim=3,
        generator=generator_4x4(), discriminator=linear_critic(w),
    )
    clone = keras_gans.WGANGP.from_config(model.get_config())
    assert clone.count_params() == model.count_params()
    # The step runs on the backend module of the Keras backend in use.
    assert gan_backend.name() == keras.backend.backend()
