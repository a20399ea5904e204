"""Multilayer-perceptron networks (Goodfellow et al. 2014): the vanilla GAN's
generator and maxout discriminator on flattened images. Also importable
from `keras_gans.networks.dcgan` (`keras_gans.nets`).

Example:

```python
from keras_gans.networks.mlp import build_mlp_discriminator, build_mlp_generator
generator = build_mlp_generator((8, 8, 1), latent_dim=16)
discriminator = build_mlp_discriminator((8, 8, 1))
```
"""

import keras
from keras import layers

from keras_gans.networks.dcgan_blocks import (
    _REMEDY_ARGS_DOC,
    _apply_remedies,
    _check_image_shape,
    _check_remedies,
    _spectral,
)
from keras_gans.networks.layers import BatchNormalization, Maxout


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


build_mlp_discriminator.__doc__ = build_mlp_discriminator.__doc__.replace("{remedies}", _REMEDY_ARGS_DOC)
