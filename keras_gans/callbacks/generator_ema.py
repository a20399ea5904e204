"""Deprecated: `GeneratorEMA` lives in `keras_gans.models.ema`, beside the
EMA part (`ExponentialMovingAverage`). This name still imports it.

Example:

>>> from keras_gans.callbacks.generator_ema import GeneratorEMA  # still works
>>> from keras_gans.callbacks import GeneratorEMA                # preferred
"""

from keras_gans.models.ema import GeneratorEMA

__all__ = ["GeneratorEMA"]
