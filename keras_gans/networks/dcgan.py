"""Network builders: plain functions returning functional `keras.Model`s.

Every GAN class accepts networks built here or by the user. Generators map
`(batch, latent_dim)` to images `(batch, H, W, C)` in [-1, 1] (tanh output);
discriminators map images to one raw score `(batch, 1)` (no sigmoid).

This module holds the DCGAN builders (Radford et al. 2015) and is the one
place to import every builder from (it is `keras_gans.nets`): the MLP
networks live in `keras_gans.networks.mlp`, the class-conditional ones in
`keras_gans.networks.conditional`, the shared pieces in
`keras_gans.networks.dcgan_blocks`.

Example:

```python
from keras_gans.networks import dcgan as nets
generator = nets.build_dcgan_generator((8, 8, 1), latent_dim=32)
discriminator = nets.build_mlp_discriminator((8, 8, 1))
```
"""

import math

import keras
from keras import layers

from keras_gans.networks.conditional import (  # noqa: F401  (importable from here)
    CONDITIONINGS,
    _check_num_classes,
    _labels_input,
    build_acgan_discriminator,
    build_conditional_discriminator,
    build_conditional_generator,
)
from keras_gans.networks.dcgan_blocks import (  # noqa: F401  (importable from here)
    _REMEDY_ARGS_DOC,
    UPSAMPLINGS,
    _apply_remedies,
    _check_image_shape,
    _check_remedies,
    _check_upsampling,
    _dcgan_features,
    _dcgan_generator_body,
    _normalization_layer,
    _remedy_setting,
    _scored_features,
    _spectral,
    _upsample,
    dcgan_upsamplings,
)
from keras_gans.networks.mlp import build_mlp_discriminator, build_mlp_generator  # noqa: F401


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
    images, _, score = _scored_features(
        image_shape, width, kernel_size, normalization, spectral_norm,
        minibatch_discrimination, minibatch_stddev,
    )
    return keras.Model(images, score, name=name)


build_dcgan_discriminator.__doc__ = build_dcgan_discriminator.__doc__.replace("{remedies}", _REMEDY_ARGS_DOC)


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
