"""The gradient penalties: WGAN-GP's `GradientPenalty` on interpolates, `R1`
on real images and `R2` on generated ones.

Example:

```python
gan.compile(regularizers=[keras_gans.regularizers.R1(gamma=0.1)])
```
"""

import keras
from keras import ops

from keras_gans import parts
from keras_gans.regularizers.base import Regularizer, input_gradients, squared_norms


@parts.register("regularizer", "gp", "gradient_penalty", package="keras_gans")
class GradientPenalty(Regularizer):
    """The WGAN-GP gradient penalty (Gulrajani et al. 2017).

        GP = mean_i (||grad_x D(x_hat_i)||_2 - 1)^2,
        x_hat_i = eps_i * x_i + (1 - eps_i) * G(z_i),  eps_i ~ U[0, 1],

    with ONE interpolation weight per sample (shape `(batch, 1, 1, 1)`; a
    weight per pixel, or a normally distributed one, is a widespread bug),
    drawn from the model's seed stream. Take it per sample: the
    discriminator must not use batch norm.

    Args:
        weight: lambda (the paper: 10).
        log_name: the logged key (default "gp").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    gan.compile(loss="wasserstein", regularizers=[GradientPenalty(10.0)])
    ```
    """

    log_name = "gp"

    def __init__(self, weight=10.0, **kwargs):
        super().__init__(weight=weight, **kwargs)

    @staticmethod
    def interpolation_weights(model, batch_size):
        """eps ~ U[0, 1] of shape (batch, 1, 1, 1), from the model's seed stream.

        Per replica under `tf.distribute` (see `GAN.replica_rows`).

        Example:

        >>> GradientPenalty.interpolation_weights(gan, 4).shape
        (4, 1, 1, 1)
        """
        return model.replica_rows(
            lambda n: keras.random.uniform(
                (n, 1, 1, 1), minval=0.0, maxval=1.0, seed=model.seed_generator
            ),
            batch_size,
        )

    def penalty(self, model, context, weights=None):
        """mean_i (||grad D(x_hat_i)|| - 1)^2 (the weights are drawn when None).

        Example:

        ```python
        gp = GradientPenalty().penalty(gan, {"real_images": x, "fake_images": f})
        ```
        """
        real = context["real_images"]
        fake = context["fake_images"]
        if weights is None:
            weights = self.interpolation_weights(model, ops.shape(real)[0])
        weights = ops.cast(weights, fake.dtype)
        real = ops.cast(real, fake.dtype)
        mixed = weights * real + (1.0 - weights) * fake
        grads = input_gradients(
            model, mixed, context.get("labels"), context.get("training", True)
        )
        norms = ops.sqrt(squared_norms(grads) + 1e-12)
        return ops.mean(ops.square(norms - 1.0))


@parts.register("regularizer", "r1", package="keras_gans")
class R1(Regularizer):
    """The R1 penalty (Mescheder et al. 2018): zero-centred, on real images.

        R1 = 1/2 mean_i ||grad_x D(x_i)||^2,   loss += gamma * R1.

    Usually paired with the non-saturating loss.

    Args:
        gamma: the penalty's weight (StyleGAN2 uses 10 at 1024x1024; small
            images need much less, e.g. 0.1-1).
        log_name: the logged key (default "r1").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    gan.compile(regularizers=[R1(gamma=1.0)])
    ```
    """

    log_name = "r1"

    def __init__(self, gamma=10.0, **kwargs):
        kwargs.setdefault("weight", gamma)
        super().__init__(**kwargs)

    @property
    def gamma(self):
        """The weight, under the paper's name."""
        return self.weight

    def penalty(self, model, context):
        """1/2 mean_i ||grad D(x_i)||^2 over the real images.

        Example:

        ```python
        r1 = R1().penalty(gan, {"real_images": x, "labels": None})
        ```
        """
        grads = input_gradients(
            model, context["real_images"], context.get("labels"),
            context.get("training", True),
        )
        return 0.5 * ops.mean(squared_norms(grads))


@parts.register("regularizer", "r2", package="keras_gans")
class R2(R1):
    """The R2 penalty (Mescheder et al. 2018, arXiv:1801.04406): zero-centred,
    on generated images.

        R2 = 1/2 mean_i ||grad_x D(G(z_i))||^2,   loss += gamma * R2.

    R3GAN (Huang et al. 2024, arXiv:2501.05441) pairs it with R1 and the
    RpGAN loss; together they make the training provably locally convergent.

    Args:
        gamma: the penalty's weight.
        log_name: the logged key (default "r2").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    gan.compile(loss="rpgan", regularizers=[R1(gamma=0.1), R2(gamma=0.1)])
    ```
    """

    log_name = "r2"

    def penalty(self, model, context):
        """1/2 mean_i ||grad D(G(z_i))||^2 over the generated images.

        Example:

        ```python
        r2 = R2().penalty(gan, {"fake_images": fakes, "labels": None})
        ```
        """
        grads = input_gradients(
            model, context["fake_images"], context.get("labels"),
            context.get("training", True),
        )
        return 0.5 * ops.mean(squared_norms(grads))
