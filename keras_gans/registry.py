"""The zoo's one registry: family and preset lookup by name.

Families are folders: every `keras_gans/families/<name>/model.py` is a
family named `<name>`, whose class is the public `GAN` subclass that file
defines. The registry finds them by listing the folders (no Keras start-up,
so `keras-gans list` and `info` answer in well under a second) and imports
a family's module on first use. Presets are files: every
`zoo/<family>/<preset>.json` is a recipe, with its measured results and
shipped weights in the sidecar `<preset>.results.json` beside it
(`keras_gans.preset_files` reads them; their names are importable from
here too).

Classes defined elsewhere join with the `register` decorator, presets with
`register_preset`. Building a model from a preset (`from_preset`) is
`keras_gans.presets`' job, which imports this module; this module imports
no other part of keras_gans except the families it is asked for, so
dependencies run one way: cli -> runs -> presets -> registry -> families.

Example:

```python
import keras_gans

keras_gans.list_models("*gan")            # ['acgan', 'conditional_gan', ...]
model = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=32)
keras_gans.list_presets("dcgan_*")        # ['dcgan_ada_digits', ...]
```
"""

import ast
import collections
import copy
import difflib
import fnmatch
import importlib
import inspect
import os

from keras_gans import families as _families
from keras_gans.preset_files import (  # noqa: F401  (importable from here)
    _BUILTIN_CACHE,
    _USER_PRESETS,
    RECORD_KEYS,
    RECORDS_SUFFIX,
    _all_presets,
    _builtin_presets,
    preset_dir,
    read_preset_files,
    recipe_files,
    records_path,
    split_records,
)
from keras_gans.preset_schema import validate_preset

_MODELS = {}

#: Where a family folder was found: `FamilySource(name, module, class_name, path)`.
FamilySource = collections.namedtuple(
    "FamilySource", ["name", "module", "class_name", "path"])

_SCANNED = {}


def _public_class_name(path):
    """The first public top-level class of a family's model.py, read from
    the source without importing it (None when there is none)."""
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            return node.name
    return None


def family_folders():
    """The folders scanned for families: `keras_gans/families/` and any
    added with `add_family_folder`.

    Example:

    >>> family_folders()[0].endswith(os.path.join("keras_gans", "families"))
    True
    """
    return list(_families.__path__)


def add_family_folder(path):
    """Scan one more folder of family folders (`<path>/<name>/model.py`).

    Its families import as `keras_gans.families.<name>.model`, exactly like
    the built-in ones, so a family developed outside this package (or a
    test's throwaway one) is found by the same scan.

    Args:
        path: a folder holding one sub-folder per family.

    Returns:
        The names of the families found in it.

    Example:

    ```python
    keras_gans.registry.add_family_folder("my_families")  # my_families/toy_gan/model.py
    keras_gans.get("toy_gan")
    ```
    """
    path = os.path.abspath(os.fspath(path))
    if not os.path.isdir(path):
        raise ValueError(f"add_family_folder() needs a folder; received {path!r}.")
    if path not in _families.__path__:
        _families.__path__.append(path)
    _SCANNED.clear()
    return sorted(n for n, s in scan_families().items() if _root_of(s) == path)


def remove_family_folder(path):
    """Undo `add_family_folder`: forget the folder and its families.

    Example:

    ```python
    keras_gans.registry.remove_family_folder("my_families")
    ```
    """
    path = os.path.abspath(os.fspath(path))
    gone = [n for n, s in _SCANNED.items() if _root_of(s) == path]
    if path in _families.__path__:
        _families.__path__.remove(path)
    for name in gone:
        _MODELS.pop(name, None)
    _SCANNED.clear()
    return sorted(gone)


def _root_of(source):
    """The folder of family folders that `source` was found in."""
    return os.path.dirname(os.path.dirname(source.path))


def scan_families():
    """`{name: FamilySource}` of every family folder, without importing any.

    Example:

    >>> scan_families()["dcgan"].module
    'keras_gans.families.dcgan.model'
    """
    if not _SCANNED:
        for folder in family_folders():
            for name in sorted(os.listdir(folder)):
                path = os.path.join(folder, name, "model.py")
                if name.startswith(("_", ".")) or not os.path.isfile(path):
                    continue
                class_name = _public_class_name(path)
                if class_name is None:
                    raise ValueError(
                        f"{path}: a family's model.py must define its GAN "
                        "class; found no public class.")
                _SCANNED.setdefault(name, FamilySource(
                    name, f"{_families.__name__}.{name}.model", class_name, path))
    return dict(_SCANNED)


#: The built-in families: `{name: (module, class name)}`, read from the
#: folders without importing them.
BUILTIN_FAMILIES = {n: (s.module, s.class_name) for n, s in scan_families().items()}


def _load_family(name):
    """Import the family folder `name` and register its class."""
    source = scan_families()[name]
    module = importlib.import_module(source.module)
    if getattr(module.__spec__, "_initializing", False):
        # Its own first `import keras` got here (Keras' import hook in
        # keras_gans/__init__.py loads the zoo): registered on next lookup.
        return None
    cls = getattr(module, source.class_name, None)
    if not isinstance(cls, type) or cls.__module__ != module.__name__:
        raise ValueError(
            f"{source.path}: expected the family class {source.class_name!r} "
            f"defined there; found {cls!r}.")
    _MODELS[name] = cls
    cls.family = name
    return cls


_LOADING = []


def load_families():
    """Import every family folder now, which registers its classes with Keras.

    Normally automatic (on the first `import keras` or registry lookup);
    `keras_gans.load_model` calls it so that a `.keras` file loads even when
    a zoo submodule was the first thing imported and no lookup has run yet.

    Example:

    >>> load_families()
    >>> "dcgan" in list_models()
    True
    """
    _load_builtins()


