"""IDX files (MNIST, Fashion-MNIST) and where local copies of them live.

`read_idx` reads one file (gzipped or not), `find_idx_files` names a
folder's files by split, `load_idx` returns one split's images and labels,
and `find_local` says which folder holds a local copy of `"mnist"` or
`"fashion_mnist"`, so that `load` reads it before asking tensorflow-datasets
to download anything.
"""

import gzip
import os
import re
import zlib

import numpy as np

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


def _idx_source(folder, split, with_labels, name):
    """An IDX folder as the `(x, y)` / `x` source `_arrays_dataset` takes."""
    if split not in _IDX_SPLITS:
        raise ValueError(
            f"{name} is read from the IDX files in {folder!r}: `split` must be "
            f"one of {list(_IDX_SPLITS)}; received {split!r}."
        )
    x, y = load_idx(folder, split)
    return (x, y) if with_labels else x
