"""Tests for keras_gans.datasets. Offline: tfds sources use mock data."""

import collections
import os

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from keras_gans import datasets

N_DIGITS = 1797
N_TEST = 360  # ceil(0.2 * 1797), stratified
N_TRAIN = N_DIGITS - N_TEST


# --------------------------------------------------------------------------
# Fixtures and helpers


def _rows(x):
    """Multiset of images, so splits can be compared without indices."""
    return collections.Counter(row.tobytes() for row in np.asarray(x))


def _collect(ds):
    """Concatenate every batch of a dataset into numpy arrays."""
    batches = list(ds.as_numpy_iterator())
    if isinstance(batches[0], tuple):
        return tuple(np.concatenate(parts) for parts in zip(*batches))
    return np.concatenate(batches)


def _write_png(path, pixels):
    tf.io.write_file(str(path), tf.io.encode_png(pixels))


@pytest.fixture(autouse=True)
def _no_local_copies(tmp_path, monkeypatch):
    """tfds names below use mock data: no real local copy (a $KERAS_GANS_DATA
    or Debian package on the test machine) may be read instead."""
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.setenv("TFDS_DATA_DIR", str(tmp_path / "tfds_home"))
    monkeypatch.setattr(datasets.idx, "_SYSTEM_DIRS", {"mnist": (), "fashion_mnist": ()})


@pytest.fixture(scope="module")
def digits_all():
    return datasets.load_digits(split="all", with_labels=True, shuffle=False)


@pytest.fixture
def gray_folder(tmp_path):
    """Five 10x12 grayscale PNGs, each a constant value, written unsorted."""
    folder = tmp_path / "flat"
    os.makedirs(folder)
    values = {"img3.png": 0, "img1.png": 51, "img0.png": 102, "img2.png": 204, "img4.png": 255}
    for name, value in values.items():
        _write_png(folder / name, np.full((10, 12, 1), value, dtype="uint8"))
    # Files that are not images are ignored.
    (folder / "notes.txt").write_text("not an image")
    return folder, [values[f"img{i}.png"] for i in range(5)]


@pytest.fixture
def class_folder(tmp_path):
    """RGB images in class sub-folders, created out of sorted order."""
    folder = tmp_path / "classes"
    rng = np.random.default_rng(0)
    layout = {"b_dog": 3, "a_cat": 2}
    for class_name, count in layout.items():
        os.makedirs(folder / class_name)
        for i in range(count):
            _write_png(
                folder / class_name / f"{i}.png",
                rng.integers(0, 256, (9, 7, 3), dtype="uint8"),
            )
    jpeg = tf.io.encode_jpeg(rng.integers(0, 256, (9, 7, 3), dtype="uint8"))
    tf.io.write_file(str(folder / "b_dog" / "z.jpg"), jpeg)
    return folder


# --------------------------------------------------------------------------
# load_digits


def test_digits_default_is_8x8_train_in_range():
    x = datasets.load_digits()
    assert x.shape == (N_TRAIN, 8, 8, 1)
    assert x.dtype == np.float32
    # Pixel 0 maps to -1 and pixel 16 to +1 exactly.
    assert x.min() == -1.0 and x.max() == 1.0
    # 0..16 in steps of 1/8: every value is on that grid.
    np.testing.assert_array_equal((x + 1) * 8, np.round((x + 1) * 8))


@pytest.mark.parametrize("size", [(16, 16), (28, 28), (32, 32), (28, 20), 12])
def test_digits_resize(size):
    x = datasets.load_digits(image_size=size, split="test")
    expected = (size, size) if isinstance(size, int) else size
    assert x.shape == (N_TEST, *expected, 1)
    assert x.dtype == np.float32
    assert x.min() >= -1.0 and x.max() <= 1.0
    # Upsampling keeps the digits' dynamic range (not a blurred grey mess).
    assert x.min() < -0.99 and x.max() > 0.9


def test_digits_labels(digits_all):
    x, y = digits_all
    assert y.shape == (N_DIGITS,) and y.dtype == np.int32
    assert set(np.unique(y)) == set(range(10))
    assert len(x) == len(y)


