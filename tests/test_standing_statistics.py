"""Standing statistics: batch-norm statistics recomputed for the sampling weights."""

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans.callbacks import StandingStatistics
from keras_gans.standing_statistics import batch_norm_layers
from keras_gans.standing_statistics import moving_statistics
from keras_gans.standing_statistics import recompute_batch_norm_statistics


def _trained(digits, **kwargs):
    x_train, _ = digits
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=16, width=16, **kwargs)
    gan.compile()
    gan.fit(x_train[:256], batch_size=64, epochs=1, verbose=0)
    return gan


def _batch_means(gan, generator, batches, batch_size, seed):
    """The per-channel input means of the first batch-norm layer, by hand."""
    bn = batch_norm_layers(generator)[0]
    probe = keras.Model(generator.inputs, bn.input)
    means = []
    for k in range(batches):
        z = gan.generator_inputs(batch_size, None, None, seed + k)[0]
        h = np.asarray(probe([z], training=True))
        means.append(h.reshape(-1, h.shape[-1]).mean(axis=0))
    return np.mean(means, axis=0)


def test_moving_statistics_become_the_average_of_the_batches(digits):
    gan = _trained(digits, ema_decay=0.99)
    ema = gan.ema_generator
    # The averaged generator normalises with the raw generator's statistics.
    for (m_ema, _), (m_raw, _) in zip(moving_statistics(ema), moving_statistics(gan.generator)):
        np.testing.assert_allclose(m_ema, m_raw)
    weights = [np.asarray(w) for w in ema.trainable_weights]
    before = gan.generate(8, seed=1)
    assert recompute_batch_norm_statistics(gan, num_batches=3, batch_size=32, seed=5) == 2
    expected = _batch_means(gan, ema, 3, 32, 5)
    np.testing.assert_allclose(moving_statistics(ema)[0][0], expected, rtol=1e-4, atol=1e-5)
    # Only statistics moved: weights, momentum and frozen state are as before.
    for w, old in zip(ema.trainable_weights, weights):
        np.testing.assert_array_equal(np.asarray(w), old)
    assert not ema.trainable and all(not layer.trainable for layer in batch_norm_layers(ema))
    assert all(layer.momentum == 0.99 for layer in batch_norm_layers(ema))
    # The raw generator is untouched; samples now use the new statistics.
    assert not np.allclose(moving_statistics(ema)[0][0], moving_statistics(gan.generator)[0][0])
    assert not np.allclose(gan.generate(8, seed=1), before)


def test_without_batch_norm_nothing_is_done(digits):
    gan = keras_gans.get("vanilla_gan", image_shape=(8, 8, 1), latent_dim=8)
    assert recompute_batch_norm_statistics(gan) == 0


def test_bad_arguments_are_refused():
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=8, width=8)
    with pytest.raises(ValueError, match="num_batches >= 1 .* received num_batches=0"):
        recompute_batch_norm_statistics(gan, num_batches=0)
    with pytest.raises(ValueError, match="batch_size >= 2"):
        StandingStatistics(batch_size=1)


def test_callback_recomputes_when_fit_ends_on_a_conditional_model(labelled_digits):
    (x, y), _ = labelled_digits
    gan = keras_gans.ConditionalGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=16,
                                    width=16, ema_decay=0.99)
    gan.compile()
    callback = StandingStatistics(num_batches=2, batch_size=20)
    gan.fit(x[:128], y[:128], batch_size=64, epochs=1, verbose=0, callbacks=[callback])
    assert callback.layers_updated == len(batch_norm_layers(gan.ema_generator)) > 0
    raw, ema = moving_statistics(gan.generator), moving_statistics(gan.ema_generator)
    assert not np.allclose(raw[0][0], ema[0][0])


def test_a_preset_asks_for_standing_statistics(tmp_path, digits):
    from keras_gans import runs

    preset = keras_gans.get_preset("dcgan_digits")
    preset["architecture"].update(width=8, latent_dim=8, ema_decay=0.99)
    preset["training"]["standing_statistics"] = 2
    result = runs.train(preset, epochs=1, steps_per_epoch=2, verbose=0, log=None)
    model = result.model
    raw, ema = moving_statistics(model.generator), moving_statistics(model.ema_generator)
    assert not np.allclose(raw[0][0], ema[0][0])
    preset["training"]["standing_statistics"] = 0
    with pytest.raises(ValueError, match="standing_statistics.*positive integer.*0"):
        runs.train(preset, epochs=1, steps_per_epoch=1, verbose=0, log=None)
