"""One training run: preset -> data -> model -> callbacks -> checkpoints -> results.

`train()` is the single path by which this project trains a preset: the
`keras-gans train` command, `benchmarks/quality.py` and the scripts in
`tools/` all call it. It resolves the preset (a name, a preset file or a
dict), seeds Keras, builds and compiles the model (or loads the last
checkpoint when resuming), loads the data set, trains with `fit()` and
returns a `RunResult` with the model, the history, the paths written and
the wall time.

With `out=None` nothing is written: the run is an in-memory `fit()` of the
preset's recipe. With an `out` folder the run writes:

```
out/run.json                the preset and settings of the run (used by
                            resume=True) and, once finished, its results
out/samples/epoch_NNN.png   a grid of samples from fixed noise, every epoch
out/history.csv             the logs of every epoch
out/checkpoint/             the latest checkpoint while training (model with
                            optimizer state + position in the run); removed
                            at the end
out/model.keras             the final model
```

Every file is written to a temporary name and renamed into place, except
the sample PNGs and `history.csv` (Keras' `CSVLogger` appends to it). With
`overwrite=True` the new run trains in `out/.new-run/` and replaces the old
run's files only once its model is saved, so a new run that fails or is
killed leaves the old one as it was.

A resumed run continues from the last checkpoint's optimizer step and ends
after the same number of steps as an uninterrupted one. Its data order and
training noise after the checkpoint differ from those of an uninterrupted
run (the input pipeline restarts and the noise stream is reseeded), so the
weights are not bit-identical to an uninterrupted run's.

Example:

```python
from keras_gans import runs

result = runs.train("dcgan_digits", out="runs/dcgan", epochs=5)
result.model.generate(16, seed=0)
result.history["g_loss"], result.model_path, result.train_seconds

# Later, after the process was killed mid-run:
runs.train("dcgan_digits", out="runs/dcgan", resume=True)
```
"""

import dataclasses
import datetime
import json
import math
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
#: Files and folders a run writes; `overwrite=True` removes these and
#: nothing else.
RUN_OUTPUTS = (MODEL_FILE, RUN_FILE, CHECKPOINT_DIR, SAMPLES_DIR, HISTORY_FILE)
#: Where `overwrite=True` trains the new run, inside `out`, while the old
#: run stays in place; moved over the old run once the new model is saved.
STAGING_DIR = ".new-run"
#: How `run.json` names data passed in as an array or a `tf.data.Dataset`.
IN_MEMORY_DATA = "<in-memory data>"


class RunError(ValueError):
    """A run that cannot start or continue; the message is one line.

    Raised for an unknown preset, a missing data set, an output folder that
    already holds a run, settings that differ from an interrupted run's, and
    the like. The message says what was received and what was expected.

    Example:

    >>> try:
    ...     train("dcgan_digitz")
    ... except RunError as error:
    ...     print(error)
    Unknown preset 'dcgan_digitz'. Close names: dcgan_digits. ...
    """


@dataclasses.dataclass
class RunResult:
    """What `train()` returns.

    Attributes:
        model: the trained model (for an already finished run: the saved
            one, loaded).
        history: `{log name: [value per epoch]}` of the epochs this call
            trained (empty when it trained none).
        settings: the run's settings, as recorded in `run.json`.
        out: the output folder, or None for an in-memory run.
        model_path: `out/model.keras`, or None for an in-memory run.
        start_step: the optimizer step the run started (or resumed) at.
        steps: the optimizer steps of the whole run (epochs x steps/epoch).
        train_seconds: seconds spent in `fit()`.
        wall_seconds: seconds spent in `train()`.
        status: "finished", or "already_finished" when `resume=True` found
            the run complete and trained nothing.

    Example:

    >>> result = train("dcgan_digits", epochs=1, steps_per_epoch=2)
    >>> result.status, result.steps, result.model_path
    ('finished', 2, None)
    """

    model: object
    history: dict
    settings: dict
    out: object = None
    model_path: object = None
    start_step: int = 0
    steps: int = 0
    train_seconds: float = 0.0
    wall_seconds: float = 0.0
    status: str = "finished"


# --------------------------------------------------------------------------
# helpers


def _first_line(error):
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def write_json(path, value):
    """Write `value` as JSON to `path` atomically (temporary file, rename).

    Example:

    >>> write_json("runs/x/run.json", {"epochs": 5})
    """
    from keras_gans import files

    files.write_text(path, json.dumps(value, indent=2, default=_json_default) + "\n")


