"""The JAX side of `keras_gans.backend` (see its docstring).

`jax.grad` inside `keras.StatelessScope`, and the pure train step that
Keras' JAX trainer calls with the model's state. Chosen at import when
`KERAS_BACKEND=jax`. Data parallelism (`keras.distribution.DataParallel`)
runs one program over global arrays, so there is one "replica".

Example:

>>> from keras_gans.backend import _jax
>>> _jax.replica_count()
1
"""

import weakref

import jax
import jax.numpy as jnp
import keras

from keras_gans._compat import get_stateless_scope


from keras_gans.backend._single_replica import (  # noqa: F401
    distributable_logs,
    replica_count,
    replica_id,
    variable_scope,
)


def train_step(model, step_fn, *args):
    """Run `step_fn(data)` as Keras' JAX trainer calls `train_step(state, data)`.

    Returns `(logs, new_state)` (see `stateful_step`).

    Example:

    ```python
    def train_step(self, *args):
        return backend.train_step(self, self._train_step, *args)
    ```
    """
    state, data = args
    return stateful_step(model, state, step_fn, data)


def sync_state(model):
    """Write the state of a running `fit()` back into the variables.

    Keras' JAX trainer holds the training state outside the variables
    during an epoch; callbacks that read weights call this first.

    Example:

    >>> sync_state(gan)
    """
    if hasattr(model, "jax_state_sync"):
        model.jax_state_sync()


def gradients(fn, x):
    """The gradient of `sum(fn(x))` with respect to the tensor `x`.

    `jax.grad` nests inside the outer `jax.grad` of `minimize`, so a penalty
    on this gradient is differentiated again. State that `fn` assigns
    (batch-norm statistics, seed generators) is discarded: give `fn` a
    network without such state.

    Example:

    ```python
    grads = gradients(lambda t: critic(t, training=True), interpolates)
    ```
    """
    outer = get_stateless_scope()
    base = dict(outer.state_mapping) if outer is not None else None

    def total(t):
        if base is None:
            y = fn(t)
        else:
            inner = keras.StatelessScope()
            inner.state_mapping = dict(base)
            with inner:
                y = fn(t)
        return jnp.sum(jnp.asarray(y, dtype="float32"))

    return jax.grad(total)(jnp.asarray(x))


def minimize(loss_fn, variables, optimizer):
    """Differentiate `loss_fn()` over `variables` and apply `optimizer`.

    Runs inside `stateful_step`'s `StatelessScope`: the variables' values
    are differentiated as function arguments, state the forward pass
    assigns (batch-norm statistics, seed generators) is kept, and the
    optimizer's update lands in the outer scope. `loss_fn` returns
    `(loss, aux)`; `(loss, aux)` is returned.

    Example:

    ```python
    loss, _ = minimize(lambda: (ops.mean(d(x)), None), d.trainable_variables, opt)
    ```
    """
    variables = list(variables)
    outer = get_stateless_scope()
    if outer is None:
        raise RuntimeError(
            "Under JAX, keras_gans.backend.minimize must run inside "
            "keras_gans.backend.train_step (GAN.train_step does this)."
        )
    base = dict(outer.state_mapping)
    ids = [id(v) for v in variables]
    id_set = set(ids)
    updated_keys = []

    def scaled_loss(values):
        inner = keras.StatelessScope()
        inner.state_mapping = dict(base)
        inner.state_mapping.update(zip(ids, values))
        with inner:
            loss, aux = loss_fn()
            scaled = optimizer.scale_loss(loss)
        # State that the forward pass assigned (batch-norm statistics, seed
        # generators): keep it, but it is not differentiated.
        changed = [
            k
            for k, v in inner.state_mapping.items()
            if k not in id_set and base.get(k) is not v
        ]
        updated_keys[:] = changed
        return scaled, (loss, aux, [inner.state_mapping[k] for k in changed])

    values = [
        base[i] if i in base else v.value for i, v in zip(ids, variables)
    ]
    grads, (loss, aux, new_values) = jax.grad(scaled_loss, has_aux=True)(
        values
    )
    for key, value in zip(updated_keys, new_values):
        outer.state_mapping[key] = value
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        # Its `apply` assigns variables inside `ops.cond` branches, which
        # leaks tracers under a StatelessScope; its `stateless_apply`
        # returns the new values instead.
        current = [
            outer.state_mapping.get(id(v), v.value) for v in optimizer.variables
        ]
        new_vars, new_opt = optimizer.stateless_apply(current, grads, values)
        for v, value in zip(variables, new_vars):
            outer.state_mapping[id(v)] = value
        for v, value in zip(optimizer.variables, new_opt):
            outer.state_mapping[id(v)] = value
    else:
        optimizer.apply(grads, variables)
    return loss, aux


