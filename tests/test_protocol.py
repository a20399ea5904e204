"""Memorization, coverage, the real-data protocol and the 28x28 classifiers,
each on a case with a known answer. Offline: tiny IDX files written here."""

import os
import warnings

import numpy as np
import pytest

from keras_gans import datasets
from keras_gans.evaluation import FashionMNISTClassifier
from keras_gans.evaluation import MNISTClassifier
from keras_gans.evaluation import RealDataProtocol
from keras_gans.evaluation import class_shares
from keras_gans.evaluation import count_tag
from keras_gans.evaluation import fid_from_features
from keras_gans.evaluation import fid_gap_from_features
from keras_gans.evaluation import get_extractor
from keras_gans.evaluation import label_accuracy
from keras_gans.evaluation import nearest_distances
from keras_gans.evaluation import nn_ratio_from_features
from keras_gans.evaluation.mnist import dataset_classifier
from tests.test_idx_data import write_idx


# --------------------------------------------------------------------------
# Nearest neighbours and the memorization figures.


def test_nearest_distances_known_values():
    ref = np.array([[0.0, 0.0], [10.0, 0.0]])
    q = np.array([[3.0, 4.0], [10.0, 0.0], [7.0, 4.0]])
    np.testing.assert_allclose(nearest_distances(q, ref, block=2), [5.0, 0.0, 5.0])
    with pytest.raises(ValueError, match=r"same feature dimension; received shapes \(3, 2\) and \(1, 3\)"):
        nearest_distances(q, np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"non-empty feature array of shape \(n, d\); received shape \(0, 2\)"):
        nearest_distances(np.zeros((0, 2)), ref)


def test_nn_ratio_is_zero_for_training_copies_and_about_one_for_fresh_draws():
    rng = np.random.default_rng(0)
    train = rng.normal(size=(2000, 8))
    test = rng.normal(size=(500, 8))
    assert nn_ratio_from_features(train[:300], train, test) == 0.0
    fresh = rng.normal(size=(500, 8))
    assert nn_ratio_from_features(fresh, train, test) == pytest.approx(1.0, abs=0.12)
    # Samples far off the data: ratio well above 1.
    assert nn_ratio_from_features(fresh + 5.0, train, test) > 3.0
    with pytest.raises(ValueError, match="median distance to the training split is 0"):
        nn_ratio_from_features(fresh, train, train[:100])


def test_fid_gap_known_cases():
    rng = np.random.default_rng(1)
    train = rng.normal(size=(4000, 4))
    test = rng.normal(size=(1000, 4))
    # Fresh samples of the same distribution: no gap (both FIDs are noise).
    gap, fid_test, fid_train = fid_gap_from_features(rng.normal(size=(1000, 4)), train, test)
    assert abs(gap) < 0.05 and fid_test < 0.05 and fid_train < 0.05
    # Samples that are the training subset itself: FID vs train is 0, the
    # gap equals FID vs test.
    idx = np.sort(np.random.default_rng(7).choice(len(train), size=len(test), replace=False))
    gap, fid_test, fid_train = fid_gap_from_features(train[idx], train, test, seed=7)
    assert fid_train == pytest.approx(0.0, abs=1e-8)
    assert gap == pytest.approx(fid_test) and gap == pytest.approx(fid_from_features(test, train[idx]))
    with pytest.raises(ValueError, match="at least as many training rows as test rows"):
        fid_gap_from_features(test, test[:10], test)


# --------------------------------------------------------------------------
# Coverage.


def test_class_shares_and_label_accuracy_known_values():
    np.testing.assert_allclose(class_shares(np.array([0, 0, 1, 3]), 4), [0.5, 0.25, 0.0, 0.25])
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    np.testing.assert_allclose(class_shares(probs, 2), [2 / 3, 1 / 3])
    assert label_accuracy(probs, np.array([0, 1, 1])) == pytest.approx(2 / 3)
    assert label_accuracy(np.arange(5), np.arange(5)) == 1.0
    with pytest.raises(ValueError, match=r"Labels must lie in \[0, 2\]; received values from 0 to 5"):
        class_shares(np.array([0, 5]), 3)
    with pytest.raises(ValueError, match="non-empty and of the same length; received 2 and 3"):
        label_accuracy(np.array([0, 1]), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="integer class labels"):
        class_shares(np.array([0.5, 1.5]), 3)


def test_count_tag():
    assert (count_tag(10_000), count_tag(1000), count_tag(64), count_tag(1500)) == (
        "10k", "1k", "64", "1500")


# --------------------------------------------------------------------------
# The protocol on the digits (pixels: no training; classifier: the session's).


