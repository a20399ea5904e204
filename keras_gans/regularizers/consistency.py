"""Balanced consistency regularization (`BCR`, Zhao et al. 2020): the
discriminator's scores kept the same under an augmentation, on real and
generated images.

Example:

```python
gan.compile(regularizers=[keras_gans.regularizers.BCR(weight=10)])
```
"""

import keras
from keras import ops

from keras_gans import parts
from keras_gans.regularizers.base import Regularizer, _scores


@parts.register("regularizer", "bcr", package="keras_gans")
class BCR(Regularizer):
    """Balanced consistency regularization (bCR; Zhao et al. 2020,
    "Improved Consistency Regularization for GANs", arXiv:2002.04724).

        real = mean_i (D(x_i) - D(T(x_i)))^2,
        fake = mean_i (D(G(z_i)) - D(T(G(z_i))))^2,
        loss += weight * real + fake_weight * fake,

    where T is a random, semantics-preserving augmentation (the paper:
    flip and translation by up to 1/8 of the size). The logged `bcr` is
    `real + fake`. D(x) is the score the GAN loss used (already through the
    model's own augmentation, if any); D(T(x)) goes through it too.

    Args:
        weight: lambda_real (the paper: 10).
        fake_weight: lambda_fake; default: `weight`.
        augmentation: T, an `Augmentation` or its name or config; default
            `DiffAugment("xflip,translation")`.
        log_name: the logged key (default "bcr").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    from keras_gans.augmentation import DiffAugment
    gan.compile(regularizers=[BCR(10.0, augmentation=DiffAugment("translation"))])
    ```
    """

    log_name = "bcr"

    def __init__(self, weight=10.0, fake_weight=None, augmentation=None, **kwargs):
        from keras_gans import augmentation as gan_augmentation

        super().__init__(weight=weight, **kwargs)
        self.fake_weight = self.weight if fake_weight is None else float(fake_weight)
        if self.fake_weight < 0:
            raise ValueError(f"BCR fake_weight must be >= 0; received {fake_weight!r}.")
        if augmentation is None:
            augmentation = gan_augmentation.DiffAugment("xflip,translation")
        self.augmentation = gan_augmentation.get(augmentation)

    def terms(self, model, context):
        """`(real, fake)`: the two unweighted consistency terms.

        Example:

        ```python
        real, fake = BCR().terms(gan, {"real_images": x, "fake_images": f})
        ```
        """
        labels, training = context.get("labels"), context.get("training", True)
        values = []
        for which in ("real", "fake"):
            images = context[f"{which}_images"]
            moved = self.augmentation.augment(images, model.seed_generator)
            moved_scores = ops.cast(model.discriminator_scores(moved, labels, training), "float32")
            values.append(ops.mean(ops.square(_scores(model, context, which) - moved_scores)))
        return values[0], values[1]

    def penalty(self, model, context):
        """real + fake (see `terms`)."""
        real, fake = self.terms(model, context)
        return real + fake

    def compute(self, model, context):
        """`(weight * real + fake_weight * fake, {log_name: real + fake})`."""
        real, fake = self.terms(model, context)
        return self.weight * real + self.fake_weight * fake, {self.log_name: real + fake}

    def get_config(self):
        config = super().get_config()
        config.update({
            "fake_weight": self.fake_weight,
            "augmentation": keras.saving.serialize_keras_object(self.augmentation),
        })
        return config
