"""The keras-gans command, run as a user runs it (subprocesses) and in-process.

Starting Python with TensorFlow takes seconds, so the subprocess runs are
batched in one module fixture and run side by side where they can.
"""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans import cli

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EPOCHS, STEPS = 2, 4
TF_LOG_PREFIXES = ("WARNING: All log messages before absl", "I0000", "W0000", "E0000")


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if keras.backend.backend() == "jax":
        # Share the test session's persistent compilation cache (see
        # conftest.py): the resumed run compiles the same step again.
        import jax

        cache = jax.config.jax_compilation_cache_dir
        if cache:
            env.setdefault("JAX_COMPILATION_CACHE_DIR", cache)
            env.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
            env.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")
    return env


def _start(args, cwd, module="keras_gans.cli"):
    return subprocess.Popen(
        [sys.executable, "-m", module] + args, cwd=cwd, env=_env(),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _finish(*procs):
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        results.append((proc.returncode, out, err))
    return results


def _message_lines(stderr):
    """stderr without TensorFlow's C++ start-up log lines."""
    return [
        line for line in stderr.splitlines()
        if line.strip() and not line.startswith(TF_LOG_PREFIXES)
    ]


def _iterations(path):
    model = keras.saving.load_model(path)
    return {
        role: int(keras.ops.convert_to_numpy(opt.iterations))
        for role, opt in model.optimizer.optimizers.items()
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Train dcgan_digits twice, one run killed mid-epoch then resumed."""
    work = tmp_path_factory.mktemp("cli")
    common = ["train", "dcgan_digits", "--epochs", str(EPOCHS), "--steps", str(STEPS),
              "--num-samples", "16", "--checkpoint-every", "2"]
    # Checkpoints at steps 2, 4 (end of epoch 1) and 6; the "kill" comes at
    # step 7, before any checkpoint of it: the resumed run restarts at step 6,
    # two batches into the second epoch.
    full, killed = _finish(
        _start(common + ["--out", "full"], work),
        _start(common + ["--out", "killed", "--stop-after-steps", "7"], work),
    )
    state_path = work / "killed" / "checkpoint" / "state.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else None
    had_model = (work / "killed" / "model.keras").exists()
    resumed, sampled, typo = _finish(
        _start(["train", "dcgan_digits", "--out", "killed", "--resume"], work),
        _start(["sample", "full/model.keras", "--num", "12", "--out", "grid.png",
                "--seed", "3"], work, module="keras_gans"),
        _start(["train", "dcgan_digitz", "--out", "typo"], work),
    )
    return {
        "work": work, "full": full, "killed": killed, "typo": typo,
        "state": state, "killed_had_model": had_model, "resumed": resumed,
        "sampled": sampled,
    }


def test_train_writes_model_samples_history(runs):
    code, out, err = runs["full"]
    assert code == 0, err
    run = runs["work"] / "full"
    assert (run / "model.keras").is_file()
    assert not (run / "checkpoint").exists()  # removed once the model is saved
    assert sorted(os.listdir(run / "samples")) == ["epoch_001.png", "epoch_002.png"]
    rows = (run / "history.csv").read_text().strip().splitlines()
    assert rows[0].startswith("epoch") and len(rows) == 1 + EPOCHS
    settings = json.loads((run / "run.json").read_text())
    assert settings["preset"]["name"] == "dcgan_digits"
    assert settings["steps_per_epoch"] == STEPS and settings["epochs"] == EPOCHS
    assert f"after {EPOCHS * STEPS} steps" in out
    assert "Traceback" not in err


def test_killed_run_resumes_to_the_same_number_of_steps(runs):
    code, _, _ = runs["killed"]
    assert code == 75  # the testing flag's abrupt exit
    assert not runs["killed_had_model"]
    assert runs["state"]["step"] == 6
    assert (runs["state"]["epoch"], runs["state"]["batch"]) == (1, 2)  # mid-epoch

    code, out, err = runs["resumed"]
    assert code == 0, err
    assert "resuming at step 6" in out
    work = runs["work"]
    resumed = _iterations(str(work / "killed" / "model.keras"))
    never_killed = _iterations(str(work / "full" / "model.keras"))
    assert resumed == never_killed == {
        "discriminator": EPOCHS * STEPS, "generator": EPOCHS * STEPS
    }
    rows = (work / "killed" / "history.csv").read_text().strip().splitlines()
    assert len(rows) == 1 + EPOCHS  # appended, header once
    assert not (work / "killed" / "checkpoint").exists()


def test_sample_writes_a_png_grid(runs):
    code, out, err = runs["sampled"]
    assert code == 0, err
    import matplotlib.image

    grid = matplotlib.image.imread(str(runs["work"] / "grid.png"))
    assert grid.ndim == 3 and grid.shape[0] > 8 and grid.shape[1] > 8
    assert "Wrote 12 samples" in out


def test_user_error_is_one_line_without_traceback(runs):
    code, _, err = runs["typo"]
    assert code == 1
    assert "Traceback" not in err
    lines = _message_lines(err)
    assert len(lines) == 1, err
    assert lines[0].startswith("keras-gans: error: 'dcgan_digitz' is neither a preset")
    assert "close names: dcgan_digits" in lines[0]
    assert not (runs["work"] / "typo").exists()


# ---------------------------------------------------------------- in-process


def _error(capsys, argv):
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert code == 1, captured
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("keras-gans: error: "), captured.err
    return lines[0]


def test_list_and_info(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    for name in keras_gans.list_models() + keras_gans.list_presets():
        assert name in out
    assert cli.main(["list", "dcgan_*"]) == 0
    out = capsys.readouterr().out
    assert "dcgan_mnist" in out and "vanilla_gan_digits" not in out
    assert "nothing matches" in _error(capsys, ["list", "zzz*"])

    assert cli.main(["info", "dcgan_digits"]) == 0
    out = capsys.readouterr().out
    shown = json.loads(out[: out.index("\nreproduce:")])
    assert shown == keras_gans.get_preset("dcgan_digits")
    assert "keras-gans train dcgan_digits" in out
    assert cli.main(["info", "dcgan"]) == 0
    out = capsys.readouterr().out
    assert "DCGAN" in out and "dcgan_digits" in out
    assert "close names: dcgan_digits" in _error(capsys, ["info", "dcgan_digitz"])


def test_train_refuses_to_overwrite_without_being_asked(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.keras").write_bytes(b"precious")
    message = _error(capsys, ["train", "dcgan_digits", "--out", str(out)])
    assert "already holds a trained model" in message and "--overwrite" in message
    assert (out / "model.keras").read_bytes() == b"precious"

    (out / "model.keras").unlink()
    (out / "checkpoint").mkdir()
    (out / "checkpoint" / "state.json").write_text("{}")
    assert "interrupted run" in _error(capsys, ["train", "dcgan_digits", "--out", str(out)])
    (out / "run.json").write_text(json.dumps(
        {"dataset": {"name": "digits"}, "batch_size": 64, "steps_per_epoch": 4,
         "seed": 0}
    ))
    message = _error(capsys, ["train", "dcgan_digits", "--out", str(out), "--resume",
                              "--batch-size", "32"])
    assert "--batch-size differ from the interrupted run" in message
    assert "exclude each other" in _error(
        capsys, ["train", "dcgan_digits", "--out", str(out), "--resume", "--overwrite"]
    )
    (tmp_path / "file").write_text("x")
    assert "is a file" in _error(
        capsys, ["train", "dcgan_digits", "--out", str(tmp_path / "file")]
    )
    assert "is neither a preset .json file (nothing at" in _error(
        capsys, ["train", str(tmp_path / "nope.json")])


def test_train_reports_a_missing_data_set(tmp_path, capsys):
    missing = tmp_path / "no_such_folder"
    message = _error(
        capsys, ["train", "dcgan_digits", "--out", str(tmp_path / "run"),
                 "--dataset", str(missing)],
    )
    assert "could not load the data set" in message and "no_such_folder" in message
    assert not (tmp_path / "run" / "model.keras").exists()


def test_train_overwrite_replaces_a_finished_run(tmp_path, capsys):
    preset = keras_gans.get_preset("vanilla_gan_digits")
    preset["name"] = "tiny_vanilla_gan_digits"
    preset["architecture"].update(generator_units=[8], discriminator_units=[8],
                                  latent_dim=4)
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(preset))
    out = tmp_path / "run"
    out.mkdir()
    (out / "model.keras").write_bytes(b"old")
    (out / "notes.txt").write_text("mine")
    argv = ["train", str(path), "--out", str(out), "--epochs", "1", "--steps", "2",
            "--num-samples", "4"]
    assert cli.main(argv + ["--overwrite"]) == 0
    model = keras.saving.load_model(str(out / "model.keras"))
    assert model.latent_dim == 4
    assert (out / "notes.txt").read_text() == "mine"  # only run outputs go
    capsys.readouterr()
    # Resuming a finished run does nothing and keeps the model.
    before = (out / "model.keras").read_bytes()
    assert cli.main(["train", str(path), "--out", str(out), "--resume"]) == 0
    assert "nothing to resume" in capsys.readouterr().out
    assert (out / "model.keras").read_bytes() == before


def test_sample_user_errors(runs, tmp_path, capsys):
    model = str(runs["work"] / "full" / "model.keras")
    corrupt = tmp_path / "corrupt.keras"
    corrupt.write_bytes(b"this is not a zip file")
    assert "could not load" in _error(
        capsys, ["sample", str(corrupt), "--out", str(tmp_path / "a.png")]
    )
    assert "is neither a model file or run folder (nothing at" in _error(
        capsys, ["sample", str(tmp_path / "gone.keras"), "--out", str(tmp_path / "a.png")]
    )
    (tmp_path / "m.h5").write_text("x")
    assert "not a .keras file" in _error(
        capsys, ["sample", str(tmp_path / "m.h5"), "--out", str(tmp_path / "a.png")]
    )
    assert "without a model.keras" in _error(
        capsys, ["sample", str(tmp_path), "--out", str(tmp_path / "a.png")]
    )
    existing = tmp_path / "taken.png"
    existing.write_bytes(b"keep")
    assert "already exists" in _error(capsys, ["sample", model, "--out", str(existing)])
    assert existing.read_bytes() == b"keep"
    assert "not class-conditional" in _error(
        capsys, ["sample", model, "--out", str(tmp_path / "b.png"), "--labels", "1"]
    )
    assert "must name a .png" in _error(
        capsys, ["sample", model, "--out", str(tmp_path / "b.jpg")]
    )
    # A run folder works as MODEL; --overwrite replaces the grid.
    assert cli.main(["sample", str(runs["work"] / "full"), "--num", "4",
                     "--out", str(existing), "--overwrite"]) == 0
    assert existing.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_seed_same_samples(runs):
    model = keras.saving.load_model(str(runs["work"] / "full" / "model.keras"))
    a = cli._generate(model, 4, seed=5)
    b = cli._generate(model, 4, seed=5)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (4, 8, 8, 1)


def test_export_and_evaluate_explain_a_missing_module(runs, monkeypatch, capsys):
    model = str(runs["work"] / "full" / "model.keras")
    monkeypatch.setitem(sys.modules, "keras_gans.export", None)
    monkeypatch.setitem(sys.modules, "keras_gans.evaluation", None)
    assert "no export module" in _error(capsys, ["export", model, "out_dir"])
    assert "no evaluation module" in _error(capsys, ["evaluate", model])


def test_export_writes_a_savedmodel(runs, tmp_path, capsys):
    pytest.importorskip("keras_gans.export")
    model = str(runs["work"] / "full" / "model.keras")
    target = tmp_path / "export"
    assert cli.main(["export", model, str(target), "--version", "1"]) == 0
    found = [f for _, _, files in os.walk(target) for f in files]
    assert "saved_model.pb" in found


def test_evaluate_reports_metrics(runs, tmp_path, capsys):
    pytest.importorskip("keras_gans.evaluation")
    model = str(runs["work"] / "full" / "model.keras")
    out = tmp_path / "metrics.json"
    assert cli.main(["evaluate", model, "--num-samples", "200", "--num-real", "200",
                     "--json", str(out)]) == 0
    results = json.loads(out.read_text())
    assert results and all(isinstance(k, str) for k in results)
