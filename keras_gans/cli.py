"""The `keras-gans` command: list, info, train, sample, export, evaluate.

```
keras-gans list [PATTERN] [--pretrained]  families and presets ('trained': ships weights)
keras-gans info NAME                      a preset's recipe, or a family's arguments
keras-gans train NAME [--out DIR] ...     train a preset: progress bar, a sample
                                          grid per epoch, checkpoints, --resume
keras-gans sample MODEL --out grid.png [--num N] [--labels 0 1 ...] [--per-class]
keras-gans export MODEL DIR [--format onnx] the generator as a TF Serving SavedModel (or ONNX)
keras-gans evaluate MODEL                 sample-quality metrics against real images
```

MODEL is a `.keras` file, the `--out` folder of a `keras-gans train` run, or
the name of a preset that ships trained weights (`keras-gans sample
dcgan_digits --out grid.png` works right after `pip install`). A path that
exists wins over a preset of the same name; NAME (`info`, `train`) is a
preset (or, for `info`, a family) name or a preset `.json` file. When the
argument is neither, one line names both readings and the close names
(`keras_gans.names`), and answers without starting TensorFlow.

Also runs as `python -m keras_gans`. A user error (unknown preset, bad path,
missing data set, an output folder that already holds a model, a file that is
not a model) prints one line starting with `keras-gans: error:` to stderr and
exits with status 1; nothing saved is overwritten unless `--overwrite` is
given.

`train` is argument parsing around `keras_gans.runs.train`, the one training
path of the project; see `keras_gans.runs` for what `train --out DIR` writes
(run.json, samples/epoch_NNN.png, history.csv, checkpoint/, model.keras) and
how --resume continues a killed run.
"""

import argparse
import json
import os
import sys

from keras_gans.runs import (  # noqa: F401  (the names a run writes)
    CHECKPOINT_DIR,
    HISTORY_FILE,
    MODEL_FILE,
    RUN_FILE,
    RUN_OUTPUTS,
    SAMPLES_DIR,
    STATE_FILE,
    RunError,
)


class UserError(RunError):
    """A mistake in the command line or its inputs: reported in one line."""


# --------------------------------------------------------------------------
# helpers


def _first_line(error):
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _resolve(text, kinds=("preset",), path_kind="model file or run folder",
             is_path=os.path.exists):
    """Read MODEL/NAME as an existing path or a zoo name (`keras_gans.names`):
    one line naming both readings and the close names when it is neither."""
    from keras_gans import names

    try:
        return names.resolve(text, kinds, path_kind, is_path)
    except names.NameNotFound as error:
        raise UserError(str(error)) from None


def _check_writable(folder):
    """A UserError naming `folder` unless files can be written there."""
    from keras_gans import files

    try:
        files.check_writable(folder)
    except OSError as error:
        raise UserError(files.describe_os_error(error)) from None


def _family_doc(name):
    """A family's docstring: read statically for built-in families."""
    import inspect

    from keras_gans import registry

    if name in registry.BUILTIN_FAMILIES:
        return registry.builtin_docstring(name)
    return inspect.cleandoc(registry._MODELS[name].__doc__ or "")


# The start-up chatter filter lives in keras_gans.quiet (the demo uses it
# too); these names stay importable from here.
from keras_gans.quiet import QuietStartup as _QuietNativeStderr  # noqa: E402
from keras_gans.quiet import is_chatter as _is_chatter  # noqa: E402,F401


def _load_model(source, compile=True):
    """The model MODEL names: a preset's shipped weights, or a `.keras` file
    (or run folder) opened by `keras_gans.load_model` and its checks."""
    if isinstance(source, str):
        source = _resolve(source)
    if source.kind == "preset":
        from keras_gans import names, presets

        if not presets.get_preset(source.value).get("weights"):
            # Answered before TensorFlow starts, with the close presets
            # that do ship weights.
            pretrained = [n for n in presets.list_presets()
                          if presets.get_preset(n).get("weights")]
            close = names.close_names(source.value, pretrained)
            hint = f"close ones that do: {', '.join(close)}; " if close else ""
            raise UserError(
                f"the preset {source.value!r} ships no trained weights; {hint}"
                "`keras-gans list --pretrained` lists them all, and `keras-gans "
                f"train {source.value}` trains this one (then pass its run folder)."
            )
        try:
            return presets.from_preset(source.value, compile=compile, weights=True)
        except ValueError as error:
            raise UserError(_first_line(error)) from None
    from keras_gans import loading

    try:
        return loading.load_model(source.value, compile=compile)
    except loading.ModelFileError as error:
        raise UserError(str(error)) from None


