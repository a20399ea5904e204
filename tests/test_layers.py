"""The mode-collapse remedies: minibatch layers and spectral normalisation."""

import os

import keras
import numpy as np
import pytest

from keras_gans import nets
from keras_gans.layers import MinibatchDiscrimination, MinibatchStdDev


def _numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


@pytest.fixture
def batches(digits):
    """A digit repeated 8 times, and the same digit among 7 others."""
    x = digits[0]
    identical = np.repeat(x[:1], 8, axis=0)
    diverse = x[:8].copy()
    assert np.array_equal(identical[0], diverse[0])
    return identical, diverse


def _first_score(model, batch):
    return float(_numpy(model(batch, training=False))[0, 0])


@pytest.mark.parametrize(
    "remedy",
    [
        {"minibatch_discrimination": True},
        {"minibatch_stddev": True},
        {"minibatch_stddev": 8},
    ],
    ids=["minibatch_discrimination", "minibatch_stddev_4", "minibatch_stddev_8"],
)
def test_minibatch_layers_see_the_batch(batches, remedy):
    """The same image scores differently among copies of itself than among
    other digits, with the layer; without it the score is the same."""
    identical, diverse = batches
    plain = nets.build_dcgan_discriminator((8, 8, 1), width=8, normalization=None)
    assert _first_score(plain, identical) == pytest.approx(
        _first_score(plain, diverse), abs=1e-6
    )
    model = nets.build_dcgan_discriminator(
        (8, 8, 1), width=8, normalization=None, **remedy
    )
    a, b = _first_score(model, identical), _first_score(model, diverse)
    assert abs(a - b) > 1e-3, (a, b)


def test_mlp_discriminator_remedies(batches):
    identical, diverse = batches
    model = nets.build_mlp_discriminator(
        (8, 8, 1), hidden_units=(16,), pieces=0, dropout=0.0,
        spectral_norm=True, minibatch_discrimination=4, minibatch_stddev=True,
    )
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds.count("SpectralNormalization") == 2
    assert "MinibatchDiscrimination" in kinds and "MinibatchStdDev" in kinds
    a, b = _first_score(model, identical), _first_score(model, diverse)
    assert abs(a - b) > 1e-3, (a, b)


def test_minibatch_discrimination_statistic(batches):
    identical, diverse = batches
    layer = MinibatchDiscrimination(num_kernels=6, kernel_dim=3)
    flat_same = identical.reshape(8, -1)
    flat_diverse = diverse.reshape(8, -1)
    out_same = _numpy(layer(flat_same))
    out_diverse = _numpy(layer(flat_diverse))
    assert out_same.shape == (8, 64 + 6)
    np.testing.assert_allclose(out_same[:, :64], flat_same)
    # Seven identical neighbours: exp(0) = 1 each.
    np.testing.assert_allclose(out_same[:, 64:], 7.0, rtol=1e-5)
    assert (out_diverse[:, 64:] < 7.0 - 1e-3).all()
    # Against a numpy reference.
    t = _numpy(layer.kernel).reshape(64, 6, 3)
    m = np.einsum("na,abc->nbc", flat_diverse, t)
    l1 = np.abs(m[:, None] - m[None]).sum(-1)
    expected = np.exp(-l1).sum(1) - 1.0
    np.testing.assert_allclose(out_diverse[:, 64:], expected, rtol=1e-4, atol=1e-6)


def test_minibatch_stddev_statistic():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(10, 3, 3, 2)).astype("float32")  # 10 = 4 + 4 + 2
    out = _numpy(MinibatchStdDev(group_size=4)(x))
    assert out.shape == (10, 3, 3, 3)
    np.testing.assert_allclose(out[..., :2], x)
    for start, stop in ((0, 4), (4, 8), (8, 10)):
        group = x[start:stop].reshape(stop - start, -1)
        expected = np.sqrt(group.var(axis=0) + 1e-8).mean()
        np.testing.assert_allclose(out[start:stop, ..., 2], expected, rtol=1e-4)
    whole = _numpy(MinibatchStdDev(group_size=None)(x.reshape(10, -1)))
    assert whole.shape == (10, 19)
    np.testing.assert_allclose(
        whole[:, -1], np.sqrt(x.reshape(10, -1).var(0) + 1e-8).mean(), rtol=1e-4
    )
    same = _numpy(MinibatchStdDev()(np.repeat(x[:1], 4, axis=0)))
    np.testing.assert_allclose(same[..., 2], 1e-4, rtol=1e-3)


