"""Image data for GANs: every source becomes float32 images in [-1, 1].

A GAN generator ends in `tanh`, so the real images the discriminator sees must
live in the same range. This module turns each kind of source into that form:

- `load_digits`: the 1,797 handwritten 8x8 digits that scikit-learn bundles.
  They need no network, so they are the default for the demo, the tests and
  the quality benchmark. Returns numpy arrays or a `tf.data.Dataset`.
- `load`: one entry point for every source, returning a shuffled, batched,
  prefetched `tf.data.Dataset`: `"digits"`, a tensorflow-datasets name
  (`"mnist"`, `"fashion_mnist"`, `"cifar10"`, `"celeb_a"`, or any other tfds
  image dataset), a folder of PNG/JPEG files (optionally one sub-folder per
  class), or numpy arrays `x` / `(x, y)`.
- `load_idx` / `read_idx`: the IDX files MNIST and Fashion-MNIST are
  distributed in (gzipped or not), from a folder; `find_local` says where a
  local copy of `"mnist"` or `"fashion_mnist"` is, so `load` reads it before
  asking tensorflow-datasets to download anything.
- `validate_images`: a numpy-level check other modules run on images before
  training, with messages that say what was received and what was expected.
- `list_datasets`: the names `load` knows without asking tensorflow-datasets.

Images always come out with shape `(n, H, W, C)` (a channel axis is added to
grayscale sources) and labels, when asked for, as int32.

TensorFlow and tensorflow-datasets are imported lazily, so that importing
this module (for `validate_images`, say) stays cheap under the JAX backend.
The pipelines themselves are `tf.data`, which Keras accepts on every backend.
"""

import difflib
import fnmatch
import gzip
import os
import re
import socket
import zlib

import numpy as np

from keras_gans import validation

__all__ = [
    "DATA_ENV",
    "find_idx_files",
    "find_local",
    "list_datasets",
    "load",
    "load_digits",
    "load_idx",
    "read_idx",
    "validate_images",
]

# The train/test split of the digits is fixed forever: held-out digits must
# stay held out no matter which `seed` a run shuffles with.
_DIGITS_SPLIT_SEED = 1797
_DIGITS_SPLITS = ("train", "test", "all")

# tensorflow-datasets names we document and test (with tfds mock data).
# Any other tfds image dataset name works too.
_CURATED_TFDS = {
    "mnist": "70,000 handwritten digits, 28x28x1, 10 classes",
    "fashion_mnist": "70,000 clothing images, 28x28x1, 10 classes",
    "cifar10": "60,000 natural images, 32x32x3, 10 classes",
    "celeb_a": "202,599 face images, 218x178x3, no class label "
    "(center-cropped to 108x108 before resizing)",
}
_OFFLINE = {"digits": "1,797 handwritten digits bundled with scikit-learn, 8x8x1, 10 classes"}

# CelebA convention from DCGAN: take the central 108x108 face crop, then
# resize to the requested size.
_CELEBA_CROP = 108

_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")

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


# --------------------------------------------------------------------------
# IDX files (MNIST, Fashion-MNIST) and local copies of them

# Where a user puts local copies: `$KERAS_GANS_DATA/<name>/` (or the folder
# itself, if it holds the IDX files directly).
DATA_ENV = "KERAS_GANS_DATA"

# Folder names a data set's IDX files go by, in the order they are tried.
_IDX_FOLDERS = {
    "mnist": ("mnist", "MNIST"),
    "fashion_mnist": ("fashion_mnist", "fashion-mnist", "FashionMNIST"),
}
# Debian/Ubuntu: `apt install dataset-fashion-mnist` installs the four .gz
# files into /usr/share/datasets/fashion-mnist (checked with `dpkg -c` on
# dataset-fashion-mnist 0.0~git20200523.55506a9-1). Debian has no MNIST
# package; the same layout is tried for one installed by hand.
_SYSTEM_DIRS = {
    "mnist": ("/usr/share/datasets/mnist",),
    "fashion_mnist": ("/usr/share/datasets/fashion-mnist",),
}
_IDX_SPLITS = ("train", "test", "all")
# train-images-idx3-ubyte.gz, t10k-labels.idx1-ubyte, train-images-idx3-ubyte
_IDX_FILE = re.compile(
    r"^(?P<split>train|t10k)-(?P<kind>images|labels)[-.]idx(?P<ndim>[13])-ubyte(?:\.gz)?$"
)
# IDX type codes (the third byte of the magic number) -> big-endian dtypes.
_IDX_DTYPES = {
    0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8"),
}
# Host the tensorflow-datasets MNIST download comes from (a quick reachability
# probe, so that an offline machine fails in seconds, not after retries).
_DOWNLOAD_PROBE = ("storage.googleapis.com", 443)
_idx_memo = {}


