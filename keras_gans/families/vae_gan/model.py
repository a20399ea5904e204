"""VAE-GAN: autoencoding beyond pixels (Larsen, Sønderby, Larochelle and
Winther 2016).

A VAE whose decoder is also a GAN's generator, and whose reconstruction
error is measured in the feature space of an intermediate discriminator
layer (`Dis_l`) instead of pixels. Three networks, three optimizers, one
`fit()`.

- encoder: image -> (mean, log_var) of q(z | x); z = mean +
  exp(log_var / 2) * eps (the reparameterisation trick);
- decoder (== generator): z -> image;
- discriminator: image -> score, whose layer `feature_layer` (`Dis_l`)
  gives the feature space of the reconstruction loss.

With x~ = Dec(z), z ~ q(z | x), and x_p = Dec(z_p), z_p ~ N(0, I), each
training step updates each network with its own loss and optimizer:

- encoder: `kl_weight * KL(q(z|x) || p(z)) + L_llike^Dis_l(x, x~)`;
- decoder: `gamma * L_llike^Dis_l(x, x~)` plus the generator's GAN loss
  on both x~ and x_p;
- discriminator: the GAN loss on real x versus both x~ and x_p. The
  reconstruction loss never trains the discriminator (as in the paper).

`L_llike^Dis_l` is 0.5 * the squared feature distance summed over the
features (a unit Gaussian's negative log-likelihood). The GAN loss
family is `compile(loss=...)` (default: non-saturating; the paper wrote
the minimax form).
"""

import keras
from keras import ops

from keras_gans import backend as gan_backend
from keras_gans import validation
from keras_gans.networks import dcgan as nets
from keras_gans.models.base import GAN
from keras_gans.models.encoding import EncoderMixin
from keras_gans.models.phases import Phase, step_method