def test_digits_train_test_disjoint_and_covering(digits_all):
    x_all, y_all = digits_all
    x_train, y_train = datasets.load_digits(split="train", with_labels=True, shuffle=False)
    x_test, y_test = datasets.load_digits(split="test", with_labels=True, shuffle=False)
    assert len(x_train) == N_TRAIN and len(x_test) == N_TEST
    # As multisets, train + test is exactly all 1,797: no digit twice, none lost.
    assert _rows(x_train) + _rows(x_test) == _rows(x_all)
    # Labels travel with their images.
    pairs = lambda x, y: collections.Counter(
        r.tobytes() + bytes([int(c)]) for r, c in zip(x, y)
    )
    assert pairs(x_train, y_train) + pairs(x_test, y_test) == pairs(x_all, y_all)
    # Stratified: each class contributes ~20% of its digits to the test split.
    expected = 0.2 * np.bincount(y_all, minlength=10)
    assert np.all(np.abs(np.bincount(y_test, minlength=10) - expected) <= 1)


def test_digits_split_ignores_shuffle_seed():
    a = datasets.load_digits(split="test", seed=0)
    b = datasets.load_digits(split="test", seed=123)
    assert _rows(a) == _rows(b)  # same digits ...
    assert not np.array_equal(a, b)  # ... in a different order
    np.testing.assert_array_equal(a, datasets.load_digits(split="test", seed=0))
    unshuffled = datasets.load_digits(split="test", shuffle=False)
    np.testing.assert_array_equal(unshuffled, datasets.load_digits(split="test", shuffle=False))
    assert _rows(unshuffled) == _rows(a)


def test_digits_test_fraction():
    x_test = datasets.load_digits(split="test", test_fraction=0.5)
    x_train = datasets.load_digits(split="train", test_fraction=0.5)
    assert len(x_test) + len(x_train) == N_DIGITS
    assert abs(len(x_test) - N_DIGITS / 2) <= 10


def test_digits_dataset_batching_and_spec():
    ds = datasets.load_digits(batch_size=100, with_labels=True)
    x_spec, y_spec = ds.element_spec
    assert x_spec == tf.TensorSpec((None, 8, 8, 1), tf.float32)
    assert y_spec == tf.TensorSpec((None,), tf.int32)
    sizes = [int(x.shape[0]) for x, _ in ds]
    assert sizes == [100] * 14 + [37]

    ds = datasets.load_digits(batch_size=100, image_size=(28, 28), drop_remainder=True)
    assert ds.element_spec == tf.TensorSpec((100, 28, 28, 1), tf.float32)
    assert sum(1 for _ in ds) == N_TRAIN // 100


def test_digits_dataset_shuffling_is_seeded_and_reshuffles():
    first = lambda ds: next(iter(ds)).numpy()
    ds = datasets.load_digits(batch_size=N_TRAIN, seed=0)
    epoch1, epoch2 = first(ds), first(ds)
    assert _rows(epoch1) == _rows(epoch2)
    assert not np.array_equal(epoch1, epoch2)  # reshuffled each epoch
    np.testing.assert_array_equal(epoch1, first(datasets.load_digits(batch_size=N_TRAIN, seed=0)))
    assert not np.array_equal(epoch1, first(datasets.load_digits(batch_size=N_TRAIN, seed=1)))
    ordered = first(datasets.load_digits(batch_size=N_TRAIN, shuffle=False))
    np.testing.assert_array_equal(ordered, datasets.load_digits(shuffle=False))


def test_digits_dataset_trains_a_keras_model():
    import keras

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    history = model.fit(
        datasets.load_digits(batch_size=64, with_labels=True), epochs=3, shuffle=False, verbose=0
    )
    losses = history.history["loss"]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0]


# --------------------------------------------------------------------------
# load: digits and numpy arrays


