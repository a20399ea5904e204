"""Placeholder implementation for backends keras_gans does not support.

Every function raises the error of `keras_gans.backend.check_supported`,
so importing keras_gans under, say, the torch backend works, and the first
use says clearly what to do.

Example:

>>> minimize(lambda: (0.0, None), [], None)  # under KERAS_BACKEND=torch
Traceback (most recent call last):
RuntimeError: keras_gans supports the backends ('tensorflow', 'jax'); ...
"""


def _refuse(*args, **kwargs):
    from keras_gans.backend import check_supported

    check_supported()


minimize = gradients = train_step = run_stateful = inference = _refuse
sync_state = distributable_logs = variable_scope = _refuse


def replica_count():
    """1: there is no distribution to speak of."""
    return 1


def replica_id():
    """0: there is no distribution to speak of."""
    return 0

export_endpoint_kwargs = _refuse


def fused_batch_norm(inputs, gamma, beta, epsilon):
    """None: the layer falls back to Keras' own computation."""
    return None
