"""Presets: named, versioned training recipes stored as JSON data.

One JSON file per preset in the top-level `zoo/` folder (installed as
`keras_gans/zoo/`), named `<family>_<dataset>`, holds the architecture, the
training recipe, the data set, the parameter count and the results this
project measured. `from_preset(name)` turns one into a compiled model ready
for `fit()`; the family itself comes from `keras_gans.registry`.

Finding a preset by name (`list_presets`, `get_preset`, `preset_path`,
`register_preset`) is `keras_gans.registry`'s job; those names are
importable from here too, and the main ones from `keras_gans`. The schema
of a preset file is `keras_gans.preset_schema`.

Example:

```python
import keras_gans

print(keras_gans.list_presets("*_digits"))
model = keras_gans.from_preset("dcgan_digits")
recipe = keras_gans.get_preset("dcgan_digits")["training"]
```
"""

import copy
import inspect
import os

from keras_gans import registry
from keras_gans.preset_schema import validate_preset  # noqa: F401
from keras_gans.registry import (  # noqa: F401
    _BUILTIN_CACHE,
    _USER_PRESETS,
    get_preset,
    list_presets,
    preset_dir,
    preset_path,
    register_preset,
)


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
    dict: against its family's folder in the built-in zoo).

    Args:
        name: a preset name, or a preset dict.

    Returns:
        An absolute path (the file may be missing), or None.

    Example:

    >>> weights_path("dcgan_digits").endswith("zoo/dcgan/dcgan_digits.npz")
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
    if source:
        folder = os.path.dirname(source)
    else:
        folder = os.path.join(preset_dir() or os.getcwd(), preset["family"])
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

