"""Feature extractors for the 28x28 sets: MNIST and Fashion-MNIST classifiers.

Each is a small convnet trained on its data set's real training split (the
IDX files `keras_gans.datasets.find_local` finds) and cached on disk like the
digits classifier: the cache records the training settings, a SHA-256 of the
training data and of the weights, and the held-out accuracy; a cache for other
data or settings is rebuilt. FID, KID, nearest-neighbour distances and class
coverage are then computed in its 128-d penultimate layer, the way TF-GAN's
MNIST example scores samples with an MNIST classifier, because Inception's
ImageNet weights cannot be fetched here (see docs/evaluation.md).

| extractor | name (metric tag) | trained on | aim (test accuracy) |
|---|---|---|---|
| `MNISTClassifier` | `mnist_cnn` | 60,000 MNIST training images | >= 99% |
| `FashionMNISTClassifier` | `fashion_mnist_cnn` | 60,000 Fashion-MNIST training images | >= 90% |

Training takes a few minutes on 2 CPU cores, once per cache directory.
"""

import hashlib
import os

import numpy as np

from keras_gans.evaluation.digits import DigitsClassifier, default_cache_dir
from keras_gans.evaluation.initializers import NumpyGlorotUniform, numpy_zeros

_CACHE_VERSION = 1
_FEATURE_DIM = 128


def _build_net(seed, name):
    import keras
    from keras import layers

    def init(i):
        return {
            "kernel_initializer": NumpyGlorotUniform(seed + i),
            "bias_initializer": numpy_zeros,
        }

    inputs = keras.Input((28, 28, 1), name="images")
    x = layers.Conv2D(32, 3, padding="same", activation="relu", **init(0))(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu", **init(1))(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu", **init(2))(x)
    x = layers.Flatten()(x)
    features = layers.Dense(
        _FEATURE_DIM, activation="relu", name="features", **init(3)
    )(x)
    probs = layers.Dense(10, activation="softmax", name="probs", **init(4))(features)
    return keras.Model(inputs, [features, probs], name=f"{name}_classifier")