def test_remedies_round_trip_through_keras_files(tmp_path, batches):
    _, diverse = batches
    model = nets.build_dcgan_discriminator(
        (8, 8, 1), width=8, spectral_norm=True, minibatch_discrimination=4,
        minibatch_stddev=2,
    )
    model(diverse, training=True)  # move the spectral-norm state
    path = os.path.join(str(tmp_path), "d.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    kinds = {type(layer).__name__ for layer in loaded.layers}
    assert {"MinibatchDiscrimination", "MinibatchStdDev",
            "SpectralNormalization"} <= kinds
    np.testing.assert_allclose(
        _numpy(loaded(diverse, training=False)),
        _numpy(model(diverse, training=False)), rtol=1e-5, atol=1e-6,
    )
    layer = loaded.get_layer("minibatch_discrimination")
    assert (layer.num_kernels, layer.kernel_dim) == (4, 5)
    assert loaded.get_layer("minibatch_stddev").group_size == 2


def test_spectral_norm_bounds_the_kernels(digits):
    model = nets.build_dcgan_discriminator(
        (8, 8, 1), width=8, normalization=None, spectral_norm=True
    )
    wrapped = [
        layer for layer in model.layers
        if isinstance(layer, keras.layers.SpectralNormalization)
    ]
    assert len(wrapped) == 3  # two convolutions and the score
    for layer in wrapped:  # make the kernels large first
        layer.kernel.assign(layer.kernel * 50.0)
    for _ in range(8):  # power iterations happen in training-mode calls
        model(digits[0][:4], training=True)
    for layer in wrapped:
        kernel = _numpy(layer.kernel)
        sigma = np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]
        assert sigma == pytest.approx(1.0, abs=0.1), (layer.name, sigma)


def test_spectral_norm_on_the_projection_discriminator():
    model = nets.build_conditional_discriminator(
        (8, 8, 1), 10, "projection", width=8, spectral_norm=True
    )
    names = {
        layer.name for layer in model.layers
        if isinstance(layer, keras.layers.SpectralNormalization)
    }
    assert {"class_embedding", "unconditional_score"} <= names


def test_defaults_are_unchanged():
    """The remedies are off by default: no extra layers, the same weights."""
    model = nets.build_dcgan_discriminator((8, 8, 1))
    kinds = {type(layer).__name__ for layer in model.layers}
    assert not kinds & {"MinibatchDiscrimination", "MinibatchStdDev",
                        "SpectralNormalization"}
    assert model.count_params() == 133185
    assert nets.build_mlp_discriminator((8, 8, 1)).count_params() == 823297


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"minibatch_stddev": "yes"}, "minibatch_stddev must be a bool"),
        ({"minibatch_discrimination": 0}, "minibatch_discrimination must be"),
        ({"normalization": "group"}, "normalization must be"),
    ],
)
def test_bad_remedy_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        nets.build_dcgan_discriminator((8, 8, 1), **kwargs)


def test_bad_layer_arguments():
    with pytest.raises(ValueError, match="num_kernels must be >= 1"):
        MinibatchDiscrimination(num_kernels=0)
    with pytest.raises(ValueError, match="group_size must be >= 1"):
        MinibatchStdDev(group_size=0)
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, features\)"):
        MinibatchDiscrimination()(np.zeros((2, 4, 4, 1), "float32"))


