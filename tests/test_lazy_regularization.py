"""Phase.interval: lazy regularization (StyleGAN2's R1 every 16 minibatches).

A phase with `interval=N` keeps its update only on steps 0, N, 2N, ...; a
regularizer with `interval=N` runs in its own such phase with its penalty
multiplied by N. Checked on whichever backend the suite runs on.
"""

import dataclasses

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans
from keras_gans import backend
from keras_gans.models.phases import Phase
from keras_gans.regularizers import R1, R2
from tests.gan_test_utils import changed, iterations, snapshot
from keras_gans.families.wgan_gp.test_wgan_gp import generator_4x4, linear_critic


def _images(n=8, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, 4, 4, 1)).astype("float32")


def _critic():
    images = keras.Input((4, 4, 1))
    x = keras.layers.Dense(8, activation="relu")(keras.layers.Flatten()(images))
    return keras.Model(images, keras.layers.Dense(1)(x))


class _EveryThirdD(keras_gans.GAN):
    """The base GAN whose discriminator phase runs every third step."""

    def phases(self):
        discriminator, generator = super().phases()
        return (dataclasses.replace(discriminator, interval=3), generator)


@pytest.mark.parametrize("bad", [0, -2, 1.5, True, "16"])
def test_interval_must_be_a_positive_integer(bad):
    with pytest.raises(ValueError, match=r"interval.*received"):
        Phase("discriminator", ("discriminator",), None, interval=bad)
    with pytest.raises(ValueError, match=r"interval.*received"):
        R1(interval=bad)


def test_a_phase_moves_its_networks_only_on_multiples_of_its_interval():
    gan = _EveryThirdD(generator_4x4(), _critic())
    gan.compile()
    x = _images()
    d_moved, g_moved = [], []
    for _ in range(7):
        d_before, g_before = snapshot(gan.discriminator), snapshot(gan.generator)
        gan.train_on_batch(x)
        d_moved.append(changed(d_before, snapshot(gan.discriminator)))
        g_moved.append(changed(g_before, snapshot(gan.generator)))
    assert d_moved == [True, False, False, True, False, False, True]
    assert all(g_moved)
    # Its optimizer is rolled back too: its moments and its step counter.
    assert iterations(gan) == {"discriminator": 3, "generator": 7}


def test_a_lazy_regularizer_leaves_the_phase_loss_and_gets_its_own_phase():
    gan = keras_gans.GAN(generator_4x4(), _critic())
    gan.compile(regularizers=[R1(gamma=1.0, interval=4), R2(gamma=3.0)])
    phases = gan.training_phases()
    assert [p.name for p in phases] == ["discriminator", "discriminator_r1", "generator"]
    lazy = phases[1]
    assert (lazy.networks, lazy.role, lazy.interval) == (("discriminator",), "discriminator", 4)
    # The discriminator phase adds R2 (every step) but not the lazy R1.
    x = ops.convert_to_tensor(_images())
    context = {"real_images": x, "fake_images": x, "labels": None}
    loss, logs = gan.add_regularizers("discriminator", ops.zeros(()), {}, **context)
    assert sorted(logs) == ["r2"]
    np.testing.assert_allclose(
        float(ops.convert_to_numpy(loss)), 3.0 * float(ops.convert_to_numpy(logs["r2"])), rtol=1e-6)


@pytest.mark.parametrize("interval", [2, 16])
def test_the_lazy_penalty_is_scaled_by_its_interval(interval):
    # A linear critic's R1 is 1/2 ||w||^2 for any images: the lazy phase's
    # loss must be interval * gamma * that, its log the unweighted penalty.
    w = np.random.default_rng(1).standard_normal(16).astype("float32") * 0.3
    gan = keras_gans.GAN(generator_4x4(), linear_critic(w))
    gan.compile(regularizers=[R1(gamma=2.5, interval=interval)])
    lazy = gan.training_phases()[1]
    batch = gan.unpack_batch(ops.convert_to_tensor(_images()))
    loss, logs = lazy.loss(batch, False)
    r1 = 0.5 * float(np.sum(w.astype("float64") ** 2))
    np.testing.assert_allclose(float(ops.convert_to_numpy(logs["r1"])), r1, rtol=1e-4)
    np.testing.assert_allclose(
        float(ops.convert_to_numpy(loss)), interval * 2.5 * r1, rtol=1e-4)


def test_the_lazy_phase_keeps_its_update_only_on_multiples_of_its_interval():
    gan = keras_gans.GAN(generator_4x4(), _critic())
    gan.compile(regularizers=[R1(gamma=1.0, interval=4)])
    batch = ops.convert_to_tensor(_images())

    def run(step):
        before, iters = snapshot(gan.discriminator), iterations(gan)["discriminator"]
        backend.run_stateful(
            gan, lambda b: gan.run_phase("discriminator_r1", b, step=ops.convert_to_tensor(step)),
            batch)
        moved = changed(before, snapshot(gan.discriminator))
        return moved, iterations(gan)["discriminator"] - iters

    assert run(1) == (False, 0)
    assert run(6) == (False, 0)
    assert run(8) == (True, 1)
    assert run(0) == (True, 1)


def test_fit_runs_the_lazy_phase_every_interval_steps_and_logs_its_penalty():
    gan = keras_gans.GAN(generator_4x4(), _critic())
    gan.compile(regularizers=[R1(gamma=1.0, interval=2)])
    history = gan.fit(_images(40), batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["r1"][0]) and history.history["r1"][0] > 0
    # 5 steps: the discriminator phase every step, R1 on steps 0, 2 and 4.
    assert iterations(gan) == {"discriminator": 5 + 3, "generator": 5}


def test_interval_is_saved_with_the_model(tmp_path):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4)
    gan.compile(regularizers=[R1(gamma=0.1, interval=16)])
    assert R1.from_config(gan.regularizers[0].get_config()).interval == 16
    path = str(tmp_path / "lazy.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert [(type(r).__name__, r.interval) for r in loaded.regularizers] == [("R1", 16)]
    assert [p.name for p in loaded.training_phases()] == [
        "discriminator", "discriminator_r1", "generator"]


def test_the_stylegan2_recipe_uses_lazy_r1_and_measured_twins_keep_theirs():
    from keras_gans import registry

    def r1(name):
        return registry.get_preset(name)["training"]["compile_args"]["regularizers"]

    # The paper recipe (no recorded result when it changed) takes R1 every
    # 16 steps; the CPU twin keeps the every-step R1 its recorded result
    # was measured with.
    assert r1("style_gan_fashion_mnist") == [
        {"class_name": "R1", "config": {"gamma": 0.1, "interval": 16}}]
    assert r1("style_gan_fashion_mnist_cpu") == [{"class_name": "R1", "config": {"gamma": 0.1}}]
    assert registry.get_preset("style_gan_fashion_mnist_cpu")["results"]
