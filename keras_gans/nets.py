"""Network builders: plain functions returning functional `keras.Model`s.

Every GAN class accepts networks built here or by the user. Generators map
`(batch, latent_dim)` to images `(batch, H, W, C)` in [-1, 1] (tanh output);
discriminators map images to one raw score `(batch, 1)` (no sigmoid).
"""

import math

import keras
from keras import layers

from keras_gans.layers import Maxout


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
                        name="mlp_generator"):
    """Multilayer-perceptron generator after Goodfellow et al. 2014.

    ReLU hidden layers, a tanh output reshaped to the image (the paper used
    a sigmoid for [0, 1] pixels; the zoo scales images to [-1, 1]).

    Args:
        image_shape: (H, W, C) of the generated images.
        latent_dim: size of the latent vector.
        hidden_units: widths of the hidden layers.
        name: the model's name.

    Returns:
        A functional `keras.Model`.

    Example:

    >>> g = build_mlp_generator((8, 8, 1), latent_dim=16)
    >>> g.output_shape
    (None, 8, 8, 1)
    """
    h, w, c = _check_image_shape(image_shape)
    z = keras.Input((latent_dim,), name="z")
    x = z
    for units in hidden_units:
        x = layers.Dense(units, activation="relu")(x)
    x = layers.Dense(h * w * c, activation="tanh")(x)
    images = layers.Reshape((h, w, c), name="images")(x)
    return keras.Model(z, images, name=name)


def build_mlp_discriminator(image_shape, hidden_units=(512, 256), pieces=5,
                            dropout=0.3, name="mlp_discriminator"):
    """Multilayer-perceptron discriminator after Goodfellow et al. 2014.

    Maxout hidden layers with dropout, as in the paper, and one raw score.

    Args:
        image_shape: (H, W, C) of the input images.
        hidden_units: maxout units per hidden layer.
        pieces: linear pieces per maxout unit (0 uses LeakyReLU instead).
        dropout: dropout rate after each hidden layer.
        name: the model's name.

    Returns:
        A functional `keras.Model` with output shape (None, 1).

    Example:

    >>> d = build_mlp_discriminator((8, 8, 1))
    >>> d.output_shape
    (None, 1)
    """
    h, w, c = _check_image_shape(image_shape)
    images = keras.Input((h, w, c), name="images")
    x = layers.Flatten()(images)
    for units in hidden_units:
        if pieces:
            x = Maxout(units, pieces=pieces)(x)
        else:
            x = layers.Dense(units)(x)
            x = layers.LeakyReLU(0.2)(x)
        if dropout:
            x = layers.Dropout(dropout)(x)
    score = layers.Dense(1, name="score")(x)
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


def build_dcgan_generator(image_shape, latent_dim=100, width=64, kernel_size=4,
                          name="dcgan_generator"):
    """DCGAN generator (Radford et al. 2015).

    Project and reshape, then transposed convolutions with stride 2, batch
    norm and ReLU, and a tanh output; no pooling and no hidden dense layers.
    Channels halve at each upsampling and end at `width`.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        latent_dim: size of the latent vector.
        width: channels of the last hidden layer (the paper's 64x64 net: 128).
        kernel_size: size of the transposed convolution kernels.
        name: the model's name.

    Returns:
        A functional `keras.Model`.

    Example:

    >>> build_dcgan_generator((28, 28, 1), latent_dim=32).output_shape
    (None, 28, 28, 1)
    """
    h, w, c = _check_image_shape(image_shape, 4, "DCGAN")
    steps = dcgan_upsamplings(image_shape)
    start_h, start_w = h // 2**steps, w // 2**steps
    channels = width * 2 ** (steps - 1)
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(start_h * start_w * channels, use_bias=False)(z)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((start_h, start_w, channels))(x)
    for _ in range(steps - 1):
        channels //= 2
        x = layers.Conv2DTranspose(
            channels, kernel_size, strides=2, padding="same", use_bias=False
        )(x)
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
    x = layers.Conv2DTranspose(c, kernel_size, strides=2, padding="same")(x)
    images = layers.Activation("tanh", name="images")(x)
    return keras.Model(z, images, name=name)


def _normalization_layer(kind):
    if kind in (None, "none"):
        return None
    if kind == "batch":
        return layers.BatchNormalization()
    if kind == "layer":
        return layers.LayerNormalization()
    raise ValueError(
        f"normalization must be 'batch', 'layer' or None; received {kind!r}."
    )


def build_dcgan_discriminator(image_shape, width=64, kernel_size=4,
                              normalization="batch",
                              name="dcgan_discriminator"):
    """DCGAN discriminator (Radford et al. 2015).

    Strided convolutions (no pooling), LeakyReLU(0.2), batch norm on every
    layer but the input one, and a single raw score (a logit).

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        width: channels of the first convolution; doubles at each layer.
        kernel_size: convolution kernel size.
        normalization: "batch" (the paper), "layer" (for critics with a
            gradient penalty, which must not mix samples), or None.
        name: the model's name.

    Returns:
        A functional `keras.Model` with output shape (None, 1).

    Example:

    >>> build_dcgan_discriminator((32, 32, 3)).output_shape
    (None, 1)
    """
    h, w, c = _check_image_shape(image_shape, 4, "DCGAN")
    steps = dcgan_upsamplings(image_shape)
    images = keras.Input((h, w, c), name="images")
    x = images
    channels = width
    for i in range(steps):
        x = layers.Conv2D(
            channels, kernel_size, strides=2, padding="same",
            use_bias=i == 0 or normalization in (None, "none"),
        )(x)
        norm = _normalization_layer(normalization) if i > 0 else None
        if norm is not None:
            x = norm(x)
        x = layers.LeakyReLU(0.2)(x)
        channels *= 2
    x = layers.Flatten()(x)
    score = layers.Dense(1, name="score")(x)
    return keras.Model(images, score, name=name)


def count_params(model):
    """Number of scalars in a model's weights.

    Example:

    >>> count_params(build_dcgan_discriminator((8, 8, 1), width=8)) > 0
    True
    """
    return int(sum(math.prod(v.shape) for v in model.weights))
