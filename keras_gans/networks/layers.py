"""Keras layers used by the zoo's networks. All serialise with `.keras` files."""

import keras
from keras import ops

from keras_gans import backend


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


@keras.saving.register_keras_serializable(package="keras_gans")
class MinibatchDiscrimination(keras.layers.Layer):
    """Minibatch discrimination (Salimans et al. 2016, section 3.2).

    Lets a discriminator look at a whole batch: each sample's features `f`
    (shape `(A,)`) are multiplied by a learned tensor `T` of shape
    `(A, B, C)` into `B` rows `M_b` of length `C`; for each kernel `b`,
    `o_b(x_i) = sum_{j != i} exp(-||M_b(x_i) - M_b(x_j)||_1)` measures how
    close the other samples of the batch are. The layer returns `[f, o]`, so a
    batch of near-identical samples (a collapsed generator) is easy to spot.

    Args:
        num_kernels: `B`, the number of closeness statistics appended.
        kernel_dim: `C`, the length of each projected row.
        **kwargs: passed to `keras.layers.Layer`.

    Input shape:
        `(batch, features)`. Flatten convolutional features first.

    Output shape:
        `(batch, features + num_kernels)`.

    Example:

    >>> layer = MinibatchDiscrimination(num_kernels=8, kernel_dim=4)
    >>> layer(np.zeros((5, 16))).shape
    (5, 24)
    """

    def __init__(self, num_kernels=50, kernel_dim=5, **kwargs):
        super().__init__(**kwargs)
        for arg, value in (("num_kernels", num_kernels), ("kernel_dim", kernel_dim)):
            if int(value) < 1:
                raise ValueError(f"{arg} must be >= 1; received {value}.")
        self.num_kernels = int(num_kernels)
        self.kernel_dim = int(kernel_dim)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                "MinibatchDiscrimination expects inputs of shape (batch, "
                f"features) with known features; received {tuple(input_shape)}. "
                "Flatten convolutional features first."
            )
        self.kernel = self.add_weight(
            shape=(int(input_shape[-1]), self.num_kernels * self.kernel_dim),
            initializer=keras.initializers.RandomNormal(stddev=0.1),
            name="kernel",
        )

    def call(self, inputs):
        m = ops.matmul(inputs, ops.cast(self.kernel, inputs.dtype))
        m = ops.reshape(m, (-1, self.num_kernels, self.kernel_dim))
        # (batch, 1, B, C) - (1, batch, B, C) -> L1 over C -> (batch, batch, B)
        l1 = ops.sum(
            ops.abs(ops.expand_dims(m, 1) - ops.expand_dims(m, 0)), axis=-1
        )
        # The j == i term is exp(0) = 1 for every sample: remove it.
        closeness = ops.sum(ops.exp(-l1), axis=1) - 1.0
        return ops.concatenate([inputs, closeness], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1] + self.num_kernels)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"num_kernels": self.num_kernels, "kernel_dim": self.kernel_dim}
        )
        return config


