"""numpy arrays `x` or `(x, y)` as a source for `load`."""

import numpy as np

from keras_gans.datasets.pipeline import _image_transform, _tf, _with_labels


def _arrays_dataset(source, with_labels, image_size, channels, limit):
    """numpy `x` or `(x, y)` -> (unbatched dataset of raw elements, transform)."""
    tf = _tf()
    if isinstance(source, tuple):
        if len(source) != 2:
            raise ValueError(
                "A tuple source must be (x, y) with two arrays; received a tuple "
                f"of length {len(source)}."
            )
        x, y = source
    else:
        x, y = source, None
    x = np.asarray(x)
    if x.size == 0:
        raise ValueError(
            f"The image array is empty (shape {x.shape}); expected at least one "
            "image of shape (height, width) or (height, width, channels)."
        )
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4:
        raise ValueError(
            "Image arrays must have shape (n, height, width) or (n, height, "
            f"width, channels); received shape {x.shape}."
        )
    if x.dtype == np.uint8:
        pass  # scaled from [0, 255] in the pipeline
    elif np.issubdtype(x.dtype, np.floating):
        if not np.isfinite(x).all():
            raise ValueError(
                "The image array contains NaN or infinite values; expected "
                "finite floats in [-1, 1]."
            )
        lo, hi = float(x.min()), float(x.max())
        if lo < -1.0 or hi > 1.0:
            raise ValueError(
                "Float image arrays must already be scaled to [-1, 1]; received "
                f"min {lo:.6g} and max {hi:.6g}. Pass uint8 pixels in [0, 255] "
                "to have them scaled, or scale floats yourself "
                "(x / 127.5 - 1 for [0, 255])."
            )
        x = x.astype("float32", copy=False)
    else:
        raise ValueError(
            f"Image arrays must be uint8 pixels in [0, 255] or floats in [-1, 1]; "
            f"received dtype {x.dtype}."
        )

    if with_labels:
        if y is None:
            raise ValueError(
                "`with_labels=True` needs labels: pass `name=(x, y)` instead of "
                "an image array alone."
            )
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1 or len(y) != len(x):
            raise ValueError(
                f"Labels must have shape ({len(x)},), one integer per image; "
                f"received shape {y.shape} for {len(x)} images."
            )
        if not np.issubdtype(y.dtype, np.integer):
            raise ValueError(
                f"Labels must be integers; received dtype {y.dtype}."
            )
        y = y.astype("int32")

    if limit is not None:
        x = x[:limit]
        y = y[:limit] if y is not None else None
    transform, out_shape = _image_transform(
        x.shape[1:], tf.as_dtype(x.dtype), image_size, channels
    )
    if with_labels:
        ds = tf.data.Dataset.from_tensor_slices((x, y))
        return ds, _with_labels(transform), len(x)
    return tf.data.Dataset.from_tensor_slices(x), transform, len(x)
