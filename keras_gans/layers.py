"""Keras layers used by the zoo's networks. All serialise with `.keras` files."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class Maxout(keras.layers.Layer):
    """Maxout units (Goodfellow et al. 2013): the max over `pieces` linear maps.

    Args:
        units: number of output units.
        pieces: linear pieces per unit.
        **kwargs: passed to `keras.layers.Layer`.

    Example:

    >>> layer = Maxout(16, pieces=5)
    >>> layer(np.zeros((2, 10))).shape
    (2, 16)
    """

    def __init__(self, units, pieces=5, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.pieces = int(pieces)
        self.dense = keras.layers.Dense(self.units * self.pieces)

    def build(self, input_shape):
        self.dense.build(input_shape)

    def call(self, inputs):
        x = self.dense(inputs)
        x = ops.reshape(x, (-1, self.units, self.pieces))
        return ops.max(x, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units, "pieces": self.pieces})
        return config
