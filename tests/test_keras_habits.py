"""Standard Keras habits work on a GAN (issue 11).

Learning-rate callbacks and TensorBoard with several optimizers, monitors
without `mode=`, TerminateOnNaN, subclassed networks, helpers users write by
hand (features, interpolation, VAE-GAN's predict) and argument checks.
Tiny: 8x8 digits, width 4, a couple of steps.
"""

import os
import warnings

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans
from tests.gan_test_utils import tiny_family


@pytest.fixture(scope="module")
def x():
    return np.asarray(keras_gans.datasets.load_digits(split="train"))[:32]


def tiny(**compile_kwargs):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4)
    gan.compile(**compile_kwargs)
    return gan


def lr(opt):
    return float(ops.convert_to_numpy(opt.learning_rate))


# ------------------------------------------------------- learning rates


def test_learning_rate_scheduler_sets_every_optimizer_and_logs_by_role(x):
    gan = tiny(
        d_optimizer=keras.optimizers.Adam(1e-3),
        g_optimizer=keras.optimizers.Adam(2e-3),
    )
    history = gan.fit(
        x, batch_size=16, epochs=2, verbose=0,
        callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch, rate: rate * 0.5)],
    )
    # Each optimizer keeps its own rate: the schedule halves both.
    assert lr(gan.d_optimizer) == pytest.approx(2.5e-4)
    assert lr(gan.g_optimizer) == pytest.approx(5e-4)
    assert history.history["d_learning_rate"] == pytest.approx([5e-4, 2.5e-4])
    assert history.history["g_learning_rate"] == pytest.approx([1e-3, 5e-4])
    assert not [k for k in history.history if k.startswith("learning_rate_")]


def test_reduce_lr_on_plateau_without_mode(x):
    gan = tiny()
    history = gan.fit(
        x, batch_size=16, epochs=3, verbose=0,
        callbacks=[keras.callbacks.ReduceLROnPlateau(
            monitor="d_loss", patience=0, factor=0.5, min_delta=1e9)],
    )
    # min_delta so large that no epoch improves: the rate halves each epoch
    # after the first.
    assert lr(gan.d_optimizer) == pytest.approx(2e-4 * 0.25)
    assert lr(gan.g_optimizer) == pytest.approx(2e-4 * 0.25)
    assert "g_learning_rate" in history.history


def test_tensorboard_writes_logs(x, tmp_path):
    gan = tiny()
    gan.fit(x, batch_size=16, epochs=1, verbose=0,
            callbacks=[keras.callbacks.TensorBoard(str(tmp_path / "tb"))])
    files = [f for _, _, fs in os.walk(tmp_path / "tb") for f in fs]
    assert any("tfevents" in f for f in files)


def test_each_phase_its_own_schedule(x):
    schedule = keras.optimizers.schedules.ExponentialDecay(1e-3, 1, 0.5)
    gan = tiny(d_optimizer=keras.optimizers.Adam(schedule),
               g_optimizer=keras.optimizers.Adam(1e-4))
    gan.fit(x, batch_size=16, epochs=1, verbose=0)
    assert lr(gan.d_optimizer) == pytest.approx(1e-3 * 0.5 ** 2)
    assert lr(gan.g_optimizer) == pytest.approx(1e-4)


# ------------------------------------------------------------- monitors


@pytest.mark.parametrize("make", [
    lambda p: keras.callbacks.EarlyStopping(monitor="g_loss", patience=0),
    lambda p: keras.callbacks.ModelCheckpoint(
        str(p / "best.keras"), monitor="d_loss", save_best_only=True),
    lambda p: keras.callbacks.ReduceLROnPlateau(monitor="g_loss"),
])
def test_monitors_need_no_mode(x, tmp_path, make):
    callback = make(tmp_path)
    tiny().fit(x, batch_size=16, epochs=2, verbose=0, callbacks=[callback])
    assert callback.monitor_op is ops.less


def test_terminate_on_nan_stops_on_any_phase_loss(x):
    def nan_d_loss(real, fake, real_target=1.0):
        return ops.mean(real) * np.float32("nan")

    def g_loss(fake):
        return -ops.mean(fake)

    batches = []
    counter = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batches.append(batch))
    gan = tiny(loss=(nan_d_loss, g_loss))
    history = gan.fit(x, batch_size=16, epochs=3, verbose=0,
                      callbacks=[keras.callbacks.TerminateOnNaN(), counter])
    assert len(batches) <= 1  # stopped at the first batch, not after 6
    assert "loss" not in history.history


# ------------------------------------------------- subclassed networks


