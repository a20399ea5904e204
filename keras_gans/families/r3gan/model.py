"""R3GAN: RpGAN + R1 + R2 on a plain ResNet (Huang et al. 2024)."""

import keras

from keras_gans import validation
from keras_gans.families.r3gan import networks as nets_resnet
from keras_gans import regularizers as gan_regularizers
from keras_gans.models.base import GAN


#: The paper's optimizer as data (`compile_defaults`); `paper_optimizer()` builds it.
OPTIMIZER = {"class_name": "Adam",
             "config": {"learning_rate": 2e-4, "beta_1": 0.0, "beta_2": 0.99}}


def paper_optimizer(learning_rate=2e-4):
    """Adam(lr, beta_1=0, beta_2=0.99), R3GAN's optimizer (Huang et al. 2024).

    Example:

    >>> float(paper_optimizer().beta_2)
    0.99
    """
    return keras.optimizers.Adam(learning_rate=learning_rate, beta_1=0.0, beta_2=0.99)


@keras.saving.register_keras_serializable(package="keras_gans")
class R3GAN(GAN):
    """An R3GAN-style baseline (Huang et al. 2024, "The GAN is dead; long
    live the GAN! A Modern GAN Baseline", arXiv:2501.05441).

    Three choices make the recipe: the relativistic pairing loss RpGAN
    (`keras_gans.losses.rpgan_discriminator_loss`), both zero-centred
    gradient penalties R1 (on real images) and R2 (on generated ones), which
    together make training locally convergent, and a modern but plain
    ResNet without any normalization (`keras_gans.families.r3gan.networks`: fix-up
    initialized residual blocks with leaky ReLU). An exponential moving
    average of the generator (`ema_decay`, default 0.999) is what
    `generate` and `export` use. `compile()` defaults to all of it: the
    "rpgan" loss, `[R1(gamma), R2(gamma)]` and Adam(2e-4, beta_1=0,
    beta_2=0.99) for both networks. The paper's schedules (learning rate,
    gamma and Adam's beta_2 decayed over training) and its grouped
    convolutions are left out.

    Args:
        image_shape: (H, W, C); H and W are halved while even and >= 8
            (8x8 -> 4x4 base, 28x28 -> 7x7, 32x32 -> 4x4).
        latent_dim: size of the latent vector.
        width: channels at full resolution (doubled per coarser stage).
        blocks_per_stage: residual blocks per resolution in each network.
        expansion: inner width of each residual branch, as a multiple.
        gamma: the weight of both R1 and R2 (the paper: 0.05 on CIFAR-10,
            more for larger images; it scales with the image size).
        ema_decay: the generator average's decay; None: no average.
        **kwargs: the training arguments of `keras_gans.GAN` (`d_steps`,
            `seed`), your own `generator` or `discriminator`, and
            `keras.Model`'s (`name`).

    Example:

    ```python
    gan = keras_gans.R3GAN(image_shape=(28, 28, 1), latent_dim=64, width=32)
    gan.compile()  # RpGAN + R1 + R2, Adam(2e-4, beta_1=0, beta_2=0.99)
    gan.fit(dataset, epochs=10)  # logs d_loss, g_loss, d_real, d_fake, r1, r2
    images = gan.generate(16)  # from the moving average
    ```
    """

    #: Huang et al. 2024: Adam(2e-4, beta_1=0, beta_2=0.99) for both
    #: networks and the relativistic pairing loss; the penalties are
    #: `default_regularizers()` (R1 and R2 with the model's `gamma`).
    compile_defaults = {
        "d_optimizer": OPTIMIZER,
        "g_optimizer": OPTIMIZER,
        "loss": "rpgan",
    }

    def __init__(self, image_shape=(28, 28, 1), latent_dim=64, width=32,
                 blocks_per_stage=1, expansion=2, gamma=0.1, ema_decay=0.999, **kwargs):
        if isinstance(gamma, bool) or not isinstance(gamma, (int, float)) or gamma < 0:
            raise ValueError(f"gamma must be a number >= 0; received {gamma!r}.")
        blocks_per_stage = validation.check_positive_int("blocks_per_stage", blocks_per_stage)
        expansion = validation.check_positive_int("expansion", expansion)
        super().__init__(
            architecture=dict(image_shape=image_shape, latent_dim=latent_dim, width=width,
                              blocks_per_stage=blocks_per_stage, expansion=expansion,
                              gamma=float(gamma)),
            ema_decay=ema_decay,
            **kwargs,
        )

    def build_networks(self, image_shape, latent_dim, width, blocks_per_stage, expansion):
        return {
            "generator": nets_resnet.build_resnet_generator(
                image_shape, latent_dim, width=width, blocks_per_stage=blocks_per_stage,
                expansion=expansion, name="r3gan_generator"),
            "discriminator": nets_resnet.build_resnet_discriminator(
                image_shape, width=width, blocks_per_stage=blocks_per_stage,
                expansion=expansion, name="r3gan_discriminator"),
        }

    def default_regularizers(self):
        """`[R1(gamma), R2(gamma)]`, R3GAN's two zero-centred penalties.

        Example:

        >>> [type(r).__name__ for r in R3GAN(image_shape=(8, 8, 1)).default_regularizers()]
        ['R1', 'R2']
        """
        return [gan_regularizers.R1(self.gamma), gan_regularizers.R2(self.gamma)]
