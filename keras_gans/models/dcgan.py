"""DCGAN: deep convolutional GAN after Radford, Metz and Chintala 2015."""

import keras

from keras_gans import nets
from keras_gans.models.base import GAN
from keras_gans.registry import register


@register("dcgan")
@keras.saving.register_keras_serializable(package="keras_gans")
class DCGAN(GAN):
    """A DCGAN for any H x W x C with H and W divisible by 4.

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
        d_steps: discriminator updates per generator update.
        label_smoothing: one-sided label smoothing for real images.
        seed: seed of the training noise stream.
        **kwargs: passed to `keras.Model`.

    Example:

    ```python
    gan = keras_gans.DCGAN(image_shape=(28, 28, 1), latent_dim=100, width=64)
    gan.compile()
    gan.fit(dataset, epochs=10)
    gan.save("dcgan.keras")
    ```
    """

    def __init__(
        self,
        image_shape=(28, 28, 1),
        latent_dim=100,
        width=64,
        kernel_size=4,
        d_steps=1,
        label_smoothing=0.0,
        seed=None,
        **kwargs,
    ):
        self._arch = {
            "image_shape": tuple(int(d) for d in image_shape),
            "latent_dim": int(latent_dim),
            "width": int(width),
            "kernel_size": int(kernel_size),
        }
        kwargs.pop("generator", None)
        kwargs.pop("discriminator", None)
        generator = nets.build_dcgan_generator(
            image_shape, latent_dim, width=width, kernel_size=kernel_size
        )
        discriminator = nets.build_dcgan_discriminator(
            image_shape, width=width, kernel_size=kernel_size
        )
        super().__init__(
            generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
            label_smoothing=label_smoothing, seed=seed, **kwargs,
        )

    def get_config(self):
        return self._family_config(
            d_steps=self.d_steps, label_smoothing=self.label_smoothing,
            seed=self.seed,
        )
