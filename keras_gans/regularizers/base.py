"""The base of every regularizer, and the helpers the penalties share:
per-sample gradient norms, the discriminator's input gradients and its
scores on the context's real or fake images.

Example:

```python
from keras_gans.regularizers.base import Regularizer, input_gradients, squared_norms
grads = input_gradients(gan, real_images, labels)
penalty = 0.5 * keras.ops.mean(squared_norms(grads))
```
"""

import keras
from keras import ops

from keras_gans import backend as gan_backend


def squared_norms(grads):
    """Per-sample squared L2 norms of a batch of gradients, in float32.

    Example:

    >>> float(squared_norms(ops.ones((2, 3, 3, 1)))[0])
    9.0
    """
    grads = ops.cast(grads, "float32")
    return ops.sum(ops.reshape(ops.square(grads), (ops.shape(grads)[0], -1)), axis=1)


def input_gradients(model, images, labels=None, training=True):
    """The gradient of the discriminator's scores with respect to its images.

    Uses `model.discriminator_scores`, so a conditional discriminator sees
    the step's labels and an AC-GAN's source head is the one
    differentiated.

    Example:

    ```python
    grads = input_gradients(gan, real_images, labels)
    ```
    """
    return gan_backend.gradients(
        lambda x: model.discriminator_scores(x, labels, training=training), images
    )


@keras.saving.register_keras_serializable(package="keras_gans")
class Regularizer(keras.layers.Layer):
    """A penalty one phase adds to its loss; subclass it for a new one.

    Args:
        weight: the factor of the penalty in the loss.
        log_name: the key under which `fit()` logs the unweighted penalty;
            default: the class's `log_name`.
        interval: lazy regularization (StyleGAN2's R1 every 16 minibatches):
            with N > 1 the penalty leaves its phase's loss and runs in a
            phase of its own on every N-th step, multiplied by N (see
            `keras_gans.models.lazy`). Default 1: added to the phase's loss
            on every step.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Subclasses set `phase` (the phase whose loss they join:
    "discriminator" or "generator") and implement `penalty`.

    Example:

    ```python
    @keras_gans.parts.register("regularizer", "score_sq")
    class ScorePenalty(keras_gans.regularizers.Regularizer):
        log_name = "score_sq"

        def penalty(self, model, context):
            return ops.mean(ops.square(context["real_scores"]))
    ```
    """

    phase = "discriminator"
    log_name = "penalty"

    def __init__(self, weight=1.0, log_name=None, interval=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
            raise ValueError(
                f"{type(self).__name__} interval must be a positive integer "
                f"(1: every step; 16: StyleGAN2's lazy R1); received {interval!r}."
            )
        self.interval = int(interval)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise ValueError(
                f"{type(self).__name__} weight must be a number >= 0; "
                f"received {weight!r}."
            )
        self.weight = float(weight)
        if log_name is not None:
            self.log_name = str(log_name)
        self.built = True

    def penalty(self, model, context):
        """The unweighted penalty, a float32 scalar tensor.

        Args:
            model: the GAN being trained.
            context: a dict with `real_images`, `fake_images`, `labels`
                (None for unconditional models), `real_scores`,
                `fake_scores` (the discriminator's raw scores) and
                `training`.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement penalty(model, context)."
        )

    def compute(self, model, context):
        """`(weight * penalty, {log_name: penalty})` for one phase.

        Example:

        ```python
        term, logs = regularizer.compute(gan, context)
        ```
        """
        value = ops.cast(self.penalty(model, context), "float32")
        return self.weight * value, {self.log_name: value}

    def get_config(self):
        config = super().get_config()
        config.update({"weight": self.weight, "log_name": self.log_name,
                       "interval": self.interval})
        return config


def _scores(model, context, which):
    """The context's raw scores on real or fake images, computed if absent."""
    scores = context.get(f"{which}_scores")
    if scores is None:
        scores = model.discriminator_scores(
            context[f"{which}_images"], context.get("labels"), context.get("training", True)
        )
    return ops.cast(scores, "float32")
