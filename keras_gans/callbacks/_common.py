"""Helpers shared by the callbacks (private to `keras_gans.callbacks`)."""

import numpy as np

from keras_gans import backend as gan_backend


def _sync_jax_state(model):
    """Write JAX's in-flight training state back into the model's variables."""
    gan_backend.sync_state(model)


def _check_every(every):
    if not isinstance(every, int) or isinstance(every, bool) or every < 1:
        raise ValueError(f"`every` must be a positive integer; received {every!r}.")
    return every


def _require_generative(model, who, sampling=False):
    """Raise unless `model` has what callback `who` uses.

    With `sampling=True` the model must also draw its own generator inputs
    with `sample_inputs(num_samples, seed)` (every `keras_gans.GAN` does).
    """
    missing = [a for a in ("latent_dim",) if getattr(model, a, None) is None]
    if missing or not (hasattr(model, "generate") or hasattr(model, "generator")):
        raise ValueError(
            f"{who} needs a GAN-like model with `latent_dim` and "
            "`generate()` or `generator`; received "
            f"{type(model).__name__}."
        )
    if sampling and not callable(getattr(model, "sample_inputs", None)):
        raise ValueError(
            f"{who} needs a model with `sample_inputs(num_samples, seed)` "
            "(every keras_gans.GAN has it) to draw its fixed noise; received "
            f"{type(model).__name__} without one."
        )


def _generator_of(model):
    generator = getattr(model, "generator", None)
    if generator is None:
        raise ValueError(
            "Expected a GAN-like model with a `generator` attribute; received "
            f"{type(model).__name__} without one."
        )
    return generator


def _scalar_logs(results):
    """Keep only the scalar entries of a metrics dict (logs hold scalars)."""
    return {
        k: float(v)
        for k, v in results.items()
        if isinstance(v, (int, float, np.floating, np.integer))
        and k not in ("num_real", "num_fake")
    }