def stateful_step(model, state, step_fn, *args):
    """Run a stateful `step_fn(*args)` as JAX's pure `train_step` must.

    The JAX trainer calls `train_step(state, data)` with the model's state as
    lists of arrays and expects the new state back. This maps every variable
    onto the values in `state`, runs `step_fn` (which may read and assign
    variables and call `minimize`) in a `keras.StatelessScope`, and collects
    the new values.

    Args:
        model: the `keras.Model` whose `fit()` or `evaluate()` is running.
        state: a 4-tuple (trainable, non-trainable, optimizer, metrics
            variable values) for training, or a 3-tuple without the
            optimizer's for evaluation.
        step_fn: the backend-agnostic step.
        *args: passed to `step_fn`.

    Returns:
        `(logs, new_state)` in the form the JAX trainer expects.

    Example:

    ```python
    logs, new_state = stateful_step(gan, state, gan._train_step, data)
    ```
    """
    groups = [model.trainable_variables, model.non_trainable_variables]
    if len(state) == 4:
        groups.append(model.optimizer.variables)
    groups.append(model.metrics_variables)
    if len(groups) != len(state):
        raise ValueError(
            f"Expected a training state of {len(groups)} groups, "
            f"received {len(state)}."
        )
    mapping = []
    for variables, values in zip(groups, state):
        mapping.extend(zip(variables, values))
    with keras.StatelessScope(state_mapping=mapping) as scope:
        logs = step_fn(*args)
    new_state = tuple(
        [scope.get_current_value(v) for v in variables] for variables in groups
    )
    return logs, new_state


def run_stateful(model, step_fn, *args):
    """Run a stateful step outside `fit()`, on any backend.

    On TensorFlow this simply calls `step_fn(*args)` eagerly. On JAX it maps
    the model's current variable values into a `StatelessScope`, runs the
    step (compiled with `jax.jit` once per model, step and optimizer set,
    unless the model was compiled with `run_eagerly=True`), and writes the
    new values back into the variables.

    Args:
        model: a compiled model (its optimizer's variables are included).
        step_fn: the step, e.g. one phase of a GAN.
        *args: tensors (or nests of tensors) passed to `step_fn`.

    Returns:
        Whatever `step_fn` returns.

    Example:

    ```python
    logs = run_stateful(gan, gan.discriminator_phase, images)
    ```
    """
    groups = [
        model.trainable_variables,
        model.non_trainable_variables,
        model.optimizer.variables,
        model.metrics_variables,
    ]
    state = tuple([v.value for v in variables] for variables in groups)
    if getattr(model, "run_eagerly", False):
        result, new_state = stateful_step(model, state, step_fn, *args)
    else:
        result, new_state = _jitted_step(model, step_fn)(state, *args)
    for variables, values in zip(groups, new_state):
        for variable, value in zip(variables, values):
            variable.assign(value)
    return result


_JITTED = weakref.WeakKeyDictionary()


def _jitted_step(model, step_fn):
    """A `jax.jit` of `stateful_step` for this model and step, cached.

    The cache key includes the optimizer object, so a model compiled again
    (new optimizers, new variables) gets a fresh trace.
    """
    per_model = _JITTED.setdefault(model, {})
    key = (getattr(step_fn, "__func__", step_fn), id(model.optimizer))
    fn = per_model.get(key)
    if fn is None:

        def pure(state, *args):
            return stateful_step(model, state, step_fn, *args)

        fn = jax.jit(pure)
        per_model[key] = fn
    return fn


_INFERENCE = weakref.WeakKeyDictionary()


def inference(network, inputs):
    """Run `network(inputs, training=False)` and return numpy, on any backend.

    On JAX the call is a cached `jax.jit` of `stateless_call` that does not
    donate the variables' buffers: Keras' own `predict_on_batch` donates
    them, which breaks a `fit()` in progress when a callback samples from a
    sub-model whose buffers the training state still holds.

    Args:
        network: a built `keras.Model`.
        inputs: a numpy array, or a list of them for multi-input networks.

    Returns:
        A numpy array (a nest of them for several outputs).

    Example:

    >>> images = inference(gan.generator, z)
    """
    fn = _INFERENCE.get(network)
    if fn is None:

        # `stateless_call` passes `training` straight to `call`, unlike
        # `__call__`; a subclassed network's `call` may not take it.
        kwargs = {"training": False} if _takes_training(network) else {}

        def pure(trainable, non_trainable, x):
            out, _ = network.stateless_call(trainable, non_trainable, x, **kwargs)
            return out

        fn = jax.jit(pure)
        _INFERENCE[network] = fn
    out = fn(
        [v.value for v in network.trainable_variables],
        [v.value for v in network.non_trainable_variables],
        inputs,
    )
    return keras.tree.map_structure(keras.ops.convert_to_numpy, out)


