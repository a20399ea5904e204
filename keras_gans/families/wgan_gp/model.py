"""WGAN-GP: Wasserstein GAN with a gradient penalty (Gulrajani et al. 2017)."""

import keras

from keras_gans import _compat
from keras_gans.networks import dcgan as nets
from keras_gans import regularizers as gan_regularizers
from keras_gans.models.base import GAN

PENALTIES = ("gp", "r1")


#: The paper's optimizer as data (`compile_defaults`); `paper_optimizer()` builds it.
OPTIMIZER = {"class_name": "Adam",
             "config": {"learning_rate": 1e-4, "beta_1": 0.0, "beta_2": 0.9}}


def paper_optimizer():
    """Adam(1e-4, beta_1=0, beta_2=0.9): Gulrajani et al. 2017, Algorithm 1.

    Example:

    >>> float(paper_optimizer().beta_2)
    0.9
    """
    return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.0, beta_2=0.9)


@keras.saving.register_keras_serializable(package="keras_gans")
class WGANGP(GAN):
    """Wasserstein GAN with gradient penalty (Gulrajani et al. 2017).

    The critic (a DCGAN discriminator without batch norm: a gradient
    penalty is taken per sample, and batch norm would mix the samples)
    minimises `mean D(G(z)) - mean D(x) + lambda * GP` where

        GP = mean_i (||grad_x D(x_hat_i)||_2 - 1)^2,
        x_hat_i = eps_i * x_i + (1 - eps_i) * G(z_i),  eps_i ~ U[0, 1],

    with ONE interpolation weight per sample (shape `(batch, 1, 1, 1)`; a
    weight per pixel, or a normally distributed one, is a widespread bug).
    The critic takes `n_critic` steps per generator step; each draws fresh
    noise and fresh interpolation weights and reuses the step's real batch
    (the paper draws a new real batch per critic step: feed batches
    `n_critic` times larger to see as many real images). `compile()`
    defaults to the paper's Adam(1e-4, beta_1=0, beta_2=0.9) for both
    networks and the Wasserstein loss.

    The penalty is a part from `keras_gans.regularizers`, usable with any
    family; WGAN-GP's `compile()` adds `GradientPenalty(gp_weight)` (logged
    as `penalty`) unless given `regularizers=`. `penalty="r1"` makes the
    default `R1(r1_gamma)` instead (Mescheder et al. 2018:
    `r1_gamma / 2 * mean_i ||grad_x D(x_i)||^2` on real images only), usually
    paired with the non-saturating loss: `compile(loss="non_saturating")`.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        latent_dim: size of the latent vector.
        width: base channel count of both DCGAN networks.
        kernel_size: convolution kernel size.
        n_critic: critic updates per generator update (the paper: 5).
        penalty: "gp" (the paper) or "r1".
        gp_weight: lambda, the gradient penalty's weight (the paper: 10).
        r1_gamma: gamma, the R1 penalty's weight.
        normalization: the critic's normalization, "layer" or None (batch
            norm is refused).
        **kwargs: the training arguments of `keras_gans.GAN` (`seed`,
            `ema_decay`; `d_steps` is `n_critic`), your own `generator` or
            `discriminator` (a critic without batch norm), and
            `keras.Model`'s.

    Example:

    ```python
    gan = keras_gans.WGANGP(image_shape=(28, 28, 1), latent_dim=100)
    gan.compile()  # Adam(1e-4, beta_1=0, beta_2=0.9), Wasserstein loss
    gan.fit(dataset, epochs=10)  # logs d_loss, g_loss, d_real, d_fake, penalty
    ```
    """

    #: Gulrajani et al. 2017: Adam(1e-4, beta_1=0, beta_2=0.9) for both
    #: networks and the Wasserstein loss; the penalty is
    #: `default_regularizers()`, which follows `penalty=`.
    compile_defaults = {
        "d_optimizer": OPTIMIZER,
        "g_optimizer": OPTIMIZER,
        "loss": "wasserstein",
    }

    def __init__(self, image_shape=(28, 28, 1), latent_dim=100, width=64,
                 kernel_size=4, n_critic=5, penalty="gp", gp_weight=10.0,
                 r1_gamma=10.0, normalization="layer", **kwargs):
        if penalty not in PENALTIES:
            raise ValueError(f"penalty must be one of {PENALTIES}; received {penalty!r}.")
        if normalization not in ("layer", None, "none"):
            raise ValueError(
                "A gradient-penalty critic must not use batch norm (it mixes "
                "the samples whose gradients are penalised); normalization "
                f"must be 'layer' or None; received {normalization!r}."
            )
        for label, value in (("gp_weight", gp_weight), ("r1_gamma", r1_gamma)):
            if float(value) < 0:
                raise ValueError(f"{label} must be >= 0; received {value}.")
        kwargs.setdefault("d_steps", n_critic)
        super().__init__(
            architecture=dict(
                image_shape=image_shape, latent_dim=latent_dim, width=width,
                kernel_size=kernel_size,
                normalization=None if normalization == "none" else normalization,
                penalty=penalty, gp_weight=float(gp_weight), r1_gamma=float(r1_gamma),
            ),
            **kwargs,
        )
        _refuse_batch_norm(self.discriminator)

    def build_networks(self, image_shape, latent_dim, width, kernel_size, normalization):
        return {
            "generator": nets.build_dcgan_generator(
                image_shape, latent_dim, width=width, kernel_size=kernel_size),
            "discriminator": nets.build_dcgan_discriminator(
                image_shape, width=width, kernel_size=kernel_size,
                normalization=normalization, name="wgan_critic"),
        }

    @property
    def n_critic(self):
        """Critic updates per generator update (`d_steps` of the base class)."""
        return self.d_steps

    @property
    def critic(self):
        """The critic (an alias of `discriminator`)."""
        return self.discriminator

    def default_regularizers(self):
        """The paper's penalty: `GradientPenalty(gp_weight)`, or `R1(r1_gamma)`
        for `penalty="r1"`; logged as `penalty`.

        Example:

        >>> [type(r).__name__ for r in WGANGP(image_shape=(8, 8, 1)).default_regularizers()]
        ['GradientPenalty']
        """
        if self.penalty == "r1":
            return [gan_regularizers.R1(self.r1_gamma, log_name="penalty")]
        return [gan_regularizers.GradientPenalty(self.gp_weight, log_name="penalty")]

    def training_config(self):
        config = super().training_config()
        config["n_critic"] = config.pop("d_steps")
        return config


def _refuse_batch_norm(critic):
    for layer in _compat.flatten_layers(critic, include_self=False):
        if isinstance(layer, keras.layers.BatchNormalization):
            raise ValueError(
                "A gradient-penalty critic must not use batch norm (it mixes "
                f"the samples whose gradients are penalised); layer "
                f"{layer.name!r} of {critic.name!r} is a BatchNormalization. "
                "Use layer normalization or none."
            )
