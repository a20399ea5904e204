"""`keras_gans.backend.no_gradient`: the D phase's fakes carry no gradient
path on any backend, and on torch their forward records no autograd graph."""

import keras
import numpy as np
from keras import ops

import keras_gans
from keras_gans import backend


def test_no_gradient_cuts_the_path_but_keeps_the_values():
    x = ops.convert_to_tensor(np.array([1.0, 2.0, 3.0], "float32"))
    # d/dx sum(x + stop(x * x)) is 1, not 1 + 2x.
    grad = backend.gradients(lambda t: t + backend.no_gradient(lambda: t * t), x)
    np.testing.assert_allclose(backend.to_numpy(grad), np.ones(3), atol=1e-6)
    values = backend.no_gradient(lambda: {"square": x * x})
    np.testing.assert_allclose(backend.to_numpy(values["square"]), [1.0, 4.0, 9.0])


def test_the_d_phase_fakes_record_no_graph_and_the_phase_moves_only_d():
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4, seed=0)
    gan.compile()
    real = np.random.default_rng(0).uniform(-1, 1, (8, 8, 8, 1)).astype("float32")
    gan.discriminator_step(real)  # builds the optimizers
    seen = {}
    original = gan.generate_fakes

    def spy(z, labels=None, training=True):
        out = original(z, labels, training)
        seen["fakes"] = out
        return out

    gan.generate_fakes = spy
    g_before = [np.array(backend.to_numpy(v)) for v in gan.generator.trainable_variables]
    d_before = [np.array(backend.to_numpy(v)) for v in gan.discriminator.trainable_variables]
    gan.discriminator_step(real)
    if keras.backend.backend() == "torch":
        assert not seen["fakes"].requires_grad  # made under torch.no_grad()
    g_after = [backend.to_numpy(v) for v in gan.generator.trainable_variables]
    d_after = [backend.to_numpy(v) for v in gan.discriminator.trainable_variables]
    assert all(np.array_equal(a, b) for a, b in zip(g_before, g_after))
    assert any(not np.array_equal(a, b) for a, b in zip(d_before, d_after))
