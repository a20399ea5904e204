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

def _scan_builtin_families():
    """`{name: (module, class name)}` of every `@register("name")` class in
    keras_gans/models/, read from the source files without importing them
    (no Keras or TensorFlow start-up). A family added as one file appears
    here by itself; a test checks this against the registry.

    Example:

    >>> _scan_builtin_families()["dcgan"]
    ('keras_gans.models.dcgan', 'DCGAN')
    """
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
    found = {}
    for filename in sorted(os.listdir(folder)):
        if not filename.endswith(".py") or filename.startswith("_"):
            continue
        path = os.path.join(folder, filename)
        with open(path, encoding="utf-8") as f:
            tree = ast.parse(f.read(), filename=path)
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and getattr(decorator.func, "id", None) == "register"
                    and decorator.args
                    and isinstance(decorator.args[0], ast.Constant)
                ):
                    found[decorator.args[0].value] = (
                        f"keras_gans.models.{filename[:-3]}", node.name)
    return found


#: The built-in families, without importing them: `{name: (module, class)}`.
#: `keras-gans list` and `info` read it, so they answer in well under a second.
BUILTIN_FAMILIES = _scan_builtin_families()


def _load_builtins():
    """Import the built-in families, which registers them."""
    importlib.import_module("keras_gans.models")


def builtin_docstring(name):
    """A built-in family's class docstring, read from its source file
    without importing it (no TensorFlow start-up).

    Example:

    >>> builtin_docstring("dcgan").splitlines()[0]  # no TensorFlow imported
    'A DCGAN (Radford et al. 2015) for any H x W x C with H and W divisible by 4.'
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