@keras.saving.register_keras_serializable(package="keras_gans")
class MinibatchStdDev(keras.layers.Layer):
    """Minibatch standard deviation (Karras et al. 2018, section 3).

    Computes, within groups of `group_size` consecutive samples, the standard
    deviation of every feature over the group, averages it into one number per
    group, and appends that number to every sample of the group as an extra
    channel (or feature, for flat inputs). A collapsed generator, whose
    samples barely differ, gives a tell-tale value near 0. No weights.

    Any batch size works: the last group is simply smaller when `group_size`
    does not divide the batch (a group of one sample has deviation 0).

    Args:
        group_size: samples per group (the paper: 4); None takes the whole
            batch as one group.
        epsilon: added to the variance before the square root.
        **kwargs: passed to `keras.layers.Layer`.

    Input shape:
        `(batch, ..., channels)`, e.g. `(batch, H, W, C)` or `(batch, F)`.

    Output shape:
        The input's shape with one more channel.

    Example:

    >>> layer = MinibatchStdDev(group_size=4)
    >>> layer(np.zeros((8, 4, 4, 16))).shape
    (8, 4, 4, 17)
    """

    def __init__(self, group_size=4, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        if group_size is not None and int(group_size) < 1:
            raise ValueError(
                f"group_size must be >= 1 or None; received {group_size}."
            )
        self.group_size = None if group_size is None else int(group_size)
        self.epsilon = float(epsilon)

    def call(self, inputs):
        shape = ops.shape(inputs)
        flat = ops.reshape(inputs, (shape[0], -1))
        flat = ops.cast(flat, "float32")
        if self.group_size is None:
            mean = ops.mean(flat, axis=0, keepdims=True)
            var = ops.mean(ops.square(flat - mean), axis=0, keepdims=True)
            # (1, 1): broadcast to every sample below.
            stat = ops.mean(ops.sqrt(var + self.epsilon), axis=-1, keepdims=True)
        else:
            # same[i, j] = 1 when samples i and j share a group; works for
            # batch sizes that are not multiples of group_size.
            group = ops.floor_divide(ops.arange(shape[0]), self.group_size)
            same = ops.cast(
                ops.equal(ops.expand_dims(group, 1), ops.expand_dims(group, 0)),
                "float32",
            )
            count = ops.sum(same, axis=1, keepdims=True)
            mean = ops.matmul(same, flat) / count
            mean_sq = ops.matmul(same, ops.square(flat)) / count
            var = ops.relu(mean_sq - ops.square(mean))
            stat = ops.mean(ops.sqrt(var + self.epsilon), axis=-1, keepdims=True)
        stat = ops.cast(stat, inputs.dtype)
        # Broadcast the (batch, 1) statistic over the spatial axes.
        extra = ops.reshape(stat, (-1,) + (1,) * (len(inputs.shape) - 1))
        extra = ops.ones_like(inputs[..., :1]) * extra
        return ops.concatenate([inputs, extra], axis=-1)

    def compute_output_shape(self, input_shape):
        last = None if input_shape[-1] is None else input_shape[-1] + 1
        return tuple(input_shape[:-1]) + (last,)

    def get_config(self):
        config = super().get_config()
        config.update({"group_size": self.group_size, "epsilon": self.epsilon})
        return config


@keras.saving.register_keras_serializable(package="keras_gans")
class BatchNormalization(keras.layers.BatchNormalization):
    """Keras' `BatchNormalization`, with its training call as one fused kernel
    where the backend has one.

    Same arguments, weights, moving statistics and results as
    `keras.layers.BatchNormalization` (to float rounding). In training mode
    on TensorFlow, with float32 NHWC images (rank 4, channels last), the
    batch moments, normalization, scale and shift run as one
    `FusedBatchNormV3` kernel (and its gradient as one), which made the
    DCGAN step 1.16x faster on a 2-core CPU (benchmarks/train_step.py). Any
    other case (JAX, where XLA fuses the ops itself; inference; masks;
    renorm; synchronized; no scale or centre; another axis, rank or dtype) runs
    Keras' own computation. The zoo's networks use it; `.keras` files saved
    with Keras' layer load unchanged.

    Example:

    >>> bn = BatchNormalization()
    >>> bn(np.ones((4, 3), "float32"), training=True).shape
    (4, 3)
    """

    def _can_fuse(self, inputs, training, mask):
        return (training and self.trainable and mask is None and not self.renorm
                and not self.synchronized and self.scale and self.center
                and self.axis in (-1, len(inputs.shape) - 1))

    def call(self, inputs, training=None, mask=None):
        if self._can_fuse(inputs, training, mask):
            fused = backend.fused_batch_norm(inputs, self.gamma, self.beta, self.epsilon)
            if fused is not None:
                outputs, mean, variance = fused
                m = self.momentum
                self.moving_mean.assign(self.moving_mean * m + mean * (1.0 - m))
                self.moving_variance.assign(self.moving_variance * m + variance * (1.0 - m))
                return ops.cast(outputs, self.compute_dtype)
        return super().call(inputs, training=training, mask=mask)