def _load_builtins():
    """Import every scanned family (which registers it)."""
    if _LOADING:  # a family's `import keras` re-entered through the Keras hook
        return
    _LOADING.append(True)
    try:
        for name in scan_families():
            if name not in _MODELS:
                _load_family(name)
    finally:
        _LOADING.clear()


def class_names():
    """`{ClassName: family name}` of the scanned families, without imports
    (how `keras_gans.DCGAN` finds its family).

    Example:

    >>> class_names()["DCGAN"]
    'dcgan'
    """
    return {s.class_name: n for n, s in scan_families().items()}


def builtin_docstring(name):
    """A family's class docstring, read from its source file without
    importing it (no TensorFlow start-up).

    Example:

    >>> builtin_docstring("dcgan").splitlines()[0]  # no TensorFlow imported
    'A DCGAN (Radford et al. 2015) for any H x W x C with H and W divisible by 4.'
    """
    source = scan_families()[name]
    with open(source.path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=source.path)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == source.class_name:
            return inspect.cleandoc(ast.get_docstring(node) or "")
    return ""


def family_page(name):
    """The page of a family folder: `<folder>/README.md`.

    Example:

    >>> family_page("dcgan").endswith(os.path.join("dcgan", "README.md"))
    True
    """
    return os.path.join(os.path.dirname(scan_families()[name].path), "README.md")


def register(name):
    """Class decorator: make a GAN class defined outside a family folder
    available as `keras_gans.get(name)`.

    A family folder (`keras_gans/families/<name>/model.py`) needs no
    decorator: the folder scan registers it.

    Args:
        name: the family's name, lower case with underscores ("my_gan").

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
        if existing is None and name in scan_families():
            existing = _load_family(name)
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
    if key not in _MODELS and key in scan_families():
        _load_family(key)
    if key in _MODELS:
        return _MODELS[key]
    known = sorted(set(_MODELS) | set(scan_families()))
    close = difflib.get_close_matches(key, known, n=3, cutoff=0.5)
    hint = f" Close names: {', '.join(close)}." if close else ""
    raise ValueError(
        f"Unknown model {name!r}.{hint} Known models: {', '.join(known)}."
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


# Presets ------------------------------------------------------------------
# (the files themselves are read in keras_gans.preset_files)


def list_presets(pattern="*", family=None):
    """Names of the presets that match a shell-style pattern.

    Args:
        pattern: e.g. "*", "dcgan_*", "*_digits".
        family: keep only the presets of this family (e.g. "dcgan").

    Returns:
        A sorted list of preset names (built-in and registered ones).

    Example:

    >>> list_presets("*_digits")[:2]
    ['conditional_gan_digits', 'dcgan_digits']
    """
    return sorted(
        name
        for name, preset in _all_presets().items()
        if fnmatch.fnmatchcase(name, pattern)
        and (family is None or preset["family"] == family)
    )


def get_preset(name):
    """Return a copy of a preset's dict (see the module notes for its keys).

    Args:
        name: a preset name (see `list_presets()`).

    Returns:
        A new dict; changing it does not change the preset.

    Raises:
        ValueError: for an unknown name, listing close names.

    Example:

    >>> preset = get_preset("dcgan_digits")
    >>> preset["family"], preset["dataset"]["name"]
    ('dcgan', 'digits')
    """
    if not isinstance(name, str):
        raise TypeError(f"A preset name must be a string; received {name!r}.")
    presets = _all_presets()
    key = name.lower().replace("-", "_")
    if key in presets:
        return copy.deepcopy(presets[key])
    close = difflib.get_close_matches(key, list(presets), n=3, cutoff=0.6)
    hint = f" Close names: {', '.join(close)}." if close else ""
    family_hint = ""
    if key in set(scan_families()) | set(_MODELS):
        family_hint = (
            f" {name!r} is a model family; its presets are: "
            f"{', '.join(list_presets(family=key)) or 'none'}."
        )
    raise ValueError(
        f"Unknown preset {name!r}.{hint}{family_hint} Known presets: "
        f"{', '.join(sorted(presets))}."
    )


def preset_path(name):
    """The file a built-in preset was read from (None for registered ones).

    Example:

    >>> preset_path("dcgan_digits").endswith("dcgan_digits.json")
    True
    """
    get_preset(name)
    entry = _builtin_presets().get(name.lower().replace("-", "_"))
    if name in _USER_PRESETS or entry is None:
        return None
    return entry[1]


def register_preset(preset, overwrite=False):
    """Add a preset (a dict or the path of a JSON file) for `from_preset`.

    Third-party packages use this to publish presets of their own families.

    Args:
        preset: a preset dict with the keys of a zoo file, or a path to one.
        overwrite: allow replacing a preset of the same name.

    Returns:
        The preset's name.

    Example:

    ```python
    preset = keras_gans.get_preset("dcgan_digits")
    preset["name"] = "dcgan_digits_wide"
    preset["architecture"]["width"] = 64
    preset["param_count"] = None
    keras_gans.register_preset(preset)
    model = keras_gans.from_preset("dcgan_digits_wide")
    ```
    """
    if isinstance(preset, (str, os.PathLike)):
        preset = read_preset_files(os.fspath(preset))
    else:
        validate_preset(preset, "register_preset()")
    name = preset["name"]
    if not overwrite and name in _all_presets():
        raise ValueError(
            f"A preset named {name!r} already exists; pass overwrite=True to "
            "replace it or choose another name."
        )
    _USER_PRESETS[name] = copy.deepcopy(preset)
    return name