def test_load_digits_by_name():
    ds = datasets.load("digits", image_size=(16, 16), batch_size=16, channels=3, limit=40)
    assert ds.element_spec == tf.TensorSpec((None, 16, 16, 3), tf.float32)
    x = _collect(ds)
    assert x.shape == (40, 16, 16, 3)
    np.testing.assert_array_equal(x[..., 0], x[..., 2])  # gray copied to RGB
    # `limit` takes the first 40 digits of the split, shuffled among themselves.
    first40 = datasets.load_digits(image_size=(16, 16), shuffle=False)[:40]
    assert _rows(x[..., :1]) == _rows(first40)

    x, y = _collect(datasets.load("digits", split="test", with_labels=True, shuffle=False))
    x_ref, y_ref = datasets.load_digits(split="test", with_labels=True, shuffle=False)
    np.testing.assert_array_equal(x, x_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_load_uint8_array_is_scaled_and_gets_channel_axis():
    x = np.arange(4 * 5 * 6, dtype="int64").reshape(4, 5, 6) % 256
    x = x.astype("uint8")
    x[0, 0, 0], x[0, 0, 1] = 0, 255
    ds = datasets.load(x, batch_size=3, shuffle=False)
    assert ds.element_spec == tf.TensorSpec((None, 5, 6, 1), tf.float32)
    out = _collect(ds)
    np.testing.assert_allclose(out, x[..., None] / 127.5 - 1.0, atol=1e-6)
    assert out[0, 0, 0, 0] == -1.0 and out[0, 0, 1, 0] == 1.0


def test_load_float_array_with_labels_passes_through():
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (7, 4, 4, 3)).astype("float64")
    y = np.arange(7).reshape(7, 1)
    ds = datasets.load((x, y), batch_size=7, with_labels=True, shuffle=False)
    out_x, out_y = _collect(ds)
    np.testing.assert_allclose(out_x, x, atol=1e-6)
    np.testing.assert_array_equal(out_y, np.arange(7))
    assert out_y.dtype == np.int32
    # Without with_labels the labels are dropped.
    assert datasets.load((x, y), batch_size=2).element_spec == tf.TensorSpec(
        (None, 4, 4, 3), tf.float32
    )


def test_load_array_resize_channels_limit_and_unbatched():
    x = np.random.default_rng(1).integers(0, 256, (10, 8, 8, 3), dtype="uint8")
    ds = datasets.load(x, image_size=(16, 12), channels=1, limit=6, batch_size=None)
    assert ds.element_spec == tf.TensorSpec((16, 12, 1), tf.float32)
    out = np.stack(list(ds.as_numpy_iterator()))
    assert out.shape == (6, 16, 12, 1)
    assert out.min() >= -1.0 and out.max() <= 1.0


# --------------------------------------------------------------------------
# load: tensorflow-datasets (mock data, no network)


def _raw_tfds_images(name, split="train"):
    ds = tfds.load(name, split=split, shuffle_files=False)
    return np.stack([ex["image"] for ex in ds.as_numpy_iterator()])


def test_load_tfds_mnist_with_labels():
    with tfds.testing.mock_data(num_examples=10):
        ds = datasets.load("mnist", batch_size=4, with_labels=True, shuffle=False)
        assert ds.element_spec == (
            tf.TensorSpec((None, 28, 28, 1), tf.float32),
            tf.TensorSpec((None,), tf.int32),
        )
        x, y = _collect(ds)
        raw = _raw_tfds_images("mnist")
    assert x.shape == (10, 28, 28, 1)
    np.testing.assert_allclose(x, raw / 127.5 - 1.0, atol=1e-6)
    assert y.dtype == np.int32 and y.min() >= 0 and y.max() <= 9


def test_load_tfds_mnist_resize_channels_limit_shuffle():
    with tfds.testing.mock_data(num_examples=12):
        ds = datasets.load(
            "mnist", split="test", image_size=32, channels=3, batch_size=4, limit=6, seed=3
        )
        assert ds.element_spec == tf.TensorSpec((None, 32, 32, 3), tf.float32)
        x = _collect(ds)
        ordered = _collect(
            datasets.load("mnist", split="test", image_size=32, channels=3, limit=6, shuffle=False)
        )
    assert x.shape == (6, 32, 32, 3)
    assert x.min() >= -1.0 and x.max() <= 1.0
    assert _rows(x) == _rows(ordered)  # the same first six, shuffled
    assert not np.array_equal(x, ordered)


