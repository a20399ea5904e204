"""Training callbacks and training-curve plots, with plain `fit()`."""

import csv
import os
import warnings

import keras
import numpy as np
import pytest
from keras import layers

import keras_gans
from keras_gans.callbacks import (
    DivergenceGuard,
    DivergenceWarning,
    GANMetrics,
    GeneratorEMA,
    ModeCollapseMonitor,
    ModeCollapseWarning,
    SampleGrid,
)
from keras_gans.plotting import plot_history

LATENT_DIM = 4


@pytest.fixture(scope="session")
def x_train(digits):
    return digits[0]  # conftest: keras_gans.datasets digits, train split


@pytest.fixture(scope="session")
def x_test(digits):
    return digits[1]


class StandInGAN(keras.Model):
    """The GAN contract's attributes on a model `fit()` can train quickly.

    `generator` maps z to 8x8 images in [-1, 1]; `fit(z, images)` regresses
    the generator's output onto digits, which moves its weights like a GAN's
    generator step would (the callbacks only look at the attributes).
    """

    def __init__(self, kernel_stddev=0.5, constant=False, seed=1, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = LATENT_DIM
        init = (
            keras.initializers.Zeros()
            if constant
            else keras.initializers.RandomNormal(stddev=kernel_stddev, seed=seed)
        )
        z = keras.Input((LATENT_DIM,))
        x = layers.Dense(64, kernel_initializer=init, bias_initializer=init)(z)
        x = layers.BatchNormalization()(x)  # non-trainable statistics too
        x = layers.Activation("tanh")(x)
        x = layers.Reshape((8, 8, 1))(x)
        self.generator = keras.Model(z, x, name="generator")
        d_in = keras.Input((8, 8, 1))
        d_out = layers.Dense(1)(layers.Flatten()(d_in))
        self.discriminator = keras.Model(d_in, d_out, name="discriminator")
        self.discriminator.trainable = False  # not trained by this stand-in
        self.built = True

    def call(self, z, training=False):
        return self.generator(z, training=training)

    # The GAN base class's way of drawing generator inputs (the callbacks
    # draw their fixed noise with it).
    num_classes = None
    latent_vectors = keras_gans.GAN.latent_vectors
    sample_inputs = keras_gans.GAN.sample_inputs

    def generate(self, num_samples=None, z=None, seed=None):
        if z is None:
            rng = np.random.default_rng(seed)
            z = rng.standard_normal((num_samples, LATENT_DIM)).astype("float32")
        return keras.ops.convert_to_numpy(self.generator(z, training=False))


def make_model(lr=0.05, **kwargs):
    model = StandInGAN(**kwargs)
    model.compile(optimizer=keras.optimizers.SGD(lr, momentum=0.5), loss="mse")
    return model


def training_data(x_train, n=96):
    z = np.random.default_rng(0).standard_normal((n, LATENT_DIM)).astype("float32")
    return z, x_train[:n]


def fit(model, x_train, epochs, callbacks, n=96):
    z, y = training_data(x_train, n)
    return model.fit(z, y, batch_size=32, epochs=epochs, shuffle=False, verbose=0, callbacks=callbacks)


def generator_weights(model):
    return [np.array(w) for w in model.generator.get_weights()]


class WeightRecorder(keras.callbacks.Callback):
    """Record the generator's weights after every batch (and epoch)."""

    def __init__(self):
        super().__init__()
        self.batches, self.epochs = [], []

    def on_train_batch_end(self, batch, logs=None):
        if keras.backend.backend() == "jax":
            self.model.jax_state_sync()
        self.batches.append([keras.ops.convert_to_numpy(v.value) for v in self.model.generator.weights])

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append([np.array(w) for w in self.model.get_weights()])


# --------------------------------------------------------------------------
# SampleGrid.
# --------------------------------------------------------------------------


def _read_png(path):
    import matplotlib.pyplot as plt

    return plt.imread(path)


def test_sample_grid_writes_pngs_and_tensorboard(tmp_path, x_train):
    model = make_model()
    every_epoch = SampleGrid(tmp_path / "all", num_samples=16, tensorboard_dir=tmp_path / "tb")
    every_other = SampleGrid(tmp_path / "even", every=2, num_samples=9)
    fit(model, x_train, 3, [every_epoch, every_other])
    assert sorted(os.listdir(tmp_path / "all")) == [
        "samples_0001.png", "samples_0002.png", "samples_0003.png"
    ]
    assert sorted(os.listdir(tmp_path / "even")) == ["samples_0002.png"]
    assert _read_png(every_epoch.paths[0]).ndim == 3
    # The event file holds one "images"-plugin summary per epoch whose PNG
    # decodes to the grid (what TensorBoard's image dashboard reads).
    import tensorflow as tf

    events = [f for f in os.listdir(tmp_path / "tb") if "tfevents" in f]
    assert len(events) == 1
    found = []
    for event in tf.compat.v1.train.summary_iterator(str(tmp_path / "tb" / events[0])):
        for value in event.summary.value:
            assert value.metadata.plugin_data.plugin_name == "images"
            width, height, png = tf.make_ndarray(value.tensor)
            decoded = tf.io.decode_png(png).numpy()
            assert decoded.shape == (int(height), int(width), 1)
            found.append((event.step, decoded))
    assert [step for step, _ in found] == [0, 1, 2]
    assert found[0][1].shape == (4 * 9 + 1, 4 * 9 + 1, 1)  # 16 tiles of 8 px


def test_sample_grid_noise_is_fixed_and_reproducible(tmp_path, x_train):
    model = make_model()
    grids = []
    for name in ("first", "second"):
        cb = SampleGrid(tmp_path / name, num_samples=16, seed=0)
        cb.set_model(model)
        cb.on_train_begin()
        cb.on_epoch_end(0)
        grids.append(cb)
    np.testing.assert_array_equal(grids[0].noise, grids[1].noise)
    np.testing.assert_array_equal(_read_png(grids[0].paths[0]), _read_png(grids[1].paths[0]))

    noise = grids[0].noise.copy()
    fit(model, x_train, 2, [grids[0]])
    np.testing.assert_array_equal(grids[0].noise, noise)  # same latent points every epoch
    # Training moved the generator, so the same noise now gives another grid.
    assert not np.array_equal(_read_png(grids[0].paths[-1]), _read_png(grids[1].paths[0]))

    other = SampleGrid(tmp_path / "other", num_samples=16, seed=1)
    other.set_model(model)
    other.on_train_begin()
    assert not np.array_equal(other.noise, noise)


def test_sample_grid_conditional_labels(tmp_path):
    class Conditional:
        latent_dim, num_classes = 3, 4
        latent_vectors = keras_gans.GAN.latent_vectors
        sample_inputs = keras_gans.GAN.sample_inputs

        def generate(self, z=None, labels=None):
            self.seen = labels
            return np.tile((labels[:, None, None, None] / 2.0 - 1.0), (1, 8, 8, 1))

    cb = SampleGrid(tmp_path, num_samples=8)
    cb.set_model(Conditional())
    cb.on_train_begin()
    cb.on_epoch_end(0)
    np.testing.assert_array_equal(cb.model.seen, [0, 1, 2, 3, 0, 1, 2, 3])
    # One column per class: 4 columns of 8 px + padding = 37 px wide.
    grid = _read_png(cb.paths[0])
    assert grid.shape[1] == 37 * cb.scale



def test_fixed_noise_is_the_models_own_sample_inputs(tmp_path, x_train):
    """SampleGrid and ModeCollapseMonitor draw with model.sample_inputs."""
    calls = []

    class Recording(StandInGAN):
        def sample_inputs(self, num_samples, seed=None):
            calls.append((num_samples, seed))
            return keras_gans.GAN.sample_inputs(self, num_samples, seed)

    model = Recording()
    grid = SampleGrid(tmp_path, num_samples=6, seed=3)
    grid.set_model(model)
    grid.on_train_begin()
    z, labels = keras_gans.GAN.sample_inputs(model, 6, seed=3)
    np.testing.assert_array_equal(grid.noise, z)
    assert labels is None
    monitor = ModeCollapseMonitor(real_images=x_train[:50], num_samples=5, seed=4)
    monitor.set_model(model)
    monitor.check()
    assert calls == [(6, 3), (5, 4)]


def test_sampling_callbacks_need_sample_inputs(tmp_path):
    class NoSampleInputs:
        latent_dim = 3

        def generate(self, z=None, labels=None):
            return np.zeros((len(z), 8, 8, 1), "float32")

    grid = SampleGrid(tmp_path, num_samples=4)
    grid.set_model(NoSampleInputs())
    with pytest.raises(ValueError, match=r"SampleGrid needs a model with `sample_inputs.*received NoSampleInputs"):
        grid.on_train_begin()

# --------------------------------------------------------------------------
# GANMetrics.
# --------------------------------------------------------------------------


def test_gan_metrics_reach_history_csv_and_early_stopping(tmp_path, x_train, x_test, clf):
    model = make_model()
    metrics = GANMetrics(x_test, every=2, num_samples=64, extractor=clf, kid_subsets=5)
    csv_path = tmp_path / "log.csv"
    stopper = keras.callbacks.EarlyStopping(monitor="fid_digits", mode="min", patience=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # EarlyStopping finds its key
        history = fit(model, x_train, 3, [metrics, keras.callbacks.CSVLogger(str(csv_path)), stopper])
    fids = history.history["fid_digits"]
    assert len(fids) == 3 and all(np.isfinite(fids)) and fids[0] > 0
    assert len(history.history["kid_digits"]) == 3
    assert [epoch for epoch, _ in metrics.results] == [0, 1]  # first, then every 2nd
    assert fids[2] == fids[1]  # the third epoch carries the last value
    with open(csv_path) as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 3
    assert {"fid_digits", "kid_digits", "kid_digits_std", "loss"} <= set(rows[0])
    assert float(rows[0]["fid_digits"]) == pytest.approx(fids[0], rel=1e-6)


# --------------------------------------------------------------------------
# GeneratorEMA.
# --------------------------------------------------------------------------


def test_ema_matches_closed_form_when_driven_by_hand():
    model = make_model()
    gen = model.generator
    shapes = [w.shape for w in gen.get_weights()]
    rng = np.random.default_rng(0)
    w = [[rng.standard_normal(s).astype("float32") for s in shapes] for _ in range(4)]
    n_train = len(gen.trainable_weights)
    d = 0.9

    def drive(ema, steps):
        gen.set_weights(w[0])
        ema.set_model(model)
        ema.on_train_begin()
        ema.on_epoch_begin(0)
        for batch, weights in steps:
            gen.set_weights(weights)
            ema.on_train_batch_end(batch)
        return ema.ema_weights

    # The stand-in's generator.weights list its trainable weights first.
    assert [v.path for v in gen.weights][:n_train] == [v.path for v in gen.trainable_weights]
    got = drive(GeneratorEMA(decay=d), [(0, w[1]), (1, w[2])])
    for i in range(n_train):
        expected = d * d * w[0][i] + d * (1 - d) * w[1][i] + (1 - d) * w[2][i]
        np.testing.assert_allclose(got[i], expected, rtol=1e-5, atol=1e-6)
    for i in range(n_train, len(shapes)):  # batch-norm statistics are copied
        np.testing.assert_array_equal(got[i], w[2][i])

    # start_step: the average tracks the weights until then.
    got = drive(GeneratorEMA(decay=d, start_step=1), [(0, w[1]), (1, w[2])])
    np.testing.assert_allclose(got[0], d * w[1][0] + (1 - d) * w[2][0], rtol=1e-5, atol=1e-6)

    # steps_per_execution=2 reports batches 1, 3: two steps per report.
    got = drive(GeneratorEMA(decay=d), [(1, w[1]), (3, w[2])])
    np.testing.assert_allclose(
        got[0], d**2 * (d**2 * w[0][0] + (1 - d**2) * w[1][0]) + (1 - d**2) * w[2][0],
        rtol=1e-5, atol=1e-6,
    )


def test_ema_during_fit_and_swapping(x_train):
    model = make_model()
    recorder = WeightRecorder()
    ema = GeneratorEMA(decay=0.8)
    initial = [keras.ops.convert_to_numpy(v.value) for v in model.generator.weights]
    fit(model, x_train, 2, [recorder, ema])
    raw = generator_weights(model)
    averaged = ema.ema_weights
    assert not np.allclose(averaged[0], raw[0])
    # The average of the recorded per-step weights (read after a JAX sync).
    n_train = len(model.generator.trainable_weights)
    expected = [w.astype("float64") for w in initial]
    for step in recorder.batches:
        expected = [0.8 * e + 0.2 * s for e, s in zip(expected, step)]
    assert len(recorder.batches) == 6
    for i in range(n_train):
        np.testing.assert_allclose(averaged[i], expected[i], rtol=1e-4, atol=1e-5)

    with ema.swapped(model):
        for got, want in zip(generator_weights(model), averaged):
            np.testing.assert_allclose(got, want, rtol=1e-6)
        swapped_samples = model.generate(z=np.ones((2, LATENT_DIM), "float32"))
    for got, want in zip(generator_weights(model), raw):
        np.testing.assert_array_equal(got, want)
    raw_samples = model.generate(z=np.ones((2, LATENT_DIM), "float32"))
    assert not np.allclose(swapped_samples, raw_samples)

    ema_end = GeneratorEMA(decay=0.8, swap_on_end=True)
    fit(model, x_train, 1, [ema_end])
    for got, want in zip(generator_weights(model), ema_end.ema_weights):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    ema_end.restore()
    assert not np.allclose(generator_weights(model)[0], ema_end.ema_weights[0])


def test_ema_needs_training_first():
    with pytest.raises(ValueError, match="no average yet"):
        GeneratorEMA().ema_weights


# --------------------------------------------------------------------------
# DivergenceGuard.
# --------------------------------------------------------------------------


class InjectNaN(keras.callbacks.Callback):
    """Poison one generator weight before a chosen batch."""

    def __init__(self, epoch, batch):
        super().__init__()
        self.at = (epoch, batch)
        self.epoch = None

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        if (self.epoch, batch) == self.at:
            if keras.backend.backend() == "jax":
                self.model.jax_state_sync()
            kernel = self.model.generator.trainable_weights[0]
            value = np.array(keras.ops.convert_to_numpy(kernel.value))
            value[0, 0] = np.nan
            kernel.assign(value)


def test_divergence_guard_stops_on_nan_and_restores_weights(x_train):
    model = make_model()
    recorder = WeightRecorder()
    guard = DivergenceGuard(verbose=False)
    with pytest.warns(DivergenceWarning, match=r"epoch 2, batch 2: loss = nan is not finite"):
        history = fit(model, x_train, 4, [recorder, InjectNaN(epoch=1, batch=1), guard])
    assert guard.diverged and guard.stopped_epoch == 1
    assert "restored the weights from the end of epoch 1" in guard.message
    assert len(history.epoch) == 2  # stopped in the second epoch
    weights = model.get_weights()
    assert all(np.all(np.isfinite(w)) for w in weights)
    for got, want in zip(weights, recorder.epochs[0]):  # the last good epoch
        np.testing.assert_array_equal(got, want)
    assert all(np.all(np.isfinite(keras.ops.convert_to_numpy(v.value))) for v in model.optimizer.variables)


def test_divergence_guard_stops_on_exploding_loss(x_train):
    model = make_model()
    initial = model.get_weights()
    guard = DivergenceGuard(max_loss=1e-9, patience=2, verbose=False)
    with pytest.warns(DivergenceWarning, match=r"exceeded max_loss=1e-09 for 2 consecutive"):
        history = fit(model, x_train, 3, [guard])
    assert len(history.epoch) == 1
    assert "epoch 1, batch 2" in guard.message
    for got, want in zip(model.get_weights(), initial):
        np.testing.assert_array_equal(got, want)


# --------------------------------------------------------------------------
# ModeCollapseMonitor.
# --------------------------------------------------------------------------


def test_mode_collapse_monitor_warns_for_constant_generator(x_train, clf):
    model = make_model(lr=0.0, constant=True)
    monitor = ModeCollapseMonitor(
        min_diversity=0.2, min_class_share=0.02, classifier=clf, stop=True,
        real_images=x_train[:300], num_samples=64,
    )
    with pytest.warns(ModeCollapseWarning, match="sample diversity 0 .*classes .*min_class_share"):
        history = fit(model, x_train, 3, [monitor])
    assert len(history.epoch) == 1  # stop=True
    assert history.history["sample_diversity"][0] == pytest.approx(0.0, abs=1e-6)
    assert history.history["class_share_min_digits"][0] == 0.0
    assert history.history["classes_covered_digits"][0] == 1.0
    assert len(monitor.alarms) == 1


def test_mode_collapse_monitor_quiet_for_diverse_generator(x_train):
    model = make_model(kernel_stddev=2.0)
    monitor = ModeCollapseMonitor(min_diversity=0.2, real_images=x_train[:300], num_samples=64)
    monitor.set_model(model)
    logs = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModeCollapseWarning)
        monitor.on_epoch_end(0, logs)
    assert logs["sample_diversity"] > 0.5
    assert not monitor.alarms and not model.stop_training


def test_mode_collapse_monitor_needs_real_images():
    with pytest.raises(ValueError, match="real_images"):
        ModeCollapseMonitor(min_diversity=0.2)


# --------------------------------------------------------------------------
# plot_history.
# --------------------------------------------------------------------------


def test_plot_history_from_history_and_csv(tmp_path):
    history = keras.callbacks.History()
    history.set_model(make_model())
    csv_path = tmp_path / "log.csv"
    logger = keras.callbacks.CSVLogger(str(csv_path))
    logger.set_model(history.model)
    history.on_train_begin()
    logger.on_train_begin()
    for epoch in range(3):
        logs = {"d_loss": 0.7 - 0.1 * epoch, "g_loss": 0.9 + 0.1 * epoch,
                "d_real": 0.6, "d_fake": 0.4, "fid_digits": 5.0 - epoch,
                "fid_digits_std": 0.5}
        history.on_epoch_end(epoch, dict(logs))
        logger.on_epoch_end(epoch, dict(logs))
    logger.on_train_end()
    from keras_gans.plotting import load_history

    epochs, columns = load_history(str(csv_path))
    assert epochs == [1, 2, 3]
    assert columns["fid_digits"] == [5.0, 4.0, 3.0]
    assert not any(k.startswith("val_") for k in columns)  # CSVLogger's all-NA columns
    for source, name in ((history, "h.png"), (str(csv_path), "c.png")):
        path = plot_history(source, tmp_path / "plots" / name, title="test")
        with open(path, "rb") as f:
            assert f.read(8) == b"\x89PNG\r\n\x1a\n"
        assert _read_png(path).shape[0] > 100
    with pytest.raises(ValueError, match="not in the training record"):
        plot_history(history, tmp_path / "x.png", keys=["nope"])


# --------------------------------------------------------------------------
# Against the real GAN base class (a tiny DCGAN on the digits).
# --------------------------------------------------------------------------


def tiny_dcgan():
    import keras_gans

    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=8, seed=0)
    gan.compile()
    return gan


