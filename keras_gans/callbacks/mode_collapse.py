"""`ModeCollapseMonitor`: warns (or stops) when samples lose diversity."""

import warnings

import keras
import numpy as np

from keras_gans.callbacks._common import (
    _check_every,
    _require_generative,
)


class ModeCollapseWarning(UserWarning):
    """Issued by `ModeCollapseMonitor` when samples lose diversity.

    Example:

    >>> warnings.simplefilter("error", ModeCollapseWarning)  # make it fatal
    """


def _mean_pairwise_distance(x):
    x = np.asarray(x, dtype="float64").reshape(len(x), -1)
    n = len(x)
    if n < 2:
        raise ValueError(f"Need at least 2 images for a diversity measure; received {n}.")
    norms = np.einsum("ij,ij->i", x, x)
    d2 = np.maximum(norms[:, None] + norms[None, :] - 2.0 * x @ x.T, 0.0)
    return float(np.sqrt(d2).sum() / (n * (n - 1)))


class ModeCollapseMonitor(keras.callbacks.Callback):
    """Warn (and optionally stop) when samples lose diversity or classes.

    Two signals, computed after the first epoch and then every `every`
    epochs on `num_samples` images from fixed noise:

    - `sample_diversity`: the mean pairwise L2 distance between generated
      images divided by the same quantity for real images (pixel space).
      Around 1 for a healthy generator; near 0 when the samples collapse
      onto a few images. Checked against `min_diversity`.
    - `class_share_min_<c>`: the share of the least frequent class among the
      samples according to a classifier (default the digits classifier when
      `min_class_share` is given). Checked against `min_class_share`; a
      fair share is `1 / num_classes`.

    The values go into the logs (so History and CSVLogger record them; other
    epochs carry the last value). A breach issues a `ModeCollapseWarning` and,
    with `stop=True`, sets `model.stop_training`.

    Args:
        min_diversity: threshold for `sample_diversity`, or None to skip.
            Needs `real_images`.
        min_class_share: threshold for the least frequent class's share, or
            None to skip.
        classifier: object with `predict_proba`, `"digits"`, or None
            (`"digits"` is used when `min_class_share` is set).
        stop: stop training on a breach.
        real_images: reference images (n, H, W, C) in [-1, 1] for the
            diversity ratio.
        every: check every `every` epochs.
        num_samples: generated images per check.
        seed: seed of the fixed noise.

    Attributes:
        alarms: list of `(epoch, message)` for every breach.

    Example:

    >>> monitor = ModeCollapseMonitor(min_diversity=0.3, min_class_share=0.03,
    ...                               real_images=x_train, stop=True)
    >>> gan.fit(data, epochs=50, callbacks=[monitor])
    """

    def __init__(
        self,
        min_diversity=0.25,
        min_class_share=None,
        classifier=None,
        stop=False,
        real_images=None,
        every=1,
        num_samples=256,
        seed=0,
    ):
        super().__init__()
        if min_diversity is not None and real_images is None:
            raise ValueError(
                "min_diversity is relative to the real data's diversity; pass "
                "real_images= (an array (n, H, W, C) in [-1, 1]) or set "
                "min_diversity=None."
            )
        if min_diversity is None and min_class_share is None:
            raise ValueError("Set min_diversity, min_class_share, or both.")
        if min_class_share is not None and classifier is None:
            classifier = "digits"
        self.min_diversity = min_diversity
        self.min_class_share = min_class_share
        self.classifier = classifier
        self.stop = stop
        self.real_images = real_images
        self.every = _check_every(every)
        self.num_samples = int(num_samples)
        self.seed = seed
        self.alarms = []
        self._real_diversity = None
        self._last = None

    def _resolve_classifier(self):
        if isinstance(self.classifier, str):
            from keras_gans.evaluation.features import get_extractor

            self.classifier = get_extractor(self.classifier)
        if self.classifier is not None and not callable(
            getattr(self.classifier, "predict_proba", None)
        ):
            raise TypeError(
                "classifier must have predict_proba(images); received "
                f"{type(self.classifier).__name__}."
            )
        return self.classifier

    def check(self):
        """Measure the current generator; returns `(values, problems)`."""
        from keras_gans.evaluation.features import extractor_name
        from keras_gans.evaluation.metrics import sample_images

        _require_generative(self.model, "ModeCollapseMonitor", sampling=True)
        z, labels = self.model.sample_inputs(self.num_samples, seed=self.seed)
        samples = sample_images(self.model, z, labels)
        values, problems = {}, []
        if self.min_diversity is not None:
            if self._real_diversity is None:
                real = np.asarray(self.real_images, dtype="float32")
                rng = np.random.default_rng(self.seed)
                pick = rng.choice(len(real), min(len(real), self.num_samples), replace=False)
                self._real_diversity = _mean_pairwise_distance(real[pick])
            diversity = _mean_pairwise_distance(samples) / max(self._real_diversity, 1e-12)
            values["sample_diversity"] = diversity
            if diversity < self.min_diversity:
                problems.append(
                    f"sample diversity {diversity:.3g} (mean pairwise distance "
                    f"relative to real data) is below min_diversity={self.min_diversity}"
                )
        classifier = self._resolve_classifier()
        if classifier is not None:
            probs = classifier.predict_proba(samples)
            counts = np.bincount(np.argmax(probs, axis=1), minlength=probs.shape[1])
            shares = counts / counts.sum()
            tag = extractor_name(classifier)
            values[f"class_share_min_{tag}"] = float(shares.min())
            values[f"classes_covered_{tag}"] = float(np.sum(counts > 0))
            if self.min_class_share is not None and shares.min() < self.min_class_share:
                rare = [int(c) for c in np.flatnonzero(shares < self.min_class_share)]
                problems.append(
                    f"classes {rare} each make up less than min_class_share="
                    f"{self.min_class_share} of {len(samples)} samples (least: "
                    f"{shares.min():.3g})"
                )
        return values, problems

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            logs = {}
        if not (epoch == 0 or (epoch + 1) % self.every == 0):
            if self._last:
                logs.update(self._last)
            return
        values, problems = self.check()
        self._last = values
        logs.update(values)
        if problems:
            message = (
                f"Possible mode collapse after epoch {epoch + 1}: "
                + "; ".join(problems)
                + (". Stopping training (stop=True)." if self.stop else ".")
            )
            self.alarms.append((epoch, message))
            warnings.warn(ModeCollapseWarning(message), stacklevel=2)
            if self.stop:
                self.model.stop_training = True
