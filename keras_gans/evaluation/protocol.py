"""A real-data protocol: every number for a generator beside its floor.

`RealDataProtocol` scores generators against one data set's held-out images
in one feature space and reports, under names that state the protocol
(`fid10k_mnist_cnn`: 10,000 samples, MNIST classifier features):

| key | meaning |
|---|---|
| `fid<N>_<t>`, `kid<N>_<t>` (+`_std`) | N samples against the test images |
| `fid_floor_<t>`, `kid_floor_<t>` | the real-data floor: `num_floor` training images against the same test images, what a perfect generator of the training distribution would score |
| `fid_ratio_<t>` | `fid<N>_<t> / fid_floor_<t>` |
| `precision_<t>`, `recall_<t>` | improved precision/recall against the test images |
| `fid<N>_train_<t>`, `fid_gap_<t>` | FID against a training subset as large as the test set, and `fid<N> - fid<N>_train` (memorization; see `memorization`) |
| `nn_ratio_<t>` | median nearest-training-image distance of samples / that of test images |
| `memorization_num_train` | how many training images the memorization figures compare against: the whole split, or `x_trained` (a small-data recipe's own subset) |
| `class_shares_<t>`, `class_share_min_<t>`, `classes_covered_<t>` | coverage under the classifier |
| `label_accuracy_<t>` | conditional models: samples classified as their label |
| `floor_class_share_min_<t>`, `floor_num_train`, `num_real`, `num_fake` | the counts and the floor's coverage |

`<t>` is the extractor's tag (`digits`, `mnist_cnn`, `fashion_mnist_cnn`)
and `<N>` the sample count (`1k`, `10k`, or the number itself).

Example:

>>> protocol = RealDataProtocol("mnist_cnn", x_train, x_test)  # 10k samples
>>> results = protocol.evaluate(gan)
>>> results["fid10k_mnist_cnn"], results["fid_floor_mnist_cnn"]
"""

import numpy as np

from keras_gans.evaluation.coverage import class_shares
from keras_gans.evaluation.coverage import label_accuracy
from keras_gans.evaluation.features import extractor_name
from keras_gans.evaluation.features import get_extractor
from keras_gans.evaluation.memorization import fid_gap_from_features
from keras_gans.evaluation.memorization import nn_ratio_from_features
from keras_gans.evaluation.fid import fid_from_features
from keras_gans.evaluation.kid import kid_from_features
from keras_gans.evaluation.precision_recall import precision_recall_from_features
from keras_gans.evaluation.summaries import generate_batches


def count_tag(n):
    """How a sample count appears in a metric name: 1000 -> '1k'.

    Args:
        n: a positive integer.

    Returns:
        `'<n/1000>k'` for multiples of 1000, else the number.

    Example:

    >>> count_tag(10000), count_tag(1000), count_tag(64)
    ('10k', '1k', '64')
    """
    n = int(n)
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def features_and_probs(extractor, images, classifier=None):
    """Features (and class probabilities) of an image array, in batches.

    Args:
        extractor: an extractor object (see `get_extractor`).
        images: array (n, H, W, C) in [-1, 1].
        classifier: an object with `predict_proba`, or None. When it is the
            extractor itself and has `features_and_proba`, one pass serves
            both.

    Returns:
        `(features (n, d), probs (n, C) or None)`, numpy arrays.

    Example:

    >>> f, p = features_and_probs(get_extractor("pixels"), np.zeros((2, 8, 8, 1)))
    >>> f.shape, p
    ((2, 64), None)
    """
    if classifier is not None and classifier is extractor and hasattr(
        extractor, "features_and_proba"
    ):
        features, probs = extractor.features_and_proba(images)
    else:
        features = extractor(images)
        probs = classifier.predict_proba(images) if classifier is not None else None
    features = np.asarray(features, dtype="float32")
    return features, (None if probs is None else np.asarray(probs, dtype="float64"))