def test_load_tfds_cifar10():
    with tfds.testing.mock_data(num_examples=5):
        ds = datasets.load("cifar10", batch_size=2)
        assert ds.element_spec == tf.TensorSpec((None, 32, 32, 3), tf.float32)
        x = _collect(ds)
    assert x.shape == (5, 32, 32, 3)
    assert x.min() >= -1.0 and x.max() <= 1.0 and x.std() > 0.1


def test_load_tfds_celeb_a_center_crop_then_resize():
    with tfds.testing.mock_data(num_examples=3):
        ds = datasets.load("celeb_a", image_size=(64, 64), batch_size=3, shuffle=False)
        assert ds.element_spec == tf.TensorSpec((None, 64, 64, 3), tf.float32)
        x = _collect(ds)
        raw = _raw_tfds_images("celeb_a")
        full = _collect(datasets.load("celeb_a", batch_size=3, shuffle=False))
    assert raw.shape[1:] == (218, 178, 3)
    # The central 108x108 (rows 55..162, columns 35..142), then bilinear resize.
    crop = raw[:, 55:163, 35:143].astype("float32") / 127.5 - 1.0
    expected = tf.image.resize(crop, (64, 64), method="bilinear", antialias=True).numpy()
    np.testing.assert_allclose(x, np.clip(expected, -1, 1), atol=1e-5)
    # Without image_size the full frame comes back, uncropped.
    assert full.shape == (3, 218, 178, 3)
    np.testing.assert_allclose(full, raw / 127.5 - 1.0, atol=1e-6)


def test_load_tfds_celeb_a_has_no_labels():
    with tfds.testing.mock_data(num_examples=2):
        with pytest.raises(ValueError, match=r"'celeb_a' has no 'label' feature.*attributes"):
            datasets.load("celeb_a", with_labels=True)


def test_load_tfds_dataset_without_images():
    with tfds.testing.mock_data(num_examples=2):
        with pytest.raises(ValueError, match=r"'imdb_reviews' has no image feature.*'text'"):
            datasets.load("imdb_reviews")


# --------------------------------------------------------------------------
# load: folders of images


def test_load_flat_folder_infers_size_and_channels(gray_folder):
    path, values = gray_folder
    ds = datasets.load(str(path), batch_size=2, shuffle=False)
    assert ds.element_spec == tf.TensorSpec((None, 10, 12, 1), tf.float32)
    x = _collect(ds)
    assert x.shape == (5, 10, 12, 1)
    # Sorted file order, exact scaling.
    expected = np.array(values, dtype="float32") / 127.5 - 1.0
    np.testing.assert_allclose(x.reshape(5, -1).mean(axis=1), expected, atol=1e-6)
    assert x.min() == -1.0 and x.max() == 1.0


def test_load_flat_folder_resize_rgb_limit(gray_folder):
    path, values = gray_folder
    x = _collect(datasets.load(path, image_size=(8, 8), channels=3, limit=3, shuffle=False))
    assert x.shape == (3, 8, 8, 3)
    expected = np.array(values[:3], dtype="float32") / 127.5 - 1.0
    np.testing.assert_allclose(x[:, 4, 4, 2], expected, atol=1e-5)


def test_load_class_folders_give_sorted_labels(class_folder, monkeypatch):
    # Whatever order the file system lists the folders in, labels follow the
    # sorted class names.
    listdir = os.listdir
    monkeypatch.setattr(os, "listdir", lambda p: sorted(listdir(p), reverse=True))
    ds = datasets.load(str(class_folder), with_labels=True, batch_size=10, shuffle=True)
    assert ds.element_spec == (
        tf.TensorSpec((None, 9, 7, 3), tf.float32),
        tf.TensorSpec((None,), tf.int32),
    )
    x, y = _collect(ds)
    # a_cat (2 images) -> 0, b_dog (3 PNGs + 1 JPEG) -> 1.
    assert sorted(y.tolist()) == [0, 0, 1, 1, 1, 1]
    assert x.min() >= -1.0 and x.max() <= 1.0
    # Each label stays with its own image (PNGs are lossless).
    for i in range(2):
        cat = tf.io.decode_png(tf.io.read_file(str(class_folder / "a_cat" / f"{i}.png")))
        matches = np.all(np.abs(x - (cat.numpy() / 127.5 - 1.0)) < 1e-6, axis=(1, 2, 3))
        assert matches.sum() == 1 and y[matches][0] == 0
    gray = _collect(datasets.load(str(class_folder), channels=1, image_size=(4, 4)))
    assert gray.shape == (6, 4, 4, 1)


