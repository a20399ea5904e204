"""The embedded digits the "digits" classifier trains and is checked on,
and where the zoo's helper classifiers are cached on disk
(`$KERAS_GANS_CACHE`, else `~/.cache/keras_gans`). Importable from
`keras_gans.evaluation.digits` and `keras_gans.evaluation` too.

Example:

>>> from keras_gans.evaluation.digits_data import load_digits_split
>>> x, y, source = load_digits_split("train")
>>> x.shape[1:]
(8, 8, 1)
"""

import os

import numpy as np

DIGITS_IMAGE_SIZE = (8, 8)
_DIGITS_CACHE_VERSION = 1


def default_cache_dir():
    """Directory for cached helper models.

    Returns:
        `$KERAS_GANS_CACHE` if set, else `~/.cache/keras_gans`.

    Example:

    >>> os.environ["KERAS_GANS_CACHE"] = "/tmp/kg"; default_cache_dir()
    '/tmp/kg'
    """
    env = os.environ.get("KERAS_GANS_CACHE")
    if env:
        return os.path.expanduser(env)
    return os.path.join(os.path.expanduser("~"), ".cache", "keras_gans")


def digits_cache_path(cache_dir=None, epochs=20, seed=0):
    """The cache file a `DigitsClassifier` with these settings uses.

    Args:
        cache_dir: default `default_cache_dir()`.
        epochs, seed: the classifier's training settings.

    Returns:
        The path of the `.npz` file (which may not exist yet).

    Example:

    >>> os.path.basename(digits_cache_path("/tmp/kg"))
    'digits_classifier_v1_e20_s0.npz'
    """
    cache_dir = os.path.expanduser(cache_dir) if cache_dir else default_cache_dir()
    return os.path.join(
        cache_dir, f"digits_classifier_v{_DIGITS_CACHE_VERSION}_e{int(epochs)}_s{int(seed)}.npz"
    )


def load_digits_split(split):
    """Embedded 8x8 digits in [-1, 1] with labels, for the classifier.

    Uses `keras_gans.datasets.load_digits` (the project's canonical split)
    when that module exists; otherwise falls back to scikit-learn's
    `load_digits` with a stratified 80/20 split (`random_state=0`). The
    classifier's cache records which source trained it and is rebuilt when
    the source changes.

    Args:
        split: `"train"`, `"test"` or `"all"`.

    Returns:
        `(images, labels, source)`: float32 (n, 8, 8, 1) in [-1, 1], int
        labels (n,), and a string naming the data source.

    Example:

    >>> x, y, source = load_digits_split("test")
    >>> x.shape, source
    ((360, 8, 8, 1), 'keras_gans.datasets')
    """
    if split not in ("train", "test", "all"):
        raise ValueError(
            f"split must be 'train', 'test' or 'all'; received {split!r}."
        )
    try:
        from keras_gans.datasets import load_digits  # noqa: PLC0415
    except ModuleNotFoundError as e:
        if e.name not in ("keras_gans.datasets", "keras_gans"):
            raise
        load_digits = None
    if load_digits is not None:
        x, y = load_digits(image_size=DIGITS_IMAGE_SIZE, with_labels=True, split=split)
        x = np.asarray(x, "float32").reshape(-1, 8, 8, 1)
        return x, np.asarray(y).astype("int64"), "keras_gans.datasets"

    from sklearn.datasets import load_digits as sk_load_digits
    from sklearn.model_selection import train_test_split

    data = sk_load_digits()
    x = (data.images.astype("float32") / 8.0 - 1.0)[..., None]
    y = data.target.astype("int64")
    if split == "all":
        return x, y, "sklearn-80/20-seed0"
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, y, test_size=0.2, random_state=0, stratify=y
    )
    if split == "train":
        return x_tr, y_tr, "sklearn-80/20-seed0"
    return x_te, y_te, "sklearn-80/20-seed0"
