"""Lazy regularization: phases that run every N-th training step.

StyleGAN2 (Karras et al. 2020, sec. 3.1) computes R1 on one minibatch in 16
and multiplies it by 16, which keeps its average strength and saves most of
its cost. Here that is `Phase(interval=N)`: on a step whose number is not a
multiple of N the phase's update is undone, inside the compiled step, with
`keras.ops.where` on the step counter. No Python branch looks at a tensor,
so the same step traces once on TensorFlow, JAX and torch.

A regularizer with `interval=N` (for example `R1(gamma=0.1, interval=16)`)
leaves its phase's loss and gets a phase of its own, named
`<phase>_<log_name>` (`discriminator_r1`), which updates the same networks
with the same optimizer and whose loss is `N * weight * penalty`.

The update is computed on every step and kept on every N-th one: the step is
one compiled function on all three backends, and a conditional around an
optimizer update is not portable (JAX's `lax.cond` cannot assign variables
inside the stateless scope its trainer runs in). So the result matches the
paper, but its compute saving is not realised.

Example:

```python
gan = keras_gans.StyleGAN(image_shape=(28, 28, 1))
gan.compile(regularizers=[keras_gans.regularizers.R1(gamma=0.1, interval=16)])
[p.name for p in gan.training_phases()]
# ['discriminator', 'discriminator_r1', 'generator']
```
"""

import functools
import warnings

from keras import ops

from keras_gans import backend as gan_backend
from keras_gans.models.phases import Phase


def with_lazy_phases(model, phases):
    """`phases` with one lazy phase after each phase that has regularizers
    with `interval > 1`.

    Example:

    ```python
    phases = with_lazy_phases(gan, gan.phases())
    ```
    """
    result = []
    for phase in phases:
        result.append(phase)
        for regularizer in getattr(model, "regularizers", ()):
            if regularizer.phase == phase.name and regularizer.interval > 1:
                result.append(Phase(
                    f"{phase.name}_{regularizer.log_name}",
                    tuple(phase.networks),
                    functools.partial(lazy_regularizer_loss, model, regularizer),
                    log=regularizer.log_name,
                    optimizer=phase.role,
                    interval=regularizer.interval,
                ))
    return tuple(result)


def lazy_regularizer_loss(model, regularizer, batch, training=True):
    """A lazy phase's loss: `interval * weight * penalty`, and the
    unweighted penalty in the logs.

    The penalty sees what a phase's regularizers see: the real images and
    labels, and, computed only when the penalty reads them, fresh fakes
    (`fake_images`, `z`) and the discriminator's raw scores.

    Example:

    ```python
    loss, logs = lazy_regularizer_loss(gan, R1(interval=16), batch)
    ```
    """
    term, values = regularizer.compute(model, LazyContext(model, batch, training))
    return ops.cast(term, "float32") * float(regularizer.interval), values


class LazyContext(dict):
    """A regularizer's context that computes fakes and scores on first read.

    Example:

    ```python
    context = LazyContext(gan, batch, training=True)
    context["fake_images"]  # drawn now, once
    ```
    """

    def __init__(self, model, batch, training):
        real_images, labels = batch
        super().__init__(real_images=real_images, labels=labels, training=training)
        self._model = model

    def __missing__(self, key):
        model, training = self._model, self["training"]
        if key in ("z", "fake_images"):
            z = model.sample_latent(ops.shape(self["real_images"])[0])
            self["z"] = z
            self["fake_images"] = gan_backend.no_gradient(
                lambda: model.generate_fakes(z, self["labels"], training))
        elif key in ("real_scores", "fake_scores"):
            images = self[key.replace("scores", "images")]
            self[key] = model.discriminator_scores(images, self["labels"], training)
        else:
            raise KeyError(
                f"A lazy regularizer read {key!r}; its context has real_images, "
                "labels, training, z, fake_images, real_scores and fake_scores."
            )
        return self[key]

    def get(self, key, default=None):
        """Like `dict.get`, computing fakes and scores when asked."""
        try:
            return self[key]
        except KeyError:
            return default


def run_every(model, phase, run, step):
    """Run `run()` (one update of `phase`) and keep its effect only when
    `step` is a multiple of `phase.interval`.

    What is kept or undone: every weight of the phase's networks
    (trainable and not: batch-norm statistics too), the variables of the
    phase's optimizer (its moments and its `iterations`) and those of the
    regularizers of the phase. Selected with `keras.ops.where`, so this is
    one traced function on every backend.

    Returns:
        The phase's logs (computed on every step).

    Example:

    ```python
    logs = run_every(gan, phase, lambda: gan._run_phase_now(phase, batch), step)
    ```
    """
    variables, seen = [], set()

    def keep(vs):
        for v in vs:
            if id(v) not in seen:
                seen.add(id(v))
                variables.append(v)

    for name in phase.networks:
        keep(getattr(model, name).weights)
    keep(model.optimizer.optimizers[phase.role].variables)
    for regularizer in getattr(model, "regularizers", ()):
        keep(regularizer.weights)
    before = [ops.copy(ops.convert_to_tensor(v)) for v in variables]
    with warnings.catch_warnings():
        # A penalty on input gradients gives the last layer's bias no
        # gradient; Keras warns and leaves it alone, which is right here.
        warnings.filterwarnings("ignore", message="Gradients do not exist")
        logs = run()
    active = ops.equal(ops.mod(ops.cast(step, "int32"), phase.interval), 0)
    for v, old in zip(variables, before):
        v.assign(ops.where(active, ops.convert_to_tensor(v), old))
    return logs