def read_idx(path):
    """Read one IDX file (gzipped or not) into a numpy array.

    IDX is the format MNIST and Fashion-MNIST are distributed in: a 4-byte
    magic number (two zero bytes, a type code, the number of dimensions), one
    big-endian uint32 per dimension, then the values. A gzip file is
    recognised by its first bytes, whatever its name.

    Args:
        path: path of the file.

    Returns:
        A numpy array with the file's shape, in native byte order (uint8 for
        MNIST's images `(n, 28, 28)` and labels `(n,)`).

    Raises:
        ValueError: for a truncated, corrupt or non-IDX file, naming the file,
            what was found and what was expected.

    Example:

    >>> x = read_idx("data/mnist/t10k-images-idx3-ubyte.gz")
    >>> x.shape, x.dtype
    ((10000, 28, 28), dtype('uint8'))
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise ValueError(f"Cannot read the IDX file {path!r}: {e}.") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as e:
            raise ValueError(
                f"The IDX file {path!r} is a damaged or truncated gzip file "
                f"({type(e).__name__}: {e}); expected a complete .gz file. "
                "Download it again."
            ) from None
    if len(raw) < 4:
        raise ValueError(
            f"The IDX file {path!r} has {len(raw)} bytes; expected at least a "
            "4-byte header (0x00 0x00, type code, number of dimensions)."
        )
    zero, code, ndim = raw[:2], raw[2], raw[3]
    if zero != b"\x00\x00" or code not in _IDX_DTYPES or not 1 <= ndim <= 4:
        raise ValueError(
            f"{path!r} is not an IDX file: its header starts with bytes "
            f"{raw[:4].hex(' ')}; expected 00 00, a type code in "
            f"{sorted(hex(c) for c in _IDX_DTYPES)} and 1 to 4 dimensions "
            "(e.g. 00 00 08 03 for MNIST images)."
        )
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(
            f"The IDX file {path!r} is truncated inside its header: {len(raw)} "
            f"bytes, expected {header} for {ndim} dimensions."
        )
    shape = tuple(int(d) for d in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    dtype = _IDX_DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(raw) - header
    if found != expected:
        what = "truncated" if found < expected else "longer than its header says"
        raise ValueError(
            f"The IDX file {path!r} is {what}: its header declares shape "
            f"{shape} ({expected:,} bytes of {dtype.name}) but {found:,} bytes "
            "follow the header. Download it again."
        )
    array = np.frombuffer(raw, dtype, offset=header).reshape(shape)
    return array.astype(dtype.newbyteorder("="), copy=True)


def find_idx_files(folder):
    """The IDX files in `folder`, by split.

    Recognises the standard names, gzipped or not:
    `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
    `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte` (also with a dot
    before `idx`, as some mirrors write them).

    Args:
        folder: a directory.

    Returns:
        `{"train": {"images": path, "labels": path}, "test": {...}}` with the
        splits and kinds present; `{}` when the folder holds no IDX files (or
        does not exist).

    Example:

    >>> sorted(find_idx_files("data/mnist"))
    ['test', 'train']
    """
    folder = os.fspath(folder)
    if not os.path.isdir(folder):
        return {}
    found = {}
    for entry in sorted(os.listdir(folder)):
        match = _IDX_FILE.match(entry)
        if not match or not os.path.isfile(os.path.join(folder, entry)):
            continue
        split = "train" if match["split"] == "train" else "test"
        kind = match["kind"]
        # Prefer an uncompressed file over its .gz twin (sorted: plain first).
        found.setdefault(split, {}).setdefault(kind, os.path.join(folder, entry))
    return found


def _read_idx_memo(path):
    stat = os.stat(path)
    key = (os.path.abspath(path), stat.st_size, stat.st_mtime_ns)
    if key not in _idx_memo:
        while len(_idx_memo) >= 4:  # one data set's four files at most
            _idx_memo.pop(next(iter(_idx_memo)))
        _idx_memo[key] = read_idx(path)
    return _idx_memo[key]


def _idx_split(folder, split):
    files = find_idx_files(folder).get(split, {})
    missing = [k for k in ("images", "labels") if k not in files]
    if missing:
        prefix = "train" if split == "train" else "t10k"
        expected = ", ".join(
            f"{prefix}-{kind}-idx{3 if kind == 'images' else 1}-ubyte[.gz]"
            for kind in missing
        )
        raise ValueError(
            f"The folder {folder!r} has no {split} {' or '.join(missing)} IDX "
            f"file; expected {expected}."
        )
    images = _read_idx_memo(files["images"])
    labels = _read_idx_memo(files["labels"])
    if images.ndim != 3 or images.dtype != np.uint8:
        raise ValueError(
            f"{files['images']!r} holds an array of shape {images.shape} and "
            f"dtype {images.dtype}; expected uint8 images (n, height, width)."
        )
    if labels.ndim != 1 or len(labels) != len(images):
        raise ValueError(
            f"{files['labels']!r} holds labels of shape {labels.shape} for "
            f"{len(images)} images in {files['images']!r}; expected ({len(images)},)."
        )
    return images, labels.astype("int32")


def load_idx(folder, split="train"):
    """Images and labels of one split from a folder of IDX files.

    Args:
        folder: a directory holding `train-*` and/or `t10k-*` IDX files (see
            `find_idx_files`), gzipped or not.
        split: `"train"`, `"test"` (the `t10k` files) or `"all"` (train then
            test).

    Returns:
        `(x, y)`: uint8 images `(n, height, width)` as stored (0..255) and
        int32 labels `(n,)`.

    Raises:
        ValueError: for a missing file, a corrupt or truncated file, or image
            and label files that do not match.

    Example:

    >>> x, y = load_idx("data/fashion-mnist", split="test")
    >>> x.shape, y[:3]
    ((10000, 28, 28), array([9, 2, 1], dtype=int32))
    """
    folder = os.path.expanduser(os.fspath(folder))
    if split not in _IDX_SPLITS:
        raise ValueError(
            f"`split` must be one of {list(_IDX_SPLITS)} for IDX files; "
            f"received {split!r}."
        )
    if not find_idx_files(folder):
        raise ValueError(
            f"The folder {folder!r} holds no IDX files; expected "
            "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
            "t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]."
        )
    if split == "all":
        x_tr, y_tr = _idx_split(folder, "train")
        x_te, y_te = _idx_split(folder, "test")
        return np.concatenate([x_tr, x_te]), np.concatenate([y_tr, y_te])
    return _idx_split(folder, split)


def _tfds_data_dir(data_dir=None):
    if data_dir:
        return os.path.expanduser(os.fspath(data_dir))
    env = os.environ.get("TFDS_DATA_DIR")
    if env:
        return os.path.expanduser(env)
    return os.path.join(os.path.expanduser("~"), "tensorflow_datasets")


def _local_candidates(name, data_dir=None):
    """Folders searched for IDX copies of `name`, in order, with reasons."""
    candidates = []

    def under(root, why):
        root = os.path.expanduser(os.fspath(root))
        candidates.append((root, why))
        for sub in _IDX_FOLDERS[name]:
            candidates.append((os.path.join(root, sub), why))

    if data_dir:
        under(data_dir, "data_dir")
    env = os.environ.get(DATA_ENV)
    if env:
        under(env, f"${DATA_ENV}")
    for folder in _SYSTEM_DIRS[name]:
        candidates.append((folder, "Debian/Ubuntu package folder"))
    tfds_dir = _tfds_data_dir(data_dir)
    for sub in _IDX_FOLDERS[name]:
        candidates.append(
            (os.path.join(tfds_dir, "downloads", "manual", sub), "tfds manual folder")
        )
    return candidates


def find_local(name, data_dir=None):
    """Where a local copy of `"mnist"` or `"fashion_mnist"` is, if any.

    Searched in this order, the first folder holding IDX files winning:

    1. `data_dir` itself, or its sub-folder named after the data set
       (`mnist/`; `fashion_mnist/` or `fashion-mnist/`);
    2. `$KERAS_GANS_DATA` (same layout: the files directly, or one
       sub-folder per data set);
    3. the folder of the Debian/Ubuntu package (`apt install
       dataset-fashion-mnist`): `/usr/share/datasets/fashion-mnist`;
       `/usr/share/datasets/mnist` for MNIST;
    4. tensorflow-datasets' manual folder:
       `<tfds data dir>/downloads/manual/<name>/` (the tfds data dir is
       `data_dir`, `$TFDS_DATA_DIR` or `~/tensorflow_datasets`).

    A tensorflow-datasets copy already prepared in the tfds data dir is not
    reported here: `load` uses it through tensorflow-datasets.

    Args:
        name: `"mnist"` or `"fashion_mnist"`.
        data_dir: an optional folder to look in first.

    Returns:
        The folder's path, or None when no local copy exists.

    Example:

    >>> os.environ["KERAS_GANS_DATA"] = "/data"   # holds mnist/ and fashion-mnist/
    >>> find_local("fashion_mnist")
    '/data/fashion-mnist'
    """
    if name not in _IDX_FOLDERS:
        raise ValueError(
            f"Local IDX copies are looked up for {sorted(_IDX_FOLDERS)}; "
            f"received {name!r}."
        )
    for folder, _ in _local_candidates(name, data_dir):
        if find_idx_files(folder):
            return folder
    return None


def _network_available(timeout=3.0):
    """Whether the tfds download host answers (False when offline)."""
    if os.environ.get("KERAS_GANS_OFFLINE", "").strip() not in ("", "0"):
        return False
    try:
        socket.create_connection(_DOWNLOAD_PROBE, timeout=timeout).close()
        return True
    except OSError:
        return False


def _offline_error(name, data_dir):
    base = name.split("/")[0].split(":")[0]
    message = (
        f"The dataset {name!r} is not on this machine and cannot be downloaded "
        f"(no connection to {_DOWNLOAD_PROBE[0]})."
    )
    if base in _IDX_FOLDERS:
        searched = []
        for folder, why in _local_candidates(base, data_dir):
            if folder not in searched:
                searched.append(folder)
        message += (
            " Put the four IDX files (train-images-idx3-ubyte.gz, "
            "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
            "t10k-labels-idx1-ubyte.gz) in a folder and pass it as "
            f"`data_dir=` (or load(FOLDER)), or set ${DATA_ENV} to a folder "
            f"holding {_IDX_FOLDERS[base][0]}/ with them"
            + (", or `apt install dataset-fashion-mnist`" if base == "fashion_mnist" else "")
            + ". Searched: " + ", ".join(searched) + f"; and the tensorflow-"
            f"datasets data dir {_tfds_data_dir(data_dir)!r}."
        )
    else:
        message += (
            f" Prepare it with tensorflow-datasets on a connected machine and "
            f"copy the data dir, or pass `data_dir=` pointing at a prepared copy "
            f"(searched {_tfds_data_dir(data_dir)!r})."
        )
    return OfflineError(message + " (This machine is offline: nothing was downloaded.)")


class OfflineError(RuntimeError, ValueError):
    """A data set is not on this machine and cannot be downloaded.

    Example:

    >>> isinstance(OfflineError("x"), ValueError)
    True
    """


def _idx_source(folder, split, with_labels, name):
    """An IDX folder as the `(x, y)` / `x` source `_arrays_dataset` takes."""
    if split not in _IDX_SPLITS:
        raise ValueError(
            f"{name} is read from the IDX files in {folder!r}: `split` must be "
            f"one of {list(_IDX_SPLITS)}; received {split!r}."
        )
    x, y = load_idx(folder, split)
    return (x, y) if with_labels else x


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


# --------------------------------------------------------------------------
# Sources for `load`


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


def _list_folder(path):
    """Image files under `path` -> (files, labels or None, class_names)."""

    def images_in(folder, recursive):
        found = []
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(
                os.path.join(root, f)
                for f in sorted(files)
                if f.lower().endswith(_IMAGE_EXTENSIONS) and not f.startswith(".")
            )
            if not recursive:
                break
        return found

    top = images_in(path, recursive=False)
    class_names = sorted(
        d
        for d in os.listdir(path)
        if not d.startswith(".") and os.path.isdir(os.path.join(path, d))
    )
    per_class = [images_in(os.path.join(path, d), recursive=True) for d in class_names]
    if any(per_class):
        if top:
            raise ValueError(
                f"The folder {path!r} has both loose images ({len(top)}, e.g. "
                f"{os.path.basename(top[0])!r}) and class sub-folders "
                f"{class_names}; expected one or the other."
            )
        files, labels = [], []
        for index, class_files in enumerate(per_class):
            files.extend(class_files)
            labels.extend([index] * len(class_files))
        return files, labels, class_names
    if not top:
        raise ValueError(
            f"The folder {path!r} contains no images; expected PNG or JPEG files "
            f"({', '.join(_IMAGE_EXTENSIONS)}) in it or in one sub-folder per "
            "class."
        )
    return top, None, []


def _skip_corrupt(files, labels, folder):
    """Decode every image once, before training; skip (with a warning per
    file, naming it) those that cannot be decoded, so a corrupt file never
    ends an epoch with a traceback."""
    import warnings

    tf = _tf()
    good = []
    for i, file in enumerate(files):
        try:
            tf.io.decode_image(tf.io.read_file(file), expand_animations=False)
        except (tf.errors.OpError, ValueError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            warnings.warn(
                f"Skipping the image {file!r}: it cannot be decoded ({reason}).",
                UserWarning,
                stacklevel=4,
            )
            continue
        good.append(i)
    if not good:
        raise ValueError(
            f"None of the {len(files)} image files in {folder!r} can be decoded; "
            "expected PNG, JPEG, GIF or BMP images."
        )
    kept = [files[i] for i in good]
    return kept, (None if labels is None else [labels[i] for i in good])


def _folder_dataset(path, with_labels, image_size, channels, limit):
    tf = _tf()
    files, labels, class_names = _list_folder(path)
    if with_labels and labels is None:
        raise ValueError(
            f"`with_labels=True` needs one sub-folder per class in {path!r}; "
            "the folder holds its images directly, so there are no labels."
        )
    if limit is not None:
        files = files[:limit]
        labels = labels[:limit] if labels is not None else None
    files, labels = _skip_corrupt(files, labels, path)

    first = tf.io.decode_image(tf.io.read_file(files[0]), expand_animations=False)
    if channels is None:
        channels = 1 if first.shape[-1] in (1, 2) else 3
    if image_size is None:
        image_size = (int(first.shape[0]), int(first.shape[1]))

    def read(file):
        image = tf.io.decode_image(
            tf.io.read_file(file), channels=channels, expand_animations=False
        )
        image = tf.image.resize(image, image_size, method="bilinear", antialias=True)
        image = tf.clip_by_value(image / 127.5 - 1.0, -1.0, 1.0)
        return tf.ensure_shape(image, (image_size[0], image_size[1], channels))

    if with_labels:
        ds = tf.data.Dataset.from_tensor_slices(
            (files, np.asarray(labels, dtype="int32"))
        )

        def transform(file, label):
            return read(file), label

    else:
        ds = tf.data.Dataset.from_tensor_slices(files)
        transform = read
    return ds, transform, len(files)


def _unknown_name_error(name):
    tfds = _tfds()
    base = name.split("/")[0].split(":")[0]
    candidates = list(dict.fromkeys(list(_OFFLINE) + list(_CURATED_TFDS)))
    try:
        candidates += [
            b for b in tfds.list_builders(with_community_datasets=False)
            if b not in candidates
        ]
    except Exception:  # the list is a convenience; the error must still be raised
        pass
    close = difflib.get_close_matches(base.lower(), candidates, n=5, cutoff=0.6)
    message = f"Unknown dataset {name!r}."
    if close:
        message += f" Did you mean: {', '.join(repr(c) for c in close)}?"
    message += (
        f" Known names: {', '.join(repr(n) for n in list_datasets())}; any "
        "tensorflow-datasets image dataset name is also accepted (see "
        "tfds.list_builders()). `name` may also be the path of a folder of "
        "images, a numpy array of images, or a tuple (x, y)."
    )
    if "/" in name or os.sep in name:
        message += f" No folder exists at {os.path.abspath(name)!r} either."
    return ValueError(message)


def _online(timeout=3.0):
    """Whether tfds' download host answers (see `_network_available`)."""
    return _network_available(timeout)


def _download_if_needed(builder, name, data_dir=None):
    """Download and prepare a tfds data set that is not on disk yet.

    Offline, fail at once (tfds itself retries for about 4 minutes); a
    failed download removes the folders it created, so no partial data set
    is left behind.
    """
    import shutil

    if builder.is_prepared():
        return
    prepare = type(builder).download_and_prepare
    if getattr(prepare, "__module__", "").startswith("tensorflow_datasets.testing"):
        return  # tfds.testing.mock_data: nothing is downloaded
    dataset_root = os.path.dirname(os.fspath(builder.data_dir).rstrip("/"))
    data_root = os.path.dirname(dataset_root.rstrip("/"))
    downloads = os.path.join(data_root, "downloads")
    existed = {p: os.path.exists(p) for p in (data_root, dataset_root, downloads)}
    if not _online():
        raise _offline_error(name, data_dir)
    try:
        builder.download_and_prepare()
    except BaseException:
        for path in (downloads, dataset_root, data_root):
            if not existed[path] and os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
        if existed[dataset_root]:
            shutil.rmtree(os.fspath(builder.data_dir), ignore_errors=True)
        raise


def _tfds_dataset(name, split, data_dir, with_labels, image_size, channels, limit, shuffle, seed):
    tfds = _tfds()
    tf = _tf()
    try:
        builder = tfds.builder(name, data_dir=data_dir)
    except tfds.core.DatasetNotFoundError:
        raise _unknown_name_error(name) from None
    except ValueError as error:
        # A string that is not even a well-formed tfds name, e.g. "my data".
        if "Parsing builder name" not in str(error):
            raise
        raise _unknown_name_error(name) from None
    features = builder.info.features
    image_keys = [k for k, f in features.items() if isinstance(f, tfds.features.Image)]
    if not image_keys:
        raise ValueError(
            f"The tensorflow-datasets dataset {name!r} has no image feature; its "
            f"features are {sorted(features.keys())}. Expected an image dataset."
        )
    image_key = "image" if "image" in image_keys else image_keys[0]
    if with_labels and "label" not in features:
        raise ValueError(
            f"The dataset {name!r} has no 'label' feature (its features are "
            f"{sorted(features.keys())}), so `with_labels=True` cannot be "
            "honoured; use with_labels=False."
        )
    base = builder.name
    crop = _CELEBA_CROP if base == "celeb_a" and image_size is not None else None

    _download_if_needed(builder, name, data_dir)
    ds = tfds.load(
        name,
        split=split,
        data_dir=data_dir,
        # With a `limit` the first N examples must be the same N every time.
        shuffle_files=bool(shuffle) and limit is None,
        read_config=tfds.ReadConfig(shuffle_seed=seed),
    )
    image_spec = ds.element_spec[image_key]
    if image_spec.dtype != tf.uint8:
        raise ValueError(
            f"The images of {name!r} have dtype {image_spec.dtype.name}; only uint8 "
            "images are supported."
        )
    if with_labels:
        ds = ds.map(
            lambda ex: (ex[image_key], tf.cast(ex["label"], tf.int32)),
            num_parallel_calls=tf.data.AUTOTUNE,
        )
    else:
        ds = ds.map(lambda ex: ex[image_key], num_parallel_calls=tf.data.AUTOTUNE)
    if limit is not None:
        ds = ds.take(limit)
    in_shape = tuple(image_spec.shape.as_list())
    transform, _ = _image_transform(in_shape, tf.uint8, image_size, channels, crop=crop)
    if with_labels:
        transform = _with_labels(transform)
    return ds, transform, _shuffle_buffer(in_shape, limit)


# --------------------------------------------------------------------------
# Public entry points


def list_datasets(pattern=None):
    """Names that `load` knows without asking tensorflow-datasets.

    `"digits"` works offline; the others are curated tensorflow-datasets
    names that are downloaded on first use. Any other tfds image dataset name,
    a folder path or a numpy array is accepted by `load` as well.

    Args:
        pattern: optional shell-style wildcard, e.g. `"*mnist"`.

    Returns:
        A list of names, offline ones first.

    Example:

    >>> list_datasets()
    ['digits', 'mnist', 'fashion_mnist', 'cifar10', 'celeb_a']
    >>> list_datasets("*mnist")
    ['mnist', 'fashion_mnist']
    """
    names = list(_OFFLINE) + list(_CURATED_TFDS)
    if pattern is not None:
        names = [n for n in names if fnmatch.fnmatch(n, pattern)]
    return names


def load(
    name,
    split="train",
    image_size=None,
    batch_size=64,
    with_labels=False,
    shuffle=True,
    seed=0,
    data_dir=None,
    channels=None,
    limit=None,
    drop_remainder=False,
):
    """Load images as a shuffled, batched `tf.data.Dataset` in [-1, 1].

    One entry point for every kind of source:

    - `"digits"`: the scikit-learn digits (offline), see `load_digits`.
    - a tensorflow-datasets name such as `"mnist"`, `"fashion_mnist"`,
      `"cifar10"`, `"celeb_a"` or any other tfds image dataset (downloaded
      to `data_dir` on first use). For `"celeb_a"` with an `image_size`, the
      central 108x108 crop is resized (the DCGAN convention).
    - `"mnist"` and `"fashion_mnist"` are read from local IDX files when a
      copy exists (see `find_local`: `data_dir`, `$KERAS_GANS_DATA`, the
      Debian package's folder, tfds' manual folder), else from a prepared
      tensorflow-datasets copy, else downloaded; offline with no copy, a
      `RuntimeError` says where to put the files.
    - a path to a folder of IDX files (`train-images-idx3-ubyte.gz`, ...;
      `split` is `"train"`, `"test"` or `"all"`).
    - a path to a folder of PNG/JPEG images, either directly in the folder
      or in one sub-folder per class (labels are the index of the sub-folder
      in sorted order).
    - a numpy array of images `(n, H, W)` or `(n, H, W, C)`, or a tuple
      `(x, y)` with integer labels. uint8 arrays are scaled from [0, 255];
      float arrays must already be in [-1, 1].

    Args:
        name: dataset name, folder path, image array or `(x, y)` tuple.
        split: for `"digits"`: `"train"`, `"test"` or `"all"`; for tfds: any
            tfds split string (`"train"`, `"test[:10%]"`, ...). A folder or
            an array is a single split: only `"train"` or `"all"`.
        image_size: `(height, width)` to resize to (bilinear, antialiased),
            or one integer for a square; None keeps the source size (for a
            folder: the size of its first image).
        batch_size: examples per batch; None yields single examples.
        with_labels: if True, yield `(images, labels)` with int32 labels.
        shuffle: whether to shuffle (reshuffled each epoch, seeded by `seed`).
        seed: integer seed for shuffling.
        data_dir: tensorflow-datasets data directory (tfds names only); for
            `"mnist"`/`"fashion_mnist"` also a folder of IDX files (directly
            or in a `mnist/`, `fashion_mnist/` or `fashion-mnist/` sub-folder).
        channels: 1 or 3 to convert images to grayscale or RGB; None keeps
            the source's channels (for a folder: those of its first image).
        limit: keep only the first `limit` examples (before shuffling).
        drop_remainder: drop the last incomplete batch.

    Returns:
        A `tf.data.Dataset` yielding float32 images of shape
        `(batch, height, width, channels)` in [-1, 1], or `(images, labels)`.

    Raises:
        ValueError: for an unknown name (listing close names), a missing or
            empty folder, a corrupt or truncated IDX file, an empty array,
            floats outside [-1, 1], labels that do not exist, or invalid
            arguments.
        RuntimeError: offline, for a tfds name with no local copy (the
            message lists the folders searched and where to put files).

    Example:

    >>> ds = load("mnist", data_dir="data", split="test")   # data/mnist/*.gz
    >>> ds.element_spec.shape.as_list()
    [None, 28, 28, 1]
    >>> ds = load("digits", image_size=(16, 16), batch_size=32, with_labels=True)
    >>> [s.shape.as_list() for s in ds.element_spec]
    [[None, 16, 16, 1], [None]]
    >>> x = (np.random.rand(10, 28, 28) * 255).astype("uint8")
    >>> load(x, batch_size=4).element_spec.shape.as_list()
    [None, 28, 28, 1]
    """
    image_size = _check_image_size(image_size)
    batch_size = _check_positive_int(batch_size, "batch_size")
    channels = _check_channels(channels)
    limit = _check_positive_int(limit, "limit")
    seed = _check_seed(seed)

    def single_split(kind):
        if split not in ("train", "all"):
            raise ValueError(
                f"{kind} is a single split: `split` must be 'train' or 'all'; "
                f"received {split!r}. Load held-out images from their own "
                f"{'folder' if kind == 'A folder' else 'array'}."
            )

    if isinstance(name, (np.ndarray, tuple)) or (
        hasattr(name, "__array__") and not isinstance(name, (str, bytes))
    ):
        single_split("An array")
        ds, transform, n = _arrays_dataset(name, with_labels, image_size, channels, limit)
        return _finish(ds, n, batch_size, shuffle, seed, drop_remainder, transform)

    if not isinstance(name, (str, os.PathLike)):
        raise TypeError(
            "`name` must be a dataset name, a folder path, a numpy array or a "
            f"tuple (x, y); received an object of type {type(name).__name__}."
        )

    path = os.path.expanduser(os.fspath(name))
    if isinstance(name, os.PathLike) or os.path.exists(path) or _looks_like_path(path):
        if not os.path.exists(path):
            raise ValueError(
                f"The folder {path!r} does not exist (resolved to "
                f"{os.path.abspath(path)!r}); expected a folder of PNG/JPEG "
                "images or a dataset name such as "
                f"{', '.join(repr(n) for n in list_datasets())}."
            )
        if not os.path.isdir(path):
            raise ValueError(
                f"{path!r} is a file; expected a folder of images (or a dataset "
                "name). Put the image in a folder and pass the folder."
            )
        if find_idx_files(path):
            source = _idx_source(path, split, with_labels, repr(path))
            ds, transform, n = _arrays_dataset(source, with_labels, image_size, channels, limit)
            return _finish(ds, n, batch_size, shuffle, seed, drop_remainder, transform)
        single_split("A folder")
        ds, transform, n = _folder_dataset(path, with_labels, image_size, channels, limit)
        return _finish(ds, n, batch_size, shuffle, seed, drop_remainder, transform)

    if name == "digits":
        x, y = _digits_arrays(split, image_size or (8, 8), test_fraction=0.2)
        source = (x, y) if with_labels else x
        ds, transform, n = _arrays_dataset(source, with_labels, None, channels, limit)
        return _finish(ds, n, batch_size, shuffle, seed, drop_remainder, transform)

    if name in _IDX_FOLDERS:
        folder = find_local(name, data_dir)
        if folder is not None:
            source = _idx_source(folder, split, with_labels, repr(name))
            ds, transform, n = _arrays_dataset(source, with_labels, image_size, channels, limit)
            return _finish(ds, n, batch_size, shuffle, seed, drop_remainder, transform)

    ds, transform, buffer = _tfds_dataset(
        name, split, data_dir, with_labels, image_size, channels, limit, shuffle, seed
    )
    return _finish(ds, buffer, batch_size, shuffle, seed, drop_remainder, transform)


def _looks_like_path(name):
    return (
        os.path.isabs(name)
        or name.startswith(("./", "../", "~", ".\\", "..\\"))
        or (os.sep != "/" and os.sep in name)
        or name.lower().endswith(_IMAGE_EXTENSIONS)
    )
