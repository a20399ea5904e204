"""DCGAN: deep convolutional GAN after Radford, Metz and Chintala 2015."""

import keras

from keras_gans.networks import dcgan as nets
from keras_gans.models.base import GAN


@keras.saving.register_keras_serializable(package="keras_gans")
class DCGAN(GAN):
    """A DCGAN (Radford et al. 2015) for any H x W x C with H and W divisible by 4.

    The networks follow the paper's guidelines: strided convolutions in the
    discriminator and transposed convolutions in the generator (no pooling),
    batch norm in both (not on the discriminator's input layer), ReLU in the
    generator with a tanh output, LeakyReLU(0.2) in the discriminator. Train
    with the paper's Adam(2e-4, beta_1=0.5), the `compile()` default.

    Args:
        image_shape: (H, W, C), e.g. (8, 8, 1), (28, 28, 1), (32, 32, 3),
            (64, 64, 3).
        latent_dim: size of the latent vector (the paper: 100).
        width: base channel count of both networks.
        kernel_size: convolution kernel size (the paper: 4 or 5).
        upsampling: how the generator doubles its resolution: "transpose"
            (the paper's transposed convolutions, the default) or "resize"
            (nearest-neighbour resize then convolution, Odena et al. 2016,
            free of checkerboard artifacts; about 1.6x slower per step on a
            2-core CPU at 28x28, see docs/scaling.md).
        **kwargs: the training arguments of `keras_gans.GAN` (`d_steps`,
            `label_smoothing`, `seed`, `ema_decay`), your own `generator` or
            `discriminator` in place of the built one, and `keras.Model`'s
            (`name`).

    Example:

    ```python
    gan = keras_gans.DCGAN(image_shape=(28, 28, 1), latent_dim=100, width=64)
    gan.compile()
    gan.fit(dataset, epochs=10)
    gan.save("dcgan.keras")
    ```
    """

    def __init__(self, image_shape=(28, 28, 1), latent_dim=100, width=64,
                 kernel_size=4, upsampling="transpose", **kwargs):
        super().__init__(
            architecture=dict(image_shape=image_shape, latent_dim=latent_dim,
                              width=width, kernel_size=kernel_size,
                              upsampling=upsampling),
            **kwargs,
        )

    def build_networks(self, image_shape, latent_dim, width, kernel_size,
                       upsampling="transpose"):
        return {
            "generator": nets.build_dcgan_generator(
                image_shape, latent_dim, width=width, kernel_size=kernel_size,
                upsampling=upsampling),
            "discriminator": nets.build_dcgan_discriminator(
                image_shape, width=width, kernel_size=kernel_size),
        }