def _generate(model, num, seed, labels=None):
    """Images from a model, its inputs drawn by `model.sample_inputs`.

    `labels` (conditional models only) are cycled to `num`; by default a
    conditional model gets the labels `sample_inputs` draws.
    """
    import numpy as np

    z, default_labels = model.sample_inputs(num, seed=seed)
    if labels is not None:
        if default_labels is None:
            raise UserError(
                f"--labels given, but the {type(model).__name__} model is not "
                "class-conditional."
            )
        default_labels = np.resize(np.asarray(labels, dtype="int32"), num)
    if default_labels is None:
        return model.generate(z=z)
    return model.generate(z=z, labels=default_labels)


def per_class_inputs(model, classes, per_class, seed):
    """Inputs of a one-row-per-class grid: row i shows class `classes[i]`.

    Every row uses the same `per_class` latent vectors, so a column keeps
    its noise (the "style") and only the class changes down it.

    Args:
        model: a class-conditional zoo model.
        classes: the classes, one row each, in order.
        per_class: images per row.
        seed: noise seed.

    Returns:
        `(z, labels)` for `len(classes) * per_class` images, row-major.

    Example:

    >>> z, labels = per_class_inputs(gan, [0, 1, 2], per_class=4, seed=0)
    >>> labels.tolist()
    [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
    """
    import numpy as np

    z, _ = model.sample_inputs(per_class, seed=seed)
    z = np.tile(np.asarray(z), (len(classes), 1))
    labels = np.repeat(np.asarray(classes, dtype="int32"), per_class)
    return z, labels


# --------------------------------------------------------------------------
# commands


def _ships_weights(preset):
    return bool(preset.get("weights"))


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


def _preset_argument(source):
    """What `runs.resolve_preset` takes for a resolved NAME: the preset's
    name, or the absolute path of a preset file (read as a file)."""
    return source.value if source.kind == "preset" else os.path.abspath(source.value)


def _cmd_train(args):
    from keras_gans import runs

    source = _resolve(args.name, path_kind="preset .json file", is_path=os.path.isfile)
    preset = runs.resolve_preset(_preset_argument(source))
    out = args.out or os.path.join("runs", preset["name"])
    try:
        runs.train(
            preset, out=out, data=args.dataset, data_dir=args.data_dir,
            epochs=args.epochs, steps_per_epoch=args.steps,
            batch_size=args.batch_size, seed=args.seed,
            checkpoint_every=args.checkpoint_every, num_samples=args.num_samples,
            resume=args.resume, overwrite=args.overwrite,
            argv=["keras-gans"] + list(args.argv or []),
            stop_after_steps=args.stop_after_steps,
        )
    except KeyboardInterrupt:
        print(
            f"\nInterrupted. Continue with: keras-gans train {args.name} "
            f"--out {out} --resume",
            file=sys.stderr,
        )
        return 130
    return 0


def _parse_labels(values):
    labels = []
    for value in values or []:
        for part in str(value).split(","):
            if part.strip():
                try:
                    labels.append(int(part))
                except ValueError:
                    raise UserError(
                        f"--labels takes integers; received {part!r}."
                    ) from None
    return labels or None


#: Images per class in a `sample --per-class` grid without --cols.
PER_CLASS_DEFAULT = 8


def _cmd_sample(args):
    if args.num is not None and args.num < 1:
        raise UserError(f"--num must be >= 1; received {args.num}.")
    if args.per_class and args.num is not None:
        raise UserError(
            f"--num and --per-class exclude each other (received --num {args.num}); "
            "--per-class writes one row per class of --cols images "
            f"(default {PER_CLASS_DEFAULT})."
        )
    if os.path.exists(args.out) and not args.overwrite:
        raise UserError(f"{args.out!r} already exists; pass --overwrite to replace it.")
    if not args.out.lower().endswith(".png"):
        raise UserError(f"--out must name a .png file; received {args.out!r}.")
    labels = _parse_labels(args.labels)
    source = _resolve(args.model)
    _check_writable(os.path.dirname(os.path.abspath(args.out)))
    model = _load_model(source, compile=False)
    classes = model.num_classes
    if (labels or args.per_class) and not classes:
        flag = "--per-class" if args.per_class else "--labels"
        raise UserError(
            f"{flag} given, but the {type(model).__name__} model is not "
            "class-conditional."
        )
    if labels and classes and any(not 0 <= y < classes for y in labels):
        raise UserError(
            f"--labels must lie in [0, {classes}); received {labels}."
        )
    from keras_gans import images

    if args.per_class:
        rows = labels or list(range(int(classes)))
        cols = args.cols or PER_CLASS_DEFAULT
        z, grid_labels = per_class_inputs(model, rows, cols, args.seed)
        samples = model.generate(z=z, labels=grid_labels)
        what = f"{len(rows)} rows (classes {', '.join(map(str, rows))}) of {cols}"
    else:
        num = 64 if args.num is None else args.num
        # --labels: one column per label, so each class sits in its column.
        cols = args.cols or (len(labels) if labels else None)
        samples = _generate(model, num, args.seed, labels)
        what = f"{num} samples"
    images.save_grid(samples, args.out, ncols=cols)
    print(f"Wrote {what} to {args.out}")
    return 0


