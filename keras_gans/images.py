"""Turning batches of generated images into pictures."""

import math
import os

import numpy as np


def to_uint8(images):
    """Map images in [-1, 1] to uint8 pixels in [0, 255].

    Args:
        images: array-like of floats in [-1, 1], any shape.

    Returns:
        A `uint8` numpy array of the same shape.

    Example:

    >>> to_uint8(np.array([-1.0, 0.0, 1.0])).tolist()
    [0, 128, 255]
    """
    images = np.asarray(images, dtype="float32")
    return np.clip(np.round((images + 1.0) * 127.5), 0, 255).astype("uint8")


def make_grid(images, ncols=None, padding=1):
    """Tile a batch of images (n, H, W, C) in [-1, 1] into one uint8 picture.

    Args:
        images: array of shape (n, H, W, C) or (n, H, W), values in [-1, 1].
        ncols: number of columns; defaults to ceil(sqrt(n)).
        padding: pixels of background between tiles.

    Returns:
        A uint8 array of shape (rows * (H + p) + p, cols * (W + p) + p, C).

    Example:

    >>> make_grid(np.zeros((4, 8, 8, 1))).shape
    (19, 19, 1)
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            "make_grid expects images of shape (n, H, W, C); "
            f"received shape {images.shape}."
        )
    n, h, w, c = images.shape
    ncols = ncols or max(1, math.ceil(math.sqrt(n)))
    nrows = max(1, math.ceil(n / ncols))
    grid = np.zeros(
        (nrows * (h + padding) + padding, ncols * (w + padding) + padding, c),
        dtype="uint8",
    )
    pixels = to_uint8(images)
    for i in range(n):
        r, col = divmod(i, ncols)
        y = padding + r * (h + padding)
        x = padding + col * (w + padding)
        grid[y : y + h, x : x + w] = pixels[i]
    return grid


def save_grid(images, path, ncols=None, scale=4, title=None, overwrite=True):
    """Save a batch of images in [-1, 1] as a PNG grid with matplotlib.

    Args:
        images: array of shape (n, H, W, C), values in [-1, 1].
        path: where to write the PNG.
        ncols: columns of the grid; defaults to a square.
        scale: screen pixels per image pixel (small digits are 8x8).
        title: optional title drawn above the grid.
        overwrite: if False and `path` exists, raise `FileExistsError`.

    Returns:
        The path written.

    Example:

    >>> save_grid(np.zeros((16, 8, 8, 1)), "/tmp/grid.png")
    '/tmp/grid.png'
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    path = os.fspath(path)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(
            f"{path} already exists; pass overwrite=True to replace it."
        )
    grid = make_grid(images, ncols=ncols)
    dpi = 100
    height, width = grid.shape[:2]
    fig = plt.figure(
        figsize=(width * scale / dpi, (height * scale + (40 if title else 0)) / dpi),
        dpi=dpi,
    )
    ax = fig.add_axes([0, 0, 1, height * scale / (height * scale + (40 if title else 0))])
    ax.axis("off")
    if grid.shape[-1] == 1:
        ax.imshow(grid[..., 0], cmap="gray", vmin=0, vmax=255, interpolation="nearest")
    else:
        ax.imshow(grid, interpolation="nearest")
    if title:
        fig.suptitle(title, fontsize=10)
    from keras_gans import files

    try:
        # A temporary file renamed into place: a full disk or a kill never
        # leaves a truncated grid where a good one was.
        with files.atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=dpi, format="png")
    finally:
        plt.close(fig)
    return path
