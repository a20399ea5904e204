"""Shared test setup: backend choice, quiet logs, the embedded digits."""

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Both backends see the CPU only; keep JAX from grabbing an accelerator.
os.environ.setdefault("JAX_PLATFORMS", "cpu")
if os.environ["KERAS_BACKEND"] == "jax" and "xla_backend_optimization_level" not in (
    os.environ.get("XLA_FLAGS", "")
):
    # A test's step runs a few batches, so XLA's compile time is most of a
    # JAX test's time, and LLVM's optimization passes are most of that.
    # Level 0 (set before jax starts; fresh processes inherit it) compiled
    # the style_gan and dcgan checklists in 124 s instead of 217 s, the same
    # load; the steps run slower, which batches this small do not feel.
    # XLA_FLAGS=--xla_backend_optimization_level=3 restores the default.
    os.environ["XLA_FLAGS"] = (
        os.environ.get("XLA_FLAGS", "") + " --xla_backend_optimization_level=0"
    ).strip()

import tempfile  # noqa: E402

import keras  # noqa: E402

if keras.backend.backend() == "jax":
    # Many tests compile the same small training steps; JAX's persistent
    # cache is keyed by the compiled program, so identical steps of
    # different model instances (and pytest-xdist workers) compile once.
    import jax

    jax.config.update(
        "jax_compilation_cache_dir",
        os.environ.get("KERAS_GANS_TEST_JAX_CACHE")
        or os.path.join(tempfile.gettempdir(), "keras_gans_jax_test_cache"),
    )
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
import numpy as np  # noqa: E402
import pytest  # noqa: E402


def pytest_report_header(config):
    return f"keras {keras.__version__}, backend {keras.backend.backend()}"


@pytest.fixture(autouse=True)
def _seeded():
    keras.utils.set_random_seed(1234)
    yield


@pytest.fixture(scope="session")
def digits():
    """The scikit-learn digits scaled to [-1, 1]: (x_train, x_test) 8x8x1."""
    from keras_gans import datasets

    x_train = datasets.load_digits(split="train")
    x_test = datasets.load_digits(split="test")
    return np.asarray(x_train), np.asarray(x_test)


@pytest.fixture(scope="session")
def labelled_digits():
    """((x_train, y_train), (x_test, y_test)) of the digits, 8x8x1 in [-1, 1]."""
    from keras_gans import datasets

    train = datasets.load_digits(split="train", with_labels=True)
    test = datasets.load_digits(split="test", with_labels=True)
    return train, test


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Every test caches the digits classifier in its own temporary folder,
    never in the user's ~/.cache."""
    cache = str(tmp_path_factory.getbasetemp() / "keras_gans_cache")
    old = os.environ.get("KERAS_GANS_CACHE")
    os.environ["KERAS_GANS_CACHE"] = cache
    yield cache
    if old is None:
        os.environ.pop("KERAS_GANS_CACHE", None)
    else:
        os.environ["KERAS_GANS_CACHE"] = old


@pytest.fixture(scope="session")
def clf(_private_cache):
    """The digits classifier (features and labels), trained once per session."""
    from keras_gans.evaluation import digits_features

    return digits_features(cache_dir=_private_cache)


# Tests that never touch a Keras backend's maths (docs and results tables,
# the zoo's file layout, the CLI's import-free start-up, the benchmark
# helpers, tools/) carry `pytestmark = pytest.mark.backend_independent`.
# `make test` runs the suite once per backend; these run in the TensorFlow
# pass only, because the other passes would repeat the same Python with the
# same result. Set KERAS_GANS_ALL_TESTS=1 to run them on any backend.
def pytest_collection_modifyitems(config, items):
    if keras.backend.backend() == "tensorflow" or os.environ.get("KERAS_GANS_ALL_TESTS"):
        return
    keep, skipped = [], []
    for item in items:
        (skipped if item.get_closest_marker("backend_independent") else keep).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = keep
