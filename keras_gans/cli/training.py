"""`keras-gans train`: argument parsing around `keras_gans.runs.train`, the
one training path of the project.

Example:

```
keras-gans train dcgan_digits --out runs/dcgan --epochs 5
keras-gans train dcgan_digits --out runs/dcgan --resume
```
"""

import argparse
import os
import sys

from keras_gans.cli.common import _positive_int, _preset_argument, _resolve


def _cmd_train(args):
    from keras_gans import runs

    source = _resolve(args.name, path_kind="preset .json file", is_path=os.path.isfile)
    preset = runs.resolve_preset(_preset_argument(source))
    out = args.out or os.path.join("runs", preset["name"])
    try:
        runs.train(
            preset, out=out, data=args.dataset, data_dir=args.data_dir,
            epochs=args.epochs, steps_per_epoch=args.steps,
            batch_size=args.batch_size, seed=args.seed,
            checkpoint_every=args.checkpoint_every, num_samples=args.num_samples,
            resume=args.resume, overwrite=args.overwrite,
            argv=["keras-gans"] + list(args.argv or []),
            stop_after_steps=args.stop_after_steps,
        )
    except KeyboardInterrupt:
        print(
            f"\nInterrupted. Continue with: keras-gans train {args.name} "
            f"--out {out} --resume",
            file=sys.stderr,
        )
        return 130
    return 0


def add_parsers(sub):
    """Add the `train` subcommand to `sub`.

    Example:

    >>> parser = argparse.ArgumentParser()
    >>> add_parsers(parser.add_subparsers(dest="command"))
    """
    p = sub.add_parser("train", help="train a preset")
    p.add_argument("name", help="a preset name (see `keras-gans list`) or a preset .json file")
    p.add_argument("--out", help="output folder (default: runs/<preset>)")
    p.add_argument("--dataset", help="data set name or image folder replacing the preset's")
    p.add_argument("--data-dir", help="tensorflow-datasets data directory")
    p.add_argument("--epochs", type=_positive_int, help="number of epochs")
    p.add_argument("--steps", type=_positive_int,
                   help="batches per epoch (default: one pass over the data)")
    p.add_argument("--batch-size", type=_positive_int, help="batch size")
    p.add_argument("--seed", type=int, help="seed of weights, data order and noise")
    p.add_argument("--checkpoint-every", type=_positive_int, default=500,
                   help="also checkpoint every this many steps (default 500)")
    p.add_argument("--num-samples", type=_positive_int, default=64,
                   help="images in each epoch's sample grid (default 64)")
    p.add_argument("--resume", action="store_true",
                   help="continue the interrupted run in --out")
    p.add_argument("--overwrite", action="store_true",
                   help="replace the run already in --out, once the new run is saved")
    # Testing aid: exit abruptly after N steps, like a killed process.
    p.add_argument("--stop-after-steps", type=_positive_int, help=argparse.SUPPRESS)
    p.set_defaults(handler=_cmd_train)

