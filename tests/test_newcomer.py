"""A newcomer's first hour (issue 20): the CLI forgives typos and answers
them fast, says what ships trained, lines class grids up, loads a damaged
file with one clear line, keeps TensorFlow's start-up noise out, and the
README's drifting facts come from the records."""

import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import pytest

import keras_gans
from keras_gans import cli, names

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _env():
    return dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))


def _error(capsys, argv):
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert code == 1, captured
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("keras-gans: error: "), captured.err
    return lines[0]


def _readme():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        return f.read()


# ------------------------------------------------------------ 1. typos


def test_resolve_reads_a_path_first_then_a_name_then_names_close_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert names.resolve("DCGAN-Digits") == ("preset", "dcgan_digits")
    assert names.resolve("dcgan", kinds=("preset", "family")) == ("family", "dcgan")
    (tmp_path / "dcgan_digits").mkdir()  # a run folder named like its preset
    assert names.resolve("dcgan_digits") == ("path", "dcgan_digits")
    assert names.resolve("dcgan_digits", is_path=os.path.isfile) == ("preset", "dcgan_digits")
    with pytest.raises(names.NameNotFound) as raised:
        names.resolve("dcgan_mnsit")
    message = str(raised.value)
    assert "\n" not in message
    assert str(tmp_path / "dcgan_mnsit") in message  # the path reading
    assert "nor a preset name" in message             # the name reading
    assert raised.value.close[:2] == ["dcgan_mnist", "dcgan_mnist_cpu"]
    assert "dcgan_mnist, dcgan_mnist_cpu" in message
    assert "Known presets" not in message  # close names, not all 36