def test_all_callbacks_together_on_a_dcgan(tmp_path, x_train, x_test, clf):
    from keras_gans.evaluation import evaluate_generator

    gan = tiny_dcgan()
    recorder = WeightRecorder()
    ema = GeneratorEMA(decay=0.9)
    initial = [keras.ops.convert_to_numpy(v.value) for v in gan.generator.weights]
    # One sample count everywhere: on JAX every new batch shape makes the
    # eagerly called generator compile its ops again.
    callbacks = [
        recorder,
        ema,
        SampleGrid(tmp_path / "samples", num_samples=64, ema=ema),
        GANMetrics(x_test, num_samples=64, extractor=clf, kid_subsets=5),
        GANMetrics(x_test, num_samples=64, extractor=clf, kid_subsets=5, prefix="ema_", ema=ema),
        ModeCollapseMonitor(min_diversity=0.01, real_images=x_train[:200], num_samples=64),
        DivergenceGuard(verbose=False),
        keras.callbacks.CSVLogger(str(tmp_path / "log.csv")),
    ]
    history = gan.fit(x_train[:128], batch_size=32, epochs=2, verbose=0, callbacks=callbacks)
    logged = set(history.history)
    assert {"d_loss", "g_loss", "d_real", "d_fake", "fid_digits", "kid_digits",
            "ema_fid_digits", "sample_diversity"} <= logged
    assert history.history["fid_digits"] != history.history["ema_fid_digits"]
    assert len(os.listdir(tmp_path / "samples")) == 2

    # The average equals the closed form over the per-step weights that the
    # trainer produced (on JAX: read after jax_state_sync()).
    expected = [w.astype("float64") for w in initial]
    for step in recorder.batches:
        expected = [0.9 * e + 0.1 * s for e, s in zip(expected, step)]
    assert len(recorder.batches) == 8
    averaged = ema.ema_weights  # in generator.weights order
    for i, v in enumerate(gan.generator.weights):
        if v.trainable:
            np.testing.assert_allclose(averaged[i], expected[i], rtol=1e-4, atol=1e-5)
        else:  # batch-norm statistics are copied, not averaged
            np.testing.assert_allclose(averaged[i], recorder.batches[-1][i], rtol=1e-6)
    gan.generator.set_weights(averaged)  # usable as is

    path = plot_history(str(tmp_path / "log.csv"), tmp_path / "curves.png")
    assert os.path.getsize(path) > 0
    results = evaluate_generator(gan, x_test, num_samples=64, extractor=clf, num_subsets=5)
    assert np.isfinite(results["fid_digits"]) and len(results["class_shares_digits"]) == 10


def test_divergence_guard_restores_a_dcgan_and_its_optimizers(x_train):
    gan = tiny_dcgan()
    recorder = WeightRecorder()
    guard = DivergenceGuard(verbose=False)
    with pytest.warns(DivergenceWarning, match="epoch 2, batch 3: d_loss = nan is not finite"):
        history = gan.fit(
            x_train[:128], batch_size=32, epochs=3, verbose=0,
            callbacks=[recorder, InjectNaN(epoch=1, batch=2), guard],
        )
    assert len(history.epoch) == 2
    for got, want in zip(gan.get_weights(), recorder.epochs[0]):
        np.testing.assert_array_equal(got, want)
    opt_values = [keras.ops.convert_to_numpy(v.value) for v in gan.optimizer.variables]
    assert all(np.all(np.isfinite(v)) for v in opt_values)
    # Both optimizers' step counters are back at the end of epoch 1 (4 steps).
    for role, opt in gan.optimizer.optimizers.items():
        assert int(keras.ops.convert_to_numpy(opt.iterations)) == 4, role
    assert gan.generate(4, seed=0).shape == (4, 8, 8, 1)
