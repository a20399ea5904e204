"""Trained weights of zoo presets: one compressed `.npz` file per preset.

A weights file holds every variable of `model.weights` (generator,
discriminator, encoder, EMA generator, batch-norm statistics; no optimizer
state, and no state of compile()'s augmentation or regularizers) as numpy arrays named `w000`, `w001`, ... in the order of
`model.weights`, plus a JSON manifest (`__manifest__`) listing each
variable's path, shape and dtype. Both backends build a preset's variables in
the same order, so a file written on TensorFlow loads on JAX and back.
Variable paths carry Keras' automatic counters (`dense_3/kernel`), which
depend on what else the process built; loading therefore matches by position
and checks each shape and each path with its counters removed.

Floating-point variables may be stored as float16 (half the size); loading
casts them back to the model's dtype. `tools/ship_weights.py` stores float16
only when samples stay within 1e-2 of the float32 model's and records the
difference measured.

A preset file records its weights in a `"weights"` section:

```
"weights": {"file": "dcgan_digits.npz", "sha256": "...",
            "bytes": 123456, "dtype": "float16", "command": "...",
            "commit": "...", "backend": "tensorflow", "metrics": {...}, ...}
```

`keras_gans.from_preset(name)` checks the file's size and SHA-256 before
reading it (`verify_file`), so a truncated or corrupted file is reported,
naming the file, instead of giving wrong samples.

Example:

```python
from keras_gans import weights

weights.save(model, "dcgan.npz", dtype="float16")
digest = weights.sha256("dcgan.npz")
weights.load(fresh_model, "dcgan.npz", sha256=digest)
```
"""

import hashlib
import json
import os
import re

FORMAT = "keras_gans.weights/1"
MANIFEST_KEY = "__manifest__"
DTYPES = ("float16", "float32")


class WeightsError(ValueError):
    """A weights file that is missing, damaged or does not fit the model.

    The message names the file and says what was expected.

    Example:

    >>> try:
    ...     load(model, "broken.npz", sha256="0" * 64)
    ... except WeightsError as error:
    ...     print(error)
    """


def sha256(path):
    """The SHA-256 hex digest of a file.

    Example:

    >>> len(sha256("zoo/dcgan/dcgan_digits.npz"))
    64
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_file(path, sha256_hex=None, num_bytes=None):
    """Check that a weights file exists, has its size and its checksum.

    Args:
        path: the weights file.
        sha256_hex: the expected SHA-256 hex digest (None: not checked).
        num_bytes: the expected size in bytes (None: not checked).

    Raises:
        WeightsError: naming the file, for a missing file, a truncated (or
            grown) file, or a checksum mismatch.

    Example:

    >>> verify_file("zoo/dcgan/dcgan_digits.npz", record["sha256"], record["bytes"])
    """
    if not os.path.isfile(path):
        raise WeightsError(
            f"The weights file {path!r} is missing. Reinstall keras_gans, or "
            "pass weights=False for an untrained model."
        )
    size = os.path.getsize(path)
    if num_bytes is not None and size != int(num_bytes):
        what = "truncated" if size < int(num_bytes) else "longer than recorded"
        raise WeightsError(
            f"The weights file {path!r} is {what}: {size} bytes, expected "
            f"{int(num_bytes)}. Reinstall keras_gans (or re-download the file)."
        )
    if sha256_hex is not None:
        actual = sha256(path)
        if actual != sha256_hex:
            raise WeightsError(
                f"The weights file {path!r} fails its checksum: SHA-256 "
                f"{actual}, expected {sha256_hex}. The file is damaged or was "
                "replaced; reinstall keras_gans or pass weights=False."
            )


def _unique_weights(model):
    """The variables a weights file holds: `model.weights` without repeats and
    without the state of the training parts that `compile()` attaches
    (augmentation, regularizers: ADA's p, LeCam's anchors). Those are
    training state, not the model, and a file must load into the preset's
    model whether or not it was compiled."""
    parts = [getattr(model, "augmentation", None)] + list(getattr(model, "regularizers", None) or [])
    skip = {id(v) for part in parts if part is not None for v in getattr(part, "weights", [])}
    seen, out = set(skip), []
    for variable in model.weights:
        if id(variable) not in seen:
            seen.add(id(variable))
            out.append(variable)
    return out


def _generic_path(path):
    """`dense_3/kernel` -> `dense/kernel`: the path without Keras' counters."""
    return "/".join(re.sub(r"_\d+$", "", part) for part in str(path).split("/"))


