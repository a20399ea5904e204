"""AC-GAN: a GAN with an auxiliary classifier (Odena et al. 2017)."""

import keras
import numpy as np
from keras import ops

from keras_gans import validation
from keras_gans.networks import dcgan as nets
from keras_gans.models.base import GAN


@keras.saving.register_keras_serializable(package="keras_gans")
class ACGAN(GAN):
    """AC-GAN: a GAN with an auxiliary classifier (Odena et al. 2017).

    The generator takes `(z, label)` (as in `ConditionalGAN`); the
    discriminator sees the image only and has two heads: the real/fake score
    and class logits. With `L_S` the source loss (the GAN loss) and `L_C`
    the class cross-entropy:

    - discriminator: minimises `L_S + w * (L_C(real) + L_C(fake))`, i.e. it
      classifies both real and generated images correctly;
    - generator: minimises its GAN loss `+ w * L_C(fake)`, making images that
      are classified as the class they were generated for.

    `w` is `class_loss_weight` (1 in the paper). Each step's fakes are
    generated for the step's real labels.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        num_classes: number of classes.
        latent_dim: size of the latent vector.
        width: base channel count of both networks.
        kernel_size: convolution kernel size.
        embedding_dim: size of the generator's label embedding.
        normalization: the discriminator's normalization.
        spectral_norm: spectral normalisation in the discriminator.
        minibatch_discrimination: minibatch discrimination before the score.
        minibatch_stddev: the minibatch standard deviation before the score.
        class_loss_weight: `w` above.
        **kwargs: the training arguments of `keras_gans.GAN` (`d_steps`,
            `label_smoothing`, `seed`, `ema_decay`), your own networks, and
            `keras.Model`'s.

    Example:

    ```python
    gan = keras_gans.ACGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=32)
    gan.compile()
    gan.fit(keras_gans.datasets.load_digits(with_labels=True, batch_size=64),
            epochs=40)
    classes = gan.classify(images)  # the auxiliary classifier's guesses
    ```
    """

    log_names = GAN.log_names + ("d_class_loss", "g_class_loss")
    discriminator_takes_labels = False

    def __init__(self, image_shape=(28, 28, 1), num_classes=10, latent_dim=100,
                 width=64, kernel_size=4, embedding_dim=None,
                 normalization="batch", spectral_norm=False,
                 minibatch_discrimination=False, minibatch_stddev=False,
                 class_loss_weight=1.0, **kwargs):
        if float(class_loss_weight) < 0:
            raise ValueError(
                f"class_loss_weight must be >= 0; received {class_loss_weight}."
            )
        super().__init__(
            architecture=dict(
                image_shape=image_shape, num_classes=num_classes,
                latent_dim=latent_dim, width=width, kernel_size=kernel_size,
                embedding_dim=embedding_dim, normalization=normalization,
                spectral_norm=bool(spectral_norm),
                minibatch_discrimination=minibatch_discrimination,
                minibatch_stddev=minibatch_stddev,
                class_loss_weight=float(class_loss_weight),
            ),
            **kwargs,
        )

    def build_networks(self, image_shape, num_classes, latent_dim, width,
                       kernel_size, embedding_dim, normalization, spectral_norm,
                       minibatch_discrimination, minibatch_stddev):
        return {
            "generator": nets.build_conditional_generator(
                image_shape, num_classes, latent_dim, width=width,
                kernel_size=kernel_size, embedding_dim=embedding_dim),
            "discriminator": nets.build_acgan_discriminator(
                image_shape, num_classes, width=width, kernel_size=kernel_size,
                normalization=normalization, spectral_norm=spectral_norm,
                minibatch_discrimination=minibatch_discrimination,
                minibatch_stddev=minibatch_stddev),
        }

    def discriminator_scores(self, images, labels=None, training=True):
        """The source head's real/fake score (what regularizers see)."""
        return self.discriminator_outputs(images, labels, training)[0]

    def _class_loss(self, logits, labels):
        return ops.mean(
            keras.losses.sparse_categorical_crossentropy(
                labels, ops.cast(logits, "float32"), from_logits=True
            )
        )

    def discriminator_loss(self, real_images, fake_images, labels=None, training=True):
        """Source loss plus the class loss on real and generated images.

        Returns:
            `(loss, logs)` with `d_real`, `d_fake` and `d_class_loss`.
        """
        real_scores, real_logits = self.discriminator_outputs(real_images, labels, training)
        fake_scores, fake_logits = self.discriminator_outputs(fake_images, labels, training)
        source = self.gan_loss.discriminator_loss(
            real_scores, fake_scores, real_target=1.0 - self.label_smoothing
        )
        class_loss = self._class_loss(real_logits, labels) + self._class_loss(
            fake_logits, labels
        )
        return source + self.class_loss_weight * class_loss, {
            "d_real": self._score_for_logging(real_scores),
            "d_fake": self._score_for_logging(fake_scores),
            "d_class_loss": class_loss,
            "_real_scores": real_scores,
            "_fake_scores": fake_scores,
        }

    def generator_loss(self, z, labels=None, training=True, real_images=None):
        """The generator's GAN loss plus the class loss of its images."""
        fake_images = self.generate_fakes(z, labels, training)
        fake_scores, fake_logits = self.discriminator_outputs(fake_images, labels, training)
        class_loss = self._class_loss(fake_logits, labels)
        loss = self.generator_gan_loss(fake_scores, real_images, labels, training)
        return loss + self.class_loss_weight * class_loss, {"g_class_loss": class_loss}

    def classify(self, images, batch_size=256):
        """The auxiliary classifier's class for each image.

        Args:
            images: (n, H, W, C) in [-1, 1].
            batch_size: the discriminator runs in chunks of this size.

        Returns:
            An int32 numpy array of shape (n,).

        Example:

        >>> gan.classify(gan.generate(labels=[3, 5], seed=0)).shape
        (2,)
        """
        images = validation.check_images(images, self.image_shape)
        _, logits = self._run_in_chunks(self.discriminator, [images], batch_size)
        return np.asarray(logits).argmax(axis=1).astype("int32")