def _cmd_export(args):
    source = _resolve(args.model)  # a typo is answered before TensorFlow starts
    if args.format == "onnx":
        return _cmd_export_onnx(args, source)
    try:
        from keras_gans.export import export_generator
    except ImportError:
        raise UserError(
            "this installation of keras_gans has no export module "
            "(keras_gans.export); upgrade keras_gans to export generators."
        ) from None
    _check_writable(args.dir)
    model = _load_model(source, compile=False)
    try:
        path = export_generator(
            model, args.dir, version=args.version, overwrite=args.overwrite,
            uint8=args.uint8,
        )
    except (FileExistsError, ValueError, TypeError) as error:
        message = _first_line(error).replace("Pass overwrite=True", "Pass --overwrite")
        raise UserError(message) from None
    print(f"Exported the generator to {path or args.dir}")
    return 0


def _cmd_export_onnx(args, source):
    if args.version is not None or args.uint8:
        raise UserError(
            "--version and --uint8 are SavedModel options; --format onnx "
            "writes one file (DIR/generator.onnx, or DIR itself if it ends in .onnx)."
        )
    from keras_gans.onnx_export import export_onnx, onnx_path

    _check_writable(os.path.dirname(os.path.abspath(onnx_path(args.dir))))
    model = _load_model(source, compile=False)
    try:
        path = export_onnx(model, args.dir, overwrite=args.overwrite)
    except (FileExistsError, ValueError, TypeError, ImportError, RuntimeError) as error:
        message = _first_line(error).replace("Pass overwrite=True", "Pass --overwrite")
        raise UserError(message) from None
    print(f"Exported the generator to {path} (ONNX)")
    return 0


def _cmd_evaluate(args):
    source = _resolve(args.model)  # a typo is answered before TensorFlow starts
    try:
        from keras_gans.evaluation import evaluate_generator
    except ImportError:
        raise UserError(
            "this installation of keras_gans has no evaluation module "
            "(keras_gans.evaluation); upgrade keras_gans to evaluate models."
        ) from None
    import numpy as np

    if args.json:
        _check_writable(os.path.dirname(os.path.abspath(args.json)))
    spec = None
    if args.dataset:
        spec = {"name": args.dataset}
    elif source.kind == "preset":
        from keras_gans import presets

        spec = dict(presets.get_preset(source.value)["dataset"])
    else:
        from keras_gans import loading, runs

        path = source.value
        folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        run_file = os.path.join(folder, RUN_FILE)
        if not os.path.isfile(run_file):
            # Check the file before asking for --dataset: a typo'd or
            # damaged path says so first.
            try:
                loading.check_model_file(loading.model_file(path))
            except loading.ModelFileError as error:
                raise UserError(str(error)) from None
            raise UserError(
                "pass --dataset: the model was not trained by `keras-gans train`, "
                "so its data set is unknown."
            )
        try:
            spec = dict(runs.read_json(run_file)["dataset"])
        except (KeyError, TypeError):
            raise UserError(f"{run_file!r} is damaged: it names no data set; pass --dataset.") from None
    model = _load_model(source, compile=False)
    spec["with_labels"] = False
    spec["image_size"] = list(model.image_shape[:2])
    from keras_gans import runs

    dataset = runs.load_data(
        spec, model.image_shape, 256, seed=0, data_dir=args.data_dir,
        split=args.split, shuffle=False, limit=args.num_real,
    )
    real = np.concatenate([np.asarray(batch) for batch in dataset], axis=0)
    try:
        results = evaluate_generator(
            model, real, num_samples=args.num_samples, seed=args.seed
        )
    except (ValueError, TypeError) as error:
        raise UserError(_first_line(error)) from None
    text = json.dumps(results, indent=2, default=float)
    print(results_table(results))
    if args.json:
        from keras_gans import files

        files.write_text(args.json, text + "\n")
    return 0


