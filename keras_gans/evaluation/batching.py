"""Batching helpers the feature extractors share: image-batch checks and
fixed-size batches (so a compiled network sees few distinct shapes).

Example:

>>> from keras_gans.evaluation.batching import as_image_batch
>>> as_image_batch(np.zeros((2, 8, 8)), "features").shape
(2, 8, 8, 1)
"""

import numpy as np


def to_numpy(x, dtype=None):
    """A model output (backend tensor or array) as a numpy array.

    Goes through `keras_gans.backend.to_numpy`: `np.asarray` of a torch
    tensor warns under numpy 2 (its `__array__` takes no `copy` argument)
    and fails on one that requires gradients.

    Example:

    >>> to_numpy(keras.ops.ones((2,)), "float32")
    array([1., 1.], dtype=float32)
    """
    from keras_gans import backend

    array = backend.to_numpy(x)
    return array if dtype is None else array.astype(dtype, copy=False)

def as_image_batch(images, who):
    """Return float32 numpy images of shape (n, H, W, C), checking the range.

    `who` names the caller in the error for a wrong shape or range.

    Example:

    >>> as_image_batch(np.zeros((2, 8, 8)), "features").shape
    (2, 8, 8, 1)
    """
    import keras

    if not isinstance(images, np.ndarray):
        images = keras.ops.convert_to_numpy(images)
    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            f"{who} expects a batch of images of shape (n, H, W, C) or "
            f"(n, H, W); received an array of shape {images.shape}."
        )
    if images.shape[-1] not in (1, 3):
        raise ValueError(
            f"{who} expects images with 1 (grey) or 3 (RGB) channels; "
            f"received shape {images.shape} ({images.shape[-1]} channels)."
        )
    if images.size:
        lo, hi = float(np.min(images)), float(np.max(images))
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError(f"{who} received images with NaN or inf values.")
        if lo < -1.5 or hi > 1.5:
            raise ValueError(
                f"{who} expects images with values in [-1, 1]; received "
                f"values in [{lo:.3g}, {hi:.3g}]. Scale uint8 pixels with "
                "`images / 127.5 - 1`."
            )
    return images


def bucket(n, batch_size):
    """Smallest power of two >= n, capped at batch_size (limits recompiles).

    Example:

    >>> bucket(5, 256), bucket(1000, 256)
    (8, 256)
    """
    size = 1
    while size < n:
        size *= 2
    return min(size, batch_size)


def map_batches(fn, images, batch_size, pad=False):
    """Apply `fn` (numpy batch -> array or tuple of arrays) over batches.

    With `pad=True` the last, smaller batch is zero-padded to a power-of-two
    bucket so compiled functions (JAX, tf.function) see few distinct shapes.
    Returns a tuple with one concatenated array per output of `fn`.

    Example:

    >>> map_batches(lambda b: b.sum(axis=(1, 2, 3)), np.ones((5, 2, 2, 1)), 4)[0].shape
    (5,)
    """
    outputs = None
    n = len(images)
    for start in range(0, n, batch_size):
        batch = images[start : start + batch_size]
        size = len(batch)
        if pad:
            padded = bucket(size, batch_size)
            if padded > size:
                filler = np.zeros((padded - size,) + batch.shape[1:], batch.dtype)
                batch = np.concatenate([batch, filler], axis=0)
        result = fn(batch)
        if not isinstance(result, tuple):
            result = (result,)
        result = tuple(to_numpy(r)[:size] for r in result)
        if outputs is None:
            outputs = tuple([] for _ in result)
        for store, r in zip(outputs, result):
            store.append(r)
    if outputs is None:
        return None
    return tuple(np.concatenate(store, axis=0) for store in outputs)


# --------------------------------------------------------------------------
# Pixels.
# --------------------------------------------------------------------------


