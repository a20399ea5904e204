"""The loss trackers of a GAN: the part of `keras_gans.GAN` that names
what `fit()` logs (the family's names, each regularizer's penalty, the
augmentation's values) and groups the trackers as Keras groups compiled
metrics, so that monitors know `*_loss` is better lower.

Example:

```python
gan.compile(regularizers=[keras_gans.regularizers.R1(gamma=0.1)])
gan.tracker_names   # ('d_loss', 'g_loss', 'd_real', 'd_fake', 'r1')
```
"""

import keras

from keras_gans import _compat


class TrackersMixin:
    """`tracker_names` and `metrics` for `keras_gans.GAN`; expects
    `log_names`, `regularizers` and `augmentation`.

    Example:

    >>> [m.name for m in gan.metrics]
    ['gan_trackers']
    """

    @property
    def tracker_names(self):
        """What `fit()` logs: the family's names, each regularizer's and the
        augmentation's (e.g. ADA's `aug_p`)."""
        names = tuple(self.log_names) + tuple(
            r.log_name for r in self.regularizers if r.log_name not in self.log_names
        )
        if self.augmentation is not None:
            names += tuple(n for n in self.augmentation.log_names if n not in names)
        return names

    def _build_trackers(self):
        self._trackers = {name: _tracker(name) for name in self.tracker_names}
        self._tracker_list = _Trackers(list(self._trackers.values()))

    @property
    def metrics(self):
        """The loss trackers, reset by Keras at each epoch.

        They are grouped the way Keras groups compiled metrics, and every
        `*_loss` tracker says that lower is better, so `EarlyStopping`,
        `ModelCheckpoint` and `ReduceLROnPlateau` monitor `"g_loss"` or
        `"val_d_loss"` without `mode="min"`.
        """
        return [self._tracker_list]

    def _update_trackers(self, values):
        for name, value in values.items():
            self._trackers[name].update_state(value)
        return {name: m.result() for name, m in self._trackers.items()}



def _tracker(name):
    """A mean tracker; `*_loss` ones tell Keras' monitors lower is better."""
    tracker = keras.metrics.Mean(name=name)
    if name.endswith("_loss"):
        _compat.set_direction(tracker, "down")
    return tracker


class _Trackers(_compat.MetricsList):
    """The loss trackers as one metric, as Keras groups compiled metrics.

    Keras' monitor callbacks look up a metric's direction only inside such
    a group; `result()` gives `{name: value}` like Keras' own groups.
    """

    def __init__(self, trackers):
        super().__init__(trackers, name="gan_trackers")

    def result(self):
        return {m.name: m.result() for m in self.metrics}

