"""`keras-gans evaluate`: sample-quality metrics against real images, printed
as a table (and written as JSON with --json).

Example:

```
keras-gans evaluate runs/dcgan --num-samples 1000 --json metrics.json
```
"""

import json
import os

from keras_gans.cli.common import (
    UserError,
    _check_writable,
    _first_line,
    _load_model,
    _positive_int,
    _resolve,
)
from keras_gans.runs import RUN_FILE


def _cmd_evaluate(args):
    source = _resolve(args.model)  # a typo is answered before TensorFlow starts
    try:
        from keras_gans.evaluation import evaluate_generator
    except ImportError:
        raise UserError(
            "this installation of keras_gans has no evaluation module "
            "(keras_gans.evaluation); upgrade keras_gans to evaluate models."
        ) from None
    import numpy as np

    if args.json:
        _check_writable(os.path.dirname(os.path.abspath(args.json)))
    spec = None
    if args.dataset:
        spec = {"name": args.dataset}
    elif source.kind == "preset":
        from keras_gans import presets

        spec = dict(presets.get_preset(source.value)["dataset"])
    else:
        from keras_gans import loading, runs

        path = source.value
        folder = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        run_file = os.path.join(folder, RUN_FILE)
        if not os.path.isfile(run_file):
            # Check the file before asking for --dataset: a typo'd or
            # damaged path says so first.
            try:
                loading.check_model_file(loading.model_file(path))
            except loading.ModelFileError as error:
                raise UserError(str(error)) from None
            raise UserError(
                "pass --dataset: the model was not trained by `keras-gans train`, "
                "so its data set is unknown."
            )
        try:
            spec = dict(runs.read_json(run_file)["dataset"])
        except (KeyError, TypeError):
            raise UserError(f"{run_file!r} is damaged: it names no data set; pass --dataset.") from None
    model = _load_model(source, compile=False)
    spec["with_labels"] = False
    spec["image_size"] = list(model.image_shape[:2])
    from keras_gans import runs

    dataset = runs.load_data(
        spec, model.image_shape, 256, seed=0, data_dir=args.data_dir,
        split=args.split, shuffle=False, limit=args.num_real,
    )
    real = np.concatenate([np.asarray(batch) for batch in dataset], axis=0)
    try:
        results = evaluate_generator(
            model, real, num_samples=args.num_samples, seed=args.seed
        )
    except (ValueError, TypeError) as error:
        raise UserError(_first_line(error)) from None
    text = json.dumps(results, indent=2, default=float)
    print(results_table(results))
    if args.json:
        from keras_gans import files

        files.write_text(args.json, text + "\n")
    return 0


def _spread_note(results, key):
    """What a metric's std is over: "100 subsets of 360", "10 splits"."""
    subsets = results.get(key + "_subsets")
    if subsets is not None:
        size = results.get(key + "_subset_size")
        return f"{int(subsets)} subsets" + (f" of {int(size)}" if size is not None else "")
    splits = results.get(key + "_splits")
    if splits is not None:
        return f"{int(splits)} split" + ("s" if int(splits) != 1 else " (no spread)")
    return ""


#: Keys folded into another metric's row (the counts behind its std).
_COUNT_SUFFIXES = ("_subsets", "_subset_size", "_splits")


def results_table(results):
    """The metrics of `keras-gans evaluate` as a plain-text table.

    One row per scalar metric: its value, its standard deviation where it has
    one, and what that deviation is over (KID: the subsets and their size;
    IS: the splits). KID is printed as measured: in the zoo's classifier
    feature spaces it has its own magnitudes, not the x10^3 scale papers use
    for Inception features (docs/evaluation.md gives the range to expect).
    The protocol and the class shares follow the table.

    Example:

    >>> print(results_table({"fid_digits": 1.5, "kid_digits": 26.4, "kid_digits_std": 48.0,
    ...                      "kid_digits_subsets": 100, "kid_digits_subset_size": 360}))
    metric       value       std       std over
    fid_digits   1.5
    kid_digits   26.4        48        100 subsets of 360
    """
    results = {k: v for k, v in results.items() if "x1e3" not in k}
    rows, notes = [], []
    for key, value in results.items():
        if key.endswith("_std") and key[: -len("_std")] in results:
            continue
        if key.endswith(_COUNT_SUFFIXES) and any(
                key[: -len(suffix)] in results for suffix in _COUNT_SUFFIXES
                if key.endswith(suffix)):
            continue
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            notes.append(f"{key}: {value}")
            continue
        std = results.get(key + "_std")
        over = _spread_note(results, key)
        if std is None and not over:
            std_text = ""
        else:
            std_text = "—" if std is None else f"{float(std):.2g}"
        rows.append((key, f"{value:.4g}", std_text, over))
    width = max([len("metric")] + [len(r[0]) for r in rows]) + 3
    lines = [f"{'metric':<{width}}{'value':<12}{'std':<10}std over"]
    lines += [f"{name:<{width}}{value:<12}{std:<10}{over}".rstrip()
              for name, value, std, over in rows]
    return "\n".join(lines + notes)


def add_parsers(sub):
    """Add the `evaluate` subcommand to `sub`.

    Example:

    >>> parser = argparse.ArgumentParser()
    >>> add_parsers(parser.add_subparsers(dest="command"))
    """
    p = sub.add_parser("evaluate", help="sample-quality metrics against real images")
    p.add_argument("model", help="a .keras file, a training --out folder or a preset with weights")
    p.add_argument("--dataset", help="real images (default: the run's data set)")
    p.add_argument("--split", default="test", help="split of real images (default test)")
    p.add_argument("--data-dir", help="tensorflow-datasets data directory")
    p.add_argument("--num-samples", type=_positive_int, default=1000,
                   help="generated images (default 1000)")
    p.add_argument("--num-real", type=_positive_int, default=None,
                   help="real images to use (default: the whole split)")
    p.add_argument("--seed", type=int, default=0, help="noise seed (default 0)")
    p.add_argument("--json", help="also write the results to this file")
    p.set_defaults(handler=_cmd_evaluate)