@pytest.fixture(scope="module")
def digit_splits():
    x_tr, y_tr = datasets.load_digits(split="train", with_labels=True, shuffle=False)
    x_te, y_te = datasets.load_digits(split="test", with_labels=True, shuffle=False)
    return x_tr, y_tr, x_te, y_te


def test_protocol_known_answers_in_pixel_space(digit_splits):
    x_tr, _, x_te, _ = digit_splits
    p = RealDataProtocol("pixels", x_tr, x_te, num_samples=360, num_floor=1000)
    assert p.tag == "pixels" and p.floor["floor_num_train"] == 1000
    assert p.floor["fid_floor_pixels"] > 0
    # The test set scored against itself: FID 0, no class metrics (pixels).
    same = p.evaluate_images(x_te)
    assert same["fid360_pixels"] == pytest.approx(0.0, abs=1e-6)
    assert same["fid_ratio_pixels"] == pytest.approx(0.0, abs=1e-6)
    assert "class_share_min_pixels" not in same
    # Training images as "samples": nearest-neighbour ratio exactly 0.
    copies = p.evaluate_images(x_tr[:500])
    assert copies["nn_ratio_pixels"] == 0.0
    assert copies["num_fake"] == 500 and copies["num_real"] == 360
    # Samples that are exactly the FID gap's training reference (a seeded
    # subset as large as the test set): FID vs train is 0, so the gap is the
    # whole FID vs test.
    idx = np.sort(np.random.default_rng(p.seed + 1).choice(len(x_tr), 360, replace=False))
    reference = p.evaluate_images(x_tr[idx])
    assert reference["fid360_train_pixels"] == pytest.approx(0.0, abs=1e-6)
    assert reference["fid_gap_pixels"] == pytest.approx(reference["fid360_pixels"])
    assert reference["fid_gap_pixels"] > 0.5 * p.floor["fid_floor_pixels"]


def test_protocol_measures_memorization_against_the_trained_subset(digit_splits):
    # A small-data recipe trains on the first 300 images. Samples that are
    # *other* training images are copies of nothing the generator saw: the
    # whole split calls them memorized (ratio 0), the trained subset does not.
    x_tr, _, x_te, _ = digit_splits
    whole = RealDataProtocol("pixels", x_tr, x_te, num_samples=300, num_floor=1000)
    subset = RealDataProtocol("pixels", x_tr, x_te, num_samples=300, num_floor=1000,
                              x_trained=x_tr[:300])
    unseen = x_tr[300:600]
    assert whole.evaluate_images(unseen)["nn_ratio_pixels"] == 0.0
    r = subset.evaluate_images(unseen)
    assert 0.7 < r["nn_ratio_pixels"] < 1.3
    assert r["memorization_num_train"] == 300
    assert whole.evaluate_images(unseen)["memorization_num_train"] == len(x_tr)
    # The floor is still the whole split's.
    assert subset.floor == whole.floor
    # Copies of the trained images themselves: ratio 0 and FID vs the
    # trained images 0, while the test-side FID is measured on all 360.
    copies = subset.evaluate_images(x_tr[:300])
    assert copies["nn_ratio_pixels"] == 0.0
    assert copies["fid300_train_pixels"] == pytest.approx(0.0, abs=1e-6)
    assert copies["fid300_pixels"] == pytest.approx(
        whole.evaluate_images(x_tr[:300])["fid300_pixels"])
    assert copies["fid_gap_pixels"] > 0


def test_protocol_refuses_a_trained_subset_of_another_shape(digit_splits):
    x_tr, _, x_te, _ = digit_splits
    with pytest.raises(ValueError, match=r"x_trained must be .*\(8, 8, 1\).*\(10, 16, 16, 1\)"):
        RealDataProtocol("pixels", x_tr, x_te, x_trained=np.zeros((10, 16, 16, 1)))


def test_protocol_coverage_and_label_accuracy_with_the_classifier(clf, digit_splits):
    x_tr, y_tr, x_te, y_te = digit_splits
    p = RealDataProtocol(clf, x_tr, x_te, num_samples=200, num_floor=1000)
    out = p.evaluate_images(x_te, labels=y_te)
    # Real test digits, labelled truly: the label accuracy is the
    # classifier's own accuracy, and the shares are the test set's shares
    # up to its errors.
    assert out["label_accuracy_digits"] == pytest.approx(clf.accuracy, abs=1e-9)
    true_shares = np.bincount(y_te, minlength=10) / len(y_te)
    np.testing.assert_allclose(out["class_shares_digits"], true_shares, atol=0.03)
    assert out["classes_covered_digits"] == 10
    assert out["class_share_min_digits"] == pytest.approx(min(out["class_shares_digits"]))
    # A "generator" of one class covers one class.
    ones = x_te[y_te == 1]
    out = p.evaluate_images(ones, labels=np.full(len(ones), 1))
    assert out["classes_covered_digits"] <= 2 and out["class_share_min_digits"] == 0.0


