"""keras_gans: a model zoo of generative adversarial networks for Keras 3.

Example:

```python
import keras_gans

gan = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=32)
gan.compile()
gan.fit(keras_gans.datasets.load_digits(), batch_size=64, epochs=20)
keras_gans.images.save_grid(gan.generate(64, seed=0), "samples.png")
```

The package imports lazily: `import keras_gans` is instant, and Keras (with
TensorFlow or JAX) is imported on first use of a name that needs it, e.g.
`keras_gans.DCGAN` or `keras_gans.datasets`. So `keras-gans --help`, `list`
and `info` answer in well under a second.

The zoo's classes are still registered with Keras' serialization as soon
as Keras is there (`import keras_gans; keras.saving.load_model("x.keras")`
works as before): at `import keras_gans` when Keras is already imported,
else right after Keras is first imported.
"""

import importlib
import importlib.abc
import sys

__version__ = "0.1.0"

#: Submodules, imported on first attribute access.
_SUBMODULES = (
    "backend", "callbacks", "datasets", "evaluation", "export", "files", "images",
    "layers", "losses", "models", "nets", "optimizers", "plotting", "presets",
    "registry", "regularizers", "augmentation", "runs", "validation", "nets_resnet",
)

#: Names re-exported from submodules: `{name: module}`.
_NAMES = {
    "ACGAN": "keras_gans.models",
    "ConditionalGAN": "keras_gans.models",
    "DCGAN": "keras_gans.models",
    "GAN": "keras_gans.models",
    "OptimizerGroup": "keras_gans.models",
    "VAEGAN": "keras_gans.models",
    "VanillaGAN": "keras_gans.models",
    "WGANGP": "keras_gans.models",
    "get": "keras_gans.registry",
    "get_class": "keras_gans.registry",
    "list_models": "keras_gans.registry",
    "register": "keras_gans.registry",
    "from_preset": "keras_gans.presets",
    "get_preset": "keras_gans.presets",
    "list_presets": "keras_gans.presets",
    "register_preset": "keras_gans.presets",
    "export_generator": "keras_gans.export",
}

__all__ = sorted(set(_NAMES) | {
    "backend", "callbacks", "datasets", "evaluation", "images", "layers",
    "losses", "nets", "plotting", "presets", "registry", "runs", "validation",
})


def __getattr__(name):
    """Import a submodule or a re-exported name on first use (PEP 562).

    Example:

    >>> import keras_gans, sys
    >>> "keras" in sys.modules  # False until a model is asked for
    >>> keras_gans.DCGAN  # imports Keras and the zoo now
    """
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"keras_gans.{name}")
    elif name[:1].isupper() and name in importlib.import_module("keras_gans.models").FAMILIES:
        # A family added as one file in keras_gans/models/ needs no entry above.
        value = importlib.import_module("keras_gans.models").FAMILIES[name]
    else:
        raise AttributeError(f"module 'keras_gans' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_NAMES) | set(_SUBMODULES))


#: Modules whose import registers the zoo's serializable classes with Keras.
_REGISTERING = ("keras_gans.models", "keras_gans.layers")


def _register_with_keras():
    for module in _REGISTERING:
        importlib.import_module(module)


#: The Keras backends' top-level modules and the extra that installs each.
_BACKEND_EXTRAS = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def _missing_backend(error):
    """One clear line for a Keras backend that is not installed.

    Example:

    >>> str(_missing_backend(ModuleNotFoundError(name="torch")))[:40]
    'The Keras backend torch (KERAS_BACKEND=t'
    """
    missing = (error.name or "").split(".")[0]
    if missing not in _BACKEND_EXTRAS:
        return error
    return ImportError(
        f"The Keras backend {missing} (KERAS_BACKEND={missing}) is not "
        f"installed: no module named {missing!r}. Install it with "
        f"`pip install keras-gans[{_BACKEND_EXTRAS[missing]}]`, or pick an "
        "installed backend with KERAS_BACKEND=tensorflow, jax or torch."
    )


class _AfterKerasImport(importlib.abc.MetaPathFinder):
    """Registers the zoo with Keras right after Keras is first imported."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "keras":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            spec = finder.find_spec(fullname, path, target) if hasattr(
                finder, "find_spec") else None
            if spec is not None:
                break
        else:
            return None
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_then_register(module):
            try:
                exec_module(module)
            except ModuleNotFoundError as error:
                raise _missing_backend(error) from None
            _register_with_keras()

        loader.exec_module = exec_then_register
        return spec


if "keras" in sys.modules:
    _register_with_keras()
elif not any(isinstance(f, _AfterKerasImport) for f in sys.meta_path):
    sys.meta_path.insert(0, _AfterKerasImport())