def _json_default(value):
    try:
        return float(value)  # numpy scalars in logs
    except (TypeError, ValueError):
        return repr(value)


def read_json(path):
    """Read a JSON file a run wrote; a `RunError` naming it when it is
    unreadable or damaged.

    Example:

    >>> read_json("runs/x/run.json")["epochs"]
    5
    """
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except ValueError as error:
        raise RunError(
            f"{path!r} is damaged (not valid JSON: {_first_line(error)}); "
            "move it away or start again with --overwrite."
        ) from None
    except OSError as error:
        raise RunError(f"could not read {path!r}: {_first_line(error)}") from None


_read_json = read_json


def resolve_preset(preset):
    """A validated preset dict from a name, a preset file or a dict.

    Args:
        preset: a registered preset name (see `keras_gans.list_presets()`),
            the path of a preset `.json` file, or a preset dict.

    Returns:
        A new preset dict.

    Raises:
        RunError: for an unknown name (listing close names), a missing or
            malformed file, or a dict without the preset keys.

    Example:

    >>> resolve_preset("dcgan_digits")["family"]
    'dcgan'
    """
    import copy

    from keras_gans import presets

    if isinstance(preset, dict):
        try:
            return presets.validate_preset(copy.deepcopy(preset), "the preset dict")
        except ValueError as error:
            raise RunError(_first_line(error)) from None
    if isinstance(preset, os.PathLike):
        preset = os.fspath(preset)
    if not isinstance(preset, str):
        raise RunError(
            "a preset must be a name, the path of a preset .json file or a "
            f"preset dict; received {type(preset).__name__} {preset!r}."
        )
    if preset.endswith(".json") or os.sep in preset:
        if not os.path.isfile(preset):
            raise RunError(f"no preset file at {os.path.abspath(preset)!r}.")
        try:
            with open(preset, encoding="utf-8") as f:
                loaded = json.load(f)
            return presets.validate_preset(loaded, preset)
        except (ValueError, OSError) as error:
            raise RunError(_first_line(error)) from None
    try:
        return presets.get_preset(preset)
    except (ValueError, TypeError) as error:
        raise RunError(_first_line(error)) from None


def load_data(spec, image_shape, batch_size, seed, data_dir=None, split=None,
              shuffle=True, limit=None):
    """A preset's data set as a batched `tf.data.Dataset` in [-1, 1].

    Args:
        spec: the preset's `dataset` dict (`name`, optional `split`,
            `image_size`, `with_labels`, `limit`).
        image_shape: the model's `(H, W, C)`; its size is used when the spec
            has no `image_size`, its channels always.
        batch_size: examples per batch.
        seed: shuffling seed.
        data_dir: tensorflow-datasets data directory.
        split: overrides the spec's split (default "train").
        shuffle: shuffle the examples.
        limit: keep only the first `limit` examples (default: the spec's
            `limit`, a small-data preset's training subset).

    Raises:
        RunError: naming the data set, for an unknown name, a missing folder
            or a data set that cannot be downloaded.

    Example:

    >>> spec = {"name": "digits", "with_labels": False}
    >>> load_data(spec, (8, 8, 1), batch_size=64, seed=0).element_spec.shape
    TensorShape([None, 8, 8, 1])
    """
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
            limit=spec.get("limit") if limit is None else limit,
        )
    except Exception as error:  # unknown name, bad folder, no download
        raise RunError(
            f"could not load the data set {spec['name']!r}: {_first_line(error)}"
        ) from None


def load_model(path, compile=True):
    """Load a `.keras` file saved by a run (or `model.save`).

    Raises:
        RunError: naming the file, when it is not a loadable Keras model.

    Example:

    >>> model = load_model("runs/dcgan/model.keras")
    """
    _check_keras_file(path)
    import keras

    import keras_gans  # noqa: F401  (registers the zoo's classes)

    try:
        return keras.saving.load_model(path, compile=compile)
    except Exception as error:  # a broken file can fail in many ways
        raise RunError(
            f"could not load {path!r} as a Keras model "
            f"({type(error).__name__}: {_first_line(error)})."
        ) from None


