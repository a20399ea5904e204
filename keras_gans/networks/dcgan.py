"""Network builders: plain functions returning functional `keras.Model`s.

Every GAN class accepts networks built here or by the user. Generators map
`(batch, latent_dim)` to images `(batch, H, W, C)` in [-1, 1] (tanh output);
discriminators map images to one raw score `(batch, 1)` (no sigmoid).
"""

import math

import keras
from keras import layers

from keras_gans.networks.layers import BatchNormalization, Maxout, MinibatchDiscrimination, MinibatchStdDev


def _check_image_shape(image_shape, divisor=1, family="this network"):
    if len(tuple(image_shape)) != 3:
        raise ValueError(
            f"image_shape must be (height, width, channels); received "
            f"{tuple(image_shape)}."
        )
    h, w, c = (int(d) for d in image_shape)
    if min(h, w, c) < 1:
        raise ValueError(f"image_shape must be positive; received {image_shape}.")
    if h % divisor or w % divisor:
        raise ValueError(
            f"{family} needs height and width divisible by {divisor}; "
            f"received image_shape={tuple(image_shape)}."
        )
    return h, w, c


def build_mlp_generator(image_shape, latent_dim=100, hidden_units=(256, 512),
                        name="mlp_generator", batch_norm=False, activation="relu"):
    """Multilayer-perceptron generator after Goodfellow et al. 2014.

    Hidden dense layers, a tanh output reshaped to the image (the paper used
    a sigmoid for [0, 1] pixels; the zoo scales images to [-1, 1]).

    Args:
        image_shape: (H, W, C) of the generated images.
        latent_dim: size of the latent vector.
        hidden_units: widths of the hidden layers.
        name: the model's name.
        batch_norm: batch normalization after each hidden dense layer
            (before the activation). Without it the 28x28 MLP generator
            collapsed onto one saturated pattern (the vanilla_gan page).
        activation: the hidden layers' activation: "relu" (the paper's) or
            "leaky_relu" (slope 0.2).

    Returns:
        A functional `keras.Model`.

    Example:

    >>> g = build_mlp_generator((8, 8, 1), latent_dim=16)
    >>> g.output_shape
    (None, 8, 8, 1)
    >>> build_mlp_generator((28, 28, 1), batch_norm=True, activation="leaky_relu").count_params()
    561936
    """
    h, w, c = _check_image_shape(image_shape)
    if activation not in ("relu", "leaky_relu"):
        raise ValueError(
            f"activation must be 'relu' or 'leaky_relu'; received {activation!r}."
        )
    z = keras.Input((latent_dim,), name="z")
    x = z
    for units in hidden_units:
        if not batch_norm and activation == "relu":
            x = layers.Dense(units, activation="relu")(x)  # the paper's layers
            continue
        x = layers.Dense(units, use_bias=not batch_norm)(x)
        if batch_norm:
            x = BatchNormalization()(x)
        x = layers.ReLU()(x) if activation == "relu" else layers.LeakyReLU(0.2)(x)
    x = layers.Dense(h * w * c, activation="tanh")(x)
    images = layers.Reshape((h, w, c), name="images")(x)
    return keras.Model(z, images, name=name)


