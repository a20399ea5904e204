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
                 pieces=5, dropout=0.3, **kwargs):
        super().__init__(
            architecture=dict(
                image_shape=image_shape, latent_dim=latent_dim,
                generator_units=generator_units,
                discriminator_units=discriminator_units, pieces=pieces,
                dropout=dropout,
            ),
            **kwargs,
        )

    def build_networks(self, image_shape, latent_dim, generator_units,
                       discriminator_units, pieces, dropout):
        return {
            "generator": nets.build_mlp_generator(
                image_shape, latent_dim, hidden_units=generator_units),
            "discriminator": nets.build_mlp_discriminator(
                image_shape, hidden_units=discriminator_units, pieces=pieces,
                dropout=dropout),
        }
