"""The 1,797 handwritten 8x8 digits scikit-learn bundles: offline data.

They need no network, so they are the default for the demo, the tests and the
quality benchmark.
"""

import numpy as np

from keras_gans.datasets.pipeline import (
    _check_image_size,
    _check_positive_int,
    _check_seed,
    _finish,
    _tf,
)

# The train/test split of the digits is fixed forever: held-out digits must
# stay held out no matter which `seed` a run shuffles with.
_DIGITS_SPLIT_SEED = 1797
_DIGITS_SPLITS = ("train", "test", "all")




def _digits_arrays(split, image_size, test_fraction):
    """The digits of one split in their canonical (original) order."""
    if split not in _DIGITS_SPLITS:
        raise ValueError(
            f"`split` must be one of {list(_DIGITS_SPLITS)} for the digits; "
            f"received {split!r}."
        )
    if isinstance(test_fraction, bool) or not isinstance(
        test_fraction, (float, int, np.floating, np.integer)
    ) or not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(
            f"`test_fraction` must be a number strictly between 0 and 1; "
            f"received {test_fraction!r}."
        )
    image_size = _check_image_size(image_size, allow_none=False)

    from sklearn.datasets import load_digits as sklearn_load_digits
    from sklearn.model_selection import train_test_split

    bunch = sklearn_load_digits()
    # Pixels are integers 0..16: 0 -> -1 and 16 -> +1 exactly.
    x = (bunch.images.astype("float32") / 8.0 - 1.0)[..., None]
    y = bunch.target.astype("int32")

    if split != "all":
        train_idx, test_idx = train_test_split(
            np.arange(len(y)),
            test_size=float(test_fraction),
            stratify=y,
            random_state=_DIGITS_SPLIT_SEED,
        )
        idx = np.sort(train_idx if split == "train" else test_idx)
        x, y = x[idx], y[idx]

    if image_size != x.shape[1:3]:
        x = _resize_numpy(x, image_size)
    return x, y


def _resize_numpy(x, image_size):
    tf = _tf()
    resized = tf.image.resize(x, image_size, method="bilinear", antialias=True)
    return np.clip(resized.numpy(), -1.0, 1.0).astype("float32")


def load_digits(
    image_size=(8, 8),
    with_labels=False,
    split="train",
    batch_size=None,
    shuffle=True,
    seed=0,
    test_fraction=0.2,
    drop_remainder=False,
):
    """Load the 1,797 handwritten digits bundled with scikit-learn.

    Works offline. The 8x8 grayscale digits have integer pixels 0..16, which
    map linearly onto [-1, 1] (0 -> -1, 16 -> 1). The train/test split is
    stratified by class and fixed: it does not depend on `seed`, so the test
    digits of one run are never the training digits of another.

    Args:
        image_size: `(height, width)` of the returned images, or one integer
            for a square. Sizes other than 8x8 are resized bilinearly
            (`tf.image.resize`, antialiased) and clipped to [-1, 1].
        with_labels: if True, also return the class labels (int32, 0..9).
        split: `"train"`, `"test"` or `"all"` (all 1,797 digits).
        batch_size: None to return numpy arrays; a positive integer to return
            a batched, prefetched `tf.data.Dataset`.
        shuffle: whether to shuffle. For numpy output the examples are
            permuted once with `seed`; a Dataset is reshuffled each epoch
            from `seed`. With `shuffle=False` the order is the original one.
        seed: integer seed for shuffling only.
        test_fraction: fraction of each class held out as the test split,
            strictly between 0 and 1 (0.2 gives 1,437 train / 360 test).
        drop_remainder: with a `batch_size`, drop the last incomplete batch.

    Returns:
        With `batch_size=None`: `x`, a float32 array of shape
        `(n, height, width, 1)`, or `(x, y)` with `y` an int32 array of shape
        `(n,)`. With a `batch_size`: a `tf.data.Dataset` yielding batches of
        `x` or `(x, y)`.

    Example:

    >>> x = load_digits()
    >>> x.shape, x.dtype, float(x.min()), float(x.max())
    ((1437, 8, 8, 1), dtype('float32'), -1.0, 1.0)
    >>> ds = load_digits(image_size=(28, 28), with_labels=True, batch_size=64)
    >>> ds.element_spec[0].shape.as_list()
    [None, 28, 28, 1]
    """
    batch_size = _check_positive_int(batch_size, "batch_size")
    seed = _check_seed(seed)
    x, y = _digits_arrays(split, image_size, test_fraction)
    if batch_size is None:
        if shuffle:
            order = np.random.default_rng(seed).permutation(len(x))
            x, y = x[order], y[order]
        return (x, y) if with_labels else x
    tf = _tf()
    ds = tf.data.Dataset.from_tensor_slices((x, y) if with_labels else x)
    return _finish(ds, len(x), batch_size, shuffle, seed, drop_remainder)
