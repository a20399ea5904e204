"""Feature extractors for sample-quality metrics.

Every extractor shares one small interface so that the metrics in
`keras_gans.evaluation.metrics` can take any of them:

- it is callable on a batch of images with values in [-1, 1], shape
  (n, H, W, C) or (n, H, W), and returns a float32 numpy array (n, d);
- it has a `name` attribute (a short protocol tag such as `"digits"`, used in
  metric names like `fid_digits`) and a `feature_dim` attribute;
- a classifier additionally has `num_classes` and `predict_proba(images)`
  returning (n, num_classes) class probabilities (used for the Inception
  Score and class coverage).

Three extractors ship here:

- `DigitsClassifier` (name `"digits"`, in `keras_gans.evaluation.digits`):
  a small convnet trained on the embedded 8x8 digits in seconds and cached
  on disk. This is the offline
  protocol used by the tests and the quality benchmark, in the way TF-GAN's
  MNIST example measures its samples with an MNIST classifier.
- `InceptionFeatures` (name `"inception"`): InceptionV3 pool features with
  the standard bilinear resize to 299x299, for published-style FID. Its
  ImageNet weights are downloaded by Keras on first use; nothing in the test
  suite downloads them.
- `PixelFeatures` (name `"pixels"`): the flattened pixels; a cheap baseline
  and a transparent extractor for tests.
"""

import numpy as np

from keras_gans import backend
from keras_gans.evaluation.batching import as_image_batch, bucket, map_batches, to_numpy  # noqa: F401
from keras_gans.evaluation.digits import (  # noqa: F401
    _DIGITS_CACHE_VERSION,
    _DIGITS_FEATURE_DIM,
    DIGITS_IMAGE_SIZE,
    DigitsClassifier,
    _weights_digest,
    default_cache_dir,
    digits_cache_path,
    digits_features,
    load_digits_split,
)

_INCEPTION_SIZE = (299, 299)


class PixelFeatures:
    """Flattened pixels as features (name `"pixels"`).

    A transparent baseline: FID on pixels is a Frechet distance between the
    pixel distributions. Useful for tests and for very small images; it is
    not comparable to FID numbers computed with a learned extractor.

    Example:

    >>> PixelFeatures()(np.zeros((2, 8, 8, 1))).shape
    (2, 64)
    """

    name = "pixels"
    feature_dim = None  # depends on the image size

    def __call__(self, images):
        """Return the flattened images, shape (n, H * W * C), float32.

        Args:
            images: (n, H, W, C) or (n, H, W) array with values in [-1, 1].

        Returns:
            float32 numpy array of shape (n, H * W * C).
        """
        images = as_image_batch(images, "PixelFeatures")
        return images.reshape(len(images), -1)


# --------------------------------------------------------------------------
# InceptionV3.
# --------------------------------------------------------------------------


def inception_preprocess(images):
    """Prepare images in [-1, 1] for InceptionV3, as for published FID.

    Grey images are repeated to three channels, then every image is resized
    bilinearly (no antialiasing, like `tf.image.resize`'s default that
    TF-GAN uses) to 299x299. InceptionV3's own preprocessing maps [0, 255]
    to [-1, 1]; our images already are in [-1, 1], so no rescaling happens.

    Args:
        images: (n, H, W, C) or (n, H, W) array, C in {1, 3}, values in
            [-1, 1].

    Returns:
        A backend tensor of shape (n, 299, 299, 3), float32, in [-1, 1].

    Example:

    >>> x = inception_preprocess(np.zeros((2, 8, 8, 1)))
    >>> tuple(x.shape)
    (2, 299, 299, 3)
    """
    import keras

    images = as_image_batch(images, "inception_preprocess")
    x = keras.ops.convert_to_tensor(images)
    if images.shape[-1] == 1:
        x = keras.ops.repeat(x, 3, axis=-1)
    if tuple(images.shape[1:3]) != _INCEPTION_SIZE:
        x = keras.ops.image.resize(
            x, _INCEPTION_SIZE, interpolation="bilinear", antialias=False
        )
    return keras.ops.clip(x, -1.0, 1.0)


