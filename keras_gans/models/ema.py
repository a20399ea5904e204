"""The exponential moving average of the generator: one part, two forms.

- `ExponentialMovingAverage` is the part a model holds when built with
  `ema_decay=` (any family): `averaged_copy` makes the non-trainable
  `ema_generator`, `update` folds the generator into it inside the compiled
  step (keras.ops only). It is registered with Keras and has a config, like
  every part; the model saves its decay as `ema_decay` (so files from before
  the part load unchanged) and the average itself as `ema_generator`'s
  weights.
- `GeneratorEMA` is the callback form, for a model built without
  `ema_decay`: the average lives outside the model. It moved here from
  `keras_gans.callbacks.generator_ema`, which still imports it (deprecated).

Example:

```python
gan = keras_gans.DCGAN(image_shape=(28, 28, 1), ema_decay=0.999)
gan.ema.get_config()   # {'decay': 0.999}
```
"""

import contextlib

import keras
from keras import ops

from keras_gans import _compat


def _common():
    from keras_gans.callbacks import _common as common

    return common


@keras.saving.register_keras_serializable(package="keras_gans")
class ExponentialMovingAverage:
    """A moving average of a network's weights, updated in the training step.

    `average = d * average + (1 - d) * weights` for the trainable weights,
    with `d = min(decay, (1 + step) / (10 + step))` (the warm-up that lets
    the average follow the first steps); non-trainable weights (batch-norm
    statistics) are copied.

    Args:
        decay: the averaging factor per step, in (0, 1).

    Example:

    >>> ema = ExponentialMovingAverage(0.999)
    >>> average = ema.averaged_copy(generator)      # a frozen copy
    >>> ema.update(average, generator, step)        # inside train_step
    >>> ExponentialMovingAverage.from_config(ema.get_config()).decay
    0.999
    """

    def __init__(self, decay=0.999):
        if isinstance(decay, bool) or not isinstance(decay, (int, float)) or not (
                0.0 < float(decay) < 1.0):
            raise ValueError(f"ema_decay must be in (0, 1) or None; received {decay!r}.")
        self.decay = float(decay)

    def averaged_copy(self, network):
        """A non-trainable copy of `network` to hold its moving average.

        Example:

        >>> ExponentialMovingAverage(0.99).averaged_copy(generator).trainable
        False
        """
        try:
            copy = keras.models.clone_model(network)
        except (ValueError, TypeError):
            copy = type(network).from_config(network.get_config())
        if not copy.built and network.built:
            copy.build(_compat.build_shapes(network) or network.input_shape)
        copy.set_weights(network.get_weights())
        copy.trainable = False
        copy.name = f"{network.name}_ema"
        return copy

    def update(self, average, network, step):
        """Fold `network`'s weights into `average` (keras.ops, any backend).

        Args:
            average: the copy from `averaged_copy`.
            network: the network being trained.
            step: optimizer steps so far (a scalar tensor or number).

        Example:

        ```python
        ema.update(gan.ema_generator, gan.generator, gan.g_optimizer.iterations)
        ```
        """
        step = ops.cast(step, "float32")
        decay = ops.minimum(self.decay, (1.0 + step) / (10.0 + step))
        for averaged, weight in zip(average.weights, network.weights):
            value = ops.cast(weight, averaged.dtype)
            if weight.trainable:
                d = ops.cast(decay, averaged.dtype)
                value = d * averaged + (1.0 - d) * value
            averaged.assign(value)

    def get_config(self):
        """`{"decay": ...}`.

        Example:

        >>> ExponentialMovingAverage(0.9).get_config()
        {'decay': 0.9}
        """
        return {"decay": self.decay}

    @classmethod
    def from_config(cls, config):
        """The part from `get_config()`'s dict.

        Example:

        >>> ExponentialMovingAverage.from_config({"decay": 0.9}).decay
        0.9
        """
        return cls(**config)