def _sample(model, num_samples, seed, batch_size):
    images, labels = [], []
    for batch, batch_labels in generate_batches(model, num_samples, batch_size, seed):
        images.append(batch)
        if batch_labels is not None:
            labels.append(np.asarray(batch_labels))
    return np.concatenate(images), (np.concatenate(labels) if labels else None)


class RealDataProtocol:
    """Scores generators against a data set's test images, beside the floor.

    The reference features (all training images, the test images, the floor
    subset) are computed once when the protocol is built; each `evaluate`
    then only samples and extracts the generator's images.

    Args:
        extractor: see `get_extractor` (`"digits"`, `"mnist_cnn"`,
            `"fashion_mnist_cnn"`, ... or an extractor object).
        x_train: the training split the generator was trained on,
            (n, H, W, C) in [-1, 1].
        x_test: held-out images of the same data set.
        x_trained: the images the generator actually saw, when it was
            trained on a subset of `x_train` (a small-data recipe, e.g. the
            first 2,000 images). The memorization figures (`fid_gap_<t>`,
            `fid<N>_train_<t>`, `nn_ratio_<t>`) are then measured against
            these, since copying them is what memorization means; the
            floor still uses `x_train`. None: `x_train` itself.
        num_samples: generated images per evaluation.
        num_floor: training images in the real-data floor (a seeded random
            subset; capped by the training split's size).
        seed: seed of the floor subset, the KID subsets, the FID-gap subset
            and the generator's noise.
        batch_size: images per generator batch.
        k: precision/recall neighbourhood size.

    Attributes:
        floor: the floor's metrics, a dict (keys as in the module table).
        tag: the extractor's tag used in metric names.

    Example:

    >>> p = RealDataProtocol("digits", x_train, x_test, num_samples=1000,
    ...                      num_floor=1000)
    >>> sorted(p.floor)[:2]
    ['fid_floor_digits', 'floor_class_share_min_digits']
    """

    def __init__(
        self,
        extractor,
        x_train,
        x_test,
        num_samples=10_000,
        num_floor=10_000,
        seed=0,
        batch_size=256,
        k=3,
        x_trained=None,
    ):
        self.extractor = get_extractor(extractor)
        self.classifier = (
            self.extractor if callable(getattr(self.extractor, "predict_proba", None)) else None
        )
        self.tag = extractor_name(self.extractor)
        self.num_samples = int(num_samples)
        self.seed = int(seed)
        self.batch_size = int(batch_size)
        self.k = int(k)
        x_train = np.asarray(x_train, dtype="float32")
        x_test = np.asarray(x_test, dtype="float32")
        if len(x_train) < 2 or len(x_test) < 2:
            raise ValueError(
                "The protocol needs at least 2 training and 2 test images; "
                f"received {len(x_train)} and {len(x_test)}."
            )
        self.train_features, self.train_probs = features_and_probs(
            self.extractor, x_train, self.classifier
        )
        self.test_features, _ = features_and_probs(self.extractor, x_test, self.classifier)
        if x_trained is None:
            self.trained_features = self.train_features
        else:
            x_trained = np.asarray(x_trained, dtype="float32")
            if x_trained.ndim != 4 or x_trained.shape[1:] != x_train.shape[1:] or len(x_trained) < 2:
                raise ValueError(
                    "x_trained must be at least 2 images shaped like x_train's "
                    f"{tuple(x_train.shape[1:])}; received an array of shape "
                    f"{tuple(x_trained.shape)}."
                )
            self.trained_features, _ = features_and_probs(self.extractor, x_trained, None)
        rng = np.random.default_rng(self.seed)
        n_floor = min(int(num_floor), len(x_train))
        self.floor_index = rng.choice(len(x_train), size=n_floor, replace=False)
        self.floor = self._floor()

    def _kid(self, features):
        return kid_from_features(self.test_features, features, 100, 1000, self.seed)

    def _floor(self):
        t = self.tag
        floor_features = self.train_features[self.floor_index]
        kid_mean, kid_std = self._kid(floor_features)
        out = {
            f"fid_floor_{t}": fid_from_features(self.test_features, floor_features),
            f"kid_floor_{t}": kid_mean,
            f"kid_floor_{t}_std": kid_std,
            "floor_num_train": int(len(self.floor_index)),
        }
        if self.train_probs is not None:
            shares = class_shares(self.train_probs[self.floor_index], self.train_probs.shape[1])
            out[f"floor_class_share_min_{t}"] = float(shares.min())
        return out

    def _gap(self, features):
        # FID against the test images and against as many trained images
        # (equal-size references, so both carry the same finite-sample
        # bias). A trained subset smaller than the test set is compared with
        # as many test images instead, drawn with the same seed.
        trained, test = self.trained_features, self.test_features
        if len(trained) >= len(test):
            return fid_gap_from_features(features, trained, test, seed=self.seed + 1)
        idx = np.random.default_rng(self.seed + 1).choice(len(test), size=len(trained), replace=False)
        fid_test = fid_from_features(self.test_features, features)
        _, small_test, fid_train = fid_gap_from_features(
            features, trained, test[np.sort(idx)], seed=self.seed + 1
        )
        return small_test - fid_train, fid_test, fid_train

    def evaluate_images(self, images, labels=None):
        """Score a set of images (e.g. samples) under the protocol.

        Args:
            images: array (n, H, W, C) in [-1, 1].
            labels: the labels the images were generated for (conditional
                models), or None.

        Returns:
            A dict of metrics; see the module table. The floor's entries are
            included.

        Example:

        >>> p.evaluate_images(x_test)["fid_gap_digits"]     # real test images
        """
        t, n = self.tag, count_tag(len(images))
        features, probs = features_and_probs(self.extractor, images, self.classifier)
        kid_mean, kid_std = self._kid(features)
        gap, fid_test, fid_train = self._gap(features)
        out = {
            f"fid{n}_{t}": fid_test,
            f"kid{n}_{t}": kid_mean,
            f"kid{n}_{t}_std": kid_std,
        }
        if min(len(features), len(self.test_features)) > self.k:
            out[f"precision_{t}"], out[f"recall_{t}"] = precision_recall_from_features(
                self.test_features, features, self.k
            )
        out.update(self.floor)
        out[f"fid_ratio_{t}"] = fid_test / out[f"fid_floor_{t}"]
        out[f"fid{n}_train_{t}"] = fid_train
        out[f"fid_gap_{t}"] = gap
        out[f"nn_ratio_{t}"] = nn_ratio_from_features(
            features, self.trained_features, self.test_features
        )
        out["memorization_num_train"] = int(len(self.trained_features))
        if probs is not None:
            shares = class_shares(probs, probs.shape[1])
            out[f"class_shares_{t}"] = [float(s) for s in shares]
            out[f"class_share_min_{t}"] = float(shares.min())
            out[f"classes_covered_{t}"] = int(np.sum(shares > 0))
            if labels is not None:
                out[f"label_accuracy_{t}"] = label_accuracy(probs, labels)
        out["num_real"] = int(len(self.test_features))
        out["num_fake"] = int(len(features))
        return out

    def evaluate(self, model, num_samples=None, seed=None):
        """Sample a generator and score the samples.

        Args:
            model: a keras_gans GAN (conditional models get balanced labels,
                or the model's own `sample_inputs`).
            num_samples: default the protocol's `num_samples`.
            seed: noise seed; default the protocol's seed.

        Returns:
            A dict of metrics; see the module table.

        Example:

        >>> RealDataProtocol("digits", x_train, x_test, 1000, 1000).evaluate(gan)
        """
        images, labels = _sample(
            model,
            self.num_samples if num_samples is None else int(num_samples),
            self.seed if seed is None else int(seed),
            self.batch_size,
        )
        return self.evaluate_images(images, labels)
