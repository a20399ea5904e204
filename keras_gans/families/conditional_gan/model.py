"""The conditional GAN of p(x | y) (Mirza and Osindero 2014) with DCGAN nets.

Conditional models train on datasets of `(images, labels)`; labels may be
integers, shape `(n,)` or `(n, 1)`, or one-hot, shape `(n, num_classes)`.
The base class does the label handling for every family with a
`num_classes`: unpacking and checking labels, drawing them
(`sample_inputs`), and passing them to both networks.

Which labels do the fakes get? In both phases the generated images of a step
are drawn for the step's own real labels (with fresh noise). The fakes then
have exactly the data's class distribution, so the discriminator cannot tell
fakes by their labels alone, even for imbalanced data, and every class is
trained in proportion to its frequency.
"""

import keras

from keras_gans.networks import dcgan as nets
from keras_gans.models.base import GAN


@keras.saving.register_keras_serializable(package="keras_gans")
class ConditionalGAN(GAN):
    """A conditional GAN of p(x | y) (Mirza and Osindero 2014) with DCGAN nets.

    The generator takes `(z, label)`: an embedding of the label is
    concatenated to z. The discriminator takes `(image, label)` and is
    conditioned in one of two ways:

    - `conditioning="concat"`: the label's embedding is broadcast over the
      image plane and concatenated as extra input channels.
    - `conditioning="projection"`: the projection discriminator of Miyato
      and Koyama 2018, `D(x, y) = psi(phi(x)) + embed(y) . phi(x)`: the inner
      product of a class embedding with the penultimate features is added to
      the unconditional score. Pair it with `spectral_norm=True` as the
      paper does.

    Each step's fakes are generated for the step's real labels (in both
    phases), so the fakes follow the data's class distribution.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        num_classes: number of classes; labels are ints in [0, num_classes)
            or one-hot rows.
        latent_dim: size of the latent vector.
        conditioning: "concat" or "projection".
        width: base channel count of both networks.
        kernel_size: convolution kernel size.
        embedding_dim: size of the label embeddings (default: num_classes;
            the projection uses the feature size).
        normalization: the discriminator's normalization: "batch", "layer"
            or None.
        spectral_norm: spectral normalisation in the discriminator.
        minibatch_discrimination: minibatch discrimination in the
            discriminator (see `keras_gans.nets.build_dcgan_discriminator`).
        minibatch_stddev: the minibatch standard-deviation statistic in the
            discriminator.
        **kwargs: the training arguments of `keras_gans.GAN` (`d_steps`,
            `label_smoothing`, `seed`, `ema_decay`), your own networks, and
            `keras.Model`'s.

    Example:

    ```python
    gan = keras_gans.ConditionalGAN(
        image_shape=(8, 8, 1), num_classes=10, latent_dim=32, width=32)
    gan.compile()
    gan.fit(keras_gans.datasets.load_digits(with_labels=True, batch_size=64),
            epochs=40)
    sevens = gan.generate(labels=[7] * 16, seed=0)
    ```
    """

    def __init__(self, image_shape=(28, 28, 1), num_classes=10, latent_dim=100,
                 conditioning="concat", width=64, kernel_size=4,
                 embedding_dim=None, normalization="batch", spectral_norm=False,
                 minibatch_discrimination=False, minibatch_stddev=False,
                 **kwargs):
        if conditioning not in nets.CONDITIONINGS:
            raise ValueError(
                f"conditioning must be one of {nets.CONDITIONINGS}; received "
                f"{conditioning!r}."
            )
        super().__init__(
            architecture=dict(
                image_shape=image_shape, num_classes=num_classes,
                latent_dim=latent_dim, conditioning=conditioning, width=width,
                kernel_size=kernel_size, embedding_dim=embedding_dim,
                normalization=normalization, spectral_norm=bool(spectral_norm),
                minibatch_discrimination=minibatch_discrimination,
                minibatch_stddev=minibatch_stddev,
            ),
            **kwargs,
        )

    def build_networks(self, image_shape, num_classes, latent_dim, conditioning,
                       width, kernel_size, embedding_dim, normalization,
                       spectral_norm, minibatch_discrimination, minibatch_stddev):
        return {
            "generator": nets.build_conditional_generator(
                image_shape, num_classes, latent_dim, width=width,
                kernel_size=kernel_size, embedding_dim=embedding_dim),
            "discriminator": nets.build_conditional_discriminator(
                image_shape, num_classes, conditioning, width=width,
                kernel_size=kernel_size, normalization=normalization,
                embedding_dim=embedding_dim, spectral_norm=spectral_norm,
                minibatch_discrimination=minibatch_discrimination,
                minibatch_stddev=minibatch_stddev),
        }
