"""The one place where Keras backends differ for keras_gans.

Every training step in the package is written once with `keras.ops`. What a
step cannot express backend-agnostically lives in one module per backend,
chosen once, at import, from the active Keras backend (as Keras itself
does):

- `keras_gans/backend/_tensorflow.py`: `GradientTape`, `tf.distribute`.
- `keras_gans/backend/_jax.py`: `jax.grad` inside `keras.StatelessScope`,
  the pure train step that JAX's `fit()` calls; a faster kernel gradient
  for Keras' `conv_transpose` (XLA's CPU backend runs JAX's own slowly).
- `keras_gans/backend/_torch.py`: `torch.autograd.grad` (with
  `create_graph=True` for gradient penalties), eager steps; Keras'
  `conv`/`conv_transpose` without NCHW copies and a one-kernel batch norm.

No other module of the package asks which backend is active. The functions
below have the same signature and meaning on every backend:

| function | what it does |
|---|---|
| `minimize(loss_fn, variables, optimizer)` | differentiate and apply |
| `gradients(fn, x)` | input gradient, nestable inside `minimize` (penalties) |
| `train_step(model, step_fn, *args)` | run a stateful step as `fit()` calls it |
| `run_stateful(model, step_fn, *args)` | the same, eagerly, outside `fit()` |
| `inference(network, inputs)` | sample to numpy, safe while `fit()` runs |
| `sync_state(model)` | make variables current during a JAX `fit()` |
| `replica_count()`, `replica_id()` | `tf.distribute` replicas (1 and 0 elsewhere) |
| `distributable_logs(logs)` | logs that survive multi-worker reduction |
| `variable_scope(model)` | where to create optimizer variables |
| `export_endpoint_kwargs(platforms)` | how Keras' exporter converts a network |
| `fused_batch_norm(x, gamma, beta, eps)` | one-kernel training batch norm, or None |
| `predict_on_batch(network, batch)` | Keras' `predict_on_batch`, as numpy |
| `no_gradient(fn)` | `fn()`'s outputs with no gradient path (torch: not even recorded) |
| `to_numpy(x)` | a tensor (or nest) as numpy, detached (torch: without numpy 2's `__array__` warning) |

Distribution: under `tf.distribute` strategies every replica runs the step
on its share of the global batch and the optimizer sums the replicas'
gradients, so `minimize` divides each replica's loss by `replica_count()`.
Under JAX, `keras.distribution.DataParallel` runs one program over global
arrays: there is one "replica" and nothing needs scaling.

Example:

```python
from keras_gans import backend

loss, _ = backend.minimize(
    lambda: (ops.mean(ops.square(net(x))), None),
    net.trainable_variables, optimizer)
```
"""

import importlib

import keras

SUPPORTED_BACKENDS = ("tensorflow", "jax", "torch")


def name():
    """Return the active Keras backend's name.

    Example:

    >>> name() in ("tensorflow", "jax", "torch")
    True
    """
    return keras.backend.backend()


def check_supported():
    """Raise a clear error when the active backend is not supported.

    Example:

    >>> check_supported()  # passes on TensorFlow, JAX and torch
    """
    if name() not in SUPPORTED_BACKENDS:
        raise RuntimeError(
            f"keras_gans supports the backends {SUPPORTED_BACKENDS}; the active "
            f"Keras backend is {name()!r}. Set KERAS_BACKEND=tensorflow, "
            "KERAS_BACKEND=jax or KERAS_BACKEND=torch before importing keras."
        )


def _load_implementation():
    if name() in SUPPORTED_BACKENDS:
        return importlib.import_module(f"keras_gans.backend._{name()}")
    return importlib.import_module("keras_gans.backend._unsupported")


_impl = _load_implementation()

minimize = _impl.minimize
gradients = _impl.gradients
train_step = _impl.train_step
run_stateful = _impl.run_stateful
inference = _impl.inference
sync_state = _impl.sync_state
export_endpoint_kwargs = _impl.export_endpoint_kwargs
replica_count = _impl.replica_count
replica_id = _impl.replica_id
distributable_logs = _impl.distributable_logs
variable_scope = _impl.variable_scope
fused_batch_norm = _impl.fused_batch_norm
# Keras' own conversion and predict_on_batch are right on TensorFlow and
# JAX (there predict_on_batch is one compiled call); torch has its own.
to_numpy = getattr(_impl, "to_numpy", keras.ops.convert_to_numpy)


def _keras_predict_on_batch(network, batch):
    return network.predict_on_batch(batch)


predict_on_batch = getattr(_impl, "predict_on_batch", _keras_predict_on_batch)


def _stop_gradient_outputs(fn):
    """Return `fn()` with every output cut off from the gradient.

    On TensorFlow and JAX this is `stop_gradient` of the outputs (the
    compiled step drops the dead backward work); torch's `no_gradient` runs
    `fn` under `torch.no_grad()`, so the forward records no autograd graph
    at all. The D phase makes its fakes this way.

    Example:

    ```python
    fakes = no_gradient(lambda: gan.generate_fakes(z, labels))
    ```
    """
    return keras.tree.map_structure(keras.ops.stop_gradient, fn())


no_gradient = getattr(_impl, "no_gradient", _stop_gradient_outputs)

__all__ = [
    "SUPPORTED_BACKENDS",
    "check_supported",
    "distributable_logs",
    "export_endpoint_kwargs",
    "fused_batch_norm",
    "gradients",
    "inference",
    "minimize",
    "name",
    "no_gradient",
    "predict_on_batch",
    "replica_count",
    "replica_id",
    "run_stateful",
    "sync_state",
    "train_step",
    "to_numpy",
    "variable_scope",
]
