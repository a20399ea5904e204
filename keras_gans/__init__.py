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
and `info` (and any command given a name that is neither a path nor a zoo
name) answer without starting TensorFlow.

`keras_gans.load_model(path)` opens a saved GAN with one clear line for a
damaged or wrong file (see `keras_gans.loading`).

The zoo's classes are still registered with Keras' serialization as soon
as Keras is there (`import keras_gans; keras.saving.load_model("x.keras")`
works as before): at `import keras_gans` when Keras is already imported,
else right after Keras is first imported.
"""

import importlib
import importlib.abc
import importlib.util
import sys

__version__ = "0.1.0"

#: Submodules, imported on first attribute access.
_SUBMODULES = (
    "backend", "callbacks", "datasets", "evaluation", "export", "families", "files",
    "images", "layers", "losses", "models", "nets", "networks", "optimizers",
    "plotting", "presets", "registry", "regularizers", "augmentation", "runs",
    "validation", "nets_resnet", "loading", "names", "parts",
)

#: Names re-exported from submodules: `{name: module}`. The families'
#: classes (`keras_gans.DCGAN`, ...) come from `keras_gans.registry`.
_NAMES = {
    "GAN": "keras_gans.models",
    "OptimizerGroup": "keras_gans.models",
    "get": "keras_gans.registry",
    "get_class": "keras_gans.registry",
    "list_models": "keras_gans.registry",
    "register": "keras_gans.registry",
    "from_preset": "keras_gans.presets",
    "get_preset": "keras_gans.presets",
    "list_presets": "keras_gans.presets",
    "register_preset": "keras_gans.presets",
    "export_generator": "keras_gans.export",
    "load_model": "keras_gans.loading",
}

#: Modules that moved when each family got its own folder, importable under
#: their old names (`from keras_gans.layers import BatchNormalization`).
_MOVED = {
    "keras_gans.nets": "keras_gans.networks.dcgan",
    "keras_gans.layers": "keras_gans.networks.layers",
    "keras_gans.layers_sngan": "keras_gans.networks.spectral_norm",
    "keras_gans.nets_sngan": "keras_gans.networks.sn_resnet",
    "keras_gans.layers_style": "keras_gans.networks.style_layers",
    "keras_gans.nets_style": "keras_gans.families.style_gan.networks",
    "keras_gans.nets_infogan": "keras_gans.families.infogan.networks",
    "keras_gans.nets_resnet": "keras_gans.families.r3gan.networks",
    "keras_gans.models.acgan": "keras_gans.families.acgan.model",
    "keras_gans.models.conditional": "keras_gans.families.conditional_gan.model",
    "keras_gans.models.dcgan": "keras_gans.families.dcgan.model",
    "keras_gans.models.infogan": "keras_gans.families.infogan.model",
    "keras_gans.models.r3gan": "keras_gans.families.r3gan.model",
    "keras_gans.models.sngan": "keras_gans.families.sngan.model",
    "keras_gans.models.style_gan": "keras_gans.families.style_gan.model",
    "keras_gans.models.vae_gan": "keras_gans.families.vae_gan.model",
    "keras_gans.models.vanilla": "keras_gans.families.vanilla_gan.model",
    "keras_gans.models.wgan_gp": "keras_gans.families.wgan_gp.model",
}

__all__ = sorted(set(_NAMES) | {
    "backend", "callbacks", "datasets", "evaluation", "families", "images", "layers",
    "losses", "nets", "networks", "plotting", "presets", "registry", "runs", "validation",
    "loading", "names", "parts",
})


def __getattr__(name):
    """Import a submodule or a re-exported name on first use (PEP 562).

    Example:

    >>> import keras_gans, sys
    >>> "keras" in sys.modules  # False until a model is asked for
    >>> keras_gans.DCGAN  # imports Keras and the zoo now
    """
    if _WAITING_FOR and not any(spec._initializing for spec in _WAITING_FOR):
        _register_with_keras()
    if name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"keras_gans.{name}")
    elif name[:1].isupper() and name in (
            classes := importlib.import_module("keras_gans.registry").class_names()):
        # A family folder's class: keras_gans/families/<name>/model.py.
        value = importlib.import_module("keras_gans.registry").get_class(classes[name])
    else:
        raise AttributeError(f"module 'keras_gans' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    from keras_gans import registry

    return sorted(set(globals()) | set(_NAMES) | set(_SUBMODULES) | set(registry.class_names()))


#: The half-imported modules that put off `_register_with_keras`.
_WAITING_FOR = []


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports a moved module under its old name (see `_MOVED`): the old name
    is the same module object as the new one."""

    def find_spec(self, fullname, path=None, target=None):
        if _WAITING_FOR and not any(spec._initializing for spec in _WAITING_FOR):
            _register_with_keras()
        if fullname not in _MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return importlib.import_module(_MOVED[spec.name])

    def exec_module(self, module):
        pass


if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
    # First: ahead of any finder that could find a stale copy of an old file.
    sys.meta_path.insert(0, _MovedModules())


def _register_with_keras():
    """Import every family folder and the shared networks, which registers
    their serializable classes with Keras.

    When Keras was first imported by one of those very modules (say
    `import keras_gans.networks.dcgan`), importing the families now would
    import that half-done module; the registry then loads them on its
    first lookup instead.
    """
    for name, module in list(sys.modules.items()):
        # Any half-imported zoo module (a family, a network, or a part such
        # as keras_gans.parts that the families' modules import back).
        if name.startswith("keras_gans.") \
                and getattr(getattr(module, "__spec__", None), "_initializing", False):
            return
    importlib.import_module("keras_gans.networks.layers")
    importlib.import_module("keras_gans.registry")._load_builtins()


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
