"""The original GAN of Goodfellow et al. 2014, with multilayer perceptrons."""

import keras

from keras_gans.networks import dcgan as nets
from keras_gans.models.base import GAN


@keras.saving.register_keras_serializable(package="keras_gans")
class VanillaGAN(GAN):
    """The original GAN (Goodfellow et al. 2014): MLP generator, maxout MLP discriminator.

    Args:
        image_shape: (H, W, C) of the images.
        latent_dim: size of the latent vector.
        generator_units: hidden widths of the generator.
        discriminator_units: maxout units per discriminator layer.
        pieces: linear pieces per maxout unit.
        dropout: dropout rate in the discriminator.
        generator_batch_norm: batch normalization in the generator's hidden
            layers (the 28x28 preset uses it: without it the MLP generator
            collapsed onto one pattern).
        generator_activation: "relu" (the paper's) or "leaky_relu".
        discriminator_activation: "maxout" (the paper's, `pieces` pieces a
            unit) or "leaky_relu" (dense units with slope 0.2; `pieces` is
            then unused).
        **kwargs: the training arguments of `keras_gans.GAN` (`d_steps`,
            `label_smoothing`, `seed`, `ema_decay`), your own networks, and
            `keras.Model`'s.

    Example:

    ```python
    gan = keras_gans.VanillaGAN(image_shape=(8, 8, 1), latent_dim=32)
    gan.compile()
    gan.fit(keras_gans.datasets.load_digits(), batch_size=64, epochs=5)
    ```
    """

    def __init__(self, image_shape=(28, 28, 1), latent_dim=100,
                 generator_units=(256, 512), discriminator_units=(512, 256),
                 pieces=5, dropout=0.3, generator_batch_norm=False,
                 generator_activation="relu", discriminator_activation="maxout",
                 **kwargs):
        for arg, value, allowed in (
                ("generator_activation", generator_activation, ("relu", "leaky_relu")),
                ("discriminator_activation", discriminator_activation, ("maxout", "leaky_relu"))):
            if value not in allowed:
                raise ValueError(
                    f"{arg} must be one of {', '.join(map(repr, allowed))}; "
                    f"received {value!r}."
                )
        super().__init__(
            architecture=dict(
                image_shape=image_shape, latent_dim=latent_dim,
                generator_units=generator_units,
                discriminator_units=discriminator_units, pieces=pieces,
                dropout=dropout, generator_batch_norm=generator_batch_norm,
                generator_activation=generator_activation,
                discriminator_activation=discriminator_activation,
            ),
            **kwargs,
        )

    def build_networks(self, image_shape, latent_dim, generator_units,
                       discriminator_units, pieces, dropout,
                       generator_batch_norm=False, generator_activation="relu",
                       discriminator_activation="maxout"):
        return {
            "generator": nets.build_mlp_generator(
                image_shape, latent_dim, hidden_units=generator_units,
                batch_norm=generator_batch_norm, activation=generator_activation),
            "discriminator": nets.build_mlp_discriminator(
                image_shape, hidden_units=discriminator_units,
                pieces=pieces if discriminator_activation == "maxout" else 0,
                dropout=dropout),
        }
