"""keras_gans.runs: the one training path of the CLI, benchmarks and tools.

Runs a tiny vanilla GAN on the scikit-learn digits, in-process, so that the
checks stay quick; tests/test_cli.py runs the same path as a user does
(subprocesses, a killed process resumed).
"""

import json
import os

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans import cli, runs


def _tiny_preset(name="tiny_vanilla_gan_digits"):
    preset = keras_gans.get_preset("vanilla_gan_digits")
    preset["name"] = name
    preset["architecture"].update(
        generator_units=[8], discriminator_units=[8], latent_dim=4
    )
    preset["param_count"] = None
    return preset


def _iterations(model):
    return {
        role: int(keras.ops.convert_to_numpy(opt.iterations))
        for role, opt in model.optimizer.optimizers.items()
    }


def _quiet(**kwargs):
    return dict(verbose=0, log=None, num_samples=4, **kwargs)


class InterruptAt(keras.callbacks.Callback):
    """Raise KeyboardInterrupt (Ctrl-C) after a number of steps."""

    def __init__(self, steps):
        super().__init__()
        self.steps, self.seen = steps, 0

    def on_train_batch_end(self, batch, logs=None):
        self.seen += 1
        if self.seen >= self.steps:
            raise KeyboardInterrupt


def test_in_memory_run_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runs.train(_tiny_preset(), epochs=2, steps_per_epoch=3, **_quiet())
    assert result.status == "finished"
    assert result.out is None and result.model_path is None
    assert (result.start_step, result.steps) == (0, 6)
    assert _iterations(result.model) == {"discriminator": 6, "generator": 6}
    assert len(result.history["d_loss"]) == len(result.history["g_loss"]) == 2
    assert result.train_seconds > 0 and result.wall_seconds >= result.train_seconds
    assert result.settings["dataset"]["name"] == "digits"
    assert os.listdir(tmp_path) == []


def test_run_writes_model_and_run_json(tmp_path):
    out = tmp_path / "run"
    result = runs.train(_tiny_preset(), out=out, epochs=2, steps_per_epoch=3,
                        argv=["keras-gans", "train", "x"], **_quiet())
    assert result.model_path == str(out / "model.keras")
    loaded = keras.saving.load_model(result.model_path)
    assert _iterations(loaded) == {"discriminator": 6, "generator": 6}
    recorded = json.loads((out / "run.json").read_text())
    assert recorded["preset"]["name"] == "tiny_vanilla_gan_digits"
    assert recorded["epochs"] == 2 and recorded["steps_per_epoch"] == 3
    assert recorded["argv"] == ["keras-gans", "train", "x"]
    assert recorded["backend"] == keras.backend.backend()
    assert recorded["result"]["steps"] == 6
    assert recorded["result"]["final_logs"]["g_loss"] == pytest.approx(
        result.history["g_loss"][-1]
    )
    assert sorted(os.listdir(out / "samples")) == ["epoch_001.png", "epoch_002.png"]
    assert len((out / "history.csv").read_text().strip().splitlines()) == 3
    assert not (out / "checkpoint").exists()
    assert not [f for f in os.listdir(out) if ".tmp" in f]  # temp-then-rename

    # The run is complete: resuming trains nothing and returns the model.
    again = runs.train(_tiny_preset(), out=out, resume=True, **_quiet())
    assert again.status == "already_finished" and again.history == {}
    assert _iterations(again.model) == {"discriminator": 6, "generator": 6}


def test_resume_continues_the_step_count(tmp_path):
    out = tmp_path / "run"
    settings = dict(epochs=2, steps_per_epoch=4, checkpoint_every=2)
    # Checkpoints at steps 2 and 4; Ctrl-C at step 7, after the checkpoint
    # at step 6 (checkpoint_every counts from the last one).
    with pytest.raises(KeyboardInterrupt):
        runs.train(_tiny_preset(), out=out, callbacks=[InterruptAt(7)],
                   **settings, **_quiet())
    state = json.loads((out / "checkpoint" / "state.json").read_text())
    assert (state["step"], state["epoch"], state["batch"]) == (6, 1, 2)
    assert not (out / "model.keras").exists()

    with pytest.raises(runs.RunError, match="holds an interrupted run"):
        runs.train(_tiny_preset(), out=out, **_quiet())
    with pytest.raises(runs.RunError, match="--seed differ from the interrupted run"):
        runs.train(_tiny_preset(), out=out, resume=True, seed=99, **_quiet())

    result = runs.train(_tiny_preset(), out=out, resume=True, **_quiet())
    assert result.start_step == 6 and result.steps == 8
    # The whole run's fit() time: the checkpoint's seconds plus this session's.
    assert state["train_seconds"] > 0
    assert result.train_seconds > state["train_seconds"]
    recorded = json.loads((out / "run.json").read_text())
    assert recorded["result"]["train_seconds"] == pytest.approx(result.train_seconds)
    # Each session names the step it started at and the code that trained.
    assert [s["start_step"] for s in recorded["sessions"]] == [0, 6]
    assert all(s["keras_gans"] == keras_gans.__version__ for s in recorded["sessions"])
    assert _iterations(result.model) == {"discriminator": 8, "generator": 8}
    assert len(result.history["g_loss"]) == 1  # the rest of epoch 2
    assert not (out / "checkpoint").exists()
    rows = (out / "history.csv").read_text().strip().splitlines()
    assert len(rows) == 1 + 2  # the header once, one row per epoch


