"""Initial weights drawn with numpy, for the evaluation classifiers.

They give the same initial weights on every backend, and avoid JAX
compiling a random-number kernel for every weight shape (seconds per model
on a CPU).

Example:

>>> from keras_gans.evaluation.initializers import NumpyGlorotUniform, numpy_zeros
>>> NumpyGlorotUniform(0)((3, 4)).shape, numpy_zeros((2,)).sum()
((3, 4), 0.0)
"""

import numpy as np


class NumpyGlorotUniform:
    """Glorot-uniform initial weights drawn with numpy.

    Gives the same initial weights on every backend, and avoids JAX
    compiling a random-number kernel for every weight shape (seconds per
    model on a CPU).

    Example:

    >>> NumpyGlorotUniform(seed=0)((3, 3, 1, 8)).shape
    (3, 3, 1, 8)
    """

    def __init__(self, seed):
        self.seed = seed

    def __call__(self, shape, dtype=None):
        receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
        fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        rng = np.random.default_rng(self.seed)
        return rng.uniform(-limit, limit, size=shape).astype(dtype or "float32")


def numpy_zeros(shape, dtype=None):
    """Zeros of `shape` (a bias initializer).

    Example:

    >>> numpy_zeros((2,)).tolist()
    [0.0, 0.0]
    """
    return np.zeros(shape, dtype=dtype or "float32")


