"""The `keras-gans` command: list, info, train, sample, export, evaluate.

```
keras-gans list [PATTERN]                 families and presets
keras-gans info NAME                      a preset's recipe, or a family's arguments
keras-gans train NAME [--out DIR] ...     train a preset: progress bar, a sample
                                          grid per epoch, checkpoints, --resume
keras-gans sample MODEL --num N --out grid.png [--labels 0 1 ...] [--seed S]
keras-gans export MODEL DIR [--format onnx] the generator as a TF Serving SavedModel (or ONNX)
keras-gans evaluate MODEL                 sample-quality metrics against real images
```

MODEL is a `.keras` file, the `--out` folder of a `keras-gans train` run, or
the name of a preset that ships trained weights (`keras-gans sample
dcgan_digits --out grid.png` works right after `pip install`). A path that
exists wins over a preset of the same name.

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


def _model_path(path):
    """The .keras file named by `path` (a file, or a run folder holding one)."""
    if os.path.isdir(path):
        candidate = os.path.join(path, MODEL_FILE)
        if os.path.isfile(candidate):
            return candidate
        raise UserError(
            f"{path!r} is a folder without a {MODEL_FILE}; pass a .keras file "
            "or the --out folder of a finished `keras-gans train` run."
        )
    if not os.path.exists(path):
        raise UserError(f"no model file at {os.path.abspath(path)!r}.")
    if not path.endswith(".keras"):
        raise UserError(
            f"{path!r} is not a .keras file; expected a model saved with "
            "model.save('name.keras') or by `keras-gans train`."
        )
    return path


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


#: TensorFlow's and XLA's start-up lines on stderr: log-initialisation
#: notices, INFO lines, and the missing-GPU messages that read as errors on a
#: machine without CUDA. Everything else on stderr passes through.
_CHATTER_PREFIXES = (
    "WARNING: All log messages before absl::InitializeLog()",
    "I0000 ",
    "To enable the following instructions",
)
_GPU_WORDS = ("cuda", "cuinit", "cudnn", "cufft", "cublas", "tensorrt", "gpu will not be used")


def _is_chatter(line):
    if line.startswith(_CHATTER_PREFIXES):
        return True
    return line.startswith(("E0000 ", "W0000 ")) and any(
        word in line.lower() for word in _GPU_WORDS)


class _QuietNativeStderr:
    """Filter TensorFlow's start-up chatter out of file descriptor 2.

    TensorFlow writes it from C++, below Python's `sys.stderr`; so the
    descriptor is pointed at a pipe whose reader thread passes every other
    line (user errors, warnings, tracebacks) on to the real stderr.

    Example:

    ```python
    with _QuietNativeStderr():
        import tensorflow  # its start-up lines are dropped
    ```
    """

    def __enter__(self):
        import threading

        try:
            sys.stderr.flush()
            self._saved = os.dup(2)
        except (OSError, ValueError):  # no real descriptor (e.g. captured)
            self._saved = None
            return self
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)

        def pump(read_end=read_end, out=self._saved):
            with os.fdopen(read_end, "rb") as pipe:
                for raw in pipe:
                    line = raw.decode("utf-8", "replace")
                    if not _is_chatter(line):
                        os.write(out, raw)

        self._thread = threading.Thread(target=pump, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._saved is None:
            return False
        try:
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os.dup2(self._saved, 2)  # closes the pipe's last write end
        self._thread.join(timeout=5)
        os.close(self._saved)
        return False


def _preset_model(name, compile=True):
    """The model of preset `name` with its shipped weights, or None.

    None when `name` is an existing path or not a preset name; a preset
    without shipped weights is a UserError that says how to train it.
    """
    if os.path.exists(name) or name.endswith(".keras"):
        return None
    from keras_gans import presets

    key = name.lower().replace("-", "_")
    if key not in presets.list_presets():
        return None
    try:
        return presets.from_preset(key, compile=compile, weights=True)
    except ValueError as error:
        raise UserError(_first_line(error)) from None


def _load_model(path, compile=True):
    model = _preset_model(path, compile=compile)
    if model is not None:
        return model
    from keras_gans import runs

    return runs.load_model(_model_path(path), compile=compile)


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


# --------------------------------------------------------------------------
# commands


def _cmd_list(args):
    import fnmatch

    from keras_gans import presets, registry

    pattern = args.pattern or "*"
    # The static table: no TensorFlow start-up for a listing.
    known = sorted(set(registry.BUILTIN_FAMILIES) | set(registry._MODELS))
    families = [n for n in known if fnmatch.fnmatchcase(n, pattern)]
    names = presets.list_presets(pattern)
    if not families and not names:
        raise UserError(
            f"nothing matches {pattern!r}; `keras-gans list` shows every "
            "family and preset."
        )
    print("families:")
    for name in families:
        doc = _family_doc(name).strip().splitlines()
        print(f"  {name:<18} {doc[0] if doc else name}")
    print("presets:")
    registered = set(known)
    for name in names:
        preset = presets.get_preset(name)
        note = "" if preset["family"] in registered else "  (family not installed)"
        count = preset.get("param_count")
        params = f"{count:,} params" if count else "params not counted"
        print(f"  {name:<30} {preset['family']:<16} {params}{note}")
    return 0


def _cmd_info(args):
    from keras_gans import presets, registry, runs

    name = args.name.lower().replace("-", "_")
    if name in registry.BUILTIN_FAMILIES or name in registry._MODELS:
        module, class_name = registry.BUILTIN_FAMILIES.get(name) or (
            registry._MODELS[name].__module__, registry._MODELS[name].__name__)
        print(f"family {name}: {module}.{class_name}")
        print(_family_doc(name))
        print(f"\npresets: {', '.join(presets.list_presets(family=name)) or 'none'}")
        return 0
    preset = runs.resolve_preset(args.name)
    print(json.dumps(preset, indent=2))
    print(f"\nreproduce: keras-gans train {preset['name']} --out runs/{preset['name']}")
    return 0


def _cmd_train(args):
    from keras_gans import runs

    preset = runs.resolve_preset(args.name)
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


def _cmd_sample(args):
    if args.num < 1:
        raise UserError(f"--num must be >= 1; received {args.num}.")
    if os.path.exists(args.out) and not args.overwrite:
        raise UserError(f"{args.out!r} already exists; pass --overwrite to replace it.")
    if not args.out.lower().endswith(".png"):
        raise UserError(f"--out must name a .png file; received {args.out!r}.")
    _check_writable(os.path.dirname(os.path.abspath(args.out)))
    model = _load_model(args.model, compile=False)
    labels = _parse_labels(args.labels)
    classes = model.num_classes
    if labels and classes and any(not 0 <= y < classes for y in labels):
        raise UserError(
            f"--labels must lie in [0, {classes}); received {labels}."
        )
    from keras_gans import images

    samples = _generate(model, args.num, args.seed, labels)
    images.save_grid(samples, args.out, ncols=args.cols)
    print(f"Wrote {args.num} samples to {args.out}")
    return 0


def _cmd_export(args):
    if args.format == "onnx":
        return _cmd_export_onnx(args)
    try:
        from keras_gans.export import export_generator
    except ImportError:
        raise UserError(
            "this installation of keras_gans has no export module "
            "(keras_gans.export); upgrade keras_gans to export generators."
        ) from None
    _check_writable(args.dir)
    model = _load_model(args.model, compile=False)
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


def _cmd_export_onnx(args):
    if args.version is not None or args.uint8:
        raise UserError(
            "--version and --uint8 are SavedModel options; --format onnx "
            "writes one file (DIR/generator.onnx, or DIR itself if it ends in .onnx)."
        )
    from keras_gans.onnx_export import export_onnx, onnx_path

    _check_writable(os.path.dirname(os.path.abspath(onnx_path(args.dir))))
    model = _load_model(args.model, compile=False)
    try:
        path = export_onnx(model, args.dir, overwrite=args.overwrite)
    except (FileExistsError, ValueError, TypeError, ImportError, RuntimeError) as error:
        message = _first_line(error).replace("Pass overwrite=True", "Pass --overwrite")
        raise UserError(message) from None
    print(f"Exported the generator to {path} (ONNX)")
    return 0


def _cmd_evaluate(args):
    try:
        from keras_gans.evaluation import evaluate_generator
    except ImportError:
        raise UserError(
            "this installation of keras_gans has no evaluation module "
            "(keras_gans.evaluation); upgrade keras_gans to evaluate models."
        ) from None
    import numpy as np

    model = _preset_model(args.model, compile=False)
    path = args.model if model is not None else _model_path(args.model)
    if args.json:
        _check_writable(os.path.dirname(os.path.abspath(args.json)))
    spec = None
    run_file = os.path.join(os.path.dirname(os.path.abspath(path)), RUN_FILE)
    if args.dataset:
        spec = {"name": args.dataset}
    elif model is not None:
        from keras_gans import presets

        spec = dict(presets.get_preset(args.model)["dataset"])
    elif os.path.isfile(run_file):
        from keras_gans import runs

        try:
            spec = dict(runs.read_json(run_file)["dataset"])
        except (KeyError, TypeError):
            raise UserError(f"{run_file!r} is damaged: it names no data set; pass --dataset.") from None
    else:
        raise UserError(
            "pass --dataset: the model was not trained by `keras-gans train`, "
            "so its data set is unknown."
        )
    if model is None:
        model = _load_model(path, compile=False)
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


def results_table(results):
    """The metrics of `keras-gans evaluate` as a plain-text table.

    One row per scalar metric (value and, where present, its standard
    deviation); KID is shown on the usual x10^3 scale (`kid_x1e3_*`), its
    protocol and the class shares below the table.

    Example:

    >>> print(results_table({"fid_digits": 1.5, "kid_digits": 0.002, "kid_digits_std": 0.001}))
    metric           value       std
    fid_digits       1.5
    kid_x1e3_digits  2           1
    """
    results = dict(results)
    for key in [k for k in results if k.startswith("kid_") and "x1e3" not in k
                and "protocol" not in k and not k.endswith("_std")]:
        scaled = "kid_x1e3_" + key[len("kid_"):]
        results.setdefault(scaled, 1e3 * float(results[key]))
        if key + "_std" in results:
            results.setdefault(scaled + "_std", 1e3 * float(results[key + "_std"]))
        results.pop(key)
        results.pop(key + "_std", None)
    rows, notes = [], []
    for key, value in results.items():
        if key.endswith("_std") and key[: -len("_std")] in results:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            notes.append(f"{key}: {value}")
            continue
        std = results.get(key + "_std")
        rows.append((key, f"{value:.4g}", "" if std is None else f"{float(std):.2g}"))
    width = max([len("metric")] + [len(r[0]) for r in rows]) + 2
    lines = [f"{'metric':<{width}}{'value':<12}std"]
    lines += [f"{name:<{width}}{value:<12}{std}".rstrip() for name, value, std in rows]
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
    p.add_argument("--num", type=int, default=64, help="how many images (default 64)")
    p.add_argument("--out", required=True, help="the .png to write")
    p.add_argument("--labels", nargs="+",
                   help="class labels for conditional models, cycled (e.g. 0 1 2 or 0,1,2)")
    p.add_argument("--seed", type=int, default=0, help="noise seed (default 0)")
    p.add_argument("--cols", type=_positive_int, help="columns of the grid")
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
