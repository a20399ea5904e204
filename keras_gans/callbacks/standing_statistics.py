"""`StandingStatistics`: batch-norm statistics recomputed when `fit()` ends."""

import keras

from keras_gans.callbacks._common import _sync_jax_state


class StandingStatistics(keras.callbacks.Callback):
    """Recompute the sampling generator's batch-norm statistics after `fit()`.

    See `keras_gans.standing_statistics.recompute_batch_norm_statistics`:
    the generator that samples (the averaged one with `ema_decay=`) is run
    in training mode on `num_batches` noise batches and its moving
    statistics are set to their average, so the saved model, `generate()`
    and the export sample with statistics of their own weights. Put it
    before callbacks that save or score the model at the end of training.

    Args:
        num_batches: batches averaged.
        batch_size: images per batch.
        seed: noise seed of the first batch.
        every_epoch: also recompute at the end of every epoch (so per-epoch
            sample grids and metrics see them; costs `num_batches` generator
            passes per epoch). The next step's EMA update overwrites them.

    Example:

    >>> gan = keras_gans.DCGAN(image_shape=(28, 28, 1), ema_decay=0.999)
    >>> gan.compile()
    >>> gan.fit(x, epochs=10, callbacks=[StandingStatistics(num_batches=16)])
    """

    def __init__(self, num_batches=16, batch_size=256, seed=0, every_epoch=False):
        super().__init__()
        self.num_batches, self.batch_size = int(num_batches), int(batch_size)
        self.seed, self.every_epoch = int(seed), bool(every_epoch)
        if self.num_batches < 1 or self.batch_size < 2:
            raise ValueError(
                "StandingStatistics needs num_batches >= 1 and batch_size >= 2; received "
                f"num_batches={num_batches}, batch_size={batch_size}."
            )
        self.layers_updated = None

    def _recompute(self):
        from keras_gans.standing_statistics import recompute_batch_norm_statistics

        _sync_jax_state(self.model)
        self.layers_updated = recompute_batch_norm_statistics(
            self.model, self.num_batches, self.batch_size, self.seed
        )

    def on_epoch_end(self, epoch, logs=None):
        if self.every_epoch:
            self._recompute()

    def on_train_end(self, logs=None):
        self._recompute()
