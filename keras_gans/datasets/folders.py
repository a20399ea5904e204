"""Folders of PNG/JPEG images, loose or in one sub-folder per class."""

import os
import warnings

import numpy as np

from keras_gans.datasets.pipeline import _tf

_IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")


def _list_folder(path):
    """Image files under `path` -> (files, labels or None, class_names)."""

    def images_in(folder, recursive):
        found = []
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            found.extend(
                os.path.join(root, f)
                for f in sorted(files)
                if f.lower().endswith(_IMAGE_EXTENSIONS) and not f.startswith(".")
            )
            if not recursive:
                break
        return found

    top = images_in(path, recursive=False)
    class_names = sorted(
        d
        for d in os.listdir(path)
        if not d.startswith(".") and os.path.isdir(os.path.join(path, d))
    )
    per_class = [images_in(os.path.join(path, d), recursive=True) for d in class_names]
    if any(per_class):
        if top:
            raise ValueError(
                f"The folder {path!r} has both loose images ({len(top)}, e.g. "
                f"{os.path.basename(top[0])!r}) and class sub-folders "
                f"{class_names}; expected one or the other."
            )
        files, labels = [], []
        for index, class_files in enumerate(per_class):
            files.extend(class_files)
            labels.extend([index] * len(class_files))
        return files, labels, class_names
    if not top:
        raise ValueError(
            f"The folder {path!r} contains no images; expected PNG or JPEG files "
            f"({', '.join(_IMAGE_EXTENSIONS)}) in it or in one sub-folder per "
            "class."
        )
    return top, None, []


def _skip_corrupt(files, labels, folder):
    """Decode every image once, before training; skip (with a warning per
    file, naming it) those that cannot be decoded, so a corrupt file never
    ends an epoch with a traceback."""
    tf = _tf()
    good = []
    for i, file in enumerate(files):
        try:
            tf.io.decode_image(tf.io.read_file(file), expand_animations=False)
        except (tf.errors.OpError, ValueError) as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            warnings.warn(
                f"Skipping the image {file!r}: it cannot be decoded ({reason}).",
                UserWarning,
                stacklevel=4,
            )
            continue
        good.append(i)
    if not good:
        raise ValueError(
            f"None of the {len(files)} image files in {folder!r} can be decoded; "
            "expected PNG, JPEG, GIF or BMP images."
        )
    kept = [files[i] for i in good]
    return kept, (None if labels is None else [labels[i] for i in good])


def _folder_dataset(path, with_labels, image_size, channels, limit):
    tf = _tf()
    files, labels, class_names = _list_folder(path)
    if with_labels and labels is None:
        raise ValueError(
            f"`with_labels=True` needs one sub-folder per class in {path!r}; "
            "the folder holds its images directly, so there are no labels."
        )
    if limit is not None:
        files = files[:limit]
        labels = labels[:limit] if labels is not None else None
    files, labels = _skip_corrupt(files, labels, path)

    first = tf.io.decode_image(tf.io.read_file(files[0]), expand_animations=False)
    if channels is None:
        channels = 1 if first.shape[-1] in (1, 2) else 3
    if image_size is None:
        image_size = (int(first.shape[0]), int(first.shape[1]))

    def read(file):
        image = tf.io.decode_image(
            tf.io.read_file(file), channels=channels, expand_animations=False
        )
        image = tf.image.resize(image, image_size, method="bilinear", antialias=True)
        image = tf.clip_by_value(image / 127.5 - 1.0, -1.0, 1.0)
        return tf.ensure_shape(image, (image_size[0], image_size[1], channels))

    if with_labels:
        ds = tf.data.Dataset.from_tensor_slices(
            (files, np.asarray(labels, dtype="int32"))
        )

        def transform(file, label):
            return read(file), label

    else:
        ds = tf.data.Dataset.from_tensor_slices(files)
        transform = read
    return ds, transform, len(files)



def _looks_like_path(name):
    return (
        os.path.isabs(name)
        or name.startswith(("./", "../", "~", ".\\", "..\\"))
        or (os.sep != "/" and os.sep in name)
        or name.lower().endswith(_IMAGE_EXTENSIONS)
    )
