"""SNGAN's class-conditional version with the projection discriminator
(Miyato and Koyama 2018): SNGAN's networks and recipe, plus labels."""

import keras

from keras_gans.families.sngan.model import SNGAN


@keras.saving.register_keras_serializable(package="keras_gans")
class SNGANProjection(SNGAN):
    """Class-conditional SNGAN with a projection discriminator (Miyato and Koyama 2018).

    The discriminator scores `psi(phi(x)) + embed(y) . phi(x)`: its
    unconditional score plus the inner product of a (spectrally normalised)
    class embedding with the pooled ResNet features. The generator takes
    `[z, labels]` (a label embedding concatenated to z; the paper uses
    conditional batch norm instead). Train on `(images, labels)`.

    Paper: Miyato and Koyama, "cGANs with Projection Discriminator", ICLR
    2018, arXiv:1802.05637.

    Args:
        num_classes: number of classes (required, >= 2).
        **kwargs: as for `SNGAN`.

    Example:

    ```python
    gan = keras_gans.SNGANProjection(image_shape=(8, 8, 1), num_classes=10,
                                     latent_dim=32, width=16)
    gan.compile()
    gan.fit(keras_gans.datasets.load_digits(with_labels=True, batch_size=64))
    sevens = gan.generate(labels=[7] * 8, seed=0)
    ```
    """

    def __init__(self, image_shape=(28, 28, 1), num_classes=10, **kwargs):
        if num_classes is None:
            raise ValueError(
                "SNGANProjection needs num_classes (an integer >= 2); "
                "received None. Use SNGAN for an unconditional model."
            )
        super().__init__(image_shape=image_shape, num_classes=num_classes, **kwargs)