@pytest.mark.parametrize("shape", [(16, 5), (8, 4, 4, 3)])
def test_batch_normalization_matches_keras_in_training_and_inference(shape):
    from keras_gans.layers import BatchNormalization

    x = np.random.default_rng(0).normal(2.0, 3.0, shape).astype("float32")
    ours, theirs = BatchNormalization(momentum=0.9), keras.layers.BatchNormalization(momentum=0.9)
    ours.build(shape)
    theirs.build(shape)
    gamma = np.linspace(0.5, 1.5, shape[-1]).astype("float32")
    for layer in (ours, theirs):
        layer.gamma.assign(gamma)
        layer.beta.assign(-gamma)
    for _ in range(3):
        y_ours = keras.ops.convert_to_numpy(ours(x, training=True))
        y_theirs = keras.ops.convert_to_numpy(theirs(x, training=True))
        np.testing.assert_allclose(y_ours, y_theirs, atol=1e-4)
    for a, b in zip(ours.non_trainable_weights, theirs.non_trainable_weights):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b),
                                   rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ours(x)),
                               keras.ops.convert_to_numpy(theirs(x)), atol=1e-4)


def test_batch_normalization_gradients_match_keras():
    from keras_gans import backend
    from keras_gans.layers import BatchNormalization

    x = np.random.default_rng(1).normal(size=(8, 4, 4, 3)).astype("float32")
    weights = np.random.default_rng(2).normal(size=(8, 4, 4, 3)).astype("float32")
    stepped = []
    for layer in (BatchNormalization(), keras.layers.BatchNormalization()):
        model = keras.Sequential([keras.Input((4, 4, 3)), layer])
        model.compile(optimizer=keras.optimizers.SGD(1.0))  # one step: w - grad
        model.optimizer.build(model.trainable_variables)

        def step(images, model=model):
            return backend.minimize(
                # ops.multiply: on torch, tensor * ndarray goes through numpy.
                lambda: (keras.ops.sum(keras.ops.multiply(
                    model(images, training=True), weights)), None),
                model.trainable_variables, model.optimizer)

        backend.run_stateful(model, step, keras.ops.convert_to_tensor(x))
        stepped.append([keras.ops.convert_to_numpy(w) for w in layer.trainable_weights])
    for ours, theirs in zip(*stepped):
        assert not np.allclose(theirs, np.round(theirs))  # a step was taken
        np.testing.assert_allclose(ours, theirs, rtol=1e-4, atol=1e-4)


def test_batch_normalization_takes_the_fused_kernel_where_the_backend_has_one(monkeypatch):
    from keras_gans import backend, layers as kg_layers

    calls = []
    original = backend.fused_batch_norm

    def spy(*args):
        result = original(*args)
        calls.append(result is not None)
        return result

    monkeypatch.setattr(backend, "fused_batch_norm", spy)
    layer = kg_layers.BatchNormalization()
    layer(np.ones((4, 2, 2, 3), "float32"), training=True)
    layer(np.ones((4, 2, 2, 3), "float32"), training=False)  # inference: Keras' ops
    # TensorFlow's fused kernel, and torch's native_batch_norm unless
    # KERAS_GANS_TORCH_FAST_KERNELS=0 turns the torch kernels off.
    torch_fused = os.environ.get("KERAS_GANS_TORCH_FAST_KERNELS", "1") != "0"
    assert calls == [keras.backend.backend() == "tensorflow"
                     or (keras.backend.backend() == "torch" and torch_fused)]
    generator = nets.build_dcgan_generator((8, 8, 1), 4, 4)
    assert any(isinstance(layer, kg_layers.BatchNormalization) for layer in generator.layers)


def test_a_nan_in_the_generator_reaches_the_losses_in_fit(digits):
    """TensorFlow's graph optimizer may fuse a batch-norm kernel with the
    ReLU after it into one that maps NaN to 0: a diverged generator must
    still give NaN losses (TerminateOnNaN, DivergenceGuard)."""
    import keras_gans

    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=8, seed=0)
    gan.compile()
    kernel = gan.generator.trainable_weights[0]
    value = np.array(keras.ops.convert_to_numpy(kernel))
    value[0, 0] = np.nan
    kernel.assign(value)
    history = gan.fit(digits[0][:64], batch_size=32, epochs=1, verbose=0)
    assert np.isnan(history.history["d_loss"][0])