def _check_keras_file(path):
    """A `RunError` that says what is wrong with a damaged `.keras` file.

    Keras reports an empty or truncated file as "File not found"; a `.keras`
    file is a zip archive, so its end record tells a truncated file apart.
    """
    import zipfile

    path = os.fspath(path)
    if not os.path.exists(path):
        raise RunError(f"no model file at {os.path.abspath(path)!r}.")
    if os.path.isdir(path):
        return  # an older folder format: let Keras judge
    size = os.path.getsize(path)
    if size == 0:
        raise RunError(
            f"could not load {path!r}: it is empty (0 bytes); the save that "
            "wrote it was cut short (full disk or killed process)."
        )
    if not zipfile.is_zipfile(path):
        raise RunError(
            f"could not load {path!r} ({size:,} bytes): it is truncated or "
            "corrupt (a .keras file is a zip archive; this one has no intact "
            "end record)."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise RunError(f"could not load {path!r}: it is corrupt ({_first_line(error)}).") from None
    if bad is not None:
        raise RunError(
            f"could not load {path!r}: it is corrupt (its member {bad!r} fails "
            "its checksum).")


# --------------------------------------------------------------------------
# callbacks of a run with an output folder


def _checkpointer(folder, steps_per_epoch, every, start_step):
    """A callback saving model + optimizer state and the run position."""
    import keras

    from keras_gans import files

    class Checkpointer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
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
            os.makedirs(folder, exist_ok=True)
            name = f"step_{self.step:09d}.keras"
            with files.atomic_path(os.path.join(folder, name)) as tmp:
                self.model.save(tmp)
            epoch, done = divmod(self.step, steps_per_epoch)
            # The state file names the model file: replacing it is the
            # atomic moment the checkpoint moves forward.
            write_json(
                os.path.join(folder, STATE_FILE),
                {"step": self.step, "epoch": epoch, "batch": done, "model": name},
            )
            for old in os.listdir(folder):
                if old.endswith(".keras") and old != name:
                    os.remove(os.path.join(folder, old))
            self.last_saved = self.step

    return Checkpointer()


def _stopper(stop_after):
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
# the run


def _check_positive(name, value):
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RunError(f"{name} must be a positive integer or None; received {value!r}.")
    return value


def _check_resume_settings(out, recorded, given):
    """Settings given again with resume=True must match the interrupted run's."""
    differs = {
        "dataset": given["dataset"] is not None
        and recorded["dataset"]["name"] != given["dataset"],
        "batch-size": given["batch_size"] is not None
        and given["batch_size"] != recorded["batch_size"],
        "steps": given["steps_per_epoch"] is not None
        and given["steps_per_epoch"] != recorded["steps_per_epoch"],
        "seed": given["seed"] is not None and given["seed"] != recorded["seed"],
    }
    changed = [f"--{k}" for k, v in differs.items() if v]
    if changed:
        raise RunError(
            f"{', '.join(changed)} differ from the interrupted run's settings in "
            f"{os.path.join(out, RUN_FILE)}; resume with the same settings "
            "(only --epochs may change) or start again with --overwrite."
        )


def _plan(out, resume, overwrite):
    """What to do with the output folder: "new", "resume" or "finished".

    Raises RunError when the folder holds a run that must not be touched.
    """
    if resume and overwrite:
        raise RunError("--resume and --overwrite exclude each other; pick one.")
    if os.path.exists(out) and not os.path.isdir(out):
        raise RunError(f"--out {out!r} is a file; expected a folder.")
    model_file = os.path.join(out, MODEL_FILE)
    has_model = os.path.isfile(model_file)
    has_checkpoint = os.path.isfile(os.path.join(out, CHECKPOINT_DIR, STATE_FILE))
    if overwrite:
        return "new"
    if resume and has_checkpoint:
        if not os.path.isfile(os.path.join(out, RUN_FILE)):
            raise RunError(f"{out!r} has a checkpoint but no {RUN_FILE}; cannot resume.")
        return "resume"
    if resume and has_model:
        return "finished"
    if has_model:
        raise RunError(
            f"{out!r} already holds a trained model ({model_file}); pass "
            "--overwrite to replace it or choose another --out."
        )
    if has_checkpoint:
        raise RunError(
            f"{out!r} holds an interrupted run; pass --resume to continue it "
            "or --overwrite to start again."
        )
    if not resume and os.path.isfile(os.path.join(out, RUN_FILE)):
        raise RunError(
            f"{out!r} holds the start of a run that saved no checkpoint; pass "
            "--resume or --overwrite to start it again, or choose another --out."
        )
    return "new"


def _remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def _has_run_outputs(out):
    return any(os.path.exists(os.path.join(out, item)) for item in RUN_OUTPUTS)


def _replace_run(out, staging):
    """Put the finished run in `staging` in place of the old run in `out`.

    Only a run's own files (`RUN_OUTPUTS`) are touched. The model goes
    last, so a crash in between leaves the old model or the new one, never
    none.
    """
    for item in sorted(RUN_OUTPUTS, key=lambda name: name == MODEL_FILE):
        source, target = os.path.join(staging, item), os.path.join(out, item)
        if os.path.isfile(source) and not os.path.isdir(target):
            os.replace(source, target)  # atomic, over the old file
            continue
        _remove(target)
        if os.path.exists(source):
            os.replace(source, target)
    shutil.rmtree(staging, ignore_errors=True)


def _is_data_object(data):
    return data is not None and not isinstance(data, (str, os.PathLike))


def _as_dataset(data, batch_size, seed, with_labels):
    """A ready `tf.data.Dataset` from data passed in (array, tuple, Dataset)."""
    import tensorflow as tf

    if isinstance(data, tf.data.Dataset):
        return data
    from keras_gans import datasets

    try:
        return datasets.load(data, batch_size=batch_size, seed=seed,
                             with_labels=with_labels)
    except (ValueError, TypeError) as error:
        raise RunError(
            "data must be a data set name, an image folder, an image array "
            f"(n, H, W, C) or (x, y), or a tf.data.Dataset: {_first_line(error)}"
        ) from None


def _merge_history(history, logs):
    for key, values in logs.items():
        history.setdefault(key, []).extend(float(v) for v in values)


def train(
    preset,
    out=None,
    *,
    data=None,
    data_dir=None,
    epochs=None,
    steps_per_epoch=None,
    batch_size=None,
    seed=None,
    checkpoint_every=500,
    num_samples=64,
    resume=False,
    overwrite=False,
    callbacks=(),
    verbose="auto",
    argv=None,
    log=print,
    stop_after_steps=None,
):
    """Train a preset: the one training path of the CLI, benchmarks and tools.

    Args:
        preset: a preset name, the path of a preset `.json` file, or a
            preset dict (e.g. a modified copy from `keras_gans.get_preset`).
        out: the output folder (see the module notes), or None to write
            nothing.
        data: replaces the preset's data set: a data set name or image
            folder (recorded in `run.json`), or data in memory: an image
            array `(n, H, W, C)` in [-1, 1] or uint8, an `(x, y)` tuple, or
            a batched `tf.data.Dataset` (used as it is; a resumed run must
            be given it again).
        data_dir: tensorflow-datasets data directory.
        epochs: epochs of the run (default: the preset's). May change on
            resume, to lengthen a run.
        steps_per_epoch: batches per epoch (default: the preset's, else one
            pass over the data).
        batch_size: default: the preset's.
        seed: seed of the weights, data order and noise (default: the
            preset's).
        checkpoint_every: with `out`, also checkpoint every this many steps
            (a checkpoint is written at every epoch's end regardless).
        num_samples: with `out`, images in each epoch's sample grid.
        resume: continue the interrupted run in `out` from its last
            checkpoint (starts from the beginning when there is none). A
            run killed after its last checkpoint but before `model.keras`
            was written is finished by saving that checkpoint's model.
        overwrite: replace a run already in `out` (only the files a run
            writes). The old run stays in place until the new one's model
            is saved: the new run trains in `out/.new-run/` and is moved
            over the old one at the end, so a failed or killed new run
            loses nothing.
        callbacks: more Keras callbacks for `fit()`.
        verbose: `fit()`'s verbosity; "auto" shows a progress bar on a
            terminal and one line per epoch otherwise.
        argv: the command line that started the run, recorded in `run.json`.
        log: called with each progress message (default `print`); pass
            `lambda message: None` for silence.
        stop_after_steps: testing aid: end the process abruptly (exit
            status 75) after this many steps, as a killed job would.

    Returns:
        A `RunResult`.

    Raises:
        RunError: the run cannot start or continue (unknown preset, missing
            data, an `out` folder holding a run that `resume`/`overwrite`
            does not cover, settings that differ from an interrupted run's).

    Example:

    ```python
    from keras_gans import runs

    result = runs.train("dcgan_digits", out="runs/dcgan", epochs=5)
    print(result.model_path, result.history["g_loss"][-1])

    # In memory, on your own images:
    result = runs.train("dcgan_digits", data=my_images, epochs=1)
    ```
    """
    began = time.time()
    for name, value in (("epochs", epochs), ("steps_per_epoch", steps_per_epoch),
                        ("batch_size", batch_size), ("checkpoint_every", checkpoint_every),
                        ("num_samples", num_samples), ("stop_after_steps", stop_after_steps)):
        _check_positive(name, value)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise RunError(f"seed must be an integer or None; received {seed!r}.")
    if out is None and (resume or overwrite):
        raise RunError("resume and overwrite need an output folder; received out=None.")
    preset = resolve_preset(preset)
    log = log or (lambda message: None)
    data_object = data if _is_data_object(data) else None

    out = None if out is None else os.fspath(out)
    if out is not None:
        from keras_gans import files

        if os.path.exists(out) and not os.path.isdir(out):
            raise RunError(f"--out {out!r} is a file; expected a folder.")
        try:  # before building the model and loading data
            files.check_writable(out)
        except OSError as error:
            raise RunError(files.describe_os_error(error)) from None
    plan = "new" if out is None else _plan(out, resume, overwrite)
    if plan == "finished":
        model_file = os.path.join(out, MODEL_FILE)
        log(f"The run in {out} already finished ({model_file}); nothing to resume.")
        recorded = _read_json(os.path.join(out, RUN_FILE)) if os.path.isfile(
            os.path.join(out, RUN_FILE)) else {}
        return RunResult(
            model=load_model(model_file), history={}, settings=recorded, out=out,
            model_path=model_file, status="already_finished",
            steps=int(recorded.get("epochs", 0)) * int(recorded.get("steps_per_epoch") or 0),
            start_step=int(recorded.get("epochs", 0)) * int(recorded.get("steps_per_epoch") or 0),
            wall_seconds=time.time() - began,
        )
    # With overwrite=True an old run stays in place until the new one is
    # saved: the new run is trained in a staging folder inside `out`.
    run_dir = out
    if plan == "new" and out is not None and overwrite and _has_run_outputs(out):
        run_dir = os.path.join(out, STAGING_DIR)
        _remove(run_dir)  # left by an earlier overwrite that did not finish
    if resume and plan == "new":
        log(f"No checkpoint in {out}; starting the run from the beginning.")

    import keras

    state = None
    checkpoint_dir = None if out is None else os.path.join(run_dir, CHECKPOINT_DIR)
    if plan == "resume":
        state = _read_json(os.path.join(checkpoint_dir, STATE_FILE))
        settings = _read_json(os.path.join(out, RUN_FILE))
        _check_resume_settings(out, settings, {
            "dataset": data if isinstance(data, str) else None,
            "batch_size": batch_size, "steps_per_epoch": steps_per_epoch, "seed": seed,
        })
        if epochs:
            settings["epochs"] = epochs
        preset = settings["preset"]
    else:
        training = preset["training"]
        dataset_spec = dict(preset["dataset"])
        if isinstance(data, (str, os.PathLike)):
            dataset_spec["name"] = os.fspath(data)
        elif data_object is not None:
            dataset_spec["name"] = IN_MEMORY_DATA
        settings = {
            "preset": preset,
            "dataset": dataset_spec,
            "data_dir": data_dir,
            "batch_size": batch_size or training["batch_size"],
            "epochs": epochs or training["epochs"],
            "steps_per_epoch": steps_per_epoch or training.get("steps_per_epoch"),
            "seed": training["seed"] if seed is None else seed,
            "checkpoint_every": checkpoint_every,
            "argv": list(argv) if argv is not None else None,
            "backend": keras.backend.backend(),
        }
    keras.utils.set_random_seed(settings["seed"])

    if state is not None:
        model = load_model(os.path.join(checkpoint_dir, state["model"]))
    else:
        from keras_gans import presets

        try:
            model = presets.build_preset(preset)
        except (ValueError, TypeError) as error:
            raise RunError(_first_line(error)) from None

    if data_object is not None:
        dataset = _as_dataset(data_object, settings["batch_size"], settings["seed"],
                              bool(settings["dataset"].get("with_labels", False)))
    elif settings["dataset"]["name"] == IN_MEMORY_DATA:
        raise RunError(
            f"the run in {out!r} trained on data passed in memory; pass the same "
            "data= again to resume it."
        )
    else:
        dataset = load_data(
            settings["dataset"], model.image_shape, settings["batch_size"],
            settings["seed"], data_dir=settings.get("data_dir"),
        )
    try:
        model.check_training_data(dataset)
    except (ValueError, TypeError) as error:
        raise RunError(
            f"the data set {settings['dataset']['name']!r} cannot train "
            f"{preset['name']}: {_first_line(error)}"
        ) from None
    if settings["steps_per_epoch"] is None:
        cardinality = int(dataset.cardinality())
        if cardinality <= 0:
            raise RunError(
                f"the number of batches in {settings['dataset']['name']!r} is "
                "unknown; pass --steps (steps_per_epoch, batches per epoch)."
            )
        settings["steps_per_epoch"] = cardinality
    steps = int(settings["steps_per_epoch"])
    settings["steps_per_epoch"] = steps
    total_epochs = int(settings["epochs"])
    total = total_epochs * steps
    start = state["step"] if state else 0
    if start > total:
        raise RunError(
            f"the checkpoint in {out!r} is at step {start}, past the end "
            f"of a {total_epochs}-epoch run ({total} steps); pass a larger --epochs."
        )

    run_callbacks = []
    standing = settings["preset"]["training"].get("standing_statistics")
    if standing:
        # First: the batch-norm statistics are recomputed when fit() ends,
        # before anything saves or scores the model.
        from keras_gans.callbacks import StandingStatistics

        run_callbacks.append(StandingStatistics(num_batches=standing))
    if out is not None:
        os.makedirs(run_dir, exist_ok=True)
        write_json(os.path.join(run_dir, RUN_FILE), settings)  # resume: --epochs sticks
        from keras_gans.callbacks import SampleGrid

        if stop_after_steps:
            # First, so that the "kill" comes before that step's checkpoint.
            run_callbacks.append(_stopper(stop_after_steps))
        run_callbacks += [
            _checkpointer(checkpoint_dir, steps, settings.get("checkpoint_every"), start),
            SampleGrid(
                os.path.join(run_dir, SAMPLES_DIR), num_samples=num_samples,
                seed=settings["seed"], filename="epoch_{epoch:03d}.png",
                ncols=max(1, math.ceil(math.sqrt(num_samples))),
            ),
            # A resumed run adds rows (also in the second fit() below).
            keras.callbacks.CSVLogger(os.path.join(run_dir, HISTORY_FILE), append=start > 0),
        ]
    run_callbacks += list(callbacks)
    if verbose == "auto":
        verbose = 1 if sys.stdout.isatty() else 2

    log(
        f"Training {preset['name']} ({type(model).__name__}) for {total_epochs} "
        f"epoch(s) of {steps} steps, batch size {settings['batch_size']}"
        + (f", into {out}" if out is not None else "")
        + (f"; resuming at step {start}" if start else "")
    )
    history = {}
    repeated = dataset.repeat()
    fit_began = time.time()
    epoch, done = divmod(start, steps)
    # start == total: killed after its last checkpoint, before model.keras;
    # nothing is left to train, the model is saved below.
    if done and start < total:
        # Finish the interrupted epoch with the steps it still lacked.
        fitted = model.fit(
            repeated, initial_epoch=epoch, epochs=epoch + 1,
            steps_per_epoch=steps - done, callbacks=run_callbacks,
            verbose=verbose, shuffle=False,
        )
        _merge_history(history, fitted.history)
        epoch += 1
    if epoch < total_epochs:
        fitted = model.fit(
            repeated, initial_epoch=epoch, epochs=total_epochs,
            steps_per_epoch=steps, callbacks=run_callbacks,
            verbose=verbose, shuffle=False,
        )
        _merge_history(history, fitted.history)
    train_seconds = time.time() - fit_began

    model_file = None
    if out is not None:
        model_file = os.path.join(out, MODEL_FILE)
        from keras_gans import files

        with files.atomic_path(os.path.join(run_dir, MODEL_FILE)) as tmp:
            model.save(tmp)
        settings["result"] = {
            "steps": total,
            "started_at_step": start,
            "train_seconds": train_seconds,
            "final_logs": {k: v[-1] for k, v in history.items() if v},
            "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds"),
        }
        write_json(os.path.join(run_dir, RUN_FILE), settings)
        shutil.rmtree(checkpoint_dir, ignore_errors=True)
        if run_dir != out:
            _replace_run(out, run_dir)
        log(f"Saved {model_file} after {total} steps ({time.time() - began:.0f} s).")
    return RunResult(
        model=model, history=history, settings=settings, out=out,
        model_path=model_file, start_step=start, steps=total,
        train_seconds=train_seconds, wall_seconds=time.time() - began,
    )