def test_data_in_memory(tmp_path):
    x = keras_gans.datasets.load_digits()[:100]
    out = tmp_path / "run"
    result = runs.train(_tiny_preset(), out=out, data=x, epochs=1, **_quiet())
    assert result.steps == 2  # 100 images in batches of 64
    recorded = json.loads((out / "run.json").read_text())
    assert recorded["dataset"]["name"] == runs.IN_MEMORY_DATA
    with pytest.raises(runs.RunError, match=r"data must be .* received"):
        runs.train(_tiny_preset(), data=np.zeros((4, 3)), epochs=1, **_quiet())


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(preset="dcgan_digitz"), r"Unknown preset 'dcgan_digitz'.*dcgan_digits"),
        (dict(preset=3), r"a preset must be a name.*received int 3"),
        (dict(preset={"name": "x"}), r"the preset dict: missing the required key"),
        (dict(epochs=0), r"epochs must be a positive integer or None; received 0"),
        (dict(batch_size="64"), r"batch_size must be a positive integer or None; received '64'"),
        (dict(seed=1.5), r"seed must be an integer or None; received 1.5"),
        (dict(resume=True), r"need an output folder; received out=None"),
        (dict(data="/no/such/folder"), r"could not load the data set '/no/such/folder'"),
    ],
)
def test_bad_input_is_a_clear_run_error(kwargs, message):
    kwargs = {"preset": _tiny_preset(), "epochs": 1, "steps_per_epoch": 1, **kwargs}
    with pytest.raises(runs.RunError, match=message):
        runs.train(**kwargs, **_quiet())


def test_cli_train_calls_the_same_path(tmp_path, monkeypatch, capsys):
    calls = []
    real_train = runs.train

    def recording_train(preset, **kwargs):
        calls.append((preset, kwargs))
        return real_train(preset, **kwargs)

    monkeypatch.setattr(runs, "train", recording_train)
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(_tiny_preset()))
    out = tmp_path / "run"
    assert cli.main(["train", str(path), "--out", str(out), "--epochs", "1",
                     "--steps", "2", "--num-samples", "4", "--seed", "3"]) == 0
    (preset, kwargs), = calls
    assert preset["name"] == "tiny_vanilla_gan_digits"
    assert kwargs["out"] == str(out) and kwargs["epochs"] == 1
    assert kwargs["steps_per_epoch"] == 2 and kwargs["seed"] == 3
    assert kwargs["argv"][:2] == ["keras-gans", "train"]
    assert (out / "model.keras").is_file()
    assert "after 2 steps" in capsys.readouterr().out



# ------------------------------------------- one way to draw a model's inputs


def test_cli_and_export_draw_inputs_with_sample_inputs():
    """The CLI's samples and export's conditional/label decision come from
    model.sample_inputs, not from copies of its rule."""
    from keras_gans import export

    cond = keras_gans.ConditionalGAN(image_shape=(8, 8, 1), num_classes=3,
                                     latent_dim=4, width=8)
    z, labels = cond.sample_inputs(5, seed=2)
    np.testing.assert_array_equal(
        cli._generate(cond, 5, seed=2), cond.generate(z=z, labels=labels)
    )
    np.testing.assert_array_equal(
        cli._generate(cond, 5, seed=2, labels=[2]),
        cond.generate(z=z, labels=np.full(5, 2, "int32")),
    )
    num_classes, drawn = export._model_labels(cond, cond.generator)
    assert num_classes == 3
    np.testing.assert_array_equal(drawn, cond.sample_inputs(1, seed=0)[1])

    dcgan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=8)
    assert export._model_labels(dcgan, dcgan.generator) == (None, None)
    assert export._model_labels(dcgan.generator, dcgan.generator) == (None, None)

    class LabelsWithoutClasses(keras_gans.DCGAN):
        def sample_inputs(self, num_samples, seed=None):
            return self.latent_vectors(num_samples, seed), np.zeros(num_samples, "int32")

    odd = LabelsWithoutClasses(image_shape=(8, 8, 1), latent_dim=4, width=8)
    with pytest.raises(ValueError, match="draws labels but the model has num_classes=None"):
        export._model_labels(odd, odd.generator)


