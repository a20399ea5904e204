"""`python -m keras_gans ...` runs the `keras-gans` command."""

import sys

from keras_gans.cli import main

if __name__ == "__main__":
    sys.exit(main())
