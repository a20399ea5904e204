"""The `keras-gans` command: list, info, train, sample, export, evaluate.

```
keras-gans list [PATTERN]                 families and presets
keras-gans info NAME                      a preset's recipe, or a family's arguments
keras-gans train NAME [--out DIR] ...     train a preset: progress bar, a sample
                                          grid per epoch, checkpoints, --resume
keras-gans sample MODEL --num N --out grid.png [--labels 0 1 ...] [--seed S]
keras-gans export MODEL DIR               the generator as a TF Serving SavedModel
keras-gans evaluate MODEL                 sample-quality metrics against real images
```

Also runs as `python -m keras_gans`. A user error (unknown preset, bad path,
missing data set, an output folder that already holds a model, a file that is
not a model) prints one line starting with `keras-gans: error:` to stderr and
exits with status 1; nothing saved is overwritten unless `--overwrite` is
given.

What `train --out DIR` writes:

```
DIR/run.json          the preset and settings of the run (used by --resume)
DIR/samples/epoch_NNN.png   a grid of samples from fixed noise, every epoch
DIR/history.csv       the losses of every epoch
DIR/checkpoint/       the latest checkpoint while training (model with
                      optimizer state + position in the run); removed at the end
DIR/model.keras       the final model
```

A resumed run continues from the last checkpoint's optimizer step and ends
after the same number of steps as an uninterrupted one. Its data order and
training noise after the checkpoint differ from those of an uninterrupted run
(the input pipeline restarts and the noise stream is reseeded), so the
weights are not bit-identical to an uninterrupted run's.
"""

import argparse
import json
import os
import shutil
import sys
import time

MODEL_FILE = "model.keras"
RUN_FILE = "run.json"
CHECKPOINT_DIR = "checkpoint"
STATE_FILE = "state.json"
SAMPLES_DIR = "samples"
HISTORY_FILE = "history.csv"
# Files and folders a run writes; --overwrite removes these and nothing else.
RUN_OUTPUTS = (MODEL_FILE, RUN_FILE, CHECKPOINT_DIR, SAMPLES_DIR, HISTORY_FILE)


class UserError(Exception):
    """A mistake in the command line or its inputs: reported in one line."""


# --------------------------------------------------------------------------
# helpers


def _registry():
    from keras_gans import registry

    return registry


def _first_line(error):
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def _resolve_preset(name):
    """A preset dict from a registered name or the path of a preset file."""
    registry = _registry()
    if name.endswith(".json") or os.sep in name:
        if not os.path.isfile(name):
            raise UserError(f"no preset file at {os.path.abspath(name)!r}.")
        try:
            with open(name, encoding="utf-8") as f:
                preset = json.load(f)
            return registry.validate_preset(preset, name)
        except (ValueError, OSError) as error:
            raise UserError(_first_line(error)) from None
    try:
        return registry.get_preset(name)
    except (ValueError, TypeError) as error:
        raise UserError(_first_line(error)) from None


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


def _load_model(path, compile=True):
    path = _model_path(path)
    import keras

    import keras_gans  # noqa: F401  (registers the zoo's classes)

    try:
        return keras.saving.load_model(path, compile=compile)
    except Exception as error:  # a broken file can fail in many ways
        raise UserError(
            f"could not load {path!r} as a Keras model "
            f"({type(error).__name__}: {_first_line(error)})."
        ) from None


def _num_classes(model):
    value = getattr(model, "num_classes", None)
    return int(value) if value else None


def _generate(model, num, seed, labels=None):
    """Images from a model; conditional models get `labels` (cycled)."""
    import inspect

    import numpy as np

    num_classes = _num_classes(model)
    kwargs = {"seed": seed}
    if num_classes:
        if labels is None:
            labels = list(range(num_classes))
        labels = np.resize(np.asarray(labels, dtype="int32"), num)
        if "labels" in inspect.signature(model.generate).parameters:
            kwargs["labels"] = labels
    elif labels is not None:
        raise UserError(
            f"--labels given, but the {type(model).__name__} model is not "
            "class-conditional."
        )
    return model.generate(num, **kwargs)


def _load_dataset(spec, image_shape, batch_size, seed, data_dir=None, split=None,
                  shuffle=True, limit=None):
    from keras_gans import datasets

    image_size = spec.get("image_size") or list(image_shape[:2])
    try:
        return datasets.load(
            spec["name"],
            split=split or spec.get("split", "train"),
            image_size=tuple(image_size),
            batch_size=batch_size,
            with_labels=bool(spec.get("with_labels", False)),
            shuffle=shuffle,
            seed=seed,
            data_dir=data_dir,
            channels=int(image_shape[-1]),
            limit=limit,
        )
    except Exception as error:  # unknown name, bad folder, no download
        raise UserError(
            f"could not load the data set {spec['name']!r}: {_first_line(error)}"
        ) from None


