"""Standing statistics: batch-norm statistics recomputed for the weights in use.

A generator with batch normalization samples with its moving mean and
variance. With `ema_decay=` the averaged generator copies those statistics
from the raw generator at every step (`GAN._update_ema`), so it normalises
with statistics that belong to other weights. BigGAN (Brock et al. 2019,
"standing statistics") instead runs the generator that will sample on many
noise batches in training mode and keeps the average of their batch
statistics. `recompute_batch_norm_statistics` does that for any zoo model;
`keras_gans.callbacks.StandingStatistics` does it when `fit()` ends, and a
preset asks for it with `"training": {"standing_statistics": N}`.

Example:

>>> gan = keras_gans.from_preset("dcgan_digits")
>>> recompute_batch_norm_statistics(gan, num_batches=16, batch_size=256)
4
"""

import keras
import numpy as np

from keras_gans import _compat


def batch_norm_layers(network):
    """Every `keras.layers.BatchNormalization` nested in `network`.

    Example:

    >>> len(batch_norm_layers(keras_gans.get("dcgan", image_shape=(8, 8, 1)).generator))
    2
    """
    return [
        layer for layer in _compat.flatten_layers(network, include_self=False)
        if isinstance(layer, keras.layers.BatchNormalization)
    ]


def recompute_batch_norm_statistics(model, num_batches=16, batch_size=256, seed=0, ema=None):
    """Replace the sampling generator's batch-norm statistics by standing ones.

    Runs the generator that `model.generate()` uses (the averaged one when
    the model keeps one; see `model.sampling_generator`) in training mode on
    `num_batches` batches of the model's own inputs (`generator_inputs`:
    noise, and balanced labels for conditional models) and sets each
    batch-norm layer's moving mean and variance to the average of the
    batches' statistics. Weights are not changed. Call it after training
    (the next training step's EMA update copies the raw generator's
    statistics again).

    Args:
        model: a keras_gans GAN.
        num_batches: batches averaged (BigGAN used 16 to 256).
        batch_size: images per batch.
        seed: seed of the first batch's noise (batch k uses `seed + k`).
        ema: which generator (see `sampling_generator`); default the one
            that samples.

    Returns:
        The number of batch-norm layers updated (0: nothing to do).

    Example:

    >>> gan = keras_gans.DCGAN(image_shape=(8, 8, 1), ema_decay=0.999)
    >>> gan.compile(); gan.fit(x, epochs=5)
    >>> recompute_batch_norm_statistics(gan)
    2
    """
    num_batches, batch_size = int(num_batches), int(batch_size)
    if num_batches < 1 or batch_size < 2:
        raise ValueError(
            "recompute_batch_norm_statistics needs num_batches >= 1 and batch_size >= 2; "
            f"received num_batches={num_batches}, batch_size={batch_size}."
        )
    generator = model.sampling_generator(ema)
    layers = batch_norm_layers(generator)
    if not layers:
        return 0
    saved = [(layer, layer.momentum, layer.trainable) for layer in layers]
    was_trainable = generator.trainable
    try:
        # A non-trainable batch-norm layer ignores training=True (the averaged
        # generator is frozen), so the layers are unfrozen for the passes.
        generator.trainable = True
        for layer in layers:
            layer.trainable = True
        for k in range(num_batches):
            # Moving average with momentum k/(k+1): after n batches the
            # statistics are the plain mean of the n batches' statistics.
            for layer in layers:
                layer.momentum = k / (k + 1.0)
            inputs = model.generator_inputs(batch_size, None, None, int(seed) + k)
            generator(inputs if len(inputs) > 1 else inputs[0], training=True)
    finally:
        generator.trainable = was_trainable
        for layer, momentum, trainable in saved:
            layer.momentum = momentum
            layer.trainable = trainable
    return len(layers)


def moving_statistics(network):
    """The moving means and variances of a network's batch-norm layers, as numpy.

    Example:

    >>> [m.shape for m, v in moving_statistics(gan.generator)]
    [(128,), (64,)]
    """
    return [
        (np.asarray(layer.moving_mean), np.asarray(layer.moving_variance))
        for layer in batch_norm_layers(network)
    ]
