"""The one place where Keras backends differ for keras_gans.

Every training step in the package is written once with `keras.ops`. What a
step cannot express backend-agnostically is "differentiate this loss with
respect to these variables and let this optimizer update them", and, under
JAX, "run this stateful step function as a pure function of the training
state that `fit()` threads through its compiled step". Both live here and
nowhere else.

Supported backends: TensorFlow (GradientTape) and JAX (`jax.grad` inside
`keras.StatelessScope`). Other backends raise a clear error.

Distribution: under `tf.distribute` strategies every replica runs the step
on its share of the global batch and the optimizer sums the replicas'
gradients, so `minimize` divides each replica's loss by `replica_count()`
(Keras loss objects do this themselves; hand-written ops-level losses do
not). `replica_id()` lets random draws differ per replica. Under JAX,
`keras.distribution.DataParallel` runs one program over global arrays: there
is one "replica" and nothing needs scaling.
"""

import weakref

import keras
from keras.src.backend.common.stateless_scope import get_stateless_scope

SUPPORTED_BACKENDS = ("tensorflow", "jax")


def name():
    """Return the active Keras backend's name.

    Example:

    >>> name() in ("tensorflow", "jax")
    True
    """
    return keras.backend.backend()


def check_supported():
    """Raise a clear error when the active backend is not supported.

    Example:

    >>> check_supported()  # passes on TensorFlow and JAX
    """
    if name() not in SUPPORTED_BACKENDS:
        raise RuntimeError(
            f"keras_gans supports the backends {SUPPORTED_BACKENDS}; the active "
            f"Keras backend is {name()!r}. Set KERAS_BACKEND=tensorflow or "
            "KERAS_BACKEND=jax before importing keras."
        )


def replica_count():
    """How many replicas run this step in sync (1 outside `tf.distribute`).

    Under `tf.distribute.MirroredStrategy` or
    `MultiWorkerMirroredStrategy`, inside the replica function, this is
    `num_replicas_in_sync` (over all workers); in the cross-replica context
    (code run once, outside `strategy.run`) it is 1. Under JAX, including
    `keras.distribution.DataParallel`, it is always 1: the step sees the
    global batch.

    Returns:
        A Python int.

    Example:

    >>> replica_count()
    1
    """
    if name() != "tensorflow":
        return 1
    import tensorflow as tf

    context = tf.distribute.get_replica_context()
    if context is None:
        # Cross-replica context (inside `strategy.scope()`, outside
        # `strategy.run`): code here runs once, not per replica.
        return 1
    return int(context.num_replicas_in_sync)


def replica_id():
    """The index of the replica running this code, in [0, replica_count()).

    Returns:
        0 outside `tf.distribute` and under JAX; inside a `tf.distribute`
        replica function, `replica_id_in_sync_group` (a scalar int32
        tensor, or a Python int).

    Example:

    >>> replica_id()
    0
    """
    if name() != "tensorflow" or replica_count() == 1:
        return 0
    import tensorflow as tf

    context = tf.distribute.get_replica_context()
    if context is None:
        return 0
    return context.replica_id_in_sync_group


def distributable_logs(logs):
    """Make a step's scalar logs survive Keras' multi-worker reduction.

    Keras 3's TensorFlow trainer reduces each log with
    `strategy.reduce("MEAN", value, axis=0)` under a multi-worker
    `MultiWorkerMirroredStrategy`, which fails on scalars ("Invalid
    reduction dimension 0 for input with 0 dimensions",
    tensorflow/tensorflow#72388). There, each scalar gets a leading axis of
    size 1, which that reduction removes again; elsewhere the logs are
    returned unchanged.

    Args:
        logs: a dict of scalar tensors returned by a train or test step.

    Returns:
        The logs, reshaped to `(1,)` only under multi-worker training.

    Example:

    ```python
    return distributable_logs(self._update_trackers(logs))
    ```
    """
    if name() != "tensorflow":
        return logs
    import tensorflow as tf

    strategy = tf.distribute.get_strategy()
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return logs
    extended = strategy.extended
    in_multi_worker = getattr(extended, "_in_multi_worker_mode", lambda: True)()
    if not in_multi_worker:
        return logs
    return {k: tf.reshape(v, (1,)) if v.shape.rank == 0 else v for k, v in logs.items()}