def _takes_training(network):
    """Whether `network.call` accepts a `training` argument."""
    import inspect

    try:
        parameters = inspect.signature(network.call).parameters
    except (TypeError, ValueError):
        return True
    return "training" in parameters or any(
        p.kind == p.VAR_KEYWORD for p in parameters.values()
    )


def export_endpoint_kwargs(platforms):
    """Extra arguments of `ExportArchive.add_endpoint` on JAX: jax2tf lowers
    for `platforms` (e.g. ["cpu", "cuda"]), without gradients.

    Example:

    >>> export_endpoint_kwargs(["cpu"])["jax2tf_kwargs"]["with_gradient"]
    False
    """
    return {
        "jax2tf_kwargs": {
            "native_serialization_platforms": platforms,
            "with_gradient": False,
        }
    }


def fused_batch_norm(inputs, gamma, beta, epsilon):
    """None: XLA fuses the composed batch-norm ops itself, so
    `keras_gans.layers.BatchNormalization` uses Keras' own computation.

    Example:

    >>> fused_batch_norm(None, None, None, 1e-3) is None
    True
    """
    return None


# ------------------------------------------------------------ fast kernels
#
# XLA's CPU backend computes the kernel gradient of a transposed convolution
# (JAX's transpose rule for `lax.conv_transpose` with respect to its kernel:
# a convolution with the batch as the contracted dimension, a reversed and
# dilated 7x7 window, dim_labels 01fb_o01i->f01b) with a slow generic loop:
# in the 28x28 DCGAN step that one op was 66% of the step
# (benchmarks/profile_step.py --backend jax), at under 1 GFLOP/s. The same
# numbers are the kernel gradient of the *forward* strided convolution that
# the transposed one is the adjoint of (the form a discriminator's conv
# gradient takes, which XLA runs fast): dW = grad_W <conv_adj(dy; W), x>,
# where conv_adj(.; W) is the input-gradient (vjp) of conv_transpose(., W).
# `install_fast_kernels` gives Keras' JAX `conv_transpose` a custom VJP
# that computes dW that way and dx as JAX does; the forward pass is Keras'
# own. Same results to float rounding; reverse mode only (as Keras uses),
# differentiable again for penalties. `KERAS_GANS_JAX_FAST_KERNELS=0` turns
# it off (benchmarks/train_step.py's "(before)" lever).

import os as _os  # noqa: E402

_FAST_KERNELS = _os.environ.get("KERAS_GANS_JAX_FAST_KERNELS", "1") != "0"


def _fast_conv_transpose(original):
    def conv_transpose(inputs, kernel, strides=1, padding="valid",
                       output_padding=None, data_format=None, dilation_rate=1):
        inputs = jnp.asarray(inputs)
        kernel = jnp.asarray(kernel)

        def forward(x, w):
            return original(x, w, strides, padding, output_padding, data_format,
                            dilation_rate)

        @jax.custom_vjp
        def transposed(x, w):
            return forward(x, w)

        def fwd(x, w):
            return forward(x, w), (x, w)

        def bwd(res, dy):
            x, w = res
            (dx,) = jax.vjp(lambda xx: forward(xx, w), x)[1](dy)

            def pairing(ww):
                (adjoint,) = jax.vjp(lambda xx: forward(xx, ww), x)[1](dy)
                return jnp.sum(adjoint * x)

            return dx, jax.grad(pairing)(w)

        transposed.defvjp(fwd, bwd)
        return transposed(inputs, kernel)

    conv_transpose._keras_gans_fast = True
    return conv_transpose


def install_fast_kernels():
    """Give Keras' JAX `conv_transpose` the fast kernel gradient (see
    above); idempotent, a no-op with `KERAS_GANS_JAX_FAST_KERNELS=0`.

    Example:

    >>> install_fast_kernels()
    """
    if not _FAST_KERNELS:
        return
    from keras_gans._compat import backend_nn

    knn = backend_nn("jax")

    if not getattr(knn.conv_transpose, "_keras_gans_fast", False):
        knn.conv_transpose = _fast_conv_transpose(knn.conv_transpose)


install_fast_kernels()
