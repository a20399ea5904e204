"""Class-conditional networks on the DCGAN blocks: the generator of
p(x | y), the discriminator of (image, label) pairs (concatenated label maps
or the projection discriminator) and AC-GAN's two-headed discriminator.
Also importable from `keras_gans.networks.dcgan` (`keras_gans.nets`).

Example:

```python
from keras_gans.networks import conditional
generator = conditional.build_conditional_generator((8, 8, 1), 10, latent_dim=16)
critic = conditional.build_conditional_discriminator((8, 8, 1), 10, "projection")
```
"""

import keras
from keras import layers

from keras_gans.networks.dcgan_blocks import (
    _REMEDY_ARGS_DOC,
    _apply_remedies,
    _check_image_shape,
    _check_remedies,
    _check_upsampling,
    _dcgan_features,
    _dcgan_generator_body,
    _normalization_layer,
    _scored_features,
    _spectral,
)


CONDITIONINGS = ("concat", "projection")


def _check_num_classes(num_classes):
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or (
        num_classes < 2
    ):
        raise ValueError(
            f"num_classes must be an integer >= 2; received {num_classes!r}."
        )
    return int(num_classes)


def _labels_input():
    return keras.Input((), dtype="int32", name="labels")


def build_conditional_generator(image_shape, num_classes, latent_dim=100,
                                width=64, kernel_size=4, embedding_dim=None,
                                upsampling="transpose",
                                name="conditional_generator"):
    """A DCGAN generator of p(x | y) (Mirza and Osindero 2014).

    A learned embedding of the label is concatenated to z, and the DCGAN
    generator runs on the result.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        num_classes: number of classes; labels are ints in [0, num_classes).
        latent_dim: size of the latent vector.
        width: channels of the last hidden layer.
        kernel_size: size of the transposed convolution kernels.
        embedding_dim: size of the label embedding (default: num_classes).
        upsampling: "transpose" or "resize", as in `build_dcgan_generator`.
        name: the model's name.

    Returns:
        A functional `keras.Model` with inputs `[z (batch, latent_dim),
        labels (batch,) int32]` and output images (batch, H, W, C).

    Example:

    >>> g = build_conditional_generator((8, 8, 1), 10, latent_dim=16)
    >>> g([np.zeros((2, 16)), np.array([3, 7])]).shape
    (2, 8, 8, 1)
    """
    _check_image_shape(image_shape, 4, "DCGAN")
    num_classes = _check_num_classes(num_classes)
    _check_upsampling(upsampling)
    embedding_dim = int(embedding_dim or num_classes)
    z = keras.Input((latent_dim,), name="z")
    labels = _labels_input()
    embedded = layers.Embedding(num_classes, embedding_dim, name="label_embedding")(
        labels
    )
    x = layers.Concatenate(name="z_and_label")([z, embedded])
    images = _dcgan_generator_body(x, image_shape, width, kernel_size, upsampling)
    return keras.Model([z, labels], images, name=name)


def build_conditional_discriminator(image_shape, num_classes,
                                    conditioning="concat", width=64,
                                    kernel_size=4, normalization="batch",
                                    embedding_dim=None,
                                    name="conditional_discriminator",
                                    spectral_norm=False,
                                    minibatch_discrimination=False,
                                    minibatch_stddev=False):
    """A DCGAN discriminator of (image, label) pairs.

    Two ways to condition:

    - "concat": an embedding of the label (`embedding_dim` numbers) is
      broadcast over the image plane and concatenated as extra input
      channels (Mirza and Osindero 2014, for convolutions).
    - "projection": the projection discriminator (Miyato and Koyama 2018):
      `score = psi(phi(x)) + embed(y) . phi(x)`, with `phi(x)` the flattened
      convolutional features (layer "features") and `embed` a learned class
      embedding of the same size; the inner product is added to the
      unconditional score.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        num_classes: number of classes; labels are ints in [0, num_classes).
        conditioning: "concat" or "projection".
        width: channels of the first convolution.
        kernel_size: convolution kernel size.
        normalization: "batch", "layer" or None.
        embedding_dim: size of the label embedding for "concat" (default:
            num_classes); "projection" uses the feature size.
        name: the model's name.{remedies}

    Returns:
        A functional `keras.Model` with inputs `[images, labels]` and output
        shape (None, 1) (a raw score).

    Example:

    >>> d = build_conditional_discriminator((8, 8, 1), 10, "projection")
    >>> d([np.zeros((2, 8, 8, 1)), np.array([3, 7])]).shape
    (2, 1)
    """
    h, w, c = _check_image_shape(image_shape, 4, "DCGAN")
    num_classes = _check_num_classes(num_classes)
    if conditioning not in CONDITIONINGS:
        raise ValueError(
            f"conditioning must be one of {CONDITIONINGS}; received "
            f"{conditioning!r}."
        )
    _normalization_layer(normalization)
    mbd, mbstd = _check_remedies(minibatch_discrimination, minibatch_stddev)
    images = keras.Input((h, w, c), name="images")
    labels = _labels_input()
    convolutions = dict(image_shape=image_shape, width=width, kernel_size=kernel_size,
                        normalization=normalization, spectral_norm=spectral_norm,
                        remedies=(mbd, mbstd))
    if conditioning == "concat":
        score = _concat_score(images, labels, num_classes, embedding_dim, **convolutions)
    else:
        score = _projection_score(images, labels, num_classes, **convolutions)
    return keras.Model([images, labels], score, name=name)