@pytest.mark.parametrize("argv", [
    ["sample", "dcgan_mnsit", "--out", "u.png"],
    ["export", "dcgan_mnsit", "exported"],
    ["evaluate", "dcgan_mnsit"],
    ["info", "dcgan_mnsit"],
    ["train", "dcgan_mnsit"],
])
def test_every_command_answers_a_typo_with_both_readings_and_close_names(
        argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    line = _error(capsys, argv)
    assert "'dcgan_mnsit' is neither a" in line
    assert str(tmp_path / "dcgan_mnsit") in line
    assert "close names: dcgan_mnist, dcgan_mnist_cpu" in line
    assert os.listdir(tmp_path) == []  # nothing written


def test_train_and_info_are_not_hidden_by_a_run_folder_of_the_same_name(
        tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dcgan_digits").mkdir()
    assert cli.main(["info", "dcgan_digits"]) == 0
    assert '"name": "dcgan_digits"' in capsys.readouterr().out


# ------------------------------------------------------------ 2. fast answers


@pytest.mark.parametrize("args", [["info", "foo"], ["info", "dcgan_mnsit"],
                                  ["list", "dcgna*"],
                                  ["sample", "dcgan_mnsit", "--out", "x.png"]])
def test_unknown_names_are_answered_without_starting_tensorflow(args, tmp_path):
    code = (
        "import sys, time\n"
        "began = time.perf_counter()\n"
        "from keras_gans.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "print('MODULES', 'tensorflow' in sys.modules, 'keras' in sys.modules, status,"
        " round(time.perf_counter() - began, 3))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code] + args, env=_env(), cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert "MODULES False False 1" in proc.stdout, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keras-gans: error: "), proc.stderr
    assert ("close names:" in lines[0]) == (args[1] != "foo")
    assert not (tmp_path / "x.png").exists()


def test_cli_startup_benchmark_times_unknown_names():
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    try:
        import cli_startup
    finally:
        sys.path.pop(0)
    assert ["info", "foo"] in [list(c) for c in cli_startup.COMMANDS]
    assert any(c[0] == "sample" for c in cli_startup.COMMANDS)


# ------------------------------------------------------------ 3. what ships trained


def test_list_marks_presets_with_weights_and_filters_them(capsys):
    weighted = [n for n in keras_gans.list_presets() if keras_gans.get_preset(n).get("weights")]
    bare = [n for n in keras_gans.list_presets() if n not in weighted]
    assert weighted and bare
    assert cli.main(["list"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()
            if line.startswith("  ")}
    assert all(rows[n].rstrip().endswith("trained") for n in weighted)
    assert not any(rows[n].rstrip().endswith("trained") for n in bare)
    assert cli.main(["list", "--pretrained"]) == 0
    out = capsys.readouterr().out
    shown = [line.split()[0] for line in out.splitlines() if line.startswith("  ")]
    assert shown == sorted(weighted)
    assert cli.main(["list", "*_mnist_cpu", "--pretrained"]) == 0
    shown = [line.split()[0] for line in capsys.readouterr().out.splitlines()
             if line.startswith("  ")]
    assert shown == [n for n in sorted(weighted) if n.endswith("_mnist_cpu")]
    assert "ships trained weights" in _error(
        capsys, ["list", "dcgan_mnist", "--pretrained"])
    assert "close names: dcgan" in _error(capsys, ["list", "dcgna", "--pretrained"])


def test_a_preset_without_weights_points_to_close_ones_with_weights(tmp_path):
    code = ("import sys\nfrom keras_gans.cli import main\nstatus = main(sys.argv[1:])\n"
            "print('MODULES', 'tensorflow' in sys.modules, status)\n")
    proc = subprocess.run([sys.executable, "-c", code, "sample", "dcgan_mnist", "--out",
                           "g.png"], env=_env(), cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert "MODULES False 1" in proc.stdout, proc.stdout + proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "'dcgan_mnist' ships no trained weights" in line
    assert "close ones that do: dcgan_mnist_cpu" in line
    assert "keras-gans list --pretrained" in line and "keras-gans train dcgan_mnist" in line
    assert not (tmp_path / "g.png").exists()


def test_readme_says_which_presets_ship_weights_from_the_records():
    text = _readme()
    block = text.split("<!-- zoo-facts:start -->", 1)[1].split("<!-- zoo-facts:end -->")[0]
    weighted = [n for n in keras_gans.list_presets() if keras_gans.get_preset(n).get("weights")]
    assert f"{len(weighted)} of the {len(keras_gans.list_presets())} presets ship" in block
    for name in weighted:
        if not name.endswith("_digits"):
            assert f"`{name}`" in block, name
    assert "every `*_digits` preset" in block
    assert "Presets with trained weights (every `*_digits` preset)" not in text


# ------------------------------------------------------------ 4. class grids


@pytest.fixture(scope="module")
def conditional():
    return keras_gans.from_preset("conditional_gan_digits", compile=False)


def _capture_grid(monkeypatch):
    seen = {}

    def fake_save_grid(images, path, ncols=None, **kwargs):
        seen.update(images=np.asarray(images), ncols=ncols, path=path)
        with open(path, "wb") as f:
            f.write(b"png")
        return path

    monkeypatch.setattr(keras_gans.images, "save_grid", fake_save_grid)
    return seen


def test_labels_put_each_class_in_its_column(monkeypatch, tmp_path, capsys):
    seen = _capture_grid(monkeypatch)
    out = str(tmp_path / "g.png")
    assert cli.main(["sample", "conditional_gan_digits", "--labels", "0", "1", "2", "3",
                     "--num", "12", "--out", out]) == 0
    assert seen["ncols"] == 4 and len(seen["images"]) == 12
    assert cli.main(["sample", "conditional_gan_digits", "--labels", "0,1,2", "--cols", "6",
                     "--num", "12", "--out", out, "--overwrite"]) == 0
    assert seen["ncols"] == 6


def test_per_class_writes_one_row_per_class_sharing_the_noise(
        conditional, monkeypatch, tmp_path, capsys):
    z, labels = cli.per_class_inputs(conditional, [0, 1, 2], per_class=4, seed=0)
    assert labels.tolist() == [0] * 4 + [1] * 4 + [2] * 4
    np.testing.assert_array_equal(z[:4], z[4:8])  # a column keeps its noise
    assert len({tuple(row) for row in z[:4]}) == 4

    seen = _capture_grid(monkeypatch)
    out = str(tmp_path / "g.png")
    assert cli.main(["sample", "conditional_gan_digits", "--per-class", "--out", out]) == 0
    assert seen["ncols"] == cli.PER_CLASS_DEFAULT
    assert len(seen["images"]) == conditional.num_classes * cli.PER_CLASS_DEFAULT
    assert "10 rows" in capsys.readouterr().out
    assert cli.main(["sample", "conditional_gan_digits", "--per-class", "--labels", "3", "7",
                     "--cols", "5", "--out", out, "--overwrite"]) == 0
    assert seen["ncols"] == 5 and len(seen["images"]) == 10
    assert "exclude each other" in _error(
        capsys, ["sample", "conditional_gan_digits", "--per-class", "--num", "8",
                 "--out", str(tmp_path / "h.png")])
    assert "not class-conditional" in _error(
        capsys, ["sample", "dcgan_digits", "--per-class", "--out", str(tmp_path / "h.png")])
    assert not (tmp_path / "h.png").exists()


# ------------------------------------------------------------ 5. KID and stds


def test_kid_of_a_case_computed_by_hand():
    """x = {0, 1}, y = {1, 2} in 1-d, kernel (a*b + 1)^3: the within-set
    off-diagonal terms are 1 and 27, the cross terms 1, 1, 8, 27 (mean
    9.25), so MMD^2 = 1 + 27 - 2 * 9.25 = 9.5. Every subset of 2 is the
    whole set, so the std over subsets is 0."""
    from keras_gans.evaluation.kid import kid_from_features

    mean, std = kid_from_features([[0.0], [1.0]], [[1.0], [2.0]], num_subsets=3,
                                  subset_size=2)
    assert mean == pytest.approx(9.5) and std == pytest.approx(0.0)


def test_kid_std_is_the_population_std_of_the_subset_estimates():
    from keras_gans.evaluation.kid import _polynomial_mmd2, kid_from_features

    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(40, 3)), rng.normal(0.5, size=(30, 3))
    mean, std = kid_from_features(x, y, num_subsets=7, subset_size=10, seed=5)
    draw = np.random.default_rng(5)
    values = []
    for _ in range(7):
        xs = x[draw.choice(40, 10, replace=False)]
        ys = y[draw.choice(30, 10, replace=False)]
        values.append(_polynomial_mmd2(xs, ys))
    assert mean == pytest.approx(np.mean(values))
    assert std == pytest.approx(np.std(values))  # ddof 0, as documented


def test_inception_score_std_is_over_its_splits_and_absent_for_one():
    from keras_gans.evaluation import metrics
    from keras_gans.evaluation.inception_score import inception_score_from_probs

    # First split: confident and even over 2 classes (IS 2); second:
    # identical predictions (IS 1). Mean 1.5, population std 0.5.
    probs = np.array([[1, 0], [0, 1], [0.5, 0.5], [0.5, 0.5]], dtype="float64")
    assert inception_score_from_probs(probs, splits=2) == pytest.approx((1.5, 0.5))

    class Classifier:
        def __call__(self, images):
            return np.asarray(images).reshape(len(images), -1)

        def predict_proba(self, images):
            return np.tile([0.5, 0.5], (len(images), 1))

    images = np.zeros((20, 2, 2, 1), dtype="float32")
    clf = Classifier()
    for splits, expected_std in ((1, None), (2, 0.0)):
        real = metrics.summarize(images, clf)
        fake = metrics.summarize(images, clf, clf, 10, None, 100, splits)
        out = metrics.metrics_from_summaries(real, fake, "toy", "toy", metrics=("is",))
        assert out["is_toy_splits"] == splits
        assert out["is_toy_std"] == expected_std


def test_docs_say_what_kid_range_to_expect():
    with open(os.path.join(ROOT, "docs", "evaluation.md"), encoding="utf-8") as f:
        text = " ".join(f.read().split())
    assert "KID: the range to expect" in text
    assert "x10^3" in text and "not" in text
    for tag in ("digits", "mnist_cnn", "fashion_mnist_cnn"):
        assert f"`{tag}`" in text


# ------------------------------------------------------------ 6. load_model


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("saved")
    path = str(folder / "m.keras")
    keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4).save(path)
    return path


def test_load_model_opens_a_file_and_a_run_folder(saved, tmp_path):
    model = keras_gans.load_model(saved)
    assert type(model).__name__ == "DCGAN"
    run = tmp_path / "run"
    run.mkdir()
    with open(saved, "rb") as f:
        (run / "model.keras").write_bytes(f.read())
    assert keras_gans.load_model(str(run), compile=False).latent_dim == 4
    assert type(keras_gans.load_model(saved, family="dcgan")).__name__ == "DCGAN"


@pytest.mark.parametrize("damage", ["empty", "truncated", "not_zip", "no_config"])
def test_load_model_names_path_and_size_of_a_damaged_file(saved, tmp_path, damage):
    import zipfile

    from keras_gans.loading import ModelFileError

    data = open(saved, "rb").read()
    bad = tmp_path / "bad.keras"
    if damage == "empty":
        bad.write_bytes(b"")
    elif damage == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "not_zip":
        bad.write_bytes(b"hello, I am text" * 10)
    else:
        with zipfile.ZipFile(bad, "w") as archive:
            archive.writestr("notes.txt", "no model here")
    size = os.path.getsize(bad)
    with pytest.raises(ModelFileError) as raised:
        keras_gans.load_model(str(bad))
    message = str(raised.value)
    assert str(bad) in message and f"({size:,} bytes)" in message
    assert "File not found" not in message and "\n" not in message
    expected = {"empty": "empty", "truncated": "truncated or corrupt",
                "not_zip": "truncated or corrupt", "no_config": "not a Keras model"}
    assert expected[damage] in message
    assert os.path.getsize(bad) == size  # nothing touched


def test_load_model_refuses_another_family_and_a_plain_keras_model(saved, tmp_path):
    import keras

    from keras_gans.loading import ModelFileError

    with pytest.raises(ModelFileError, match=r"holds a DCGAN model, not the 'wgan_gp' family"):
        keras_gans.load_model(saved, family="wgan_gp")
    plain = str(tmp_path / "plain.keras")
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)]).save(plain)
    with pytest.raises(ModelFileError, match=r"holds a .*Sequential, not a keras_gans GAN"):
        keras_gans.load_model(plain)


