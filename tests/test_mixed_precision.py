"""Mixed precision: the policy takes effect, each phase has its own loss
scale under mixed_float16, training stays finite, and the loss-scale state
survives a `.keras` round trip."""

import os

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans


@pytest.fixture
def policy(request):
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(request.param)
    yield request.param
    keras.config.set_dtype_policy(previous)


def compute_dtypes(network):
    return {
        layer.compute_dtype
        for layer in network.layers
        if layer.weights  # layers that compute with weights
    }


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"], indirect=True)
def test_policy_takes_effect_and_training_stays_finite(policy, digits, tmp_path):
    half = policy.split("_")[1]
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=1)
    for network in (gan.generator, gan.discriminator):
        assert compute_dtypes(network) == {half}
        assert {w.dtype for w in network.trainable_weights} == {"float32"}
    gan.compile()
    scaled = policy == "mixed_float16"
    for role in ("d_optimizer", "g_optimizer"):
        optimizer = getattr(gan, role)
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer) == scaled
    # One loss scale per phase, not a shared one.
    assert gan.d_optimizer is not gan.g_optimizer
    if scaled:
        assert gan.d_optimizer.dynamic_scale is not gan.g_optimizer.dynamic_scale
        assert gan.d_optimizer.inner_optimizer is not gan.g_optimizer.inner_optimizer

    # The forward pass is in half precision, the losses in float32.
    x = digits[0][:16]
    z = gan.sample_latent(16)
    fake = gan.generator(z, training=False)
    # standardize_dtype: torch tensors carry torch.float16, not a string.
    assert keras.backend.standardize_dtype(fake.dtype) == half
    loss, _ = gan.discriminator_loss(ops.cast(x, half), fake, training=False)
    assert keras.backend.standardize_dtype(loss.dtype) == "float32"

    history = gan.fit(digits[0][:48], batch_size=16, epochs=1, verbose=0)
    for name, values in history.history.items():
        assert np.isfinite(values[-1]), (name, values)
    for w in gan.weights:
        assert np.all(np.isfinite(ops.convert_to_numpy(w))), w.path
    for role in ("discriminator", "generator"):
        opt = gan.optimizer.optimizers[role]
        assert int(ops.convert_to_numpy(opt.iterations)) == 3
    samples = gan.generate(4, seed=0)
    assert samples.dtype == np.float32 and np.all(np.isfinite(samples))


@pytest.mark.parametrize("policy", ["mixed_float16"], indirect=True)
def test_loss_scale_state_survives_save_and_load(policy, digits, tmp_path):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=1)
    gan.compile()
    gan.fit(digits[0][:32], batch_size=16, epochs=1, verbose=0)
    # Distinct, non-default states per phase, so that a mix-up shows.
    gan.d_optimizer.dynamic_scale.assign(1024.0)
    gan.g_optimizer.dynamic_scale.assign(64.0)
    path = os.path.join(str(tmp_path), "mixed.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    for role in ("d_optimizer", "g_optimizer"):
        before, after = getattr(gan, role), getattr(loaded, role)
        assert isinstance(after, keras.optimizers.LossScaleOptimizer)
        for attr in ("dynamic_scale", "step_counter"):
            np.testing.assert_array_equal(
                ops.convert_to_numpy(getattr(after, attr)),
                ops.convert_to_numpy(getattr(before, attr)),
            )
        assert len(after.variables) == len(before.variables)
        for a, b in zip(before.variables, after.variables):
            np.testing.assert_array_equal(ops.convert_to_numpy(a), ops.convert_to_numpy(b))
    assert float(ops.convert_to_numpy(loaded.d_optimizer.dynamic_scale)) == 1024.0
    assert float(ops.convert_to_numpy(loaded.g_optimizer.dynamic_scale)) == 64.0
    assert compute_dtypes(loaded.generator) == {"float16"}


@pytest.mark.parametrize("policy", ["mixed_float16"], indirect=True)
def test_wgan_gp_under_mixed_float16(policy, digits):
    gan = keras_gans.WGANGP(image_shape=(8, 8, 1), latent_dim=8, width=4, n_critic=2, seed=1)
    gan.compile()
    assert isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    history = gan.fit(digits[0][:16], batch_size=16, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values()), history.history
    assert history.history["penalty"][-1] > 0


def test_user_loss_scale_optimizer_is_not_wrapped_twice():
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4)
        mine = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.01), initial_scale=8.0)
        gan.compile(d_optimizer=mine)
        assert gan.d_optimizer is mine
        assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    finally:
        keras.config.set_dtype_policy(previous)
    # float32 models get no loss scaling.
    plain = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=4)
    plain.compile()
    assert not isinstance(plain.d_optimizer, keras.optimizers.LossScaleOptimizer)