def _spread_note(results, key):
    """What a metric's std is over: "100 subsets of 360", "10 splits"."""
    subsets = results.get(key + "_subsets")
    if subsets is not None:
        size = results.get(key + "_subset_size")
        return f"{int(subsets)} subsets" + (f" of {int(size)}" if size is not None else "")
    splits = results.get(key + "_splits")
    if splits is not None:
        return f"{int(splits)} split" + ("s" if int(splits) != 1 else " (no spread)")
    return ""


#: Keys folded into another metric's row (the counts behind its std).
_COUNT_SUFFIXES = ("_subsets", "_subset_size", "_splits")


def results_table(results):
    """The metrics of `keras-gans evaluate` as a plain-text table.

    One row per scalar metric: its value, its standard deviation where it has
    one, and what that deviation is over (KID: the subsets and their size;
    IS: the splits). KID is printed as measured: in the zoo's classifier
    feature spaces it has its own magnitudes, not the x10^3 scale papers use
    for Inception features (docs/evaluation.md gives the range to expect).
    The protocol and the class shares follow the table.

    Example:

    >>> print(results_table({"fid_digits": 1.5, "kid_digits": 26.4, "kid_digits_std": 48.0,
    ...                      "kid_digits_subsets": 100, "kid_digits_subset_size": 360}))
    metric       value       std       std over
    fid_digits   1.5
    kid_digits   26.4        48        100 subsets of 360
    """
    results = {k: v for k, v in results.items() if "x1e3" not in k}
    rows, notes = [], []
    for key, value in results.items():
        if key.endswith("_std") and key[: -len("_std")] in results:
            continue
        if key.endswith(_COUNT_SUFFIXES) and any(
                key[: -len(suffix)] in results for suffix in _COUNT_SUFFIXES
                if key.endswith(suffix)):
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            notes.append(f"{key}: {value}")
            continue
        std = results.get(key + "_std")
        over = _spread_note(results, key)
        if std is None and not over:
            std_text = ""
        else:
            std_text = "—" if std is None else f"{float(std):.2g}"
        rows.append((key, f"{value:.4g}", std_text, over))
    width = max([len("metric")] + [len(r[0]) for r in rows]) + 3
    lines = [f"{'metric':<{width}}{'value':<12}{'std':<10}std over"]
    lines += [f"{name:<{width}}{value:<12}{std:<10}{over}".rstrip()
              for name, value, std, over in rows]
    return "\n".join(lines + notes)


