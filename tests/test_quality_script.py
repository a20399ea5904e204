"""benchmarks/quality.py still runs: one preset, one epoch, few samples."""

import importlib.util
import json
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_script():
    path = os.path.join(ROOT, "benchmarks", "quality.py")
    spec = importlib.util.spec_from_file_location("quality_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quality_script_measures_and_appends_a_row(tmp_path):
    quality = _load_script()
    out = tmp_path / "results.jsonl"
    assert quality.main([
        "--presets", "dcgan_digits", "--epochs", "1", "--num-samples", "64",
        "--out", str(out), "--verbose", "0",
    ]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["preset"] == "dcgan_digits" and row["epochs"] == 1
    m = row["metrics"]
    # Metric names state the protocol: 64 samples, digits classifier.
    assert m["fid64_digits"] > 0 and m["fid_floor_digits"] > 0
    assert m["fid_ratio_digits"] == pytest.approx(m["fid64_digits"] / m["fid_floor_digits"])
    # Memorization figures stand beside every result.
    assert m["fid_gap_digits"] == pytest.approx(m["fid64_digits"] - m["fid64_train_digits"])
    assert m["nn_ratio_digits"] > 0
    assert 0.9 < m["classifier_accuracy_digits"] <= 1.0
    shares = row["class_shares_digits"]
    assert len(shares) == 10 and sum(shares) == pytest.approx(1.0)
    assert m["class_share_min_digits"] == pytest.approx(min(shares))
    assert row["num_fake"] == 64 and row["num_real"] == 360
    assert "--epochs 1" in row["command"]


def test_quality_script_rejects_unknown_presets(tmp_path):
    quality = _load_script()
    with pytest.raises(SystemExit, match="unknown or unmeasurable presets.*dcgan_celeb_a"):
        quality.main(["--presets", "dcgan_celeb_a", "--out", str(tmp_path / "r.jsonl")])


def test_quality_script_on_idx_files(tmp_path, monkeypatch):
    """The MNIST path end to end on tiny IDX files the test writes: training
    data, the MNIST classifier, the 28x28 protocol and its names."""
    from keras_gans import datasets
    from tests.test_protocol import _tiny_mnist

    monkeypatch.delenv(datasets.DATA_ENV, raising=False)
    monkeypatch.setattr(datasets.idx, "_SYSTEM_DIRS", {"mnist": (), "fashion_mnist": ()})
    _tiny_mnist(str(tmp_path / "data" / "mnist"))
    quality = _load_script()
    out = tmp_path / "results.jsonl"
    assert quality.main([
        "--presets", "conditional_gan_mnist_cpu", "--epochs", "1", "--num-samples", "100",
        "--data-dir", str(tmp_path / "data"), "--out", str(out), "--verbose", "0",
    ]) == 0
    row = json.loads(out.read_text().splitlines()[-1])
    m = row["metrics"]
    assert row["dataset"] == "mnist" and row["protocol"] == "mnist_cnn"
    assert row["num_real"] == 100 and row["num_fake"] == 100
    assert m["floor_num_train"] == 400  # the whole (tiny) training split
    for key in ("fid100_mnist_cnn", "fid_floor_mnist_cnn", "fid_ratio_mnist_cnn",
                "fid_gap_mnist_cnn", "nn_ratio_mnist_cnn", "class_share_min_mnist_cnn",
                "label_accuracy_mnist_cnn", "classifier_accuracy_mnist_cnn"):
        assert key in m, key
    assert len(row["class_shares_mnist_cnn"]) == 10
    assert "--data-dir" in row["command"]


def test_priority_presets_come_first():
    quality = _load_script()
    names = ["acgan_digits", "vae_gan_digits", "dcgan_digits", "wgan_gp_digits",
             "conditional_gan_digits"]
    assert quality.ordered_presets(names) == [
        "dcgan_digits", "conditional_gan_digits", "vae_gan_digits",
        "acgan_digits", "wgan_gp_digits",
    ]


def test_record_from_records_a_clean_row_with_its_own_command_and_commit(tmp_path, monkeypatch):
    quality = _load_script()
    base = {"epochs": 3, "batch_size": 64, "num_fake": 10, "num_real": 10,
            "dataset": "digits", "protocol": "digits", "backend": "tensorflow",
            "device": "2 cores", "metrics": {"fid1k_digits": 7.5, "floor_num_train": 10}}
    rows = [dict(base, preset="dcgan_digits", command="old", commit="a" * 40, dirty=False),
            dict(base, preset="dcgan_digits", command="new", commit="b" * 40, dirty=False),
            dict(base, preset="dcgan_digits", command="new --train-seed 1", commit="d" * 40,
                 dirty=False),
            dict(base, preset="lsgan_digits", command="x", commit="c" * 40, dirty=True)]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    recorded = []
    monkeypatch.setattr(quality, "record", lambda name, metrics, extra, command, commit,
                        backend, device: recorded.append((name, command, commit, extra["epochs"])))
    assert quality.main(["--record-from", str(path), "--presets", "dcgan_digits"]) == 0
    assert recorded == [("dcgan_digits", "new", "b" * 40, 3)]
    with pytest.raises(SystemExit, match="dirty"):
        quality.main(["--record-from", str(path), "--presets", "lsgan_digits"])
    with pytest.raises(SystemExit, match="no row"):
        quality.main(["--record-from", str(path), "--presets", "acgan_digits"])


def test_train_seed_runs_are_not_recorded_into_the_zoo():
    quality = _load_script()
    with pytest.raises(SystemExit, match="train-seed"):
        quality.main(["--presets", "dcgan_digits", "--record", "--train-seed", "1"])


def test_checkpoints_score_one_run_at_several_epochs(tmp_path):
    quality = _load_script()
    out = tmp_path / "results.jsonl"
    assert quality.main([
        "--presets", "dcgan_digits", "--epochs", "3", "--num-samples", "64",
        "--checkpoints", "1,2", "--out", str(out), "--verbose", "0",
    ]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["checkpoint_epoch"] for r in rows] == [1, 2, 3]
    assert [r.get("final", True) for r in rows] == [False, False, True]
    assert len({r["run_id"] for r in rows}) == 1 and "--checkpoints 1,2" in rows[0]["command"]
    seconds = [r["metrics"]["train_seconds"] for r in rows]
    assert 0 < seconds[0] < seconds[1] < seconds[2]
    # Different weights give different scores: the snapshots are not the final model.
    fids = [r["metrics"]["fid64_digits"] for r in rows]
    assert len(set(fids)) == 3
    # Only the final row is the recipe's result (as if measured at a clean commit).
    clean = tmp_path / "clean.jsonl"
    clean.write_text("".join(json.dumps(dict(r, dirty=False, commit="c" * 40)) + "\n"
                             for r in rows[::-1]))
    assert quality.latest_rows(str(clean), ["dcgan_digits"])["dcgan_digits"]["checkpoint_epoch"] == 3


def test_checkpoints_refuse_a_bad_list(capsys):
    quality = _load_script()
    with pytest.raises(SystemExit):
        quality.main(["--presets", "dcgan_digits", "--checkpoints", "one,2"])
    err = capsys.readouterr().err
    assert "expected positive epoch numbers" in err and "'one,2'" in err


def test_from_run_scores_a_resumed_run_with_its_whole_train_time(tmp_path):
    """A run interrupted and resumed (as across working sessions) is scored
    from its folder: the recipe's protocol, the run's epochs and seed, the
    fit() seconds of both sessions and the code each session ran."""
    from keras_gans import runs
    from tests.test_runs import InterruptAt

    quality = _load_script()
    folder = tmp_path / "run"
    settings = dict(epochs=2, steps_per_epoch=3, checkpoint_every=2, seed=0,
                    log=lambda message: None, verbose=0)
    with pytest.raises(KeyboardInterrupt):
        runs.train("dcgan_digits", out=folder, callbacks=[InterruptAt(4)], **settings)
    with pytest.raises(SystemExit, match="has not finished.*--resume"):
        quality.main(["--from-run", str(folder), "--out", str(tmp_path / "r.jsonl")])
    earlier = json.loads((folder / "checkpoint" / "state.json").read_text())["train_seconds"]
    runs.train("dcgan_digits", out=folder, resume=True, **settings)

    out = tmp_path / "results.jsonl"
    assert quality.main(["--from-run", str(folder), "--num-samples", "64",
                         "--out", str(out)]) == 0
    row = json.loads(out.read_text())
    assert row["preset"] == "dcgan_digits" and row["epochs"] == 2
    assert row["metrics"]["fid64_digits"] > 0 and row["metrics"]["nn_ratio_digits"] > 0
    assert row["metrics"]["train_seconds"] > earlier > 0
    # The checkpoint at the end of epoch 1 (step 3) is where it resumed.
    assert [s["start_step"] for s in row["train_sessions"]] == [0, 3]
    assert row["train_seed"] == 0 and row["recipe_seed"] == 0
    assert "--from-run" in row["command"] and str(folder) in row["command"]
    # Recording it takes the same checks as a trained row's.
    clean = tmp_path / "clean.jsonl"
    clean.write_text(json.dumps(dict(row, dirty=False, commit="e" * 40)) + "\n")
    assert quality.latest_rows(str(clean), ["dcgan_digits"])["dcgan_digits"]["epochs"] == 2
    # Another seed is the spread, never the recipe's row.
    clean.write_text(json.dumps(dict(row, dirty=False, commit="e" * 40, train_seed=1)) + "\n")
    with pytest.raises(SystemExit, match="no row"):
        quality.latest_rows(str(clean), ["dcgan_digits"])


def test_from_run_refuses_what_belongs_to_the_run(tmp_path):
    quality = _load_script()
    with pytest.raises(SystemExit, match="--from-run scores finished runs"):
        quality.main(["--from-run", str(tmp_path), "--epochs", "3"])
    with pytest.raises(SystemExit, match="no run.json"):
        quality.main(["--from-run", str(tmp_path), "--out", str(tmp_path / "r.jsonl")])