def _write_json(path, value):
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def _read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


# --------------------------------------------------------------------------
# callbacks used by `train`


def _make_checkpointer(run_dir, steps_per_epoch, every, start_step):
    """A callback saving model + optimizer state and the run position."""
    import keras

    class Checkpointer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.folder = os.path.join(run_dir, CHECKPOINT_DIR)
            self.step = start_step
            self.last_saved = start_step

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            if every and self.step - self.last_saved >= every:
                self.save()

        def on_epoch_end(self, epoch, logs=None):
            if self.step != self.last_saved:
                self.save()

        def save(self):
            # JAX keeps the training state outside the model during fit().
            if hasattr(self.model, "jax_state_sync"):
                self.model.jax_state_sync()
            os.makedirs(self.folder, exist_ok=True)
            name = f"step_{self.step:09d}.keras"
            self.model.save(os.path.join(self.folder, name))
            epoch, done = divmod(self.step, steps_per_epoch)
            # The state file names the model file: replacing it is the
            # atomic moment the checkpoint moves forward.
            _write_json(
                os.path.join(self.folder, STATE_FILE),
                {"step": self.step, "epoch": epoch, "batch": done, "model": name},
            )
            for old in os.listdir(self.folder):
                if old.endswith(".keras") and old != name:
                    os.remove(os.path.join(self.folder, old))
            self.last_saved = self.step

    return Checkpointer()


