"""Measured quality of the zoo's presets: train with the recipe, then score.

For each preset given with --presets (default: every `*_digits` preset) this
script builds the model with `keras_gans.from_preset`, trains it on the
preset's data set with the preset's image size, batch size and epochs, and
scores it with `keras_gans.evaluation.RealDataProtocol`:

| data set | data | feature space (tag) | samples | floor |
|---|---|---|---|---|
| digits | the embedded 8x8 digits (1,437 train / 360 test) | `DigitsClassifier` (`digits`) | 1,000 | 1,000 training digits vs the 360 test digits |
| mnist | real MNIST IDX files (60,000 / 10,000) | `MNISTClassifier` (`mnist_cnn`) | 10,000 | 10,000 training images vs the 10,000 test images |
| fashion_mnist | real Fashion-MNIST IDX files | `FashionMNISTClassifier` (`fashion_mnist_cnn`) | 10,000 | same |

The real files are found with `keras_gans.datasets.find_local` (--data-dir,
`$KERAS_GANS_DATA`, the Debian package's folder, tfds' manual folder).
Recorded per preset (`<N>` the sample count, `<t>` the tag; see
`keras_gans.evaluation.protocol` for every key):

- `fid<N>_<t>`, `kid<N>_<t>`: samples against the test images;
- `fid_floor_<t>`, `kid_floor_<t>`: the real-data floor, and
  `fid_ratio_<t>` = fid / floor;
- memorization: `fid_gap_<t>` = FID vs test - FID vs as many training
  images (`fid<N>_train_<t>`), and `nn_ratio_<t>` = median distance from
  samples to their nearest training image / the same for test images;
- coverage: `class_share_min_<t>` (all shares in the JSONL file) and, for
  conditional models, `label_accuracy_<t>`;
- `classifier_accuracy_<t>`: the extractor's own test accuracy;
- `recon_mse_test` (VAE-GAN); `train_seconds`, `wall_seconds`.

Each result is appended to benchmarks/results_quality.jsonl and, with
--record, to the preset's `results` in zoo/ (tools/record_result.py, which
also regenerates the preset table).

    KERAS_BACKEND=tensorflow python benchmarks/quality.py --record
    KERAS_BACKEND=tensorflow python benchmarks/quality.py --record \
        --presets dcgan_mnist_cpu --data-dir /work/shared/data
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
PRIORITY = [
    "dcgan_digits", "conditional_gan_digits", "vae_gan_digits",
    "dcgan_mnist_cpu", "conditional_gan_mnist_cpu",
    "dcgan_fashion_mnist_cpu", "conditional_gan_fashion_mnist_cpu",
    "dcgan_mnist", "conditional_gan_mnist", "dcgan_fashion_mnist",
    "conditional_gan_fashion_mnist",
]


def _git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def ordered_presets(names):
    """Priority presets first (they carry the issue's aims), then the rest."""
    first = [n for n in PRIORITY if n in names]
    return first + sorted(n for n in names if n not in first)


# Per data set: the protocol's feature extractor, sample count and floor size.
PROTOCOLS = {
    "digits": {"extractor": "digits", "num_samples": 1000, "num_floor": 1000},
    "mnist": {"extractor": "mnist_cnn", "num_samples": 10_000, "num_floor": 10_000},
    "fashion_mnist": {"extractor": "fashion_mnist_cnn", "num_samples": 10_000, "num_floor": 10_000},
}


def real_arrays(dataset, image_size, data_dir=None):
    """(x_train, x_test) of a data set in [-1, 1], (n, H, W, 1), canonical order."""
    import numpy as np

    from keras_gans import datasets

    if dataset == "digits":
        return (
            datasets.load_digits(image_size=image_size, split="train", shuffle=False),
            datasets.load_digits(image_size=image_size, split="test", shuffle=False),
        )
    folder = datasets.find_local(dataset, data_dir)
    if folder is None:
        raise SystemExit(
            f"no local copy of {dataset}: pass --data-dir or set "
            f"${datasets.DATA_ENV} (see keras_gans.datasets.find_local)"
        )
    out = []
    for split in ("train", "test"):
        x, _ = datasets.load_idx(folder, split)
        x = (x.astype("float32") / 127.5 - 1.0)[..., None]
        if tuple(x.shape[1:3]) != tuple(image_size):
            raise SystemExit(f"{dataset} images are {x.shape[1:3]}; the preset wants {image_size}")
        out.append(np.ascontiguousarray(x))
    return tuple(out)


def protocol_for(dataset, image_size, data_dir=None, num_samples=None, seed=0, limit=None):
    """The `RealDataProtocol` of a data set (extractor trained/loaded once).

    With `limit` (a small-data recipe trained on the first `limit` training
    images) the memorization figures are measured against those images.
    """
    from keras_gans.evaluation import RealDataProtocol
    from keras_gans.evaluation import dataset_classifier

    spec = PROTOCOLS[dataset]
    x_train, x_test = real_arrays(dataset, image_size, data_dir)
    extractor = spec["extractor"]
    if dataset != "digits":
        extractor = dataset_classifier(dataset, data_dir=data_dir, verbose=True)
    return RealDataProtocol(
        extractor, x_train, x_test,
        num_samples=num_samples or spec["num_samples"],
        num_floor=spec["num_floor"], seed=seed,
        x_trained=x_train[:limit] if limit else None,
    ), x_test


def snapshot_callback(epochs, folder):
    """A Keras callback saving the model after each of `epochs` (1-based).

    Each snapshot records the seconds spent in `fit()` up to that epoch, not
    counting the time spent saving, so `--checkpoints` runs give quality
    against training time from one run (docs/quality_vs_time.md).

    Example:

    >>> cb = snapshot_callback([1, 2, 4], "/tmp/snaps")
    >>> model.fit(data, epochs=4, callbacks=[cb]); cb.saved
    [(1, 61.2, '/tmp/snaps/epoch1.keras'), ...]
    """
    import keras

    class Snapshots(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.saved, self._paused, self._began = [], 0.0, None

        def on_train_begin(self, logs=None):
            self._began = time.time()

        def on_epoch_end(self, epoch, logs=None):
            if epoch + 1 not in epochs:
                return
            now = time.time()
            path = os.path.join(folder, f"epoch{epoch + 1}.keras")
            self.model.save(path + ".tmp.keras")
            os.replace(path + ".tmp.keras", path)
            self.saved.append((epoch + 1, now - self._began - self._paused, path))
            self._paused += time.time() - now

    os.makedirs(folder, exist_ok=True)
    return Snapshots()


def score(model, protocol, x_test):
    """The protocol's metrics of a model (lists, such as class shares, apart).

    Returns:
        `(metrics, results)`: the scalar metrics, with the extractor's own
        accuracy and (VAE-GAN) the test reconstruction error added, and the
        protocol's full results.
    """
    import numpy as np

    results = protocol.evaluate(model)
    out = {k: v for k, v in results.items() if not isinstance(v, list)}
    accuracy = getattr(protocol.extractor, "accuracy", None)
    if accuracy is not None:
        out[f"classifier_accuracy_{protocol.tag}"] = float(accuracy)
    if hasattr(model, "reconstruct"):
        recon = model.reconstruct(x_test)
        out["recon_mse_test"] = float(np.mean((np.asarray(recon) - x_test) ** 2))
    return out, results


def measure(name, epochs=None, num_samples=None, seed=0, verbose=2, data_dir=None,
            save_dir=None, train_seed=None, checkpoints=()):
    """Train preset `name` with its recipe and return (metrics, extra).

    With `checkpoints` (epochs, 1-based) the model is also saved after those
    epochs and each snapshot is scored once training ends:
    `extra["checkpoints"]` is a list of `(epoch, train_seconds, metrics)`.
    """
    import keras

    import keras_gans
    from keras_gans import datasets, runs

    began = time.time()
    preset = keras_gans.get_preset(name)
    training, spec = preset["training"], preset["dataset"]
    if spec["name"] not in PROTOCOLS:
        raise ValueError(
            f"{name} trains on {spec['name']!r}; expected one of {sorted(PROTOCOLS)}."
        )
    image_size = tuple(spec.get("image_size") or preset["architecture"]["image_shape"][:2])
    with_labels = bool(spec.get("with_labels", False))
    batch_size = int(training["batch_size"])
    epochs = int(epochs or training["epochs"])
    # The recipe's seed (weights, data order, noise) unless --train-seed
    # asks for another run of the same recipe (seed-to-seed spread).
    train_seed = training.get("seed", seed) if train_seed is None else int(train_seed)
    if spec.get("limit"):
        # A small-data recipe: the first `limit` training images only.
        dataset = datasets.load(
            spec["name"], split="train", image_size=image_size, batch_size=batch_size,
            with_labels=with_labels, seed=train_seed, data_dir=data_dir,
            limit=spec["limit"],
        )
    elif spec["name"] == "digits":
        dataset = datasets.load_digits(
            image_size=image_size, with_labels=with_labels, split="train",
            batch_size=batch_size, seed=train_seed,
        )
    else:
        dataset = datasets.load(
            spec["name"], split="train", image_size=image_size, batch_size=batch_size,
            with_labels=with_labels, seed=train_seed, data_dir=data_dir,
        )
    # The project's one training path (seeds, builds and compiles the preset).
    checkpoints = sorted({int(e) for e in checkpoints if 0 < int(e) < epochs})
    callbacks = []
    if checkpoints:
        import tempfile

        snapshots = snapshot_callback(checkpoints, tempfile.mkdtemp(prefix=f"kg-{name}-"))
        callbacks.append(snapshots)
    run = runs.train(preset, data=dataset, epochs=epochs, verbose=verbose,
                     steps_per_epoch=training.get("steps_per_epoch"),
                     seed=train_seed, log=None, callbacks=callbacks)
    model, train_seconds = run.model, run.train_seconds
    if save_dir:
        os.makedirs(save_dir, exist_ok=True)
        path = os.path.join(save_dir, f"{name}.keras")
        model.save(path + ".tmp.keras")
        os.replace(path + ".tmp.keras", path)

    protocol, x_test = protocol_for(spec["name"], image_size, data_dir, num_samples, seed,
                                    limit=spec.get("limit"))
    out, results = score(model, protocol, x_test)
    tag = protocol.tag
    out["train_seconds"] = train_seconds
    scored = []
    for epoch, seconds, path in (snapshots.saved if checkpoints else []):
        snapshot = keras.models.load_model(path)
        metrics, _ = score(snapshot, protocol, x_test)
        metrics["train_seconds"] = seconds
        scored.append((epoch, seconds, metrics))
        os.remove(path)
    out["wall_seconds"] = time.time() - began
    num_real, num_fake = out.pop("num_real"), out.pop("num_fake")
    extra = {
        f"class_shares_{tag}": results.get(f"class_shares_{tag}"),
        "num_real": num_real,
        "num_fake": num_fake,
        "epochs": epochs,
        "batch_size": batch_size,
        "dataset": spec["name"],
        "protocol": tag,
        "train_limit": spec.get("limit"),
    }
    if checkpoints:
        extra["checkpoints"] = scored
    return out, extra


def measure_run(folder, num_samples=None, seed=0, data_dir=None):
    """Score the model of a finished `keras-gans train` run folder.

    For runs longer than one working session: train with
    `keras-gans train NAME --out DIR` (and `--resume` after each stop), then
    score `DIR/model.keras` here with the same protocol as `measure`. The
    run's own `run.json` gives the preset, epochs, seed, the seconds in
    `fit()` over every session and the code each session ran.

    Returns:
        `(name, metrics, extra, run)`: as `measure`'s, plus the run's
        settings.

    Example:

    >>> name, metrics, extra, run = measure_run("/tmp/kg-runs/dcgan_mnist")
    >>> name, extra["epochs"], run["sessions"][0]["commit"][:7]
    ('dcgan_mnist', 25, 'c73c1bf')
    """
    import keras

    from keras_gans import runs

    began = time.time()
    run_file = os.path.join(folder, runs.RUN_FILE)
    model_file = os.path.join(folder, runs.MODEL_FILE)
    if not os.path.isfile(run_file):
        raise SystemExit(f"--from-run {folder}: no {runs.RUN_FILE}; expected the folder of a "
                         "`keras-gans train NAME --out DIR` run")
    run = runs.read_json(run_file)
    name = run["preset"]["name"]
    if "result" not in run or not os.path.isfile(model_file):
        raise SystemExit(f"--from-run {folder}: the {name} run has not finished; continue it "
                         f"with keras-gans train {name} --out {folder} --resume")
    spec = run["dataset"]
    if spec["name"] not in PROTOCOLS:
        raise SystemExit(f"--from-run {folder}: the run trained on {spec['name']!r}; "
                         f"expected one of {sorted(PROTOCOLS)}")
    image_size = tuple(spec.get("image_size")
                       or run["preset"]["architecture"]["image_shape"][:2])
    model = keras.models.load_model(model_file)
    protocol, x_test = protocol_for(spec["name"], image_size, data_dir, num_samples, seed,
                                    limit=spec.get("limit"))
    out, results = score(model, protocol, x_test)
    out["train_seconds"] = float(run["result"]["train_seconds"])
    out["wall_seconds"] = time.time() - began
    num_real, num_fake = out.pop("num_real"), out.pop("num_fake")
    tag = protocol.tag
    extra = {
        f"class_shares_{tag}": results.get(f"class_shares_{tag}"),
        "num_real": num_real, "num_fake": num_fake, "epochs": int(run["epochs"]),
        "batch_size": int(run["batch_size"]), "dataset": spec["name"], "protocol": tag,
        "train_limit": spec.get("limit"),
    }
    return name, out, extra, run


def run_provenance(run):
    """`(commit, dirty, backend)` of a run's training sessions: one commit
    and backend when every session ran the same clean checkout, else
    `dirty` is True (a recorded number names the code that produced it).

    Example:

    >>> run_provenance({"sessions": [{"commit": "abc", "dirty": False,
    ...                               "backend": "tensorflow"}]})
    ('abc', False, 'tensorflow')
    """
    sessions = run.get("sessions") or [{}]
    commits = {s.get("commit") for s in sessions}
    backends = sorted({s.get("backend") or run.get("backend") or "unknown" for s in sessions})
    commit = commits.pop() if len(commits) == 1 else None
    dirty = commit is None or any(s.get("dirty") is not False for s in sessions)
    return commit, dirty, "+".join(backends)


def run_command(folder, run, backend):
    """The commands that reproduce a `--from-run` row: the run, then the scoring."""
    argv = run.get("argv") or ["keras-gans", "train", run["preset"]["name"], "--out", folder]
    return (f"KERAS_BACKEND={backend} {shlex.join(argv)} (plus --resume after each stop)"
            f" && python benchmarks/quality.py --from-run {shlex.quote(folder)}")


def recorded_keys(metrics):
    """The metric names a zoo file keeps (the JSONL row keeps all)."""
    keep = []
    for key in metrics:
        if key.startswith(("precision_", "recall_", "classes_covered_")) or key.endswith("_std"):
            continue
        keep.append(key)
    return keep


def notes(extra, metrics):
    """A one-line description of the protocol behind a result."""
    subset = (f"the first {extra['train_limit']} training images, "
              if extra.get("train_limit") else "")
    return (
        f"{subset}{extra['epochs']} epochs, batch {extra['batch_size']}; "
        f"{extra['num_fake']} samples vs {extra['num_real']} {extra['dataset']} test images "
        f"in {extra['protocol']} features; floor: the test images vs "
        f"{metrics['floor_num_train']} training images; fid_gap = FID vs test - FID vs "
        f"{min(extra['num_real'], metrics.get('memorization_num_train', extra['num_real']))} "
        f"{'trained' if extra.get('train_limit') else 'training'} images; nn_ratio = median "
        f"nearest-{'trained' if extra.get('train_limit') else 'training'}-image distance "
        "of samples / of test images"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", nargs="+",
                        help="preset names (default: all *_digits)")
    parser.add_argument("--epochs", type=int, help="override the recipe's epochs")
    parser.add_argument("--num-samples", type=int,
                        help="generated samples (default: the data set's protocol, "
                        "1000 for the digits, 10000 for MNIST/Fashion-MNIST)")
    parser.add_argument("--seed", type=int, default=0,
                        help="seed of the evaluation's samples")
    parser.add_argument("--train-seed", type=int,
                        help="train with this seed instead of the recipe's (another run of "
                        "the same recipe, to see the seed-to-seed spread)")
    parser.add_argument("--data-dir", help="folder with the IDX files of mnist/ and "
                        "fashion-mnist/ (default: keras_gans.datasets.find_local)")
    parser.add_argument("--save-dir", help="save each trained model as <preset>.keras here")
    parser.add_argument("--out", default=DEFAULT_OUT, help="JSONL file appended to")
    parser.add_argument("--record", action="store_true",
                        help="also record into zoo/<preset>.json (regenerates docs/presets.md)")
    parser.add_argument("--record-from", metavar="JSONL",
                        help="train nothing: record each named preset's latest row of this "
                        "file (one of this script's outputs, measured at a clean commit) "
                        "into zoo/, with its own command and commit")
    parser.add_argument("--from-run", nargs="+", metavar="DIR",
                        help="train nothing: score the model of each finished `keras-gans "
                        "train NAME --out DIR` run (one resumed over several sessions, "
                        "say) with its epochs, seed and fit() seconds from its run.json")
    parser.add_argument("--device", default=None,
                        help="hardware (default: the CPU model and core count)")
    parser.add_argument("--checkpoints", type=_epoch_list, default=(),
                        help="also score the model after these epochs of the same run, "
                        "e.g. 1,2,4 (one row each, with the fit() seconds so far; "
                        "tools/quality_vs_time.py plots them)")
    parser.add_argument("--verbose", type=int, default=2)
    args = parser.parse_args(argv)
    if args.record_from:
        return record_rows(args.record_from, args.presets)
    if args.from_run and (args.presets or args.epochs or args.train_seed is not None
                          or args.checkpoints or args.save_dir):
        raise SystemExit("--from-run scores finished runs as they are; --presets, --epochs, "
                         "--train-seed, --checkpoints and --save-dir belong to the run "
                         "(keras-gans train)")
    if args.record and args.train_seed is not None:
        raise SystemExit("--record keeps the recipe's own seed; --train-seed runs are "
                         "for the seed-to-seed spread (they go to the JSONL file only)")

    import keras

    import keras_gans
    # Everything a measurement runs is imported now, at the commit recorded
    # below: editing the checkout during a long run cannot change it.
    import keras_gans.evaluation  # noqa: F401
    from keras_gans import datasets  # noqa: F401

    measurable = [
        n for n in keras_gans.list_presets()
        if keras_gans.get_preset(n)["dataset"]["name"] in PROTOCOLS
    ]
    names = args.presets or keras_gans.list_presets("*_digits")
    unknown = [n for n in names if n not in measurable]
    if unknown:
        raise SystemExit(f"unknown or unmeasurable presets {unknown}; expected some of {measurable}")
    backend = keras.backend.backend()
    device = args.device or cpu_description()
    try:
        commit = _git("rev-parse", "HEAD")
        dirty = bool(_git("status", "--porcelain", "--", "keras_gans", "benchmarks/quality.py", "zoo"))
    except (OSError, subprocess.CalledProcessError):
        commit, dirty = None, True
    if args.record and (dirty or commit is None):
        # Refuse before training, not after: a recorded number must name the
        # commit that produced it.
        raise SystemExit("commit keras_gans/, zoo/ and benchmarks/quality.py before --record")
    if args.from_run:
        return score_runs(args, device)
    for name in ordered_presets(names):
        command = (
            f"KERAS_BACKEND={backend} python benchmarks/quality.py --presets {name}"
            + (f" --epochs {args.epochs}" if args.epochs else "")
            + (f" --num-samples {args.num_samples}" if args.num_samples else "")
            + (f" --seed {args.seed}" if args.seed else "")
            + (f" --train-seed {args.train_seed}" if args.train_seed is not None else "")
            + (f" --data-dir {shlex.quote(args.data_dir)}" if args.data_dir else "")
            + (f" --checkpoints {','.join(map(str, args.checkpoints))}" if args.checkpoints else "")
        )
        print(f"== {name}", flush=True)
        run_id = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        metrics, extra = measure(name, args.epochs, args.num_samples, args.seed,
                                 args.verbose, args.data_dir, args.save_dir,
                                 train_seed=args.train_seed, checkpoints=args.checkpoints)
        snapshots = extra.pop("checkpoints", [])
        row = {
            "preset": name, "metrics": metrics, **extra, "command": command,
            "backend": backend, "device": device, "commit": commit,
            "dirty": dirty, "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        }
        if args.checkpoints:
            # One run's curve: every snapshot's row and the final row share it.
            row["run_id"], row["checkpoint_epoch"] = f"{name}@{run_id}", extra["epochs"]
        for epoch, _, snap_metrics in snapshots:
            snap = dict(row, metrics=snap_metrics, checkpoint_epoch=epoch, epochs=epoch,
                        final=False)
            append_line(args.out, json.dumps(snap))
        print(json.dumps(row), flush=True)
        append_line(args.out, json.dumps(row))
        if args.record:
            if dirty or commit is None:
                raise SystemExit("commit keras_gans/, zoo/ and benchmarks/quality.py before --record")
            record(name, metrics, extra, command, commit, backend, device)
    return 0


def score_runs(args, device):
    """`main` for `--from-run`: one JSONL row (and with --record, a zoo
    record) per finished run folder."""
    import keras_gans

    for folder in args.from_run:
        folder = os.path.abspath(folder)
        name, metrics, extra, run = measure_run(folder, args.num_samples, args.seed,
                                                args.data_dir)
        commit, dirty, backend = run_provenance(run)
        recipe = keras_gans.get_preset(name)["training"] if name in keras_gans.list_presets() \
            else {}
        row = {
            "preset": name, "metrics": metrics, **extra,
            "command": run_command(folder, run, backend), "backend": backend,
            "device": device, "commit": commit, "dirty": dirty,
            "train_seed": run.get("seed"), "recipe_seed": recipe.get("seed"),
            "train_sessions": run.get("sessions", []),
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        }
        print(json.dumps(row), flush=True)
        append_line(args.out, json.dumps(row))
        if args.record:
            if dirty:
                raise SystemExit(f"{folder}: trained by {run.get('sessions')}; --record needs "
                                 "every session at one clean commit")
            if row["train_seed"] != row["recipe_seed"]:
                raise SystemExit(f"{folder}: trained with seed {row['train_seed']}, not the "
                                 f"recipe's {row['recipe_seed']}; such rows are the seed spread")
            record(name, metrics, extra, row["command"], commit, backend, device)
    return 0


def record(name, metrics, extra, command, commit, backend, device):
    """Append a measured result to zoo/<name>.json (tools/record_result.py)."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import record_result

    argv = [name, "--command", command, "--commit", commit,
            "--backend", backend, "--device", device, "--notes", notes(extra, metrics),
            "--epochs", str(extra["epochs"])]
    for key in recorded_keys(metrics):
        argv += ["--metric", f"{key}={metrics[key]}"]
    record_result.main(argv)


def latest_rows(path, names):
    """{preset: its last row in a results JSONL file}, for `names`; rows of
    `--train-seed` runs (the seed-to-seed spread) are not the recipe's.

    Refuses (SystemExit) a name with no row, and a row measured on a dirty
    tree or without a commit: a recorded number names the commit that
    produced it.

    Example:

    >>> latest_rows(DEFAULT_OUT, ["dcgan_mnist_cpu"])["dcgan_mnist_cpu"]["preset"]
    'dcgan_mnist_cpu'
    """
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                if "--train-seed" in row.get("command", "") or (
                        row.get("train_seed") is not None
                        and row["train_seed"] != row.get("recipe_seed")):
                    continue  # another seed of the recipe: the spread, not the recipe
                if row.get("final") is False:
                    continue  # a --checkpoints snapshot part-way through the recipe
                rows[row["preset"]] = row
    missing = [n for n in names if n not in rows]
    if missing:
        raise SystemExit(f"{path} has no row for {missing}; it has {sorted(rows)}")
    unclean = [n for n in names if rows[n].get("dirty") or not rows[n].get("commit")]
    if unclean:
        raise SystemExit(f"rows of {unclean} in {path} were measured on a dirty tree or "
                         "without a commit; measure them again at a clean commit")
    return {n: rows[n] for n in names}


def record_rows(path, names):
    """Record already measured rows (see `latest_rows`) into zoo/.

    Example:

    ```
    python benchmarks/quality.py --record-from sweep.jsonl --presets dcgan_ada_digits
    ```
    """
    if not names:
        raise SystemExit("--record-from needs --presets: name the rows to record")
    for name, row in latest_rows(path, names).items():
        extra = {k: row[k] for k in ("epochs", "batch_size", "num_fake", "num_real",
                                     "dataset", "protocol")}
        extra["train_limit"] = row.get("train_limit")
        record(name, row["metrics"], extra, row["command"], row["commit"], row["backend"],
               row["device"])
        print(f"recorded {name}: measured at {row['commit'][:7]} by {row['command']}")
    return 0


def _epoch_list(text):
    """'1,2,4' -> (1, 2, 4); argparse type of --checkpoints."""
    try:
        epochs = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        epochs = ()
    if not epochs or min(epochs) < 1:
        raise argparse.ArgumentTypeError(
            f"expected positive epoch numbers separated by commas, e.g. 1,2,4; received {text!r}")
    return epochs


def append_line(path, line):
    """Append one line to a file: written whole, in one call, and flushed."""
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()
        os.fsync(f.fileno())


def cpu_description():
    """'<CPU model>, N cores' from /proc/cpuinfo (or the platform)."""
    import platform

    model = None
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{model or platform.processor() or 'CPU'}, {os.cpu_count()} cores (shared)"


if __name__ == "__main__":
    sys.exit(main())
