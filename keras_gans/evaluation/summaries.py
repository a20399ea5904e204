"""Shared helpers of the metrics: image sources and streaming summaries.

Every metric module (`fid`, `kid`, `inception_score`, `precision_recall`,
`memorization`, `coverage`) works on what one batched pass over an image
source keeps, so memory stays flat as the number of samples grows:

- FID needs running sums (count, sum, sum of outer products, in float64
  around a shift) rather than the features (`RunningStats`).
- The Inception Score accumulates, per split, the sum of class probabilities
  and the sum of `p log p`; the KL divergence is exact from those two.
- KID and precision/recall need the features themselves; a summary keeps the
  first `max_kept` of them (default 10,000; memory `max_kept * d` floats).

`summarize` makes a `FeatureSummary` from an array, a generator model
(sampled with `generate_batches`), a callable or an iterable of batches.

Example:

>>> real = summarize(x_test, "digits")
>>> real.count, real.stats.mean.shape
(360, (64,))
"""

import numpy as np
import scipy.special

from keras_gans.evaluation.features import get_extractor

DEFAULT_BATCH_SIZE = 256
DEFAULT_MAX_KEPT = 10_000


class RunningStats:
    """Streaming mean and covariance of feature vectors (float64).

    Accumulates the count, the sum and the sum of outer products of
    `x - shift` (the shift is the first batch's mean, which keeps the
    subtraction in `cov` well conditioned), so memory is O(d^2) however
    many samples pass through.

    Example:

    >>> stats = RunningStats()
    >>> for batch in np.array_split(np.random.randn(1000, 4), 7):
    ...     stats.update(batch)
    >>> stats.count
    1000
    """

    def __init__(self):
        self.count = 0
        self._shift = None
        self._sum = None
        self._outer = None

    def update(self, features):
        """Add a batch of features of shape (n, d)."""
        x = np.asarray(features, dtype="float64")
        if x.ndim != 2:
            raise ValueError(
                f"Features must have shape (n, d); received shape {x.shape}."
            )
        if len(x) == 0:
            return
        if self._shift is None:
            self._shift = x.mean(axis=0)
            d = x.shape[1]
            self._sum = np.zeros(d)
            self._outer = np.zeros((d, d))
        elif x.shape[1] != self._shift.shape[0]:
            raise ValueError(
                f"Feature dimension changed from {self._shift.shape[0]} to "
                f"{x.shape[1]} between batches."
            )
        x = x - self._shift
        self._sum += x.sum(axis=0)
        self._outer += x.T @ x
        self.count += len(x)

    @property
    def mean(self):
        """Mean feature vector (d,)."""
        self._check(1)
        return self._shift + self._sum / self.count

    @property
    def cov(self):
        """Unbiased covariance matrix (d, d), like `np.cov(x, rowvar=False)`."""
        self._check(2)
        centred = self._sum / self.count
        return (self._outer - self.count * np.outer(centred, centred)) / (
            self.count - 1
        )

    def _check(self, minimum):
        if self.count < minimum:
            raise ValueError(
                f"Need at least {minimum} samples for these statistics; "
                f"received {self.count}."
            )


