"""The phase contract: a family declares its training phases as data.

A `Phase` names the network(s) it updates, the optimizer role that updates
them, how many times it runs per training step, how often (every step, or
every N-th: `interval`), and its loss: a function
of `(batch, training)` returning `(loss, logs)`. `GAN.train_step` runs every
phase through `keras_gans.backend.minimize`; `GAN.test_step` evaluates the
same losses once each, with nothing updated. No family overrides either.

The batch a loss receives is a `Batch`: the step's real images and, for
conditional models, their int32 labels (None otherwise).

Example:

```python
class MyGAN(keras_gans.GAN):
    def phases(self):
        return (
            Phase("discriminator", ("discriminator",), self.discriminator_phase_loss,
                  repeats=self.d_steps, log="d_loss"),
            Phase("generator", ("generator",), self.generator_phase_loss, log="g_loss"),
        )
```
"""

import collections
import dataclasses
import numbers

#: One training batch as the phase losses see it.
Batch = collections.namedtuple("Batch", ["images", "labels"])


@dataclasses.dataclass(frozen=True)
class Phase:
    """One phase of a GAN's training step.

    Args:
        name: the phase's name; also the default optimizer role, and the
            eager method `<name>_step` runs it (e.g. `discriminator_step`).
        networks: attribute names of the networks whose trainable weights
            this phase updates (e.g. `("discriminator",)`).
        loss: a function of `(batch, training)` returning `(loss, logs)`:
            a scalar tensor and a dict of scalars to log.
        repeats: how many times the phase runs per training step
            (`d_steps`, `n_critic`); each run draws fresh noise.
        log: the name the phase's loss is logged under (e.g. "d_loss").
        optimizer: the optimizer role (`compile`'s `<prefix>_optimizer`);
            default: `name`.
        interval: run the phase on every `interval`-th training step only
            (steps 0, N, 2N, ... of the model's step counter), as
            StyleGAN2's lazy regularization runs R1 every 16 minibatches.
            On the other steps the phase's networks and its optimizer are
            left as they were. Default 1: every step. A regularizer with
            `interval=N` gets such a phase of its own (see
            `keras_gans.models.lazy`), its penalty scaled by N.

    Example:

    >>> Phase("generator", ("generator",), loss_fn, log="g_loss").role
    'generator'
    >>> Phase("d_reg", ("discriminator",), loss_fn, optimizer="discriminator",
    ...       interval=16).interval
    16
    """

    name: str
    networks: tuple
    loss: object
    repeats: int = 1
    log: str = "loss"
    optimizer: str = None
    interval: int = 1

    def __post_init__(self):
        for field in ("repeats", "interval"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(
                    f"Phase {self.name!r}: `{field}` must be a positive integer; "
                    f"received {value!r}."
                )

    @property
    def role(self):
        """The optimizer role that updates this phase's networks."""
        return self.optimizer or self.name


def step_method(name):
    """A method `<name>_step(data)` that runs the phase `name` once eagerly
    (`GAN.phase_step(name, data)`), for a family to expose its phases.

    Args:
        name: a phase name of the family's `phases()`.

    Returns:
        A function to assign as a class attribute.

    Example:

    ```python
    class VAEGAN(GAN):
        encoder_step = step_method("encoder")  # gan.encoder_step(x[:64])
    ```
    """

    def step(self, data):
        return self.phase_step(name, data)

    step.__name__ = f"{name}_step"
    step.__doc__ = (
        f"Run one {name} phase eagerly, outside `fit()` (see `phase_step`).\n\n"
        f"Example:\n\n```python\nlogs = gan.{name}_step(x[:64])\n```\n")
    return step
