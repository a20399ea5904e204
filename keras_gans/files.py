"""Writing files so that nothing good is ever lost.

Every file keras-gans writes (checkpoints, `model.keras`, sample grids,
`run.json`, `evaluate --json`) is written to a temporary file in the same
folder and then renamed over its target: a full disk or a kill leaves the
old file intact (and at worst a stray `.tmp-*` file), never a truncated
one. `check_writable` tests an output folder before any expensive work.

Example:

```python
with atomic_path("runs/x/model.keras") as tmp:
    model.save(tmp)          # written to runs/x/.tmp-XXXX-model.keras
# now renamed to runs/x/model.keras
```
"""

import contextlib
import errno
import os
import uuid


def _tmp_name(path):
    folder, name = os.path.split(os.path.abspath(os.fspath(path)))
    # Keep the suffix: Keras wants ".keras", matplotlib infers ".png".
    return os.path.join(folder, f".tmp-{uuid.uuid4().hex[:8]}-{name}")


@contextlib.contextmanager
def atomic_path(path):
    """A temporary path to write; renamed onto `path` if the block succeeds.

    The temporary file sits in `path`'s folder (created if needed), so the
    rename is atomic. On any error the temporary file is removed and
    `path` is left as it was.

    Args:
        path: the file to (re)place.

    Yields:
        The temporary path to write to.

    Example:

    ```python
    with atomic_path("grid.png") as tmp:
        fig.savefig(tmp)
    ```
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = _tmp_name(path)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


def _fsync(path):
    """Flush a written file to disk, so a crash after the rename cannot
    leave an empty file under the final name."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text(path, text):
    """Write `text` (UTF-8) to `path` atomically.

    Example:

    >>> write_text("results.json", "{}\\n")
    """
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)


def check_writable(folder):
    """Raise `OSError` naming `folder` unless files can be written in it.

    Writes (then removes) a small probe file in `folder`, or, when it does
    not exist yet, in its nearest existing parent (creating nothing), so a
    read-only mount, a full disk or a path through a file fails before a
    model is built or data is loaded.

    Args:
        folder: the output folder.

    Raises:
        OSError (PermissionError, ...): with `filename` set to the folder.

    Example:

    >>> check_writable("runs/dcgan")
    """
    folder = os.fspath(folder) or "."
    existing = os.path.abspath(folder)
    while not os.path.exists(existing) and os.path.dirname(existing) != existing:
        existing = os.path.dirname(existing)
    try:
        if not os.path.isdir(existing):
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", existing)
        probe = os.path.join(existing, f".write-test-{uuid.uuid4().hex[:8]}")
        with open(probe, "w", encoding="utf-8") as f:
            f.write("ok")
        os.remove(probe)
    except OSError as error:
        raise type(error)(
            error.errno, f"cannot write in {folder!r}: {error.strerror or error}", folder
        ) from None


def describe_os_error(error):
    """One line for an `OSError`, naming its path.

    Example:

    >>> describe_os_error(PermissionError(13, "Permission denied", "/ro/x"))
    "Permission denied: '/ro/x'"
    """
    reason = error.strerror or str(error) or type(error).__name__
    if error.filename is not None and os.fspath(error.filename) not in reason:
        return f"{reason}: {os.fspath(error.filename)!r}"
    return reason
