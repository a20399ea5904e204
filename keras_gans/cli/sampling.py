"""`keras-gans sample`: a grid of generated images, per class for
conditional models.

Example:

```
keras-gans sample dcgan_digits --out grid.png --num 64
keras-gans sample cgan_digits --out classes.png --per-class
```
"""

import os

from keras_gans.cli.common import (
    UserError,
    _check_writable,
    _generate,
    _load_model,
    _positive_int,
    _resolve,
    per_class_inputs,
)


def _parse_labels(values):
    labels = []
    for value in values or []:
        for part in str(value).split(","):
            if part.strip():
                try:
                    labels.append(int(part))
                except ValueError:
                    raise UserError(
                        f"--labels takes integers; received {part!r}."
                    ) from None
    return labels or None


#: Images per class in a `sample --per-class` grid without --cols.
PER_CLASS_DEFAULT = 8


def _cmd_sample(args):
    if args.num is not None and args.num < 1:
        raise UserError(f"--num must be >= 1; received {args.num}.")
    if args.per_class and args.num is not None:
        raise UserError(
            f"--num and --per-class exclude each other (received --num {args.num}); "
            "--per-class writes one row per class of --cols images "
            f"(default {PER_CLASS_DEFAULT})."
        )
    if os.path.exists(args.out) and not args.overwrite:
        raise UserError(f"{args.out!r} already exists; pass --overwrite to replace it.")
    if not args.out.lower().endswith(".png"):
        raise UserError(f"--out must name a .png file; received {args.out!r}.")
    labels = _parse_labels(args.labels)
    source = _resolve(args.model)
    _check_writable(os.path.dirname(os.path.abspath(args.out)))
    model = _load_model(source, compile=False)
    classes = model.num_classes
    if (labels or args.per_class) and not classes:
        flag = "--per-class" if args.per_class else "--labels"
        raise UserError(
            f"{flag} given, but the {type(model).__name__} model is not "
            "class-conditional."
        )
    if labels and classes and any(not 0 <= y < classes for y in labels):
        raise UserError(
            f"--labels must lie in [0, {classes}); received {labels}."
        )
    from keras_gans import images

    if args.per_class:
        rows = labels or list(range(int(classes)))
        cols = args.cols or PER_CLASS_DEFAULT
        z, grid_labels = per_class_inputs(model, rows, cols, args.seed)
        samples = model.generate(z=z, labels=grid_labels)
        what = f"{len(rows)} rows (classes {', '.join(map(str, rows))}) of {cols}"
    else:
        num = 64 if args.num is None else args.num
        # --labels: one column per label, so each class sits in its column.
        cols = args.cols or (len(labels) if labels else None)
        samples = _generate(model, num, args.seed, labels)
        what = f"{num} samples"
    images.save_grid(samples, args.out, ncols=cols)
    print(f"Wrote {what} to {args.out}")
    return 0


def add_parsers(sub):
    """Add the `sample` subcommand to `sub`.

    Example:

    >>> parser = argparse.ArgumentParser()
    >>> add_parsers(parser.add_subparsers(dest="command"))
    """
    p = sub.add_parser("sample", help="write a grid of generated images")
    p.add_argument("model", help="a .keras file, a training --out folder or a preset with weights")
    p.add_argument("--num", type=int, help="how many images (default 64)")
    p.add_argument("--out", required=True, help="the .png to write")
    p.add_argument("--labels", nargs="+",
                   help="class labels for conditional models, cycled, one column "
                   "each (e.g. 0 1 2 or 0,1,2)")
    p.add_argument("--per-class", action="store_true",
                   help="conditional models: one row per class (or per --labels), "
                   f"--cols images each (default {PER_CLASS_DEFAULT}), a column "
                   "sharing its noise")
    p.add_argument("--seed", type=int, default=0, help="noise seed (default 0)")
    p.add_argument("--cols", type=_positive_int,
                   help="columns of the grid (default: one per --labels label, else square)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing --out")
    p.set_defaults(handler=_cmd_sample)