# --------------------------------------------------------------------------
# Errors say what they received and what they expected


def test_unknown_name_lists_close_names():
    with pytest.raises(ValueError, match=r"Unknown dataset 'mnsit'.*Did you mean: 'mnist'") as info:
        datasets.load("mnsit")
    message = str(info.value)
    assert "'digits'" in message and "folder" in message and "numpy array" in message
    with pytest.raises(ValueError, match=r"Unknown dataset 'not a dataset'"):
        datasets.load("not a dataset")


def test_missing_folder_and_file_path(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(ValueError, match=r"folder .*nowhere.* does not exist"):
        datasets.load(str(missing))
    with pytest.raises(ValueError, match=r"does not exist"):
        datasets.load(missing)  # a pathlib.Path
    a_file = tmp_path / "one.png"
    _write_png(a_file, np.zeros((4, 4, 1), dtype="uint8"))
    with pytest.raises(ValueError, match=r"one\.png' is a file; expected a folder"):
        datasets.load(str(a_file))


def test_empty_folder(tmp_path):
    (tmp_path / "readme.txt").write_text("no images here")
    os.makedirs(tmp_path / "empty_class")
    with pytest.raises(ValueError, match=r"contains no images; expected PNG or JPEG"):
        datasets.load(str(tmp_path))


def test_folder_label_and_layout_errors(gray_folder, class_folder):
    path, _ = gray_folder
    with pytest.raises(ValueError, match=r"with_labels=True.*sub-folder per class"):
        datasets.load(str(path), with_labels=True)
    with pytest.raises(ValueError, match=r"single split.*received 'test'"):
        datasets.load(str(path), split="test")
    _write_png(class_folder / "loose.png", np.zeros((9, 7, 3), dtype="uint8"))
    with pytest.raises(ValueError, match=r"both loose images .*'loose\.png'.*\['a_cat', 'b_dog'\]"):
        datasets.load(str(class_folder))


def test_array_errors():
    with pytest.raises(ValueError, match=r"image array is empty \(shape \(0, 8, 8\)\)"):
        datasets.load(np.zeros((0, 8, 8), dtype="uint8"))
    with pytest.raises(ValueError, match=r"received shape \(5, 8\)"):
        datasets.load(np.zeros((5, 8), dtype="uint8"))
    with pytest.raises(ValueError, match=r"\[-1, 1\]; received min -2 and max 3"):
        datasets.load(np.array([-2.0, 0.0, 3.0]).reshape(3, 1, 1))
    with pytest.raises(ValueError, match=r"NaN or infinite"):
        datasets.load(np.full((2, 4, 4), np.nan, dtype="float32"))
    with pytest.raises(ValueError, match=r"uint8 pixels .* or floats .*received dtype int64"):
        datasets.load(np.zeros((2, 4, 4), dtype="int64"))
    x = np.zeros((4, 4, 4), dtype="uint8")
    with pytest.raises(ValueError, match=r"with_labels=True.*name=\(x, y\)"):
        datasets.load(x, with_labels=True)
    with pytest.raises(ValueError, match=r"shape \(4,\).*received shape \(3,\) for 4 images"):
        datasets.load((x, np.arange(3)), with_labels=True)
    with pytest.raises(ValueError, match=r"Labels must be integers; received dtype float64"):
        datasets.load((x, np.zeros(4)), with_labels=True)
    with pytest.raises(ValueError, match=r"\(x, y\) with two arrays; received a tuple of length 3"):
        datasets.load((x, x, x))
    with pytest.raises(ValueError, match=r"An array is a single split.*received 'test'"):
        datasets.load(x, split="test")
    with pytest.raises(TypeError, match=r"received an object of type int"):
        datasets.load(42)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"image_size": (0, 8)}, r"`image_size` must be .*received \(0, 8\)"),
        ({"image_size": (8,)}, r"`image_size` must be .*received \(8,\)"),
        ({"image_size": "big"}, r"`image_size` must be .*received 'big'"),
        ({"batch_size": 0}, r"`batch_size` must be a positive integer or None; received 0"),
        ({"channels": 2}, r"`channels` must be 1 .* received 2"),
        ({"limit": -1}, r"`limit` must be a positive integer or None; received -1"),
        ({"seed": "a"}, r"`seed` must be an integer; received 'a'"),
        ({"split": "validation"}, r"one of \['train', 'test', 'all'\].*received 'validation'"),
    ],
)
def test_load_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        datasets.load("digits", **kwargs)


