"""`GANMetrics`: FID/KID (or more) into the epoch logs every N epochs."""

import contextlib

import keras
import numpy as np

from keras_gans.callbacks._common import (
    _check_every,
    _require_generative,
    _scalar_logs,
)


class GANMetrics(keras.callbacks.Callback):
    """Compute FID/KID (and optionally more) into the epoch logs.

    The real set is summarised once (at the first evaluation). Every
    evaluation generates `num_samples` images from the same seeded noise, so
    changes between epochs come from the generator, not from the sampling.
    Keys state the protocol: with the default digits extractor they are
    `fid_digits`, `kid_digits` and `kid_digits_std` (see
    `keras_gans.evaluation.evaluate_generator`).

    Metrics are computed after the first epoch and then after every
    `every`-th epoch. With `fill="last"` (the default) the other epochs carry
    the last computed values, so that `CSVLogger` (which fixes its columns
    at the first epoch) keeps the columns and every row has a value; note
    that `EarlyStopping` then counts a carried value as "no improvement", so
    give it a `patience` of at least `every`, and `mode="min"` (Keras cannot
    infer the direction of a key it does not know). With `fill=None` the
    keys are only present on evaluated epochs.

    Args:
        real_images: reference images (n, H, W, C) in [-1, 1], or an
            iterable of batches (held-out data gives an honest score).
        every: evaluate every `every` epochs.
        num_samples: generated images per evaluation.
        extractor: see `keras_gans.evaluation.get_extractor` (default: the
            digits classifier).
        metrics: any of `"fid"`, `"kid"`, `"precision_recall"`, `"is"`,
            `"coverage"` (the last two need an extractor with
            `predict_proba`, such as the digits classifier).
        batch_size: images per batch.
        seed: seed of the generated noise.
        kid_subsets, kid_subset_size: KID subsets.
        fill: `"last"` or None; see above.
        prefix: prepended to every key (e.g. `"ema_"`).
        ema: a `GeneratorEMA`; if given, the averaged generator is measured.
        verbose: print the values after each evaluation.

    Attributes:
        results: list of `(epoch, dict)` for every evaluation.

    Example:

    >>> x_test = keras_gans.datasets.load_digits(split="test")
    >>> history = gan.fit(data, epochs=20, callbacks=[
    ...     GANMetrics(x_test, every=5, num_samples=1000),
    ...     keras.callbacks.CSVLogger("log.csv")])
    >>> history.history["fid_digits"]
    """

    def __init__(
        self,
        real_images,
        every=1,
        num_samples=1000,
        extractor=None,
        metrics=("fid", "kid"),
        batch_size=256,
        seed=0,
        kid_subsets=100,
        kid_subset_size=1000,
        fill="last",
        prefix="",
        ema=None,
        verbose=False,
    ):
        super().__init__()
        if fill not in ("last", None):
            raise ValueError(f"fill must be 'last' or None; received {fill!r}.")
        self.real_images = real_images
        self.every = _check_every(every)
        self.num_samples = int(num_samples)
        self.extractor = extractor
        self.metrics = tuple(metrics)
        self.batch_size = int(batch_size)
        self.seed = seed
        self.kid_subsets = kid_subsets
        self.kid_subset_size = kid_subset_size
        self.fill = fill
        self.prefix = prefix
        self.ema = ema
        self.verbose = verbose
        self.results = []
        self._real = None
        self._last = None

    def _due(self, epoch):
        return epoch == 0 or (epoch + 1) % self.every == 0

    def evaluate(self):
        """Measure the current generator now; returns the metrics dict."""
        from keras_gans.evaluation import features, metrics

        _require_generative(self.model, "GANMetrics")
        extractor = features.get_extractor(self.extractor)
        self.extractor = extractor
        classifier = extractor if callable(getattr(extractor, "predict_proba", None)) else None
        if not ({"is", "coverage"} & set(self.metrics)):
            classifier = None
        if self._real is None:
            self._real = metrics.summarize(
                self.real_images, extractor, None, self.batch_size, None
            )
        context = self.ema.swapped(self.model) if self.ema is not None else contextlib.nullcontext()
        with context:
            fake = metrics.summarize(
                self.model, extractor, classifier, self.batch_size,
                self.num_samples, seed=self.seed,
                is_splits=int(np.clip(self.num_samples // 1000, 1, 10)),
            )
        return metrics.metrics_from_summaries(
            self._real,
            fake,
            features.extractor_name(extractor),
            features.extractor_name(classifier) if classifier is not None else None,
            metrics=self.metrics,
            num_subsets=self.kid_subsets,
            subset_size=self.kid_subset_size,
            seed=self.seed,
        )

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            logs = {}
        if self._due(epoch):
            results = self.evaluate()
            self.results.append((epoch, results))
            self._last = {self.prefix + k: v for k, v in _scalar_logs(results).items()}
            logs.update(self._last)
            if self.verbose:
                shown = ", ".join(f"{k}={v:.4g}" for k, v in self._last.items())
                print(f"GANMetrics epoch {epoch + 1}: {shown}")
        elif self.fill == "last" and self._last:
            logs.update(self._last)
