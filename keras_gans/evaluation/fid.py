"""Frechet Inception Distance (Heusel et al. 2017) in any feature space.

The distance between Gaussians fitted to two sets' features. With the
`digits`, `mnist_cnn` or `fashion_mnist_cnn` classifiers it is computed in
their penultimate layer, with `inception` in InceptionV3's pool features (the
published protocol).

Example:

>>> x = np.random.randn(500, 3)
>>> fid_from_features(x, x)
0.0
"""

import warnings

import numpy as np
import scipy.linalg

from keras_gans.evaluation.features import get_extractor
from keras_gans.evaluation.summaries import DEFAULT_BATCH_SIZE
from keras_gans.evaluation.summaries import RunningStats
from keras_gans.evaluation.summaries import summarize


def frechet_distance(mu1, sigma1, mu2, sigma2, eps=1e-6):
    """Frechet distance between two Gaussians N(mu1, sigma1), N(mu2, sigma2).

    `||mu1 - mu2||^2 + tr(sigma1 + sigma2 - 2 (sigma1 sigma2)^(1/2))`, with the
    matrix square root from `scipy.linalg.sqrtm`. If the product is singular
    (e.g. fewer samples than feature dimensions) `eps * I` is added to both
    covariances, as in the reference implementation.

    Args:
        mu1, mu2: mean vectors (d,).
        sigma1, sigma2: covariance matrices (d, d).
        eps: diagonal offset used only when the square root is not finite.

    Returns:
        The distance as a Python float (>= 0).

    Example:

    >>> frechet_distance(np.zeros(2), np.eye(2), np.ones(2), np.eye(2))
    2.0
    """
    mu1 = np.atleast_1d(np.asarray(mu1, dtype="float64"))
    mu2 = np.atleast_1d(np.asarray(mu2, dtype="float64"))
    sigma1 = np.atleast_2d(np.asarray(sigma1, dtype="float64"))
    sigma2 = np.atleast_2d(np.asarray(sigma2, dtype="float64"))
    d = mu1.shape[0]
    if mu1.ndim != 1 or mu2.shape != mu1.shape:
        raise ValueError(
            f"Means must be vectors of the same length; received shapes "
            f"{mu1.shape} and {mu2.shape}."
        )
    if sigma1.shape != (d, d) or sigma2.shape != (d, d):
        raise ValueError(
            f"Covariances must have shape ({d}, {d}) to match the means; "
            f"received {sigma1.shape} and {sigma2.shape}."
        )
    diff = mu1 - mu2
    with warnings.catch_warnings():
        # Singular covariances are common (constant pixels, few samples); the
        # reference implementation silences this too (sqrtm(disp=False)) and
        # checks the result instead, as below.
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        covmean = scipy.linalg.sqrtm(sigma1 @ sigma2)
        if not np.all(np.isfinite(covmean)):
            offset = np.eye(d) * eps
            covmean = scipy.linalg.sqrtm((sigma1 + offset) @ (sigma2 + offset))
    if np.iscomplexobj(covmean):
        imag = np.max(np.abs(np.imag(covmean)))
        scale = max(1.0, np.max(np.abs(np.real(covmean))))
        if imag > 1e-3 * scale:
            raise ValueError(
                "The matrix square root in the Frechet distance has a large "
                f"imaginary part ({imag:.3g}); the covariances are probably "
                "degenerate (too few samples for the feature dimension?)."
            )
        covmean = np.real(covmean)
    value = diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean)
    return float(max(value, 0.0))


def fid_from_features(real_features, fake_features):
    """FID between two feature sets (n, d) and (m, d).

    Args:
        real_features: array (n, d), n >= 2.
        fake_features: array (m, d), m >= 2.

    Returns:
        Python float.

    Example:

    >>> x = np.random.randn(500, 3)
    >>> fid_from_features(x, x)
    0.0
    """
    s1, s2 = RunningStats(), RunningStats()
    s1.update(real_features)
    s2.update(fake_features)
    return frechet_distance(s1.mean, s1.cov, s2.mean, s2.cov)


def feature_statistics(images, extractor=None, batch_size=DEFAULT_BATCH_SIZE, num_samples=None):
    """Mean and covariance of an image source's features, in batches.

    Args:
        images: any source accepted by `summarize` (array, model, callable,
            iterable of batches).
        extractor: see `features.get_extractor` (default: digits).
        batch_size: images per batch.
        num_samples: how many images (required for models and callables).

    Returns:
        `(mu, sigma)`: float64 arrays (d,) and (d, d).

    Example:

    >>> mu, sigma = feature_statistics(images, extractor="pixels")
    """
    s = summarize(images, extractor, None, batch_size, num_samples, max_kept=0)
    return s.stats.mean, s.stats.cov


def fid(real, fake, extractor=None, batch_size=DEFAULT_BATCH_SIZE, num_samples=None):
    """Frechet distance between the features of two image sets.

    Args:
        real: images (n, H, W, C) in [-1, 1], or any source `summarize` takes.
        fake: same; a generative model is sampled `num_samples` times.
        extractor: `None`/`"digits"` (offline digits classifier),
            `"inception"`, `"pixels"` or a callable; see `get_extractor`.
        batch_size: images per batch.
        num_samples: images drawn from `fake` when it is a model or callable
            (and the cap on both sets otherwise).

    Returns:
        Python float.

    Example:

    >>> fid(real_images, gan, num_samples=1000)      # digits protocol
    """
    extractor = get_extractor(extractor)
    s_real = summarize(real, extractor, None, batch_size, _cap(real, num_samples), 0)
    s_fake = summarize(fake, extractor, None, batch_size, num_samples, 0)
    return frechet_distance(s_real.stats.mean, s_real.stats.cov, s_fake.stats.mean, s_fake.stats.cov)


def _cap(source, num_samples):
    """num_samples applies to a real array only as a cap."""
    return num_samples if hasattr(source, "shape") else None
