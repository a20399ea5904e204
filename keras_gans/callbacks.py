"""Callbacks that show and guard GAN training; all work with plain `fit()`.

- `SampleGrid`: a PNG grid (and a TensorBoard image) from fixed noise every
  N epochs.
- `GANMetrics`: FID/KID (or more) every N epochs into the epoch logs, so
  `History`, `CSVLogger`, `TensorBoard` and `EarlyStopping` see them.
- `GeneratorEMA`: an exponential moving average of the generator's weights,
  swapped in for sampling and export.
- `ModeCollapseMonitor`: warns (and optionally stops) when sample diversity
  or class coverage falls below a threshold.
- `DivergenceGuard`: stops on a non-finite or exploding loss and restores the
  last good weights.

They need a model with the `keras_gans.GAN` attributes: `generator`,
`latent_dim`, `generate(z=..., labels=...)` and, for conditional models,
`num_classes`.

Order matters for callbacks that write into the logs: put `GANMetrics` and
`ModeCollapseMonitor` before `CSVLogger`, `EarlyStopping` or `TensorBoard` in
the `callbacks` list (Keras passes one logs dict through the list in order;
`History` always comes last).

On JAX, `fit()` keeps the model's state outside its variables during an
epoch and writes it back at the epoch's end (`model.jax_state_sync()`);
Keras' `Callback.model` property also calls `jax_state_sync()` whenever a
callback reads `self.model`. Epoch-end callbacks therefore see current
weights on both backends. Mid-epoch, each such hand-over makes the next step
fetch the state again, so the batch-level callbacks here touch the model
only when they act: `GeneratorEMA` every `update_every` steps,
`DivergenceGuard` on a stop or a `snapshot_every` snapshot (its per-batch
check reads only the logs). They also call `jax_state_sync()` explicitly,
so a model passed in by hand (`ema.apply_to(gan)`) is current too.
"""

import contextlib
import math
import os
import warnings

import keras
import numpy as np

from keras_gans import images as images_lib


class ModeCollapseWarning(UserWarning):
    """Issued by `ModeCollapseMonitor` when samples lose diversity.

    Example:

    >>> warnings.simplefilter("error", ModeCollapseWarning)  # make it fatal
    """


class DivergenceWarning(UserWarning):
    """Issued by `DivergenceGuard` when it stops training.

    Example:

    >>> warnings.simplefilter("always", DivergenceWarning)
    """


def _sync_jax_state(model):
    """Write JAX's in-flight training state back into the model's variables."""
    if keras.backend.backend() == "jax" and hasattr(model, "jax_state_sync"):
        model.jax_state_sync()


def _check_every(every):
    if not isinstance(every, int) or isinstance(every, bool) or every < 1:
        raise ValueError(f"`every` must be a positive integer; received {every!r}.")
    return every


def _require_generative(model, who):
    missing = [a for a in ("latent_dim",) if getattr(model, a, None) is None]
    if missing or not (hasattr(model, "generate") or hasattr(model, "generator")):
        raise ValueError(
            f"{who} needs a GAN-like model with `latent_dim` and "
            "`generate()` or `generator`; received "
            f"{type(model).__name__}."
        )


def _generator_of(model):
    generator = getattr(model, "generator", None)
    if generator is None:
        raise ValueError(
            "Expected a GAN-like model with a `generator` attribute; received "
            f"{type(model).__name__} without one."
        )
    return generator


