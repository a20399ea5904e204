"""Improved precision and recall (Kynkaanniemi et al. 2019).

Each set's manifold is the union of k-nearest-neighbour balls around its
points; precision is the share of samples inside the real manifold, recall
the share of real images inside the samples' manifold.

Example:

>>> x = np.random.randn(200, 5)
>>> precision_recall_from_features(x, x)
(1.0, 1.0)
"""

import numpy as np

from keras_gans.evaluation.features import get_extractor
from keras_gans.evaluation.fid import _cap
from keras_gans.evaluation.summaries import DEFAULT_BATCH_SIZE
from keras_gans.evaluation.summaries import DEFAULT_MAX_KEPT
from keras_gans.evaluation.summaries import summarize


def _sq_norms(x):
    return np.einsum("ij,ij->i", x, x)


def _knn_radii(x, k, block):
    """Squared distance from each row of x to its k-th nearest other row."""
    norms = _sq_norms(x)
    radii = np.empty(len(x))
    for start in range(0, len(x), block):
        rows = x[start : start + block]
        d2 = norms[start : start + block, None] + norms[None, :] - 2.0 * rows @ x.T
        np.maximum(d2, 0.0, out=d2)
        # Index k of the sorted row is the k-th neighbour (index 0 is itself).
        radii[start : start + block] = np.partition(d2, k, axis=1)[:, k]
    return radii


def _inside_manifold(queries, ref, ref_radii, block):
    """For each query: is it within some reference point's k-NN ball?"""
    q_norms, r_norms = _sq_norms(queries), _sq_norms(ref)
    tolerance = 1e-9 * max(1.0, float(np.max(r_norms)))
    inside = np.zeros(len(queries), dtype=bool)
    for start in range(0, len(queries), block):
        rows = queries[start : start + block]
        d2 = q_norms[start : start + block, None] + r_norms[None, :] - 2.0 * rows @ ref.T
        inside[start : start + block] = np.any(
            d2 <= ref_radii[None, :] + tolerance, axis=1
        )
    return inside


def precision_recall_from_features(real_features, fake_features, k=3, block=1024):
    """Improved precision and recall (Kynkaanniemi et al. 2019).

    Each set's manifold is the union of balls around its points with radius
    the distance to the point's k-th nearest neighbour. Precision is the share
    of fake samples inside the real manifold (are samples realistic?); recall
    is the share of real samples inside the fake manifold (is the data's
    variety covered?). Distances are computed `block` rows at a time.

    Args:
        real_features: array (n, d), n > k.
        fake_features: array (m, d), m > k.
        k: neighbourhood size (3 in the paper).
        block: rows per distance block (memory `block * max(n, m)` floats).

    Returns:
        `(precision, recall)`, Python floats in [0, 1].

    Example:

    >>> x = np.random.randn(200, 5)
    >>> precision_recall_from_features(x, x)
    (1.0, 1.0)
    """
    x = np.asarray(real_features, dtype="float64")
    y = np.asarray(fake_features, dtype="float64")
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(
            "precision/recall needs two feature arrays (n, d) and (m, d) with "
            f"the same d; received shapes {x.shape} and {y.shape}."
        )
    if min(len(x), len(y)) <= k:
        raise ValueError(
            f"precision/recall with k={k} needs more than {k} samples per set; "
            f"received {len(x)} and {len(y)}."
        )
    precision = _inside_manifold(y, x, _knn_radii(x, k, block), block).mean()
    recall = _inside_manifold(x, y, _knn_radii(y, k, block), block).mean()
    return float(precision), float(recall)


def precision_recall(
    real,
    fake,
    extractor=None,
    batch_size=DEFAULT_BATCH_SIZE,
    num_samples=None,
    k=3,
    max_kept=DEFAULT_MAX_KEPT,
):
    """Improved precision and recall between two image sets' features.

    Args:
        real, fake, extractor, batch_size, num_samples: as in `fid`.
        k: neighbourhood size (3, as in Kynkaanniemi et al. 2019).
        max_kept: features kept per set (the first ones).

    Returns:
        `(precision, recall)`, Python floats in [0, 1].

    Example:

    >>> precision_recall(real_images, gan, num_samples=1000)
    """
    extractor = get_extractor(extractor)
    s_real = summarize(real, extractor, None, batch_size, _cap(real, num_samples), max_kept)
    s_fake = summarize(fake, extractor, None, batch_size, num_samples, max_kept)
    return precision_recall_from_features(s_real.features, s_fake.features, k)
