"""Presets: named, versioned training recipes stored as JSON data.

One JSON file per preset in the top-level `zoo/` folder (installed as
`keras_gans/zoo/`), named `<family>_<dataset>`, holds the architecture, the
training recipe, the data set, the parameter count and the results this
project measured. `from_preset(name)` turns one into a compiled model ready
for `fit()`; the family itself comes from `keras_gans.registry`.

Every name here is also importable from `keras_gans.registry` (where it
lived before) and the main ones from `keras_gans`.

Example:

```python
import keras_gans

print(keras_gans.list_presets("*_digits"))
model = keras_gans.from_preset("dcgan_digits")
recipe = keras_gans.get_preset("dcgan_digits")["training"]
```
"""

import copy
import difflib
import fnmatch
import inspect
import json
import os

from keras_gans import registry

# Presets: named, versioned recipes stored as JSON data in the `zoo/` folder.
#
# A preset file holds everything needed to rebuild and retrain a model:
#
#     {
#       "name": "dcgan_digits",                 # == the file's stem
#       "family": "dcgan",                      # a registered family
#       "recipe": "lsgan",                      # optional: a named recipe of
#                                               # the family's parts; the name
#                                               # is then <recipe>_<dataset>
#       "description": "...",
#       "reference": "...",                     # optional
#       "architecture": {...},                  # constructor arguments
#       "training": {
#         "optimizers": {"d_optimizer": {"class_name": "Adam", "config": {...}},
#                        "g_optimizer": {...}},  # Keras optimizer configs
#         "loss": "non_saturating",
#         "compile_args": {"kl_weight": 1.0},   # optional: more compile() args,
#             # e.g. "regularizers": [{"class_name": "R1", "config": {"gamma": 1}}],
#             #      "augmentation": {"class_name": "DiffAugment", "config": {}}
#         "batch_size": 64, "epochs": 100, "steps_per_epoch": null, "seed": 0
#         # optional: "standing_statistics": 16 recomputes the sampling
#         # generator's batch-norm statistics over 16 batches after fit()
#       },
#       "dataset": {"name": "digits", "split": "train",
#                   "image_size": [8, 8], "with_labels": false,
#                   "limit": 360},               # optional: first N images only
#       "param_count": 76450,                   # every weight of the model
#       "results": [                            # measured, never typed in
#         {"metrics": {"fid1k_digits": 3.1}, "command": "...",
#          "commit": "abc1234", "backend": "tensorflow", "date": "..."}
#       ],
#       "weights": {                            # optional: shipped weights
#         "file": "weights/dcgan_digits.npz",   # relative to the zoo folder
#         "sha256": "...", "bytes": 123456, "dtype": "float16",
#         "command": "...", "commit": "...", "backend": "tensorflow",
#         "metrics": {"fid500_digits": 5.2, ...}  # of these exact weights
#       }
#     }

_PRESET_REQUIRED = {
    "name": str,
    "family": str,
    "description": str,
    "architecture": dict,
    "training": dict,
    "dataset": dict,
    "results": list,
}
_TRAINING_REQUIRED = {"optimizers": dict, "loss": str, "batch_size": int, "seed": int}
_DATASET_REQUIRED = {"name": str, "with_labels": bool}

_USER_PRESETS = {}
_BUILTIN_CACHE = {}


def preset_dir():
    """The folder holding the built-in preset files.

    In an installed package this is `keras_gans/zoo/` (the top-level `zoo/`
    folder of the source tree is installed there); in a source checkout it is
    the top-level `zoo/` folder itself.

    Returns:
        An absolute path, or None when no preset folder can be found.

    Example:

    >>> os.path.isfile(os.path.join(preset_dir(), "dcgan_digits.json"))
    True
    """
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (
        os.path.join(here, "zoo"),
        os.path.join(os.path.dirname(here), "zoo"),
    ):
        if os.path.isdir(candidate) and any(
            f.endswith(".json") for f in os.listdir(candidate)
        ):
            return candidate
    return None


def _type_name(types):
    if isinstance(types, tuple):
        return " or ".join(t.__name__ for t in types)
    return types.__name__


def _check_keys(section, required, where):
    for key, types in required.items():
        if key not in section:
            raise ValueError(f"{where}: missing the required key {key!r}.")
        value = section[key]
        # bool is an int subclass; an int field must not accept True.
        if not isinstance(value, types) or (
            types is int and isinstance(value, bool)
        ):
            raise ValueError(
                f"{where}: {key!r} must be of type {_type_name(types)}; "
                f"received {value!r}."
            )