def _concat_score(images, labels, num_classes, embedding_dim, image_shape, width,
                  kernel_size, normalization, spectral_norm, remedies):
    """The "concat" discriminator's score: label maps as extra channels."""
    h, w, _ = _check_image_shape(image_shape, 4, "DCGAN")
    embedding_dim = int(embedding_dim or num_classes)
    maps = layers.Embedding(
        num_classes, embedding_dim, name="label_embedding"
    )(labels)
    maps = layers.Reshape((1, 1, embedding_dim))(maps)
    maps = layers.UpSampling2D((h, w), name="label_maps")(maps)
    x = layers.Concatenate(name="image_and_label")([images, maps])
    features = _dcgan_features(
        x, image_shape, width, kernel_size, normalization, spectral_norm
    )
    x = _apply_remedies(features, *remedies)
    return _spectral(layers.Dense, spectral_norm, 1, name="score")(x)


def _projection_score(images, labels, num_classes, image_shape, width, kernel_size,
                      normalization, spectral_norm, remedies):
    """The projection discriminator's score: `psi(phi(x)) + embed(y) . phi(x)`."""
    features = _dcgan_features(
        images, image_shape, width, kernel_size, normalization, spectral_norm
    )
    x = _apply_remedies(features, *remedies)
    unconditional = _spectral(
        layers.Dense, spectral_norm, 1, name="unconditional_score"
    )(x)
    if spectral_norm:
        # Keras' SpectralNormalization around an Embedding leaves the
        # embeddings without a gradient on TensorFlow; the same map as a
        # bias-free Dense layer on one-hot labels is normalised fine.
        one_hot = layers.CategoryEncoding(
            num_classes, output_mode="one_hot", name="one_hot_labels"
        )(labels)
        embedded = _spectral(
            layers.Dense, True, int(features.shape[-1]), use_bias=False,
            name="class_embedding",
        )(one_hot)
    else:
        embedded = layers.Embedding(
            num_classes, int(features.shape[-1]), name="class_embedding"
        )(labels)
    projection = layers.Dot(axes=1, name="projection")([embedded, features])
    return layers.Add(name="score")([unconditional, projection])


build_conditional_discriminator.__doc__ = build_conditional_discriminator.__doc__.replace("{remedies}", _REMEDY_ARGS_DOC)


def build_acgan_discriminator(image_shape, num_classes, width=64, kernel_size=4,
                              normalization="batch",
                              name="acgan_discriminator", spectral_norm=False,
                              minibatch_discrimination=False,
                              minibatch_stddev=False):
    """The AC-GAN discriminator (Odena et al. 2017): a score and class logits.

    The DCGAN convolutions feed two heads: one raw real/fake score and
    `num_classes` class logits (the auxiliary classifier). The image is the
    only input.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        num_classes: number of classes.
        width: channels of the first convolution.
        kernel_size: convolution kernel size.
        normalization: "batch", "layer" or None.
        name: the model's name.{remedies}

    Returns:
        A functional `keras.Model` from images to `[score (None, 1),
        class_logits (None, num_classes)]`.

    Example:

    >>> d = build_acgan_discriminator((8, 8, 1), 10)
    >>> [tuple(o.shape) for o in d(np.zeros((2, 8, 8, 1)))]
    [(2, 1), (2, 10)]
    """
    _check_image_shape(image_shape, 4, "DCGAN")
    num_classes = _check_num_classes(num_classes)
    images, features, score = _scored_features(
        image_shape, width, kernel_size, normalization, spectral_norm,
        minibatch_discrimination, minibatch_stddev,
    )
    # The classifier reads the plain features: batch statistics say nothing
    # about one image's class.
    logits = _spectral(
        layers.Dense, spectral_norm, num_classes, name="class_logits"
    )(features)
    return keras.Model(images, [score, logits], name=name)


build_acgan_discriminator.__doc__ = build_acgan_discriminator.__doc__.replace("{remedies}", _REMEDY_ARGS_DOC)
