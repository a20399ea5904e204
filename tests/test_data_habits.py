"""Data that must not end a run mid-epoch (issue 11): corrupt images in a
folder, tensorflow-datasets names that are not on disk while offline."""

import os
import time
import warnings

import numpy as np
import pytest

from keras_gans import datasets

pytestmark = pytest.mark.backend_independent  # conftest.py: TensorFlow pass only


def _png(path, value):
    import tensorflow as tf

    tf.io.write_file(str(path), tf.io.encode_png(np.full((8, 8, 1), value, "uint8")))


def test_corrupt_image_in_a_folder_is_skipped_with_a_warning_naming_it(tmp_path):
    for i in range(4):
        _png(tmp_path / f"img{i}.png", 40 * i)
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n truncated")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ds = datasets.load(str(tmp_path), batch_size=2, shuffle=False)
    messages = [str(w.message) for w in caught if "broken.png" in str(w.message)]
    assert len(messages) == 1 and "Skipping" in messages[0]
    batches = [np.asarray(b) for b in ds]  # the whole epoch runs
    assert sum(len(b) for b in batches) == 4


def test_offline_tfds_name_fails_fast_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets.tfds, "_online", lambda timeout=3.0: False)
    data_dir = tmp_path / "tfds"
    began = time.time()
    with pytest.raises(ValueError, match="offline"):
        datasets.load("mnist", data_dir=str(data_dir), batch_size=2)
    assert time.time() - began < 30
    assert not data_dir.exists() or not any(os.scandir(data_dir))
