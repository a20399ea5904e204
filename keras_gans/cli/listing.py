"""`keras-gans list` and `keras-gans info`: the families and presets, read
from static tables so that neither starts TensorFlow.

Example:

```
keras-gans list 'dcgan*' --pretrained
keras-gans info dcgan_digits
```
"""

import json
import os

from keras_gans.cli.common import UserError, _preset_argument, _resolve, _ships_weights


def _family_doc(name):
    """A family's docstring: read statically for built-in families."""
    import inspect

    from keras_gans import registry

    if name in registry.BUILTIN_FAMILIES:
        return registry.builtin_docstring(name)
    return inspect.cleandoc(registry._MODELS[name].__doc__ or "")


def _cmd_list(args):
    import fnmatch

    from keras_gans import names, presets

    pattern = args.pattern or "*"
    # The static table: no TensorFlow start-up for a listing.
    known = names.family_names()
    families = [n for n in known if fnmatch.fnmatchcase(n, pattern)]
    listed = [(n, presets.get_preset(n)) for n in presets.list_presets(pattern)]
    matched = bool(families or listed)
    if args.pretrained:
        families = []
        listed = [(n, p) for n, p in listed if _ships_weights(p)]
    if not families and not listed:
        if matched:  # --pretrained filtered every match out
            raise UserError(
                f"no preset matching {pattern!r} ships trained weights; "
                "`keras-gans list --pretrained` shows those that do."
            )
        raise UserError(names.unmatched_pattern_message(pattern, known + presets.list_presets()))
    if families:
        print("families:")
        for name in families:
            doc = _family_doc(name).strip().splitlines()
            print(f"  {name:<18} {doc[0] if doc else name}")
    print("presets with trained weights:" if args.pretrained else "presets:")
    registered = set(known)
    for name, preset in listed:
        note = "" if preset["family"] in registered else "  (family not installed)"
        count = preset.get("param_count")
        params = f"{count:,} params" if count else "params not counted"
        trained = "trained" if _ships_weights(preset) else "-"
        print(f"  {name:<34} {preset['family']:<16} {params:<18} {trained}{note}".rstrip())
    if not args.pretrained:
        print("\n'trained': ships trained weights (`keras-gans sample NAME --out "
              "grid.png` works at once); `keras-gans list --pretrained` lists only those.")
    return 0


def _cmd_info(args):
    from keras_gans import presets, registry, runs

    source = _resolve(args.name, kinds=("preset", "family"), path_kind="preset .json file",
                      is_path=os.path.isfile)
    if source.kind == "family":
        name = source.value
        module, class_name = registry.BUILTIN_FAMILIES.get(name) or (
            registry._MODELS[name].__module__, registry._MODELS[name].__name__)
        print(f"family {name}: {module}.{class_name}")
        print(_family_doc(name))
        print(f"\npresets: {', '.join(presets.list_presets(family=name)) or 'none'}")
        return 0
    preset = runs.resolve_preset(_preset_argument(source))
    print(json.dumps(preset, indent=2))
    print(f"\nreproduce: keras-gans train {preset['name']} --out runs/{preset['name']}")
    if source.kind == "preset":
        if _ships_weights(preset):
            print(f"trained weights ship: keras-gans sample {preset['name']} --out grid.png")
        else:
            print("no trained weights ship with it: train it first (the command above).")
    return 0


def add_parsers(sub):
    """Add the `list` and `info` subcommands to `sub`.

    Example:

    >>> parser = argparse.ArgumentParser()
    >>> add_parsers(parser.add_subparsers(dest="command"))
    """
    p = sub.add_parser("list", help="list model families and presets")
    p.add_argument("pattern", nargs="?", help="shell-style pattern, e.g. 'dcgan*'")
    p.add_argument("--pretrained", action="store_true",
                   help="only the presets that ship trained weights")
    p.set_defaults(handler=_cmd_list)

    p = sub.add_parser("info", help="show a preset's recipe or a family's arguments")
    p.add_argument("name", help="a preset or family name, or a preset .json file")
    p.set_defaults(handler=_cmd_info)

