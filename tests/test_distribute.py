"""Distribution gives the same training as one device.

The devices must be configured before the backend initialises, and this
suite's process is already initialised, so `tests/distribute_check.py`
trains in a subprocess: TensorFlow with two logical CPU devices under
`tf.distribute.MirroredStrategy`, JAX with two forced host devices under
`keras.distribution.DataParallel`; Keras' torch backend has neither, so
those tests skip there. Each run starts from the same weights,
uses SGD and the model's own noise stream, and must end with the weights of
the single-device run. Checked by hand (see docs/scaling.md): without the
per-replica loss scaling or with the same noise on every replica, the
difference is 1e-2 to 1e-3, not 1e-8.
"""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans import backend as gan_backend

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: Two devices exist only where Keras can distribute: `tf.distribute` is
#: TensorFlow's and `keras.distribution` (DataParallel) has a JAX
#: implementation only (Keras 3.15 ships no `backend/torch/distribution_lib`).
#: On torch keras_gans runs one replica, which
#: `test_replica_helpers_outside_distribution` checks on every backend.
no_multi_device = pytest.mark.skipif(
    keras.backend.backend() == "torch",
    reason="Keras' torch backend has no multi-device distribution (keras.distribution "
           "is JAX-only, tf.distribute is TensorFlow's): nothing to compare one device with",
)


@pytest.fixture(scope="module")
def report():
    env = dict(os.environ)
    env["KERAS_BACKEND"] = keras.backend.backend()
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    if env["KERAS_BACKEND"] == "jax":
        env["XLA_FLAGS"] = (
            env.get("XLA_FLAGS", "") + " --xla_force_host_platform_device_count=2"
        ).strip()
        env["JAX_PLATFORMS"] = "cpu"
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tests", "distribute_check.py")],
        env=env, capture_output=True, text=True, timeout=600,
    )
    lines = [l for l in result.stdout.splitlines() if l.startswith("RESULT ")]
    assert result.returncode == 0 and lines, result.stderr[-4000:]
    return json.loads(lines[-1][len("RESULT "):])


@no_multi_device
@pytest.mark.parametrize("family", ["gan", "wgan_gp"])
def test_two_devices_train_like_one(report, family):
    result = report["families"][family]
    assert result["replicas"] == 2
    # The weights really live on both devices.
    assert result["devices_holding_weights"] == 2
    # Training moved the weights, and both runs moved them the same way.
    assert result["max_weight_change"] > 1e-2
    assert result["max_weight_difference"] < 1e-5 * max(1.0, result["max_weight_change"])
    for name, value in result["single_logs"].items():
        np.testing.assert_allclose(result["multi_logs"][name], value, rtol=1e-4, atol=1e-5)


@no_multi_device
@pytest.mark.parametrize("family", ["gan", "wgan_gp"])
def test_each_replica_draws_its_own_noise(report, family):
    noise = report["families"][family]["noise"]
    assert noise["replicas_differ"]
    assert noise["global_equals_single"]


def test_replica_helpers_outside_distribution():
    assert gan_backend.replica_count() == 1
    assert gan_backend.replica_id() == 0
    drawn = []
    rows = keras_gans.GAN.replica_rows(
        lambda n: drawn.append(n) or keras.ops.arange(n, dtype="float32"), 3
    )
    assert drawn == [3]  # one device: no oversized draw
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(rows), [0.0, 1.0, 2.0])


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow",
    reason="MultiWorkerMirroredStrategy is TensorFlow's; JAX is covered above",
)
def test_multi_worker_example_runs_two_workers_on_localhost(tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "examples", "multi_worker.py"),
         "--workers", "2", "--steps", "3", "--batch-size", "16",
         "--out", str(tmp_path), "--timeout", "240"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    reports = [
        json.loads(line.split("WORKER ", 1)[1])
        for line in result.stdout.splitlines() if "WORKER " in line
    ]
    assert sorted(r["task"] for r in reports) == [0, 1]
    for r in reports:
        assert r["replicas"] == 2 and r["global_batch"] == 32 and r["iterations"] == 3
        assert all(np.isfinite(v) for v in r["logs"].values())
    # Both workers hold the same synchronised model state.
    assert reports[0]["logs"] == reports[1]["logs"]
    loaded = keras.models.load_model(str(tmp_path / "multi_worker.keras"))
    assert int(keras.ops.convert_to_numpy(loaded.d_optimizer.iterations)) == 3