def build_mlp_discriminator(image_shape, hidden_units=(512, 256), pieces=5,
                            dropout=0.3, name="mlp_discriminator",
                            spectral_norm=False,
                            minibatch_discrimination=False,
                            minibatch_stddev=False):
    """Multilayer-perceptron discriminator after Goodfellow et al. 2014.

    Maxout hidden layers with dropout, as in the paper, and one raw score.

    Args:
        image_shape: (H, W, C) of the input images.
        hidden_units: maxout units per hidden layer.
        pieces: linear pieces per maxout unit (0 uses LeakyReLU instead).
        dropout: dropout rate after each hidden layer.
        name: the model's name.{remedies}
            With maxout units (`pieces > 0`) spectral normalisation applies
            to the score layer only.

    Returns:
        A functional `keras.Model` with output shape (None, 1).

    Example:

    >>> d = build_mlp_discriminator((8, 8, 1))
    >>> d.output_shape
    (None, 1)
    """
    h, w, c = _check_image_shape(image_shape)
    mbd, mbstd = _check_remedies(minibatch_discrimination, minibatch_stddev)
    images = keras.Input((h, w, c), name="images")
    x = layers.Flatten()(images)
    for units in hidden_units:
        if pieces:
            x = Maxout(units, pieces=pieces)(x)
        else:
            x = _spectral(layers.Dense, spectral_norm, units)(x)
            x = layers.LeakyReLU(0.2)(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    x = _apply_remedies(x, mbd, mbstd)
    score = _spectral(layers.Dense, spectral_norm, 1, name="score")(x)
    return keras.Model(images, score, name=name)


def dcgan_upsamplings(image_shape):
    """How many 2x upsamplings the DCGAN nets use for an image size.

    The most (up to 4, as in the paper's 64x64 nets) that leave a starting
    grid of at least 4x4, and never fewer than 2.

    Example:

    >>> [dcgan_upsamplings((s, s, 1)) for s in (8, 16, 28, 32, 64)]
    [2, 2, 2, 3, 4]
    """
    h, w, _ = _check_image_shape(image_shape, 4, "DCGAN")
    steps = 2
    for k in (3, 4):
        if h % 2**k == 0 and w % 2**k == 0 and min(h, w) // 2**k >= 4:
            steps = k
    return steps


UPSAMPLINGS = ("transpose", "resize")


def _check_upsampling(upsampling):
    if upsampling not in UPSAMPLINGS:
        raise ValueError(
            f"upsampling must be one of {UPSAMPLINGS}; received {upsampling!r}."
        )
    return upsampling


def _upsample(x, channels, kernel_size, upsampling, use_bias):
    """One 2x upsampling: a stride-2 transposed convolution ("transpose"),
    or nearest-neighbour resizing followed by a stride-1 convolution
    ("resize", Odena, Dumoulin and Olah 2016). Both have
    kernel_size^2 x in x out weights."""
    if upsampling == "transpose":
        return layers.Conv2DTranspose(
            channels, kernel_size, strides=2, padding="same", use_bias=use_bias
        )(x)
    x = layers.UpSampling2D(2, interpolation="nearest")(x)
    return layers.Conv2D(channels, kernel_size, padding="same", use_bias=use_bias)(x)


def build_dcgan_generator(image_shape, latent_dim=100, width=64, kernel_size=4,
                          upsampling="transpose", name="dcgan_generator"):
    """DCGAN generator (Radford et al. 2015).

    Project and reshape, then 2x upsamplings with batch norm and ReLU, and a
    tanh output; no pooling and no hidden dense layers. Channels halve at
    each upsampling and end at `width`.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        latent_dim: size of the latent vector.
        width: channels of the last hidden layer (the paper's 64x64 net: 128).
        kernel_size: size of the (transposed) convolution kernels.
        upsampling: "transpose" (the paper: stride-2 transposed
            convolutions) or "resize" (nearest-neighbour 2x resizing, then a
            stride-1 convolution: resize-convolution after Odena et al.
            2016, which avoids checkerboard artifacts). Both have the same
            weights for the same `kernel_size`; "resize" convolves on the
            larger grid, so it costs 4x the multiply-adds per upsampling
            (2.25x with `kernel_size=3`) and was slower on the CPUs measured
            (see docs/scaling.md). Its effect on sample quality has not been
            measured here, so it is an option, not the default.
        name: the model's name.

    Returns:
        A functional `keras.Model`.

    Example:

    >>> build_dcgan_generator((28, 28, 1), latent_dim=32).output_shape
    (None, 28, 28, 1)
    >>> build_dcgan_generator((28, 28, 1), upsampling="resize").output_shape
    (None, 28, 28, 1)
    """
    _check_image_shape(image_shape, 4, "DCGAN")
    _check_upsampling(upsampling)
    z = keras.Input((latent_dim,), name="z")
    images = _dcgan_generator_body(z, image_shape, width, kernel_size, upsampling)
    return keras.Model(z, images, name=name)


def _dcgan_generator_body(x, image_shape, width, kernel_size,
                          upsampling="transpose"):
    """The DCGAN generator from a flat input vector to tanh images."""
    h, w, c = _check_image_shape(image_shape, 4, "DCGAN")
    _check_upsampling(upsampling)
    steps = dcgan_upsamplings(image_shape)
    start_h, start_w = h // 2**steps, w // 2**steps
    channels = width * 2 ** (steps - 1)
    x = layers.Dense(start_h * start_w * channels, use_bias=False)(x)
    x = BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((start_h, start_w, channels))(x)
    for _ in range(steps - 1):
        channels //= 2
        x = _upsample(x, channels, kernel_size, upsampling, use_bias=False)
        x = BatchNormalization()(x)
        x = layers.ReLU()(x)
    x = _upsample(x, c, kernel_size, upsampling, use_bias=True)
    return layers.Activation("tanh", name="images")(x)


def _normalization_layer(kind):
    if kind in (None, "none"):
        return None
    if kind == "batch":
        return BatchNormalization()
    if kind == "layer":
        return layers.LayerNormalization()
    raise ValueError(
        f"normalization must be 'batch', 'layer' or None; received {kind!r}."
    )


def _spectral(layer_class, spectral_norm, *args, name=None, **kwargs):
    """A Dense/Conv/Embedding layer, in spectral normalisation if asked.

    The wrapper takes the layer's name, so "score" stays "score".
    """
    if not spectral_norm:
        return layer_class(*args, name=name, **kwargs)
    inner = layer_class(*args, name=f"{name}_kernel" if name else None, **kwargs)
    return layers.SpectralNormalization(inner, name=name)


def _remedy_setting(value, arg, default):
    """False/None -> None, True -> default, positive int -> that int."""
    if value is None or value is False:
        return None
    if value is True:
        return default
    if isinstance(value, int) and value >= 1:
        return int(value)
    raise ValueError(
        f"{arg} must be a bool or a positive int; received {value!r}."
    )


def _check_remedies(minibatch_discrimination, minibatch_stddev):
    return (
        _remedy_setting(minibatch_discrimination, "minibatch_discrimination", 50),
        _remedy_setting(minibatch_stddev, "minibatch_stddev", 4),
    )


def _dcgan_features(x, image_shape, width, kernel_size, normalization,
                    spectral_norm):
    """The DCGAN discriminator's convolutions, flattened (layer "features")."""
    steps = dcgan_upsamplings(image_shape)
    channels = width
    for i in range(steps):
        x = _spectral(
            layers.Conv2D, spectral_norm, channels, kernel_size, strides=2,
            padding="same", use_bias=i == 0 or normalization in (None, "none"),
        )(x)
        norm = _normalization_layer(normalization) if i > 0 else None
        if norm is not None:
            x = norm(x)
        x = layers.LeakyReLU(0.2)(x)
        channels *= 2
    return layers.Flatten(name="features")(x)


def _apply_remedies(features, minibatch_discrimination, minibatch_stddev):
    """Append the minibatch statistics to flat features."""
    x = features
    if minibatch_stddev:
        x = MinibatchStdDev(group_size=minibatch_stddev, name="minibatch_stddev")(x)
    if minibatch_discrimination:
        x = MinibatchDiscrimination(
            num_kernels=minibatch_discrimination, kernel_dim=5,
            name="minibatch_discrimination",
        )(x)
    return x


_REMEDY_ARGS_DOC = """
        spectral_norm: wrap every convolution and dense layer in
            `keras.layers.SpectralNormalization` (Miyato et al. 2018). Keras'
            wrapper writes the normalised kernel back into the layer at every
            training-mode call, so the discriminator's kernels are also
            re-normalised when the generator phase runs it.
        minibatch_discrimination: False, True (50 kernels of dimension 5) or
            the number of kernels: append `MinibatchDiscrimination` features
            (Salimans et al. 2016) before the score.
        minibatch_stddev: False, True (groups of 4) or the group size: append
            the `MinibatchStdDev` statistic (Karras et al. 2018) before the
            score."""


def build_dcgan_discriminator(image_shape, width=64, kernel_size=4,
                              normalization="batch",
                              name="dcgan_discriminator",
                              spectral_norm=False,
                              minibatch_discrimination=False,
                              minibatch_stddev=False):
    """DCGAN discriminator (Radford et al. 2015).

    Strided convolutions (no pooling), LeakyReLU(0.2), batch norm on every
    layer but the input one, and a single raw score (a logit). The flattened
    output of the last convolution is the layer named "features" (the VAE-GAN
    reads it); the remedies for mode collapse act on it.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        width: channels of the first convolution; doubles at each layer.
        kernel_size: convolution kernel size.
        normalization: "batch" (the paper), "layer" (for critics with a
            gradient penalty, which must not mix samples), or None.
        name: the model's name.{remedies}

    Returns:
        A functional `keras.Model` with output shape (None, 1).

    Example:

    >>> build_dcgan_discriminator((32, 32, 3)).output_shape
    (None, 1)
    >>> build_dcgan_discriminator(
    ...     (8, 8, 1), minibatch_stddev=True, spectral_norm=True).output_shape
    (None, 1)
    """
    _check_image_shape(image_shape, 4, "DCGAN")
    _normalization_layer(normalization)
    mbd, mbstd = _check_remedies(minibatch_discrimination, minibatch_stddev)
    images = keras.Input(tuple(int(d) for d in image_shape), name="images")
    features = _dcgan_features(
        images, image_shape, width, kernel_size, normalization, spectral_norm
    )
    x = _apply_remedies(features, mbd, mbstd)
    score = _spectral(layers.Dense, spectral_norm, 1, name="score")(x)
    return keras.Model(images, score, name=name)


build_dcgan_discriminator.__doc__ = build_dcgan_discriminator.__doc__.replace(
    "{remedies}", _REMEDY_ARGS_DOC
)
build_mlp_discriminator.__doc__ = build_mlp_discriminator.__doc__.replace(
    "{remedies}", _REMEDY_ARGS_DOC
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
    if conditioning == "concat":
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
        x = _apply_remedies(features, mbd, mbstd)
        score = _spectral(layers.Dense, spectral_norm, 1, name="score")(x)
    else:
        features = _dcgan_features(
            images, image_shape, width, kernel_size, normalization, spectral_norm
        )
        x = _apply_remedies(features, mbd, mbstd)
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
        score = layers.Add(name="score")([unconditional, projection])
    return keras.Model([images, labels], score, name=name)


build_conditional_discriminator.__doc__ = (
    build_conditional_discriminator.__doc__.replace("{remedies}", _REMEDY_ARGS_DOC)
)


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
    _normalization_layer(normalization)
    mbd, mbstd = _check_remedies(minibatch_discrimination, minibatch_stddev)
    images = keras.Input(tuple(int(d) for d in image_shape), name="images")
    features = _dcgan_features(
        images, image_shape, width, kernel_size, normalization, spectral_norm
    )
    x = _apply_remedies(features, mbd, mbstd)
    score = _spectral(layers.Dense, spectral_norm, 1, name="score")(x)
    # The classifier reads the plain features: batch statistics say nothing
    # about one image's class.
    logits = _spectral(
        layers.Dense, spectral_norm, num_classes, name="class_logits"
    )(features)
    return keras.Model(images, [score, logits], name=name)


build_acgan_discriminator.__doc__ = build_acgan_discriminator.__doc__.replace(
    "{remedies}", _REMEDY_ARGS_DOC
)


def build_dcgan_encoder(image_shape, latent_dim=100, width=64, kernel_size=4,
                        normalization="batch", name="dcgan_encoder"):
    """A convolutional encoder q(z | x) for the VAE-GAN.

    The DCGAN discriminator's convolutions, then two dense heads: the mean
    and the log-variance of a diagonal Gaussian over z.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        latent_dim: size of z.
        width: channels of the first convolution.
        kernel_size: convolution kernel size.
        normalization: "batch", "layer" or None.
        name: the model's name.

    Returns:
        A functional `keras.Model` from images to `[mean, log_var]`, each
        of shape (None, latent_dim).

    Example:

    >>> e = build_dcgan_encoder((8, 8, 1), latent_dim=16)
    >>> [tuple(o.shape) for o in e(np.zeros((2, 8, 8, 1)))]
    [(2, 16), (2, 16)]
    """
    _check_image_shape(image_shape, 4, "DCGAN")
    _normalization_layer(normalization)
    images = keras.Input(tuple(int(d) for d in image_shape), name="images")
    features = _dcgan_features(
        images, image_shape, width, kernel_size, normalization, False
    )
    mean = layers.Dense(latent_dim, name="mean")(features)
    log_var = layers.Dense(
        latent_dim, kernel_initializer="zeros", name="log_var"
    )(features)
    return keras.Model(images, [mean, log_var], name=name)


def count_params(model):
    """Number of scalars in a model's weights.

    Example:

    >>> count_params(build_dcgan_discriminator((8, 8, 1), width=8)) > 0
    True
    """
    return int(sum(math.prod(v.shape) for v in model.weights))
