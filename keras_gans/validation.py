"""Checks on user data, run before any training starts.

Every check raises `ValueError` with a message that says what was received
and what was expected.
"""

import types
import warnings

import numpy as np

def _describe(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def check_images(x, image_shape=None, name="images"):
    """Check that `x` is a batch of images ready for a GAN and return it.

    A GAN's generator ends in `tanh`, so real images must be float in
    [-1, 1] with shape `(n, height, width, channels)`. Training on unscaled
    pixels does not fail; it just never learns. This check turns that silent
    failure into a clear error.

    Args:
        x: array-like (numpy array, tensor, nested list) of images.
        image_shape: optional `(height, width, channels)` the images must
            have; an entry of `None` matches any size on that axis.
        name: what to call `x` in error messages, e.g. `"real images"`.

    Returns:
        `x` as a float32 numpy array (a copy only when a conversion is needed).

    Raises:
        ValueError: if `x` is empty, not 4-D, does not match `image_shape`,
            is uint8, is not numeric, has NaN or infinite values, or has
            values outside [-1, 1].

    Example:

    >>> check_images(np.zeros((2, 8, 8, 1)), (8, 8, 1)).dtype
    dtype('float32')
    """
    x = np.asarray(x)
    if x.size == 0:
        raise ValueError(
            f"`{name}` is empty (shape {x.shape}); expected at least one image "
            "of shape (height, width, channels)."
        )
    if x.ndim != 4:
        hint = ""
        if x.ndim == 3:
            hint = " For grayscale images add a channel axis: x[..., None]."
        raise ValueError(
            f"`{name}` must be 4-D (n, height, width, channels); received shape "
            f"{x.shape} ({x.ndim}-D).{hint}"
        )
    if image_shape is not None:
        expected = tuple(image_shape)
        received = tuple(x.shape[1:])
        if len(expected) != 3 or any(
            e is not None and e != r for e, r in zip(expected, received)
        ):
            raise ValueError(
                f"`{name}` have shape {received} per image; expected {expected} "
                "(height, width, channels)."
            )
    if x.dtype == np.uint8:
        raise ValueError(
            f"`{name}` are uint8; expected float values in [-1, 1]. This looks "
            "like unscaled pixels in [0, 255]; divide by 127.5 and subtract 1, "
            "or use keras_gans.datasets.load."
        )
    if not (np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.integer)):
        raise ValueError(
            f"`{name}` have dtype {x.dtype}; expected float values in [-1, 1]."
        )
    x = x.astype("float32", copy=False)
    finite = np.isfinite(x)
    if not finite.all():
        bad = int(x.size - np.count_nonzero(finite))
        raise ValueError(
            f"`{name}` contain {bad} non-finite value(s) (NaN or infinity) out of "
            f"{x.size}; expected finite values in [-1, 1]."
        )
    lo, hi = float(x.min()), float(x.max())
    if lo < -1.0 or hi > 1.0:
        raise _range_error(name, lo, hi)
    return x


def _range_error(name, lo, hi):
    message = (
        f"`{name}` must have values in [-1, 1]; received values in "
        f"[{lo:.6g}, {hi:.6g}]."
    )
    if lo >= 0 and 2 <= hi <= 255:
        message += (
            " This looks like unscaled pixels in [0, 255]; divide by 127.5 and "
            "subtract 1, or use keras_gans.datasets.load."
        )
    return ValueError(message)


