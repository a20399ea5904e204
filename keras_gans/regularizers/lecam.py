"""The LeCam regularizer (Tseng et al. 2021): scores pulled towards moving
averages of the other side's scores, for GANs trained on little data.

Example:

```python
gan.compile(regularizers=[keras_gans.regularizers.LeCam(weight=0.3)])
```
"""

from keras import ops

from keras_gans import parts
from keras_gans.regularizers.base import Regularizer, _scores


@parts.register("regularizer", "lecam", package="keras_gans")
class LeCam(Regularizer):
    """The LeCam regularizer (Tseng et al. 2021, arXiv:2104.03310).

        LeCam = mean_i (D(x_i) - alpha_F)^2 + mean_i (D(G(z_i)) - alpha_R)^2,

    where alpha_R and alpha_F are exponential moving averages of the mean
    raw score on real and on generated images (the paper's eq. 3; its code
    also offers a one-sided ReLU form, not used here). Each training
    discriminator phase first moves the anchors,
    `alpha <- decay * alpha + (1 - decay) * mean(D)` (the first phase sets
    them to the batch means), then computes the penalty with the new ones;
    a test step only reads them. The anchors are non-trainable Keras
    variables, so they are saved in `.keras` and carried through JAX's
    compiled step.

    Args:
        weight: lambda (the paper: 0.3 on CIFAR-10 with BigGAN, 0.01 with
            StyleGAN2 on small data sets).
        decay: the anchors' moving-average decay (the paper: 0.99).
        log_name: the logged key (default "lecam").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    gan.compile(loss="hinge", regularizers=[LeCam(weight=0.3)])
    ```
    """

    log_name = "lecam"

    def __init__(self, weight=0.3, decay=0.99, **kwargs):
        super().__init__(weight=weight, **kwargs)
        if not 0.0 <= float(decay) < 1.0:
            raise ValueError(f"LeCam decay must be in [0, 1); received {decay!r}.")
        self.decay = float(decay)

        def state(name):
            return self.add_weight(shape=(), initializer="zeros", dtype="float32",
                                   trainable=False, name=name)

        self.anchor_real = state("anchor_real")
        self.anchor_fake = state("anchor_fake")
        self.updates = state("updates")

    def penalty(self, model, context):
        """Move the anchors (when training), then the penalty.

        Example:

        ```python
        value = LeCam().penalty(gan, {"real_scores": r, "fake_scores": f, "training": True})
        ```
        """
        real = _scores(model, context, "real")
        fake = _scores(model, context, "fake")
        anchor_real, anchor_fake = self.anchor_real.value, self.anchor_fake.value
        if context.get("training", True):
            updates = self.updates.value
            decay = ops.where(ops.equal(updates, 0.0), 0.0, self.decay)
            anchor_real = decay * anchor_real + (1.0 - decay) * ops.stop_gradient(
                ops.mean(real))
            anchor_fake = decay * anchor_fake + (1.0 - decay) * ops.stop_gradient(
                ops.mean(fake))
            self.anchor_real.assign(anchor_real)
            self.anchor_fake.assign(anchor_fake)
            self.updates.assign(updates + 1.0)
        return ops.mean(ops.square(real - anchor_fake)) + ops.mean(
            ops.square(fake - anchor_real))

    def get_config(self):
        config = super().get_config()
        config["decay"] = self.decay
        return config
