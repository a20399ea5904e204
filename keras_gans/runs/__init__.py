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

The package: `train` and its stages are here; `inputs` resolves the preset,
the data and a model to resume, `folders` plans and replaces the run
folder, `checkpoints` holds the run's callbacks, and `common` the file
names, `RunError`, `RunResult` and the JSON helpers. Every public name stays
importable as `keras_gans.runs.<name>`.
"""

import dataclasses
import datetime
import json
import math
import os
import shutil
import sys
import time

from keras_gans.runs.checkpoints import _checkpointer, _stopper
from keras_gans.runs.common import (  # noqa: F401  the public names stay here
    CHECKPOINT_DIR,
    HISTORY_FILE,
    IN_MEMORY_DATA,
    MODEL_FILE,
    RUN_FILE,
    RUN_OUTPUTS,
    SAMPLES_DIR,
    STAGING_DIR,
    STATE_FILE,
    RunError,
    RunResult,
    _first_line,
    code_version,
    _read_json,
    read_json,
    write_json,
)
from keras_gans.runs.folders import (  # noqa: F401
    _check_positive,
    _check_resume_settings,
    _has_run_outputs,
    _plan,
    _remove,
    _replace_run,
)
from keras_gans.runs.inputs import (  # noqa: F401
    _as_dataset,
    _is_data_object,
    load_data,
    load_model,
    resolve_preset,
)


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
    _check_train_arguments(epochs=epochs, steps_per_epoch=steps_per_epoch,
                           batch_size=batch_size, checkpoint_every=checkpoint_every,
                           num_samples=num_samples, stop_after_steps=stop_after_steps,
                           seed=seed, out=out, resume=resume, overwrite=overwrite)
    preset = resolve_preset(preset)
    log = log or (lambda message: None)
    data_object = data if _is_data_object(data) else None

    # Stage 1: the output folder: new, resumed, finished or replaced.
    out = None if out is None else os.fspath(out)
    plan, run_dir = _plan_output(out, resume, overwrite, log)
    if plan == "finished":
        return _finished_result(out, began)

    # Stage 2: the settings (recorded in run.json), the model and the data.
    checkpoint_dir = None if out is None else os.path.join(run_dir, CHECKPOINT_DIR)
    settings, preset, model, dataset, start, earlier_seconds = _prepare_run(
        plan, out, preset, data, data_object, checkpoint_dir, data_dir=data_dir,
        epochs=epochs, batch_size=batch_size, steps_per_epoch=steps_per_epoch, seed=seed,
        checkpoint_every=checkpoint_every, argv=argv)
    steps = int(settings["steps_per_epoch"])
    total_epochs = int(settings["epochs"])
    total = total_epochs * steps

    # Stage 3: train, with checkpoints, sample grids and the history file.
    run_callbacks = (_standing_statistics(settings)
                     + _run_callbacks(out, run_dir, checkpoint_dir, settings, steps, start,
                                      earlier_seconds, num_samples, stop_after_steps)
                     + list(callbacks))
    if verbose == "auto":
        verbose = 1 if sys.stdout.isatty() else 2
    log(
        f"Training {preset['name']} ({type(model).__name__}) for {total_epochs} "
        f"epoch(s) of {steps} steps, batch size {settings['batch_size']}"
        + (f", into {out}" if out is not None else "")
        + (f"; resuming at step {start}" if start else "")
    )
    fit_began = time.time()
    history = _fit_run(model, dataset, start, steps, total_epochs, run_callbacks, verbose)
    train_seconds = earlier_seconds + time.time() - fit_began

    # Stage 4: save the model and the result, and put the run in place.
    model_file = None
    if out is not None:
        model_file = _save_run(model, out, run_dir, checkpoint_dir, settings, history,
                               total, start, train_seconds)
        log(f"Saved {model_file} after {total} steps ({time.time() - began:.0f} s).")
    return RunResult(
        model=model, history=history, settings=settings, out=out,
        model_path=model_file, start_step=start, steps=total,
        train_seconds=train_seconds, wall_seconds=time.time() - began,
    )


def _prepare_run(plan, out, preset, data, data_object, checkpoint_dir, **arguments):
    """`train`'s second stage: the run's settings (recorded in run.json),
    then the model (a checkpoint's when resuming) and the data set.

    Returns:
        `(settings, preset, model, dataset, start step, seconds in fit()
        before that step)`. `settings["sessions"]` gains this session: its
        start step, backend and code (`code_version()`), so a run resumed
        across days names every commit that trained it.
    """
    import keras

    state = None
    if plan == "resume":
        state = _read_json(os.path.join(checkpoint_dir, STATE_FILE))
    settings, preset = _run_settings(plan, out, preset, data, data_object, **arguments)
    keras.utils.set_random_seed(settings["seed"])
    model = _run_model(preset, state, checkpoint_dir)
    dataset = _run_dataset(model, preset, settings, data_object, out)
    total_epochs = int(settings["epochs"])
    total = total_epochs * int(settings["steps_per_epoch"])
    start = state["step"] if state else 0
    earlier_seconds = float(state.get("train_seconds", 0.0)) if state else 0.0
    settings.setdefault("sessions", []).append({
        "start_step": start, "backend": keras.backend.backend(), **code_version(),
        "began": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    })
    if start > total:
        raise RunError(
            f"the checkpoint in {out!r} is at step {start}, past the end "
            f"of a {total_epochs}-epoch run ({total} steps); pass a larger --epochs."
        )
    return settings, preset, model, dataset, start, earlier_seconds


def _check_train_arguments(*, seed, out, resume, overwrite, **counts):
    """`train`'s argument checks, before anything is read or written."""
    for name, value in counts.items():
        _check_positive(name, value)
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise RunError(f"seed must be an integer or None; received {seed!r}.")
    if out is None and (resume or overwrite):
        raise RunError("resume and overwrite need an output folder; received out=None.")


def _plan_output(out, resume, overwrite, log):
    """`(plan, run_dir)`: what to do with `out` ("new", "resume",
    "finished") and the folder the run writes into."""
    if out is not None:
        from keras_gans import files

        if os.path.exists(out) and not os.path.isdir(out):
            raise RunError(f"--out {out!r} is a file; expected a folder.")
        try:  # before building the model and loading data
            files.check_writable(out)
        except OSError as error:
            raise RunError(files.describe_os_error(error)) from None
    plan = "new" if out is None else _plan(out, resume, overwrite)
    # With overwrite=True an old run stays in place until the new one is
    # saved: the new run is trained in a staging folder inside `out`.
    run_dir = out
    if plan == "new" and out is not None and overwrite and _has_run_outputs(out):
        run_dir = os.path.join(out, STAGING_DIR)
        _remove(run_dir)  # left by an earlier overwrite that did not finish
    if resume and plan == "new":
        log(f"No checkpoint in {out}; starting the run from the beginning.")
    if plan == "finished":
        log(f"The run in {out} already finished ({os.path.join(out, MODEL_FILE)}); "
            "nothing to resume.")
    return plan, run_dir


def _finished_result(out, began):
    """The `RunResult` of a run that had already finished in `out`."""
    model_file = os.path.join(out, MODEL_FILE)
    recorded = _read_json(os.path.join(out, RUN_FILE)) if os.path.isfile(
        os.path.join(out, RUN_FILE)) else {}
    return RunResult(
        model=load_model(model_file), history={}, settings=recorded, out=out,
        model_path=model_file, status="already_finished",
        steps=int(recorded.get("epochs", 0)) * int(recorded.get("steps_per_epoch") or 0),
        start_step=int(recorded.get("epochs", 0)) * int(recorded.get("steps_per_epoch") or 0),
        wall_seconds=time.time() - began,
    )


def _run_settings(plan, out, preset, data, data_object, *, data_dir, epochs, batch_size,
                  steps_per_epoch, seed, checkpoint_every, argv):
    """`(settings, preset)`: a resumed run's recorded settings (checked
    against the arguments), or a new run's from the preset and arguments."""
    import keras

    if plan == "resume":
        settings = _read_json(os.path.join(out, RUN_FILE))
        _check_resume_settings(out, settings, {
            "dataset": data if isinstance(data, str) else None,
            "batch_size": batch_size, "steps_per_epoch": steps_per_epoch, "seed": seed,
        })
        if epochs:
            settings["epochs"] = epochs
        return settings, settings["preset"]
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
    return settings, preset


def _run_model(preset, state, checkpoint_dir):
    """The model: the checkpoint's when resuming, else built from the preset."""
    if state is not None:
        return load_model(os.path.join(checkpoint_dir, state["model"]))
    from keras_gans import presets

    try:
        return presets.build_preset(preset)
    except (ValueError, TypeError) as error:
        raise RunError(_first_line(error)) from None


def _run_dataset(model, preset, settings, data_object, out):
    """The training data, checked against the model; fills in
    `settings["steps_per_epoch"]` (one pass) when it is not set."""
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
    settings["steps_per_epoch"] = int(settings["steps_per_epoch"])
    return dataset


def _standing_statistics(settings):
    """[StandingStatistics] when the recipe asks for it (`"standing_statistics":
    N` in its training section), first among the callbacks: the batch-norm
    statistics are recomputed when fit() ends, before anything saves or
    scores the model."""
    standing = settings["preset"]["training"].get("standing_statistics")
    if not standing:
        return []
    from keras_gans.callbacks import StandingStatistics

    return [StandingStatistics(num_batches=standing)]


def _run_callbacks(out, run_dir, checkpoint_dir, settings, steps, start, earlier_seconds,
                   num_samples, stop_after_steps):
    """The run's own callbacks (none without `out`); writes run.json."""
    if out is None:
        return []
    import keras

    from keras_gans.callbacks import SampleGrid

    os.makedirs(run_dir, exist_ok=True)
    write_json(os.path.join(run_dir, RUN_FILE), settings)  # resume: --epochs sticks
    run_callbacks = []
    if stop_after_steps:
        # First, so that the "kill" comes before that step's checkpoint.
        run_callbacks.append(_stopper(stop_after_steps))
    return run_callbacks + [
        _checkpointer(checkpoint_dir, steps, settings.get("checkpoint_every"), start,
                      earlier_seconds),
        SampleGrid(
            os.path.join(run_dir, SAMPLES_DIR), num_samples=num_samples,
            seed=settings["seed"], filename="epoch_{epoch:03d}.png",
            ncols=max(1, math.ceil(math.sqrt(num_samples))),
        ),
        # A resumed run adds rows (also in the second fit() below).
        keras.callbacks.CSVLogger(os.path.join(run_dir, HISTORY_FILE), append=start > 0),
    ]


def _fit_run(model, dataset, start, steps, total_epochs, run_callbacks, verbose):
    """Train from step `start` to the end; returns the merged history."""
    history = {}
    repeated = dataset.repeat()
    epoch, done = divmod(start, steps)
    # start == total: killed after its last checkpoint, before model.keras;
    # nothing is left to train, the model is saved below.
    if done and start < total_epochs * steps:
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
    return history


def _save_run(model, out, run_dir, checkpoint_dir, settings, history, total, start,
              train_seconds):
    """Save model.keras and the result in run.json, drop the checkpoints and
    move a staged run over the old one; returns the model's path."""
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
    return os.path.join(out, MODEL_FILE)
