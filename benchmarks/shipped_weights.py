"""Reproduce the recorded metric of every preset that ships weights.

For each preset with a `"weights"` section (or those given with --presets),
load `keras_gans.from_preset(name)` (size and SHA-256 checked), measure the
record's protocol (`tools/ship_weights.py`: 500 samples on numpy noise with
seed 0 against the test split of the preset's data set) and compare with the
recorded value. The digits presets are also checked in the test suite
(tests/test_shipped_weights.py); the 28x28 presets need the real MNIST /
Fashion-MNIST files (`--data-dir` or the data set loader's default), so they
are checked here.

    KERAS_BACKEND=tensorflow python benchmarks/shipped_weights.py
    KERAS_BACKEND=jax python benchmarks/shipped_weights.py --presets dcgan_mnist

Exits with status 1 when a metric is off by more than --rtol (default 1%).
"""

import argparse
import importlib.util
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)  # the checkout's keras_gans, not an installed one


def _ship_tool():
    spec = importlib.util.spec_from_file_location(
        "ship_weights", os.path.join(ROOT, "tools", "ship_weights.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def reproduce(name, data_dir=None):
    """`(metric name, measured, recorded, seconds)` for one preset.

    Example:

    >>> reproduce("dcgan_digits")[0]
    'fid500_digits'
    """
    import keras_gans

    tool = _ship_tool()
    began = time.time()
    preset = keras_gans.get_preset(name)
    record = preset["weights"]
    protocol = record["protocol"]
    model = keras_gans.from_preset(name, weights=True, compile=False)
    real = tool.real_images(preset, protocol.get("split", "test"),
                            protocol.get("num_real"), data_dir=data_dir)
    metric = tool.protocol_metric_name(protocol)
    measured = tool.protocol_metrics(model, preset, protocol, real)[metric]
    return metric, measured, record["metrics"][metric], time.time() - began


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", help="preset names (default: all with weights)")
    parser.add_argument("--rtol", type=float, default=0.01)
    parser.add_argument("--data-dir", help="data directory of the 28x28 data sets")
    args = parser.parse_args(argv)

    import keras

    import keras_gans

    names = args.presets or [
        n for n in keras_gans.list_presets() if keras_gans.get_preset(n).get("weights")
    ]
    failed = []
    for name in names:
        metric, measured, recorded, seconds = reproduce(name, args.data_dir)
        ok = abs(measured - recorded) <= args.rtol * abs(recorded)
        row = {"preset": name, "metric": metric, "measured": measured,
               "recorded": recorded, "ok": ok, "seconds": round(seconds, 1),
               "backend": keras.backend.backend()}
        print(json.dumps(row), flush=True)
        if not ok:
            failed.append(name)
    if failed:
        print(f"metrics not reproduced within {args.rtol:.0%}: {failed}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