def variable_scope(model):
    """A context in which to create `model`'s optimizer variables.

    Under TensorFlow, the scope of the `tf.distribute` strategy the model
    was created under (so that optimizers built in `compile()` are mirrored
    like the model's weights, even when `compile()` is called outside
    `strategy.scope()`); otherwise a no-op context.

    Example:

    ```python
    with variable_scope(gan):
        optimizer.build(gan.discriminator.trainable_variables)
    ```
    """
    import contextlib

    strategy = getattr(model, "_distribute_strategy", None)
    if name() == "tensorflow" and strategy is not None:
        import tensorflow as tf

        if not tf.distribute.has_strategy():
            return strategy.scope()
    return contextlib.nullcontext()


def gradients(fn, x):
    """The gradient of `sum(fn(x))` with respect to the tensor `x`.

    Meant for penalties on the input gradient of a discriminator (WGAN-GP,
    R1) computed *inside* a loss that `minimize` differentiates again: on
    TensorFlow an inner `GradientTape` records under the outer one; on JAX
    `jax.grad` nests inside the outer `jax.grad`. When `fn` treats samples
    independently (no batch norm), row `i` of the result is the gradient of
    `fn(x)[i]` with respect to `x[i]`.

    State that `fn` assigns (batch-norm statistics, seed generators) is
    discarded on JAX; give `fn` a network without such state.

    Args:
        fn: a function of one tensor returning a tensor (e.g. the critic's
            scores of shape `(batch, 1)`).
        x: the input tensor.

    Returns:
        A tensor of the shape of `x`.

    Example:

    ```python
    grads = gradients(lambda t: critic(t, training=True), interpolates)
    norms = ops.sqrt(ops.sum(ops.square(grads), axis=(1, 2, 3)))
    ```
    """
    backend = name()
    if backend == "tensorflow":
        import tensorflow as tf

        x = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
            total = tf.reduce_sum(tf.cast(y, "float32"))
        return tape.gradient(total, x)
    if backend == "jax":
        import jax
        import jax.numpy as jnp

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
    check_supported()


def minimize(loss_fn, variables, optimizer):
    """Differentiate `loss_fn()` over `variables` and apply `optimizer`.

    Only `variables` move. Other state that `loss_fn` updates (batch-norm
    moving statistics, seed generators, metric trackers) is kept.

    Args:
        loss_fn: a function of no arguments returning `(loss, aux)` where
            `loss` is a scalar tensor and `aux` any nest of tensors to pass
            back. It reads model variables normally.
        variables: the list of trainable variables to differentiate over.
        optimizer: a built `keras.optimizers.Optimizer` (a
            `LossScaleOptimizer` works: the loss is scaled before
            differentiation and the gradients unscaled by `apply`).

    Under `tf.distribute` each replica's loss is divided by
    `replica_count()` before differentiation, so that the optimizer's sum
    of the replicas' gradients is the gradient of the global batch's mean.

    Returns:
        `(loss, aux)` as computed by `loss_fn` (unscaled; under
        `tf.distribute`, the replica's own loss).

    Example:

    ```python
    def d_loss_fn():
        loss = ops.mean(ops.square(discriminator(x)))
        return loss, None

    loss, _ = minimize(d_loss_fn, discriminator.trainable_variables, d_opt)
    ```
    """
    variables = list(variables)
    backend = name()
    if backend == "tensorflow":
        return _tf_minimize(loss_fn, variables, optimizer)
    if backend == "jax":
        return _jax_minimize(loss_fn, variables, optimizer)
    check_supported()


def _tf_minimize(loss_fn, variables, optimizer):
    import tensorflow as tf

    replicas = replica_count()
    with tf.GradientTape() as tape:
        loss, aux = loss_fn()
        scaled = loss if replicas == 1 else loss / replicas
        scaled = optimizer.scale_loss(scaled)
    grads = tape.gradient(scaled, variables)
    optimizer.apply(grads, variables)
    return loss, aux


def _jax_minimize(loss_fn, variables, optimizer):
    import jax

    outer = get_stateless_scope()
    if outer is None:
        raise RuntimeError(
            "Under JAX, keras_gans.backend.minimize must run inside "
            "keras_gans.backend.stateful_step (GAN.train_step does this)."
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
    def train_step(self, *args):
        if keras_gans.backend.name() == "jax":
            state, data = args
            return keras_gans.backend.stateful_step(
                self, state, self._train_step, data)
        return self._train_step(*args)
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
    if name() != "jax":
        return step_fn(*args)
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
    import jax

    per_model = _JITTED.setdefault(model, {})
    key = (getattr(step_fn, "__func__", step_fn), id(model.optimizer))
    fn = per_model.get(key)
    if fn is None:

        def pure(state, *args):
            return stateful_step(model, state, step_fn, *args)

        fn = jax.jit(pure)
        per_model[key] = fn
    return fn
