"""The offline quality protocol's feature extractor: `DigitsClassifier`
(name `"digits"`), a small convnet trained on the embedded 8x8 digits in
seconds and cached on disk, and `digits_features()`, the shared instance.

Example:

>>> from keras_gans.evaluation.digits import digits_features
>>> digits_features().name
'digits'
"""

import hashlib
import json
import os
import warnings

import numpy as np

from keras_gans import backend
from keras_gans.evaluation.batching import as_image_batch, map_batches, to_numpy
from keras_gans.evaluation.digits_data import (  # noqa: F401  (importable from here)
    _DIGITS_CACHE_VERSION,
    DIGITS_IMAGE_SIZE,
    default_cache_dir,
    digits_cache_path,
    load_digits_split,
)
from keras_gans.evaluation.initializers import NumpyGlorotUniform, numpy_zeros

_DIGITS_FEATURE_DIM = 64


def _build_digits_net(seed):
    import keras
    from keras import layers

    def dense_like(i):
        return {
            "kernel_initializer": NumpyGlorotUniform(seed + i),
            "bias_initializer": numpy_zeros,
        }

    inputs = keras.Input(DIGITS_IMAGE_SIZE + (1,), name="images")
    x = layers.Conv2D(32, 3, padding="same", activation="relu", **dense_like(0))(inputs)
    x = layers.Conv2D(32, 3, padding="same", activation="relu", **dense_like(1))(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu", **dense_like(2))(x)
    x = layers.Flatten()(x)
    features = layers.Dense(
        _DIGITS_FEATURE_DIM, activation="relu", name="features", **dense_like(3)
    )(x)
    probs = layers.Dense(10, activation="softmax", name="probs", **dense_like(4))(features)
    return keras.Model(inputs, [features, probs], name="digits_classifier")


#: A cached digits classifier must reach this accuracy on the held-out split.
_MIN_HELD_OUT_ACCURACY = 0.5


def _weights_digest(arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str(a.dtype).encode())
        h.update(str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()


class DigitsClassifier:
    """A small convnet for the embedded digits: features, labels, accuracy.

    The offline quality protocol (`name = "digits"`): FID and KID computed on
    this network's penultimate layer (64 ReLU units) and the Inception Score
    and class coverage computed from its softmax. It is trained on the digits
    train split (see `load_digits_split`) in a few seconds on a CPU and then
    cached as an `.npz` file holding the weights and a JSON record (format
    version, training settings, data source, held-out accuracy and a SHA-256
    of the weights). A cache file that cannot be read, belongs to other
    settings, or fails its checksum is reported with a warning and rebuilt.

    Trust boundary: the checksum is stored in the cache file, so it detects
    damage, not forgery. A loaded classifier must also reproduce its
    recorded accuracy (and at least 0.5; chance is 0.1) on the held-out digits, which come
    from scikit-learn, not from the cache; random or foreign weights fail
    that. A deliberately forged, well-trained classifier would still pass:
    treat the cache folder (`$KERAS_GANS_CACHE`, `~/.cache/keras_gans`) like
    your code, writable only by you.

    Images of any size are accepted: RGB is averaged to grey and other sizes
    are resized to 8x8 with antialiased bilinear interpolation (an area-like
    average when shrinking, e.g. MNIST's 28x28). Numbers measured on resized
    images describe the 8x8 content only.

    Args:
        cache_dir: where to keep the cache; defaults to `default_cache_dir()`
            (`$KERAS_GANS_CACHE` or `~/.cache/keras_gans`).
        epochs: training epochs (part of the cache key).
        seed: initialisation and shuffling seed (part of the cache key).
        retrain: ignore an existing cache and train again.
        batch_size: images per forward pass when extracting.
        verbose: print training progress.

    Attributes:
        accuracy: accuracy on the held-out test split.
        cache_path: the cache file used (None if it could not be written).
        num_classes: 10.
        feature_dim: 64.

    Example:

    >>> clf = DigitsClassifier()            # trains once, then loads
    >>> x, y, _ = load_digits_split("test")
    >>> (clf.predict_labels(x) == y).mean() > 0.95
    True
    >>> clf(x).shape
    (360, 64)
    """

    name = "digits"
    num_classes = 10
    feature_dim = _DIGITS_FEATURE_DIM
    image_size = DIGITS_IMAGE_SIZE

    def __init__(
        self,
        cache_dir=None,
        epochs=20,
        seed=0,
        retrain=False,
        batch_size=512,
        verbose=False,
    ):
        self.cache_dir = os.path.expanduser(cache_dir) if cache_dir else default_cache_dir()
        self.epochs = int(epochs)
        self.seed = int(seed)
        self.batch_size = int(batch_size)
        self.verbose = verbose
        self.model = self._build_net()
        _, _, self.data_source = self._data("train")
        self.cache_path = self._cache_path()
        self.accuracy = None
        loaded = False
        if not retrain and os.path.exists(self.cache_path):
            problem = self._load(self.cache_path)
            if problem is None:
                loaded = True
            else:
                warnings.warn(
                    f"The {self.name} classifier cache {self.cache_path} is not "
                    f"usable ({problem}); retraining and overwriting it.",
                    stacklevel=2,
                )
                self.model = self._build_net()
        if not loaded:
            self._train()
            self._save(self.cache_path)

    # -- hooks a classifier for another data set overrides ---------------

    cache_version = _DIGITS_CACHE_VERSION
    learning_rate = 2e-3
    train_batch_size = 64

    def _build_net(self):
        return _build_digits_net(self.seed)

    def _cache_path(self):
        return digits_cache_path(self.cache_dir, self.epochs, self.seed)

    def _load_split(self, split):
        """`(images in [-1, 1], labels, source string)` of one split."""
        return load_digits_split(split)

    def _memo_key(self):
        return type(self).__name__

    # -- data ------------------------------------------------------------

    _data_memo = {}

    def _data(self, split):
        key = (self._memo_key(), split)
        if key not in DigitsClassifier._data_memo:
            DigitsClassifier._data_memo[key] = self._load_split(split)
        return DigitsClassifier._data_memo[key]

    def _config(self):
        return {
            "version": self.cache_version,
            "epochs": self.epochs,
            "seed": self.seed,
            "data_source": self.data_source,
            "shapes": [list(w.shape) for w in self.model.weights],
        }

    # -- training --------------------------------------------------------

    def _train(self):
        import keras

        x, y, _ = self._data("train")
        rng = np.random.default_rng(self.seed)
        train_model = keras.Model(self.model.inputs, self.model.outputs[1])
        train_model.compile(
            optimizer=keras.optimizers.Adam(self.learning_rate),
            loss="sparse_categorical_crossentropy",
        )
        # Pre-shuffled epochs: a deterministic order without touching Keras'
        # global random state. The digits (small) go through one fit call
        # over all epochs; large sets one epoch per call, to keep one
        # shuffled copy in memory rather than `epochs` of them.
        verbose = 2 if self.verbose else 0
        if len(x) * self.epochs <= 100_000:
            order = np.concatenate([rng.permutation(len(x)) for _ in range(self.epochs)])
            train_model.fit(
                x[order], y[order], batch_size=self.train_batch_size, epochs=1,
                shuffle=False, verbose=verbose,
            )
        else:
            for _ in range(self.epochs):
                order = rng.permutation(len(x))
                train_model.fit(
                    x[order], y[order], batch_size=self.train_batch_size, epochs=1,
                    shuffle=False, verbose=verbose,
                )
        x_te, y_te, _ = self._data("test")
        self.accuracy = float(np.mean(self.predict_labels(x_te) == y_te))

    # -- cache -------------------------------------------------------------

    def _save(self, path):
        import keras

        weights = [np.asarray(w) for w in self.model.get_weights()]
        meta = dict(self._config())
        meta.update(
            accuracy=self.accuracy,
            sha256=_weights_digest(weights),
            backend=keras.backend.backend(),
            keras_version=keras.__version__,
        )
        arrays = {f"w{i}": w for i, w in enumerate(weights)}
        arrays["meta"] = np.array(json.dumps(meta))
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as f:
                np.savez(f, **arrays)
            os.replace(tmp, path)  # atomic: readers never see half a file
        except OSError as e:
            warnings.warn(
                f"Could not write the {self.name} classifier cache to {path} ({e}); "
                "it will be retrained next time. Set KERAS_GANS_CACHE or pass "
                "cache_dir= to choose a writable directory.",
                stacklevel=3,
            )
            self.cache_path = None

    def cache_problem(self, path=None):
        """Why a cache file cannot be used, or None if it can.

        Checks that the file is a readable `.npz`, that its record matches
        this classifier's format version, training settings, data source and
        weight shapes, that the weights match their SHA-256 and are finite.

        Args:
            path: the cache file; default `self.cache_path`.

        Returns:
            None for a usable file, else a short reason (a string).
        """
        return self._read_cache(path or self.cache_path)[0]

    def _read_cache(self, path):
        try:
            with np.load(path, allow_pickle=False) as data:
                files = dict(data.items())
        except Exception as e:  # zipfile.BadZipFile, ValueError, OSError, EOFError
            return f"unreadable file: {type(e).__name__}: {e}", None
        if "meta" not in files:
            return "no metadata record", None
        try:
            meta = json.loads(str(files.pop("meta")))
        except ValueError as e:
            return f"metadata is not JSON: {e}", None
        if not isinstance(meta, dict):
            return "metadata is not a record", None
        for key, value in self._config().items():
            if meta.get(key) != value:
                return f"{key} is {meta.get(key)!r}, expected {value!r}", None
        try:
            weights = [files[f"w{i}"] for i in range(len(self.model.weights))]
        except KeyError as e:
            return f"missing weight array {e}", None
        if _weights_digest(weights) != meta.get("sha256"):
            return "weights do not match their checksum", None
        if not all(np.all(np.isfinite(w)) for w in weights):
            return "weights are not finite", None
        return None, (weights, meta)

    def _load(self, path):
        """Load weights from `path`; return None on success or a reason.

        The checksum inside the file only catches damage: a forged file can
        carry a matching one. So the loaded network must also classify the
        held-out digits (bundled with scikit-learn, outside the cache) as
        well as its record says, and at least `_MIN_HELD_OUT_ACCURACY`.
        """
        problem, content = self._read_cache(path)
        if problem is None:
            weights, meta = content
            self.model.set_weights(weights)
            x_te, y_te, _ = self._data("test")
            measured = float(np.mean(self.predict_labels(x_te) == y_te))
            recorded = meta.get("accuracy")
            if not isinstance(recorded, (int, float)) or abs(measured - recorded) > 0.01:
                return (
                    f"its held-out accuracy is {measured:.3f} but its record "
                    f"says {recorded!r}"
                )
            if measured < _MIN_HELD_OUT_ACCURACY:
                return (
                    f"its held-out accuracy {measured:.3f} is below "
                    f"{_MIN_HELD_OUT_ACCURACY}"
                )
            self.accuracy = measured
        return problem

    # -- inference -------------------------------------------------------

    def preprocess(self, images):
        """Convert images in [-1, 1] of any size to the classifier's input.

        RGB is averaged to grey; other sizes are resized (bilinear,
        antialiased) to `image_size` (8x8 for the digits).

        Args:
            images: (n, H, W, C) or (n, H, W), C in {1, 3}, values in [-1, 1].

        Returns:
            float32 numpy array of shape (n, height, width, 1).
        """
        import keras

        images = as_image_batch(images, type(self).__name__)
        if images.shape[-1] == 3:
            images = images.mean(axis=-1, keepdims=True)
        if tuple(images.shape[1:3]) != tuple(self.image_size) and len(images):
            images = keras.ops.convert_to_numpy(
                keras.ops.image.resize(
                    images, tuple(self.image_size), interpolation="bilinear",
                    antialias=True,
                )
            ).astype("float32")
        return images

    def _forward(self, batch):
        # predict_on_batch runs one compiled function (jit on JAX, where an
        # eager call compiles every op separately); batches are padded to
        # power-of-two sizes so that only a few shapes are ever compiled.
        features, probs = backend.predict_on_batch(self.model, batch)
        return to_numpy(features, "float32"), to_numpy(probs, "float32")

    def features_and_proba(self, images):
        """Penultimate features and class probabilities in one pass.

        Args:
            images: (n, H, W, C) or (n, H, W) array, values in [-1, 1].

        Returns:
            `(features, probs)`: float32 arrays (n, 64) and (n, 10).
        """
        images = self.preprocess(images)
        if len(images) == 0:
            return (
                np.zeros((0, self.feature_dim), "float32"),
                np.zeros((0, self.num_classes), "float32"),
            )
        return map_batches(self._forward, images, self.batch_size, pad=True)

    def __call__(self, images):
        """Penultimate-layer features, float32 (n, 64); see `features_and_proba`."""
        return self.features_and_proba(images)[0]

    def predict_proba(self, images):
        """Class probabilities, float32 (n, 10); see `features_and_proba`."""
        return self.features_and_proba(images)[1]

    def predict_labels(self, images):
        """Predicted digit (0-9) per image, int64 (n,).

        Args:
            images: (n, H, W, C) or (n, H, W) array, values in [-1, 1].

        Returns:
            int64 numpy array of shape (n,).
        """
        return np.argmax(self.predict_proba(images), axis=-1).astype("int64")


_DIGITS_INSTANCES = {}


def digits_features(cache_dir=None, **kwargs):
    """The shared `DigitsClassifier` (one per cache directory and settings).

    Args:
        cache_dir: cache directory; defaults to `default_cache_dir()`.
        **kwargs: forwarded to `DigitsClassifier` (`epochs`, `seed`, ...).

    Returns:
        A `DigitsClassifier`, trained or loaded once per process.

    Example:

    >>> extractor = digits_features()
    >>> extractor.name
    'digits'
    """
    cache_dir = os.path.expanduser(cache_dir) if cache_dir else default_cache_dir()
    key = (cache_dir, tuple(sorted(kwargs.items())))
    if key not in _DIGITS_INSTANCES:
        _DIGITS_INSTANCES[key] = DigitsClassifier(cache_dir=cache_dir, **kwargs)
    return _DIGITS_INSTANCES[key]