class _ModelWithSampleInputs:
    """A stand-in GAN exposing the issue-10 `sample_inputs` contract."""

    latent_dim = 3
    num_classes = 10

    def __init__(self, images):
        self.images = images
        self.calls = []

    def sample_inputs(self, n, seed=0):
        self.calls.append((n, seed))
        z = np.zeros((n, self.latent_dim), "float32")
        z[:, 0] = np.arange(n)
        return z, (np.arange(n) % 10).astype("int32")

    def generate(self, z, labels=None):
        return self.images[np.asarray(z[:, 0], dtype=int)]


def test_protocol_uses_the_models_sample_inputs(digit_splits):
    x_tr, _, x_te, _ = digit_splits
    p = RealDataProtocol("pixels", x_tr, x_te, num_samples=300, num_floor=500, seed=3)
    model = _ModelWithSampleInputs(x_tr)
    out = p.evaluate(model)
    assert model.calls == [(300, 3)]
    assert out["num_fake"] == 300 and out["nn_ratio_pixels"] == 0.0  # x_tr rows


# --------------------------------------------------------------------------
# The 28x28 classifiers, on tiny IDX data written here.


def _pattern_set(n, seed):
    """28x28 images whose class is the position of a bright 7x7 square."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 10
    x = rng.integers(0, 40, (n, 28, 28)).astype("uint8")
    for i, label in enumerate(y):
        r, c = divmod(int(label), 5)
        x[i, 3 + 12 * r : 10 + 12 * r, 1 + 5 * c : 6 + 5 * c] = 250
    return x, y.astype("uint8")


def _tiny_mnist(folder, seed=0):
    os.makedirs(folder, exist_ok=True)
    for prefix, n, s in (("train", 400, seed), ("t10k", 100, seed + 1)):
        x, y = _pattern_set(n, s)
        write_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"), x)
        write_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"), y)
    return folder


def test_mnist_classifier_trains_caches_and_retrains_on_other_data(tmp_path):
    data = _tiny_mnist(str(tmp_path / "data" / "mnist"))
    cache = str(tmp_path / "cache")
    clf = MNISTClassifier(data_dir=str(tmp_path / "data"), cache_dir=cache, epochs=3)
    assert clf.name == "mnist_cnn" and clf.feature_dim == 128
    assert os.path.basename(clf.cache_path) == "mnist_cnn_classifier_v1_e3_s0.npz"
    assert clf.accuracy >= 0.9, clf.accuracy  # an easy task
    assert clf.data_source.startswith("mnist-idx-sha256:")
    x, y = datasets.load_idx(data, "test")
    x = (x / 127.5 - 1.0).astype("float32")
    features, probs = clf.features_and_proba(x)
    assert features.shape == (100, 128) and probs.shape == (100, 10)
    # Loaded from the cache: same weights, no retraining, no warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = MNISTClassifier(data_dir=data, cache_dir=cache, epochs=3)
    np.testing.assert_allclose(again(x[:8]), clf(x[:8]), rtol=1e-5, atol=1e-5)
    # Other training files: the data hash differs, so the cache is rebuilt.
    other = _tiny_mnist(str(tmp_path / "other" / "mnist"), seed=5)
    with pytest.warns(UserWarning, match="not usable .*data_source"):
        rebuilt = MNISTClassifier(data_dir=other, cache_dir=cache, epochs=3)
    assert rebuilt.data_source != clf.data_source


def test_classifier_without_data_fails_clearly(tmp_path, monkeypatch):
    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.setenv("TFDS_DATA_DIR", str(tmp_path / "tfds"))
    monkeypatch.setattr(datasets.idx, "_SYSTEM_DIRS", {"mnist": (), "fashion_mnist": ()})
    with pytest.raises(ValueError, match="FashionMNISTClassifier trains on the real fashion_mnist"):
        FashionMNISTClassifier(data_dir=str(tmp_path), cache_dir=str(tmp_path))
    with pytest.raises(ValueError, match=r"No classifier for the data set 'cifar10'"):
        dataset_classifier("cifar10")
    with pytest.raises(ValueError, match="Unknown extractor 'svhn_cnn'"):
        get_extractor("svhn_cnn")
