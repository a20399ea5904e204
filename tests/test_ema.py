"""Generator EMA inside the model: sampling, saving and export use it."""

import os

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans


def tiny(**kwargs):
    args = dict(image_shape=(8, 8, 1), latent_dim=8, width=4, seed=0, ema_decay=0.9)
    args.update(kwargs)
    return keras_gans.DCGAN(**args)


def weights(network):
    return [np.array(ops.convert_to_numpy(w)) for w in network.weights]


def test_ema_follows_the_update_rule_and_is_what_generate_uses(digits):
    gan = tiny()
    gan.compile()
    x = digits[0][:16]
    before = weights(gan.ema_generator)
    assert all(np.array_equal(a, b) for a, b in zip(before, weights(gan.generator)))
    gan.fit(x, batch_size=16, epochs=1, verbose=0)  # one step
    raw = weights(gan.generator)
    # After the generator's first update t = 1: decay = min(0.9, 2 / 11).
    d = min(0.9, 2.0 / 11.0)
    for w, avg, old, new in zip(gan.generator.weights, weights(gan.ema_generator), before, raw):
        expected = d * old + (1 - d) * new if w.trainable else new
        np.testing.assert_allclose(avg, expected, rtol=1e-5, atol=1e-6)
    gan.fit(digits[0][:64], batch_size=16, epochs=1, verbose=0)
    z = gan.latent_vectors(6, seed=1)
    averaged = gan.generate(z=z)
    np.testing.assert_allclose(
        averaged, ops.convert_to_numpy(gan.ema_generator(z, training=False)), atol=1e-6)
    assert not np.allclose(averaged, gan.generate(z=z, ema=False), atol=1e-6)
    np.testing.assert_allclose(
        gan.generate(z=z, ema=False), ops.convert_to_numpy(gan.generator(z, training=False)),
        atol=1e-6)


def test_ema_weights_survive_keras_round_trip_bit_identical(digits, tmp_path):
    gan = tiny()
    gan.compile()
    gan.fit(digits[0][:32], batch_size=16, epochs=1, verbose=0)
    path = os.path.join(str(tmp_path), "ema.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.ema_decay == 0.9
    for a, b in zip(weights(gan.ema_generator), weights(loaded.ema_generator)):
        np.testing.assert_array_equal(a, b)
    z = gan.latent_vectors(4, seed=2)
    np.testing.assert_array_equal(loaded.generate(z=z), gan.generate(z=z))
    # The EMA network is not trained by any optimizer.
    assert not loaded.ema_generator.trainable_weights


def test_export_serves_the_averaged_generator(digits, tmp_path):
    tf = pytest.importorskip("tensorflow")
    gan = tiny()
    gan.compile()
    gan.fit(digits[0][:32], batch_size=16, epochs=1, verbose=0)
    folder = gan.export(os.path.join(str(tmp_path), "served"))
    served = tf.saved_model.load(folder)
    z = gan.latent_vectors(3, seed=4)
    images = served.signatures["serving_default"](z=tf.constant(z))["images"].numpy()
    np.testing.assert_allclose(images, gan.generate(z=z), atol=1e-5)
    assert not np.allclose(images, gan.generate(z=z, ema=False), atol=1e-5)


def test_ema_with_a_conditional_family_and_bad_values(labelled_digits):
    (x, y), _ = labelled_digits
    gan = keras_gans.ConditionalGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=8,
                                    width=4, ema_decay=0.99, seed=0)
    gan.compile()
    gan.fit(x[:32], y[:32], batch_size=16, epochs=1, verbose=0)
    z, labels = gan.sample_inputs(5, seed=0)
    np.testing.assert_allclose(
        gan.generate(z=z, labels=labels),
        ops.convert_to_numpy(gan.ema_generator([z, labels], training=False)), atol=1e-6)
    with pytest.raises(ValueError, match=r"ema_decay must be in \(0, 1\)"):
        tiny(ema_decay=1.5)
    with pytest.raises(ValueError, match="keeps no averaged generator"):
        tiny(ema_decay=None).generate(2, ema=True)
