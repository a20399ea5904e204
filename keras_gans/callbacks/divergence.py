"""`DivergenceGuard`: stops on a non-finite or exploding loss."""

import math
import warnings

import keras
import numpy as np

from keras_gans.callbacks._common import _sync_jax_state


class DivergenceWarning(UserWarning):
    """Issued by `DivergenceGuard` when it stops training.

    Example:

    >>> warnings.simplefilter("always", DivergenceWarning)
    """


class DivergenceGuard(keras.callbacks.Callback):
    """Stop on a non-finite or exploding loss and restore the last good weights.

    Checks the monitored losses after every batch (and every epoch). A NaN or
    infinite value stops training at once; a value whose magnitude exceeds
    `max_loss` for `patience` consecutive batches stops it too. On a stop the
    guard issues a `DivergenceWarning` that names the loss, its value, the
    epoch and batch, and (with `restore=True`) puts back the model's weights
    and optimizer state from the last good snapshot.

    Snapshots (numpy copies of `model.weights` and `model.optimizer.variables`)
    are taken when training begins and at the end of every epoch whose losses
    were good; with `snapshot_every=N` also every N batches (under JAX each
    such snapshot first calls `model.jax_state_sync()`).

    Args:
        max_loss: magnitude above which a loss counts as exploding (None:
            only non-finite values stop).
        patience: consecutive exploding batches tolerated before stopping.
        monitor: log keys to watch; default every key containing "loss"
            (`d_loss`, `g_loss`, ...).
        restore: restore the last good weights on a stop.
        snapshot_every: also snapshot every N batches (None: epochs only).
        verbose: also print the message.

    Attributes:
        diverged: True after a stop.
        message: the stop message, or None.
        stopped_epoch: 0-based epoch of the stop, or None.

    Example:

    >>> guard = DivergenceGuard(max_loss=1e3, patience=5)
    >>> gan.fit(data, epochs=100, callbacks=[guard])
    >>> guard.diverged, guard.message
    """

    def __init__(
        self,
        max_loss=1e4,
        patience=5,
        monitor=None,
        restore=True,
        snapshot_every=None,
        verbose=True,
    ):
        super().__init__()
        if max_loss is not None and not float(max_loss) > 0:
            raise ValueError(f"max_loss must be positive or None; received {max_loss!r}.")
        if int(patience) < 1:
            raise ValueError(f"patience must be >= 1; received {patience!r}.")
        self.max_loss = None if max_loss is None else float(max_loss)
        self.patience = int(patience)
        self.monitor = [monitor] if isinstance(monitor, str) else monitor
        self.restore = restore
        self.snapshot_every = snapshot_every
        self.verbose = verbose
        self.diverged = False
        self.message = None
        self.stopped_epoch = None
        self._snapshot = None
        self._snapshot_at = None
        self._bad = 0
        self._epoch = 0

    # -- snapshots -------------------------------------------------------

    def _take_snapshot(self, where):
        model = self.model
        weights = [keras.ops.convert_to_numpy(v.value) for v in model.weights]
        optimizer = getattr(model, "optimizer", None)
        opt_vars = None
        if optimizer is not None:
            opt_vars = [keras.ops.convert_to_numpy(v.value) for v in optimizer.variables]
        self._snapshot = (weights, opt_vars)
        self._snapshot_at = where

    def _restore_snapshot(self):
        if self._snapshot is None:
            return "no snapshot was available; the weights were left as they are"
        weights, opt_vars = self._snapshot
        model = self.model
        for v, w in zip(model.weights, weights):
            v.assign(w)
        note = f"restored the weights from {self._snapshot_at}"
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and opt_vars is not None:
            if len(optimizer.variables) == len(opt_vars):
                for v, w in zip(optimizer.variables, opt_vars):
                    v.assign(w)
                note += " (with the optimizer state)"
            else:
                note += " (the optimizer state changed shape and was not restored)"
        return note

    # -- checks ----------------------------------------------------------

    def _monitored(self, logs):
        keys = self.monitor or [k for k in logs if "loss" in k]
        out = []
        for key in keys:
            if key not in logs:
                continue
            try:
                out.append((key, float(np.asarray(logs[key]))))
            except (TypeError, ValueError):
                continue
        return out

    def _problem(self, logs):
        exploding = None
        for key, value in self._monitored(logs):
            if not math.isfinite(value):
                return f"{key} = {value} is not finite"
            if self.max_loss is not None and abs(value) > self.max_loss:
                exploding = (key, value)
        if exploding is None:
            self._bad = 0
            return None
        self._bad += 1
        if self._bad >= self.patience:
            key, value = exploding
            return (
                f"|{key}| = {abs(value):.4g} exceeded max_loss={self.max_loss:g} "
                f"for {self._bad} consecutive checks"
            )
        return None

    def _stop(self, problem, where):
        _sync_jax_state(self.model)
        self.model.stop_training = True
        self.diverged = True
        self.stopped_epoch = self._epoch
        note = self._restore_snapshot() if self.restore else "the weights were left as they are (restore=False)"
        self.message = (
            f"DivergenceGuard stopped training at {where}: {problem}; {note}."
        )
        if self.verbose:
            print(self.message)
        warnings.warn(DivergenceWarning(self.message), stacklevel=2)

    # -- callback hooks --------------------------------------------------

    def on_train_begin(self, logs=None):
        self.diverged = False
        self.message = None
        self.stopped_epoch = None
        self._bad = 0
        self._take_snapshot("the start of training")

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.diverged:
            return
        problem = self._problem(logs or {})
        where = f"epoch {self._epoch + 1}, batch {batch + 1}"
        if problem:
            self._stop(problem, where)
        elif self.snapshot_every and (batch + 1) % int(self.snapshot_every) == 0 and self._bad == 0:
            _sync_jax_state(self.model)
            self._take_snapshot(f"the end of {where}")

    def on_epoch_end(self, epoch, logs=None):
        if self.diverged:
            return
        problem = None
        for key, value in self._monitored(logs or {}):
            if not math.isfinite(value):
                problem = f"the epoch mean of {key} = {value} is not finite"
        if problem:
            self._stop(problem, f"the end of epoch {epoch + 1}")
        elif self._bad == 0:
            self._take_snapshot(f"the end of epoch {epoch + 1}")