def save(model, path, dtype="float16", overwrite=False, metadata=None):
    """Write a model's weights to a compressed `.npz` file.

    The file is written to a temporary name and renamed into place.

    Args:
        model: a built Keras model (e.g. a zoo GAN).
        path: the `.npz` file to write.
        dtype: "float16" or "float32": how floating-point variables are
            stored (other dtypes are kept).
        overwrite: replace an existing file; otherwise an existing file is
            an error.
        metadata: an optional JSON-able dict stored in the manifest.

    Returns:
        The path written.

    Raises:
        FileExistsError: `path` exists and `overwrite` is False.
        ValueError: an unknown `dtype`.

    Example:

    >>> save(model, "/tmp/dcgan.npz", dtype="float16")
    '/tmp/dcgan.npz'
    """
    import keras
    import numpy as np

    if dtype not in DTYPES:
        raise ValueError(f"dtype must be one of {DTYPES}; received {dtype!r}.")
    path = os.fspath(path)
    if not path.endswith(".npz"):
        raise ValueError(f"A weights file ends in .npz; received {path!r}.")
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(f"{path!r} already exists; pass overwrite=True to replace it.")
    arrays, entries = {}, []
    for i, variable in enumerate(_unique_weights(model)):
        value = np.asarray(keras.ops.convert_to_numpy(variable.value))
        stored = value
        if np.issubdtype(value.dtype, np.floating) and dtype == "float16":
            stored = value.astype("float16")
        arrays[f"w{i:03d}"] = stored
        entries.append(
            {"path": variable.path, "shape": list(value.shape), "dtype": str(value.dtype)}
        )
    manifest = {
        "format": FORMAT,
        "dtype": dtype,
        "model": type(model).__name__,
        "variables": entries,
        "metadata": metadata or {},
    }
    arrays[MANIFEST_KEY] = np.array(json.dumps(manifest))
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}.npz"
    try:
        np.savez_compressed(tmp, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def read(path):
    """The manifest and arrays of a weights file, without a model.

    Args:
        path: a file written by `save`.

    Returns:
        `(manifest, arrays)`: the manifest dict and the list of arrays in
        the order of `model.weights`.

    Raises:
        WeightsError: naming the file, if it is not a readable weights file.

    Example:

    >>> manifest, arrays = read("zoo/dcgan/dcgan_digits.npz")
    >>> manifest["dtype"], len(arrays) == len(manifest["variables"])
    ('float16', True)
    """
    import zipfile

    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as data:
            manifest = json.loads(str(data[MANIFEST_KEY]))
            count = len(manifest["variables"])
            arrays = [data[f"w{i:03d}"] for i in range(count)]
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
        raise WeightsError(
            f"{path!r} is not a readable keras_gans weights file "
            f"({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})."
        ) from None
    if manifest.get("format") != FORMAT:
        raise WeightsError(
            f"{path!r} has format {manifest.get('format')!r}; this keras_gans "
            f"reads {FORMAT!r}."
        )
    return manifest, arrays


def load(model, path, sha256=None, num_bytes=None):
    """Load a weights file into a model built with the same architecture.

    Verifies the file (size, SHA-256) first when they are given, then
    matches variables by position, checking each shape and each path with
    Keras' automatic counters removed.

    Args:
        model: the model to fill (e.g. `keras_gans.from_preset(name,
            weights=False)`).
        path: a file written by `save`.
        sha256: the expected SHA-256 hex digest, or None.
        num_bytes: the expected size, or None.

    Returns:
        The manifest dict of the file.

    Raises:
        WeightsError: naming the file, for a missing, truncated, corrupted
            or unreadable file, or one made for another architecture.

    Example:

    >>> model = keras_gans.from_preset("dcgan_digits", weights=False)
    >>> load(model, "zoo/dcgan/dcgan_digits.npz")["dtype"]
    'float16'
    """
    path = os.fspath(path)
    verify_file(path, sha256, num_bytes)
    manifest, arrays = read(path)
    variables = _unique_weights(model)
    entries = manifest["variables"]
    if len(entries) != len(variables):
        raise WeightsError(
            f"{path!r} holds {len(entries)} variables but the "
            f"{type(model).__name__} model has {len(variables)}: the file was "
            "saved from another architecture (were constructor arguments "
            "overridden?)."
        )
    for i, (entry, variable, array) in enumerate(zip(entries, variables, arrays)):
        if tuple(entry["shape"]) != tuple(variable.shape) or tuple(array.shape) != tuple(
            variable.shape
        ):
            raise WeightsError(
                f"{path!r}: variable {i} ({entry['path']}) has shape "
                f"{tuple(entry['shape'])} in the file but {variable.path} has "
                f"{tuple(variable.shape)} in the model: another architecture."
            )
        if _generic_path(entry["path"]) != _generic_path(variable.path):
            raise WeightsError(
                f"{path!r}: variable {i} is {entry['path']} in the file but "
                f"{variable.path} in the model: another architecture."
            )
    for variable, array in zip(variables, arrays):
        variable.assign(array.astype(variable.dtype))
    return manifest
