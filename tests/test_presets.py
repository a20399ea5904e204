"""Presets: the zoo/ files build, count right, train a step, install with a wheel."""

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import zipfile

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans import datasets, presets, registry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZOO = os.path.join(ROOT, "zoo")
# zoo/<family>/<preset>.json, relative to zoo/ (sidecars left out).
PRESET_FILES = sorted(os.path.relpath(p, ZOO).replace(os.sep, "/")
                      for p in registry.recipe_files(ZOO))


def _read(filename):
    """The preset of a recipe file, its sidecar's records merged in."""
    return registry.read_preset_files(os.path.join(ZOO, filename))


def _name(filename):
    return os.path.basename(filename)[:-5]


def test_zoo_folder_is_what_the_package_reads():
    assert registry.preset_dir() == ZOO
    assert keras_gans.list_presets() == sorted(_name(f) for f in PRESET_FILES)


@pytest.mark.parametrize("filename", PRESET_FILES)
def test_preset_file_is_valid_and_its_family_exists(filename):
    preset = registry.validate_preset(_read(filename), filename)
    assert preset["name"] == _name(filename)
    assert filename.split("/")[0] == preset["family"]
    # Names are <family>_<dataset>, or <recipe>_<dataset> for a named recipe
    # built from a family's parts (lsgan_digits: the dcgan family, the
    # least-squares loss).
    prefix = preset.get("recipe", preset["family"])
    assert preset["name"].startswith(prefix + "_"), (preset["name"], prefix)
    # Every family a preset names must exist in the package.
    assert preset["family"] in keras_gans.list_models(), (
        f"{filename} names the family {preset['family']!r}, which is not "
        f"registered; registered: {keras_gans.list_models()}"
    )
    for result in preset["results"]:
        assert result["metrics"] and result["command"] and result["commit"]


def test_every_family_has_a_digits_preset():
    missing = [
        f for f in keras_gans.list_models()
        if f"{f}_digits" not in keras_gans.list_presets()
    ]
    assert not missing, (
        f"families without a zoo/<family>/<family>_digits.json preset: {missing}; copy a "
        "digits preset, adapt it, then run python tools/preset_params.py --write, "
        "python tools/presets_table.py --write and python tools/family_pages.py --write"
    )


REGISTERED = [
    _name(f) for f in PRESET_FILES if _read(f)["family"] in keras_gans.list_models()
]


def _fit_groups():
    """One preset per distinct (family, architecture, optimizers, loss, labels).

    Presets that differ only in their data set (dcgan_mnist and
    dcgan_fashion_mnist, say) build the same model; one of them trains.
    """
    groups = {}
    for name in REGISTERED:
        preset = keras_gans.get_preset(name)
        key = json.dumps(
            [preset["family"], preset["architecture"], preset["training"]["optimizers"],
             preset["training"]["loss"], preset["training"].get("compile_args"),
             preset["dataset"]["with_labels"]],
            sort_keys=True,
        )
        groups.setdefault(key, name)
    return set(groups.values())


FIT_GROUPS = _fit_groups()


def _backend_fit_groups():
    """The presets whose step trains in this backend's pass.

    TensorFlow, the primary backend, trains every distinct recipe
    (`FIT_GROUPS`). JAX and torch train one per (family, loss, compile()
    parts, labels, EMA): the smallest such preset. Presets in one of those
    groups differ in sizes and optimizer settings, not in the code that
    runs, and each backend's compile time is the suite's largest cost
    (JAX compiles every distinct model's step anew).
    """
    if keras.backend.backend() == "tensorflow":
        return FIT_GROUPS
    coarse = {}
    for name in sorted(FIT_GROUPS):
        preset = keras_gans.get_preset(name)
        key = json.dumps(
            [preset["family"], preset["training"]["loss"],
             preset["training"].get("compile_args"), preset["dataset"]["with_labels"],
             bool(preset["architecture"].get("ema_decay"))],
            sort_keys=True,
        )
        coarse.setdefault(key, []).append((preset["param_count"], name))
    return {min(members)[1] for members in coarse.values()}


