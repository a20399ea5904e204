"""Ship a preset's trained weights: train (or take a model), store, measure, record.

    KERAS_BACKEND=tensorflow python tools/ship_weights.py dcgan_digits
    KERAS_BACKEND=tensorflow python tools/ship_weights.py dcgan_mnist \\
        --model runs/dcgan_mnist/model.keras

Without `--model` the preset is trained by the project's one training path
(`keras_gans.runs.train`, the code behind `keras-gans train PRESET --out
DIR`) into `--run-dir` (default `runs/ship/<preset>`). With `--model` an
existing `model.keras` is shipped instead (for example the `--out` folder of a
`keras-gans train` run made elsewhere); the run's `run.json` beside it, if
any, supplies the training command, epochs and backend.

Then the tool:

1. stores the weights as `zoo/<family>/<preset>.npz` (`keras_gans.weights`):
   float16 when samples of the reloaded model stay within 1e-2 of the
   float32 model's (`--dtype auto`, the default), else float32;
2. loads that exact file into a fresh `from_preset(name, weights=False)`
   model (so the file fits the preset's architecture) and measures it with
   the repository's evaluation (`keras_gans.evaluation.evaluate_generator`,
   numpy noise with seed 0, so the samples do not depend on the backend):
   the protocol `fid500_<extractor>` (500 samples against the test split)
   that `tests/test_shipped_weights.py` and
   `benchmarks/shipped_weights.py` reproduce, plus the 1k-sample figures;
3. writes the `"weights"` section of `zoo/<family>/<preset>.results.json`: file, sha256,
   bytes, dtype, command, commit, backend, metrics, protocol and notes,
   and regenerates the family pages' measured sections, which list the
   shipped weights (`python tools/family_pages.py --write`).

Files are written to temporary names and renamed; an existing weights file
is only replaced with `--overwrite`. Afterwards run `python tools/gallery.py
--write` to remake the gallery.
"""

import argparse
import datetime
import json
import os
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ZOO = os.path.join(ROOT, "zoo")
sys.path.insert(0, ROOT)  # the checkout's keras_gans, not an installed one
sys.path.insert(0, HERE)

import presets_table  # noqa: E402

#: Samples of the stored weights must stay this close to the float32 model's.
FLOAT16_TOLERANCE = 1e-2
#: The reproduction protocol: samples, noise seed, real split.
PROTOCOL_SAMPLES = 500
PROTOCOL_SEED = 0


def _git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def fixed_inputs(model, num=64, seed=PROTOCOL_SEED):
    """Numpy noise (and balanced labels) independent of the backend.

    Example:

    >>> z, labels = fixed_inputs(model, 16)
    """
    import numpy as np

    z = np.random.default_rng(seed).standard_normal((num, int(model.latent_dim)))
    labels = None
    if getattr(model, "num_classes", None):
        labels = (np.arange(num) % int(model.num_classes)).astype("int32")
    return z.astype("float32"), labels


def samples(model, num=64, seed=PROTOCOL_SEED):
    """Images of `model` on `fixed_inputs` as a float32 numpy array.

    Example:

    >>> samples(keras_gans.from_preset("dcgan_digits"), 16).shape
    (16, 8, 8, 1)
    """
    import numpy as np

    z, labels = fixed_inputs(model, num, seed)
    kwargs = {"z": z} if labels is None else {"z": z, "labels": labels}
    return np.asarray(model.generate(**kwargs), dtype="float32")


def sample_stats(model, num=16, seed=PROTOCOL_SEED):
    """A fingerprint of a model's samples that needs no feature extractor.

    The mean of each of `num` samples on `fixed_inputs` (seed 0), and the
    mean and standard deviation of all their pixels, rounded to 1e-6. The
    same weights give the same numbers on every backend up to float
    arithmetic (about 1e-6); other weights give other numbers.

    Example:

    >>> sample_stats(keras_gans.from_preset("dcgan_digits"))["num"]
    16
    """
    images = samples(model, num, seed).astype("float64")
    return {
        "num": num,
        "seed": seed,
        "mean": round(float(images.mean()), 6),
        "std": round(float(images.std()), 6),
        "sample_means": [round(float(v), 6) for v in images.reshape(num, -1).mean(axis=1)],
    }


