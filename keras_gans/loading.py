"""`keras_gans.load_model`: open a saved GAN and say clearly what is wrong.

`keras.saving.load_model("bad.keras")` answers an empty or truncated file
with "File not found", and a plain Keras model loads without complaint where
a GAN was expected. `load_model` checks the file first (there, not empty, a
complete zip archive whose members pass their checksums, a Keras
`config.json`), then loads it with the zoo's classes registered, and checks
that it holds a GAN (of the family asked for, if one is). Every failure is a
`ModelFileError` whose one-line message names the path and its size.

Example:

```python
import keras_gans

gan = keras_gans.load_model("runs/dcgan_digits/model.keras")
gan = keras_gans.load_model("runs/dcgan_digits")           # a run folder
gan = keras_gans.load_model("dcgan.keras", family="dcgan")  # or a ModelFileError
```
"""

import json
import os
import zipfile

#: The model file inside a `keras-gans train --out` folder.
MODEL_FILE = "model.keras"


class ModelFileError(ValueError):
    """A model file that cannot be loaded as asked; the message is one line.

    Example:

    >>> try:
    ...     load_model("missing.keras")
    ... except ModelFileError as error:
    ...     print(error)
    no model file at '/home/me/missing.keras'.
    """


def _first_line(error):
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def model_file(path):
    """The `.keras` file that `path` names: the file, or a run folder's model.

    Args:
        path: a `.keras` file, or a folder holding `model.keras` (the `--out`
            folder of `keras-gans train`).

    Returns:
        The path of the `.keras` file (not yet checked inside).

    Raises:
        ModelFileError: nothing at `path`, a folder without `model.keras`,
            or a file whose name does not end in `.keras`.

    Example:

    >>> model_file("runs/dcgan_digits")
    'runs/dcgan_digits/model.keras'
    """
    path = os.fspath(path)
    if os.path.isdir(path):
        candidate = os.path.join(path, MODEL_FILE)
        if os.path.isfile(candidate):
            return candidate
        raise ModelFileError(
            f"{path!r} is a folder without a {MODEL_FILE}; pass a .keras file "
            "or the --out folder of a finished `keras-gans train` run."
        )
    if not os.path.exists(path):
        raise ModelFileError(f"no model file at {os.path.abspath(path)!r}.")
    if not path.endswith(".keras"):
        raise ModelFileError(
            f"{path!r} ({os.path.getsize(path):,} bytes) is not a .keras file; "
            "expected a model saved with model.save('name.keras') or by "
            "`keras-gans train`."
        )
    return path


def check_model_file(path):
    """Check a `.keras` file's container; return its saved class header.

    A `.keras` file is a zip archive holding `config.json`; Keras reports an
    empty or truncated one as "File not found", so this says which it is.

    Args:
        path: the `.keras` file.

    Returns:
        The top level of its `config.json` without the `config` body:
        `{"module": ..., "class_name": ..., "registered_name": ...}`.

    Raises:
        ModelFileError: missing, empty, truncated or corrupt (a member fails
            its checksum), or not a Keras archive. The message names the
            path and its size.

    Example:

    >>> check_model_file("dcgan.keras")["class_name"]
    'DCGAN'
    """
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ModelFileError(f"no model file at {os.path.abspath(path)!r}.")
    size = os.path.getsize(path)
    where = f"{path!r} ({size:,} bytes)"
    if size == 0:
        raise ModelFileError(
            f"could not load {where}: it is empty; the save that wrote it was "
            "cut short (full disk or killed process)."
        )
    if not zipfile.is_zipfile(path):
        raise ModelFileError(
            f"could not load {where}: it is truncated or corrupt (a .keras file "
            "is a zip archive; this one has no intact end record)."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = set(archive.namelist())
            header = json.loads(archive.read("config.json")) if "config.json" in names else None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ModelFileError(f"could not load {where}: it is corrupt ({_first_line(error)}).") from None
    if bad is not None:
        raise ModelFileError(
            f"could not load {where}: it is corrupt (its member {bad!r} fails "
            "its checksum).")
    if not isinstance(header, dict):
        raise ModelFileError(
            f"could not load {where}: it is a zip archive but not a Keras model "
            "(no config.json); expected a file written by model.save('name.keras')."
        )
    return {k: v for k, v in header.items() if k != "config"}


def _saved_class(header):
    module = header.get("module") or "?"
    return f"{module}.{header.get('class_name') or '?'}"


def load_model(path, compile=True, family=None):
    """Load a GAN saved as `.keras`, with one clear line for a bad file.

    Args:
        path: a `.keras` file or a `keras-gans train --out` folder.
        compile: restore the optimizers (and their state) too; False is
            faster when only sampling.
        family: if given (e.g. `"dcgan"`), the file must hold a model of
            that registered family (or a subclass).

    Returns:
        The model (a `keras_gans.GAN`).

    Raises:
        ModelFileError: the file is missing, empty, truncated, corrupt, not a
            Keras model, saved from a class not importable here, not a GAN,
            or of another family than `family`. The message names the path
            and its size.

    Example:

    ```python
    import keras_gans

    gan = keras_gans.load_model("runs/dcgan_digits/model.keras")
    images = gan.generate(16, seed=0)
    ```
    """
    path = model_file(path)
    header = check_model_file(path)
    where = f"{path!r} ({os.path.getsize(path):,} bytes)"
    import keras

    import keras_gans  # registers the zoo's classes with Keras
    from keras_gans import registry

    GAN = keras_gans.GAN
    registry.load_families()  # registered even if no lookup has run yet

    expected = registry.get_class(family) if family is not None else None
    try:
        model = keras.saving.load_model(path, compile=compile)
    except Exception as error:  # a broken file can fail in many ways
        reason = _first_line(error)
        if "could not locate" in reason.lower() or "unknown" in reason.lower():
            raise ModelFileError(
                f"could not load {where}: it holds a {_saved_class(header)}, a class "
                "this installation does not know; import the package that defines "
                "it (or upgrade keras_gans) first."
            ) from None
        raise ModelFileError(
            f"could not load {where} as a Keras model ({type(error).__name__}: {reason})."
        ) from None
    if not isinstance(model, GAN):
        raise ModelFileError(
            f"{where} holds a {type(model).__module__}.{type(model).__name__}, not a "
            "keras_gans GAN; expected a model saved from a zoo family or keras_gans.GAN."
        )
    if expected is not None and not isinstance(model, expected):
        raise ModelFileError(
            f"{where} holds a {type(model).__name__} model, not the {family!r} "
            f"family ({expected.__name__}) that was asked for."
        )
    return model
