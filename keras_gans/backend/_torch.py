"""The PyTorch side of `keras_gans.backend` (see its docstring).

`torch.autograd.grad` for gradients, eager steps. Chosen at import when
`KERAS_BACKEND=torch`. Keras' torch trainer calls `train_step(data)`
eagerly (or through `torch.compile` with `jit_compile=True`), and its
variables are `torch.nn.Parameter`s that are assigned in place, so a step
needs no state threading: `minimize` differentiates the loss over exactly
the variables it is given, with `torch.autograd.grad`, which leaves every
other parameter's `.grad` alone, and applies the optimizer. A gradient
penalty differentiates twice: `gradients` builds its graph with
`create_graph=True`, so the outer `minimize` differentiates through it.

There is one "replica": Keras' torch trainer has no data parallelism of
its own here.

Example:

>>> from keras_gans.backend import _torch
>>> _torch.replica_count()
1
"""


import keras
import torch


from keras_gans.backend._single_replica import (  # noqa: F401
    distributable_logs,
    replica_count,
    replica_id,
    variable_scope,
)


def _pack_variable_read(tensor):
    # A variable saved for the backward pass is saved as its value at the
    # time of the read (a differentiable clone, so that double backward
    # still reaches the variable), as TensorFlow and JAX read variables.
    # Without it, a layer that assigns a trainable variable during the
    # forward pass (Keras' SpectralNormalization writes W / sigma back into
    # its kernel at every training call) invalidates what an earlier call
    # in the same loss saved, and torch.autograd.grad refuses: "one of the
    # variables needed for gradient computation has been modified by an
    # inplace operation" (a discriminator called on real, then on fake).
    if isinstance(tensor, torch.nn.Parameter):
        return tensor.clone()
    return tensor


def _unpack(tensor):
    return tensor


def _reads_as_values():
    """Saved-tensor hooks that snapshot variable reads (see `_pack_variable_read`)."""
    return torch.autograd.graph.saved_tensors_hooks(_pack_variable_read, _unpack)


def gradients(fn, x):
    """The gradient of `sum(fn(x))` with respect to the tensor `x`.

    Computed with `torch.autograd.grad(..., create_graph=True)` when
    gradients are being recorded (inside `minimize`), so that a penalty on
    this gradient is differentiated again (double backward). In an
    evaluation step (Keras runs `test_step` under `torch.no_grad()`) the
    gradient is still computed, without a graph. `x` may itself depend on
    a network's weights (say, interpolates between real and generated
    images): it is differentiated through, not cut off.

    Example:

    ```python
    grads = gradients(lambda t: critic(t, training=True), interpolates)
    ```
    """
    create_graph = torch.is_grad_enabled()
    with torch.enable_grad(), _reads_as_values():
        x = keras.ops.convert_to_tensor(x)
        if not x.requires_grad:
            x = x.detach().requires_grad_(True)
        y = fn(x)
        y = keras.ops.convert_to_tensor(y)
        total = torch.sum(y.to(torch.float32))
        (grad,) = torch.autograd.grad(total, x, create_graph=create_graph)
    return grad


def minimize(loss_fn, variables, optimizer):
    """Differentiate `loss_fn()` over `variables` and apply `optimizer`.

    `loss_fn` returns `(loss, aux)`; `(loss, aux)` is returned. Only
    `variables` are differentiated (`torch.autograd.grad`, not
    `backward()`), so the other networks' weights keep no stray gradients
    and do not move. A variable the loss does not reach gets a zero
    gradient. A `LossScaleOptimizer` scales the loss here and unscales the
    gradients in `apply`. Variables read in the loss are saved for the
    backward pass as their values at the read, so a layer that assigns a
    variable during the forward pass (Keras' `SpectralNormalization`)
    differentiates as on TensorFlow and JAX.

    Example:

    ```python
    loss, _ = minimize(lambda: (ops.mean(d(x)), None), d.trainable_variables, opt)
    ```
    """
    variables = list(variables)
    with torch.enable_grad():
        with _reads_as_values():
            loss, aux = loss_fn()
        scaled = optimizer.scale_loss(loss)
        tensors = [v.value for v in variables]
        grads = torch.autograd.grad(scaled, tensors, allow_unused=True)
    grads = [
        torch.zeros_like(t) if g is None else g for g, t in zip(grads, tensors)
    ]
    with torch.no_grad():
        optimizer.apply(grads, variables)
    return _detach(loss), keras.tree.map_structure(_detach, aux)


def no_gradient(fn):
    """Run `fn()` under `torch.no_grad()`: outputs without a gradient path.

    Inside `minimize`, the D phase's generator forward would otherwise
    record an autograd graph (and keep its activations) that nothing reads.
    Layers still update their state (batch-norm moving statistics).

    Example:

    ```python
    fakes = no_gradient(lambda: gan.generate_fakes(z, labels))
    ```
    """
    with torch.no_grad():
        out = fn()
    return keras.tree.map_structure(_detach, out)


def _detach(value):
    if isinstance(value, torch.Tensor):
        return value.detach()
    return value


