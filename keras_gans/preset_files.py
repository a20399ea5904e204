"""The preset files: every `zoo/<family>/<preset>.json` is a recipe, with its
measured results and shipped weights in the sidecar `<preset>.results.json`
beside it. This module finds, reads, merges and validates them (and keeps
the presets registered at run time); name lookup is `keras_gans.registry`'s
job (`list_presets`, `get_preset`), which imports this module and
re-exports its names. It imports nothing of keras_gans but the schema.

Example:

```python
from keras_gans import preset_files

path = preset_files.recipe_files(preset_files.preset_dir())[0]
preset = preset_files.read_preset_files(path)   # recipe + sidecar, validated
```
"""

import copy
import json
import os

from keras_gans.preset_schema import validate_preset


_USER_PRESETS = {}
_BUILTIN_CACHE = {}


#: The sidecar of a recipe `zoo/<family>/<preset>.json`: its measured
#: records ("results", "weights") in `<preset>.results.json` beside it.
RECORDS_SUFFIX = ".results.json"


#: The keys of a preset kept in its sidecar, not in its recipe.
RECORD_KEYS = ("results", "weights")


def recipe_files(folder):
    """The recipe files of a zoo folder: `<folder>/<family>/<preset>.json`,
    sidecars left out, sorted.

    Example:

    >>> os.path.relpath(recipe_files(preset_dir())[0], preset_dir())
    'acgan/acgan_digits.json'
    """
    found = []
    for family in sorted(os.listdir(folder)):
        sub = os.path.join(folder, family)
        if not os.path.isdir(sub) or family.startswith(("_", ".")):
            continue
        found += [os.path.join(sub, f) for f in sorted(os.listdir(sub))
                  if f.endswith(".json") and not f.endswith(RECORDS_SUFFIX)]
    return found


def records_path(path):
    """The sidecar of the recipe file `path`.

    Example:

    >>> records_path("zoo/dcgan/dcgan_digits.json")
    'zoo/dcgan/dcgan_digits.results.json'
    """
    return path[: -len(".json")] + RECORDS_SUFFIX


def split_records(preset):
    """`(recipe, records)`: a preset dict parted into what its recipe file
    and its sidecar hold (copies; `records` always has "results").

    Example:

    >>> recipe, records = split_records(get_preset("dcgan_digits"))
    >>> "results" in recipe, sorted(records)
    (False, ['results', 'weights'])
    """
    recipe = {k: copy.deepcopy(v) for k, v in preset.items() if k not in RECORD_KEYS}
    records = {k: copy.deepcopy(preset[k]) for k in RECORD_KEYS if k in preset}
    records.setdefault("results", [])
    return recipe, records


def preset_dir():
    """The folder holding the built-in preset files.

    In an installed package this is `keras_gans/zoo/` (the top-level `zoo/`
    folder of the source tree is installed there); in a source checkout it is
    the top-level `zoo/` folder itself. It holds one folder per family.

    Returns:
        An absolute path, or None when no preset folder can be found.

    Example:

    >>> os.path.isfile(os.path.join(preset_dir(), "dcgan", "dcgan_digits.json"))
    True
    """
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (
        os.path.join(here, "zoo"),
        os.path.join(os.path.dirname(here), "zoo"),
    ):
        if os.path.isdir(candidate) and recipe_files(candidate):
            return candidate
    return None


def _load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not valid JSON ({error}).") from None


def read_preset_files(path):
    """A preset as one dict: the recipe file `path` with its sidecar's
    records merged in (no sidecar: no results yet), validated.

    Example:

    >>> read_preset_files(preset_path("dcgan_digits"))["results"][0]["command"][:12]
    'KERAS_BACKEN'
    """
    preset = _load_json(path)
    sidecar = records_path(path)
    if isinstance(preset, dict) and os.path.isfile(sidecar):
        records = _load_json(sidecar)
        mixed = sorted(set(RECORD_KEYS) & set(preset))
        if mixed:
            raise ValueError(
                f"{path}: {mixed} belong in its sidecar {os.path.basename(sidecar)}, "
                "not in the recipe; run python tools/zoo_layout.py.")
        unknown = sorted(set(records) - set(RECORD_KEYS))
        if unknown:
            raise ValueError(
                f"{sidecar}: a sidecar holds only {list(RECORD_KEYS)}; received "
                f"{unknown}.")
        preset.update(records)
    if isinstance(preset, dict):
        preset.setdefault("results", [])
    validate_preset(preset, path)
    return preset


def _builtin_presets():
    """{name: (preset, path)} of the preset files, read once per folder."""
    folder = preset_dir()
    if folder is None:
        return {}
    if folder not in _BUILTIN_CACHE:
        presets = {}
        for path in recipe_files(folder):
            preset = read_preset_files(path)
            filename = os.path.basename(path)
            stem = filename[: -len(".json")]
            if preset["name"] != stem:
                raise ValueError(
                    f"{path}: the preset is named {preset['name']!r} but its "
                    f"file is {filename!r}; they must agree."
                )
            family = os.path.basename(os.path.dirname(path))
            if preset["family"] != family:
                raise ValueError(
                    f"{path}: a preset of the family {preset['family']!r} "
                    f"lives in zoo/{preset['family']}/, not zoo/{family}/."
                )
            if stem in presets:
                raise ValueError(f"{path}: a second preset named {stem!r} "
                                 f"(the first: {presets[stem][1]}).")
            presets[stem] = (preset, path)
        _BUILTIN_CACHE[folder] = presets
    return _BUILTIN_CACHE[folder]


def _all_presets():
    presets = {name: p for name, (p, _) in _builtin_presets().items()}
    presets.update(_USER_PRESETS)
    return presets
