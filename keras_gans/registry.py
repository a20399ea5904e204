"""Pick a model family by name: `register`, `list_models`, `get_class`, `get`.

Every zoo family registers itself under a name; third-party classes can do
the same with the `register` decorator. Presets (named recipes stored as
JSON) live in `keras_gans.presets`; their functions (`from_preset`,
`get_preset`, `list_presets`, ...) stay importable from here too.

Example:

```python
import keras_gans

keras_gans.list_models("*gan")            # ['dcgan', 'vanilla_gan', ...]
model = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=32)
```
"""

import ast
import difflib
import fnmatch
import importlib
import inspect
import os

_MODELS = {}

#: The built-in families, without importing them (Keras and TensorFlow):
#: `{name: (module, class name)}`. `keras-gans list` and `info` read it, so
#: they answer in well under a second; a test checks it against the registry.
BUILTIN_FAMILIES = {
    "acgan": ("keras_gans.models.acgan", "ACGAN"),
    "conditional_gan": ("keras_gans.models.conditional", "ConditionalGAN"),
    "dcgan": ("keras_gans.models.dcgan", "DCGAN"),
    "vae_gan": ("keras_gans.models.vae_gan", "VAEGAN"),
    "vanilla_gan": ("keras_gans.models.vanilla", "VanillaGAN"),
    "wgan_gp": ("keras_gans.models.wgan_gp", "WGANGP"),
}


def _load_builtins():
    """Import the built-in families, which registers them."""
    importlib.import_module("keras_gans.models")


def builtin_docstring(name):
    """A built-in family's class docstring, read from its source file
    without importing it (no TensorFlow start-up).

    Example:

    >>> builtin_docstring("dcgan").splitlines()[0]  # no TensorFlow imported
    'A DCGAN for any H x W x C with H and W divisible by 4.'
    """
    module, class_name = BUILTIN_FAMILIES[name]
    package = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(package, *module.split(".")[1:]) + ".py"
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            return inspect.cleandoc(ast.get_docstring(node) or "")
    return ""


def register(name):
    """Class decorator: make a GAN family available as `keras_gans.get(name)`.

    Args:
        name: the family's name, lower case with underscores ("dcgan").

    Returns:
        The decorator, which returns the class unchanged.

    Example:

    ```python
    @keras_gans.register("my_gan")
    class MyGAN(keras_gans.GAN):
        ...

    model = keras_gans.get("my_gan", latent_dim=32)
    ```
    """

    def decorator(cls):
        existing = _MODELS.get(name)
        if existing is not None and existing is not cls:
            if (existing.__module__, existing.__qualname__) != (
                cls.__module__,
                cls.__qualname__,
            ):
                raise ValueError(
                    f"A model family named {name!r} is already registered "
                    f"({existing.__module__}.{existing.__qualname__}); "
                    "choose another name."
                )
        _MODELS[name] = cls
        cls.family = name
        return cls

    return decorator


def list_models(pattern="*"):
    """Names of the registered families that match a shell-style pattern.

    Args:
        pattern: e.g. "*", "dcgan*", "*gan".

    Returns:
        A sorted list of names.

    Example:

    >>> "dcgan" in list_models("dc*")
    True
    """
    _load_builtins()
    return sorted(n for n in _MODELS if fnmatch.fnmatchcase(n, pattern))


def get_class(name):
    """Return the registered class for `name`, or raise listing close names.

    Example:

    >>> get_class("dcgan").__name__
    'DCGAN'
    """
    if not isinstance(name, str):
        raise TypeError(f"A model name must be a string; received {name!r}.")
    key = name.lower().replace("-", "_")
    if key not in _MODELS:
        _load_builtins()
    if key in _MODELS:
        return _MODELS[key]
    close = difflib.get_close_matches(key, list(_MODELS), n=3, cutoff=0.5)
    hint = f" Close names: {', '.join(close)}." if close else ""
    raise ValueError(
        f"Unknown model {name!r}.{hint} Known models: "
        f"{', '.join(sorted(_MODELS))}."
    )


def get(name, **overrides):
    """Build a model family by name.

    Args:
        name: a registered family name (see `list_models()`).
        **overrides: constructor arguments, e.g. `image_shape=(28, 28, 1)`.

    Returns:
        A new, uncompiled model.

    Example:

    >>> model = get("dcgan", image_shape=(8, 8, 1), latent_dim=16)
    >>> model.latent_dim
    16
    """
    return get_class(name)(**overrides)


# Names that moved to `keras_gans.presets`; importable from here as before
# (`from keras_gans.registry import from_preset`). Looked up lazily, since
# `keras_gans.presets` itself imports this module.
_PRESET_NAMES = (
    "preset_dir",
    "validate_preset",
    "list_presets",
    "get_preset",
    "preset_path",
    "register_preset",
    "build_preset",
    "from_preset",
    "count_model_params",
    "_USER_PRESETS",
    "_BUILTIN_CACHE",
)


def __getattr__(name):
    if name in _PRESET_NAMES:
        from keras_gans import presets

        return getattr(presets, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_PRESET_NAMES))
