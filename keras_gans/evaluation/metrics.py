"""Sample-quality metrics for generators: FID, KID, IS, precision/recall.

All metrics take images with values in [-1, 1] and a pluggable feature
extractor (see `keras_gans.evaluation.features`). Images are processed in
batches and only summaries are kept, so memory stays flat as the number of
samples grows:

- FID accumulates running sums (count, sum, sum of outer products, in
  float64 around a shift) rather than storing features.
- The Inception Score accumulates, per split, the sum of class probabilities
  and the sum of `p log p`; the KL divergence is exact from those two.
- KID and precision/recall need the features themselves; they use the first
  `max_kept` samples of each set (default 10,000; memory `max_kept * d`
  floats), and compute kernel and distance matrices block by block.

Metric names state their protocol: `evaluate_generator` returns keys such as
`fid_digits` (FID on `DigitsClassifier` features) or `kid_inception`, plus
`num_real`/`num_fake`, the sample counts behind them.

References: Heusel et al. 2017 (FID), Binkowski et al. 2018 (KID), Salimans
et al. 2016 (IS), Kynkaanniemi et al. 2019 (improved precision and recall).
"""

import warnings

import numpy as np
import scipy.linalg
import scipy.special

from keras_gans.evaluation.features import extractor_name, get_extractor

DEFAULT_BATCH_SIZE = 256
DEFAULT_MAX_KEPT = 10_000


# --------------------------------------------------------------------------
# Streaming summaries.
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Image sources.
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Metrics on features.
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Metrics on images.
# --------------------------------------------------------------------------


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
        # The usual reporting scale (Binkowski et al. 2018 report KID x10^3),
        # and the protocol the number depends on.
        out[f"kid_x1e3_{name}"], out[f"kid_x1e3_{name}_std"] = 1e3 * mean, 1e3 * std
        size = min(int(subset_size), len(real.features), len(fake.features))
        out[f"kid_protocol_{name}"] = (
            f"unbiased MMD^2, kernel (x.y/d + 1)^3 on {name} features, "
            f"mean of {int(num_subsets)} subsets of {size}; kid_x1e3_* = x10^3"
        )
    if "precision_recall" in metrics:
        p, r = precision_recall_from_features(real.features, fake.features, k)
        out[f"precision_{name}"], out[f"recall_{name}"] = p, r
    if classifier_name and fake.class_counts is not None:
        if "is" in metrics:
            mean, std = fake.inception_score
            out[f"is_{classifier_name}"], out[f"is_{classifier_name}_std"] = mean, std
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
        A dict with `fid_<x>`, `kid_<x>`, `kid_<x>_std`, `precision_<x>`,
        `recall_<x>` for extractor tag `<x>`; with a classifier tagged `<c>`
        also `is_<c>`, `is_<c>_std`, `class_shares_<c>` (list, one share per
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
