"""The run folder: resume or overwrite, staging a new run, replacing the old."""

import os
import shutil

from keras_gans.runs.common import (
    CHECKPOINT_DIR,
    MODEL_FILE,
    RUN_FILE,
    RUN_OUTPUTS,
    STATE_FILE,
    RunError,
)


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


