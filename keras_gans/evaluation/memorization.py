"""Memorization figures: is a generator copying its training images?

On a small training set a generator can reproduce training images, which
scores well against the training split and worse against unseen images. Two
figures say how far that goes, both in an extractor's feature space:

- the FID gap, `FID(samples, test) - FID(samples, train)` with a training
  reference of the same size as the test set (FID is biased by the sizes of
  both sets, so unequal references would make a gap by themselves). About 0
  for a generator of the data distribution; positive when the samples sit
  closer to the training split than to held-out images; at most the real
  data floor (`FID(train, test)`) for a generator that returns its training
  images.
- the nearest-neighbour ratio: the median distance from each sample to its
  nearest training image, divided by the same median for the test images.
  About 1 when samples are as far from the training images as unseen real
  images are; below 1 when samples sit closer (0 when they are training
  images); above 1 when samples are off the data (poor quality).

Example:

>>> nn_ratio_from_features(train[:100], train, test)     # copies
0.0
"""

import numpy as np

from keras_gans.evaluation.fid import fid_from_features


def _as_features(x, what):
    x = np.asarray(x, dtype="float64")
    if x.ndim != 2 or len(x) == 0:
        raise ValueError(
            f"{what} must be a non-empty feature array of shape (n, d); "
            f"received shape {x.shape}."
        )
    return x


def nearest_distances(queries, reference, block=1024):
    """Euclidean distance from each query to its nearest reference row.

    Computed `block` queries at a time (memory `block * len(reference)`).

    Args:
        queries: array (n, d).
        reference: array (m, d), same d.
        block: queries per distance block.

    Returns:
        float64 array (n,) of distances (>= 0).

    Example:

    >>> nearest_distances(np.array([[0.0, 0.0], [3.0, 4.0]]), np.zeros((1, 2)))
    array([0., 5.])
    """
    q = _as_features(queries, "queries")
    r = _as_features(reference, "reference")
    if q.shape[1] != r.shape[1]:
        raise ValueError(
            "queries and reference must have the same feature dimension; "
            f"received shapes {q.shape} and {r.shape}."
        )
    r_norms = np.einsum("ij,ij->i", r, r)
    out = np.empty(len(q))
    for start in range(0, len(q), int(block)):
        rows = q[start : start + int(block)]
        d2 = np.einsum("ij,ij->i", rows, rows)[:, None] + r_norms[None, :] - 2.0 * rows @ r.T
        out[start : start + len(rows)] = d2.min(axis=1)
    # Rounding can leave tiny negatives (and tiny positives for exact
    # copies); clip at zero, and snap values below float64 noise to zero.
    scale = max(1.0, float(r_norms.max()))
    out[out < 1e-9 * scale] = 0.0
    return np.sqrt(out)


def nn_ratio_from_features(sample_features, train_features, test_features, block=1024):
    """Median nearest-training distance of samples over that of test images.

    Args:
        sample_features: features of the generated images (n, d).
        train_features: features of the training split (m, d): the
            neighbours searched.
        test_features: features of held-out real images (k, d), the yardstick.
        block: rows per distance block.

    Returns:
        Python float: 0 when every sample is a training image; about 1 when
        samples are as close to the training split as unseen images are.

    Example:

    >>> rng = np.random.default_rng(0)
    >>> train, test = rng.normal(size=(500, 4)), rng.normal(size=(200, 4))
    >>> nn_ratio_from_features(train[:50], train, test)
    0.0
    """
    test_median = float(np.median(nearest_distances(test_features, train_features, block)))
    if test_median == 0.0:
        raise ValueError(
            "The test images' median distance to the training split is 0 (more "
            "than half of the test set duplicates training images), so the "
            "ratio is undefined; expected a held-out set disjoint from training."
        )
    sample_median = float(np.median(nearest_distances(sample_features, train_features, block)))
    return sample_median / test_median


def fid_gap_from_features(sample_features, train_features, test_features, seed=0):
    """`FID(samples, test) - FID(samples, train)`, equal-size references.

    The training reference is a random subset (seeded) of `train_features`
    with as many rows as `test_features`, so that both FIDs carry the same
    finite-sample bias.

    Args:
        sample_features: features of the generated images (n, d).
        train_features: features of the training split (m, d), m >= k.
        test_features: features of held-out images (k, d).
        seed: seed of the training subset.

    Returns:
        `(gap, fid_test, fid_train)`, Python floats.

    Example:

    >>> gap, fid_test, fid_train = fid_gap_from_features(samples, train, test)
    """
    s = _as_features(sample_features, "sample_features")
    tr = _as_features(train_features, "train_features")
    te = _as_features(test_features, "test_features")
    if len(tr) < len(te):
        raise ValueError(
            f"The FID gap needs at least as many training rows as test rows "
            f"(equal-size references); received {len(tr)} and {len(te)}."
        )
    idx = np.random.default_rng(seed).choice(len(tr), size=len(te), replace=False)
    fid_test = fid_from_features(te, s)
    fid_train = fid_from_features(tr[np.sort(idx)], s)
    return fid_test - fid_train, fid_test, fid_train
