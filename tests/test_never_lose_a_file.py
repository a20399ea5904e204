"""Never lose a file (issue 11): atomic writes, concurrent exports, OS
errors in one line, damaged files named as such.

In-process and tiny: a DCGAN of width 4 on 8x8 digits, saved once.
"""

import errno
import json
import os

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans import cli, export, files, images, runs


@pytest.fixture(scope="module")
def model_file(tmp_path_factory):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4)
    gan.compile()
    path = str(tmp_path_factory.mktemp("model") / "model.keras")
    gan.save(path)
    return path


def _one_error_line(capsys, argv):
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert code == 1, captured
    assert "Traceback" not in captured.err
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("keras-gans: error: "), captured.err
    return lines[0]


def _full_disk(monkeypatch):
    """Make matplotlib's savefig write a few bytes, then fail with ENOSPC."""
    import matplotlib.figure

    def savefig(self, fname, *args, **kwargs):
        with open(fname, "wb") as f:
            f.write(b"\x89PNG partial")
        raise OSError(errno.ENOSPC, "No space left on device", fname)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)


# -------------------------------------------------------- atomic writes


def test_save_grid_on_a_full_disk_keeps_the_old_grid(tmp_path, monkeypatch):
    path = tmp_path / "grid.png"
    images.save_grid(np.zeros((4, 8, 8, 1)), path)
    good = path.read_bytes()
    _full_disk(monkeypatch)
    with pytest.raises(OSError):
        images.save_grid(np.zeros((4, 8, 8, 1)), path)
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["grid.png"]  # no temporary file left


def test_sample_overwrite_on_a_full_disk_keeps_the_old_grid(model_file, tmp_path,
                                                            monkeypatch, capsys):
    grid = str(tmp_path / "grid.png")
    assert cli.main(["sample", model_file, "--num", "4", "--out", grid]) == 0
    good = open(grid, "rb").read()
    _full_disk(monkeypatch)
    line = _one_error_line(capsys, ["sample", model_file, "--num", "4", "--out", grid,
                                    "--overwrite"])
    assert "No space left on device" in line
    assert open(grid, "rb").read() == good


def test_atomic_path_leaves_the_old_file_on_failure(tmp_path):
    path = tmp_path / "model.keras"
    path.write_text("good")
    with pytest.raises(RuntimeError):
        with files.atomic_path(path) as tmp:
            assert tmp.endswith("model.keras") and tmp != str(path)
            with open(tmp, "w") as f:
                f.write("half")
            raise RuntimeError("killed")
    assert path.read_text() == "good"
    assert os.listdir(tmp_path) == ["model.keras"]
    files.write_text(path, "new")
    assert path.read_text() == "new"


def test_checkpoints_are_written_atomically(tmp_path, monkeypatch):
    """A save that fails half-way leaves no truncated checkpoint behind."""
    saved = []
    real_save = keras.Model.save

    def failing_save(self, filepath, *args, **kwargs):
        saved.append(filepath)
        with open(filepath, "wb") as f:
            f.write(b"PK truncated")
        raise OSError(errno.ENOSPC, "No space left on device", filepath)

    monkeypatch.setattr(keras.Model, "save", failing_save)
    preset = keras_gans.get_preset("vanilla_gan_digits")
    preset["architecture"].update(generator_units=[8], discriminator_units=[8], latent_dim=4)
    preset["param_count"] = None
    with pytest.raises(OSError):
        runs.train(preset, out=str(tmp_path / "run"), epochs=1, steps_per_epoch=2,
                   verbose=0, num_samples=4)
    monkeypatch.setattr(keras.Model, "save", real_save)
    assert saved and all(os.path.basename(p).startswith(".tmp-") for p in saved)
    leftovers = [f for _, _, fs in os.walk(tmp_path) for f in fs if f.endswith(".keras")]
    assert leftovers == []


# ---------------------------------------------------- concurrent exports


class _FakeArchive:
    """Writes a SavedModel-looking folder; `during` runs mid-write."""

    def __init__(self, during=None):
        self.during = during

    def write_out(self, folder, verbose=False):
        os.makedirs(folder)
        with open(os.path.join(folder, "saved_model.pb"), "w") as f:
            f.write("mine")
        if self.during:
            self.during()


def test_concurrent_export_never_replaces_the_other(tmp_path, monkeypatch):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4)
    base = tmp_path / "models"

    def other_process_finishes_version_1():
        os.makedirs(base / "1")
        (base / "1" / "saved_model.pb").write_text("theirs")

    monkeypatch.setattr(export, "_build_archive",
                        lambda *a, **k: _FakeArchive(other_process_finishes_version_1))
    # The other process did not reserve (an older keras-gans): the final
    # rename refuses to replace what it wrote.
    with pytest.raises(FileExistsError, match="left untouched"):
        export.export_generator(gan, str(base))
    assert (base / "1" / "saved_model.pb").read_text() == "theirs"
    assert sorted(os.listdir(base)) == ["1"]


def test_export_skips_a_version_reserved_by_a_running_export(tmp_path, monkeypatch):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4)
    base = tmp_path / "models"
    base.mkdir()
    (base / ".export-1.lock").write_text("12345\n")  # another export, mid-way
    monkeypatch.setattr(export, "_build_archive", lambda *a, **k: _FakeArchive())
    assert export.export_generator(gan, str(base)).endswith(os.sep + "2")
    with pytest.raises(FileExistsError, match="another export"):
        export.export_generator(gan, str(base), version=1)
    assert not (base / "1").exists() and not (base / ".export-2.lock").exists()


# ----------------------------------------------------- OS errors, damage


def test_unwritable_output_folder_fails_before_building_the_model(tmp_path, monkeypatch,
                                                                  capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    from keras_gans import presets

    def no_build(*args, **kwargs):
        raise AssertionError("the model was built before the folder was checked")

    monkeypatch.setattr(presets, "build_preset", no_build)
    line = _one_error_line(capsys, ["train", "dcgan_digits", "--out", str(blocker / "run")])
    assert str(blocker / "run") in line


def test_sample_into_an_unwritable_folder_is_one_line(model_file, tmp_path, capsys):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    line = _one_error_line(capsys, ["sample", model_file, "--out",
                                    str(blocker / "grid.png")])
    assert str(blocker) in line


@pytest.mark.parametrize("damaged", ["state", "run"])
def test_corrupt_state_or_run_json_is_one_line_naming_it(tmp_path, capsys, damaged):
    out = tmp_path / "run"
    (out / "checkpoint").mkdir(parents=True)
    (out / "checkpoint" / "state.json").write_text(
        '{"step": 1' if damaged == "state" else json.dumps({"step": 1, "model": "x.keras"}))
    (out / "run.json").write_text("{broken" if damaged == "run" else "{}")
    line = _one_error_line(capsys, ["train", "dcgan_digits", "--out", str(out), "--resume"])
    name = "state.json" if damaged == "state" else "run.json"
    assert name in line and "damaged" in line


@pytest.mark.parametrize("cut", ["empty", "half"])
def test_damaged_keras_file_is_reported_as_such(model_file, tmp_path, capsys, cut):
    data = open(model_file, "rb").read()
    bad = tmp_path / "model.keras"
    bad.write_bytes(b"" if cut == "empty" else data[: len(data) // 2])
    line = _one_error_line(capsys, ["sample", str(bad), "--out", str(tmp_path / "g.png")])
    assert "File not found" not in line
    assert ("empty" if cut == "empty" else "truncated or corrupt") in line
