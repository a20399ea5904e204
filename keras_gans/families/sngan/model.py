"""SNGAN: spectral normalisation for GANs (Miyato et al. 2018); its
class-conditional version is `keras_gans/families/sngan_projection/`."""

import keras

from keras_gans.networks import sn_resnet as nets_sngan
from keras_gans.models.base import GAN


#: The paper's optimizer as data (`compile_defaults`); `sngan_optimizer()` builds it.
OPTIMIZER = {"class_name": "Adam",
             "config": {"learning_rate": 2e-4, "beta_1": 0.0, "beta_2": 0.9}}


def sngan_optimizer():
    """The papers' Adam(2e-4, beta_1=0, beta_2=0.9) (Miyato et al. 2018, setting C).

    Example:

    >>> sngan_optimizer().beta_1
    0.0
    """
    return keras.optimizers.Adam(2e-4, beta_1=0.0, beta_2=0.9)


@keras.saving.register_keras_serializable(package="keras_gans")
class SNGAN(GAN):
    """SNGAN (Miyato et al. 2018): ResNet nets, a spectrally normalised critic, hinge loss.

    The generator and discriminator are the paper's ResNets
    (`keras_gans.networks.sn_resnet`); every weight of the discriminator is
    spectrally normalised (`keras_gans.networks.spectral_norm`: `W / sigma(W)` in the
    forward pass, one power iteration per training call, the gradient
    through sigma as in the paper), which keeps each layer's top singular
    value at 1 and so bounds the discriminator's Lipschitz constant. `compile()` defaults to the hinge
    loss and Adam(2e-4, beta_1=0, beta_2=0.9); the paper also uses
    `d_steps=5` for its ResNets (the `*_digits` preset keeps 1 for speed).

    Paper: Miyato, Kataoka, Koyama and Yoshida, "Spectral Normalization for
    Generative Adversarial Networks", ICLR 2018, arXiv:1802.05957.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        latent_dim: size of z (the paper: 128).
        width: base channel count of both networks (the paper: 128-256).
        num_classes: None (unconditional), or the number of classes for a
            projection discriminator (see `SNGANProjection`).
        spectral_norm: spectral normalisation in the discriminator (turn
            off only to compare).
        **kwargs: the training arguments of `keras_gans.GAN` (`d_steps`,
            `seed`, `ema_decay`), your own networks, and `keras.Model`'s.

    Example:

    ```python
    gan = keras_gans.SNGAN(image_shape=(8, 8, 1), latent_dim=32, width=16)
    gan.compile()  # hinge loss, Adam(2e-4, 0, 0.9)
    gan.fit(keras_gans.datasets.load_digits(batch_size=64), epochs=50)
    ```
    """

    #: Miyato et al. 2018 (setting C): Adam(2e-4, beta_1=0, beta_2=0.9) for
    #: both networks and the hinge loss.
    compile_defaults = {
        "d_optimizer": OPTIMIZER,
        "g_optimizer": OPTIMIZER,
        "loss": "hinge",
    }

    def __init__(self, image_shape=(28, 28, 1), latent_dim=128, width=64,
                 num_classes=None, spectral_norm=True, **kwargs):
        arch = dict(image_shape=image_shape, latent_dim=latent_dim, width=width,
                    spectral_norm=bool(spectral_norm))
        if num_classes is not None:
            arch["num_classes"] = num_classes
        super().__init__(architecture=arch, **kwargs)

    def build_networks(self, image_shape, latent_dim, width, spectral_norm,
                       num_classes=None):
        return {
            "generator": nets_sngan.build_resnet_generator(
                image_shape, latent_dim, width=width, num_classes=num_classes),
            "discriminator": nets_sngan.build_resnet_discriminator(
                image_shape, width=width, num_classes=num_classes,
                spectral_norm=spectral_norm),
        }