def _make_sampler(run_dir, num, seed):
    import keras

    from keras_gans import images

    class EpochSamples(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            grid = _generate(self.model, num, seed)
            images.save_grid(
                grid,
                os.path.join(run_dir, SAMPLES_DIR, f"epoch_{epoch + 1:03d}.png"),
                title=f"epoch {epoch + 1}",
            )

    return EpochSamples()


def _make_stopper(stop_after):
    """Testing aid: end the process abruptly after a number of steps.

    Simulates a run killed mid-epoch (no checkpoint, no clean-up).
    """
    import keras

    class Kill(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = 0

        def on_train_batch_end(self, batch, logs=None):
            self.seen += 1
            if self.seen >= stop_after:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(75)

    return Kill()


# --------------------------------------------------------------------------
# commands


def _cmd_list(args):
    registry = _registry()
    pattern = args.pattern or "*"
    families = registry.list_models(pattern)
    presets = registry.list_presets(pattern)
    if not families and not presets:
        raise UserError(
            f"nothing matches {pattern!r}; `keras-gans list` shows every "
            "family and preset."
        )
    print("families:")
    for name in families:
        cls = registry.get_class(name)
        doc = (cls.__doc__ or "").strip().splitlines()
        print(f"  {name:<18} {doc[0] if doc else cls.__name__}")
    print("presets:")
    registered = set(registry.list_models())
    for name in presets:
        preset = registry.get_preset(name)
        note = "" if preset["family"] in registered else "  (family not installed)"
        count = preset.get("param_count")
        params = f"{count:,} params" if count else "params not counted"
        print(f"  {name:<30} {preset['family']:<16} {params}{note}")
    return 0


def _cmd_info(args):
    registry = _registry()
    name = args.name.lower().replace("-", "_")
    if name in registry.list_models():
        import inspect

        cls = registry.get_class(name)
        print(f"family {name}: {cls.__module__}.{cls.__name__}")
        print(inspect.cleandoc(cls.__doc__ or ""))
        print(f"\npresets: {', '.join(registry.list_presets(family=name)) or 'none'}")
        return 0
    preset = _resolve_preset(args.name)
    print(json.dumps(preset, indent=2))
    print(f"\nreproduce: keras-gans train {preset['name']} --out runs/{preset['name']}")
    return 0


def _settings(args, preset):
    training = preset["training"]
    dataset = dict(preset["dataset"])
    if args.dataset:
        dataset["name"] = args.dataset
    return {
        "preset": preset,
        "dataset": dataset,
        "data_dir": args.data_dir,
        "batch_size": args.batch_size or training["batch_size"],
        "epochs": args.epochs or training["epochs"],
        "steps_per_epoch": args.steps or training.get("steps_per_epoch"),
        "seed": training["seed"] if args.seed is None else args.seed,
        "checkpoint_every": args.checkpoint_every,
    }


def _check_resume_settings(args, recorded):
    """Settings given again with --resume must match the interrupted run's."""
    given = {
        "dataset": args.dataset and recorded["dataset"]["name"] != args.dataset,
        "batch-size": args.batch_size and args.batch_size != recorded["batch_size"],
        "steps": args.steps and args.steps != recorded["steps_per_epoch"],
        "seed": args.seed is not None and args.seed != recorded["seed"],
    }
    changed = [f"--{k}" for k, v in given.items() if v]
    if changed:
        raise UserError(
            f"{', '.join(changed)} differ from the interrupted run's settings in "
            f"{os.path.join(args.out, RUN_FILE)}; resume with the same settings "
            "(only --epochs may change) or start again with --overwrite."
        )


def _cmd_train(args):
    preset = _resolve_preset(args.name)
    out = args.out or os.path.join("runs", preset["name"])
    if args.resume and args.overwrite:
        raise UserError("--resume and --overwrite exclude each other; pick one.")
    if os.path.exists(out) and not os.path.isdir(out):
        raise UserError(f"--out {out!r} is a file; expected a folder.")
    model_file = os.path.join(out, MODEL_FILE)
    checkpoint_dir = os.path.join(out, CHECKPOINT_DIR)
    state_file = os.path.join(checkpoint_dir, STATE_FILE)
    run_file = os.path.join(out, RUN_FILE)
    has_model = os.path.isfile(model_file)
    has_checkpoint = os.path.isfile(state_file)

    state = None
    if args.overwrite:
        for item in RUN_OUTPUTS:
            path = os.path.join(out, item)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
    elif args.resume and has_checkpoint:
        if not os.path.isfile(run_file):
            raise UserError(f"{out!r} has a checkpoint but no {RUN_FILE}; cannot resume.")
        state = _read_json(state_file)
    elif args.resume and has_model:
        print(f"The run in {out} already finished ({model_file}); nothing to resume.")
        return 0
    elif has_model:
        raise UserError(
            f"{out!r} already holds a trained model ({model_file}); pass "
            "--overwrite to replace it or choose another --out."
        )
    elif has_checkpoint:
        raise UserError(
            f"{out!r} holds an interrupted run; pass --resume to continue it "
            "or --overwrite to start again."
        )
    elif args.resume:
        print(f"No checkpoint in {out}; starting the run from the beginning.")
    elif os.path.isfile(run_file):
        raise UserError(
            f"{out!r} holds the start of a run that saved no checkpoint; pass "
            "--resume or --overwrite to start it again, or choose another --out."
        )

    import keras

    registry = _registry()
    if state is not None:
        settings = _read_json(run_file)
        _check_resume_settings(args, settings)
        if args.epochs:
            settings["epochs"] = args.epochs
        preset = settings["preset"]
    else:
        settings = _settings(args, preset)
        settings["argv"] = ["keras-gans"] + list(args.argv or [])
        settings["backend"] = keras.backend.backend()
    keras.utils.set_random_seed(settings["seed"])

    if state is not None:
        model = _load_model(os.path.join(checkpoint_dir, state["model"]))
    else:
        try:
            model = registry.build_preset(preset)
        except (ValueError, TypeError) as error:
            raise UserError(_first_line(error)) from None

    dataset = _load_dataset(
        settings["dataset"], model.image_shape, settings["batch_size"],
        settings["seed"], data_dir=settings.get("data_dir"),
    )
    try:
        model.check_training_data(dataset)
    except (ValueError, TypeError) as error:
        raise UserError(
            f"the data set {settings['dataset']['name']!r} cannot train "
            f"{preset['name']}: {_first_line(error)}"
        ) from None
    steps_per_epoch = settings["steps_per_epoch"]
    if steps_per_epoch is None:
        cardinality = int(dataset.cardinality())
        if cardinality <= 0:
            raise UserError(
                f"the number of batches in {settings['dataset']['name']!r} is "
                "unknown; pass --steps (batches per epoch)."
            )
        steps_per_epoch = cardinality
    settings["steps_per_epoch"] = int(steps_per_epoch)
    epochs = int(settings["epochs"])
    total = epochs * steps_per_epoch

    start = state["step"] if state else 0
    if start >= total:
        raise UserError(
            f"the checkpoint in {out!r} is at step {start}, at or past the end "
            f"of a {epochs}-epoch run ({total} steps); pass a larger --epochs."
        )
    os.makedirs(out, exist_ok=True)
    _write_json(run_file, settings)  # on resume: a changed --epochs sticks

    callbacks = []
    if args.stop_after_steps:
        # First, so that the "kill" comes before that step's checkpoint.
        callbacks.append(_make_stopper(args.stop_after_steps))
    callbacks += [
        _make_checkpointer(out, steps_per_epoch, settings.get("checkpoint_every"), start),
        _make_sampler(out, args.num_samples, settings["seed"]),
        # A resumed run adds rows (also in the second fit() below).
        keras.callbacks.CSVLogger(os.path.join(out, HISTORY_FILE), append=start > 0),
    ]
    verbose = 1 if sys.stdout.isatty() else 2
    repeated = dataset.repeat()
    print(
        f"Training {preset['name']} ({type(model).__name__}) for {epochs} epoch(s) "
        f"of {steps_per_epoch} steps, batch size {settings['batch_size']}, "
        f"into {out}" + (f"; resuming at step {start}" if start else "")
    )
    began = time.time()
    try:
        epoch, done = divmod(start, steps_per_epoch)
        if done:
            # Finish the interrupted epoch with the steps it still lacked.
            model.fit(
                repeated, initial_epoch=epoch, epochs=epoch + 1,
                steps_per_epoch=steps_per_epoch - done, callbacks=callbacks,
                verbose=verbose, shuffle=False,
            )
            epoch += 1
        if epoch < epochs:
            model.fit(
                repeated, initial_epoch=epoch, epochs=epochs,
                steps_per_epoch=steps_per_epoch, callbacks=callbacks,
                verbose=verbose, shuffle=False,
            )
    except KeyboardInterrupt:
        print(
            f"\nInterrupted. Continue with: keras-gans train {args.name} "
            f"--out {out} --resume",
            file=sys.stderr,
        )
        return 130
    tmp = os.path.join(out, "model.tmp.keras")
    model.save(tmp)
    os.replace(tmp, model_file)
    shutil.rmtree(checkpoint_dir, ignore_errors=True)
    print(f"Saved {model_file} after {total} steps ({time.time() - began:.0f} s).")
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
    model = _load_model(args.model, compile=False)
    labels = _parse_labels(args.labels)
    classes = _num_classes(model)
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
    try:
        from keras_gans.export import export_generator
    except ImportError:
        raise UserError(
            "this installation of keras_gans has no export module "
            "(keras_gans.export); upgrade keras_gans to export generators."
        ) from None
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


def _cmd_evaluate(args):
    try:
        from keras_gans.evaluation import evaluate_generator
    except ImportError:
        raise UserError(
            "this installation of keras_gans has no evaluation module "
            "(keras_gans.evaluation); upgrade keras_gans to evaluate models."
        ) from None
    import numpy as np

    path = _model_path(args.model)
    spec = None
    run_file = os.path.join(os.path.dirname(os.path.abspath(path)), RUN_FILE)
    if args.dataset:
        spec = {"name": args.dataset}
    elif os.path.isfile(run_file):
        spec = dict(_read_json(run_file)["dataset"])
    else:
        raise UserError(
            "pass --dataset: the model was not trained by `keras-gans train`, "
            "so its data set is unknown."
        )
    model = _load_model(path, compile=False)
    spec["with_labels"] = False
    spec["image_size"] = list(model.image_shape[:2])
    dataset = _load_dataset(
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
    print(text)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return 0


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
                   help="replace the run already in --out")
    # Testing aid: exit abruptly after N steps, like a killed process.
    p.add_argument("--stop-after-steps", type=_positive_int, help=argparse.SUPPRESS)
    p.set_defaults(handler=_cmd_train)

    p = sub.add_parser("sample", help="write a grid of generated images")
    p.add_argument("model", help="a .keras file or a training --out folder")
    p.add_argument("--num", type=int, default=64, help="how many images (default 64)")
    p.add_argument("--out", required=True, help="the .png to write")
    p.add_argument("--labels", nargs="+",
                   help="class labels for conditional models, cycled (e.g. 0 1 2 or 0,1,2)")
    p.add_argument("--seed", type=int, default=0, help="noise seed (default 0)")
    p.add_argument("--cols", type=_positive_int, help="columns of the grid")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    p.set_defaults(handler=_cmd_sample)

    p = sub.add_parser("export", help="export the generator as a SavedModel")
    p.add_argument("model", help="a .keras file or a training --out folder")
    p.add_argument("dir", help="the export folder")
    p.add_argument("--version", type=int, help="version sub-folder (TF Serving)")
    p.add_argument("--uint8", action="store_true", help="also return uint8 pixels")
    p.add_argument("--overwrite", action="store_true", help="replace an existing export")
    p.set_defaults(handler=_cmd_export)

    p = sub.add_parser("evaluate", help="sample-quality metrics against real images")
    p.add_argument("model", help="a .keras file or a training --out folder")
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
    try:
        return args.handler(args)
    except UserError as error:
        print(f"keras-gans: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