@pytest.mark.parametrize("fraction", [0, 1.0, 1.5, True, "0.2"])
def test_digits_test_fraction_errors(fraction):
    with pytest.raises(ValueError, match=r"`test_fraction` must be .*between 0 and 1; received"):
        datasets.load_digits(test_fraction=fraction)


def test_digits_argument_errors():
    with pytest.raises(ValueError, match=r"received 'val'"):
        datasets.load_digits(split="val")
    with pytest.raises(ValueError, match=r"`batch_size` must be .*received 2\.5"):
        datasets.load_digits(batch_size=2.5)


# --------------------------------------------------------------------------
# validate_images


def test_validate_images_accepts_and_converts():
    x = np.linspace(-1, 1, 2 * 3 * 3 * 1).reshape(2, 3, 3, 1)  # float64
    out = datasets.validate_images(x, image_shape=(3, 3, 1))
    assert out.dtype == np.float32 and out.shape == (2, 3, 3, 1)
    np.testing.assert_allclose(out, x, atol=1e-7)
    assert datasets.validate_images(out, image_shape=(None, None, 1)) is not None
    digits = datasets.load_digits(split="test")
    assert datasets.validate_images(digits, image_shape=(8, 8, 1)) is digits


@pytest.mark.parametrize(
    "x, kwargs, match",
    [
        (np.zeros((0, 8, 8, 1)), {}, r"`images` is empty \(shape \(0, 8, 8, 1\)\)"),
        (np.zeros((2, 8, 8)), {}, r"4-D .*received shape \(2, 8, 8\) \(3-D\).*x\[\.\.\., None\]"),
        (
            np.zeros((2, 8, 8, 1)),
            {"image_shape": (28, 28, 1), "name": "real images"},
            r"`real images` have shape \(8, 8, 1\) per image; expected \(28, 28, 1\)",
        ),
        (
            np.zeros((2, 8, 8, 1), dtype="uint8"),
            {},
            r"uint8.*unscaled pixels in \[0, 255\]; divide by 127\.5 and subtract 1, "
            r"or use keras_gans\.datasets\.load",
        ),
        (
            np.full((2, 8, 8, 1), 200.0),
            {},
            r"received values in \[200, 200\]\. This looks like unscaled pixels in \[0, 255\]",
        ),
        (np.full((1, 2, 2, 1), -3.0), {}, r"values in \[-1, 1\]; received values in \[-3, -3\]\.$"),
        (np.full((1, 2, 2, 1), 1.5), {}, r"values in \[-1, 1\]; received values in \[1\.5, 1\.5\]\.$"),
        (
            np.array([np.nan, np.inf, 0, 0]).reshape(1, 2, 2, 1),
            {},
            r"contain 2 non-finite value\(s\)",
        ),
        (np.array(["a"]).reshape(1, 1, 1, 1), {}, r"dtype <U1; expected float"),
    ],
)
def test_validate_images_errors(x, kwargs, match):
    with pytest.raises(ValueError, match=match):
        datasets.validate_images(x, **kwargs)


def test_list_datasets():
    names = datasets.list_datasets()
    assert names[0] == "digits"
    assert {"mnist", "fashion_mnist", "cifar10", "celeb_a"} <= set(names)
    assert datasets.list_datasets("*mnist") == ["mnist", "fashion_mnist"]
    assert datasets.list_datasets("nothing*") == []