def validate_preset(preset, source="<preset>"):
    """Check that a preset dict has the schema `from_preset` relies on.

    The family does not need to be registered for the preset to be valid
    (it may come from a package that is not installed); `from_preset`
    checks that.

    Args:
        preset: the preset as a dict (a parsed preset file).
        source: where it came from, for error messages (a file path).

    Returns:
        The preset, unchanged.

    Raises:
        ValueError: naming the source, the key and what was expected.

    Example:

    >>> validate_preset(get_preset("dcgan_digits"))["family"]
    'dcgan'
    """
    if not isinstance(preset, dict):
        raise ValueError(
            f"{source}: a preset must be a JSON object (dict); received "
            f"{type(preset).__name__}."
        )
    _check_keys(preset, _PRESET_REQUIRED, source)
    name = preset["name"]
    if not name or name != name.lower() or not name.replace("_", "").isalnum():
        raise ValueError(
            f"{source}: preset names are lower case letters, digits and "
            f"underscores ('<family>_<dataset>'); received {name!r}."
        )
    recipe = preset.get("recipe")
    if recipe is not None and (not isinstance(recipe, str) or not recipe):
        raise ValueError(
            f"{source}: 'recipe' must be a non-empty string (the name's prefix); "
            f"received {recipe!r}."
        )
    training = preset["training"]
    _check_keys(training, _TRAINING_REQUIRED, f"{source} ['training']")
    for key in ("epochs", "steps_per_epoch", "standing_statistics"):
        value = training.get(key)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or value < 1
        ):
            raise ValueError(
                f"{source} ['training']: {key!r} must be a positive integer or "
                f"null; received {value!r}."
            )
    if training.get("epochs") is None:
        raise ValueError(f"{source} ['training']: 'epochs' must be given.")
    if training["batch_size"] < 1:
        raise ValueError(
            f"{source} ['training']: 'batch_size' must be >= 1; received "
            f"{training['batch_size']}."
        )
    for key, config in training["optimizers"].items():
        if not key.endswith("_optimizer") or not isinstance(config, (dict, str)):
            raise ValueError(
                f"{source} ['training']['optimizers']: expected entries such "
                "as 'd_optimizer': {'class_name': 'Adam', 'config': {...}}; "
                f"received {key!r}: {config!r}."
            )
    extra = training.get("compile_args", {})
    if not isinstance(extra, dict):
        raise ValueError(
            f"{source} ['training']: 'compile_args' must be an object of extra "
            f"compile() arguments; received {extra!r}."
        )
    _check_keys(preset["dataset"], _DATASET_REQUIRED, f"{source} ['dataset']")
    limit = preset["dataset"].get("limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise ValueError(
            f"{source} ['dataset']: 'limit' (train on the first N images only) must "
            f"be a positive integer or absent; received {limit!r}."
        )
    count = preset.get("param_count")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
        raise ValueError(
            f"{source}: 'param_count' must be an integer or null; received "
            f"{count!r}."
        )
    for i, result in enumerate(preset["results"]):
        where = f"{source} ['results'][{i}]"
        if not isinstance(result, dict):
            raise ValueError(f"{where}: expected an object; received {result!r}.")
        _check_keys(result, {"metrics": dict, "command": str, "commit": str}, where)
        for metric, value in result["metrics"].items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(
                    f"{where}: metric {metric!r} must be a number; received "
                    f"{value!r}."
                )
    weights = preset.get("weights")
    if weights is not None:
        where = f"{source} ['weights']"
        if not isinstance(weights, dict):
            raise ValueError(f"{where}: expected an object; received {weights!r}.")
        _check_keys(
            weights,
            {"file": str, "sha256": str, "bytes": int, "dtype": str,
             "command": str, "commit": str, "backend": str, "metrics": dict},
            where,
        )
        if len(weights["sha256"]) != 64:
            raise ValueError(
                f"{where}: 'sha256' must be a 64-character hex digest; "
                f"received {weights['sha256']!r}."
            )
    return preset


def _read_preset_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            preset = json.load(f)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error}).") from None
    validate_preset(preset, path)
    return preset


def _builtin_presets():
    """{name: (preset, path)} of the preset files, read once per folder."""
    folder = preset_dir()
    if folder is None:
        return {}
    if folder not in _BUILTIN_CACHE:
        presets = {}
        for filename in sorted(os.listdir(folder)):
            if not filename.endswith(".json"):
                continue
            path = os.path.join(folder, filename)
            preset = _read_preset_file(path)
            stem = filename[: -len(".json")]
            if preset["name"] != stem:
                raise ValueError(
                    f"{path}: the preset is named {preset['name']!r} but its "
                    f"file is {filename!r}; they must agree."
                )
            presets[stem] = (preset, path)
        _BUILTIN_CACHE[folder] = presets
    return _BUILTIN_CACHE[folder]


def _all_presets():
    presets = {name: p for name, (p, _) in _builtin_presets().items()}
    presets.update(_USER_PRESETS)
    return presets


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
    if key in registry.list_models():
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
        preset = _read_preset_file(os.fspath(preset))
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


