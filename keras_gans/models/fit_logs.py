"""What a GAN adds to Keras' logs so that Keras' own callbacks work on it.

Keras' callbacks assume a model with one loss and one optimizer. A GAN has a
loss and an optimizer per phase. `GAN.fit` wraps the user's callbacks in two
`KerasLogs` adapters (one before them, one after them, both private) that
translate:

- **Learning rates by role.** `LearningRateScheduler`, `ReduceLROnPlateau`
  and `TensorBoard` log `learning_rate_<optimizer name>` for each optimizer
  of `model.optimizer.optimizers`. The adapters log them by role instead:
  `d_learning_rate`, `g_learning_rate` (`e_learning_rate` for VAE-GAN's
  encoder), and drop Keras' names from the epoch logs (History, CSVLogger).
  TensorBoard writes the role names too; it also writes its own
  `learning_rate_<optimizer name>` scalars.
- **TerminateOnNaN.** It reads the batch log `loss`, which a GAN does not
  have. When a `TerminateOnNaN` is among the callbacks, the adapter before
  it writes `loss` = the sum of the phases' losses (NaN or infinite when
  any phase's loss is) into the batch logs, and the adapter after the
  callbacks removes it again, so no `loss` appears in the progress bar.

Example:

```python
gan.fit(x, epochs=5, callbacks=[
    keras.callbacks.ReduceLROnPlateau(monitor="g_loss", patience=1),
    keras.callbacks.TerminateOnNaN(),
])  # history.history has d_learning_rate and g_learning_rate
```
"""

import keras
import numpy as np

from keras_gans.optimizers import role_prefix

#: Callbacks that read or set the optimizers' learning rates.
LEARNING_RATE_CALLBACKS = (
    keras.callbacks.LearningRateScheduler,
    keras.callbacks.ReduceLROnPlateau,
    keras.callbacks.TensorBoard,
)


def wrap_callbacks(model, callbacks):
    """The user's callbacks between the two adapters (a new list).

    A `keras.callbacks.CallbackList` is passed through unchanged.

    Example:

    >>> [type(c).__name__ for c in wrap_callbacks(gan, [])]
    ['KerasLogs', 'KerasLogs']
    """
    if isinstance(callbacks, keras.callbacks.CallbackList):
        return callbacks
    callbacks = list(callbacks or [])
    learning_rates = any(isinstance(c, LEARNING_RATE_CALLBACKS) for c in callbacks)
    nan_check = any(isinstance(c, keras.callbacks.TerminateOnNaN) for c in callbacks)
    before = KerasLogs(model, learning_rates, nan_check, first=True)
    after = KerasLogs(model, learning_rates, nan_check, first=False)
    return [before, *callbacks, after]


def _value(x):
    return float(np.asarray(keras.ops.convert_to_numpy(x)))


class KerasLogs(keras.callbacks.Callback):
    """One of the two adapters `wrap_callbacks` places around the callbacks.

    Args:
        model: the GAN.
        learning_rates: whether to log each role's learning rate.
        nan_check: whether to provide the batch log `loss` for TerminateOnNaN.
        first: the adapter before the user's callbacks (adds) or after
            them (cleans up).

    Example:

    >>> KerasLogs(gan, learning_rates=True, nan_check=False, first=True)
    """

    def __init__(self, model, learning_rates, nan_check, first):
        super().__init__()
        self._gan = model
        self.learning_rates = learning_rates
        self.nan_check = nan_check
        self.first = first

    def _role_rates(self):
        return {
            f"{role_prefix(role)}_learning_rate": _value(opt.learning_rate)
            for role, opt in self._gan.optimizer.optimizers.items()
        }

    def on_train_batch_end(self, batch, logs=None):
        if not self.nan_check or logs is None:
            return
        if self.first:
            names = [p.log for p in self._gan.phases() if p.log in logs]
            if names:
                logs["loss"] = float(sum(float(logs[n]) for n in names))
        else:
            logs.pop("loss", None)

    def on_epoch_end(self, epoch, logs=None):
        if not self.learning_rates or logs is None:
            return
        if self.first:
            logs.update(self._role_rates())
            return
        names = {opt.name for opt in self._gan.optimizer.optimizers}
        for key in [k for k in logs if k.startswith("learning_rate_")]:
            if key[len("learning_rate_"):] in names:
                logs.pop(key)
        # A schedule may have changed them during this epoch's callbacks.
        logs.update(self._role_rates())
