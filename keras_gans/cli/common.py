"""The helpers every `keras-gans` subcommand shares: the one-line user error,
reading MODEL/NAME as a path or a zoo name, loading a model, drawing images
and the argument types.

Example:

```python
from keras_gans.cli.common import UserError, load_model_argument
model = load_model_argument("runs/dcgan", compile=False)
```
"""

import argparse
import os

from keras_gans.runs import RunError


class UserError(RunError):
    """A mistake in the command line or its inputs: reported in one line."""


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


# The start-up chatter filter lives in keras_gans.quiet (the demo uses it
# too); these names stay importable from keras_gans.cli.
from keras_gans.quiet import QuietStartup as _QuietNativeStderr  # noqa: E402,F401
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


def _ships_weights(preset):
    return bool(preset.get("weights"))


def _preset_argument(source):
    """What `runs.resolve_preset` takes for a resolved NAME: the preset's
    name, or the absolute path of a preset file (read as a file)."""
    return source.value if source.kind == "preset" else os.path.abspath(source.value)


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer; received {text!r}")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer; received {text!r}")
    return value
