"""The argument parser of `keras-gans`: the program's options here, each
subcommand's in the module that runs it (`add_parsers`).

Example:

```python
from keras_gans.cli.parser import build_parser
build_parser().parse_args(["train", "dcgan_digits", "--epochs", "5"]).epochs   # 5
```
"""

import argparse

from keras_gans.cli import evaluating, exporting, listing, sampling, training


def build_parser():
    """The argument parser of `keras-gans` (for docs and tests).

    Returns:
        An `argparse.ArgumentParser`.

    Example:

    >>> build_parser().parse_args(["list", "dcgan*"]).pattern
    'dcgan*'
    """
    parser = argparse.ArgumentParser(
        prog="keras-gans",
        description="A model zoo of GANs for Keras 3: list, train, sample, "
        "export and evaluate.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (listing, training, sampling, exporting, evaluating):
        module.add_parsers(sub)
    return parser
