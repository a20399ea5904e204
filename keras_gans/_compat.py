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


def backend_nn(backend_name):
    """Keras' private per-backend `nn` module (`keras.src.backend.<name>.nn`),
    whose `conv`/`conv_transpose` the torch and JAX backends replace with
    faster kernels (keras_gans/backend/_torch.py, _jax.py). Imported on
    demand, so that importing this module does not import torch or JAX.

    Example:

    >>> backend_nn("tensorflow").__name__
    'keras.src.backend.tensorflow.nn'
    """
    import importlib

    return importlib.import_module(f"keras.src.backend.{backend_name}.nn")


def standardize_tuple(value, n, name):
    """Keras' private `standardize_tuple`: an int or an n-sequence as an
    n-tuple of ints, checked.

    Example:

    >>> standardize_tuple(2, 2, "strides")
    (2, 2)
    """
    from keras.src.utils.argument_validation import standardize_tuple as standardize

    return standardize(value, n, name)


def conv_transpose_crops_for_torch(**kwargs):
    """Keras' private `compute_conv_transpose_output_crops_for_torch`: the
    (left, right) crop per spatial axis that Keras' torch backend applies
    after an unpadded transposed convolution.

    Example:

    >>> conv_transpose_crops_for_torch(input_shape=(1, 7, 7, 1),
    ...     kernel_shape=(4, 4, 1, 1), strides=(2, 2), padding="same",
    ...     output_padding=None, dilation_rate=(1, 1))
    [(1, 1), (1, 1)]
    """
    from keras.src.backend.common.backend_utils import (
        compute_conv_transpose_output_crops_for_torch as crops,
    )

    return crops(**kwargs)


__all__ = ["MetricsList", "backend_nn", "build_shapes", "conv_transpose_crops_for_torch",
           "distribute_strategy", "flatten_layers", "get_stateless_scope", "output_layers",
           "set_direction", "standardize_tuple"]
