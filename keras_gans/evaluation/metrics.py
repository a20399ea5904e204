"""Every sample-quality metric for a generator, named by its protocol.

One small module per metric family over shared helpers:

- `summaries`: image sources (arrays, generator models, callables,
  iterables) and the streaming `FeatureSummary` every metric reads;
- `fid`, `kid`, `inception_score`, `precision_recall`: one family each;
- `memorization` (FID gap, nearest-neighbour ratio) and `coverage` (class
  shares, label accuracy);
- `protocol`: `RealDataProtocol`, every number beside its real-data floor.

This module combines them: `evaluate_generator` scores a generator in one
pass per image set, and `metrics_from_summaries` turns two summaries into
named metrics. Names state their protocol: `fid_digits` (FID on
`DigitsClassifier` features), `kid_inception`, plus `num_real`/`num_fake`,
the sample counts behind them. Every name defined in the family modules is
importable from here too, as before the split.

References: Heusel et al. 2017 (FID), Binkowski et al. 2018 (KID), Salimans
et al. 2016 (IS), Kynkaanniemi et al. 2019 (improved precision and recall).

Example:

>>> results = evaluate_generator(gan, x_test, num_samples=1000)
>>> results["fid_digits"]
"""

import numpy as np

from keras_gans.evaluation.features import extractor_name
from keras_gans.evaluation.features import get_extractor
from keras_gans.evaluation.fid import _cap  # noqa: F401
from keras_gans.evaluation.fid import feature_statistics  # noqa: F401
from keras_gans.evaluation.fid import fid  # noqa: F401
from keras_gans.evaluation.fid import fid_from_features  # noqa: F401
from keras_gans.evaluation.fid import frechet_distance
from keras_gans.evaluation.inception_score import _resolve_classifier
from keras_gans.evaluation.inception_score import inception_score  # noqa: F401
from keras_gans.evaluation.inception_score import inception_score_from_probs  # noqa: F401
from keras_gans.evaluation.kid import kid  # noqa: F401
from keras_gans.evaluation.kid import kid_from_features
from keras_gans.evaluation.precision_recall import precision_recall  # noqa: F401
from keras_gans.evaluation.precision_recall import precision_recall_from_features
from keras_gans.evaluation.summaries import DEFAULT_BATCH_SIZE
from keras_gans.evaluation.summaries import DEFAULT_MAX_KEPT
from keras_gans.evaluation.summaries import FeatureSummary  # noqa: F401
from keras_gans.evaluation.summaries import RunningStats  # noqa: F401
from keras_gans.evaluation.summaries import _has_proba
from keras_gans.evaluation.summaries import _iter_images  # noqa: F401
from keras_gans.evaluation.summaries import generate_batches  # noqa: F401
from keras_gans.evaluation.summaries import sample_images  # noqa: F401
from keras_gans.evaluation.summaries import summarize


def metrics_from_summaries(
    real,
    fake,
    name,
    classifier_name=None,
    metrics=("fid", "kid", "precision_recall", "is", "coverage"),
    num_subsets=100,
    subset_size=1000,
    k=3,
    seed=0,
):
    """Turn two `FeatureSummary`s into a dict of named metrics.

    Args:
        real, fake: `FeatureSummary` of the real and generated sets.
        name: the extractor's protocol tag (e.g. `"digits"`).
        classifier_name: the classifier's tag, if `fake` has probabilities.
        metrics: which metrics to compute.
        num_subsets, subset_size, k, seed: see `kid_from_features` and
            `precision_recall_from_features`.

    Returns:
        A dict; see `evaluate_generator` for its keys.

    Example:

    >>> metrics_from_summaries(real, fake, "digits", metrics=("fid", "kid"))
    """
    unknown = set(metrics) - {"fid", "kid", "precision_recall", "is", "coverage"}
    if unknown:
        raise ValueError(
            f"Unknown metrics {sorted(unknown)}; expected a subset of "
            "('fid', 'kid', 'precision_recall', 'is', 'coverage')."
        )
    out = {}
    if "fid" in metrics:
        out[f"fid_{name}"] = frechet_distance(
            real.stats.mean, real.stats.cov, fake.stats.mean, fake.stats.cov
        )
    if "kid" in metrics:
        mean, std = kid_from_features(
            real.features, fake.features, num_subsets, subset_size, seed
        )
        out[f"kid_{name}"], out[f"kid_{name}_std"] = mean, std
        # KID as measured, with the subsets behind its mean and std. Not
        # rescaled: the "x10^3" papers use belongs to Inception features;
        # in the zoo's classifier features the kernel has other magnitudes
        # (docs/evaluation.md gives the range to expect per feature space).
        size = min(int(subset_size), len(real.features), len(fake.features))
        out[f"kid_{name}_subsets"] = int(num_subsets)
        out[f"kid_{name}_subset_size"] = int(size)
        out[f"kid_protocol_{name}"] = (
            f"unbiased MMD^2, kernel (x.y/d + 1)^3 on {name} features, "
            f"mean and std (the spread of one subset's estimate, ddof 0) of "
            f"{int(num_subsets)} subsets of {size}"
        )
    if "precision_recall" in metrics:
        p, r = precision_recall_from_features(real.features, fake.features, k)
        out[f"precision_{name}"], out[f"recall_{name}"] = p, r
    if classifier_name and fake.class_counts is not None:
        if "is" in metrics:
            mean, std = fake.inception_score
            splits = fake.is_splits
            # The std is over splits: with one split there is none to report.
            out[f"is_{classifier_name}"] = mean
            out[f"is_{classifier_name}_std"] = std if splits > 1 else None
            out[f"is_{classifier_name}_splits"] = int(splits)
        if "coverage" in metrics:
            shares = fake.class_shares
            out[f"class_shares_{classifier_name}"] = [float(s) for s in shares]
            out[f"class_share_min_{classifier_name}"] = float(shares.min())
            out[f"classes_covered_{classifier_name}"] = int(np.sum(fake.class_counts > 0))
            if fake.label_accuracy is not None:
                out[f"label_accuracy_{classifier_name}"] = float(fake.label_accuracy)
    out["num_real"] = int(real.count)
    out["num_fake"] = int(fake.count)
    return out


