"""Every Keras backend: files cross backends, presets agree, ONNX export.

The suite runs on each backend (make test-tf, test-jax, test-torch); these
tests also start one fresh process of the *next* backend in the cycle
tensorflow -> jax -> torch -> tensorflow (its partner), so that over the
three passes every pair of backends is checked once, in both directions:

- a model trained and saved here loads there and gives the same images
  from the same noise, and a model trained and saved there loads here;
- `from_preset` gives the same images on every backend (each pair once);
- an ONNX export of every family, run by onnxruntime in a fresh process,
  gives the same images as Keras from the same inputs.
"""

import importlib.util
import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_gans
from tests.gan_test_utils import tiny_family

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BACKEND = keras.backend.backend()
_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
OTHERS = [b for b in _MODULES if b != BACKEND and importlib.util.find_spec(_MODULES[b])]
_CYCLE = list(_MODULES)
#: The backend this pass checks against. A pair checked from both sides
#: (A's pass starting B and B's pass starting A) checked each direction
#: twice; the cycle gives each pair to one pass, and the child checks both
#: directions (ours loads there, theirs loads here).
PARTNER = _CYCLE[(_CYCLE.index(BACKEND) + 1) % len(_CYCLE)] if BACKEND in _CYCLE else None
PARTNERS = [PARTNER] if PARTNER else []
#: Float tolerance between backends: the same float32 maths, other kernels.
ATOL = 2e-5
PRESET = "dcgan_digits"

# The other backend's side: load our file, sample our noise, sample the
# preset, train and save a model of its own and sample it.
CHILD = r"""
import json, sys
import numpy as np
import keras, keras_gans
request = json.loads(sys.argv[1])
z = np.load(request["z"])
out = {"backend": keras.backend.backend()}
theirs = keras.saving.load_model(request["ours"], compile=False)
np.save(request["out"] + "_ours.npy", theirs.generate(z=z))
np.save(request["out"] + "_preset.npy",
        keras_gans.from_preset(request["preset"], compile=False).generate(8, seed=0))
keras.utils.set_random_seed(7)
own = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=8, width=4)
own.compile()
x = keras_gans.datasets.load_digits(split="train")[:32]
own.fit(np.asarray(x), batch_size=16, epochs=1, verbose=0)
own.save(request["out"] + "_theirs.keras")
np.save(request["out"] + "_theirs.npy", own.generate(z=z))
print(json.dumps(out))
"""


def _child_env(backend):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3",
               JAX_PLATFORMS="cpu")
    env["PYTHONPATH"] = os.pathsep.join([ROOT] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    return env


@pytest.fixture(scope="module")
def crossed(tmp_path_factory, digits):
    """Our trained model and noise, and what each other backend made of them."""
    folder = tmp_path_factory.mktemp("backends")
    keras.utils.set_random_seed(3)
    ours = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=8, width=4)
    ours.compile()
    ours.fit(digits[0][:32], batch_size=16, epochs=1, verbose=0)
    ours_file = str(folder / "ours.keras")
    ours.save(ours_file)
    z = np.random.default_rng(0).standard_normal((6, 8)).astype("float32")
    np.save(folder / "z.npy", z)
    results = {}
    for backend in [b for b in PARTNERS if b in OTHERS]:
        request = {"z": str(folder / "z.npy"), "ours": ours_file, "preset": PRESET,
                   "out": str(folder / backend)}
        proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(request)],
                              env=_child_env(backend), capture_output=True, text=True,
                              cwd=ROOT)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert json.loads(proc.stdout.strip().splitlines()[-1])["backend"] == backend
        results[backend] = str(folder / backend)
    return {"model": ours, "z": z, "results": results}


def test_other_backends_are_installed_for_the_cross_checks():
    # make test installs all three; a missing one would hide a direction.
    assert len(OTHERS) == 2, f"only {OTHERS} besides {BACKEND} are installed"


def test_the_partners_cover_every_pair_once():
    pairs = {frozenset((b, _CYCLE[(i + 1) % len(_CYCLE)])) for i, b in enumerate(_CYCLE)}
    assert len(pairs) == 3 and BACKEND in _CYCLE and PARTNER != BACKEND


@pytest.mark.parametrize("other", PARTNERS)
def test_a_model_saved_here_samples_the_same_there(crossed, other):
    here = crossed["model"].generate(z=crossed["z"])
    there = np.load(crossed["results"][other] + "_ours.npy")
    assert there.shape == here.shape == (6, 8, 8, 1)
    np.testing.assert_allclose(there, here, atol=ATOL)
    # Not a trivial agreement: the samples differ from one another.
    assert np.std(here, axis=0).max() > 1e-3


@pytest.mark.parametrize("other", PARTNERS)
def test_a_model_saved_there_loads_and_samples_the_same_here(crossed, other):
    prefix = crossed["results"][other]
    loaded = keras.saving.load_model(prefix + "_theirs.keras")
    np.testing.assert_allclose(loaded.generate(z=crossed["z"]),
                               np.load(prefix + "_theirs.npy"), atol=ATOL)
    # Its optimizer state crossed too: training resumes from its step.
    assert int(keras.ops.convert_to_numpy(loaded.g_optimizer.iterations)) == 2


@pytest.mark.parametrize("other", PARTNERS)
def test_from_preset_gives_the_same_images_on_every_backend(crossed, other):
    here = keras_gans.from_preset(PRESET, compile=False).generate(8, seed=0)
    np.testing.assert_allclose(np.load(crossed["results"][other] + "_preset.npy"),
                               here, atol=ATOL)


# ---------------------------------------------------------------- ONNX