def kl_to_standard_normal(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, I)), summed over z, mean over batch.

    Example:

    >>> float(kl_to_standard_normal(ops.zeros((2, 3)), ops.zeros((2, 3))))
    0.0
    """
    mean = ops.cast(mean, "float32")
    log_var = ops.cast(log_var, "float32")
    per_example = -0.5 * ops.sum(
        1.0 + log_var - ops.square(mean) - ops.exp(log_var), axis=-1
    )
    return ops.mean(per_example)


def feature_reconstruction_loss(real_features, fake_features):
    """The paper's `L_llike^Dis_l`: a unit-variance Gaussian's negative
    log-likelihood (up to a constant), 0.5 * squared distance summed over the
    features, mean over the batch.

    Example:

    >>> float(feature_reconstruction_loss(ops.ones((2, 4)), ops.zeros((2, 4))))
    2.0
    """
    diff = ops.cast(real_features, "float32") - ops.cast(fake_features, "float32")
    diff = ops.reshape(diff, (ops.shape(diff)[0], -1))
    return ops.mean(0.5 * ops.sum(ops.square(diff), axis=-1))


@keras.saving.register_keras_serializable(package="keras_gans")
class VAEGAN(EncoderMixin, GAN):
    """VAE-GAN (Larsen et al. 2016) with DCGAN-style networks.

    The paper's losses are in the module docstring.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        latent_dim: size of z.
        width: base channel count of the three networks.
        kernel_size: convolution kernel size.
        normalization: the discriminator's and encoder's normalization:
            "batch" (the paper), "layer" or None.
        feature_layer: name of the discriminator layer that is `Dis_l`
            (default: "features", the flattened last convolution).
        spectral_norm: spectral normalisation in the discriminator.
        minibatch_discrimination: minibatch discrimination in the
            discriminator (after `Dis_l`).
        minibatch_stddev: the minibatch standard deviation in the
            discriminator (after `Dis_l`).
        **kwargs: the training arguments of `keras_gans.GAN`
            (`label_smoothing`, `seed` of the noise stream for eps and z_p,
            `ema_decay`), your own `generator`, `discriminator` or `encoder`,
            and `keras.Model`'s.

    Example:

    ```python
    model = keras_gans.VAEGAN(image_shape=(8, 8, 1), latent_dim=16, width=32)
    model.compile(gamma=1.0)
    model.fit(keras_gans.datasets.load_digits(batch_size=64), epochs=30)
    x_rec = model.reconstruct(x_test)
    mean, log_var = model.encode(x_test)
    samples = model.generate(16, seed=0)
    ```
    """

    #: Its discriminator phase scores twice as many fakes as real images,
    #: so a relativistic (paired) loss does not apply.
    supports_relativistic_loss = False
    network_roles = ("generator", "discriminator", "encoder")
    log_names = (
        "d_loss", "d_real", "d_fake", "e_loss", "kl_loss", "recon_loss", "g_loss",
    )

    def __init__(self, image_shape=(28, 28, 1), latent_dim=100, width=64,
                 kernel_size=4, normalization="batch", feature_layer="features",
                 spectral_norm=False, minibatch_discrimination=False,
                 minibatch_stddev=False, **kwargs):
        super().__init__(
            architecture=dict(
                image_shape=image_shape, latent_dim=latent_dim, width=width,
                kernel_size=kernel_size, normalization=normalization,
                feature_layer=str(feature_layer), spectral_norm=bool(spectral_norm),
                minibatch_discrimination=minibatch_discrimination,
                minibatch_stddev=minibatch_stddev,
            ),
            **kwargs,
        )
        try:
            features = self.discriminator.get_layer(self.feature_layer).output
        except (ValueError, AttributeError) as error:
            raise ValueError(
                f"The discriminator has no layer named {self.feature_layer!r} to "
                "serve as Dis_l; its layers are "
                f"{[layer.name for layer in self.discriminator.layers]}."
            ) from error
        # The same layers as the discriminator, with Dis_l as a second
        # output, so one pass gives both. Kept out of Keras' tracking (it
        # owns no weights of its own; the discriminator saves them).
        self.__dict__["_scores_and_features"] = keras.Model(
            self.discriminator.inputs, [self.discriminator.outputs[0], features],
            name="discriminator_with_features",
        )
        self.gamma = None
        self.kl_weight = None

    def build_networks(self, image_shape, latent_dim, width, kernel_size,
                       normalization, spectral_norm, minibatch_discrimination,
                       minibatch_stddev):
        return {
            "encoder": nets.build_dcgan_encoder(
                image_shape, latent_dim, width=width, kernel_size=kernel_size,
                normalization=normalization),
            "generator": nets.build_dcgan_generator(
                image_shape, latent_dim, width=width, kernel_size=kernel_size,
                name="dcgan_decoder"),
            "discriminator": nets.build_dcgan_discriminator(
                image_shape, width=width, kernel_size=kernel_size,
                normalization=normalization, spectral_norm=spectral_norm,
                minibatch_discrimination=minibatch_discrimination,
                minibatch_stddev=minibatch_stddev),
        }

    @property
    def decoder(self):
        """The decoder, which is the generator (documented sugar)."""
        return self.generator

    def compile(self, e_optimizer=None, g_optimizer=None, d_optimizer=None,
                loss="non_saturating", gamma=1.0, kl_weight=1.0, **kwargs):
        """Configure the three optimizers (`e_`, `g_`, `d_optimizer`; default
        Adam(2e-4, 0.5) each), the GAN loss, and the weights: `gamma` of the
        feature reconstruction against the GAN loss in the decoder's loss,
        `kl_weight` of the KL term in the encoder's (1 in the paper).
        `**kwargs` as for `keras_gans.GAN.compile`.

        Example:

        ```python
        model.compile(e_optimizer=keras.optimizers.RMSprop(3e-4), gamma=1.0)
        ```
        """
        gamma = validation.check_nonnegative_number("gamma", gamma)
        kl_weight = validation.check_nonnegative_number("kl_weight", kl_weight)
        super().compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer,
                        loss=loss, e_optimizer=e_optimizer, **kwargs)
        self.gamma = float(gamma)
        self.kl_weight = float(kl_weight)
        self._gan_compile_args.update({"gamma": self.gamma, "kl_weight": self.kl_weight})

    # ------------------------------------------------------------- phases

    def phases(self):
        """Discriminator (`d_steps` times), encoder, then decoder.

        Example:

        >>> [p.name for p in model.phases()]
        ['discriminator', 'encoder', 'decoder']
        """
        return (
            Phase("discriminator", ("discriminator",), self.discriminator_phase_loss,
                  repeats=self.d_steps, log="d_loss"),
            Phase("encoder", ("encoder",), self.encoder_loss, log="e_loss"),
            Phase("decoder", ("generator",), self.decoder_loss, log="g_loss",
                  optimizer="generator"),
        )

    def _posterior(self, images, training=True):
        mean, log_var = self.encoder(images, training=training)
        # Per-replica rows of one draw under tf.distribute (see
        # GAN.replica_rows), so the replicas' noise differs.
        eps = self.replica_rows(
            lambda n: keras.random.normal((n, self.latent_dim), seed=self.seed_generator),
            ops.shape(mean)[0],
        )
        eps = ops.cast(eps, mean.dtype)
        return mean, log_var, mean + ops.exp(0.5 * log_var) * eps

    def encoder_loss(self, batch, training=True):
        """`kl_weight * KL + L_llike^Dis_l` for a batch of real images.

        Returns:
            `(loss, {"kl_loss": ..., "recon_loss": ...})`.
        """
        images = ops.cast(batch.images, "float32")
        mean, log_var, z = self._posterior(images, training)
        reconstructions = self.generator(z, training=training)
        _, real_features = self._scores_and_features(images, training=training)
        _, fake_features = self._scores_and_features(reconstructions, training=training)
        kl = kl_to_standard_normal(mean, log_var)
        recon = feature_reconstruction_loss(ops.stop_gradient(real_features), fake_features)
        return self.kl_weight * kl + recon, {"kl_loss": kl, "recon_loss": recon}

    def decoder_loss(self, batch, training=True):
        """`gamma * L_llike^Dis_l` plus the GAN loss on reconstructions and
        prior samples (z from the posterior, not differentiated).

        Returns:
            `(loss, {"recon_loss": ...})`.
        """
        images = ops.cast(batch.images, "float32")
        z = ops.stop_gradient(self._posterior(images, training)[2])
        z_prior = self.sample_latent(ops.shape(images)[0])
        reconstructions = self.generator(z, training=training)
        samples = self.generator(z_prior, training=training)
        _, real_features = self._scores_and_features(images, training=training)
        rec_scores, fake_features = self._scores_and_features(reconstructions, training=training)
        if self.augmentation is not None and training:
            rec_scores = self.discriminator_scores(reconstructions, None, training)
        sample_scores = self.discriminator_scores(samples, None, training)
        recon = feature_reconstruction_loss(ops.stop_gradient(real_features), fake_features)
        gan = self.gan_loss.generator_loss(ops.concatenate([rec_scores, sample_scores], axis=0))
        return self.add_regularizers(
            "generator", self.gamma * recon + gan, {"recon_loss": recon},
            real_images=images, z=z_prior, training=training,
        )

    def discriminator_phase_loss(self, batch, training=True):
        """The GAN loss: real images versus reconstructions and prior samples."""
        images = ops.cast(batch.images, "float32")
        z = self._posterior(images, training)[2]
        z_prior = self.sample_latent(ops.shape(images)[0])
        samples = gan_backend.no_gradient(lambda: self.generator(z_prior, training=training))
        recons = gan_backend.no_gradient(lambda: self.generator(z, training=training))
        fakes = ops.concatenate([recons, samples], axis=0)
        images = ops.cast(images, fakes.dtype)
        loss, logs = self.discriminator_loss(images, fakes, None, training)
        logs = self.observe_augmentation(logs, training)
        # The regularizers pair each real image with one prior sample.
        return self.add_regularizers(
            "discriminator", loss, logs, real_images=images, fake_images=samples,
            labels=None, training=training,
        )

    encoder_step = step_method("encoder")
    decoder_step = generator_step = step_method("decoder")
