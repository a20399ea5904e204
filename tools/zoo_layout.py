"""Move preset files into the zoo's layout: one folder per family, the
recipe apart from its measured records.

    zoo/<family>/<preset>.json          the recipe: family, description,
                                        architecture, training, dataset,
                                        param_count
    zoo/<family>/<preset>.results.json  the records: "results" (measured
                                        runs) and "weights" (shipped ones)
    zoo/<family>/<preset>.npz           the shipped weights, if any

A flat `zoo/<preset>.json` (the layout before, or a file from a branch that
still writes it) holds all of that in one file; this tool moves it (with
`git mv`, so history follows it), splits the records off into the sidecar
and moves `zoo/weights/<preset>.npz` beside it. A recipe in the layout that
holds records again (a merge that carried another branch's new result into
the renamed file) has them moved into its sidecar, appended to the ones
there. Run it after merging such a branch, then regenerate the tables;
running it twice changes nothing.

    python tools/zoo_layout.py           # move and split every flat file
    python tools/zoo_layout.py --check   # exit 1 when a flat file is left
    python tools/zoo_layout.py --no-git  # plain renames (not a git checkout)
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ZOO = os.path.join(ROOT, "zoo")
sys.path.insert(0, ROOT)  # the checkout's keras_gans, not an installed one
sys.path.insert(0, HERE)

import presets_table  # noqa: E402

#: The keys of a preset that are measured records, kept in the sidecar.
RECORD_KEYS = ("results", "weights")


def flat_files(zoo=ZOO):
    """The preset files not yet in the layout: `zoo/*.json`.

    Example:

    >>> flat_files()
    []
    """
    return sorted(os.path.join(zoo, f) for f in os.listdir(zoo) if f.endswith(".json"))


def _move(source, target, use_git):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if use_git:
        subprocess.run(["git", "mv", source, target], cwd=ROOT, check=True)
    else:
        os.replace(source, target)


def move(path, use_git=True, split=True, zoo=ZOO):
    """Move one flat preset file (and its weights) into the layout.

    Args:
        path: a `zoo/<preset>.json` file.
        use_git: move with `git mv` (else a plain rename).
        split: also write the records into the sidecar (False: only move,
            for a commit of pure renames).
        zoo: the zoo folder.

    Returns:
        The recipe's new path.

    Example:

    ```python
    move("zoo/dcgan_digits.json")  # -> zoo/dcgan/dcgan_digits.json (+ sidecar)
    ```
    """
    with open(path, encoding="utf-8") as f:
        preset = json.load(f)
    folder = os.path.join(zoo, preset["family"])
    target = os.path.join(folder, os.path.basename(path))
    if os.path.exists(target):
        raise SystemExit(f"{target} already exists; not replacing it with {path}: "
                         "merge the two by hand (the recipe, then its records).")
    _move(path, target, use_git)
    weights = preset.get("weights")
    if weights and not os.path.isabs(weights["file"]):
        old = os.path.normpath(os.path.join(zoo, weights["file"]))
        new = os.path.join(folder, f"{preset['name']}.npz")
        if os.path.exists(old) and old != new:
            _move(old, new, use_git)
    if split:
        split_records(target)
    return target


def split_records(path):
    """Move the records of a recipe file at its place in the layout into
    its sidecar (`presets_table.write_preset`): its results are appended to
    the sidecar's (those not there yet), its weights record replaces the
    sidecar's; the weights file is named relative to the family folder.

    Example:

    ```python
    split_records("zoo/dcgan/dcgan_digits.json")
    ```
    """
    from keras_gans import registry

    with open(path, encoding="utf-8") as f:
        preset = json.load(f)
    sidecar = registry.records_path(path)
    records = {}
    if os.path.isfile(sidecar):
        with open(sidecar, encoding="utf-8") as f:
            records = json.load(f)
    results = list(records.get("results", []))
    results += [r for r in preset.get("results", []) if r not in results]
    preset["results"] = results
    weights = preset.get("weights") or records.get("weights")
    if weights:
        if not os.path.isabs(weights["file"]):
            weights["file"] = f"{preset['name']}.npz"
        preset["weights"] = weights
    presets_table.write_preset(path, preset)


def mixed_files(zoo=ZOO):
    """Recipe files in the layout that hold records (which belong in their
    sidecars).

    Example:

    >>> mixed_files()
    []
    """
    from keras_gans import registry

    found = []
    for path in registry.recipe_files(zoo):
        with open(path, encoding="utf-8") as f:
            if set(json.load(f)) & set(RECORD_KEYS):
                found.append(path)
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only check; exit 1 when a flat zoo/*.json is left")
    parser.add_argument("--no-git", action="store_true", help="rename without git mv")
    args = parser.parse_args(argv)
    found, mixed = flat_files(), mixed_files()
    if args.check:
        for path in found:
            print(f"{os.path.relpath(path, ROOT)}: not in zoo/<family>/; "
                  "run python tools/zoo_layout.py", file=sys.stderr)
        for path in mixed:
            print(f"{os.path.relpath(path, ROOT)}: holds records that belong in its "
                  "sidecar; run python tools/zoo_layout.py", file=sys.stderr)
        return 1 if found or mixed else 0
    for path in found:
        target = move(path, use_git=not args.no_git)
        print(f"{os.path.relpath(path, ROOT)} -> {os.path.relpath(target, ROOT)}")
    for path in mixed:
        split_records(path)
        print(f"{os.path.relpath(path, ROOT)}: records moved into its sidecar")
    return 0


if __name__ == "__main__":
    sys.exit(main())
