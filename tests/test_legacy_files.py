"""`.keras` files saved by version 0.1.0 still load and sample the same.

The files in tests/data/v0_1_0 were written by tools/make_legacy_fixtures.py
on the 0.1.0 code, before the composable-GAN refactor (phase contract,
regularizers, EMA). Each was trained one epoch, so its optimizers hold state.
"""

import os

import keras
import numpy as np
import pytest

import keras_gans

HERE = os.path.join(os.path.dirname(__file__), "data", "v0_1_0")
NAMES = ("dcgan", "conditional_gan", "vae_gan", "wgan_gp")


@pytest.mark.parametrize("name", NAMES)
def test_v0_1_0_file_loads_and_samples_identically(name):
    model = keras.saving.load_model(os.path.join(HERE, f"{name}.keras"))
    assert isinstance(model, keras_gans.GAN)
    recorded = np.load(os.path.join(HERE, f"{name}_samples.npz"))
    kwargs = {"labels": recorded["labels"]} if "labels" in recorded else {}
    samples = model.generate(z=recorded["z"], **kwargs)
    np.testing.assert_allclose(samples, recorded["samples"], atol=1e-5)
    # The optimizers' state came back too: training resumes where it stopped.
    for role, optimizer in model.optimizer.optimizers.items():
        assert int(keras.ops.convert_to_numpy(optimizer.iterations)) > 0, role


def test_v0_1_0_wgan_gp_keeps_its_penalty_and_critic_steps():
    model = keras.saving.load_model(os.path.join(HERE, "wgan_gp.keras"))
    assert model.n_critic == 2
    names = [type(r).__name__ for r in model.regularizers]
    assert names == ["GradientPenalty"]
