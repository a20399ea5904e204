"""Training curves to PNG."""

import csv
import math
import os

import numpy as np


def _read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(f"The CSV log {path} has no rows.")
    columns = {}
    for key in rows[0]:
        values = []
        for row in rows:
            try:
                values.append(float(row[key]))
            except (TypeError, ValueError):  # "NA", "", lists
                values.append(float("nan"))
        columns[key] = values
    return columns


def load_history(history):
    """Normalise a training record to `(epochs, {key: values})`.

    Args:
        history: a `keras.callbacks.History` (what `fit()` returns), a dict
            of lists (`history.history`), or the path of a `CSVLogger` file.

    Returns:
        `(epochs, columns)`: 1-based epoch numbers and a dict of float lists.

    Example:

    >>> epochs, columns = load_history({"d_loss": [0.7, 0.6]})
    >>> epochs
    [1, 2]
    """
    if isinstance(history, (str, os.PathLike)):
        columns = _read_csv(os.fspath(history))
        epochs = columns.pop("epoch", None)  # CSVLogger counts from 0
        epochs = [int(e) + 1 for e in epochs] if epochs else None
    else:
        data = getattr(history, "history", history)
        if not isinstance(data, dict):
            raise TypeError(
                "Expected a keras History, a dict of lists or a CSV path; "
                f"received {type(history).__name__}."
            )
        columns = {}
        for k, v in data.items():
            try:
                columns[k] = [float(x) for x in v]
            except (TypeError, ValueError):
                continue  # non-scalar entries (e.g. class-share lists)
        epochs = list(getattr(history, "epoch", []) or [])
        epochs = [e + 1 for e in epochs] if epochs else None
    # CSVLogger adds an all-"NA" val_<key> column for every key when there is
    # no validation data; columns without a single value are not plotted.
    columns = {k: v for k, v in columns.items() if np.any(np.isfinite(v))}
    n = max((len(v) for v in columns.values()), default=0)
    if n == 0:
        raise ValueError("The training record holds no values to plot.")
    if epochs is None or len(epochs) != n:
        epochs = list(range(1, n + 1))
    return epochs, columns


def _panels(keys):
    """Group keys: losses together, D outputs together, other metrics alone."""
    losses = [k for k in keys if "loss" in k]
    d_outputs = [k for k in keys if k not in losses and k.removeprefix("val_").startswith("d_")]
    panels = []
    if losses:
        panels.append(("losses", losses))
    if d_outputs:
        panels.append(("discriminator outputs", d_outputs))
    for k in keys:
        if k in losses or k in d_outputs or k.endswith("_std"):
            continue
        panels.append((k, [k]))
    return panels


def plot_history(history, path, keys=None, title=None):
    """Plot losses and metrics per epoch to a PNG.

    Losses share one panel, the discriminator's mean outputs (`d_real`,
    `d_fake`) another, and every other metric (e.g. `fid_digits`) gets its
    own panel, with a `<key>_std` band when one is logged; a panel whose
    positive values span more than 100x gets a log scale. Epochs where a
    metric was not computed (NaN/"NA") are skipped, as are columns with no
    value at all (CSVLogger's `val_*` columns without validation data).

    Args:
        history: a `keras.callbacks.History`, a dict of lists, or the path
            of a `CSVLogger` file.
        path: the PNG to write (parent directories are created).
        keys: the keys to plot (default all).
        title: a title for the figure.

    Returns:
        The path written.

    Example:

    >>> history = gan.fit(data, epochs=5)
    >>> plot_history(history, "out/curves.png")
    'out/curves.png'
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    epochs, columns = load_history(history)
    if keys is not None:
        missing = [k for k in keys if k not in columns]
        if missing:
            raise ValueError(
                f"Keys {missing} are not in the training record; available: "
                f"{sorted(columns)}."
            )
        columns = {k: columns[k] for k in keys}
    panels = _panels(sorted(columns))
    if not panels:
        raise ValueError("Nothing to plot: no numeric keys in the training record.")
    ncols = 1 if len(panels) == 1 else 2
    nrows = math.ceil(len(panels) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.5 * ncols, 3.2 * nrows), squeeze=False)
    x = np.asarray(epochs)
    for ax, (name, panel_keys) in zip(axes.flat, panels):
        for k in panel_keys:
            y = np.asarray(columns[k], dtype="float64")
            xk = x[: len(y)]  # a key missing from some epochs has a short list
            ok = np.isfinite(y)
            style = "--" if k.startswith("val_") else "-"
            ax.plot(xk[ok], y[ok], style, marker="o" if ok.sum() < 30 else None, ms=3, label=k)
            std = columns.get(f"{k}_std")
            if std is not None:
                s = np.asarray(std, dtype="float64")
                if len(s) == len(y):
                    band = ok & np.isfinite(s)
                    ax.fill_between(xk[band], (y - s)[band], (y + s)[band], alpha=0.2)
        values = np.concatenate([np.asarray(columns[k], "float64") for k in panel_keys])
        values = values[np.isfinite(values)]
        if len(values) and values.min() > 0 and values.max() > 100 * values.min():
            ax.set_yscale("log")  # e.g. FID falling from 1000s to 10s
        ax.set_title(name, fontsize=10)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        if len(panel_keys) > 1:
            ax.legend(fontsize=8)
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    path = os.fspath(path)
    from keras_gans import files

    try:
        with files.atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=100, format=os.path.splitext(path)[1][1:] or "png")
    finally:
        plt.close(fig)
    return path