class GeneratorEMA(keras.callbacks.Callback):
    """Exponential moving average of the generator's weights, outside the model.

    Prefer the model's own average: `keras_gans.DCGAN(..., ema_decay=0.999)`
    (any family) keeps it inside the model, saves it in `.keras`, and makes
    `generate()`, `export()` and the metrics use it. This callback remains
    for models built without `ema_decay` and for its extra controls
    (`start_step`, `update_every`, swapping the average into the generator).

    After each training step `ema = decay * ema + (1 - decay) * weights` for
    the generator's trainable weights; non-trainable ones (batch-norm
    statistics, seed states) are copied. Until `start_step` optimizer steps
    have run the average simply tracks the weights. With `update_every=k`
    the average is updated every k steps as `ema = decay**k * ema +
    (1 - decay**k) * weights`, which is the same average when the weights
    move little within k steps.

    The average lives outside the model, as backend tensors (on the
    accelerator under JAX/TF-GPU), so it is not part of the train state and
    not touched by the optimizer or by `model.save()`. Under JAX, `fit()`
    keeps the current weights out of the model's variables during an epoch;
    each update first calls `model.jax_state_sync()` to write them back
    (reading the variables without it would see stale or purged values).
    That costs a hand-over of the train state per update (the next step
    fetches it again), which is why `update_every` exists; on TensorFlow
    the variables are always current and an update is a few tensor ops.
    The step count follows the batch index Keras reports, so
    `steps_per_execution > 1` is accounted for.

    Use the average for sampling and export with `apply_to(model)` /
    `restore(model)` or the `swapped(model)` context manager, or let
    `swap_on_end=True` leave the averaged weights in the generator when
    training ends (`restore()` brings the raw weights back; note that a
    further `fit()` would then continue from the averaged weights).

    Args:
        decay: averaging factor per step, in [0, 1).
        start_step: optimizer steps before averaging begins.
        update_every: steps between updates.
        swap_on_end: put the averaged weights into the generator at the end
            of `fit()`.

    Attributes:
        step: optimizer steps seen (across `fit()` calls).

    Example:

    >>> ema = GeneratorEMA(decay=0.999)
    >>> gan.fit(data, epochs=10, callbacks=[ema])
    >>> with ema.swapped(gan):
    ...     images = gan.generate(64)
    >>> ema.apply_to(gan); gan.generator.export("generator_ema")
    """

    def __init__(self, decay=0.999, start_step=0, update_every=1, swap_on_end=False):
        super().__init__()
        if not 0.0 <= float(decay) < 1.0:
            raise ValueError(f"decay must be in [0, 1); received {decay!r}.")
        if int(update_every) < 1:
            raise ValueError(f"update_every must be >= 1; received {update_every!r}.")
        self.decay = float(decay)
        self.start_step = int(start_step)
        self.update_every = int(update_every)
        self.swap_on_end = swap_on_end
        self.step = 0
        self._updated_at = 0
        self._last_batch = -1
        self._ema = None
        self._backup = None

    # -- bookkeeping -----------------------------------------------------

    def _variables(self, model=None):
        generator = _common()._generator_of(model if model is not None else self.model)
        return generator.trainable_weights, generator.non_trainable_weights

    def reset(self):
        """Forget the average; it restarts from the weights at the next step."""
        self._ema = None
        self.step = 0
        self._updated_at = 0

    def _initialize(self):
        trainable, frozen = self._variables()
        self._ema = [keras.ops.copy(v.value) for v in trainable + frozen]
        self._num_trainable = len(trainable)
        self._updated_at = self.step

    def _matches(self):
        trainable, frozen = self._variables()
        vs = trainable + frozen
        return self._ema is not None and len(vs) == len(self._ema) and all(
            tuple(v.shape) == tuple(e.shape) for v, e in zip(vs, self._ema)
        )

    def update(self):
        """Fold the weights of the steps since the last update into the average."""
        pending = self.step - self._updated_at
        if pending <= 0 or self._ema is None:
            return
        _common()._sync_jax_state(self.model)
        trainable, frozen = self._variables()
        if self.step <= self.start_step:
            self._ema = [keras.ops.copy(v.value) for v in trainable + frozen]
        else:
            k = self.step - max(self._updated_at, self.start_step)
            alpha = self.decay**k
            averaged = [
                keras.ops.add(
                    keras.ops.multiply(e, alpha),
                    keras.ops.multiply(keras.ops.cast(v.value, e.dtype), 1.0 - alpha),
                )
                for e, v in zip(self._ema[: len(trainable)], trainable)
            ]
            self._ema = averaged + [keras.ops.copy(v.value) for v in frozen]
        self._updated_at = self.step

    # -- callback hooks ----------------------------------------------------

    def on_train_begin(self, logs=None):
        if not self._matches():
            self._initialize()

    def on_epoch_begin(self, epoch, logs=None):
        self._last_batch = -1

    def on_train_batch_end(self, batch, logs=None):
        self.step += max(1, batch - self._last_batch)
        self._last_batch = batch
        if self.step - self._updated_at >= self.update_every:
            self.update()

    def on_epoch_end(self, epoch, logs=None):
        self.update()

    def on_train_end(self, logs=None):
        self.update()
        if self.swap_on_end:
            self.apply_to(self.model)

    # -- using the average -----------------------------------------------

    @property
    def ema_weights(self):
        """The averaged generator weights as numpy arrays.

        In the order of `generator.weights`, so that
        `generator.set_weights(ema.ema_weights)` works.
        """
        self._require()
        trainable, frozen = self._variables()
        by_id = {id(v): e for v, e in zip(trainable + frozen, self._ema)}
        generator = _common()._generator_of(self.model)
        return [keras.ops.convert_to_numpy(by_id[id(v)]) for v in generator.weights]

    def _require(self):
        if self._ema is None:
            raise ValueError(
                "GeneratorEMA has no average yet; pass it to fit(callbacks=...) "
                "first (or call set_model() and on_train_begin())."
            )

    def apply_to(self, model=None):
        """Put the averaged weights into `model.generator` (default: the fitted model).

        The raw weights are kept so that `restore()` can bring them back.

        Args:
            model: the GAN whose generator receives the average.
        """
        self._require()
        model = model if model is not None else self.model
        _common()._sync_jax_state(model)
        trainable, frozen = self._variables(model)
        variables = trainable + frozen
        if len(variables) != len(self._ema):
            raise ValueError(
                f"The averaged weights ({len(self._ema)} arrays) do not match "
                f"this generator ({len(variables)} weights)."
            )
        self._backup = [keras.ops.copy(v.value) for v in variables]
        for v, e in zip(variables, self._ema):
            v.assign(e)

    def restore(self, model=None):
        """Put back the raw weights saved by `apply_to()`.

        Args:
            model: the GAN given to `apply_to()`.
        """
        if self._backup is None:
            raise ValueError("restore() called without a preceding apply_to().")
        model = model if model is not None else self.model
        trainable, frozen = self._variables(model)
        for v, b in zip(trainable + frozen, self._backup):
            v.assign(b)
        self._backup = None

    @contextlib.contextmanager
    def swapped(self, model=None):
        """Context manager: averaged weights inside, raw weights after.

        Example:

        >>> with ema.swapped(gan):
        ...     images = gan.generate(16)
        """
        model = model if model is not None else self.model
        if model is self.model:
            self.update()
        self.apply_to(model)
        try:
            yield model
        finally:
            self.restore(model)
