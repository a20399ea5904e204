"""How long `keras-gans --help`, `list` and `info` take, in fresh processes.

Prints one line per command (median of --repeat runs, seconds) and whether
TensorFlow was imported. Before issue 11 each took about 10 s (TensorFlow
was imported by `import keras_gans`); the goal is well under a second.
Before issue 20 an unknown name (`info foo`, a typo such as `info
dcgan_mnsit`, `sample dcgan_mnsit`) still started TensorFlow to list the
families for its error (7.9 s, 24 s on a loaded machine); now it is answered
from the same static tables as a known name.

Usage:

    python benchmarks/cli_startup.py [--repeat 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMANDS = (["--help"], ["list"], ["list", "--pretrained"], ["info", "dcgan"],
            ["info", "dcgan_digits"], ["info", "foo"], ["info", "dcgan_mnsit"],
            ["sample", "dcgan_mnsit", "--out", "never_written.png"])
PROBE = (
    "import sys\n"
    "from keras_gans.cli import main\n"
    "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    "print('TENSORFLOW_IMPORTED=' + str('tensorflow' in sys.modules), file=sys.stderr)\n"
)


def time_command(args, repeat):
    """Median wall time of `keras-gans ARGS` in fresh processes, and
    whether TensorFlow got imported.

    Example:

    >>> seconds, tf_imported = time_command(["list"], 3)
    """
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    times, imported = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", PROBE] + list(args), env=env,
                              capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - began)
        imported = "TENSORFLOW_IMPORTED=True" in proc.stderr
    return statistics.median(times), imported


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for command in COMMANDS:
        seconds, imported = time_command(command, args.repeat)
        print(f"keras-gans {' '.join(command):<42} {seconds:6.2f} s  "
              f"tensorflow imported: {imported}")


if __name__ == "__main__":
    main()
