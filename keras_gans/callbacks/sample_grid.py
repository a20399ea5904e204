"""`SampleGrid`: a PNG grid (and a TensorBoard image) from fixed noise."""

import contextlib
import os

import keras
import numpy as np

from keras_gans import images as images_lib
from keras_gans.callbacks._common import (
    _check_every,
    _require_generative,
)


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

    The noise is drawn once, with the model's `sample_inputs(num_samples,
    seed)`, so grids from different epochs (or runs with the same seed) show
    the same latent points. Conditional models get the labels
    `sample_inputs` draws (`0, 1, ..., C-1, 0, ...`) and a grid with one
    column per class. Files are named with the 1-based epoch
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
        _require_generative(self.model, "SampleGrid", sampling=True)
        if self.noise is None or self.noise.shape[1] != int(self.model.latent_dim):
            self.noise, self._labels = self.model.sample_inputs(self.num_samples, seed=self.seed)
        os.makedirs(self.out_dir, exist_ok=True)

    def sample(self):
        """Generate the grid's images from the fixed noise (numpy, [-1, 1])."""
        from keras_gans.evaluation.metrics import sample_images

        if self.noise is None:
            self.noise, self._labels = self.model.sample_inputs(self.num_samples, seed=self.seed)
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
