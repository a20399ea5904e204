"""tensorflow-datasets names: the curated list, downloads, offline errors.

Any tfds image dataset name works; `list_datasets` gives the names `load`
knows without asking tensorflow-datasets. Offline, a missing data set fails
at once with `OfflineError`, naming the folders searched for a local copy.
"""

import difflib
import fnmatch
import os
import shutil
import socket

from keras_gans.datasets.idx import (
    _IDX_FOLDERS,
    DATA_ENV,
    _local_candidates,
    _tfds_data_dir,
)
from keras_gans.datasets.pipeline import (
    _image_transform,
    _shuffle_buffer,
    _tf,
    _tfds,
    _with_labels,
)

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

# Host the tensorflow-datasets MNIST download comes from (a quick reachability
# probe, so that an offline machine fails in seconds, not after retries).
_DOWNLOAD_PROBE = ("storage.googleapis.com", 443)


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
