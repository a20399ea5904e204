"""Measured quality of every digits preset: train with the recipe, then score.

For each preset matching `*_digits` (or those given with --presets), this
script builds the model with `keras_gans.from_preset`, trains it on the
preset's data set (`keras_gans.datasets.load_digits`, train split, the
preset's image size, batch size and epochs) and measures, with the digits
classifier of `keras_gans.evaluation` as feature extractor:

- `fid1k_digits`, `kid1k_digits` (+ `_std`): 1,000 generated samples against
  the 360 held-out test digits;
- `fid_floor_digits`, `kid_floor_digits`: the real-data floor under the same
  protocol: the same 360 test digits against 1,000 training digits (a fixed
  random subset of the 1,437), i.e. what a perfect generator of the training
  distribution would score;
- `fid_ratio_digits`: fid1k / floor (the aim for dcgan_digits is <= 3);
- `class_share_min_digits` (and all ten shares in the JSONL file): the share
  of each class the classifier assigns among the 1,000 samples (conditional
  models are sampled with balanced requested labels);
- `label_accuracy_digits` (conditional models): share of samples that the
  classifier puts in the requested class;
- `recon_mse_test` (VAE-GAN): mean squared pixel error, in [-1, 1] pixel
  units, of Dec(E[z|x]) on the test digits;
- `train_seconds`, `wall_seconds`: training time and total time.

Each result is appended to benchmarks/results_quality.jsonl and, with
--record, to the preset's `results` in zoo/ (tools/record_result.py, which
also regenerates docs/presets.md).

    KERAS_BACKEND=tensorflow python benchmarks/quality.py --record \
        --device "2 CPU cores (shared)"
    KERAS_BACKEND=tensorflow python benchmarks/quality.py \
        --presets dcgan_digits --epochs 1 --num-samples 100 --out /tmp/q.jsonl
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
DEFAULT_OUT = os.path.join(HERE, "results_quality.jsonl")
sys.path.insert(0, ROOT)  # the checkout's keras_gans, not an installed one
PRIORITY = ["dcgan_digits", "conditional_gan_digits", "vae_gan_digits"]


def _git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def ordered_presets(names):
    """Priority presets first (they carry the issue's aims), then the rest."""
    first = [n for n in PRIORITY if n in names]
    return first + sorted(n for n in names if n not in first)


def floor_metrics(x_train, x_test, num_real, seed=0):
    """FID/KID of the test digits against `num_real` training digits."""
    import numpy as np

    from keras_gans.evaluation import get_extractor
    from keras_gans.evaluation import metrics_from_summaries
    from keras_gans.evaluation import summarize

    extractor = get_extractor("digits")
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(x_train), size=min(num_real, len(x_train)), replace=False)
    real = summarize(x_test, extractor)
    train = summarize(x_train[idx], extractor, classifier=extractor)
    m = metrics_from_summaries(real, train, "digits", "digits", metrics=("fid", "kid", "coverage"), seed=seed)
    return {
        "fid_floor_digits": m["fid_digits"],
        "kid_floor_digits": m["kid_digits"],
        "kid_floor_digits_std": m["kid_digits_std"],
        "floor_num_train": m["num_fake"],
        "floor_class_share_min_digits": m["class_share_min_digits"],
    }