BACKEND_FIT_GROUPS = _backend_fit_groups()


def _build_representatives():
    """{preset: the first preset with the same family, architecture and
    compile() parts (a stateful augmentation or regularizer adds variables)}."""
    first, same = {}, {}
    for name in REGISTERED:
        preset = keras_gans.get_preset(name)
        key = json.dumps([preset["family"], preset["architecture"],
                          preset["training"].get("compile_args")], sort_keys=True)
        same[name] = first.setdefault(key, name)
    return same


SAME_MODEL = _build_representatives()


@pytest.mark.parametrize("name", REGISTERED)
def test_preset_builds_counts_and_trains_a_step(name):
    preset = keras_gans.get_preset(name)
    if SAME_MODEL[name] != name and name not in FIT_GROUPS:
        # The same family and architecture as another preset (e.g. MNIST and
        # Fashion-MNIST), which is built below: same model, same count.
        twin = keras_gans.get_preset(SAME_MODEL[name])
        assert preset["param_count"] == twin["param_count"]
        for config in preset["training"]["optimizers"].values():
            assert isinstance(keras.optimizers.get(config), keras.optimizers.Optimizer)
        return
    model = keras_gans.from_preset(name)
    assert model.compiled
    assert preset["param_count"] == presets.count_model_params(model), (
        f"{name}: the file records {preset['param_count']} parameters; run "
        "python tools/preset_params.py --write"
    )
    assert list(model.image_shape) == preset["architecture"]["image_shape"]
    if name not in BACKEND_FIT_GROUPS:
        return  # the same model and recipe as another preset's, which trains
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (2,) + model.image_shape).astype("float32")
    if preset["dataset"]["with_labels"]:
        y = np.array([0, 1], dtype="int32")
        data = datasets.load((x, y), batch_size=2, with_labels=True)
    else:
        data = datasets.load(x, batch_size=2)
    history = model.fit(data, epochs=1, verbose=0, shuffle=False)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    steps = {
        role: int(keras.ops.convert_to_numpy(optimizer.iterations))
        for role, optimizer in model.optimizer.optimizers.items()
    }
    # One fit() step: one generator update; every other network moved too
    # (a critic may take several updates per step).
    assert steps["generator"] == 1 and min(steps.values()) >= 1, steps