def train_step(model, step_fn, *args):
    """Run `step_fn(data)` as Keras' torch trainer calls `train_step(data)`.

    Example:

    ```python
    def train_step(self, *args):
        return backend.train_step(self, self._train_step, *args)
    ```
    """
    return step_fn(*args)


def run_stateful(model, step_fn, *args):
    """Run a stateful step eagerly, outside `fit()`: simply calls it.

    Example:

    ```python
    logs = run_stateful(gan, gan.run_phase, "discriminator", images)
    ```
    """
    return step_fn(*args)


def inference(network, inputs):
    """Run `network(inputs, training=False)` without autograd; return numpy.

    Example:

    >>> images = inference(gan.generator, z)
    """
    with torch.no_grad():
        out = network(inputs, training=False)
    return to_numpy(out)


def to_numpy(x):
    """A torch tensor (or a nest of them) as numpy, detached, without warnings.

    `keras.ops.convert_to_numpy` calls `np.array(tensor)`, which under
    numpy 2 warns that torch's `__array__` takes no `copy` argument (and a
    warning filter set to "error" turns that into a failure); `.numpy()` on
    the detached CPU tensor is the same array, silently. bfloat16, which
    numpy lacks, goes through Keras' own conversion.

    Example:

    >>> to_numpy(torch.ones(2, requires_grad=True))
    array([1., 1.], dtype=float32)
    """
    def one(value):
        if isinstance(value, torch.Tensor) and value.dtype != torch.bfloat16:
            return value.detach().cpu().numpy()
        return keras.ops.convert_to_numpy(value)

    return keras.tree.map_structure(one, x)


def predict_on_batch(network, batch):
    """`network.predict_on_batch(batch)`'s values, as numpy, silently.

    Keras' torch `predict_on_batch` converts its outputs with
    `convert_to_numpy`, which warns under numpy 2 (see `to_numpy`); this is
    the same inference-mode call (`training=False`, no autograd) through
    `inference`.

    Example:

    >>> features, probs = predict_on_batch(classifier, images)
    """
    return inference(network, batch)


def sync_state(model):
    """Nothing to do: torch variables are always current.

    Example:

    >>> sync_state(gan)
    """
    return None


def export_endpoint_kwargs(platforms):
    """Extra arguments of `ExportArchive.add_endpoint`: none on torch.

    (`keras_gans.export` writes a SavedModel of a torch-trained model
    through a TensorFlow process; see there.)

    Example:

    >>> export_endpoint_kwargs(None)
    {}
    """
    return {}


def fused_batch_norm(inputs, gamma, beta, epsilon):
    """Batch normalization in training mode as one ATen kernel.

    `torch.native_batch_norm` computes the batch moments, normalizes, scales
    and shifts in one pass (and its gradient, double backward included, is
    one kernel too), where Keras' `BatchNormalization` composes about ten
    element-wise ops and reductions on channels-last tensors. NHWC inputs
    are handed to it as a channels-last NCHW view (no copy).

    Args:
        inputs: float32 tensor of rank 2 (N, C) or 4 (N, H, W, C).
        gamma, beta: the per-channel scale and offset (variables).
        epsilon: added to the variance.

    Returns:
        `(outputs, mean, variance)`, the variance biased (divided by n, as
        Keras keeps it) and both cut from the graph (they feed only the
        moving statistics), or None when the kernel cannot take these
        inputs (another dtype or rank): the caller then uses Keras' ops.

    Example:

    >>> x = torch.randn(8, 4, 4, 3)
    >>> y, mean, var = fused_batch_norm(x, torch.ones(3), torch.zeros(3), 1e-3)
    >>> tuple(y.shape), tuple(mean.shape)
    ((8, 4, 4, 3), (3,))
    """
    if not _FAST_KERNELS:
        return None
    inputs = keras.ops.convert_to_tensor(inputs)
    if inputs.dtype != torch.float32 or inputs.ndim not in (2, 4):
        return None
    gamma = keras.ops.convert_to_tensor(gamma)
    beta = keras.ops.convert_to_tensor(beta)
    if gamma.dtype != torch.float32 or beta.dtype != torch.float32:
        return None
    x = inputs.permute(0, 3, 1, 2) if inputs.ndim == 4 else inputs
    y, mean, inv_std = torch.native_batch_norm(
        x, gamma, beta, None, None, True, 0.0, epsilon)
    if inputs.ndim == 4:
        y = y.permute(0, 2, 3, 1)
    with torch.no_grad():
        variance = torch.clamp(inv_std.detach() ** -2 - epsilon, min=0.0)
    return y, mean.detach(), variance


