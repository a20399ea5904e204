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
    """None: `keras_gans.layers.BatchNormalization` uses Keras' own
    computation on torch.

    Example:

    >>> fused_batch_norm(None, None, None, 1e-3) is None
    True
    """
    return None