def add_sample_stats(name):
    """Record `sample_stats` of a preset's shipped weights in its file.

    For records made before the field existed; loads the shipped file
    (size and SHA-256 checked) on the current backend.

    Example:

    >>> add_sample_stats("dcgan_digits")["mean"]
    """
    import keras_gans
    from keras_gans import presets, registry

    model = keras_gans.from_preset(name, weights=True, compile=False)
    stats = sample_stats(model)
    path = presets.preset_path(name)
    data = registry.read_preset_files(path)
    data["weights"]["sample_stats"] = stats
    presets.validate_preset(data, path)
    presets_table.write_preset(path, data)
    presets._BUILTIN_CACHE.clear()
    return stats


def real_images(preset, split="test", num_real=None, data_dir=None):
    """The real reference images of a preset's data set (numpy, [-1, 1]).

    Example:

    >>> real_images(keras_gans.get_preset("dcgan_digits")).shape
    (360, 8, 8, 1)
    """
    import numpy as np

    from keras_gans import datasets, runs

    spec = dict(preset["dataset"])
    shape = tuple(preset["architecture"]["image_shape"])
    if spec["name"] == "digits":
        size = tuple(spec.get("image_size") or shape[:2])
        return datasets.load_digits(image_size=size, split=split, shuffle=False)
    spec["with_labels"] = False
    data = runs.load_data(spec, shape, 256, seed=0, data_dir=data_dir, split=split,
                          shuffle=False, limit=num_real)
    return np.concatenate([np.asarray(batch) for batch in data], axis=0)


def protocol_metrics(model, preset, protocol, real=None):
    """The metrics of `protocol` for `model` (the reproduction test's check).

    Args:
        model: the model to measure.
        preset: its preset dict.
        protocol: the `"protocol"` dict of a weights record:
            `{"num_samples", "seed", "extractor", "split", "num_real"}`.
        real: the real images, if already loaded.

    Returns:
        `{metric name: value}`; the first key is the protocol's metric.

    Example:

    >>> record = keras_gans.get_preset("dcgan_digits")["weights"]
    >>> protocol_metrics(keras_gans.from_preset("dcgan_digits"),
    ...                  keras_gans.get_preset("dcgan_digits"), record["protocol"])
    """
    from keras_gans.evaluation import evaluate_generator

    if real is None:
        real = real_images(preset, protocol.get("split", "test"), protocol.get("num_real"))
    n = int(protocol["num_samples"])
    results = evaluate_generator(
        model, real, num_samples=n, seed=int(protocol["seed"]),
        extractor=protocol.get("extractor", "digits"),
    )
    tag = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    out = {}
    for key, value in results.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            continue
        if key.startswith(("fid_", "kid_", "is_")):
            head, rest = key.split("_", 1)
            out[f"{head}{tag}_{rest}"] = float(value)
        elif key.startswith(("class_share_min_", "label_accuracy_", "precision_", "recall_")):
            out[f"{key}_{tag}"] = float(value)
    return out


def protocol_metric_name(protocol):
    """The name of a protocol's headline metric, e.g. `fid500_digits`.

    Example:

    >>> protocol_metric_name({"num_samples": 500, "extractor": "digits"})
    'fid500_digits'
    """
    n = int(protocol["num_samples"])
    tag = f"{n // 1000}k" if n % 1000 == 0 else str(n)
    return f"fid{tag}_{protocol.get('extractor', 'digits')}"


