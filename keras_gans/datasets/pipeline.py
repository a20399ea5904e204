"""The tf.data pipeline every source shares, and the argument checks.

Each source module (`digits`, `idx`, `tfds`, `folders`, `arrays`) gives an
unbatched dataset of raw elements and a per-element transform; `load` then
runs `_finish` (shuffle, transform, batch, prefetch). `_image_transform`
turns one raw image into float32 in [-1, 1] at its final shape.

TensorFlow and tensorflow-datasets are imported lazily (`_tf`, `_tfds`), so
that importing the package (for `validate_images`, say) stays cheap under the
JAX backend.
"""

import numpy as np

from keras_gans import validation

# Shuffle buffers for streamed (tfds) data are capped both in examples and in
# bytes, so that a CelebA buffer does not take gigabytes of memory.
_MAX_SHUFFLE_EXAMPLES = 10_000
_MAX_SHUFFLE_BYTES = 256 * 1024 * 1024


def _tf():
    import tensorflow as tf

    return tf


def _tfds():
    import tensorflow_datasets as tfds

    return tfds


# --------------------------------------------------------------------------
# Argument checks shared by the public functions.


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _check_image_size(image_size, allow_none=True):
    if image_size is None:
        if allow_none:
            return None
        raise ValueError("`image_size` is required; expected (height, width).")
    if _is_int(image_size):
        image_size = (image_size, image_size)
    try:
        size = tuple(image_size)
    except TypeError:
        size = None
    if size is None or len(size) != 2 or not all(_is_int(s) and s > 0 for s in size):
        raise ValueError(
            "`image_size` must be (height, width) with two positive integers, "
            f"or one positive integer for a square; received {image_size!r}."
        )
    return (int(size[0]), int(size[1]))


def _check_positive_int(value, arg, allow_none=True):
    if value is None and allow_none:
        return None
    if not _is_int(value) or value <= 0:
        expected = "a positive integer" + (" or None" if allow_none else "")
        raise ValueError(f"`{arg}` must be {expected}; received {value!r}.")
    return int(value)


def _check_channels(channels):
    if channels is not None and (not _is_int(channels) or channels not in (1, 3)):
        raise ValueError(
            f"`channels` must be 1 (grayscale), 3 (RGB) or None (keep the source's); "
            f"received {channels!r}."
        )
    return channels


def _check_seed(seed):
    if not _is_int(seed):
        raise ValueError(f"`seed` must be an integer; received {seed!r}.")
    return int(seed)


# --------------------------------------------------------------------------
# validate_images


def validate_images(x, image_shape=None, name="images"):
    """Check that `x` is a batch of images ready for a GAN and return it.

    The same check `fit()` runs (`keras_gans.validation.check_images`):
    float images in [-1, 1] of shape (n, height, width, channels); empty,
    wrongly shaped, uint8, non-finite or out-of-range input raises a
    `ValueError` that says what was received and what was expected.

    Args:
        x: array-like of images.
        image_shape: optional `(height, width, channels)`; `None` entries
            match any size.
        name: what to call `x` in error messages.

    Returns:
        `x` as a float32 numpy array.

    Example:

    >>> validate_images(np.zeros((2, 8, 8, 1)), image_shape=(8, 8, 1)).dtype
    dtype('float32')
    """
    return validation.check_images(x, image_shape, name)


# --------------------------------------------------------------------------
# Digits


# --------------------------------------------------------------------------
# tf.data plumbing


def _finish(ds, buffer_size, batch_size, shuffle, seed, drop_remainder, preprocess=None):
    """Shuffle, preprocess, batch and prefetch, in that order."""
    tf = _tf()
    if shuffle:
        ds = ds.shuffle(max(1, int(buffer_size)), seed=seed, reshuffle_each_iteration=True)
    if preprocess is not None:
        ds = ds.map(preprocess, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    if batch_size is not None:
        ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    return ds.prefetch(tf.data.AUTOTUNE)


def _image_transform(in_shape, in_dtype, image_size, channels, crop=None):
    """Build a TF function: one image -> float32 in [-1, 1], final shape.

    `in_shape` is the static (height, width, channels) of a source image,
    with None for unknown sizes. Returns `(fn, out_shape)`.
    """
    tf = _tf()
    in_h, in_w, in_c = in_shape
    if in_c is None:
        raise ValueError(
            f"The images have an unknown number of channels (shape "
            f"{tuple(in_shape)}); pass `channels=1` or `channels=3`."
        )
    out_c = in_c if channels is None else channels
    if out_c != in_c and in_c not in (1, 2, 3, 4):
        raise ValueError(
            f"Cannot convert images with {in_c} channels to {channels}; "
            "expected 1, 2, 3 or 4 source channels (gray, gray+alpha, RGB, RGBA)."
        )
    if image_size is None:
        if crop is not None:
            out_hw = (crop, crop)
        elif in_h is None or in_w is None:
            raise ValueError(
                "The images have no fixed size (height x width = "
                f"{in_h} x {in_w}); pass `image_size=(height, width)` so they "
                "can be batched."
            )
        else:
            out_hw = (in_h, in_w)
    else:
        out_hw = tuple(image_size)
    needs_resize = image_size is not None and (
        crop is not None or (in_h, in_w) != out_hw
    )
    uint8 = in_dtype == tf.uint8

    def transform(image):
        if crop is not None:
            image = tf.image.resize_with_crop_or_pad(image, crop, crop)
        image = tf.cast(image, tf.float32)
        if uint8:
            image = image / 127.5 - 1.0
        if out_c != in_c:
            # Drop alpha, then convert between gray and RGB.
            image = image[..., :1] if in_c in (1, 2) else image[..., :3]
            if out_c == 3 and in_c in (1, 2):
                image = tf.image.grayscale_to_rgb(image)
            elif out_c == 1 and in_c in (3, 4):
                image = tf.image.rgb_to_grayscale(image)
        if needs_resize:
            image = tf.image.resize(image, out_hw, method="bilinear", antialias=True)
        image = tf.clip_by_value(image, -1.0, 1.0)
        return tf.ensure_shape(image, (out_hw[0], out_hw[1], out_c))

    return transform, (out_hw[0], out_hw[1], out_c)


def _with_labels(transform):
    """Lift an image transform to `(image, label)` elements."""

    def transform_pair(image, label):
        return transform(image), label

    return transform_pair


def _shuffle_buffer(image_shape, num_examples=None):
    h, w, c = (s or 256 for s in image_shape)
    by_bytes = max(1, _MAX_SHUFFLE_BYTES // (h * w * c))
    buffer = min(_MAX_SHUFFLE_EXAMPLES, by_bytes)
    if num_examples is not None:
        buffer = min(buffer, num_examples)
    return buffer
