"""Spectrally normalised Dense and Conv2D layers, as in the SNGAN paper.

`keras.layers.SpectralNormalization` writes `W / sigma(W)` back into the
wrapped layer's (trainable) kernel at every training call: no gradient
flows through sigma, and a generator phase that calls the discriminator in
training mode moves the discriminator's weights. These layers keep the raw
kernel `W` as the trainable weight and use `W / sigma(W)` in the forward
pass, with sigma from one power iteration per training call on a
non-trainable vector `u` (Miyato et al. 2018, Algorithm 1; the gradient
flows through sigma with `u` and `v` held constant, as in the paper).

Example:

```python
x = SNConv2D(64, 3, padding="same")(images)
score = SNDense(1)(keras.layers.Flatten()(x))
```
"""

import keras
from keras import ops


def _l2_normalize(x, eps=1e-12):
    return x / (ops.sqrt(ops.sum(ops.square(x))) + eps)


class _SpectralNormMixin:
    """Power iteration on `u` and the normalised kernel."""

    def _build_u(self, out_units):
        self.u = self.add_weight(
            shape=(1, out_units), initializer=keras.initializers.RandomNormal(),
            trainable=False, name="sn_u", dtype="float32",
        )

    # Dense and Conv2D save only `kernel` and `bias` by name; save every
    # variable (the power-iteration vector `u` included) by position.
    def save_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable

    def load_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            variable.assign(store[str(i)])

    def normalized_kernel(self, training=False):
        """`W / sigma(W)`; in training, one power-iteration step updates `u`.

        Example:

        >>> layer = SNDense(3); _ = layer(np.ones((1, 4)))
        >>> np.linalg.svd(layer.normalized_kernel().numpy())[1][0]  # ~1
        """
        kernel = ops.cast(self.kernel, "float32")
        w = ops.reshape(kernel, (-1, kernel.shape[-1]))
        u = self.u.value
        v = _l2_normalize(ops.matmul(u, ops.transpose(w)))
        u_new = _l2_normalize(ops.matmul(v, w))
        u_new, v = ops.stop_gradient(u_new), ops.stop_gradient(v)
        if training:
            self.u.assign(u_new)
        sigma = ops.sum(ops.matmul(v, w) * u_new)
        return ops.cast(kernel / sigma, self.compute_dtype)


@keras.saving.register_keras_serializable(package="keras_gans")
class SNDense(_SpectralNormMixin, keras.layers.Dense):
    """A `keras.layers.Dense` whose kernel is divided by its top singular value.

    Reference: Miyato et al. 2018, arXiv:1802.05957.

    Example:

    >>> SNDense(1)(np.ones((2, 8))).shape
    (2, 1)
    """

    def build(self, input_shape):
        super().build(input_shape)
        self._build_u(self.units)

    def call(self, inputs, training=False):
        x = ops.matmul(inputs, self.normalized_kernel(training))
        if self.use_bias:
            x = ops.add(x, self.bias)
        return self.activation(x) if self.activation is not None else x


@keras.saving.register_keras_serializable(package="keras_gans")
class SNConv2D(_SpectralNormMixin, keras.layers.Conv2D):
    """A `keras.layers.Conv2D` whose kernel (as a matrix) has top singular value 1.

    Reference: Miyato et al. 2018, arXiv:1802.05957.

    Example:

    >>> SNConv2D(4, 3, padding="same")(np.ones((2, 8, 8, 1))).shape
    (2, 8, 8, 4)
    """

    def build(self, input_shape):
        super().build(input_shape)
        self._build_u(self.filters)

    def call(self, inputs, training=False):
        x = ops.conv(inputs, self.normalized_kernel(training), strides=self.strides,
                     padding=self.padding, dilation_rate=self.dilation_rate,
                     data_format=self.data_format)
        if self.use_bias:
            x = ops.add(x, ops.reshape(self.bias, (1, 1, 1, -1)))
        return self.activation(x) if self.activation is not None else x
