"""Where a SavedModel goes: TF Serving's version folders, locks, atomic writes.

`export_generator(model, "models/digits")` writes `models/digits/<version>/`.
A lock file reserves a version while it is written, so two exports never pick
the same one; the SavedModel is written into a temporary sibling and renamed
into place, so a server never loads half a version, and export never deletes
files it did not write.
"""

import os
import re
import uuid

_LOCK = ".export-{name}.lock"


def _is_local(path):
    return "://" not in os.fspath(path)


def _lock_path(target):
    parent, name = os.path.split(os.path.abspath(target.rstrip("/")))
    return os.path.join(parent, _LOCK.format(name=name))


def _reserve(target, automatic):
    """Create `target`'s lock file atomically (O_EXCL), or None if taken.

    Local folders only (returns None elsewhere, e.g. gs://: no reservation).
    An automatic version whose lock is taken returns None so that the caller
    picks the next version; an explicit target whose lock is taken raises.
    A process killed mid-export leaves its lock behind: the version number
    is then skipped, and an explicit export to it names the lock to delete.
    """
    if not _is_local(target):
        return None
    lock = _lock_path(target)
    os.makedirs(os.path.dirname(lock), exist_ok=True)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        if automatic:
            return None
        raise FileExistsError(
            f"another export is writing {target} (lock file {lock}); it was "
            "left untouched. If no export is running, delete the lock file."
        ) from None
    with os.fdopen(fd, "w") as f:
        f.write(f"{os.getpid()}\n")
    return lock


def _reserved_versions(path):
    """Version numbers reserved by exports in progress (their lock files)."""
    if not _is_local(path) or not os.path.isdir(path):
        return []
    found = []
    for name in os.listdir(path):
        match = re.fullmatch(r"\.export-(\d+)\.lock", name)
        if match:
            found.append(int(match.group(1)))
    return found


def next_version(path):
    """The version `export_generator` would write to in `path` by default.

    Args:
        path: a model base folder (it need not exist).

    Returns:
        One more than the largest integer-named subfolder, or 1.

    Example:

    >>> next_version("/nonexistent/models/digits")
    1
    """
    versions = existing_versions(path) + _reserved_versions(os.fspath(path))
    return max(versions) + 1 if versions else 1


def existing_versions(path):
    """The integer version folders under a model base folder, sorted.

    Example:

    >>> existing_versions("/nonexistent/models/digits")
    []
    """
    import tensorflow as tf

    path = os.fspath(path)
    if not tf.io.gfile.isdir(path):
        return []
    versions = []
    for name in tf.io.gfile.listdir(path):
        name = name.rstrip("/")
        if re.fullmatch(r"\d+", name) and tf.io.gfile.isdir(os.path.join(path, name)):
            versions.append(int(name))
    return sorted(versions)


def _version_folder(path, version, overwrite):
    import tensorflow as tf

    if tf.io.gfile.exists(path) and not tf.io.gfile.isdir(path):
        raise FileExistsError(
            f"{path} is a file; export needs a folder to hold version folders."
        )
    if tf.io.gfile.exists(os.path.join(path, "saved_model.pb")):
        raise ValueError(
            f"{path} is itself a SavedModel. Pass the model's base folder (the "
            "parent of the version folders), e.g. "
            f"{os.path.dirname(path.rstrip('/')) or '.'}."
        )
    if version is None:
        return os.path.join(path, str(next_version(path)))
    if isinstance(version, bool) or not isinstance(version, (int, str)) or not re.fullmatch(
        r"\d+", str(version)
    ):
        raise ValueError(
            f"version must be a non-negative integer; received {version!r}."
        )
    target = os.path.join(path, str(int(version)))
    if _occupied(target, overwrite) and not overwrite:
        raise FileExistsError(
            f"Version folder {target} already exists (versions there: "
            f"{existing_versions(path)}); it was left untouched. Pass "
            "overwrite=True to replace it, or omit version to write "
            f"{next_version(path)}."
        )
    return target


def _occupied(target, overwrite):
    """Whether `target` holds something an export would replace.

    An empty folder is free. A SavedModel may be replaced with `overwrite`.
    Anything else is refused even with `overwrite`: export never deletes
    files it did not write.
    """
    import tensorflow as tf

    if not tf.io.gfile.exists(target):
        return False
    if not tf.io.gfile.isdir(target):
        raise FileExistsError(f"{target} is a file; export writes a folder there.")
    if not tf.io.gfile.listdir(target):
        return False
    is_saved_model = any(
        tf.io.gfile.exists(os.path.join(target, name))
        for name in ("saved_model.pb", "saved_model.pbtxt")
    )
    if overwrite and not is_saved_model:
        raise FileExistsError(
            f"{target} holds files but no SavedModel; export will not replace "
            "it even with overwrite=True. Move it away or pick another folder."
        )
    return True


def _write_atomically(archive, target, verbose, overwrite=True):
    """Write into a temporary sibling folder, then move it into place, so a
    server watching the base folder never loads a half-written version and a
    failed export leaves the old version intact. Without `overwrite`, a
    target that holds files by the time of the rename is never replaced."""
    import tensorflow as tf

    parent = os.path.dirname(target.rstrip("/")) or "."
    tf.io.gfile.makedirs(parent)
    name = os.path.basename(target.rstrip("/"))
    tmp = os.path.join(parent, f".tmp-export-{name}-{uuid.uuid4().hex[:8]}")
    old = None
    try:
        archive.write_out(tmp, verbose=verbose)
        if not overwrite and tf.io.gfile.exists(target) and tf.io.gfile.listdir(target):
            raise FileExistsError(
                f"{target} appeared while this export was written (another "
                "export?); it was left untouched and this export discarded."
            )
        if tf.io.gfile.exists(target):  # checked by _occupied: empty or a SavedModel
            old = os.path.join(parent, f".old-export-{name}-{uuid.uuid4().hex[:8]}")
            tf.io.gfile.rename(target, old)
        tf.io.gfile.rename(tmp, target)
    except BaseException:
        if tf.io.gfile.exists(tmp):
            tf.io.gfile.rmtree(tmp)
        if old is not None and not tf.io.gfile.exists(target):
            tf.io.gfile.rename(old, target)
            old = None
        raise
    if old is not None:
        tf.io.gfile.rmtree(old)
