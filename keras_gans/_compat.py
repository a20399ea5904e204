"""Every private Keras name keras_gans relies on, gathered in one place.

Keras 3 keeps a few things we need outside its public API. Importing them
here, and nowhere else, means a Keras upgrade that moves one breaks this
module (and tests/test_compat.py) rather than a training step deep inside
a fit() call.

Example:

>>> from keras_gans import _compat
>>> _compat.get_stateless_scope() is None  # outside any StatelessScope
True
"""

from keras.src.backend.common.stateless_scope import get_stateless_scope

# Keras' monitor callbacks (EarlyStopping, ModelCheckpoint, ReduceLROnPlateau)
# read a metric's direction only inside this container of compiled metrics.
from keras.src.trainers.compile_utils import MetricsList


def flatten_layers(model, include_self=True):
    """Every layer nested in `model` (Keras' private `_flatten_layers`).

    Args:
        model: a `keras.Layer` or `keras.Model`.
        include_self: whether to include `model` itself.

    Returns:
        A list of layers.

    Example:

    >>> [l.name for l in flatten_layers(keras.Sequential([keras.layers.Dense(1)]), False)]
    ['dense']
    """
    return list(model._flatten_layers(include_self=include_self))


def output_layers(model):
    """The layers that produce `model`'s outputs (Keras' private
    `_keras_history`); the last layer for a subclassed model.

    Example:

    >>> [l.name for l in output_layers(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="d")]))]
    ['d']
    """
    try:
        return [t._keras_history[0] for t in model.outputs]
    except (AttributeError, IndexError, TypeError, ValueError):
        layers = flatten_layers(model, include_self=False)
        return layers[-1:]


def set_direction(metric, direction):
    """Tell Keras' monitor callbacks whether `metric` is better "up" or
    "down" (Keras' private `Metric._direction`).

    Example:

    >>> set_direction(keras.metrics.Mean(name="d_loss"), "down")._direction
    'down'
    """
    metric._direction = direction
    return metric


def build_shapes(layer):
    """The input shapes `layer` was built with (Keras' private
    `_build_shapes_dict`), or None when it does not keep them.

    Example:

    >>> build_shapes(keras.layers.Dense(1))  # not built
    """
    return getattr(layer, "_build_shapes_dict", None)


def distribute_strategy(model):
    """The `tf.distribute` strategy `model` was created under (Keras'
    private `_distribute_strategy`), or None.

    Example:

    >>> distribute_strategy(keras.Sequential()) is None  # no strategy scope
    True
    """
    return getattr(model, "_distribute_strategy", None)


__all__ = ["MetricsList", "build_shapes", "distribute_strategy", "flatten_layers",
           "get_stateless_scope", "output_layers", "set_direction"]