def test_load_model_names_a_class_this_installation_does_not_know(saved, tmp_path):
    import zipfile

    from keras_gans.loading import ModelFileError

    other = tmp_path / "other.keras"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(other, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "config.json":
                config = json.loads(data)
                config.update(module="my_pkg.models", class_name="NoSuchGAN",
                              registered_name="my_pkg>NoSuchGAN")
                data = json.dumps(config)
            out.writestr(item, data)
    with pytest.raises(ModelFileError, match=r"holds a my_pkg\.models\.NoSuchGAN, a class "
                       r"this installation does not know"):
        keras_gans.load_model(str(other))


def test_cli_reports_a_plain_keras_model_in_one_line(tmp_path, capsys):
    import keras

    plain = str(tmp_path / "plain.keras")
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)]).save(plain)
    line = _error(capsys, ["sample", plain, "--out", str(tmp_path / "g.png")])
    assert "not a keras_gans GAN" in line and plain in line
    assert not (tmp_path / "g.png").exists()


def test_readme_shows_the_public_loader():
    assert "keras_gans.load_model(" in _readme()
    assert "load_model" in keras_gans.__all__


# ------------------------------------------------------------ 7. quiet start-up


def test_quiet_filter_drops_start_up_lines_and_keeps_messages():
    from keras_gans.quiet import is_chatter

    assert is_chatter("WARNING: All log messages before absl::InitializeLog() is called")
    assert is_chatter("I0000 00:00:1 1 cudart_stub.cc:31] Could not find cuda drivers")
    assert is_chatter("E0000 00:00:1 7 cuda_platform.cc:52] failed call to cuInit: x")
    assert is_chatter("E0000 00:00:1 7 meta_optimizer.cc:967] remapper failed: INVALID_ARGUMENT")
    assert not is_chatter("E0000 00:00:1 7 meta_optimizer.cc:1] constant folding failed")
    assert not is_chatter("Traceback (most recent call last):")
    assert not is_chatter("UserWarning: the discriminator ends in a sigmoid")


