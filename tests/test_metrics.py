"""Known-answer tests for the evaluation metrics and feature extractors."""

import json
import os
import warnings

import numpy as np
import pytest

from keras_gans.evaluation import features as features_lib
from keras_gans.evaluation import (
    DigitsClassifier,
    InceptionFeatures,
    RunningStats,
    evaluate_generator,
    feature_statistics,
    fid,
    fid_from_features,
    frechet_distance,
    inception_preprocess,
    inception_score,
    inception_score_from_probs,
    kid,
    kid_from_features,
    precision_recall,
    precision_recall_from_features,
)


# --------------------------------------------------------------------------
# Fixtures: a classifier cached in the test tmp dir (digits come from conftest).
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def digits_split(labelled_digits):
    # conftest's keras_gans.datasets digits: ((x_train, y_train), (x_test, y_test)).
    (x_tr, y_tr), (x_te, y_te) = labelled_digits
    return x_tr, y_tr, x_te, y_te


@pytest.fixture(scope="session")
def images(digits):
    return digits[0]  # 1,437 training digits in [-1, 1]


class ReplayGenerator:
    """A 'perfect' generator: returns real images (of the requested label)."""

    latent_dim = 4

    def __init__(self, images, labels=None, num_classes=None):
        self.images, self.labels = images, labels
        if num_classes:
            self.num_classes = num_classes
        self._next = 0

    def generate(self, num_samples=None, z=None, seed=None, labels=None):
        n = len(z)
        if labels is None:
            idx = (self._next + np.arange(n)) % len(self.images)
        else:
            idx = []
            for i, label in enumerate(labels):
                pool = np.flatnonzero(self.labels == label)
                idx.append(pool[(self._next + i) % len(pool)])
            idx = np.asarray(idx)
        self._next += n
        return self.images[idx]


class ConstantGenerator:
    latent_dim = 4

    def __init__(self, image):
        self.image = image

    def generate(self, num_samples=None, z=None, seed=None):
        return np.repeat(self.image[None], len(z), axis=0)


# --------------------------------------------------------------------------
# FID.
# --------------------------------------------------------------------------


def test_fid_of_identical_sets_is_zero(clf, images):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((500, 8))
    assert fid_from_features(x, x) < 1e-6
    assert fid(images[:400], images[:400], extractor="pixels") < 1e-6
    assert fid(images[:400], images[:400], extractor=clf) < 1e-6