def _regenerate_family_pages():
    """Rewrite keras_gans/families/*/README.md, whose measured sections list shipped weights."""
    sys.path.insert(0, HERE)
    import family_pages  # imports this module: import it here, not at the top

    for path in family_pages.write():
        print(f"wrote {os.path.relpath(path, ROOT)}")


def ship(name, model_path=None, epochs=None, run_dir=None, dtype="auto",
         overwrite=False, extractor="digits", num_real=None, device=None,
         command=None, notes=None, verbose=2, data_dir=None):
    """Train (or take) a model for preset `name`, store and record its weights.

    Args:
        name: a built-in preset name.
        model_path: ship this `.keras` file instead of training.
        epochs: train this many epochs instead of the recipe's.
        run_dir: the training run's folder (default `runs/ship/<name>`).
        dtype: "auto", "float16" or "float32".
        overwrite: replace an existing weights file.
        extractor: the feature extractor of the metrics ("digits" for every
            data set today: other data sets are resized to 8x8).
        num_real: real test images to use (default: the whole split).
        device: where it ran, for the record.
        command: the command line to record (default: this process's).
        notes: free text for the record.
        verbose: Keras' fit() verbosity while training.
        data_dir: where the data set's files are (28x28 data sets).

    Returns:
        The `"weights"` record written into `zoo/<family>/<name>.results.json`.

    Example:

    ```python
    ship("dcgan_digits", epochs=100)
    ship("dcgan_mnist", model_path="runs/dcgan_mnist/model.keras")
    ```
    """
    import keras
    import numpy as np

    import keras_gans
    from keras_gans import presets, registry, runs
    from keras_gans import weights as weights_lib

    began = time.time()
    preset = keras_gans.get_preset(name)
    preset_file = presets.preset_path(name)
    if preset_file is None:
        raise SystemExit(f"{name!r} is not a built-in preset (zoo/<family>/{name}.json).")
    target = os.path.join(os.path.dirname(preset_file), f"{name}.npz")
    if os.path.exists(target) and not overwrite:
        raise SystemExit(f"{target} already exists; pass --overwrite to replace it.")
    backend = keras.backend.backend()
    try:
        commit = _git("rev-parse", "HEAD")
        dirty = bool(_git("status", "--porcelain", "--", "keras_gans", "tools/ship_weights.py"))
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = "unknown", True

    train_info = {}
    if model_path is None:
        run_dir = run_dir or os.path.join(ROOT, "runs", "ship", name)
        train_argv = ["keras-gans", "train", name, "--out", os.path.relpath(run_dir, ROOT)]
        if epochs:
            train_argv += ["--epochs", str(epochs)]
        if data_dir:
            train_argv += ["--data-dir", data_dir]
        result = runs.train(name, out=run_dir, epochs=epochs, verbose=verbose,
                            argv=train_argv, data_dir=data_dir)
        model_path = result.model_path
        train_info = {"train_seconds": round(result.train_seconds, 1),
                      "epochs": result.settings["epochs"],
                      "train_command": f"KERAS_BACKEND={backend} " + shlex.join(train_argv)}
    run_file = os.path.join(os.path.dirname(os.path.abspath(model_path)), runs.RUN_FILE)
    if not train_info and os.path.isfile(run_file):
        with open(run_file, encoding="utf-8") as f:
            settings = json.load(f)
        argv = settings.get("argv")
        train_info = {
            "epochs": settings.get("epochs"),
            "train_backend": settings.get("backend"),
            "train_command": shlex.join(argv) if argv else None,
        }
    trained = runs.load_model(model_path, compile=False)
    reference = samples(trained)

    # Store: float16 if the reloaded samples stay within tolerance.
    fresh = keras_gans.from_preset(name, weights=False, compile=False)
    tmp = f"{target}.candidate-{os.getpid()}.npz"
    os.makedirs(os.path.dirname(target), exist_ok=True)
    chosen, diff = None, None
    try:
        for candidate in (["float16", "float32"] if dtype == "auto" else [dtype]):
            weights_lib.save(trained, tmp, dtype=candidate, overwrite=True,
                             metadata={"preset": name})
            weights_lib.load(fresh, tmp)
            diff = float(np.max(np.abs(samples(fresh) - reference)))
            if candidate == "float32" or diff <= FLOAT16_TOLERANCE:
                chosen = candidate
                break
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    digest, size = weights_lib.sha256(target), os.path.getsize(target)

    # Measure the exact file, loaded into a fresh model by from_preset's path.
    shipped = keras_gans.from_preset(name, weights=False, compile=False)
    weights_lib.load(shipped, target, sha256=digest, num_bytes=size)
    protocol = {"num_samples": PROTOCOL_SAMPLES, "seed": PROTOCOL_SEED,
                "extractor": extractor, "split": "test", "num_real": num_real}
    real = real_images(preset, "test", num_real, data_dir=data_dir)
    metrics = protocol_metrics(shipped, preset, protocol, real)
    metrics.update(protocol_metrics(shipped, preset, dict(protocol, num_samples=1000), real))
    headline = protocol_metric_name(protocol)
    metrics = {headline: metrics.pop(headline), **metrics}
    stats = sample_stats(shipped)

    if command is None:
        command = f"KERAS_BACKEND={backend} python " + shlex.join(
            [os.path.relpath(os.path.abspath(sys.argv[0]), ROOT)] + sys.argv[1:]
        )
    record = {
        "file": f"{name}.npz",
        "sha256": digest,
        "bytes": size,
        "dtype": chosen,
        "max_abs_sample_diff": diff,
        "command": command,
        "commit": commit + ("-dirty" if dirty else ""),
        "backend": backend,
        **{k: v for k, v in train_info.items() if v is not None},
        "metrics": metrics,
        "protocol": protocol,
        "sample_stats": stats,
        "device": device or "unknown",
        "date": datetime.date.today().isoformat(),
    }
    if notes:
        record["notes"] = notes
    data = registry.read_preset_files(preset_file)
    data["weights"] = record
    presets.validate_preset(data, preset_file)
    presets_table.write_preset(preset_file, data)
    presets._BUILTIN_CACHE.clear()
    _regenerate_family_pages()
    print(json.dumps(record, indent=2))
    print(f"shipped {target} ({size} bytes, {chosen}) in {time.time() - began:.0f} s")
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", nargs="+", help="a built-in preset name (several with --add-sample-stats)")
    parser.add_argument("--add-sample-stats", action="store_true",
                        help="only record sample_stats of the shipped weights (older records)")
    parser.add_argument("--model", help="ship this .keras file instead of training")
    parser.add_argument("--epochs", type=int, help="train this many epochs (default: the recipe's)")
    parser.add_argument("--run-dir", help="training run folder (default runs/ship/<preset>)")
    parser.add_argument("--dtype", default="auto", choices=["auto", "float16", "float32"])
    parser.add_argument("--extractor", default="digits", help="feature extractor of the metrics")
    parser.add_argument("--num-real", type=int, help="real test images (default: the whole split)")
    parser.add_argument("--device", default="2 CPU cores (shared)")
    parser.add_argument("--notes", help="free text recorded with the weights")
    parser.add_argument("--data-dir", help="where the data set's files are (28x28 data sets)")
    parser.add_argument("--overwrite", action="store_true", help="replace existing weights")
    parser.add_argument("--verbose", type=int, default=2)
    args = parser.parse_args(argv)
    if args.add_sample_stats:
        for name in args.preset:
            print(name, add_sample_stats(name))
        return 0
    if len(args.preset) != 1:
        parser.error("ship one preset at a time")
    ship(args.preset[0], model_path=args.model, epochs=args.epochs, run_dir=args.run_dir,
         dtype=args.dtype, overwrite=args.overwrite, extractor=args.extractor,
         num_real=args.num_real, device=args.device, notes=args.notes,
         verbose=args.verbose, data_dir=args.data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