def _family_class(preset):
    family = preset["family"]
    registered = registry.list_models()
    if family not in registered:
        raise ValueError(
            f"The preset {preset['name']!r} needs the model family {family!r}, "
            "which is not registered in this installation (registered "
            f"families: {', '.join(registered)}). Import the package that "
            "defines it, or upgrade keras_gans."
        )
    return registry.get_class(family)


def _explicit_parameters(function):
    return {
        n
        for n, p in inspect.signature(function).parameters.items()
        if n != "self"
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


def _parameters_along_mro(cls, method):
    """Explicit parameters of `method`, following `**kwargs` up the MRO.

    Stops at the `GAN` base class, whose `compile(**kwargs)` accepts nothing
    more (keras.Model's own compile arguments do not apply to a GAN).
    """
    from keras_gans.models.base import GAN

    names = set()
    for klass in cls.__mro__:
        function = klass.__dict__.get(method)
        if function is None:
            continue
        names |= _explicit_parameters(function)
        kinds = {p.kind for p in inspect.signature(function).parameters.values()}
        if klass is GAN or inspect.Parameter.VAR_KEYWORD not in kinds:
            break
    return names


def _split_overrides(cls, overrides):
    """Sort overrides into constructor and `compile()` arguments."""
    init_args = _explicit_parameters(cls.__init__) | {"name"}
    compile_args = _parameters_along_mro(cls, "compile")
    init, comp = {}, {}
    for key, value in overrides.items():
        if key in init_args:
            init[key] = value
        elif key in compile_args:
            comp[key] = value
        else:
            raise TypeError(
                f"{cls.__name__} has no argument {key!r}. Constructor "
                f"arguments: {', '.join(sorted(init_args))}; compile() "
                f"arguments: {', '.join(sorted(compile_args))}."
            )
    return init, comp


def _json_to_python(value):
    """JSON lists become tuples (shapes, unit lists), recursively."""
    if isinstance(value, list):
        return tuple(_json_to_python(v) for v in value)
    if isinstance(value, dict):
        return {k: _json_to_python(v) for k, v in value.items()}
    return value


def build_preset(preset, compile=True, **overrides):
    """Build (and compile) a model from a preset dict.

    Like `from_preset`, for a dict that is not registered (for instance a
    modified copy from `get_preset`).

    Args:
        preset: a preset dict.
        compile: compile with the preset's optimizers and loss.
        **overrides: constructor or `compile()` arguments replacing the
            preset's.

    Returns:
        The model.

    Example:

    ```python
    preset = keras_gans.get_preset("dcgan_digits")
    preset["architecture"]["width"] = 16
    model = keras_gans.presets.build_preset(preset)
    ```
    """
    validate_preset(preset, f"preset {preset.get('name', '?')!r}")
    cls = _family_class(preset)
    init_overrides, compile_overrides = _split_overrides(cls, overrides)
    arguments = _json_to_python(preset["architecture"])
    arguments.update(init_overrides)
    model = cls(**arguments)
    if compile:
        training = preset["training"]
        # Optimizer configs stay dicts: keras.optimizers.get() builds a
        # fresh optimizer from each.
        compile_args = copy.deepcopy(training["optimizers"])
        compile_args["loss"] = training["loss"]
        compile_args.update(copy.deepcopy(training.get("compile_args", {})))
        compile_args.update(compile_overrides)
        model.compile(**compile_args)
    elif compile_overrides:
        raise TypeError(
            f"compile=False but compile() arguments were given: "
            f"{sorted(compile_overrides)}."
        )
    return model


def weights_path(name):
    """The shipped weights file of a preset, or None when it has none.

    A relative `"file"` in the preset's `"weights"` section is resolved
    against the folder of the preset's file (for presets registered as a
    dict: against the built-in zoo folder).

    Args:
        name: a preset name, or a preset dict.

    Returns:
        An absolute path (the file may be missing), or None.

    Example:

    >>> weights_path("dcgan_digits").endswith("weights/dcgan_digits.npz")
    True
    """
    preset = name if isinstance(name, dict) else get_preset(name)
    record = preset.get("weights")
    if not record:
        return None
    path = record["file"]
    if os.path.isabs(path):
        return path
    source = None if isinstance(name, dict) else preset_path(name)
    folder = os.path.dirname(source) if source else (preset_dir() or os.getcwd())
    return os.path.normpath(os.path.join(folder, path))


def load_preset_weights(model, preset):
    """Load a preset's shipped weights into `model`, checking size and hash.

    Args:
        model: a model built from the preset's architecture.
        preset: a preset name or dict with a `"weights"` section.

    Returns:
        The model.

    Raises:
        ValueError: the preset ships no weights; `keras_gans.weights.WeightsError`
            (a ValueError) naming the file for a missing, truncated or
            corrupted file or one that does not fit the model.

    Example:

    ```python
    model = keras_gans.from_preset("dcgan_digits", weights=False)
    keras_gans.presets.load_preset_weights(model, "dcgan_digits")
    ```
    """
    from keras_gans import weights as weights_lib

    record = (preset if isinstance(preset, dict) else get_preset(preset)).get("weights")
    name = preset["name"] if isinstance(preset, dict) else preset
    if not record:
        raise ValueError(_no_weights_message(name))
    weights_lib.load(
        model, weights_path(preset), sha256=record["sha256"], num_bytes=record["bytes"]
    )
    return model


def _no_weights_message(name):
    return (
        f"The preset {name!r} ships no trained weights (presets with weights: "
        f"{', '.join(n for n in list_presets() if get_preset(n).get('weights')) or 'none'}). "
        f"Train it with `keras-gans train {name}`, or pass weights=False for "
        "an untrained model."
    )


def from_preset(name, compile=True, weights=None, **overrides):
    """Build a zoo model from a named preset, with its trained weights.

    The preset's architecture goes to the family's constructor and its
    training recipe (optimizers, loss) to `compile()`. When the preset ships
    trained weights (`get_preset(name)["weights"]`) they are loaded, after
    checking the file's size and SHA-256. The batch size, epochs and data
    set of the recipe are in `get_preset(name)["training"]` and
    `["dataset"]`; `keras-gans train NAME` uses all of them.

    Fine-tuning: `from_preset(name).fit(images)` continues training from the
    shipped weights (every network's, EMA generator and batch-norm
    statistics included) with fresh optimizers: no optimizer state is
    shipped, so Adam's moments and step counters start at zero, and so does
    the EMA warm-up (`ema_decay`).

    Args:
        name: a preset name, see `list_presets()`.
        compile: set False to get an uncompiled model.
        weights: None (default): the shipped weights when the preset has
            them and no constructor argument is overridden (an override
            gives an untrained model); a preset without weights gives an
            untrained model and a warning that says so. True: the shipped
            weights, an error if there are none. False: an untrained model
            (initialised from the preset's seed). A path: a weights file
            written by `keras_gans.weights.save`.
        **overrides: constructor arguments (e.g. `latent_dim=16`) or
            `compile()` arguments (e.g. `loss="hinge"`,
            `g_optimizer=keras.optimizers.Adam(1e-4)`) replacing the preset's.

    Returns:
        A new model.

    Raises:
        ValueError: for an unknown preset (listing close names), a preset
            whose family is not registered, `weights=True` for a preset
            without weights, or a weights file that is missing, truncated,
            corrupted (SHA-256 mismatch) or made for another architecture
            (`keras_gans.weights.WeightsError`, naming the file).
        TypeError: for an override that is neither a constructor nor a
            `compile()` argument.

    Example:

    ```python
    model = keras_gans.from_preset("dcgan_digits")         # trained
    images = model.generate(16, seed=0)
    fresh = keras_gans.from_preset("dcgan_digits", weights=False)
    recipe = keras_gans.get_preset("dcgan_digits")["training"]
    x = keras_gans.datasets.load_digits()
    fresh.fit(x, batch_size=recipe["batch_size"], epochs=recipe["epochs"])
    ```
    """
    preset = get_preset(name)
    model = build_preset(preset, compile=compile, **overrides)
    if weights is None:
        if not preset.get("weights"):
            import warnings

            warnings.warn(
                f"The preset {preset['name']!r} ships no trained weights: this "
                "model is untrained (pass weights=False to silence this "
                f"warning; `keras-gans train {preset['name']}` trains it).",
                stacklevel=2,
            )
            return model
        init_overrides, _ = _split_overrides(_family_class(preset), overrides)
        if init_overrides:
            return model
        weights = True
    if weights is True:
        load_preset_weights(model, name)
    elif weights is not False:
        if not isinstance(weights, (str, os.PathLike)):
            raise TypeError(
                "weights must be None, True, False or the path of a weights "
                f"file; received {weights!r}."
            )
        from keras_gans import weights as weights_lib

        weights_lib.load(model, os.fspath(weights))
    return model


def count_model_params(model):
    """The number a preset's `param_count` records: every weight's size.

    Counts each variable of `model.weights` once (trainable and
    non-trainable, e.g. batch-norm statistics; optimizer state excluded).

    Example:

    >>> count_model_params(from_preset("dcgan_digits")) == get_preset(
    ...     "dcgan_digits")["param_count"]
    True
    """
    seen, total = set(), 0
    for variable in model.weights:
        key = id(variable)
        if key in seen:
            continue
        seen.add(key)
        size = 1
        for dim in variable.shape:
            size *= int(dim)
        total += size
    return total