class SubclassedGenerator(keras.Model):
    """A generator written as a subclass: no .inputs/.outputs until called."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(64, activation="tanh")
        self.reshape = keras.layers.Reshape((8, 8, 1))

    def call(self, z):
        return self.reshape(self.dense(z))


class SubclassedDiscriminator(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.flatten = keras.layers.Flatten()
        self.dense = keras.layers.Dense(1)

    def call(self, images):
        return self.dense(self.flatten(images))


def test_subclassed_generator_and_discriminator_train_with_ema_and_export(x, tmp_path):
    gan = keras_gans.GAN(SubclassedGenerator(), SubclassedDiscriminator(),
                         latent_dim=4, ema_decay=0.9)
    gan.compile()
    d_before = [np.array(w) for w in ops.convert_to_numpy(gan.discriminator.weights[0])]
    history = gan.fit(x, batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["g_loss"]).all()
    assert int(ops.convert_to_numpy(gan.g_optimizer.iterations)) == 2
    assert not np.array_equal(d_before, ops.convert_to_numpy(gan.discriminator.weights[0]))
    assert gan.image_shape == (8, 8, 1)
    ema = gan.generate(3, seed=0)
    raw = gan.generate(3, seed=0, ema=False)
    assert ema.shape == (3, 8, 8, 1) and not np.allclose(ema, raw)
    path = gan.export(str(tmp_path / "export"))
    assert os.path.exists(os.path.join(path, "saved_model.pb"))


# ------------------------------------------- warnings before training


def _warned(fn, match):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught if match in str(w.message)]


def test_warns_about_a_sigmoid_discriminator(x):
    d = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(),
                          keras.layers.Dense(1, activation="sigmoid")])
    g = keras_gans.nets.build_dcgan_generator((8, 8, 1), 4, width=4)
    gan = keras_gans.GAN(g, d)
    gan.compile()
    assert _warned(lambda: gan.fit(x, batch_size=16, epochs=1, verbose=0), "sigmoid")
    assert not _warned(lambda: tiny().fit(x, batch_size=16, epochs=1, verbose=0), "sigmoid")


def test_warns_when_generator_outputs_leave_the_range(x):
    g = keras.Sequential([keras.Input((4,)), keras.layers.Dense(64),
                          keras.layers.Reshape((8, 8, 1))])
    d = keras_gans.nets.build_dcgan_discriminator((8, 8, 1), width=4)
    gan = keras_gans.GAN(g, d)
    gan.compile()
    assert _warned(lambda: gan.fit(x, batch_size=16, epochs=1, verbose=0), "[-1, 1]")


def test_warns_about_images_in_zero_one(x):
    gan = tiny()
    messages = _warned(
        lambda: gan.fit((x + 1) / 2, batch_size=16, epochs=1, verbose=0), "[0, 1]")
    assert messages and "2 * x - 1" in messages[0]


def test_python_generators_are_checked_before_training(x):
    def batches(scale):
        while True:
            yield (x[:16] * scale,)

    gan = tiny()
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        gan.fit(batches(255.0), steps_per_epoch=2, epochs=1, verbose=0)
    # A good generator still trains, its first batch included.
    history = gan.fit(batches(1.0), steps_per_epoch=2, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"]).all()


def test_py_datasets_are_checked_before_training(x):
    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return x[:16] * 255.0

    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        tiny().fit(Batches(), epochs=1, verbose=0)


# ------------------------------------------------------ argument checks


def _family_args():
    import inspect

    for name in keras_gans.list_models():
        cls = keras_gans.get_class(name)
        parameters = inspect.signature(cls.__init__).parameters
        for arg in ("latent_dim", "width", "kernel_size", "pieces",
                    "generator_units", "discriminator_units"):
            if arg in parameters:
                yield name, arg


@pytest.mark.parametrize("family,arg", list(_family_args()))
@pytest.mark.parametrize("bad", [0, -3, 2.5, "8", True, None])
def test_bad_architecture_arguments_are_refused_by_name(family, arg, bad):
    if arg.endswith("_units"):
        bad = (bad,) if bad is not None else (8, 0)
    with pytest.raises((TypeError, ValueError), match=arg):
        keras_gans.get(family, image_shape=(8, 8, 1), **{arg: bad})


# ------------------------------------------------------------- helpers


def test_discriminator_features_for_transfer_learning(x):
    gan = tiny()
    features = gan.discriminator_features()
    out = features.predict(x[:4], verbose=0)
    assert out.ndim == 2 and out.shape[0] == 4
    np.testing.assert_allclose(gan.extract_features(x[:4]), out, rtol=1e-5, atol=1e-6)
    # Shared weights: the features move when the discriminator trains.
    head = keras.Sequential([features, keras.layers.Dense(10)])
    assert head(x[:2]).shape == (2, 10)


def test_discriminator_features_of_a_conditional_model(labelled_digits):
    (x, y), _ = labelled_digits
    gan = keras_gans.ConditionalGAN(image_shape=(8, 8, 1), num_classes=10,
                                    latent_dim=4, width=4)
    with pytest.raises(ValueError, match="labels="):
        gan.extract_features(x[:4])
    features = gan.extract_features(x[:4], labels=y[:4])
    assert features.shape[0] == 4 and features.ndim == 2
    assert len(gan.discriminator_features().inputs) == 2


def test_interpolate_latents_linear_and_slerp():
    z0, z1 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    linear = keras_gans.GAN.interpolate_latents(z0, z1, 3, "linear")
    np.testing.assert_allclose(linear[1], [0.5, 0.5])
    slerp = keras_gans.GAN.interpolate_latents(z0, z1, 3, "slerp")
    np.testing.assert_allclose(slerp[1], [np.sqrt(0.5), np.sqrt(0.5)], rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(slerp, axis=1), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match="method"):
        keras_gans.GAN.interpolate_latents(z0, z1, 3, "cubic")


@pytest.mark.parametrize("family", keras_gans.list_models())
def test_interpolate_for_every_family(family):
    gan = tiny_family(family)
    images = gan.interpolate(num_steps=3, seed=0, method="linear")
    assert images.shape == (3,) + tuple(gan.image_shape)
    z = gan.latent_vectors(2, seed=0)
    np.testing.assert_allclose(images[0], gan.generate(z=z[:1], labels=None
                               if gan.num_classes is None else [0])[0], atol=1e-5)


def test_vae_gan_predict_on_images_reconstructs(x):
    model = keras_gans.VAEGAN(image_shape=(8, 8, 1), latent_dim=4, width=4)
    recon = model.predict(x[:4], verbose=0)
    np.testing.assert_allclose(recon, model.reconstruct(x[:4]), atol=1e-5)
    assert model.predict(np.zeros((2, 4), "float32"), verbose=0).shape == (2, 8, 8, 1)
    with pytest.raises(ValueError, match="reconstruct"):
        model(np.zeros((2, 8, 8), "float32"))
