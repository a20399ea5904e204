"""Image data for GANs: every source becomes float32 images in [-1, 1].

A GAN generator ends in `tanh`, so the real images the discriminator sees must
live in the same range. This package turns each kind of source into that form:

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
this package (for `validate_images`, say) stays cheap under the JAX backend.
The pipelines themselves are `tf.data`, which Keras accepts on every backend.

One module per source, all re-exported here: `digits` (embedded, offline),
`idx` (IDX folders and local copies), `tfds` (tensorflow-datasets names,
downloads, offline errors), `folders` (image folders), `arrays` (numpy) and
`pipeline` (the shared tf.data steps and argument checks). `load` picks the
source; every public name stays importable as `keras_gans.datasets.<name>`.
"""

import os

import numpy as np

from keras_gans.datasets.arrays import _arrays_dataset
from keras_gans.datasets.digits import _digits_arrays, load_digits
from keras_gans.datasets.folders import _folder_dataset, _looks_like_path
from keras_gans.datasets.idx import (
    _IDX_FOLDERS,
    DATA_ENV,
    _idx_source,
    find_idx_files,
    find_local,
    load_idx,
    read_idx,
)
from keras_gans.datasets.pipeline import (
    _check_channels,
    _check_image_size,
    _check_positive_int,
    _check_seed,
    _finish,
    validate_images,
)
from keras_gans.datasets.tfds import (  # noqa: F401  OfflineError and the probes are public here too
    OfflineError,
    _network_available,
    _online,
    _tfds_dataset,
    list_datasets,
)

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
    ds, transform, buffer = _source(
        name, split, data_dir, with_labels, image_size, channels, limit, shuffle, seed
    )
    return _finish(ds, buffer, batch_size, shuffle, seed, drop_remainder, transform)


def _single_split(kind, split):
    if split not in ("train", "all"):
        raise ValueError(
            f"{kind} is a single split: `split` must be 'train' or 'all'; "
            f"received {split!r}. Load held-out images from their own "
            f"{'folder' if kind == 'A folder' else 'array'}."
        )


def _source(name, split, data_dir, with_labels, image_size, channels, limit, shuffle, seed):
    """Which source `name` is -> (raw dataset, transform, shuffle buffer)."""
    if isinstance(name, (np.ndarray, tuple)) or (
        hasattr(name, "__array__") and not isinstance(name, (str, bytes))
    ):
        _single_split("An array", split)
        return _arrays_dataset(name, with_labels, image_size, channels, limit)

    if not isinstance(name, (str, os.PathLike)):
        raise TypeError(
            "`name` must be a dataset name, a folder path, a numpy array or a "
            f"tuple (x, y); received an object of type {type(name).__name__}."
        )

    path = os.path.expanduser(os.fspath(name))
    if isinstance(name, os.PathLike) or os.path.exists(path) or _looks_like_path(path):
        return _path_source(path, split, with_labels, image_size, channels, limit)

    if name == "digits":
        x, y = _digits_arrays(split, image_size or (8, 8), test_fraction=0.2)
        source = (x, y) if with_labels else x
        return _arrays_dataset(source, with_labels, None, channels, limit)

    if name in _IDX_FOLDERS:
        folder = find_local(name, data_dir)
        if folder is not None:
            source = _idx_source(folder, split, with_labels, repr(name))
            return _arrays_dataset(source, with_labels, image_size, channels, limit)

    return _tfds_dataset(
        name, split, data_dir, with_labels, image_size, channels, limit, shuffle, seed
    )


def _path_source(path, split, with_labels, image_size, channels, limit):
    """A folder of IDX files or of images -> (raw dataset, transform, buffer)."""
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
        return _arrays_dataset(source, with_labels, image_size, channels, limit)
    _single_split("A folder", split)
    return _folder_dataset(path, with_labels, image_size, channels, limit)
