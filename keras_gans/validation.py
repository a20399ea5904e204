"""Checks on user data, run before any training starts.

Every check raises `ValueError` with a message that says what was received
and what was expected.
"""

import numpy as np

_TOLERANCE = 1e-3


def _describe(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def check_images(images, image_shape=None, name="images"):
    """Check a batch of images and return it as a float32 numpy array.

    Args:
        images: array-like of shape (n, H, W, C) with values in [-1, 1].
        image_shape: the expected (H, W, C), or None to skip that check.
        name: how to call the array in messages.

    Returns:
        The images as float32.

    Raises:
        ValueError: empty, wrong rank or shape, unscaled uint8 pixels,
            non-finite values or values outside [-1, 1].

    Example:

    >>> check_images(np.zeros((2, 8, 8, 1)), (8, 8, 1)).dtype
    dtype('float32')
    """
    array = np.asarray(images)
    check_image_spec(array.shape, array.dtype, image_shape, name)
    if array.shape[0] == 0:
        raise ValueError(f"The {name} are empty: received shape {array.shape}.")
    check_image_values(array, name)
    return array.astype("float32", copy=False)


def check_image_spec(shape, dtype, image_shape=None, name="images"):
    """Check a batch's shape and dtype (no values needed).

    Example:

    >>> check_image_spec((None, 8, 8, 1), "float32", (8, 8, 1))
    """
    shape = tuple(shape)
    dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    if dtype == np.uint8:
        raise ValueError(
            f"The {name} are uint8 pixels in [0, 255]; the models expect "
            "float images scaled to [-1, 1]. Divide by 127.5 and subtract 1, "
            "or load data with keras_gans.datasets.load()."
        )
    if not (np.issubdtype(dtype, np.floating) or np.issubdtype(dtype, np.integer)):
        raise ValueError(
            f"The {name} have dtype {dtype}; expected float images in [-1, 1]."
        )
    if len(shape) != 4:
        expected = (
            f"(batch, {image_shape[0]}, {image_shape[1]}, {image_shape[2]})"
            if image_shape
            else "(batch, height, width, channels)"
        )
        raise ValueError(
            f"The {name} must be a 4-D batch {expected}; received shape "
            f"{_describe(shape)}."
        )
    if image_shape is not None:
        expected = tuple(image_shape)
        got = shape[1:]
        if any(g is not None and g != e for g, e in zip(got, expected)):
            raise ValueError(
                f"The {name} have shape {_describe(got)} per image but the model "
                f"expects {_describe(expected)} (height, width, channels)."
            )


def check_image_values(array, name="images"):
    """Check that values are finite and in [-1, 1].

    Example:

    >>> check_image_values(np.array([0.5, -1.0]))
    """
    array = np.asarray(array)
    if array.size == 0:
        raise ValueError(f"The {name} are empty: received shape {array.shape}.")
    finite = np.isfinite(array)
    if not finite.all():
        bad = int(array.size - finite.sum())
        raise ValueError(
            f"The {name} contain {bad} non-finite value(s) (NaN or inf); "
            "expected finite values in [-1, 1]."
        )
    low, high = float(array.min()), float(array.max())
    if low < -1 - _TOLERANCE or high > 1 + _TOLERANCE:
        hint = ""
        if high > 1.5 and low >= 0:
            hint = (
                " They look like unscaled pixels in [0, 255]: divide by 127.5 "
                "and subtract 1, or load data with keras_gans.datasets.load()."
            )
        raise ValueError(
            f"The {name} have values in [{low:g}, {high:g}]; expected values "
            f"in [-1, 1].{hint}"
        )


def check_training_data(x, image_shape, name="training images"):
    """Check what `fit()` received, inspecting at most one batch.

    Accepts numpy arrays (and tuples whose first element is one), `tf.data`
    datasets, and `keras.utils.PyDataset`s. Python generators are not
    inspected (doing so would consume them).

    Example:

    >>> check_training_data(np.zeros((4, 8, 8, 1)), (8, 8, 1))
    """
    if x is None:
        raise ValueError(
            "fit() received no training data (x=None); expected images of "
            f"shape (n, {image_shape[0]}, {image_shape[1]}, {image_shape[2]})."
        )
    first = first_batch(x)
    if first is _UNINSPECTABLE:
        return
    if first is None:
        raise ValueError(
            f"The {name} are empty: the dataset yielded no batch. Expected "
            f"batches of images of shape {_describe((None,) + tuple(image_shape))}."
        )
    images = first[0] if isinstance(first, (tuple, list)) else first
    if isinstance(images, dict):
        raise ValueError(
            f"The {name} arrived as a dict with keys {sorted(images)}; expected "
            "an image batch, or a tuple (images, labels)."
        )
    check_images(images, image_shape, name)


_UNINSPECTABLE = object()


def first_batch(x):
    """The first batch of `x` as numpy (nest), None if empty, or a sentinel.

    Example:

    >>> first_batch(np.zeros((3, 2))).shape
    (3, 2)
    """
    if isinstance(x, np.ndarray):
        return x if len(x) else None
    if isinstance(x, (tuple, list)) and x and isinstance(x[0], np.ndarray):
        return tuple(np.asarray(v) for v in x) if len(x[0]) else None
    try:
        import tensorflow as tf
    except ImportError:  # pragma: no cover
        tf = None
    if tf is not None and isinstance(x, tf.data.Dataset):
        if int(x.cardinality()) == 0:
            return None
        for batch in x.take(1):
            return tf.nest.map_structure(lambda t: t.numpy(), batch)
        return None
    import keras

    if isinstance(x, keras.utils.PyDataset):
        if len(x) == 0:
            return None
        batch = x[0]
        return tuple(np.asarray(v) for v in batch) if isinstance(
            batch, (tuple, list)) else np.asarray(batch)
    if hasattr(x, "shape") and hasattr(x, "dtype"):
        array = np.asarray(x)
        return array if len(array) else None
    return _UNINSPECTABLE