def _fixed_noise(model, num_samples, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((num_samples, int(model.latent_dim))).astype("float32")
    num_classes = getattr(model, "num_classes", None)
    labels = None
    if num_classes:
        labels = (np.arange(num_samples) % int(num_classes)).astype("int32")
    return z, labels


def _scalar_logs(results):
    """Keep only the scalar entries of a metrics dict (logs hold scalars)."""
    return {
        k: float(v)
        for k, v in results.items()
        if isinstance(v, (int, float, np.floating, np.integer))
        and k not in ("num_real", "num_fake")
    }


# --------------------------------------------------------------------------
# Sample grids.
# --------------------------------------------------------------------------


def write_image_summary(tag, image, step):
    """Write one uint8 image (H, W, C) as a TensorBoard image summary.

    Produces what `tf.summary.image` produces (the "images" plugin's format:
    a string tensor `[width, height, png]`), but with TensorFlow's core
    `tf.summary.write`, so it works without the `tensorboard` package
    (which `tf.summary.image` needs and which TensorFlow no longer
    installs). Call it inside a `tf.summary` writer's `as_default()`.

    Args:
        tag: the summary's name.
        image: uint8 array (H, W, C), C in {1, 3, 4}.
        step: the step to record.

    Returns:
        True if the summary was written (a default writer was set).

    Example:

    >>> with tf.summary.create_file_writer("logs").as_default():
    ...     write_image_summary("samples", make_grid(images), step=0)
    True
    """
    import tensorflow as tf
    from tensorflow.core.framework import summary_pb2

    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[-1] not in (1, 3, 4):
        raise ValueError(
            "write_image_summary expects a uint8 image (H, W, C) with C in "
            f"{{1, 3, 4}}; received dtype {image.dtype}, shape {image.shape}."
        )
    metadata = summary_pb2.SummaryMetadata()
    metadata.plugin_data.plugin_name = "images"
    metadata.plugin_data.content = b""  # ImagePluginData(version=0)
    metadata.data_class = summary_pb2.DATA_CLASS_BLOB_SEQUENCE
    tensor = tf.stack(
        [
            tf.as_string(image.shape[1]),  # width
            tf.as_string(image.shape[0]),  # height
            tf.image.encode_png(image),
        ]
    )
    return bool(tf.summary.write(tag, tensor, step=step, metadata=metadata))


class SampleGrid(keras.callbacks.Callback):
    """Save a grid of samples from fixed noise every `every` epochs.

    The noise is drawn once, from a numpy generator seeded with `seed`, so
    grids from different epochs (or runs with the same seed) show the same
    latent points. Conditional models get labels `0, 1, ..., C-1, 0, ...` and
    a grid with one column per class. Files are named with the 1-based epoch
    (like `ModelCheckpoint`); TensorBoard images use the 0-based epoch as
    step (like Keras' `TensorBoard` scalars), so they line up with the loss
    curves.

    Args:
        out_dir: directory for the PNGs (created if needed).
        every: save after every `every`-th epoch.
        num_samples: images per grid.
        seed: seed of the fixed noise.
        tensorboard_dir: if given, also write `tf.summary.image` events
            there (works on every backend; TensorFlow is a dependency).
        ncols: grid columns; default one per class for conditional models,
            else a square.
        scale: screen pixels per image pixel.
        filename: pattern for the PNG names, formatted with `epoch`.
        ema: a `GeneratorEMA` callback; if given, grids show the averaged
            generator.

    Attributes:
        paths: the PNG paths written so far.
        noise: the fixed latent vectors.

    Example:

    >>> gan.fit(data, epochs=10, callbacks=[SampleGrid("out/samples", every=2)])
    >>> sorted(os.listdir("out/samples"))[:2]
    ['samples_0002.png', 'samples_0004.png']
    """

    def __init__(
        self,
        out_dir,
        every=1,
        num_samples=64,
        seed=0,
        tensorboard_dir=None,
        ncols=None,
        scale=4,
        filename="samples_{epoch:04d}.png",
        ema=None,
    ):
        super().__init__()
        self.out_dir = os.fspath(out_dir)
        self.every = _check_every(every)
        self.num_samples = int(num_samples)
        self.seed = seed
        self.tensorboard_dir = tensorboard_dir
        self.ncols = ncols
        self.scale = scale
        self.filename = filename
        self.ema = ema
        self.paths = []
        self.noise = None
        self._labels = None
        self._writer = None

    def on_train_begin(self, logs=None):
        _require_generative(self.model, "SampleGrid")
        if self.noise is None or self.noise.shape[1] != int(self.model.latent_dim):
            self.noise, self._labels = _fixed_noise(self.model, self.num_samples, self.seed)
        os.makedirs(self.out_dir, exist_ok=True)

    def sample(self):
        """Generate the grid's images from the fixed noise (numpy, [-1, 1])."""
        from keras_gans.evaluation.metrics import sample_images

        if self.noise is None:
            self.noise, self._labels = _fixed_noise(self.model, self.num_samples, self.seed)
        context = self.ema.swapped(self.model) if self.ema is not None else contextlib.nullcontext()
        with context:
            return sample_images(self.model, self.noise, self._labels)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        samples = self.sample()
        ncols = self.ncols
        num_classes = getattr(self.model, "num_classes", None)
        if ncols is None and num_classes:
            ncols = int(num_classes)
        path = os.path.join(self.out_dir, self.filename.format(epoch=epoch + 1))
        images_lib.save_grid(samples, path, ncols=ncols, scale=self.scale, title=f"epoch {epoch + 1}")
        self.paths.append(path)
        if self.tensorboard_dir:
            self._write_tensorboard(images_lib.make_grid(samples, ncols=ncols), epoch)

    def _write_tensorboard(self, grid, step):
        import tensorflow as tf

        if self._writer is None:
            self._writer = tf.summary.create_file_writer(os.fspath(self.tensorboard_dir))
        with self._writer.as_default():
            write_image_summary("samples", grid, step)
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.flush()


# --------------------------------------------------------------------------
# Metrics during training.
# --------------------------------------------------------------------------


class GANMetrics(keras.callbacks.Callback):
    """Compute FID/KID (and optionally more) into the epoch logs.

    The real set is summarised once (at the first evaluation). Every
    evaluation generates `num_samples` images from the same seeded noise, so
    changes between epochs come from the generator, not from the sampling.
    Keys state the protocol: with the default digits extractor they are
    `fid_digits`, `kid_digits` and `kid_digits_std` (see
    `keras_gans.evaluation.evaluate_generator`).

    Metrics are computed after the first epoch and then after every
    `every`-th epoch. With `fill="last"` (the default) the other epochs carry
    the last computed values, so that `CSVLogger` (which fixes its columns
    at the first epoch) keeps the columns and every row has a value; note
    that `EarlyStopping` then counts a carried value as "no improvement", so
    give it a `patience` of at least `every`, and `mode="min"` (Keras cannot
    infer the direction of a key it does not know). With `fill=None` the
    keys are only present on evaluated epochs.

    Args:
        real_images: reference images (n, H, W, C) in [-1, 1], or an
            iterable of batches (held-out data gives an honest score).
        every: evaluate every `every` epochs.
        num_samples: generated images per evaluation.
        extractor: see `keras_gans.evaluation.get_extractor` (default: the
            digits classifier).
        metrics: any of `"fid"`, `"kid"`, `"precision_recall"`, `"is"`,
            `"coverage"` (the last two need an extractor with
            `predict_proba`, such as the digits classifier).
        batch_size: images per batch.
        seed: seed of the generated noise.
        kid_subsets, kid_subset_size: KID subsets.
        fill: `"last"` or None; see above.
        prefix: prepended to every key (e.g. `"ema_"`).
        ema: a `GeneratorEMA`; if given, the averaged generator is measured.
        verbose: print the values after each evaluation.

    Attributes:
        results: list of `(epoch, dict)` for every evaluation.

    Example:

    >>> x_test = keras_gans.datasets.load_digits(split="test")
    >>> history = gan.fit(data, epochs=20, callbacks=[
    ...     GANMetrics(x_test, every=5, num_samples=1000),
    ...     keras.callbacks.CSVLogger("log.csv")])
    >>> history.history["fid_digits"]
    """

    def __init__(
        self,
        real_images,
        every=1,
        num_samples=1000,
        extractor=None,
        metrics=("fid", "kid"),
        batch_size=256,
        seed=0,
        kid_subsets=100,
        kid_subset_size=1000,
        fill="last",
        prefix="",
        ema=None,
        verbose=False,
    ):
        super().__init__()
        if fill not in ("last", None):
            raise ValueError(f"fill must be 'last' or None; received {fill!r}.")
        self.real_images = real_images
        self.every = _check_every(every)
        self.num_samples = int(num_samples)
        self.extractor = extractor
        self.metrics = tuple(metrics)
        self.batch_size = int(batch_size)
        self.seed = seed
        self.kid_subsets = kid_subsets
        self.kid_subset_size = kid_subset_size
        self.fill = fill
        self.prefix = prefix
        self.ema = ema
        self.verbose = verbose
        self.results = []
        self._real = None
        self._last = None

    def _due(self, epoch):
        return epoch == 0 or (epoch + 1) % self.every == 0

    def evaluate(self):
        """Measure the current generator now; returns the metrics dict."""
        from keras_gans.evaluation import features, metrics

        _require_generative(self.model, "GANMetrics")
        extractor = features.get_extractor(self.extractor)
        self.extractor = extractor
        classifier = extractor if callable(getattr(extractor, "predict_proba", None)) else None
        if not ({"is", "coverage"} & set(self.metrics)):
            classifier = None
        if self._real is None:
            self._real = metrics.summarize(
                self.real_images, extractor, None, self.batch_size, None
            )
        context = self.ema.swapped(self.model) if self.ema is not None else contextlib.nullcontext()
        with context:
            fake = metrics.summarize(
                self.model, extractor, classifier, self.batch_size,
                self.num_samples, seed=self.seed,
                is_splits=int(np.clip(self.num_samples // 1000, 1, 10)),
            )
        return metrics.metrics_from_summaries(
            self._real,
            fake,
            features.extractor_name(extractor),
            features.extractor_name(classifier) if classifier is not None else None,
            metrics=self.metrics,
            num_subsets=self.kid_subsets,
            subset_size=self.kid_subset_size,
            seed=self.seed,
        )

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            logs = {}
        if self._due(epoch):
            results = self.evaluate()
            self.results.append((epoch, results))
            self._last = {self.prefix + k: v for k, v in _scalar_logs(results).items()}
            logs.update(self._last)
            if self.verbose:
                shown = ", ".join(f"{k}={v:.4g}" for k, v in self._last.items())
                print(f"GANMetrics epoch {epoch + 1}: {shown}")
        elif self.fill == "last" and self._last:
            logs.update(self._last)


# --------------------------------------------------------------------------
# Exponential moving average of the generator.
# --------------------------------------------------------------------------


class GeneratorEMA(keras.callbacks.Callback):
    """Exponential moving average of the generator's weights.

    After each training step `ema = decay * ema + (1 - decay) * weights` for
    the generator's trainable weights; non-trainable ones (batch-norm
    statistics, seed states) are copied. Until `start_step` optimizer steps
    have run the average simply tracks the weights. With `update_every=k`
    the average is updated every k steps as `ema = decay**k * ema +
    (1 - decay**k) * weights`, which is the same average when the weights
    move little within k steps.

    The average lives outside the model, as backend tensors (on the
    accelerator under JAX/TF-GPU), so it is not part of the train state and
    not touched by the optimizer or by `model.save()`. Under JAX, `fit()`
    keeps the current weights out of the model's variables during an epoch;
    each update first calls `model.jax_state_sync()` to write them back
    (reading the variables without it would see stale or purged values).
    That costs a hand-over of the train state per update (the next step
    fetches it again), which is why `update_every` exists; on TensorFlow
    the variables are always current and an update is a few tensor ops.
    The step count follows the batch index Keras reports, so
    `steps_per_execution > 1` is accounted for.

    Use the average for sampling and export with `apply_to(model)` /
    `restore(model)` or the `swapped(model)` context manager, or let
    `swap_on_end=True` leave the averaged weights in the generator when
    training ends (`restore()` brings the raw weights back; note that a
    further `fit()` would then continue from the averaged weights).

    Args:
        decay: averaging factor per step, in [0, 1).
        start_step: optimizer steps before averaging begins.
        update_every: steps between updates.
        swap_on_end: put the averaged weights into the generator at the end
            of `fit()`.

    Attributes:
        step: optimizer steps seen (across `fit()` calls).

    Example:

    >>> ema = GeneratorEMA(decay=0.999)
    >>> gan.fit(data, epochs=10, callbacks=[ema])
    >>> with ema.swapped(gan):
    ...     images = gan.generate(64)
    >>> ema.apply_to(gan); gan.generator.export("generator_ema")
    """

    def __init__(self, decay=0.999, start_step=0, update_every=1, swap_on_end=False):
        super().__init__()
        if not 0.0 <= float(decay) < 1.0:
            raise ValueError(f"decay must be in [0, 1); received {decay!r}.")
        if int(update_every) < 1:
            raise ValueError(f"update_every must be >= 1; received {update_every!r}.")
        self.decay = float(decay)
        self.start_step = int(start_step)
        self.update_every = int(update_every)
        self.swap_on_end = swap_on_end
        self.step = 0
        self._updated_at = 0
        self._last_batch = -1
        self._ema = None
        self._backup = None

    # -- bookkeeping -----------------------------------------------------

    def _variables(self, model=None):
        generator = _generator_of(model if model is not None else self.model)
        return generator.trainable_weights, generator.non_trainable_weights

    def reset(self):
        """Forget the average; it restarts from the weights at the next step."""
        self._ema = None
        self.step = 0
        self._updated_at = 0

    def _initialize(self):
        trainable, frozen = self._variables()
        self._ema = [keras.ops.copy(v.value) for v in trainable + frozen]
        self._num_trainable = len(trainable)
        self._updated_at = self.step

    def _matches(self):
        trainable, frozen = self._variables()
        vs = trainable + frozen
        return self._ema is not None and len(vs) == len(self._ema) and all(
            tuple(v.shape) == tuple(e.shape) for v, e in zip(vs, self._ema)
        )

    def update(self):
        """Fold the weights of the steps since the last update into the average."""
        pending = self.step - self._updated_at
        if pending <= 0 or self._ema is None:
            return
        _sync_jax_state(self.model)
        trainable, frozen = self._variables()
        if self.step <= self.start_step:
            self._ema = [keras.ops.copy(v.value) for v in trainable + frozen]
        else:
            k = self.step - max(self._updated_at, self.start_step)
            alpha = self.decay**k
            averaged = [
                keras.ops.add(
                    keras.ops.multiply(e, alpha),
                    keras.ops.multiply(keras.ops.cast(v.value, e.dtype), 1.0 - alpha),
                )
                for e, v in zip(self._ema[: len(trainable)], trainable)
            ]
            self._ema = averaged + [keras.ops.copy(v.value) for v in frozen]
        self._updated_at = self.step

    # -- callback hooks ----------------------------------------------------

    def on_train_begin(self, logs=None):
        if not self._matches():
            self._initialize()

    def on_epoch_begin(self, epoch, logs=None):
        self._last_batch = -1

    def on_train_batch_end(self, batch, logs=None):
        self.step += max(1, batch - self._last_batch)
        self._last_batch = batch
        if self.step - self._updated_at >= self.update_every:
            self.update()

    def on_epoch_end(self, epoch, logs=None):
        self.update()

    def on_train_end(self, logs=None):
        self.update()
        if self.swap_on_end:
            self.apply_to(self.model)

    # -- using the average -----------------------------------------------

    @property
    def ema_weights(self):
        """The averaged generator weights as numpy arrays.

        In the order of `generator.weights`, so that
        `generator.set_weights(ema.ema_weights)` works.
        """
        self._require()
        trainable, frozen = self._variables()
        by_id = {id(v): e for v, e in zip(trainable + frozen, self._ema)}
        generator = _generator_of(self.model)
        return [keras.ops.convert_to_numpy(by_id[id(v)]) for v in generator.weights]

    def _require(self):
        if self._ema is None:
            raise ValueError(
                "GeneratorEMA has no average yet; pass it to fit(callbacks=...) "
                "first (or call set_model() and on_train_begin())."
            )

    def apply_to(self, model=None):
        """Put the averaged weights into `model.generator` (default: the fitted model).

        The raw weights are kept so that `restore()` can bring them back.

        Args:
            model: the GAN whose generator receives the average.
        """
        self._require()
        model = model if model is not None else self.model
        _sync_jax_state(model)
        trainable, frozen = self._variables(model)
        variables = trainable + frozen
        if len(variables) != len(self._ema):
            raise ValueError(
                f"The averaged weights ({len(self._ema)} arrays) do not match "
                f"this generator ({len(variables)} weights)."
            )
        self._backup = [keras.ops.copy(v.value) for v in variables]
        for v, e in zip(variables, self._ema):
            v.assign(e)

    def restore(self, model=None):
        """Put back the raw weights saved by `apply_to()`.

        Args:
            model: the GAN given to `apply_to()`.
        """
        if self._backup is None:
            raise ValueError("restore() called without a preceding apply_to().")
        model = model if model is not None else self.model
        trainable, frozen = self._variables(model)
        for v, b in zip(trainable + frozen, self._backup):
            v.assign(b)
        self._backup = None

    @contextlib.contextmanager
    def swapped(self, model=None):
        """Context manager: averaged weights inside, raw weights after.

        Example:

        >>> with ema.swapped(gan):
        ...     images = gan.generate(16)
        """
        model = model if model is not None else self.model
        if model is self.model:
            self.update()
        self.apply_to(model)
        try:
            yield model
        finally:
            self.restore(model)


# --------------------------------------------------------------------------
# Mode collapse.
# --------------------------------------------------------------------------


def _mean_pairwise_distance(x):
    x = np.asarray(x, dtype="float64").reshape(len(x), -1)
    n = len(x)
    if n < 2:
        raise ValueError(f"Need at least 2 images for a diversity measure; received {n}.")
    norms = np.einsum("ij,ij->i", x, x)
    d2 = np.maximum(norms[:, None] + norms[None, :] - 2.0 * x @ x.T, 0.0)
    return float(np.sqrt(d2).sum() / (n * (n - 1)))


class ModeCollapseMonitor(keras.callbacks.Callback):
    """Warn (and optionally stop) when samples lose diversity or classes.

    Two signals, computed after the first epoch and then every `every`
    epochs on `num_samples` images from fixed noise:

    - `sample_diversity`: the mean pairwise L2 distance between generated
      images divided by the same quantity for real images (pixel space).
      Around 1 for a healthy generator; near 0 when the samples collapse
      onto a few images. Checked against `min_diversity`.
    - `class_share_min_<c>`: the share of the least frequent class among the
      samples according to a classifier (default the digits classifier when
      `min_class_share` is given). Checked against `min_class_share`; a
      fair share is `1 / num_classes`.

    The values go into the logs (so History and CSVLogger record them; other
    epochs carry the last value). A breach issues a `ModeCollapseWarning` and,
    with `stop=True`, sets `model.stop_training`.

    Args:
        min_diversity: threshold for `sample_diversity`, or None to skip.
            Needs `real_images`.
        min_class_share: threshold for the least frequent class's share, or
            None to skip.
        classifier: object with `predict_proba`, `"digits"`, or None
            (`"digits"` is used when `min_class_share` is set).
        stop: stop training on a breach.
        real_images: reference images (n, H, W, C) in [-1, 1] for the
            diversity ratio.
        every: check every `every` epochs.
        num_samples: generated images per check.
        seed: seed of the fixed noise.

    Attributes:
        alarms: list of `(epoch, message)` for every breach.

    Example:

    >>> monitor = ModeCollapseMonitor(min_diversity=0.3, min_class_share=0.03,
    ...                               real_images=x_train, stop=True)
    >>> gan.fit(data, epochs=50, callbacks=[monitor])
    """

    def __init__(
        self,
        min_diversity=0.25,
        min_class_share=None,
        classifier=None,
        stop=False,
        real_images=None,
        every=1,
        num_samples=256,
        seed=0,
    ):
        super().__init__()
        if min_diversity is not None and real_images is None:
            raise ValueError(
                "min_diversity is relative to the real data's diversity; pass "
                "real_images= (an array (n, H, W, C) in [-1, 1]) or set "
                "min_diversity=None."
            )
        if min_diversity is None and min_class_share is None:
            raise ValueError("Set min_diversity, min_class_share, or both.")
        if min_class_share is not None and classifier is None:
            classifier = "digits"
        self.min_diversity = min_diversity
        self.min_class_share = min_class_share
        self.classifier = classifier
        self.stop = stop
        self.real_images = real_images
        self.every = _check_every(every)
        self.num_samples = int(num_samples)
        self.seed = seed
        self.alarms = []
        self._real_diversity = None
        self._last = None

    def _resolve_classifier(self):
        if isinstance(self.classifier, str):
            from keras_gans.evaluation.features import get_extractor

            self.classifier = get_extractor(self.classifier)
        if self.classifier is not None and not callable(
            getattr(self.classifier, "predict_proba", None)
        ):
            raise TypeError(
                "classifier must have predict_proba(images); received "
                f"{type(self.classifier).__name__}."
            )
        return self.classifier

    def check(self):
        """Measure the current generator; returns `(values, problems)`."""
        from keras_gans.evaluation.features import extractor_name
        from keras_gans.evaluation.metrics import sample_images

        _require_generative(self.model, "ModeCollapseMonitor")
        z, labels = _fixed_noise(self.model, self.num_samples, self.seed)
        samples = sample_images(self.model, z, labels)
        values, problems = {}, []
        if self.min_diversity is not None:
            if self._real_diversity is None:
                real = np.asarray(self.real_images, dtype="float32")
                rng = np.random.default_rng(self.seed)
                pick = rng.choice(len(real), min(len(real), self.num_samples), replace=False)
                self._real_diversity = _mean_pairwise_distance(real[pick])
            diversity = _mean_pairwise_distance(samples) / max(self._real_diversity, 1e-12)
            values["sample_diversity"] = diversity
            if diversity < self.min_diversity:
                problems.append(
                    f"sample diversity {diversity:.3g} (mean pairwise distance "
                    f"relative to real data) is below min_diversity={self.min_diversity}"
                )
        classifier = self._resolve_classifier()
        if classifier is not None:
            probs = classifier.predict_proba(samples)
            counts = np.bincount(np.argmax(probs, axis=1), minlength=probs.shape[1])
            shares = counts / counts.sum()
            tag = extractor_name(classifier)
            values[f"class_share_min_{tag}"] = float(shares.min())
            values[f"classes_covered_{tag}"] = float(np.sum(counts > 0))
            if self.min_class_share is not None and shares.min() < self.min_class_share:
                rare = [int(c) for c in np.flatnonzero(shares < self.min_class_share)]
                problems.append(
                    f"classes {rare} each make up less than min_class_share="
                    f"{self.min_class_share} of {len(samples)} samples (least: "
                    f"{shares.min():.3g})"
                )
        return values, problems

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            logs = {}
        if not (epoch == 0 or (epoch + 1) % self.every == 0):
            if self._last:
                logs.update(self._last)
            return
        values, problems = self.check()
        self._last = values
        logs.update(values)
        if problems:
            message = (
                f"Possible mode collapse after epoch {epoch + 1}: "
                + "; ".join(problems)
                + (". Stopping training (stop=True)." if self.stop else ".")
            )
            self.alarms.append((epoch, message))
            warnings.warn(ModeCollapseWarning(message), stacklevel=2)
            if self.stop:
                self.model.stop_training = True


# --------------------------------------------------------------------------
# Divergence.
# --------------------------------------------------------------------------


class DivergenceGuard(keras.callbacks.Callback):
    """Stop on a non-finite or exploding loss and restore the last good weights.

    Checks the monitored losses after every batch (and every epoch). A NaN or
    infinite value stops training at once; a value whose magnitude exceeds
    `max_loss` for `patience` consecutive batches stops it too. On a stop the
    guard issues a `DivergenceWarning` that names the loss, its value, the
    epoch and batch, and (with `restore=True`) puts back the model's weights
    and optimizer state from the last good snapshot.

    Snapshots (numpy copies of `model.weights` and `model.optimizer.variables`)
    are taken when training begins and at the end of every epoch whose losses
    were good; with `snapshot_every=N` also every N batches (under JAX each
    such snapshot first calls `model.jax_state_sync()`).

    Args:
        max_loss: magnitude above which a loss counts as exploding (None:
            only non-finite values stop).
        patience: consecutive exploding batches tolerated before stopping.
        monitor: log keys to watch; default every key containing "loss"
            (`d_loss`, `g_loss`, ...).
        restore: restore the last good weights on a stop.
        snapshot_every: also snapshot every N batches (None: epochs only).
        verbose: also print the message.

    Attributes:
        diverged: True after a stop.
        message: the stop message, or None.
        stopped_epoch: 0-based epoch of the stop, or None.

    Example:

    >>> guard = DivergenceGuard(max_loss=1e3, patience=5)
    >>> gan.fit(data, epochs=100, callbacks=[guard])
    >>> guard.diverged, guard.message
    """

    def __init__(
        self,
        max_loss=1e4,
        patience=5,
        monitor=None,
        restore=True,
        snapshot_every=None,
        verbose=True,
    ):
        super().__init__()
        if max_loss is not None and not float(max_loss) > 0:
            raise ValueError(f"max_loss must be positive or None; received {max_loss!r}.")
        if int(patience) < 1:
            raise ValueError(f"patience must be >= 1; received {patience!r}.")
        self.max_loss = None if max_loss is None else float(max_loss)
        self.patience = int(patience)
        self.monitor = [monitor] if isinstance(monitor, str) else monitor
        self.restore = restore
        self.snapshot_every = snapshot_every
        self.verbose = verbose
        self.diverged = False
        self.message = None
        self.stopped_epoch = None
        self._snapshot = None
        self._snapshot_at = None
        self._bad = 0
        self._epoch = 0

    # -- snapshots -------------------------------------------------------

    def _take_snapshot(self, where):
        model = self.model
        weights = [keras.ops.convert_to_numpy(v.value) for v in model.weights]
        optimizer = getattr(model, "optimizer", None)
        opt_vars = None
        if optimizer is not None:
            opt_vars = [keras.ops.convert_to_numpy(v.value) for v in optimizer.variables]
        self._snapshot = (weights, opt_vars)
        self._snapshot_at = where

    def _restore_snapshot(self):
        if self._snapshot is None:
            return "no snapshot was available; the weights were left as they are"
        weights, opt_vars = self._snapshot
        model = self.model
        for v, w in zip(model.weights, weights):
            v.assign(w)
        note = f"restored the weights from {self._snapshot_at}"
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and opt_vars is not None:
            if len(optimizer.variables) == len(opt_vars):
                for v, w in zip(optimizer.variables, opt_vars):
                    v.assign(w)
                note += " (with the optimizer state)"
            else:
                note += " (the optimizer state changed shape and was not restored)"
        return note

    # -- checks ----------------------------------------------------------

    def _monitored(self, logs):
        keys = self.monitor or [k for k in logs if "loss" in k]
        out = []
        for key in keys:
            if key not in logs:
                continue
            try:
                out.append((key, float(np.asarray(logs[key]))))
            except (TypeError, ValueError):
                continue
        return out

    def _problem(self, logs):
        exploding = None
        for key, value in self._monitored(logs):
            if not math.isfinite(value):
                return f"{key} = {value} is not finite"
            if self.max_loss is not None and abs(value) > self.max_loss:
                exploding = (key, value)
        if exploding is None:
            self._bad = 0
            return None
        self._bad += 1
        if self._bad >= self.patience:
            key, value = exploding
            return (
                f"|{key}| = {abs(value):.4g} exceeded max_loss={self.max_loss:g} "
                f"for {self._bad} consecutive checks"
            )
        return None

    def _stop(self, problem, where):
        _sync_jax_state(self.model)
        self.model.stop_training = True
        self.diverged = True
        self.stopped_epoch = self._epoch
        note = self._restore_snapshot() if self.restore else "the weights were left as they are (restore=False)"
        self.message = (
            f"DivergenceGuard stopped training at {where}: {problem}; {note}."
        )
        if self.verbose:
            print(self.message)
        warnings.warn(DivergenceWarning(self.message), stacklevel=2)

    # -- callback hooks --------------------------------------------------

    def on_train_begin(self, logs=None):
        self.diverged = False
        self.message = None
        self.stopped_epoch = None
        self._bad = 0
        self._take_snapshot("the start of training")

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.diverged:
            return
        problem = self._problem(logs or {})
        where = f"epoch {self._epoch + 1}, batch {batch + 1}"
        if problem:
            self._stop(problem, where)
        elif self.snapshot_every and (batch + 1) % int(self.snapshot_every) == 0 and self._bad == 0:
            _sync_jax_state(self.model)
            self._take_snapshot(f"the end of {where}")

    def on_epoch_end(self, epoch, logs=None):
        if self.diverged:
            return
        problem = None
        for key, value in self._monitored(logs or {}):
            if not math.isfinite(value):
                problem = f"the epoch mean of {key} = {value} is not finite"
        if problem:
            self._stop(problem, f"the end of epoch {epoch + 1}")
        elif self._bad == 0:
            self._take_snapshot(f"the end of epoch {epoch + 1}")
