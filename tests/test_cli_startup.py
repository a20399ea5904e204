"""The command starts fast (issue 11): --help, list and info import no
TensorFlow; built-in families are listed from a static table that matches
the registry; TensorFlow's start-up chatter stays out of the output; the
evaluate table shows KID x10^3 with its protocol."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.backend_independent  # conftest.py: TensorFlow pass only

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _probe(args):
    code = (
        "import sys\n"
        "from keras_gans.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('MODULES', 'tensorflow' in sys.modules, 'keras' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code] + args, env=env,
                          capture_output=True, text=True, timeout=120)
    return proc


@pytest.mark.parametrize("args", [["--help"], ["list"], ["info", "dcgan"],
                                  ["info", "dcgan_digits"], ["list", "wgan*"]])
def test_light_commands_do_not_import_tensorflow(args):
    proc = _probe(args)
    assert "MODULES False False" in proc.stdout, proc.stdout + proc.stderr
    assert proc.stderr == ""


def test_list_shows_every_builtin_family_without_importing_them():
    proc = _probe(["list"])
    for name in ("acgan", "conditional_gan", "dcgan", "vae_gan", "vanilla_gan", "wgan_gp"):
        assert f"  {name} " in proc.stdout


def test_static_family_table_matches_the_registry():
    import keras_gans
    from keras_gans import registry

    registered = {
        name: (keras_gans.get_class(name).__module__, keras_gans.get_class(name).__name__)
        for name in keras_gans.list_models()
    }
    assert {k: registered[k] for k in registry.BUILTIN_FAMILIES} == registry.BUILTIN_FAMILIES
    assert set(registered) == set(registry.BUILTIN_FAMILIES)
    for name in registry.BUILTIN_FAMILIES:
        import inspect

        assert registry.builtin_docstring(name) == inspect.cleandoc(
            keras_gans.get_class(name).__doc__)


def test_import_keras_gans_then_load_model_still_finds_the_zoo(tmp_path):
    """Lazy import must not break `import keras_gans; keras.saving.load_model`."""
    import keras_gans

    path = str(tmp_path / "m.keras")
    keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4).save(path)
    code = ("import keras_gans, sys\nassert 'keras' not in sys.modules\nimport keras\n"
            f"print(type(keras.saving.load_model({path!r})).__name__)")
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.stdout.strip().endswith("DCGAN"), proc.stderr[-2000:]


def test_tensorflow_chatter_is_filtered_and_the_rest_kept():
    from keras_gans.cli import _is_chatter

    assert _is_chatter("I0000 00:00:1 12 cudart_stub.cc:31] Could not find cuda drivers")
    assert _is_chatter("E0000 00:00:1 7 cuda_platform.cc:52] failed call to cuInit: "
                       "INTERNAL: CUDA error")
    assert _is_chatter("WARNING: All log messages before absl::InitializeLog() is called")
    assert not _is_chatter("keras-gans: error: no model file at 'x.keras'.")
    assert not _is_chatter("E0000 00:00:1 7 something.cc:1] a real failure")


def test_evaluate_table_reports_kid_as_measured_with_its_subsets():
    """Issue 20: KID in the zoo's classifier features is not on the x10^3
    scale papers use for Inception features; it is printed as measured,
    with the subsets its mean and std come from."""
    from keras_gans.cli import results_table

    table = results_table({
        "fid_digits": 1.5, "kid_digits": 26.4, "kid_digits_std": 48.0,
        "kid_digits_subsets": 100, "kid_digits_subset_size": 360,
        "kid_protocol_digits": "unbiased MMD^2 ... 100 subsets of 360",
        "is_digits": 8.1, "is_digits_std": None, "is_digits_splits": 1,
        "num_real": 200,
    })
    lines = table.splitlines()
    assert lines[0].split() == ["metric", "value", "std", "std", "over"]
    assert any(line.split() == ["kid_digits", "26.4", "48", "100", "subsets", "of", "360"]
               for line in lines), table
    assert any(line.split()[:3] == ["is_digits", "8.1", "—"] and "1 split" in line
               for line in lines), table
    assert "x1e3" not in table and "kid_digits_subsets" not in table
    assert "100 subsets of 360" in table


def test_metrics_report_kid_with_its_subset_count_and_no_rescaling(digits):
    import numpy as np

    from keras_gans.evaluation import metrics

    x, _ = digits
    real = metrics.summarize(x[:60], extractor="pixels")
    fake = metrics.summarize(np.clip(x[60:120] + 0.2, -1, 1), extractor="pixels")
    out = metrics.metrics_from_summaries(real, fake, "pixels", metrics=("kid",),
                                         num_subsets=5, subset_size=50)
    assert not [k for k in out if "x1e3" in k]
    assert (out["kid_pixels_subsets"], out["kid_pixels_subset_size"]) == (5, 50)
    assert "5 subsets of 50" in out["kid_protocol_pixels"]