def test_frechet_distance_closed_form():
    # Diagonal (commuting) covariances: ||m1-m2||^2 + sum (sqrt(a) - sqrt(b))^2.
    m1, m2 = np.array([0.0, 1.0, -2.0]), np.array([1.0, 1.0, 0.0])
    a, b = np.array([1.0, 4.0, 9.0]), np.array([4.0, 1.0, 1.0])
    expected = np.sum((m1 - m2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    assert frechet_distance(m1, np.diag(a), m2, np.diag(b)) == pytest.approx(expected)
    # 1-D: (m1 - m2)^2 + (s1 - s2)^2.
    assert frechet_distance([0.5], [[4.0]], [-0.5], [[1.0]]) == pytest.approx(2.0)
    # Rotated covariance, same spectrum, same mean: tr(S1 + S2 - 2 (S1 S2)^1/2)
    # with a closed form for 2x2 PSD matrices: sqrt(tr(S1 S2) + 2 sqrt(det(S1 S2))).
    theta = 0.7
    r = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    s1 = np.diag([3.0, 0.5])
    s2 = r @ s1 @ r.T
    prod = s1 @ s2
    tr_sqrt = np.sqrt(np.trace(prod) + 2.0 * np.sqrt(np.linalg.det(prod)))
    expected = np.trace(s1) + np.trace(s2) - 2.0 * tr_sqrt
    assert frechet_distance(np.zeros(2), s1, np.zeros(2), s2) == pytest.approx(expected)


def test_fid_of_sampled_gaussians_matches_closed_form():
    rng = np.random.default_rng(1)
    d, n = 4, 20_000
    mu = np.array([1.0, 0.0, -1.0, 0.5])
    x = rng.standard_normal((n, d))
    y = mu + 2.0 * rng.standard_normal((n, d))
    expected = mu @ mu + d * (2.0 - 1.0) ** 2  # 2.25 + 4
    assert fid_from_features(x, y) == pytest.approx(expected, rel=0.03)


def test_frechet_distance_reports_shape_mismatch():
    with pytest.raises(ValueError, match=r"Covariances must have shape \(3, 3\)"):
        frechet_distance(np.zeros(3), np.eye(2), np.zeros(3), np.eye(3))


def test_batched_statistics_equal_all_at_once(clf, images):
    rng = np.random.default_rng(2)
    x = 100.0 + 3.0 * rng.standard_normal((1000, 6)) @ rng.standard_normal((6, 6))
    stats = RunningStats()
    for batch in np.array_split(x, 7):
        stats.update(batch)
    np.testing.assert_allclose(stats.mean, x.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(stats.cov, np.cov(x, rowvar=False), rtol=1e-9, atol=1e-9)

    images = images[:300]
    mu, sigma = feature_statistics(images, extractor="pixels", batch_size=17)
    flat = images.reshape(len(images), -1).astype("float64")
    np.testing.assert_allclose(mu, flat.mean(axis=0), atol=1e-6)
    np.testing.assert_allclose(sigma, np.cov(flat, rowvar=False), atol=1e-6)

    mu, sigma = feature_statistics(images, extractor=clf, batch_size=13)
    feats = clf(images).astype("float64")
    np.testing.assert_allclose(mu, feats.mean(axis=0), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(sigma, np.cov(feats, rowvar=False), rtol=1e-4, atol=1e-4)


def test_fid_accepts_iterables_and_callables(images):
    real, fake = images[:300], images[300:600]
    direct = fid(real, fake, extractor="pixels")
    batches = (fake[i : i + 50] for i in range(0, 300, 50))
    assert fid(real, batches, extractor="pixels") == pytest.approx(direct)
    state = {"i": 0}

    def source(n):
        out = fake[state["i"] : state["i"] + n]
        state["i"] += n
        return out

    assert fid(real, source, extractor="pixels", num_samples=300, batch_size=64) == pytest.approx(direct)


# --------------------------------------------------------------------------
# KID.
# --------------------------------------------------------------------------


def test_kid_zero_for_same_distribution_positive_for_shifted():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((600, 16))
    y = rng.standard_normal((600, 16))
    same, same_std = kid_from_features(x, y, num_subsets=20, subset_size=300)
    shifted, _ = kid_from_features(x, y + 1.0, num_subsets=20, subset_size=300)
    assert abs(same) < 0.02
    assert shifted > 0.5
    assert shifted > 20 * max(abs(same), same_std)


def test_kid_on_images(images):
    same, _ = kid(images[:500], images[500:1000], extractor="pixels", num_subsets=10, subset_size=200)
    dark = np.clip(images[500:1000] - 0.8, -1, 1)
    shifted, _ = kid(images[:500], dark, extractor="pixels", num_subsets=10, subset_size=200)
    assert abs(same) < 0.05 and shifted > 10 * abs(same)


# --------------------------------------------------------------------------
# Inception Score.
# --------------------------------------------------------------------------


def test_inception_score_known_answers():
    confident_uniform = np.eye(10)[np.arange(200) % 10]
    assert inception_score_from_probs(confident_uniform)[0] == pytest.approx(10.0)
    # Contiguous splits: each chunk of 20 still holds every class twice.
    mean, std = inception_score_from_probs(confident_uniform, splits=10)
    assert mean == pytest.approx(10.0) and std == pytest.approx(0.0, abs=1e-9)
    constant = np.tile(np.eye(10)[3], (200, 1))
    assert inception_score_from_probs(constant)[0] == pytest.approx(1.0)
    unsure = np.full((50, 10), 0.1)  # uniform predictions: also 1
    assert inception_score_from_probs(unsure)[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="rows summing to 1"):
        inception_score_from_probs(np.ones((4, 10)))


def test_inception_score_of_digits(clf, digits_split):
    _, _, x_te, _ = digits_split
    mean, _ = inception_score(x_te, classifier=clf, splits=1)
    assert 8.5 < mean <= 10.0  # a good classifier on balanced real digits
    constant = np.repeat(x_te[:1], 100, axis=0)
    assert inception_score(constant, classifier=clf, splits=1)[0] == pytest.approx(1.0, abs=1e-3)


# --------------------------------------------------------------------------
# Precision and recall.
# --------------------------------------------------------------------------


def test_precision_recall_known_answers():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((400, 5))
    assert precision_recall_from_features(x, x) == (1.0, 1.0)
    assert precision_recall_from_features(x, x + 100.0) == (0.0, 0.0)
    half = np.concatenate([x[:200], x[:200] + 100.0])
    precision, _ = precision_recall_from_features(x, half)
    assert precision == pytest.approx(0.5)
    # Blocked distances give the same answer as one block.
    y = rng.standard_normal((300, 5)) * 1.3
    assert precision_recall_from_features(x, y, block=7) == precision_recall_from_features(
        x, y, block=10_000
    )


def test_precision_recall_on_images(images):
    p, r = precision_recall(images[:400], images[:400], extractor="pixels")
    assert (p, r) == (1.0, 1.0)
    far = np.full_like(images[:400], 1.0)
    far[:, ::2] = -1.0
    far += np.random.default_rng(0).uniform(-1e-3, 0, far.shape).astype("float32")
    p, r = precision_recall(images[:400], far, extractor="pixels")
    assert p == 0.0 and r == 0.0


# --------------------------------------------------------------------------
# The digits classifier.
# --------------------------------------------------------------------------


def test_digits_classifier_accuracy_and_other_sizes(clf, digits_split):
    _, _, x_te, y_te = digits_split
    accuracy = float(np.mean(clf.predict_labels(x_te) == y_te))
    print(f"DigitsClassifier held-out accuracy: {accuracy:.4f} on {len(y_te)} images")
    assert accuracy > 0.95
    assert clf.accuracy == pytest.approx(accuracy, abs=1e-6)
    assert clf(x_te[:5]).shape == (5, clf.feature_dim)
    assert clf.predict_proba(x_te[:5]).shape == (5, 10)
    # 16x16 and 24x24 RGB inputs are resized to 8x8 (and averaged to grey).
    big = np.kron(x_te, np.ones((1, 2, 2, 1), "float32"))
    assert big.shape[1:] == (16, 16, 1)
    assert np.mean(clf.predict_labels(big) == y_te) > 0.9
    rgb = np.repeat(np.kron(x_te, np.ones((1, 3, 3, 1), "float32")), 3, axis=-1)
    assert np.mean(clf.predict_labels(rgb[:, :, :, :]) == y_te) > 0.9
    assert clf.predict_labels(x_te[:7, :, :, 0]).shape == (7,)  # (n, H, W)


def test_images_outside_range_are_reported(clf):
    uint8_like = np.zeros((2, 8, 8, 1))
    uint8_like[0, 0, 0, 0] = 255.0
    with pytest.raises(ValueError, match=r"values in \[-1, 1\]; received values in \[0, 255\]"):
        clf(uint8_like)
    with pytest.raises(ValueError, match="1 \\(grey\\) or 3 \\(RGB\\) channels"):
        clf(np.zeros((2, 8, 8, 2)))


def test_digits_cache_is_validated_and_rebuilt(tmp_path):
    # epochs=1 keeps the rebuild fast; the cache file name includes it.
    path = features_lib.digits_cache_path(str(tmp_path), epochs=1)
    with open(path, "wb") as f:
        f.write(b"not a zip file at all")
    with pytest.warns(UserWarning, match="not usable .*unreadable file"):
        rebuilt = DigitsClassifier(cache_dir=str(tmp_path), epochs=1)
    assert rebuilt.cache_path == path and rebuilt.accuracy is not None

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the rebuilt cache loads silently
        again = DigitsClassifier(cache_dir=str(tmp_path), epochs=1)
    x = np.zeros((3, 8, 8, 1), "float32")
    np.testing.assert_allclose(again(x), rebuilt(x), rtol=1e-5, atol=1e-6)
    assert again.accuracy == rebuilt.accuracy
    assert rebuilt.cache_problem() is None

    # Tampered weights fail the checksum; a record from other settings is
    # not silently reused (the constructor would warn and retrain as above).
    with np.load(path) as data:
        arrays = dict(data.items())
    tampered = dict(arrays, w0=arrays["w0"] + 1.0)
    np.savez(path, **tampered)
    assert "checksum" in rebuilt.cache_problem()
    meta = json.loads(str(arrays["meta"]))
    meta["data_source"] = "something else"
    np.savez(path, **dict(arrays, meta=np.array(json.dumps(meta))))
    assert "data_source is 'something else'" in rebuilt.cache_problem()
    np.savez(path, **{k: v for k, v in arrays.items() if k != "w3"})
    assert "missing weight array" in rebuilt.cache_problem()


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_GANS_CACHE", str(tmp_path / "here"))
    assert features_lib.default_cache_dir() == str(tmp_path / "here")
    monkeypatch.delenv("KERAS_GANS_CACHE")
    assert features_lib.default_cache_dir().endswith(os.path.join(".cache", "keras_gans"))


# --------------------------------------------------------------------------
# InceptionV3 (offline: random weights, shapes and resize path only).
# --------------------------------------------------------------------------


def test_inception_preprocess_resizes_and_repeats_channels():
    x = np.full((2, 8, 8, 1), 0.25, "float32")
    x[1] = -0.5
    import keras

    y = keras.ops.convert_to_numpy(inception_preprocess(x))
    assert y.shape == (2, 299, 299, 3)
    np.testing.assert_allclose(y[0], 0.25, atol=1e-6)  # bilinear keeps constants
    np.testing.assert_allclose(y[1], -0.5, atol=1e-6)


@pytest.mark.slow
@pytest.mark.skipif(
    __import__("keras").backend.backend() == "jax",
    reason="building InceptionV3 costs ~25 s of CPU on JAX (~10 s on TF); "
    "InceptionFeatures is the same keras code on both backends and its "
    "preprocessing is tested on both above",
)
def test_inception_features_shapes_offline():
    extractor = InceptionFeatures(weights=None, batch_size=4)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (3, 8, 8, 1)).astype("float32")
    f = extractor(x)
    assert f.shape == (3, 2048) and f.dtype == np.float32
    assert np.all(np.isfinite(f))
    assert extractor.name == "inception"


# --------------------------------------------------------------------------
# evaluate_generator.
# --------------------------------------------------------------------------


def test_evaluate_generator_replay_vs_constant(clf, digits_split):
    x_tr, y_tr, x_te, _ = digits_split
    good = evaluate_generator(
        ReplayGenerator(x_tr), x_te, num_samples=600, extractor=clf, num_subsets=10
    )
    bad = evaluate_generator(
        ConstantGenerator(x_tr[0]), x_te, num_samples=600, extractor=clf, num_subsets=10
    )
    for key in ("fid_digits", "kid_digits", "precision_digits", "recall_digits", "is_digits"):
        assert np.isfinite(good[key]) and np.isfinite(bad[key])
    assert good["num_fake"] == 600 and good["num_real"] == len(x_te)
    assert bad["fid_digits"] > 20 * good["fid_digits"]
    assert bad["kid_digits"] > 20 * abs(good["kid_digits"])
    assert good["precision_digits"] > 0.8 and good["recall_digits"] > 0.8
    assert bad["recall_digits"] < 0.05
    assert good["is_digits"] > 8.0 and bad["is_digits"] == pytest.approx(1.0, abs=1e-3)
    assert good["classes_covered_digits"] == 10 and bad["classes_covered_digits"] == 1
    assert len(good["class_shares_digits"]) == 10
    assert good["class_share_min_digits"] > 0.05 and bad["class_share_min_digits"] == 0.0
    # A real floor: real train vs real test is where a perfect generator lands.
    assert good["fid_digits"] == pytest.approx(fid(x_te, x_tr[:600], extractor=clf), rel=1e-6)


def test_evaluate_generator_conditional_label_accuracy(clf, digits_split):
    x_tr, y_tr, x_te, _ = digits_split
    model = ReplayGenerator(x_tr, y_tr, num_classes=10)
    results = evaluate_generator(model, x_te, num_samples=300, extractor=clf, num_subsets=5)
    assert results["label_accuracy_digits"] > 0.95
    np.testing.assert_allclose(results["class_shares_digits"], 0.1, atol=0.03)


def test_evaluate_generator_without_classifier(images):
    results = evaluate_generator(
        ConstantGenerator(images[0]), images[:200], num_samples=100, extractor="pixels",
        num_subsets=5,
    )
    assert "fid_pixels" in results and not any(k.startswith("is_") for k in results)
