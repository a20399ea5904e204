"""The single-replica answers shared by the JAX and torch backends.

TensorFlow's `tf.distribute` needs per-replica loss scaling, replica ids and
a variable scope; Keras' JAX and torch trainers run one replica per process
(JAX's data parallelism shards inside one program), so their backends take
these from here.

Example:

>>> from keras_gans.backend import _single_replica
>>> _single_replica.replica_count(), _single_replica.replica_id()
(1, 0)
"""

import contextlib


def replica_count():
    """1: one replica per process (JAX shards global arrays in one program).

    Example:

    >>> replica_count()
    1
    """
    return 1


def replica_id():
    """0: the one replica.

    Example:

    >>> replica_id()
    0
    """
    return 0


def distributable_logs(logs):
    """The logs, unchanged (only TensorFlow's multi-worker reduction needs more).

    Example:

    >>> distributable_logs({"d_loss": 0.5})
    {'d_loss': 0.5}
    """
    return logs


def variable_scope(model):
    """A no-op context: JAX variables need no distribution scope.

    Example:

    ```python
    with variable_scope(gan):
        optimizer.build(gan.discriminator.trainable_variables)
    ```
    """
    return contextlib.nullcontext()
