"""Inception Score (Salimans et al. 2016) under any classifier.

`exp(E_x KL(p(y|x) || p(y)))` from a classifier's probabilities: the digits
or MNIST classifiers offline, InceptionV3's ImageNet head for the published
protocol.

Example:

>>> inception_score_from_probs(np.eye(10))
(10.0, 0.0)
"""

import numpy as np

from keras_gans.evaluation.features import get_extractor
from keras_gans.evaluation.summaries import DEFAULT_BATCH_SIZE
from keras_gans.evaluation.summaries import _has_proba
from keras_gans.evaluation.summaries import _InceptionScoreAccumulator
from keras_gans.evaluation.summaries import summarize


def inception_score_from_probs(probs, splits=1):
    """Inception Score from class probabilities p(y|x).

    `exp(E_x KL(p(y|x) || p(y)))` with `p(y)` the mean prediction within each
    of `splits` contiguous chunks; returns the mean and standard deviation
    over chunks. Confident predictions spread evenly over C classes give C;
    identical predictions give 1.

    Args:
        probs: array (n, C) of probabilities (rows sum to 1).
        splits: number of chunks.

    Returns:
        `(mean, std)`, Python floats.

    Example:

    >>> inception_score_from_probs(np.eye(10))
    (10.0, 0.0)
    """
    probs = np.asarray(probs, dtype="float64")
    if probs.ndim != 2:
        raise ValueError(
            f"probs must have shape (n, num_classes); received {probs.shape}."
        )
    if np.any(probs < 0) or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(
            "probs must be probabilities (non-negative rows summing to 1); "
            f"received row sums in [{probs.sum(1).min():.4g}, "
            f"{probs.sum(1).max():.4g}] and minimum {probs.min():.4g}."
        )
    acc = _InceptionScoreAccumulator(splits, total=len(probs))
    acc.update(probs)
    return acc.result()


def inception_score(images, classifier=None, batch_size=DEFAULT_BATCH_SIZE, splits=10, num_samples=None):
    """Inception Score of images under a classifier's probabilities.

    Args:
        images: any source `summarize` takes.
        classifier: an object with `predict_proba(images)`; `None` or
            `"digits"` uses the shared `DigitsClassifier` (the `is_digits`
            protocol); `"inception"` builds InceptionV3 with its ImageNet
            head (downloads weights; the published protocol).
        batch_size: images per batch.
        splits: contiguous chunks (10 in the original protocol on 50k).
        num_samples: images drawn when `images` is a model or callable.

    Returns:
        `(mean, std)` over splits, Python floats.

    Example:

    >>> inception_score(gan, num_samples=1000, splits=1)
    """
    classifier = _resolve_classifier(classifier)
    s = summarize(images, classifier, classifier, batch_size, num_samples, 0, splits)
    return s.inception_score


def _resolve_classifier(classifier):
    if classifier is None or classifier == "digits":
        return get_extractor("digits")
    if classifier == "inception":
        from keras_gans.evaluation.features import InceptionFeatures

        return InceptionFeatures(with_probabilities=True)
    if not _has_proba(classifier):
        raise TypeError(
            "classifier must have a predict_proba(images) method returning "
            f"(n, num_classes) probabilities; received {type(classifier).__name__}."
        )
    return classifier