# ------------------------------------------------------- issue 11: safe runs


class InterruptAtEnd(keras.callbacks.Callback):
    """Ctrl-C after fit()'s last checkpoint, before model.keras is saved."""

    def on_train_end(self, logs=None):
        raise KeyboardInterrupt


def test_overwrite_keeps_the_old_run_until_the_new_one_is_saved(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    for name, text in (("model.keras", "old model"), ("run.json", "{}"),
                       ("history.csv", "old"), ("notes.txt", "mine")):
        (out / name).write_text(text)
    # A new run that cannot start (no such data) leaves the old one alone ...
    with pytest.raises(runs.RunError, match="could not load the data set"):
        runs.train(_tiny_preset(), out=out, overwrite=True, data=str(tmp_path / "none"),
                   epochs=1, steps_per_epoch=2, **_quiet())
    assert (out / "model.keras").read_text() == "old model"
    # ... and so does one interrupted before its model was saved.
    with pytest.raises(KeyboardInterrupt):
        runs.train(_tiny_preset(), out=out, overwrite=True, epochs=1,
                   steps_per_epoch=2, callbacks=[InterruptAtEnd()], **_quiet())
    assert (out / "model.keras").read_text() == "old model"
    assert (out / "history.csv").read_text() == "old"
    # A run that finishes replaces it: only a run's own files change.
    result = runs.train(_tiny_preset(), out=out, overwrite=True, epochs=1,
                        steps_per_epoch=2, **_quiet())
    assert result.model_path == str(out / "model.keras")
    assert _iterations(keras.saving.load_model(result.model_path)) == {
        "discriminator": 2, "generator": 2
    }
    assert json.loads((out / "run.json").read_text())["result"]["steps"] == 2
    assert sorted(os.listdir(out)) == [
        "history.csv", "model.keras", "notes.txt", "run.json", "samples"
    ]


def test_run_killed_after_its_last_checkpoint_finishes_on_resume(tmp_path):
    out = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        runs.train(_tiny_preset(), out=out, epochs=1, steps_per_epoch=2,
                   callbacks=[InterruptAtEnd()], **_quiet())
    state = json.loads((out / "checkpoint" / "state.json").read_text())
    assert state["step"] == 2 and not (out / "model.keras").exists()
    result = runs.train(_tiny_preset(), out=out, resume=True, **_quiet())
    assert result.start_step == result.steps == 2 and result.history == {}
    assert _iterations(keras.saving.load_model(str(out / "model.keras"))) == {
        "discriminator": 2, "generator": 2
    }
    assert not (out / "checkpoint").exists()
    # A shorter --epochs than the checkpoint's position is still refused.
    with pytest.raises(KeyboardInterrupt):
        runs.train(_tiny_preset(), out=tmp_path / "b", epochs=2, steps_per_epoch=2,
                   callbacks=[InterruptAtEnd()], **_quiet())
    with pytest.raises(runs.RunError, match="at step 4, past the end of a 1-epoch run"):
        runs.train(_tiny_preset(), out=tmp_path / "b", resume=True, epochs=1, **_quiet())


def test_a_small_data_preset_trains_on_its_first_n_images():
    spec = {"name": "digits", "with_labels": True, "limit": 40}
    batches = list(runs.load_data(spec, (8, 8, 1), batch_size=64, seed=0, shuffle=False))
    assert [int(b[0].shape[0]) for b in batches] == [40]
    x, y = keras_gans.datasets.load_digits(split="train", with_labels=True, shuffle=False)
    np.testing.assert_array_equal(np.asarray(batches[0][1]), y[:40])
    preset = dict(keras_gans.get_preset("dcgan_small_digits"))
    assert preset["dataset"]["limit"] == 360
    bad = dict(preset, dataset=dict(preset["dataset"], limit="all"))
    with pytest.raises(ValueError, match="limit"):
        keras_gans.presets.validate_preset(bad)