# ------------------------------------------------------------ fast kernels
#
# Keras' torch backend runs `ops.conv` on channels-last (NHWC) inputs by
# permuting them to NCHW, copying them contiguous, then copying them again
# into torch's channels-last memory format (two full copies of every conv's
# input, and of their gradients), and `ops.conv_transpose` by computing the
# transposed convolution with no padding on NCHW-contiguous copies and then
# cropping the result (for the DCGAN's 4x4 stride-2 "same" kernels: a 16x16
# output cropped to 14x14, whose backward scatters into a zero-filled
# buffer). An NHWC tensor already *is* a channels-last NCHW tensor, so the
# permute alone (a view) is what the oneDNN kernels want; and a symmetric
# crop is torch's own `padding` (with `output_padding` for a crop one larger
# on the left). `install_fast_kernels` replaces the two backend functions
# with versions that do that for 2-D channels-last inputs and call Keras'
# own for everything else. Same arithmetic, same results (to float
# rounding); `KERAS_GANS_TORCH_FAST_KERNELS=0` turns them (and
# `fused_batch_norm`) off, which benchmarks/train_step.py uses as a lever.

import os as _os  # noqa: E402

_FAST_KERNELS = _os.environ.get("KERAS_GANS_TORCH_FAST_KERNELS", "1") != "0"


def _compat_nn():
    from keras_gans._compat import backend_nn

    return backend_nn("torch")


def _conv_args(strides, dilation_rate):
    from keras_gans._compat import standardize_tuple

    return (standardize_tuple(strides, 2, "strides"),
            standardize_tuple(dilation_rate, 2, "dilation_rate"))


def _fast_conv(original):
    knn = _compat_nn()

    def conv(inputs, kernel, strides=1, padding="valid", data_format=None,
             dilation_rate=1):
        data_format = knn.backend.standardize_data_format(data_format)
        inputs = knn.convert_to_tensor(inputs)
        kernel = knn.convert_to_tensor(kernel)
        if data_format != "channels_last" or inputs.ndim != 4:
            return original(inputs, kernel, strides, padding, data_format,
                            dilation_rate)
        strides, dilation = _conv_args(strides, dilation_rate)
        pads = [0, 0]
        if padding == "same":
            for i in range(2):
                left, right = knn._compute_padding_length(
                    inputs.shape[1 + i], kernel.shape[i], strides[i], dilation[i])
                if left != right:
                    return original(inputs, kernel, strides, padding, data_format,
                                    dilation_rate)
                pads[i] = left
        groups = inputs.shape[-1] // kernel.shape[2]
        x = inputs.permute(0, 3, 1, 2)  # NHWC memory = channels-last NCHW
        w = kernel.permute(3, 2, 0, 1).contiguous(memory_format=torch.channels_last)
        y = torch.nn.functional.conv2d(x, w, stride=strides, padding=pads,
                                       dilation=dilation, groups=groups)
        return y.permute(0, 2, 3, 1)

    conv._keras_gans_fast = True
    return conv


def _fast_conv_transpose(original):
    knn = _compat_nn()
    from keras_gans._compat import (
        conv_transpose_crops_for_torch as compute_conv_transpose_output_crops_for_torch,
    )

    def conv_transpose(inputs, kernel, strides=1, padding="valid",
                       output_padding=None, data_format=None, dilation_rate=1):
        data_format = knn.backend.standardize_data_format(data_format)
        inputs = knn.convert_to_tensor(inputs)
        kernel = knn.convert_to_tensor(kernel)
        if data_format != "channels_last" or inputs.ndim != 4:
            return original(inputs, kernel, strides, padding, output_padding,
                            data_format, dilation_rate)
        strides, dilation = _conv_args(strides, dilation_rate)
        crops = compute_conv_transpose_output_crops_for_torch(
            input_shape=inputs.shape, kernel_shape=kernel.shape, strides=strides,
            padding=padding, output_padding=output_padding, dilation_rate=dilation)
        pads, extra = [], []
        for (left, right), s, d in zip(crops, strides, dilation):
            # torch crops `padding` on both sides, then adds
            # `output_padding` (< max(stride, dilation)) on the right.
            if right < 0 or left < right or left - right >= max(s, d):
                return original(inputs, kernel, strides, padding, output_padding,
                                data_format, dilation_rate)
            pads.append(left)
            extra.append(left - right)
        x = inputs.permute(0, 3, 1, 2)
        w = kernel.permute(3, 2, 0, 1).contiguous(memory_format=torch.channels_last)
        y = torch.nn.functional.conv_transpose2d(
            x, w, stride=strides, padding=pads, output_padding=extra,
            dilation=dilation)
        return y.permute(0, 2, 3, 1)

    conv_transpose._keras_gans_fast = True
    return conv_transpose


def install_fast_kernels():
    """Route Keras' torch `conv`/`conv_transpose` through the fast versions
    (see above); idempotent, and a no-op with
    `KERAS_GANS_TORCH_FAST_KERNELS=0`.

    Example:

    >>> install_fast_kernels()
    """
    if not _FAST_KERNELS:
        return
    knn = _compat_nn()

    if not getattr(knn.conv, "_keras_gans_fast", False):
        knn.conv = _fast_conv(knn.conv)
    if not getattr(knn.conv_transpose, "_keras_gans_fast", False):
        knn.conv_transpose = _fast_conv_transpose(knn.conv_transpose)


install_fast_kernels()
