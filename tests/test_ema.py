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


def test_the_ema_is_a_registered_part_with_a_config():
    from keras_gans.models.ema import ExponentialMovingAverage

    gan = tiny(ema_decay=0.99)
    assert isinstance(gan.ema, ExponentialMovingAverage) and gan.ema.decay == 0.99
    assert tiny(ema_decay=None).ema is None
    assert keras.saving.get_registered_name(ExponentialMovingAverage) == (
        "keras_gans>ExponentialMovingAverage")
    restored = keras.saving.deserialize_keras_object(
        keras.saving.serialize_keras_object(gan.ema))
    assert type(restored) is ExponentialMovingAverage and restored.decay == 0.99
    # The model still saves the decay as ema_decay (files from before load).
    assert gan.get_config()["ema_decay"] == 0.99
    with pytest.raises(ValueError, match=r"ema_decay must be in \(0, 1\).*received 1.5"):
        ExponentialMovingAverage(1.5)


def test_the_part_update_warms_up_then_averages():
    from keras_gans.models.ema import ExponentialMovingAverage

    ema = ExponentialMovingAverage(0.5)
    net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    average = ema.averaged_copy(net)
    assert not average.trainable
    start = weights(average)
    net.set_weights([w + 1.0 for w in net.get_weights()])
    ema.update(average, net, 0)  # d = min(0.5, 1/10) = 0.1
    for a, s, w in zip(weights(average), start, weights(net)):
        np.testing.assert_allclose(a, 0.1 * s + 0.9 * w, rtol=1e-6)
    mid = weights(average)
    ema.update(average, net, 1000)  # d = min(0.5, 1001/1010) = 0.5
    for a, m, w in zip(weights(average), mid, weights(net)):
        np.testing.assert_allclose(a, 0.5 * m + 0.5 * w, rtol=1e-6)


def test_the_callback_form_moved_beside_the_part_and_keeps_its_names():
    from keras_gans.callbacks.generator_ema import GeneratorEMA as old_path
    from keras_gans.models.ema import GeneratorEMA

    assert old_path is GeneratorEMA is keras_gans.callbacks.GeneratorEMA
