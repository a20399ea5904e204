"""What a run writes and returns: file names, `RunError`, `RunResult`, JSON."""

import dataclasses
import json
import os

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
        train_seconds: seconds spent in `fit()` over the whole run: a
            resumed run adds those its checkpoint recorded (the steps after
            the last checkpoint of an interrupted session are not counted).
        wall_seconds: seconds spent in this call of `train()`.
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




def code_version():
    """Which code trains: `{"keras_gans": version, "commit": ..., "dirty": ...}`.

    `commit` is the git commit of the checkout keras_gans is imported from
    and `dirty` whether its `keras_gans/` or `zoo/` differ from it; both are
    None for an installed package (no checkout) or without git.

    Example:

    >>> code_version()["keras_gans"]
    '0.1.0'
    """
    import subprocess

    import keras_gans

    root = os.path.dirname(os.path.dirname(os.path.abspath(keras_gans.__file__)))
    version = {"keras_gans": keras_gans.__version__, "commit": None, "dirty": None}
    if not os.path.exists(os.path.join(root, ".git")):
        return version
    try:
        def git(*args):
            return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                                  text=True, timeout=30).stdout.strip()
        version["commit"] = git("rev-parse", "HEAD")
        version["dirty"] = bool(git("status", "--porcelain", "--", "keras_gans", "zoo"))
    except (OSError, subprocess.SubprocessError):
        pass
    return version


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


