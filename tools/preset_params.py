"""Fill in (or check) the `param_count` of every preset in zoo/*/.

The count is measured, not typed: each preset whose family is registered is
built and `keras_gans.presets.count_model_params` is written into its file.
Presets of families that are not registered are reported and left alone.

Usage (from the repository root):

    python tools/preset_params.py           # check; exit 1 on a mismatch
    python tools/preset_params.py --write   # update the files
"""

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update the files")
    args = parser.parse_args(argv)

    from keras_gans import presets, registry

    import presets_table

    status = 0
    for path in registry.recipe_files(os.path.join(ROOT, "zoo")):
        preset = registry.read_preset_files(path)
        if preset["family"] not in registry.list_models():
            print(f"{preset['name']}: family {preset['family']!r} not registered; skipped")
            continue
        count = presets.count_model_params(presets.build_preset(preset, compile=False))
        if preset.get("param_count") == count:
            print(f"{preset['name']}: {count:,} parameters (unchanged)")
            continue
        if args.write:
            preset["param_count"] = count
            presets_table.write_preset(path, preset)
            print(f"{preset['name']}: wrote {count:,} parameters")
        else:
            print(f"{preset['name']}: file says {preset.get('param_count')}, model has {count}")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
