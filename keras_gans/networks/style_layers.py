"""Layers of a StyleGAN2-style generator (Karras et al. 2020), in keras.ops.

Reference: Karras, Laine, Aittala, Hellsten, Lehtinen and Aila, "Analyzing
and Improving the Image Quality of StyleGAN", CVPR 2020, arXiv:1912.04958.

Example:

```python
x = ModulatedConv2D(64, 3)([features, w])   # style-modulated, demodulated
x = NoiseInjection()(x)                       # per-pixel noise, learned strength
```
"""

import math

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class PixelNorm(keras.layers.Layer):
    """Normalise each vector to unit root-mean-square (StyleGAN's input to the mapping).

    Example:

    >>> PixelNorm()(2 * np.ones((1, 4)))  # [[1, 1, 1, 1]]
    """

    def call(self, x):
        return x * ops.rsqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + 1e-8)


@keras.saving.register_keras_serializable(package="keras_gans")
class EqualizedDense(keras.layers.Layer):
    """A dense layer with StyleGAN's equalised learning rate and an lr multiplier.

    Weights are stored as N(0, 1 / lr_multiplier) and scaled by
    `lr_multiplier / sqrt(fan_in)` at run time, so Adam's steps on them act
    `lr_multiplier` times as large as on other weights (StyleGAN's mapping
    network: 0.01). Karras et al. 2018 (arXiv:1710.10196), 2019.

    Example:

    >>> EqualizedDense(4, lr_multiplier=0.01)(np.ones((2, 3))).shape
    (2, 4)
    """

    def __init__(self, units, lr_multiplier=1.0, **kwargs):
        super().__init__(**kwargs)
        self.units, self.lr_multiplier = int(units), float(lr_multiplier)

    def build(self, input_shape):
        self.fan_in = int(input_shape[-1])
        self.kernel = self.add_weight(
            shape=(self.fan_in, self.units), name="kernel",
            initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier))
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        kernel = self.kernel * (self.lr_multiplier / math.sqrt(self.fan_in))
        return ops.matmul(x, ops.cast(kernel, x.dtype)) + ops.cast(
            self.bias * self.lr_multiplier, x.dtype)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "lr_multiplier": self.lr_multiplier}


@keras.saving.register_keras_serializable(package="keras_gans")
class StyleSlice(keras.layers.Layer):
    """The `index`-th style `ws[:, index]` of a `(batch, num_ws, w_dim)` tensor.

    Example:

    >>> StyleSlice(1)(np.zeros((2, 5, 8))).shape
    (2, 8)
    """

    def __init__(self, index, **kwargs):
        super().__init__(**kwargs)
        self.index = int(index)

    def call(self, ws):
        return ws[:, self.index]

    def get_config(self):
        return {**super().get_config(), "index": self.index}


@keras.saving.register_keras_serializable(package="keras_gans")
class ConstantInput(keras.layers.Layer):
    """A learned constant `(size, size, channels)` tensor, repeated for the batch of `w`.

    Example:

    >>> ConstantInput(8, (4, 4))(np.zeros((3, 16))).shape
    (3, 4, 4, 8)
    """

    def __init__(self, channels, size, **kwargs):
        super().__init__(**kwargs)
        self.channels, self.size = int(channels), tuple(int(s) for s in size)

    def build(self, input_shape):
        self.constant = self.add_weight(
            shape=(1, *self.size, self.channels),
            initializer=keras.initializers.RandomNormal(stddev=1.0), name="constant")

    def call(self, w):
        return ops.tile(self.constant, [ops.shape(w)[0], 1, 1, 1])

    def get_config(self):
        return {**super().get_config(), "channels": self.channels, "size": self.size}


