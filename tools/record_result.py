"""Append a measured result to a preset's sidecar in zoo/ and regenerate the tables.

A result records the metrics, the command that produced them and the commit
they were measured at, so that every number in docs/presets.md, the README
and keras_gans/families/*/README.md can be reproduced. After recording, this tool runs
`python tools/presets_table.py --write` and `python tools/family_pages.py
--write` itself.

Usage (from the repository root):

    python tools/record_result.py dcgan_digits \\
        --from-json runs/dcgan_digits/metrics.json \\
        --command "keras-gans train dcgan_digits --out runs/dcgan_digits && \\
                   keras-gans evaluate runs/dcgan_digits --json runs/dcgan_digits/metrics.json" \\
        --backend tensorflow --device "2 CPU cores"

    python tools/record_result.py dcgan_digits --metric fid1k_digits=3.2 --command "..."

The commit defaults to `git rev-parse HEAD` (refused if the tree has
uncommitted changes to keras_gans/ or zoo/, unless --commit is given).
"""

import argparse
import datetime
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import family_pages  # noqa: E402
import presets_table  # noqa: E402


def _git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def _metrics(args):
    metrics = {}
    if args.from_json:
        with open(args.from_json, encoding="utf-8") as f:
            loaded = json.load(f)
        for key, value in loaded.items():
            # Keep scalar scores; lists (per-class shares) stay in the file.
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                metrics[key] = value
    for item in args.metric or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--metric takes NAME=VALUE; received {item!r}")
        metrics[key] = float(value)
    if args.only:
        metrics = {k: v for k, v in metrics.items() if k in args.only}
    if not metrics:
        raise SystemExit("no metrics given (use --metric or --from-json)")
    return metrics


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", help="preset name, e.g. dcgan_digits")
    parser.add_argument("--metric", action="append", help="NAME=VALUE (repeatable)")
    parser.add_argument("--from-json", help="a metrics JSON (keras-gans evaluate --json)")
    parser.add_argument("--only", nargs="+", help="keep only these metric names")
    parser.add_argument("--command", required=True, help="the command that reproduces it")
    parser.add_argument("--commit", help="commit measured (default: git HEAD)")
    parser.add_argument("--backend", help="Keras backend used")
    parser.add_argument("--device", help="hardware, e.g. '2 CPU cores' or 'H100'")
    parser.add_argument("--notes", help="anything a reader needs to know")
    parser.add_argument("--epochs", type=int,
                        help="epochs trained, when they differ from the recipe's")
    args = parser.parse_args(argv)

    from keras_gans import registry

    path = registry.preset_path(args.preset) if args.preset in registry.list_presets() else None
    if path is None or not os.path.isfile(path):
        raise SystemExit(f"no preset file zoo/*/{args.preset}.json")
    commit = args.commit
    if commit is None:
        if _git("status", "--porcelain", "--", "keras_gans", "zoo"):
            raise SystemExit(
                "keras_gans/ or zoo/ has uncommitted changes: commit first or "
                "pass --commit for the commit you measured."
            )
        commit = _git("rev-parse", "HEAD")
    entry = {"metrics": _metrics(args), "command": args.command, "commit": commit}
    for key in ("backend", "device", "notes", "epochs"):
        if getattr(args, key):
            entry[key] = getattr(args, key)
    entry["date"] = datetime.date.today().isoformat()
    preset = registry.read_preset_files(path)
    preset["results"].append(entry)
    presets_table.write_preset(path, preset)
    presets_table.main(["--write"])
    family_pages.main(["--write"])
    print(f"recorded {entry['metrics']} in {os.path.relpath(registry.records_path(path), ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