class _InceptionScoreAccumulator:
    """Per-split sums of p(y|x) and of sum_y p log p (streamed IS)."""

    def __init__(self, splits, total=None):
        self.splits = int(splits)
        if self.splits < 1:
            raise ValueError(f"splits must be >= 1; received {splits}.")
        self.total = total
        self.seen = 0
        self.sum_p = None
        self.sum_plogp = np.zeros(self.splits)
        self.count = np.zeros(self.splits, dtype="int64")

    def update(self, probs):
        probs = np.asarray(probs, dtype="float64")
        index = self.seen + np.arange(len(probs))
        if self.total:
            split = np.minimum(index * self.splits // self.total, self.splits - 1)
        else:
            split = index % self.splits
        if self.sum_p is None:
            self.sum_p = np.zeros((self.splits, probs.shape[1]))
        plogp = scipy.special.xlogy(probs, probs).sum(axis=1)
        np.add.at(self.sum_p, split, probs)
        np.add.at(self.sum_plogp, split, plogp)
        np.add.at(self.count, split, 1)
        self.seen += len(probs)

    def result(self):
        scores = []
        for s in range(self.splits):
            n = self.count[s]
            if n == 0:
                continue
            p_y = self.sum_p[s] / n
            mean_kl = self.sum_plogp[s] / n - scipy.special.xlogy(p_y, p_y).sum()
            scores.append(float(np.exp(mean_kl)))
        if not scores:
            raise ValueError("The Inception Score needs at least one sample.")
        return float(np.mean(scores)), float(np.std(scores))


class FeatureSummary:
    """What one pass over an image set keeps: enough for every metric.

    Built by `summarize`; feed batches with `update`.

    Args:
        max_kept: how many feature vectors to keep (for KID and
            precision/recall); FID statistics use every sample.
        is_splits: Inception Score splits.
        total: the number of samples to come, if known (contiguous IS
            splits); otherwise samples are assigned to splits in turn.

    Attributes:
        stats: `RunningStats` of all features (for FID).
        features: the first `max_kept` features (for KID, precision/recall).
        class_counts: histogram of predicted classes (with a classifier).
        inception_score: `(mean, std)` (with a classifier), else None.
        label_accuracy: share of samples classified as their conditioning
            label (conditional generators with a classifier), else None.
        count: number of images seen.

    Example:

    >>> s = FeatureSummary(max_kept=100)
    >>> s.update(np.random.randn(250, 4))
    >>> s.count, s.features.shape
    (250, (100, 4))
    """

    def __init__(self, max_kept=DEFAULT_MAX_KEPT, is_splits=1, total=None):
        self.max_kept = int(max_kept)
        self.stats = RunningStats()
        self._kept = []
        self._n_kept = 0
        self._is = _InceptionScoreAccumulator(is_splits, total)
        self.class_counts = None
        self._correct = 0
        self._labelled = 0

    @property
    def count(self):
        """Number of feature vectors seen."""
        return self.stats.count

    @property
    def features(self):
        """The kept feature vectors, (min(count, max_kept), d)."""
        if not self._kept:
            return np.zeros((0, 0), "float32")
        return np.concatenate(self._kept, axis=0)

    def update(self, features, probs=None, labels=None):
        """Add one batch.

        Args:
            features: (b, d) features.
            probs: optional (b, C) class probabilities.
            labels: optional (b,) conditioning labels (for label accuracy).
        """
        features = np.asarray(features, dtype="float32")
        if features.ndim != 2:
            raise ValueError(
                "An extractor must return features of shape (n, d); received "
                f"shape {features.shape}."
            )
        self.stats.update(features)
        room = self.max_kept - self._n_kept
        if room > 0:
            self._kept.append(features[:room])
            self._n_kept += len(features[:room])
        if probs is not None:
            probs = np.asarray(probs, dtype="float64")
            self._is.update(probs)
            predicted = np.argmax(probs, axis=1)
            counts = np.bincount(predicted, minlength=probs.shape[1])
            self.class_counts = counts if self.class_counts is None else self.class_counts + counts
            if labels is not None:
                self._correct += int(np.sum(predicted == np.asarray(labels)))
                self._labelled += len(predicted)

    @property
    def is_splits(self):
        """How many contiguous splits the Inception Score's std is over.

        Example:

        >>> FeatureSummary(is_splits=10).is_splits
        10
        """
        return self._is.splits

    @property
    def inception_score(self):
        """`(mean, std)` over splits, or None without probabilities."""
        if self.class_counts is None:
            return None
        return self._is.result()

    @property
    def class_shares(self):
        """Share of samples predicted as each class, or None."""
        if self.class_counts is None:
            return None
        return self.class_counts / max(1, self.class_counts.sum())

    @property
    def label_accuracy(self):
        """Share of samples classified as their label, or None."""
        if not self._labelled:
            return None
        return self._correct / self._labelled


def _to_numpy(x):
    if isinstance(x, np.ndarray):
        return x
    import keras

    return np.asarray(keras.ops.convert_to_numpy(x))


def generate_batches(model, num_samples, batch_size=DEFAULT_BATCH_SIZE, seed=0):
    """Yield `(images, labels)` batches from a generative model, reproducibly.

    The latent vectors are drawn from a standard normal with a numpy
    generator seeded by `seed`, so the same call gives the same noise each
    time (useful to compare epochs). Conditional models (with a
    `num_classes` attribute) get balanced labels `0, 1, ..., C-1, 0, ...`.

    Args:
        model: a `keras_gans.GAN`-like object with `latent_dim` and either
            `generate(z=..., labels=...)` or a `generator` sub-model.
        num_samples: total number of images.
        batch_size: images per batch.
        seed: seed of the latent noise.

    Returns:
        An iterator of `(images, labels)`; images are float32 numpy arrays
        (b, H, W, C) in [-1, 1]; labels is None for unconditional models.

    Example:

    >>> for images, labels in generate_batches(gan, 100, batch_size=50):
    ...     print(images.shape)
    (50, 8, 8, 1)
    (50, 8, 8, 1)
    """
    latent_dim = getattr(model, "latent_dim", None)
    if latent_dim is None:
        raise ValueError(
            "Expected a generative model with a `latent_dim` attribute (a "
            f"keras_gans GAN); received {type(model).__name__} without one."
        )
    inputs = _model_sample_inputs(model, num_samples, seed)
    if inputs is not None:
        z_all, labels_all = inputs
        for start in range(0, num_samples, batch_size):
            z = z_all[start : start + batch_size]
            labels = None if labels_all is None else labels_all[start : start + batch_size]
            yield sample_images(model, z, labels), labels
        return
    num_classes = getattr(model, "num_classes", None)
    rng = np.random.default_rng(seed)
    start = 0
    while start < num_samples:
        b = min(batch_size, num_samples - start)
        z = rng.standard_normal((b, int(latent_dim))).astype("float32")
        labels = None
        if num_classes:
            labels = (np.arange(start, start + b) % int(num_classes)).astype("int32")
        yield sample_images(model, z, labels), labels
        start += b


def _model_sample_inputs(model, num_samples, seed):
    """The model's own `sample_inputs(n, seed)` as numpy, or None.

    GANs that define `sample_inputs(n, seed) -> (z, labels or None)` choose
    their own noise and labels; older models fall back to the noise drawn
    in `generate_batches`.
    """
    sample_inputs = getattr(model, "sample_inputs", None)
    if not callable(sample_inputs):
        return None
    z, labels = sample_inputs(int(num_samples), seed=int(seed))
    z = _to_numpy(z).astype("float32")
    labels = None if labels is None else _to_numpy(labels).astype("int32")
    if len(z) != num_samples or (labels is not None and len(labels) != num_samples):
        raise ValueError(
            f"{type(model).__name__}.sample_inputs({num_samples}) returned "
            f"{len(z)} noise rows and "
            f"{'no' if labels is None else len(labels)} labels; expected "
            f"{num_samples} of each."
        )
    return z, labels


def sample_images(model, z, labels=None):
    """Run a model's generator on given noise (and labels); numpy out.

    Args:
        model: an object with `generate(z=..., labels=...)`, or with a
            `generator` sub-model, or a generator model itself.
        z: latent vectors (n, latent_dim).
        labels: int labels (n,) for conditional models, else None.

    Returns:
        float32 numpy images (n, H, W, C).

    Example:

    >>> z = np.random.default_rng(0).standard_normal((4, gan.latent_dim))
    >>> sample_images(gan, z.astype("float32")).shape
    (4, 8, 8, 1)
    """
    if hasattr(model, "generate"):
        kwargs = {"z": z}
        if labels is not None:
            kwargs["labels"] = labels
        images = model.generate(**kwargs)
    else:
        generator = getattr(model, "generator", model)
        inputs = z if labels is None else [z, labels]
        images = generator(inputs, training=False)
    return _to_numpy(images).astype("float32")


def _iter_images(source, batch_size, num_samples=None, seed=0):
    """Yield `(images, labels)` numpy batches from many kinds of source."""
    if hasattr(source, "latent_dim"):
        if num_samples is None:
            raise ValueError(
                "To sample from a generative model pass num_samples= "
                "(how many images to evaluate)."
            )
        yield from generate_batches(source, num_samples, batch_size, seed)
        return
    if isinstance(source, (list, tuple)) and source and not np.isscalar(source[0]):
        source = np.asarray(source)
    if isinstance(source, np.ndarray) or hasattr(source, "shape"):
        images = _to_numpy(source)
        if num_samples is not None:
            images = images[:num_samples]
        for start in range(0, len(images), batch_size):
            yield images[start : start + batch_size], None
        return
    if callable(source):
        if num_samples is None:
            raise ValueError(
                "A callable image source needs num_samples= (it is called "
                "as source(n) and must return n images)."
            )
        done = 0
        while done < num_samples:
            b = min(batch_size, num_samples - done)
            yield _to_numpy(source(b)), None
            done += b
        return
    try:
        iterator = iter(source)
    except TypeError:
        raise TypeError(
            "Expected images as an array (n, H, W, C), a generative model, a "
            "callable n -> images, or an iterable of batches (e.g. a "
            f"tf.data.Dataset); received {type(source).__name__}."
        ) from None
    done = 0
    for batch in iterator:
        if isinstance(batch, dict):
            batch = batch.get("images", batch.get("image"))
        elif isinstance(batch, (tuple, list)):
            batch = batch[0]
        batch = _to_numpy(batch)
        if num_samples is not None:
            batch = batch[: num_samples - done]
        if len(batch):
            yield batch, None
        done += len(batch)
        if num_samples is not None and done >= num_samples:
            return


def _has_proba(obj):
    return obj is not None and callable(getattr(obj, "predict_proba", None))


def _extract(extractor, classifier, images):
    """Features and (optionally) probabilities; one pass when they coincide."""
    if classifier is not None and classifier is extractor and hasattr(
        extractor, "features_and_proba"
    ):
        return extractor.features_and_proba(images)
    features = extractor(images)
    probs = classifier.predict_proba(images) if classifier is not None else None
    return features, probs


def summarize(
    source,
    extractor=None,
    classifier=None,
    batch_size=DEFAULT_BATCH_SIZE,
    num_samples=None,
    max_kept=DEFAULT_MAX_KEPT,
    is_splits=1,
    seed=0,
):
    """One batched pass over an image source; returns a `FeatureSummary`.

    Args:
        source: images (n, H, W, C) in [-1, 1]; a generative model (then
            `num_samples` images are drawn with noise seeded by `seed`); a
            callable `n -> images`; or an iterable of batches (a
            `tf.data.Dataset` of images or of `(images, labels)`).
        extractor: see `features.get_extractor`.
        classifier: an object with `predict_proba`, or None.
        batch_size: images per batch.
        num_samples: how many images to use (all of an array by default).
        max_kept: how many features to keep for KID and precision/recall.
        is_splits: Inception Score splits.
        seed: noise seed when `source` is a model.

    Returns:
        A `FeatureSummary`.

    Example:

    >>> real = summarize(x_test, "digits")          # once
    >>> fake = summarize(gan, "digits", num_samples=1000)
    >>> metrics_from_summaries(real, fake, "digits", metrics=("fid",))
    {'fid_digits': ..., 'num_real': 360, 'num_fake': 1000}
    """
    extractor = get_extractor(extractor)
    total = num_samples
    if total is None and hasattr(source, "shape"):
        total = len(source)
    summary = FeatureSummary(max_kept=max_kept, is_splits=is_splits, total=total)
    for images, labels in _iter_images(source, batch_size, num_samples, seed):
        features, probs = _extract(extractor, classifier, images)
        summary.update(features, probs, labels)
    if summary.count == 0:
        raise ValueError("The image source yielded no images.")
    return summary
