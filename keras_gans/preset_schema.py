"""The schema of a preset file: what `validate_preset` checks.

A leaf module (no Keras, no other keras_gans module), shared by the
registry, which reads presets, and the tools that write them.

Presets: named, versioned recipes stored as JSON data in the `zoo/` folder,
one folder per family: `zoo/<family>/<preset>.json` holds the recipe and
`zoo/<family>/<preset>.results.json` (its sidecar) the measured records,
"results" and "weights". `keras_gans.registry` reads both into one dict,
which holds everything needed to rebuild and retrain a model:

    {
      "name": "dcgan_digits",                 # == the file's stem
      "family": "dcgan",                      # a registered family
      "recipe": "lsgan",                      # optional: a named recipe of
                                              # the family's parts; the name
                                              # is then <recipe>_<dataset>
      "description": "...",
      "reference": "...",                     # optional
      "architecture": {...},                  # constructor arguments
      "training": {
        "optimizers": {"d_optimizer": {"class_name": "Adam", "config": {...}},
                       "g_optimizer": {...}},  # Keras optimizer configs
        "loss": "non_saturating",
        "compile_args": {"kl_weight": 1.0},   # optional: more compile() args,
            # e.g. "regularizers": [{"class_name": "R1", "config": {"gamma": 1}}],
            #      "augmentation": {"class_name": "DiffAugment", "config": {}}
        "batch_size": 64, "epochs": 100, "steps_per_epoch": null, "seed": 0
        # optional: "standing_statistics": 16 recomputes the sampling
        # generator's batch-norm statistics over 16 batches after fit()
      },
      "dataset": {"name": "digits", "split": "train",
                  "image_size": [8, 8], "with_labels": false,
                  "limit": 360},               # optional: first N images only
      "param_count": 76450,                   # every weight of the model
      # In the sidecar:
      "results": [                            # measured, never typed in
        {"metrics": {"fid1k_digits": 3.1}, "command": "...",
         "commit": "abc1234", "backend": "tensorflow", "date": "..."}
      ],
      "weights": {                            # optional: shipped weights
        "file": "dcgan_digits.npz",           # relative to the preset's folder
        "sha256": "...", "bytes": 123456, "dtype": "float16",
        "command": "...", "commit": "...", "backend": "tensorflow",
        "metrics": {"fid500_digits": 5.2, ...}  # of these exact weights
      }
    }
"""

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
    _check_name(preset, source)
    _check_training(preset["training"], source)
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
    _check_results(preset["results"], source)
    _check_weights(preset.get("weights"), source)
    return preset


def _check_name(preset, source):
    """The preset's `name` (and `recipe`, if given)."""
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


def _check_training(training, source):
    """The preset's `training` block."""
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


def _check_results(results, source):
    """The preset's measured `results`."""
    for i, result in enumerate(results):
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


def _check_weights(weights, source):
    """The preset's shipped `weights` record, if any."""
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