def evaluate_generator(
    model,
    real_images,
    num_samples=1000,
    extractor=None,
    classifier="auto",
    batch_size=DEFAULT_BATCH_SIZE,
    seed=0,
    num_subsets=100,
    subset_size=1000,
    k=3,
    is_splits=None,
    max_kept=DEFAULT_MAX_KEPT,
):
    """Every metric for a generator against real images, in one pass each.

    Args:
        model: a `keras_gans.GAN` (or anything with `latent_dim` and
            `generate`/`generator`); conditional models get balanced labels.
        real_images: the reference set: an array (n, H, W, C) in [-1, 1] or
            an iterable of batches (use held-out data for an honest score).
        num_samples: how many images to generate.
        extractor: see `get_extractor`; default the digits classifier.
        classifier: `"auto"` uses the extractor when it has `predict_proba`
            (the digits classifier does); `None` skips IS and coverage; or
            any object with `predict_proba`.
        batch_size: images per batch.
        seed: seed of the latent noise (same seed, same samples).
        num_subsets, subset_size: KID subsets.
        k: precision/recall neighbourhood size.
        is_splits: Inception Score splits; default `num_samples // 1000`
            clipped to [1, 10].
        max_kept: features kept per set for KID and precision/recall.

    Returns:
        A dict with `fid_<x>`, `kid_<x>`, `kid_<x>_std` (the population
        standard deviation of the per-subset estimates: how much one
        subset's KID varies, not the error of the mean), `kid_<x>_subsets`,
        `kid_<x>_subset_size`, `kid_protocol_<x>`, `precision_<x>`,
        `recall_<x>` for extractor tag `<x>`; with a classifier tagged `<c>`
        also `is_<c>`, `is_<c>_std` (over `is_<c>_splits` contiguous splits;
        None for one split), `class_shares_<c>` (list, one share per
        class), `class_share_min_<c>`, `classes_covered_<c>` and, for
        conditional models, `label_accuracy_<c>` (share of samples classified
        as their conditioning label); and `num_real`, `num_fake`.

    Example:

    >>> x_test = keras_gans.datasets.load_digits(split="test")
    >>> results = evaluate_generator(gan, x_test, num_samples=1000)
    >>> results["fid_digits"], results["class_share_min_digits"]
    """
    extractor = get_extractor(extractor)
    if classifier == "auto":
        classifier = extractor if _has_proba(extractor) else None
    elif classifier is not None:
        classifier = _resolve_classifier(classifier)
    if is_splits is None:
        is_splits = int(np.clip(num_samples // 1000, 1, 10))
    real = summarize(real_images, extractor, None, batch_size, None, max_kept)
    fake = summarize(
        model, extractor, classifier, batch_size, num_samples, max_kept, is_splits, seed
    )
    return metrics_from_summaries(
        real,
        fake,
        extractor_name(extractor),
        extractor_name(classifier) if classifier is not None else None,
        num_subsets=num_subsets,
        subset_size=subset_size,
        k=k,
        seed=seed,
    )