def measure(name, epochs=None, num_samples=1000, seed=0, verbose=2):
    """Train preset `name` with its recipe and return a dict of metrics."""
    import numpy as np

    import keras_gans
    from keras_gans import datasets, runs
    from keras_gans.evaluation import evaluate_generator

    began = time.time()
    preset = keras_gans.get_preset(name)
    training, spec = preset["training"], preset["dataset"]
    if spec["name"] != "digits":
        raise ValueError(f"{name} trains on {spec['name']!r}; expected the digits.")
    image_size = tuple(spec.get("image_size") or preset["architecture"]["image_shape"][:2])
    with_labels = bool(spec.get("with_labels", False))
    batch_size = int(training["batch_size"])
    epochs = int(epochs or training["epochs"])
    dataset = datasets.load_digits(
        image_size=image_size, with_labels=with_labels, split="train",
        batch_size=batch_size, seed=training.get("seed", seed),
    )
    # The project's one training path (seeds, builds and compiles the preset).
    run = runs.train(preset, data=dataset, epochs=epochs, verbose=verbose,
                     seed=training.get("seed", seed), log=None)
    model, train_seconds = run.model, run.train_seconds

    x_test = datasets.load_digits(image_size=image_size, split="test", shuffle=False)
    results = evaluate_generator(model, x_test, num_samples=num_samples, seed=seed)
    out = {
        "fid1k_digits": results["fid_digits"],
        "kid1k_digits": results["kid_digits"],
        "kid1k_digits_std": results["kid_digits_std"],
        "class_share_min_digits": results["class_share_min_digits"],
        "classes_covered_digits": results["classes_covered_digits"],
        "precision_digits": results.get("precision_digits"),
        "recall_digits": results.get("recall_digits"),
    }
    if "label_accuracy_digits" in results:
        out["label_accuracy_digits"] = results["label_accuracy_digits"]
    if hasattr(model, "reconstruct"):
        recon = model.reconstruct(x_test)
        out["recon_mse_test"] = float(np.mean((np.asarray(recon) - x_test) ** 2))
    x_train = datasets.load_digits(image_size=image_size, split="train", shuffle=False)
    out.update(floor_metrics(x_train, x_test, num_samples, seed=seed))
    out["fid_ratio_digits"] = out["fid1k_digits"] / out["fid_floor_digits"]
    out["train_seconds"] = train_seconds
    out["wall_seconds"] = time.time() - began
    out = {k: v for k, v in out.items() if v is not None}
    extra = {
        "class_shares_digits": results["class_shares_digits"],
        "num_real": results["num_real"],
        "num_fake": results["num_fake"],
        "epochs": epochs,
        "batch_size": batch_size,
    }
    return out, extra


RECORDED = (
    "fid1k_digits", "kid1k_digits", "kid1k_digits_std", "fid_floor_digits",
    "kid_floor_digits", "fid_ratio_digits", "class_share_min_digits",
    "label_accuracy_digits", "recon_mse_test", "train_seconds", "wall_seconds",
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+", help="preset names (default: all *_digits)")
    parser.add_argument("--epochs", type=int, help="override the recipe's epochs")
    parser.add_argument("--num-samples", type=int, default=1000, help="generated samples")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=DEFAULT_OUT, help="JSONL file appended to")
    parser.add_argument("--record", action="store_true",
                        help="also record into zoo/<preset>.json (regenerates docs/presets.md)")
    parser.add_argument("--device", default="2 CPU cores (shared)")
    parser.add_argument("--verbose", type=int, default=2)
    args = parser.parse_args(argv)

    import keras

    import keras_gans

    available = keras_gans.list_presets("*_digits")
    names = args.presets or available
    unknown = [n for n in names if n not in available]
    if unknown:
        raise SystemExit(f"unknown digits presets {unknown}; expected some of {available}")
    backend = keras.backend.backend()
    try:
        commit = _git("rev-parse", "HEAD")
        dirty = bool(_git("status", "--porcelain", "--", "keras_gans", "benchmarks/quality.py"))
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = None, True
    for name in ordered_presets(names):
        command = (
            f"KERAS_BACKEND={backend} python benchmarks/quality.py --presets {name}"
            + (f" --epochs {args.epochs}" if args.epochs else "")
            + (f" --num-samples {args.num_samples}" if args.num_samples != 1000 else "")
            + (f" --seed {args.seed}" if args.seed else "")
        )
        print(f"== {name}", flush=True)
        metrics, extra = measure(name, args.epochs, args.num_samples, args.seed, args.verbose)
        row = {
            "preset": name, "metrics": metrics, **extra, "command": command,
            "backend": backend, "device": args.device, "commit": commit,
            "dirty": dirty, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        }
        print(json.dumps(row), flush=True)
        with open(args.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(row) + "\n")
        if args.record:
            if dirty or commit is None:
                raise SystemExit("commit keras_gans/ and benchmarks/quality.py before --record")
            sys.path.insert(0, os.path.join(ROOT, "tools"))
            import record_result

            argv = [name, "--command", command, "--commit", commit,
                    "--backend", backend, "--device", args.device,
                    "--notes", f"{extra['epochs']} epochs, batch {extra['batch_size']}; "
                    f"{extra['num_fake']} samples vs {extra['num_real']} test digits; "
                    f"floor: test vs {metrics['floor_num_train']} train digits"]
            for key in RECORDED:
                if key in metrics:
                    argv += ["--metric", f"{key}={metrics[key]}"]
            record_result.main(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