# The fresh process: onnxruntime and numpy only, never keras_gans or Keras.
ORT_CHILD = r"""
import json, sys
import numpy as np
import onnxruntime
request = json.loads(sys.argv[1])
report = {}
for name, item in request.items():
    session = onnxruntime.InferenceSession(item["file"], providers=["CPUExecutionProvider"])
    feeds = {"z": np.load(item["z"])}
    if item.get("labels"):
        feeds["labels"] = np.load(item["labels"])
    images = session.run(["images"], feeds)[0]
    np.save(item["out"], images)
    report[name] = {"inputs": [i.name for i in session.get_inputs()],
                    "outputs": [o.name for o in session.get_outputs()]}
report["keras_imported"] = "keras" in sys.modules or "keras_gans" in sys.modules
print(json.dumps(report))
"""

#: Under JAX each export runs a TensorFlow process (the same conversion as
#: on TensorFlow, checked there for every family): two families, one of
#: them conditional, keep that backend's run short.
ONNX_FAMILIES = (["dcgan", "acgan"] if BACKEND == "jax" else keras_gans.list_models())


@pytest.fixture(scope="module")
def onnx_exports(tmp_path_factory):
    pytest.importorskip("onnxruntime")
    from keras_gans.onnx_export import export_onnx

    folder = tmp_path_factory.mktemp("onnx")
    request, expected = {}, {}
    for family in ONNX_FAMILIES:
        model = tiny_family(family)
        z = np.random.default_rng(1).standard_normal((5, model.latent_dim)).astype("float32")
        item = {"z": str(folder / f"{family}_z.npy"), "out": str(folder / f"{family}_out.npy")}
        np.save(item["z"], z)
        labels = None
        if model.num_classes:
            labels = np.arange(5, dtype="int32") % model.num_classes
            item["labels"] = str(folder / f"{family}_labels.npy")
            np.save(item["labels"], labels)
        item["file"] = export_onnx(model, str(folder / family))
        request[family] = item
        expected[family] = model.generate(z=z, labels=labels) if labels is not None else model.generate(z=z)
    proc = subprocess.run([sys.executable, "-c", ORT_CHILD, json.dumps(request)],
                          capture_output=True, text=True, cwd=str(folder))
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    return request, expected, report


@pytest.mark.parametrize("family", ONNX_FAMILIES)
def test_onnx_export_gives_the_keras_images_in_a_fresh_process(onnx_exports, family):
    request, expected, report = onnx_exports
    got = np.load(request[family]["out"])
    assert got.shape == expected[family].shape
    np.testing.assert_allclose(got, expected[family], atol=1e-4)
    wanted = ["z", "labels"] if "labels" in request[family] else ["z"]
    assert report[family] == {"inputs": wanted, "outputs": ["images"]}
    assert report["keras_imported"] is False
    assert os.path.basename(request[family]["file"]) == "generator.onnx"


def test_onnx_export_refuses_an_existing_file_unless_told(tmp_path):
    from keras_gans.onnx_export import export_onnx

    model = keras_gans.get("vanilla_gan", image_shape=(8, 8, 1), latent_dim=4)
    target = tmp_path / "g.onnx"
    target.write_bytes(b"keep me")
    with pytest.raises(FileExistsError, match="overwrite=True"):
        export_onnx(model, str(target))
    assert target.read_bytes() == b"keep me"
    assert export_onnx(model, str(target), overwrite=True) == str(target)
    assert target.read_bytes() != b"keep me"
    # temp-then-rename: nothing but the file is left beside it.
    assert sorted(os.listdir(tmp_path)) == ["g.onnx"]


@keras.saving.register_keras_serializable(package="test_backends")
class Erfinv(keras.layers.Layer):
    """A layer no ONNX converter here can express (erfinv), importable by
    the TensorFlow process an ONNX export on JAX runs in."""

    def call(self, t):
        return keras.ops.reshape(keras.ops.erfinv(keras.ops.tanh(t) * 0.5), (-1, 8, 8, 1))


def test_onnx_export_of_an_unexportable_generator_names_the_op(tmp_path):
    from keras_gans.onnx_export import export_onnx

    z = keras.Input((4,))
    generator = keras.Model(z, Erfinv()(keras.layers.Dense(8 * 8)(z)))
    with pytest.raises(ValueError, match="cannot be exported to ONNX") as info:
        export_onnx(generator, str(tmp_path / "g.onnx"))
    assert "erfinv" in str(info.value).lower()
    assert not os.listdir(tmp_path)


def test_cli_exports_onnx_and_refuses_to_replace_it_without_overwrite(tmp_path, capsys):
    from keras_gans import cli

    model = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=8, width=4)
    model.generate(2)
    model_file = str(tmp_path / "m.keras")
    model.save(model_file)
    target = tmp_path / "served"
    assert cli.main(["export", model_file, str(target), "--format", "onnx"]) == 0
    written = target / "generator.onnx"
    assert written.is_file() and written.stat().st_size > 1000
    assert str(written) in capsys.readouterr().out
    before = written.read_bytes()
    assert cli.main(["export", model_file, str(target), "--format", "onnx"]) == 1
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith("keras-gans: error: ")
    assert "already exists" in err[0] and "--overwrite" in err[0]
    assert written.read_bytes() == before
    assert cli.main(["export", model_file, str(target), "--format", "onnx",
                     "--overwrite"]) == 0


def test_cli_names_the_formats_for_an_unknown_format(tmp_path, capsys):
    from keras_gans import cli

    with pytest.raises(SystemExit) as info:
        cli.main(["export", "m.keras", str(tmp_path), "--format", "tflite"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'tflite'" in err and "'savedmodel', 'onnx'" in err
