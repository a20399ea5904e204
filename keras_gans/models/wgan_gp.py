"""WGAN-GP: Wasserstein GAN with a gradient penalty (Gulrajani et al. 2017)."""

import keras
from keras import ops

from keras_gans import backend as gan_backend
from keras_gans import nets
from keras_gans.models.base import GAN
from keras_gans.registry import register

PENALTIES = ("gp", "r1")


def paper_optimizer():
    """Adam(1e-4, beta_1=0, beta_2=0.9): Gulrajani et al. 2017, Algorithm 1.

    Example:

    >>> float(paper_optimizer().beta_2)
    0.9
    """
    return keras.optimizers.Adam(learning_rate=1e-4, beta_1=0.0, beta_2=0.9)


@register("wgan_gp")
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

    `penalty="r1"` replaces the gradient penalty by R1 (Mescheder et al.
    2018): `r1_gamma / 2 * mean_i ||grad_x D(x_i)||^2` on real images only.
    R1 is usually paired with the non-saturating loss:
    `compile(loss="non_saturating")`.

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
        seed: seed of the training noise stream.
        generator: optional user-built generator replacing the DCGAN one.
        discriminator: optional user-built critic replacing the DCGAN one
            (it must not use batch norm).
        **kwargs: passed to `keras.Model`.

    Example:

    ```python
    gan = keras_gans.WGANGP(image_shape=(28, 28, 1), latent_dim=100)
    gan.compile()  # Adam(1e-4, beta_1=0, beta_2=0.9), Wasserstein loss
    gan.fit(dataset, epochs=10)  # logs d_loss, g_loss, d_real, d_fake, penalty
    ```
    """

    tracker_names = GAN.tracker_names + ("penalty",)

    def __init__(
        self,
        image_shape=(28, 28, 1),
        latent_dim=100,
        width=64,
        kernel_size=4,
        n_critic=5,
        penalty="gp",
        gp_weight=10.0,
        r1_gamma=10.0,
        normalization="layer",
        seed=None,
        generator=None,
        discriminator=None,
        **kwargs,
    ):
        if penalty not in PENALTIES:
            raise ValueError(
                f"penalty must be one of {PENALTIES}; received {penalty!r}."
            )
        if normalization not in ("layer", None, "none"):
            raise ValueError(
                "A gradient-penalty critic must not use batch norm (it mixes "
                "the samples whose gradients are penalised); normalization "
                f"must be 'layer' or None; received {normalization!r}."
            )
        for label, value in (("gp_weight", gp_weight), ("r1_gamma", r1_gamma)):
            if float(value) < 0:
                raise ValueError(f"{label} must be >= 0; received {value}.")
        kwargs.pop("d_steps", None)
        self._arch = {
            "image_shape": tuple(int(d) for d in image_shape),
            "latent_dim": int(latent_dim),
            "width": int(width),
            "kernel_size": int(kernel_size),
            "normalization": None if normalization == "none" else normalization,
        }
        self._custom_nets = {}
        if generator is None:
            generator = nets.build_dcgan_generator(
                image_shape, latent_dim, width=width, kernel_size=kernel_size
            )
        else:
            self._custom_nets["generator"] = generator
        if discriminator is None:
            discriminator = nets.build_dcgan_discriminator(
                image_shape,
                width=width,
                kernel_size=kernel_size,
                normalization=self._arch["normalization"],
                name="wgan_critic",
            )
        else:
            self._custom_nets["discriminator"] = discriminator
        self.penalty = penalty
        self.gp_weight = float(gp_weight)
        self.r1_gamma = float(r1_gamma)
        super().__init__(
            generator,
            discriminator,
            latent_dim=latent_dim,
            d_steps=n_critic,
            seed=seed,
            **kwargs,
        )
        _refuse_batch_norm(self.discriminator)

    @property
    def n_critic(self):
        """Critic updates per generator update (`d_steps` of the base class)."""
        return self.d_steps

    @property
    def critic(self):
        """The critic (an alias of `discriminator`)."""
        return self.discriminator

    def compile(self, d_optimizer=None, g_optimizer=None, loss="wasserstein", **kwargs):
        """Configure training; defaults follow Gulrajani et al. 2017.

        Args:
            d_optimizer: the critic's optimizer; default
                Adam(1e-4, beta_1=0, beta_2=0.9).
            g_optimizer: the generator's optimizer; same default.
            loss: "wasserstein" (default) or any `keras_gans.losses` name.
            **kwargs: `jit_compile`, `run_eagerly`, `steps_per_execution`.

        Example:

        ```python
        gan.compile()
        gan.compile(loss="non_saturating")  # with penalty="r1"
        ```
        """
        super().compile(
            d_optimizer=paper_optimizer() if d_optimizer is None else d_optimizer,
            g_optimizer=paper_optimizer() if g_optimizer is None else g_optimizer,
            loss=loss,
            **kwargs,
        )

    # ------------------------------------------------------------ penalties

    def interpolation_weights(self, batch_size):
        """One weight per sample, eps ~ U[0, 1], of shape (batch, 1, 1, 1).

        Drawn from the model's seed stream (per replica under
        `tf.distribute`).

        Example:

        >>> gan.interpolation_weights(4).shape
        (4, 1, 1, 1)
        """
        return self.replica_rows(
            lambda n: keras.random.uniform(
                (n, 1, 1, 1), minval=0.0, maxval=1.0, seed=self.seed_generator
            ),
            batch_size,
        )

    def _critic_input_gradients(self, images):
        return gan_backend.gradients(
            lambda x: self.discriminator(x, training=True), images
        )

    @staticmethod
    def _squared_norms(grads):
        grads = ops.cast(grads, "float32")
        return ops.sum(ops.reshape(ops.square(grads), (ops.shape(grads)[0], -1)), axis=1)

    def gradient_penalty(self, real_images, fake_images, weights=None):
        """The WGAN-GP penalty: mean_i (||grad D(x_hat_i)||_2 - 1)^2.

        Args:
            real_images: a batch of real images.
            fake_images: a batch of generated images of the same shape.
            weights: interpolation weights of shape (batch, 1, 1, 1);
                drawn with `interpolation_weights` when omitted.

        Returns:
            A float32 scalar (without the `gp_weight` factor).

        Example:

        ```python
        gp = gan.gradient_penalty(x, gan.generator(z))
        ```
        """
        if weights is None:
            weights = self.interpolation_weights(ops.shape(real_images)[0])
        weights = ops.cast(weights, fake_images.dtype)
        real_images = ops.cast(real_images, fake_images.dtype)
        mixed = weights * real_images + (1.0 - weights) * fake_images
        grads = self._critic_input_gradients(mixed)
        norms = ops.sqrt(self._squared_norms(grads) + 1e-12)
        return ops.mean(ops.square(norms - 1.0))

    def r1_penalty(self, real_images):
        """The R1 penalty: 1/2 mean_i ||grad D(x_i)||^2 on real images.

        Returns:
            A float32 scalar (without the `r1_gamma` factor).

        Example:

        ```python
        r1 = gan.r1_penalty(x)
        ```
        """
        return 0.5 * ops.mean(self._squared_norms(self._critic_input_gradients(real_images)))

    def penalty_term(self, real_images, fake_images, weights=None):
        """The weighted penalty the critic adds to its loss.

        Returns:
            `(weighted penalty, unweighted penalty)` as float32 scalars.
        """
        if self.penalty == "r1":
            value = self.r1_penalty(real_images)
            return self.r1_gamma * value, value
        value = self.gradient_penalty(real_images, fake_images, weights)
        return self.gp_weight * value, value

    # ------------------------------------------------------------ training

    def discriminator_phase(self, data):
        """One critic update: Wasserstein loss plus the weighted penalty.

        Returns:
            A dict: `d_loss` (with the penalty), `d_real`, `d_fake` (mean
            critic scores) and `penalty` (unweighted).
        """
        real_images = self._unpack_images(data)
        batch_size = ops.shape(real_images)[0]
        z = self.sample_latent(batch_size)
        fake_images = ops.stop_gradient(self.generator(z, training=True))
        real_images = ops.cast(real_images, fake_images.dtype)
        weights = (
            self.interpolation_weights(batch_size) if self.penalty == "gp" else None
        )

        def loss_fn():
            loss, (d_real, d_fake) = self.discriminator_loss(real_images, fake_images)
            weighted, value = self.penalty_term(real_images, fake_images, weights)
            return loss + weighted, (d_real, d_fake, value)

        loss, (d_real, d_fake, value) = gan_backend.minimize(
            loss_fn, self.discriminator.trainable_variables, self.d_optimizer
        )
        return {"d_loss": loss, "d_real": d_real, "d_fake": d_fake, "penalty": value}

    def _test_step(self, data):
        real_images = self._unpack_images(data)
        batch_size = ops.shape(real_images)[0]
        z = self.sample_latent(batch_size)
        fake_images = self.generator(z, training=False)
        real_images = ops.cast(real_images, fake_images.dtype)
        d_loss, (d_real, d_fake) = self.discriminator_loss(
            real_images, fake_images, training=False
        )
        weighted, value = self.penalty_term(real_images, fake_images)
        g_loss, _ = self.generator_loss(z, training=False)
        return self._update_trackers(
            {"d_loss": d_loss + weighted, "g_loss": g_loss, "d_real": d_real,
             "d_fake": d_fake, "penalty": value}
        )

    # -------------------------------------------------------------- config

    def get_config(self):
        config = self._family_config(
            n_critic=self.d_steps,
            penalty=self.penalty,
            gp_weight=self.gp_weight,
            r1_gamma=self.r1_gamma,
            seed=self.seed,
        )
        for role, net in self._custom_nets.items():
            config[role] = keras.saving.serialize_keras_object(net)
        return config


def _refuse_batch_norm(critic):
    for layer in critic._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.BatchNormalization):
            raise ValueError(
                "A gradient-penalty critic must not use batch norm (it mixes "
                f"the samples whose gradients are penalised); layer "
                f"{layer.name!r} of {critic.name!r} is a BatchNormalization. "
                "Use layer normalization or none."
            )
