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

import sys

from keras_gans.cli.common import (  # noqa: F401  (importable from keras_gans.cli)
    UserError,
    _QuietNativeStderr,
    _generate,
    _is_chatter,
    per_class_inputs,
)
from keras_gans.cli.evaluating import results_table  # noqa: F401
from keras_gans.cli.parser import build_parser
from keras_gans.cli.sampling import PER_CLASS_DEFAULT  # noqa: F401
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
