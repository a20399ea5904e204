"""Kernel Inception Distance (Binkowski et al. 2018) in any feature space.

The unbiased squared MMD with the cubic polynomial kernel, averaged over
random subsets; unlike FID it can be slightly negative for two samples of one
distribution.

Example:

>>> x = np.random.randn(300, 8)
>>> kid_from_features(x, x + 2.0)[0] > 0.1
True
"""

import numpy as np

from keras_gans.evaluation.features import get_extractor
from keras_gans.evaluation.fid import _cap
from keras_gans.evaluation.summaries import DEFAULT_BATCH_SIZE
from keras_gans.evaluation.summaries import DEFAULT_MAX_KEPT
from keras_gans.evaluation.summaries import summarize


def _polynomial_mmd2(x, y):
    """Unbiased MMD^2 with the kernel (x.y / d + 1)^3 (KID's kernel)."""
    d = x.shape[1]
    m, n = len(x), len(y)
    k_xx = (x @ x.T / d + 1.0) ** 3
    k_yy = (y @ y.T / d + 1.0) ** 3
    k_xy = (x @ y.T / d + 1.0) ** 3
    term_xx = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    term_yy = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return term_xx + term_yy - 2.0 * k_xy.mean()


def kid_from_features(
    real_features, fake_features, num_subsets=100, subset_size=1000, seed=0
):
    """Kernel Inception Distance between two feature sets.

    The unbiased estimate of the squared MMD with the polynomial kernel
    `k(x, y) = (x.y / d + 1)^3`, averaged over `num_subsets` random subsets of
    `min(subset_size, n, m)` samples from each set (Binkowski et al. 2018).
    Unlike FID it is unbiased, so it can be slightly negative when the two
    sets come from one distribution.

    Args:
        real_features: array (n, d), n >= 2.
        fake_features: array (m, d), m >= 2.
        num_subsets: number of subsets averaged.
        subset_size: samples per subset (capped by n and m).
        seed: seed of the subset draws.

    Returns:
        `(mean, std)` over subsets, Python floats.

    Example:

    >>> x = np.random.randn(300, 8)
    >>> kid_from_features(x, x + 2.0)[0] > 0.1
    True
    """
    x = np.asarray(real_features, dtype="float64")
    y = np.asarray(fake_features, dtype="float64")
    if x.ndim != 2 or y.ndim != 2 or x.shape[1] != y.shape[1]:
        raise ValueError(
            "KID needs two feature arrays (n, d) and (m, d) with the same d; "
            f"received shapes {x.shape} and {y.shape}."
        )
    size = min(int(subset_size), len(x), len(y))
    if size < 2:
        raise ValueError(
            f"KID needs at least 2 samples per set; received {len(x)} and {len(y)}."
        )
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(int(num_subsets)):
        xs = x[rng.choice(len(x), size, replace=False)]
        ys = y[rng.choice(len(y), size, replace=False)]
        values.append(_polynomial_mmd2(xs, ys))
    return float(np.mean(values)), float(np.std(values))


def kid(
    real,
    fake,
    extractor=None,
    batch_size=DEFAULT_BATCH_SIZE,
    num_samples=None,
    num_subsets=100,
    subset_size=1000,
    max_kept=DEFAULT_MAX_KEPT,
    seed=0,
):
    """Kernel Inception Distance between the features of two image sets.

    Args:
        real, fake, extractor, batch_size, num_samples: as in `fid`.
        num_subsets, subset_size, seed: see `kid_from_features`.
        max_kept: features kept per set (the first ones).

    Returns:
        `(mean, std)` over subsets, Python floats.

    Example:

    >>> kid(real_images, gan, num_samples=1000)[0]
    """
    extractor = get_extractor(extractor)
    s_real = summarize(real, extractor, None, batch_size, _cap(real, num_samples), max_kept)
    s_fake = summarize(fake, extractor, None, batch_size, num_samples, max_kept)
    return kid_from_features(s_real.features, s_fake.features, num_subsets, subset_size, seed)
