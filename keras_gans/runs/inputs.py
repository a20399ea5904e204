"""A run's inputs: the preset, the data set and a saved model to resume from."""

import json
import os

from keras_gans.runs.common import RunError, _first_line

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

    `keras_gans.load_model` with its errors as `RunError`s.

    Raises:
        RunError: naming the file and its size, when it is not a loadable
            Keras GAN (missing, empty, truncated, corrupt, not a GAN).

    Example:

    >>> model = load_model("runs/dcgan/model.keras")
    """
    from keras_gans import loading

    try:
        return loading.load_model(path, compile=compile)
    except loading.ModelFileError as error:
        raise RunError(str(error)) from None




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