def check_training_data(x, image_shape, name="training images"):
    """Check what `fit()` received, inspecting at most one batch.

    Accepts numpy arrays (and tuples whose first element is one), `tf.data`
    datasets, `keras.utils.PyDataset`s, and the first batch of a Python
    generator taken by `peek` (wrapped in `Peeked`). Warns when the images
    lie in [0, 1] rather than [-1, 1].

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
    if not isinstance(x, np.ndarray) and np.ndim(images) == len(image_shape):
        raise ValueError(
            f"The {name} arrive one image at a time (element shape "
            f"{np.shape(images)}); fit() needs batches of shape "
            f"{_describe((None,) + tuple(image_shape))}. Call .batch(batch_size) "
            "on the dataset."
        )
    images = check_images(images, image_shape, name)
    warn_zero_one(images, name)


def warn_zero_one(images, name="training images"):
    """Warn when images lie in [0, 1] rather than [-1, 1].

    Such images pass the range check, but the generator's `tanh` covers
    [-1, 1]: the discriminator then tells real from fake by the negative
    pixels alone.

    Example:

    >>> warn_zero_one(np.full((2, 8, 8, 1), 0.5))  # warns
    """
    images = np.asarray(images)
    if images.size and float(images.min()) >= 0.0 and float(images.max()) <= 1.0:
        warnings.warn(
            f"The {name} have values in [{float(images.min()):.3g}, "
            f"{float(images.max()):.3g}], inside [0, 1]; a GAN's generator "
            "makes images in [-1, 1]. Rescale them with 2 * x - 1 (or load "
            "them with keras_gans.datasets.load).",
            UserWarning,
            stacklevel=3,
        )


def peek(x):
    """The first batch of a Python generator, and a generator yielding all.

    `fit()` accepts Python generators; to check one before training without
    losing its first batch, take the batch and chain it back in front.

    Args:
        x: anything `fit()` accepts.

    Returns:
        `(first, x)`: for a Python generator, its first batch (as numpy;
        None when it is empty) and a new generator yielding that batch and
        then the rest; otherwise `(_UNINSPECTABLE, x)` unchanged.

    Example:

    >>> first, gen = peek(b for b in [np.zeros((2, 8, 8, 1))])
    >>> first.shape, len(list(gen))
    ((2, 8, 8, 1), 1)
    """
    if not isinstance(x, types.GeneratorType):
        return _UNINSPECTABLE, x
    try:
        first = next(x)
    except StopIteration:
        return None, x

    def chained(first=first, rest=x):
        yield first
        yield from rest

    import keras

    return keras.tree.map_structure(np.asarray, first), chained()


_UNINSPECTABLE = object()


class Peeked:
    """The first batch of a Python generator, as `check_training_data` reads it.

    Example:

    >>> first, gen = peek(my_generator); check_training_data(Peeked(first), (8, 8, 1))
    """

    def __init__(self, first):
        self.first = first


def first_batch(x):
    """The first batch of `x` as numpy (nest), None if empty, or a sentinel.

    Example:

    >>> first_batch(np.zeros((3, 2))).shape
    (3, 2)

    Arrays are returned whole (empty ones too, for `check_images` to
    describe); datasets give their first batch, or None when they are empty.
    """
    if isinstance(x, Peeked):
        return x.first
    if isinstance(x, np.ndarray):
        return x
    if isinstance(x, (tuple, list)) and x and isinstance(x[0], np.ndarray):
        return tuple(np.asarray(v) for v in x)
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


#: Architecture arguments that must be positive integers, in every family.
POSITIVE_INTS = (
    "latent_dim", "width", "kernel_size", "num_classes", "embedding_dim", "pieces",
)
#: Architecture arguments that must be non-empty sequences of positive integers.
POSITIVE_INT_SEQUENCES = ("generator_units", "discriminator_units")


def check_positive_int(name, value, allow_none=False):
    """Return `value` as an int, or raise naming the argument.

    Args:
        name: the argument's name, for the message.
        value: the value received.
        allow_none: whether None is accepted (and returned).

    Raises:
        TypeError: not an integer (bools and non-integral floats included).
        ValueError: an integer <= 0.

    Example:

    >>> check_positive_int("width", 64)
    64
    """
    if value is None and allow_none:
        return None
    integral = isinstance(value, (int, np.integer)) or (
        isinstance(value, (float, np.floating)) and float(value).is_integer()
    )
    if isinstance(value, (bool, np.bool_)) or not integral:
        raise TypeError(
            f"{name} must be a positive integer; received {value!r} "
            f"({type(value).__name__})."
        )
    if int(value) <= 0:
        raise ValueError(f"{name} must be a positive integer; received {value!r}.")
    return int(value)


def _plain(value):
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def canonical_architecture(architecture):
    """Check and normalise a family's architecture arguments.

    Lists become tuples, numpy scalars Python ones; `image_shape` must be
    three positive ints; the names in `POSITIVE_INTS` must be positive
    integers (`embedding_dim` may be None). The result is what `get_config`
    writes, so a config round trip is exact.

    Raises:
        TypeError, ValueError: naming the argument, what was received and
            what was expected.

    Example:

    >>> canonical_architecture({"image_shape": [8, 8, 1], "width": 16})
    {'image_shape': (8, 8, 1), 'width': 16}
    """
    arch = {key: _plain(value) for key, value in architecture.items()}
    if "image_shape" in arch:
        shape = arch["image_shape"]
        if not isinstance(shape, tuple) or len(shape) != 3:
            raise ValueError(
                "image_shape must be (height, width, channels); received "
                f"{architecture['image_shape']!r}."
            )
        arch["image_shape"] = tuple(
            check_positive_int("image_shape entries", d) for d in shape
        )
    for key in POSITIVE_INTS:
        if key in arch:
            arch[key] = check_positive_int(key, arch[key], allow_none=key == "embedding_dim")
    for key in POSITIVE_INT_SEQUENCES:
        if key in arch:
            value = arch[key]
            if not isinstance(value, tuple) or not value:
                raise TypeError(
                    f"{key} must be a non-empty sequence of positive integers, "
                    f"e.g. (256, 512); received {architecture[key]!r}."
                )
            arch[key] = tuple(check_positive_int(f"{key} entries", v) for v in value)
    if "dropout" in arch:
        dropout = arch["dropout"]
        if isinstance(dropout, bool) or not isinstance(dropout, (int, float)) or not (
            0.0 <= dropout < 1.0
        ):
            raise ValueError(f"dropout must be a float in [0, 1); received {dropout!r}.")
    return arch


def check_nonnegative_number(name, value):
    """Return `value` as a float, or raise naming the argument.

    Raises:
        ValueError: a bool, a non-number, NaN, infinity or a negative value.

    Example:

    >>> check_nonnegative_number("gamma", 1)
    1.0
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.floating, np.integer)
    ) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0; received {value!r}.")
    return float(value)