def test_quiet_startup_filters_native_stderr_in_a_child(tmp_path):
    code = (
        "import os\n"
        "from keras_gans.quiet import QuietStartup\n"
        "with QuietStartup():\n"
        "    os.write(2, b'I0000 00:00:1 1 cudart_stub.cc:31] Could not find cuda drivers\\n')\n"
        "    os.write(2, b'E0000 00:00:1 7 cuda_platform.cc:52] failed call to cuInit: x\\n')\n"
        "    os.write(2, b'a real message\\n')\n"
        "    print(os.environ['TF_CPP_MIN_LOG_LEVEL'])\n"
    )
    env = _env()
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.stderr == "a real message\n"
    assert proc.stdout.strip() == "1"


def test_wheel_builds_without_the_package_warning_and_holds_the_zoo(tmp_path):
    """setuptools warned "Package 'keras_gans.zoo.weights' is absent from the
    `packages` configuration" (40 lines at install); the wheel must still
    hold every preset file and every shipped weights file."""
    import shutil
    import zipfile

    pytest.importorskip("setuptools")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(os.path.join(ROOT, name), source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("keras_gans", "zoo"):
        shutil.copytree(os.path.join(ROOT, name), source / name, ignore=ignore)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    output = proc.stdout + proc.stderr
    assert "is absent from the `packages` configuration" not in output
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    members = zipfile.ZipFile(wheel).namelist()
    for name in keras_gans.list_presets():
        assert any(m.startswith("keras_gans/zoo/") and m.endswith(f"/{name}.json")
                   for m in members), name
        preset = keras_gans.get_preset(name)
        if preset.get("weights"):
            stored = os.path.basename(preset["weights"]["file"])
            assert any(m.startswith("keras_gans/zoo/") and m.endswith("/" + stored)
                       for m in members), stored
    assert "keras_gans/loading.py" in members


# ------------------------------------------------------------ 8. the demo


def _demo():
    import importlib.util

    spec = importlib.util.spec_from_file_location("demo_under_test",
                                                  os.path.join(ROOT, "examples", "demo.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_trains_the_best_measured_recipe_within_its_budget():
    demo = _demo()
    candidates = {}
    for name in keras_gans.list_presets("*_digits"):
        preset = keras_gans.get_preset(name)
        latest = (preset.get("results") or [{}])[-1].get("metrics", {})
        seconds, fid = latest.get("train_seconds"), latest.get("fid1k_digits")
        if seconds is not None and fid is not None and seconds <= demo.DEMO_BUDGET_SECONDS:
            candidates[name] = fid
    assert demo.DEMO_PRESET == min(candidates, key=candidates.get), candidates
    assert demo.DEMO_PRESET in _readme()


def test_demo_verdict_reads_fid_against_floor_and_curve_health():
    demo = _demo()
    good = demo.verdict(7.1, 4.79, 6.57, None, [])
    assert good.startswith("verdict: good: FID 7.1 against a real-data floor of 4.79")
    assert "curves healthy" in good and "6.57" in good and "\n" not in good
    bad = demo.verdict(7.1, 4.79, None, "d_loss is nan at epoch 3", [])
    assert bad.startswith("verdict: poor") and "d_loss is nan" in bad
    collapsed = demo.verdict(60.0, 4.79, 6.57, None, ["sample diversity 0.1 is below 0.5"])
    assert "poor" in collapsed and "curves unhealthy: sample diversity" in collapsed


# ------------------------------------------------------------ 9. README facts


def test_readme_cpu_twin_train_times_are_the_records_range():
    block = _readme().split("<!-- zoo-facts:start -->", 1)[1].split("<!-- zoo-facts:end -->")[0]
    seconds = []
    for name in keras_gans.list_presets("*_cpu"):
        if name[: -len("_cpu")] in keras_gans.list_presets() and (
                keras_gans.get_preset(name)["results"]):  # measured twins only
            seconds.append(keras_gans.get_preset(name)["results"][-1]["metrics"]["train_seconds"])
    assert f"{min(seconds) / 60:.1f} to {max(seconds) / 60:.1f} minutes" in block
    assert "about 10 minutes" not in _readme()


def test_readme_speed_claim_states_the_recorded_load():
    text = " ".join(_readme().split())
    found = re.search(r"load average of ([\d.]+) to ([\d.]+) during the timings.*?"
                      r"measured ([\d.]+) ms in `fit\(\)`", text)
    assert found, "the README's speed sentence names its load range"
    low, high, ms = map(float, found.groups())
    records = [json.loads(line) for line in open(
        os.path.join(ROOT, "benchmarks", "results.jsonl"), encoding="utf-8")]
    match = [r for r in records if r.get("variant") == "keras_gans fit()"
             and round(1e3 * r["seconds_per_step"], 1) == ms]
    assert match, ms
    assert (match[-1]["load_min"], match[-1]["load_max"]) == (low, high)
    assert "2 quiet cores" not in text
    assert "well under a second" not in text