def test_docs_presets_table_is_up_to_date():
    spec = importlib.util.spec_from_file_location(
        "presets_table", os.path.join(ROOT, "tools", "presets_table.py")
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    with open(os.path.join(ROOT, "docs", "presets.md"), encoding="utf-8") as f:
        assert f.read() == tool.document(), (
            "docs/presets.md is stale: run python tools/presets_table.py --write"
        )
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    assert readme == tool.readme(readme), (
        "README.md's preset table is stale: run python tools/presets_table.py --write"
    )
    table = tool.markdown_table(tool.load_presets())
    for filename in PRESET_FILES:
        assert f"`{_name(filename)}`" in table


def _fresh_venv(path):
    """A new virtual environment that sees this one's installed packages.

    `--without-pip` and a `.pth` file pointing at the running interpreter's
    site-packages keep it offline and fast: nothing is downloaded, TensorFlow
    is not installed again. The venv's own site-packages comes first, so the
    wheel's keras_gans is the one imported.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = os.path.join(path, "bin", "python")
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    with open(os.path.join(purelib, "_outer_env.pth"), "w") as f:
        for key in ("purelib", "platlib"):
            f.write(sysconfig.get_paths()[key] + "\n")
    return python


def _build_wheel(out):
    command = [sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", str(out)]
    if importlib.util.find_spec("setuptools") is not None:
        command.insert(5, "--no-build-isolation")  # offline: use installed setuptools
    subprocess.run(command, check=True, capture_output=True)
    (wheel,) = [f for f in os.listdir(out) if f.endswith(".whl")]
    return os.path.join(out, wheel)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return _build_wheel(tmp_path_factory.mktemp("dist"))


def test_wheel_holds_every_module_and_preset(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {
        os.path.relpath(os.path.join(folder, f), ROOT).replace(os.sep, "/")
        for folder, _, files in os.walk(os.path.join(ROOT, "keras_gans"))
        for f in files
        if f.endswith(".py")
    }
    # The zoo package is the top-level zoo/ folder, not its source placeholder.
    modules.discard("keras_gans/zoo/__init__.py")
    assert modules <= names, sorted(modules - names)
    assert {f"keras_gans/zoo/{f}" for f in PRESET_FILES} <= names
    sidecars = {f"keras_gans/zoo/{f[:-5]}.results.json" for f in PRESET_FILES
                if os.path.isfile(os.path.join(ZOO, f[:-5] + ".results.json"))}
    assert sidecars and sidecars <= names, sorted(sidecars - names)
    shipped = {
        f"keras_gans/zoo/{os.path.dirname(f)}/{_read(f)['weights']['file']}"
        for f in PRESET_FILES if _read(f).get("weights")
    }
    assert shipped <= names, sorted(shipped - names)
    entry_points = [n for n in names if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry_points[0]).decode()
    assert "keras-gans = keras_gans.cli:main" in text


def test_wheel_lists_and_loads_presets_in_a_fresh_venv(wheel, tmp_path):
    python = _fresh_venv(tmp_path / "venv")
    subprocess.run(
        # --ignore-installed: the outer environment (seen through the .pth)
        # may hold an editable keras-gans, which pip would otherwise take as
        # "already satisfied" and install nothing, not even the console script.
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps",
         "--no-index", "--ignore-installed", "-q", wheel],
        check=True, capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    script = (
        "import json, keras_gans\n"
        "model = keras_gans.from_preset('dcgan_digits')\n"
        "print(json.dumps({'file': keras_gans.__file__,\n"
        "  'presets': keras_gans.list_presets(),\n"
        "  'dir': keras_gans.registry.preset_dir(),\n"
        "  'compiled': bool(model.compiled),\n"
        "  'weights': keras_gans.presets.weights_path('dcgan_digits'),\n"
        "  'params': keras_gans.presets.count_model_params(model)}))\n"
    )
    console = os.path.join(os.path.dirname(python), "keras-gans")
    procs = [
        subprocess.Popen([python, "-c", script], cwd=elsewhere, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        subprocess.Popen([console, "list", "*_digits"], cwd=elsewhere, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        # Samples from the shipped weights right after pip install.
        subprocess.Popen([console, "sample", "dcgan_digits", "--num", "16",
                          "--out", "grid.png"], cwd=elsewhere, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
    ]
    (out, err), (listing, list_err), (_, sample_err) = [
        p.communicate(timeout=300) for p in procs
    ]
    assert procs[0].returncode == 0, err
    assert procs[1].returncode == 0, list_err
    assert procs[2].returncode == 0, sample_err
    assert (elsewhere / "grid.png").stat().st_size > 0
    report = json.loads(out.strip().splitlines()[-1])
    venv = str(tmp_path / "venv")
    assert report["file"].startswith(venv), report["file"]
    assert report["dir"].startswith(venv) and report["dir"].endswith(
        os.path.join("keras_gans", "zoo")
    )
    assert report["presets"] == keras_gans.list_presets()
    assert report["compiled"]
    assert report["weights"].startswith(venv) and os.path.isfile(report["weights"])
    assert "ships no trained weights" not in err  # loaded, not untrained
    assert report["params"] == keras_gans.get_preset("dcgan_digits")["param_count"]
    assert "dcgan_digits" in listing and "vanilla_gan_digits" in listing
    assert "dcgan_mnist" not in listing  # the pattern applies