class InceptionFeatures:
    """InceptionV3 2048-d pool features (name `"inception"`).

    Builds `keras.applications.InceptionV3(include_top=False,
    pooling="avg")`. With `weights="imagenet"` (the default) Keras downloads
    the ImageNet weights on first use into `~/.keras/models`; FID computed
    with them is comparable in protocol to published numbers (bilinear resize
    to 299x299, grey repeated to RGB), though exact values still differ
    between implementations' resize kernels (see Parmar et al., "clean-fid").
    `weights=None` gives a randomly initialised network; that is only useful
    to check shapes offline.

    Args:
        weights: `"imagenet"`, `None`, or a path to a weights file.
        batch_size: images per forward pass.
        with_probabilities: if True, also build the ImageNet classification
            head (`include_top=True`) so that `predict_proba` works and the
            Inception Score can be computed. Features are then read from the
            same network's `avg_pool` layer (identical to the pooled
            `include_top=False` features).

    Example:

    >>> extractor = InceptionFeatures(weights=None)   # offline shape check
    >>> extractor(np.zeros((2, 8, 8, 1))).shape
    (2, 2048)
    """

    name = "inception"
    feature_dim = 2048

    def __init__(self, weights="imagenet", batch_size=64, with_probabilities=False):
        import keras

        self.weights = weights
        self.batch_size = int(batch_size)
        self.with_probabilities = bool(with_probabilities)
        shape = _INCEPTION_SIZE + (3,)
        if self.with_probabilities:
            full = keras.applications.InceptionV3(
                include_top=True, weights=weights, input_shape=shape
            )
            self._model = keras.Model(
                full.inputs, [full.get_layer("avg_pool").output, full.output]
            )
            self.num_classes = 1000
        else:
            self._model = keras.applications.InceptionV3(
                include_top=False, weights=weights, pooling="avg", input_shape=shape
            )
            self.num_classes = None

    def _forward(self, batch):
        out = backend.predict_on_batch(self._model, inception_preprocess(batch))
        if self.with_probabilities:
            return tuple(to_numpy(o, "float32") for o in out)
        return to_numpy(out, "float32")

    def features_and_proba(self, images):
        """Return (features (n, 2048), probabilities (n, 1000)) in one pass.

        Requires `with_probabilities=True`.
        """
        if not self.with_probabilities:
            raise ValueError(
                "InceptionFeatures was built with with_probabilities=False; "
                "build it with with_probabilities=True to get class "
                "probabilities."
            )
        images = as_image_batch(images, "InceptionFeatures")
        return map_batches(self._forward, images, self.batch_size, pad=True)

    def predict_proba(self, images):
        """Return ImageNet class probabilities (n, 1000); see `with_probabilities`."""
        return self.features_and_proba(images)[1]

    def __call__(self, images):
        """Return pool features, float32 numpy array (n, 2048).

        Args:
            images: (n, H, W, C) or (n, H, W) array, values in [-1, 1].

        Returns:
            float32 numpy array of shape (n, 2048).
        """
        images = as_image_batch(images, "InceptionFeatures")
        if len(images) == 0:
            return np.zeros((0, self.feature_dim), "float32")
        return map_batches(self._forward, images, self.batch_size, pad=True)[0]


# --------------------------------------------------------------------------
# Digits classifier.
# --------------------------------------------------------------------------




EXTRACTORS = ("digits", "mnist_cnn", "fashion_mnist_cnn", "inception", "pixels")


def get_extractor(extractor=None):
    """Resolve an extractor argument to an extractor object.

    Args:
        extractor: `None` or `"digits"` (the offline default: the shared
            `DigitsClassifier`), `"mnist_cnn"` / `"fashion_mnist_cnn"` (the
            shared `MNISTClassifier` / `FashionMNISTClassifier`, trained on
            the local copy of the real training split), `"inception"` (`InceptionFeatures()` with
            ImageNet weights; downloads them on first use), `"pixels"`, or
            any callable mapping images in [-1, 1] to (n, d) features
            (its `name` attribute, if any, names the metrics).

    Returns:
        An extractor object.

    Example:

    >>> get_extractor("pixels").name
    'pixels'
    """
    if extractor is None or extractor == "digits":
        return digits_features()
    if extractor in ("mnist_cnn", "fashion_mnist_cnn"):
        from keras_gans.evaluation.mnist import dataset_classifier  # noqa: PLC0415

        return dataset_classifier(extractor)
    if isinstance(extractor, str):
        if extractor == "inception":
            return InceptionFeatures()
        if extractor == "pixels":
            return PixelFeatures()
        raise ValueError(
            f"Unknown extractor {extractor!r}; expected one of {EXTRACTORS} "
            "or a callable mapping images to (n, d) features."
        )
    if not callable(extractor):
        raise TypeError(
            "extractor must be None, a name in "
            f"{EXTRACTORS}, or a callable; received {type(extractor).__name__}."
        )
    return extractor


def extractor_name(extractor):
    """The protocol tag of an extractor, used in metric names.

    Args:
        extractor: an extractor object.

    Returns:
        Its `name` attribute as a string, or `"custom"` if it has none.

    Example:

    >>> extractor_name(PixelFeatures()), extractor_name(lambda x: x)
    ('pixels', 'custom')
    """
    return str(getattr(extractor, "name", None) or "custom")