def _data_digest(x, y):
    h = hashlib.sha256()
    for a in (x, y):
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype}{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


class _IDXClassifier(DigitsClassifier):
    """A convnet trained on a 28x28 IDX data set's training split.

    Shares the digits classifier's cache, checks and inference (see
    `DigitsClassifier`); differs in the network (two pooling stages, a 128-d
    feature layer), the data (`keras_gans.datasets.load_idx`) and the cache
    key (the data's SHA-256 is part of it, so other files retrain).
    """

    dataset = None  # "mnist" or "fashion_mnist"
    target_accuracy = None
    default_epochs = 5
    image_size = (28, 28)
    feature_dim = _FEATURE_DIM
    num_classes = 10
    cache_version = _CACHE_VERSION
    learning_rate = 1e-3
    train_batch_size = 128

    def __init__(
        self,
        data_dir=None,
        cache_dir=None,
        epochs=None,
        seed=0,
        retrain=False,
        batch_size=512,
        verbose=False,
    ):
        from keras_gans import datasets

        folder = datasets.find_local(self.dataset, data_dir)
        if folder is None:
            raise ValueError(
                f"{type(self).__name__} trains on the real {self.dataset} "
                "training split, and no local copy was found; pass data_dir= "
                f"a folder of its IDX files or set ${datasets.DATA_ENV} (see "
                "keras_gans.datasets.find_local for the places searched)."
            )
        self.data_folder = folder
        super().__init__(
            cache_dir=cache_dir,
            epochs=self.default_epochs if epochs is None else epochs,
            seed=seed,
            retrain=retrain,
            batch_size=batch_size,
            verbose=verbose,
        )

    def _build_net(self):
        return _build_net(self.seed, self.name)

    def _cache_path(self):
        return os.path.join(
            self.cache_dir,
            f"{self.name}_classifier_v{self.cache_version}_e{self.epochs}_s{self.seed}.npz",
        )

    def _memo_key(self):
        return (type(self).__name__, os.path.abspath(self.data_folder))

    def _load_split(self, split):
        from keras_gans import datasets

        x, y = datasets.load_idx(self.data_folder, split)
        source = f"{self.dataset}-idx-sha256:{_data_digest(x, y)[:16]}"
        return (x.astype("float32") / 127.5 - 1.0)[..., None], y, source


class MNISTClassifier(_IDXClassifier):
    """A small convnet trained on real MNIST: the `mnist_cnn` protocol.

    Trained once on the 60,000 training images (5 epochs of Adam 1e-3, batch
    128; about 99.2% test accuracy) and cached; its 128-d penultimate layer
    is the feature space of `fid10k_mnist_cnn` and friends, its softmax gives
    class coverage and label accuracy.

    Args:
        data_dir: folder with the MNIST IDX files (or one holding `mnist/`);
            default: the places `keras_gans.datasets.find_local` searches.
        cache_dir: where the cache lives (`$KERAS_GANS_CACHE` or
            `~/.cache/keras_gans`).
        epochs: training epochs (part of the cache key); default 5.
        seed: initialisation and shuffling seed (part of the cache key).
        retrain: ignore an existing cache and train again.
        batch_size: images per forward pass when extracting.
        verbose: print training progress.

    Example:

    >>> clf = MNISTClassifier(data_dir="data")     # trains once, then loads
    >>> clf.name, clf.accuracy > 0.99
    ('mnist_cnn', True)
    >>> clf(x_test).shape
    (10000, 128)
    """

    name = "mnist_cnn"
    dataset = "mnist"
    target_accuracy = 0.99
    default_epochs = 5


class FashionMNISTClassifier(_IDXClassifier):
    """A small convnet trained on real Fashion-MNIST: `fashion_mnist_cnn`.

    Trained once on the 60,000 training images (8 epochs of Adam 1e-3, batch
    128; about 91% test accuracy) and cached; see `MNISTClassifier`.

    Args:
        data_dir, cache_dir, epochs, seed, retrain, batch_size, verbose: as
            for `MNISTClassifier` (default 8 epochs).

    Example:

    >>> clf = FashionMNISTClassifier(data_dir="data")
    >>> clf.name, clf.accuracy > 0.90
    ('fashion_mnist_cnn', True)
    """

    name = "fashion_mnist_cnn"
    dataset = "fashion_mnist"
    target_accuracy = 0.90
    default_epochs = 8


CLASSIFIERS = {"mnist": MNISTClassifier, "fashion_mnist": FashionMNISTClassifier}
_INSTANCES = {}


def dataset_classifier(dataset, data_dir=None, cache_dir=None, **kwargs):
    """The shared classifier of a 28x28 data set (one per settings, per process).

    Args:
        dataset: `"mnist"` or `"fashion_mnist"` (or the extractor names
            `"mnist_cnn"`, `"fashion_mnist_cnn"`).
        data_dir: folder of the IDX files; see `MNISTClassifier`.
        cache_dir: cache directory; defaults to `default_cache_dir()`.
        **kwargs: forwarded to the classifier (`epochs`, `seed`, ...).

    Returns:
        A `MNISTClassifier` or `FashionMNISTClassifier`, trained or loaded.

    Example:

    >>> dataset_classifier("fashion_mnist", data_dir="data").name
    'fashion_mnist_cnn'
    """
    key_name = dataset[: -len("_cnn")] if str(dataset).endswith("_cnn") else dataset
    if key_name not in CLASSIFIERS:
        raise ValueError(
            f"No classifier for the data set {dataset!r}; expected one of "
            f"{sorted(CLASSIFIERS)} (or {sorted(c.name for c in CLASSIFIERS.values())})."
        )
    cache_dir = os.path.expanduser(cache_dir) if cache_dir else default_cache_dir()
    key = (key_name, data_dir, cache_dir, tuple(sorted(kwargs.items())))
    if key not in _INSTANCES:
        _INSTANCES[key] = CLASSIFIERS[key_name](
            data_dir=data_dir, cache_dir=cache_dir, **kwargs
        )
    return _INSTANCES[key]