# --------------------------------------------------------------------------
# parser


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer; received {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer; received {text!r}")
    return value


def build_parser():
    """The argument parser of `keras-gans` (for docs and tests).

    Returns:
        An `argparse.ArgumentParser`.

    Example:

    >>> build_parser().parse_args(["list", "dcgan*"]).pattern
    'dcgan*'
    """
    parser = argparse.ArgumentParser(
        prog="keras-gans",
        description="A model zoo of GANs for Keras 3: list, train, sample, "
        "export and evaluate.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", help="list model families and presets")
    p.add_argument("pattern", nargs="?", help="shell-style pattern, e.g. 'dcgan*'")
    p.add_argument("--pretrained", action="store_true",
                   help="only the presets that ship trained weights")
    p.set_defaults(handler=_cmd_list)

    p = sub.add_parser("info", help="show a preset's recipe or a family's arguments")
    p.add_argument("name", help="a preset or family name, or a preset .json file")
    p.set_defaults(handler=_cmd_info)

    p = sub.add_parser("train", help="train a preset")
    p.add_argument("name", help="a preset name (see `keras-gans list`) or a preset .json file")
    p.add_argument("--out", help="output folder (default: runs/<preset>)")
    p.add_argument("--dataset", help="data set name or image folder replacing the preset's")
    p.add_argument("--data-dir", help="tensorflow-datasets data directory")
    p.add_argument("--epochs", type=_positive_int, help="number of epochs")
    p.add_argument("--steps", type=_positive_int,
                   help="batches per epoch (default: one pass over the data)")
    p.add_argument("--batch-size", type=_positive_int, help="batch size")
    p.add_argument("--seed", type=int, help="seed of weights, data order and noise")
    p.add_argument("--checkpoint-every", type=_positive_int, default=500,
                   help="also checkpoint every this many steps (default 500)")
    p.add_argument("--num-samples", type=_positive_int, default=64,
                   help="images in each epoch's sample grid (default 64)")
    p.add_argument("--resume", action="store_true",
                   help="continue the interrupted run in --out")
    p.add_argument("--overwrite", action="store_true",
                   help="replace the run already in --out, once the new run is saved")
    # Testing aid: exit abruptly after N steps, like a killed process.
    p.add_argument("--stop-after-steps", type=_positive_int, help=argparse.SUPPRESS)
    p.set_defaults(handler=_cmd_train)

    p = sub.add_parser("sample", help="write a grid of generated images")
    p.add_argument("model", help="a .keras file, a training --out folder or a preset with weights")
    p.add_argument("--num", type=int, help="how many images (default 64)")
    p.add_argument("--out", required=True, help="the .png to write")
    p.add_argument("--labels", nargs="+",
                   help="class labels for conditional models, cycled, one column "
                   "each (e.g. 0 1 2 or 0,1,2)")
    p.add_argument("--per-class", action="store_true",
                   help="conditional models: one row per class (or per --labels), "
                   f"--cols images each (default {PER_CLASS_DEFAULT}), a column "
                   "sharing its noise")
    p.add_argument("--seed", type=int, default=0, help="noise seed (default 0)")
    p.add_argument("--cols", type=_positive_int,
                   help="columns of the grid (default: one per --labels label, else square)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    p.set_defaults(handler=_cmd_sample)

    p = sub.add_parser("export", help="export the generator as a SavedModel")
    p.add_argument("model", help="a .keras file, a training --out folder or a preset with weights")
    p.add_argument("dir", help="the export folder")
    p.add_argument("--version", type=int, help="version sub-folder (TF Serving)")
    p.add_argument("--uint8", action="store_true", help="also return uint8 pixels")
    p.add_argument("--format", choices=("savedmodel", "onnx"), default="savedmodel",
                   help="savedmodel (a TF Serving version folder, default) or onnx "
                   "(DIR/generator.onnx for ONNX Runtime)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing export")
    p.set_defaults(handler=_cmd_export)

    p = sub.add_parser("evaluate", help="sample-quality metrics against real images")
    p.add_argument("model", help="a .keras file, a training --out folder or a preset with weights")
    p.add_argument("--dataset", help="real images (default: the run's data set)")
    p.add_argument("--split", default="test", help="split of real images (default test)")
    p.add_argument("--data-dir", help="tensorflow-datasets data directory")
    p.add_argument("--num-samples", type=_positive_int, default=1000,
                   help="generated images (default 1000)")
    p.add_argument("--num-real", type=_positive_int, default=None,
                   help="real images to use (default: the whole split)")
    p.add_argument("--seed", type=int, default=0, help="noise seed (default 0)")
    p.add_argument("--json", help="also write the results to this file")
    p.set_defaults(handler=_cmd_evaluate)
    return parser


#: The commands that need Keras (and so TensorFlow or JAX).
_HEAVY_COMMANDS = ("train", "sample", "export", "evaluate")


def _run_quietly(args):
    """Run a heavy command with its errors reported inside the quiet block,
    so they pass through the filter in order."""
    try:
        return args.handler(args)
    except RunError as error:
        print(f"keras-gans: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        from keras_gans import files

        print(f"keras-gans: error: {files.describe_os_error(error)}", file=sys.stderr)
        return 1


def main(argv=None):
    """Run the `keras-gans` command line.

    Args:
        argv: the arguments after the program name; `sys.argv[1:]` when None.

    Returns:
        The exit status: 0 on success, 1 on a user error (reported in one
        line on stderr), 2 on a malformed command line.

    Example:

    ```python
    from keras_gans.cli import main
    main(["train", "dcgan_digits", "--out", "runs/dcgan", "--epochs", "5"])
    main(["sample", "runs/dcgan/model.keras", "--num", "64", "--out", "grid.png"])
    ```
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    args.argv = argv
    quiet = _QuietNativeStderr() if args.command in _HEAVY_COMMANDS else None
    try:
        if quiet is None:
            return args.handler(args)
        with quiet:
            return _run_quietly(args)
    except RunError as error:  # UserError too
        print(f"keras-gans: error: {error}", file=sys.stderr)
        return 1
    except ImportError as error:  # a Keras backend that is not installed
        if "pip install keras-gans[" not in str(error):
            raise
        print(f"keras-gans: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a read-only folder, a full disk, ...
        from keras_gans import files

        print(f"keras-gans: error: {files.describe_os_error(error)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