@keras.saving.register_keras_serializable(package="keras_gans")
class ModulatedConv2D(keras.layers.Layer):
    """A convolution whose input channels are scaled per sample by a style.

    `style = A(w)` (a dense "affine" map, bias initialised to 1); the kernel
    is modulated `W'[i] = style[i] * W[i]` and, with `demodulate=True`,
    demodulated `W'' = W' / sqrt(sum W'^2 + eps)` per output channel, which
    brings unit-variance inputs back to unit variance (StyleGAN2's
    replacement for AdaIN). Computed as "scale inputs, shared convolution,
    scale outputs" (the paper's non-fused form), so it is one ordinary
    convolution. Weights use the equalised learning rate (N(0, 1) init,
    scaled by 1/sqrt(fan_in) at run time). Called on `[x, w]`.

    Args:
        filters: output channels.
        kernel_size: square kernel size.
        demodulate: whether to demodulate (False for toRGB layers).
        use_bias: add a learned bias after the convolution.

    Example:

    >>> y = ModulatedConv2D(8, 3)([np.ones((2, 4, 4, 3)), np.ones((2, 16))])
    >>> y.shape
    (2, 4, 4, 8)
    """

    def __init__(self, filters, kernel_size=3, demodulate=True, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size = int(filters), int(kernel_size)
        self.demodulate, self.use_bias = bool(demodulate), bool(use_bias)

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        self.in_channels, self.w_dim = int(x_shape[-1]), int(w_shape[-1])
        normal = keras.initializers.RandomNormal(stddev=1.0)
        k = self.kernel_size
        self.kernel = self.add_weight(shape=(k, k, self.in_channels, self.filters),
                                      initializer=normal, name="kernel")
        self.affine_kernel = self.add_weight(shape=(self.w_dim, self.in_channels),
                                             initializer=normal, name="affine_kernel")
        self.affine_bias = self.add_weight(shape=(self.in_channels,), initializer="ones",
                                           name="affine_bias")
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.filters,), initializer="zeros", name="bias")

    def styles(self, w):
        """The per-sample input-channel scales `A(w)`, shape (batch, in_channels)."""
        return ops.matmul(w, self.affine_kernel) / math.sqrt(self.w_dim) + self.affine_bias

    def call(self, inputs):
        x, w = inputs
        styles = ops.cast(self.styles(w), x.dtype)
        kernel = self.kernel / math.sqrt(self.kernel_size**2 * self.in_channels)
        y = ops.conv(x * styles[:, None, None, :], ops.cast(kernel, x.dtype), padding="same")
        if self.demodulate:
            energy = ops.matmul(ops.square(styles), ops.sum(ops.square(kernel), axis=(0, 1)))
            y = y * ops.rsqrt(energy + 1e-8)[:, None, None, :]
        if self.use_bias:
            y = y + ops.cast(self.bias, y.dtype)
        return y

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "demodulate": self.demodulate,
                "use_bias": self.use_bias}


@keras.saving.register_keras_serializable(package="keras_gans")
class NoiseInjection(keras.layers.Layer):
    """Add per-pixel Gaussian noise times a learned strength (init 0).

    In training the noise is fresh each call (from the layer's seed
    stream); in inference a fixed noise image saved with the weights is
    used (StyleGAN2's `noise_mode="const"`), so `generate` is deterministic.

    Args:
        seed: seed of the layer's training noise and of its fixed noise.

    Example:

    >>> NoiseInjection()(np.zeros((2, 4, 4, 8))).shape
    (2, 4, 4, 8)
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        self.strength = self.add_weight(shape=(), initializer="zeros", name="strength")
        self.fixed_noise = self.add_weight(
            shape=(1, *input_shape[1:3], 1), trainable=False, name="fixed_noise",
            initializer=keras.initializers.RandomNormal(stddev=1.0, seed=self.seed))

    def call(self, x, training=False):
        if training:
            shape = (ops.shape(x)[0], ops.shape(x)[1], ops.shape(x)[2], 1)
            noise = keras.random.normal(shape, seed=self.seed_generator, dtype=x.dtype)
        else:
            noise = ops.cast(self.fixed_noise, x.dtype)
        return x + ops.cast(self.strength, x.dtype) * noise

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}
