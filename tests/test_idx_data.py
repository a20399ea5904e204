"""IDX files, local copies of MNIST/Fashion-MNIST, and the offline fail-fast.

Every IDX file here is written by the test itself (never the real data in
/work/shared/data), and no test touches the network.
"""

import gzip
import os
import struct
import time

import numpy as np
import pytest

from keras_gans import datasets


def write_idx(path, array, compress=None):
    """Write `array` as an IDX file (gzipped when the name ends in .gz)."""
    array = np.asarray(array)
    codes = {np.dtype("uint8"): 0x08, np.dtype("int32"): 0x0C, np.dtype("float32"): 0x0D}
    code = codes[array.dtype]
    big = array.astype(array.dtype.newbyteorder(">"))
    raw = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    raw += big.tobytes()
    path = str(path)
    if compress if compress is not None else path.endswith(".gz"):
        raw = gzip.compress(raw)
    with open(path, "wb") as f:
        f.write(raw)
    return path


def make_idx_folder(folder, n_train=30, n_test=20, size=28, gz=True, seed=0):
    """A tiny MNIST-like folder: 4 IDX files; returns the arrays written."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    ext = ".gz" if gz else ""
    arrays = {}
    for split, prefix, n in (("train", "train", n_train), ("test", "t10k", n_test)):
        x = rng.integers(0, 256, (n, size, size), dtype="uint8")
        y = (np.arange(n) % 10).astype("uint8")
        write_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte{ext}"), x)
        write_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte{ext}"), y)
        arrays[split] = (x, y)
    return arrays


@pytest.fixture(autouse=True)
def no_local_copies(tmp_path, monkeypatch):
    """No real copy on this machine can leak in: empty search places."""
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.setenv("TFDS_DATA_DIR", str(tmp_path / "tfds_home"))
    monkeypatch.setattr(
        datasets.idx, "_SYSTEM_DIRS",
        {"mnist": (str(tmp_path / "sys" / "mnist"),),
         "fashion_mnist": (str(tmp_path / "sys" / "fashion-mnist"),)},
    )


# --------------------------------------------------------------------------
# read_idx


@pytest.mark.parametrize("name", ["a-idx3-ubyte.gz", "a-idx3-ubyte"])
def test_read_idx_round_trip_gzipped_or_not(tmp_path, name):
    x = np.random.default_rng(1).integers(0, 256, (7, 5, 4), dtype="uint8")
    path = write_idx(tmp_path / name, x)
    out = datasets.read_idx(path)
    assert out.dtype == np.uint8 and out.shape == (7, 5, 4)
    np.testing.assert_array_equal(out, x)


def test_read_idx_other_dtypes_and_gzip_without_suffix(tmp_path):
    y = np.array([-3, 0, 70000], dtype="int32")
    out = datasets.read_idx(write_idx(tmp_path / "labels", y, compress=True))
    assert out.dtype == np.int32 and out.dtype.byteorder in ("=", "<", "|")
    np.testing.assert_array_equal(out, y)
    f = np.array([[0.5, -1.25]], dtype="float32")
    np.testing.assert_array_equal(datasets.read_idx(write_idx(tmp_path / "f", f)), f)


def test_truncated_gzip_is_a_clear_error(tmp_path):
    path = write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((50, 28, 28), "uint8"))
    data = open(path, "rb").read()
    open(path, "wb").write(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"train-images-idx3-ubyte\.gz.* is a damaged or truncated gzip file \(EOFError"):
        datasets.read_idx(path)


def test_truncated_body_is_a_clear_error(tmp_path):
    path = write_idx(tmp_path / "x-idx3-ubyte", np.zeros((10, 4, 4), "uint8"))
    data = open(path, "rb").read()
    open(path, "wb").write(data[:-16])
    with pytest.raises(ValueError, match=r"truncated: its header declares shape \(10, 4, 4\) "
                                         r"\(160 bytes of uint8\) but 144 bytes"):
        datasets.read_idx(path)


def test_extra_bytes_bad_magic_and_short_header(tmp_path):
    path = write_idx(tmp_path / "x", np.zeros((2, 3), "uint8"))
    open(path, "ab").write(b"\x00")
    with pytest.raises(ValueError, match="longer than its header says"):
        datasets.read_idx(path)
    png = tmp_path / "not.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    with pytest.raises(ValueError, match=r"is not an IDX file.*89 50 4e 47.*00 00 08 03"):
        datasets.read_idx(png)
    short = tmp_path / "short"
    short.write_bytes(bytes([0, 0, 8, 3, 0, 0]))
    with pytest.raises(ValueError, match="truncated inside its header: 6 bytes, expected 16"):
        datasets.read_idx(short)
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="has 0 bytes; expected at least a 4-byte header"):
        datasets.read_idx(empty)
    with pytest.raises(ValueError, match="Cannot read the IDX file"):
        datasets.read_idx(tmp_path / "missing")


# --------------------------------------------------------------------------
# Folders of IDX files


def test_find_idx_files_and_load_idx_splits(tmp_path):
    written = make_idx_folder(tmp_path / "m", gz=False)
    found = datasets.find_idx_files(tmp_path / "m")
    assert sorted(found) == ["test", "train"]
    assert found["train"]["images"].endswith("train-images-idx3-ubyte")
    x, y = datasets.load_idx(tmp_path / "m", "test")
    np.testing.assert_array_equal(x, written["test"][0])
    assert y.dtype == np.int32 and list(y[:3]) == [0, 1, 2]
    x_all, y_all = datasets.load_idx(tmp_path / "m", "all")
    assert x_all.shape == (50, 28, 28) and len(y_all) == 50
    np.testing.assert_array_equal(x_all[:30], written["train"][0])
    assert datasets.find_idx_files(tmp_path / "nowhere") == {}


def test_load_idx_errors(tmp_path):
    with pytest.raises(ValueError, match="holds no IDX files; expected train-images-idx3"):
        datasets.load_idx(tmp_path)
    make_idx_folder(tmp_path / "m")
    with pytest.raises(ValueError, match=r"`split` must be one of \['train', 'test', 'all'\] for IDX files; "
                                         r"received 'validation'"):
        datasets.load_idx(tmp_path / "m", "validation")
    os.remove(tmp_path / "m" / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(ValueError, match=r"no test labels IDX file; expected t10k-labels-idx1-ubyte"):
        datasets.load_idx(tmp_path / "m", "test")
    # Labels that do not match the images.
    write_idx(tmp_path / "m" / "t10k-labels-idx1-ubyte.gz", np.zeros(3, "uint8"))
    with pytest.raises(ValueError, match=r"labels of shape \(3,\) for 20 images"):
        datasets.load_idx(tmp_path / "m", "test")


def test_load_folder_of_idx_files_detects_them(tmp_path):
    written = make_idx_folder(tmp_path / "m")
    ds = datasets.load(str(tmp_path / "m"), split="test", batch_size=8, shuffle=False,
                       with_labels=True)
    x, y = (np.concatenate(p) for p in zip(*ds.as_numpy_iterator()))
    assert x.shape == (20, 28, 28, 1) and x.dtype == np.float32
    np.testing.assert_allclose(x[..., 0], written["test"][0] / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_array_equal(y, written["test"][1])
    ds = datasets.load(tmp_path / "m", split="all", batch_size=None, image_size=14)
    assert ds.element_spec.shape.as_list() == [14, 14, 1]
    assert int(ds.cardinality()) == 50


def test_load_mnist_prefers_data_dir_then_env(tmp_path, monkeypatch):
    a = make_idx_folder(tmp_path / "a" / "mnist", n_train=12, seed=1)
    b = make_idx_folder(tmp_path / "b" / "fashion-mnist", n_train=16, seed=2)
    monkeypatch.setenv(datasets.DATA_ENV, str(tmp_path / "b"))
    assert datasets.find_local("mnist") is None  # b has no mnist/
    assert datasets.find_local("fashion_mnist") == str(tmp_path / "b" / "fashion-mnist")
    # data_dir may be the folder itself or its parent.
    assert datasets.find_local("mnist", tmp_path / "a") == str(tmp_path / "a" / "mnist")
    assert datasets.find_local("mnist", tmp_path / "a" / "mnist") == str(tmp_path / "a" / "mnist")

    def train_images(name, **kwargs):
        ds = datasets.load(name, split="train", batch_size=None, shuffle=False, **kwargs)
        return np.stack(list(ds.as_numpy_iterator()))[..., 0]

    np.testing.assert_allclose(
        train_images("mnist", data_dir=str(tmp_path / "a")), a["train"][0] / 127.5 - 1, atol=1e-6)
    np.testing.assert_allclose(
        train_images("fashion_mnist"), b["train"][0] / 127.5 - 1, atol=1e-6)
    with pytest.raises(ValueError, match=r"'mnist' is read from the IDX files .*received 'train\[:10%\]'"):
        datasets.load("mnist", data_dir=str(tmp_path / "a"), split="train[:10%]")


def test_debian_and_tfds_manual_folders_are_searched(tmp_path, monkeypatch):
    debian = tmp_path / "sys" / "fashion-mnist"
    make_idx_folder(debian)
    assert datasets.find_local("fashion_mnist") == str(debian)
    manual = tmp_path / "tfds_home" / "downloads" / "manual" / "mnist"
    make_idx_folder(manual)
    assert datasets.find_local("mnist") == str(manual)
    with pytest.raises(ValueError, match="Local IDX copies are looked up for"):
        datasets.find_local("cifar10")


# --------------------------------------------------------------------------
# Offline with no copy: fail fast, saying where to put the files.


def test_offline_without_a_copy_fails_fast(tmp_path, monkeypatch):
    probes = []

    def offline(timeout=3.0):
        probes.append(timeout)
        return False

    monkeypatch.setattr(datasets.tfds, "_network_available", offline)
    began = time.time()
    with pytest.raises(RuntimeError) as info:
        datasets.load("fashion_mnist", data_dir=str(tmp_path / "empty"))
    assert time.time() - began < 30
    assert probes, "the network must be probed before tfds tries to download"
    message = str(info.value)
    assert "'fashion_mnist' is not on this machine and cannot be downloaded" in message
    assert "train-images-idx3-ubyte.gz" in message and "$KERAS_GANS_DATA" in message
    assert "apt install dataset-fashion-mnist" in message
    assert str(tmp_path / "empty" / "fashion-mnist") in message
    assert str(tmp_path / "sys" / "fashion-mnist") in message


def test_offline_switch_skips_the_probe(monkeypatch):
    monkeypatch.setenv("KERAS_GANS_OFFLINE", "1")
    assert datasets._network_available() is False


def test_rewritten_files_are_read_again(tmp_path):
    """The in-memory cache of decoded files is keyed by size and mtime."""
    make_idx_folder(tmp_path / "m", n_test=20)
    x1, _ = datasets.load_idx(tmp_path / "m", "test")
    x1b, _ = datasets.load_idx(tmp_path / "m", "test")
    np.testing.assert_array_equal(x1, x1b)
    written = make_idx_folder(tmp_path / "m", n_test=8, seed=3)
    x2, y2 = datasets.load_idx(tmp_path / "m", "test")
    assert x2.shape == (8, 28, 28) and len(y2) == 8
    np.testing.assert_array_equal(x2, written["test"][0])
