"""The TensorFlow side of `keras_gans.backend` (see its docstring).

`GradientTape` for gradients; `tf.distribute` for replicas. Chosen at import
when `KERAS_BACKEND=tensorflow`.

Example:

>>> from keras_gans.backend import _tensorflow
>>> _tensorflow.replica_count()
1
"""

import contextlib

import keras
import tensorflow as tf

from keras_gans import _compat


def replica_count():
    """How many replicas run this step in sync (1 outside `tf.distribute`).

    Inside the replica function of a `MirroredStrategy` or
    `MultiWorkerMirroredStrategy` this is `num_replicas_in_sync` (over all
    workers); in the cross-replica context (code run once, outside
    `strategy.run`) it is 1.

    Example:

    >>> replica_count()
    1
    """
    context = tf.distribute.get_replica_context()
    if context is None:
        return 1
    return int(context.num_replicas_in_sync)


def replica_id():
    """The index of the replica running this code, in [0, replica_count()).

    Returns:
        0 outside `tf.distribute`; inside a replica function,
        `replica_id_in_sync_group` (a scalar int32 tensor or a Python int).

    Example:

    >>> replica_id()
    0
    """
    if replica_count() == 1:
        return 0
    context = tf.distribute.get_replica_context()
    if context is None:
        return 0
    return context.replica_id_in_sync_group


def distributable_logs(logs):
    """Make a step's scalar logs survive Keras' multi-worker reduction.

    Keras 3's TensorFlow trainer reduces each log with
    `strategy.reduce("MEAN", value, axis=0)` under a multi-worker
    `MultiWorkerMirroredStrategy`, which fails on scalars
    (tensorflow/tensorflow#72388). There, each scalar gets a leading axis
    of size 1, which that reduction removes again; elsewhere the logs are
    returned unchanged.

    Example:

    ```python
    return distributable_logs(self._update_trackers(logs))
    ```
    """
    strategy = tf.distribute.get_strategy()
    if not isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy):
        return logs
    extended = strategy.extended
    in_multi_worker = getattr(extended, "_in_multi_worker_mode", lambda: True)()
    if not in_multi_worker:
        return logs
    return {k: tf.reshape(v, (1,)) if v.shape.rank == 0 else v for k, v in logs.items()}


def variable_scope(model):
    """The scope of the `tf.distribute` strategy `model` was created under.

    So that optimizers built in `compile()` are mirrored like the model's
    weights, even when `compile()` is called outside `strategy.scope()`.

    Example:

    ```python
    with variable_scope(gan):
        optimizer.build(gan.discriminator.trainable_variables)
    ```
    """
    strategy = _compat.distribute_strategy(model)
    if strategy is not None and not tf.distribute.has_strategy():
        return strategy.scope()
    return contextlib.nullcontext()


def gradients(fn, x):
    """The gradient of `sum(fn(x))` with respect to the tensor `x`.

    An inner `GradientTape` records under the outer one of `minimize`, so
    a penalty on this gradient is differentiated again.

    Example:

    ```python
    grads = gradients(lambda t: critic(t, training=True), interpolates)
    ```
    """
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
        total = tf.reduce_sum(tf.cast(y, "float32"))
    return tape.gradient(total, x)


def minimize(loss_fn, variables, optimizer):
    """Differentiate `loss_fn()` over `variables` and apply `optimizer`.

    `loss_fn` returns `(loss, aux)`; `(loss, aux)` is returned. Each
    replica's loss is divided by `replica_count()` before differentiation
    (the optimizer sums the replicas' gradients). A `LossScaleOptimizer`
    scales the loss here and unscales the gradients in `apply`.

    Example:

    ```python
    loss, _ = minimize(lambda: (ops.mean(d(x)), None), d.trainable_variables, opt)
    ```
    """
    variables = list(variables)
    replicas = replica_count()
    with tf.GradientTape() as tape:
        loss, aux = loss_fn()
        scaled = loss if replicas == 1 else loss / replicas
        scaled = optimizer.scale_loss(scaled)
    grads = tape.gradient(scaled, variables)
    optimizer.apply(grads, variables)
    return loss, aux


def train_step(model, step_fn, *args):
    """Run `step_fn(data)` as Keras' TensorFlow trainer calls `train_step`.

    Example:

    ```python
    def train_step(self, *args):
        return backend.train_step(self, self._train_step, *args)
    ```
    """
    return distributable_logs(step_fn(*args))


def run_stateful(model, step_fn, *args):
    """Run a stateful step eagerly, outside `fit()`: simply calls it.

    Example:

    ```python
    logs = run_stateful(gan, gan.run_phase, "discriminator", images)
    ```
    """
    return step_fn(*args)


def inference(network, inputs):
    """Run `network(inputs, training=False)` and return numpy.

    Example:

    >>> images = inference(gan.generator, z)
    """
    return keras.tree.map_structure(
        keras.ops.convert_to_numpy, network(inputs, training=False)
    )


def sync_state(model):
    """Nothing to do: TensorFlow variables are always current.

    Example:

    >>> sync_state(gan)
    """
    return None


def export_endpoint_kwargs(platforms):
    """Extra arguments of `ExportArchive.add_endpoint`: none on TensorFlow.

    Example:

    >>> export_endpoint_kwargs(None)
    {}
    """
    return {}


def fused_batch_norm(inputs, gamma, beta, epsilon):
    """Batch normalization in training mode as one TensorFlow kernel.

    `FusedBatchNormV3` computes the batch moments, normalizes, scales and
    shifts in one pass, and its gradient is one kernel too; Keras'
    `BatchNormalization` composes the same maths from about ten ops. On a
    2-core CPU this made the DCGAN step 1.16x faster
    (benchmarks/train_step.py).

    Args:
        inputs: float32 NHWC tensor (rank 4). Rank-2 inputs are refused:
            reshaped to 4-D around the kernel, TensorFlow's graph optimizer
            fused the kernel with a following ReLU in a way that turned NaN
            into 0, hiding a diverged generator from `TerminateOnNaN`.
        gamma, beta: the per-channel scale and offset.
        epsilon: added to the variance.

    Returns:
        `(outputs, mean, variance)`, the variance biased (divided by n, as
        Keras keeps it), or None when the kernel cannot take these inputs
        (another dtype, or a rank other than 4): the caller then uses the
        composed ops.

    Example:

    >>> x = tf.random.normal((8, 4, 4, 3))
    >>> y, mean, var = fused_batch_norm(x, tf.ones(3), tf.zeros(3), 1e-3)
    >>> y.shape, mean.shape
    (TensorShape([8, 4, 4, 3]), TensorShape([3]))
    """
    if inputs.dtype != tf.float32 or len(inputs.shape) != 4:
        return None
    y, mean, variance = tf.compat.v1.nn.fused_batch_norm(
        inputs, tf.cast(gamma, tf.float32), tf.cast(beta, tf.float32), epsilon=epsilon,
        is_training=True)
    # The kernel returns the Bessel-corrected variance (n - 1).
    n = tf.cast(tf.size(inputs) // tf.shape(inputs)[-1], variance.dtype)
    variance = variance * (n - 1.0) / n
    # A separate op between the kernel and what follows: TensorFlow's graph
    # optimizer would otherwise fuse the kernel with a following ReLU into
    # one whose ReLU turns NaN into 0, hiding a diverged network from
    # TerminateOnNaN and DivergenceGuard.
    y = tf.ensure_shape(y, inputs.shape)
    return y, mean, variance
