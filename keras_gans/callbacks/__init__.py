"""Callbacks that show and guard GAN training; all work with plain `fit()`.

One module per callback (`sample_grid`, `gan_metrics`, `generator_ema`,
`mode_collapse`, `divergence`, `standing_statistics`), all importable from here:

- `SampleGrid`: a PNG grid (and a TensorBoard image) from fixed noise every
  N epochs.
- `GANMetrics`: FID/KID (or more) every N epochs into the epoch logs, so
  `History`, `CSVLogger`, `TensorBoard` and `EarlyStopping` see them.
- `GeneratorEMA`: an exponential moving average of the generator's weights,
  swapped in for sampling and export.
- `ModeCollapseMonitor`: warns (and optionally stops) when sample diversity
  or class coverage falls below a threshold.
- `StandingStatistics`: recomputes the sampling generator's batch-norm
  statistics for its own weights when `fit()` ends (BigGAN's standing
  statistics; useful with `ema_decay=`).
- `DivergenceGuard`: stops on a non-finite or exploding loss and restores the
  last good weights.

They need a model with the `keras_gans.GAN` attributes: `generator`,
`latent_dim`, `generate(z=..., labels=...)`, `num_classes` (None when
unconditional) and, for the callbacks that draw fixed noise (`SampleGrid`,
`ModeCollapseMonitor`), `sample_inputs(num_samples, seed)`: the model says
how its generator inputs are drawn, the callbacks do not.

Example:

```python
from keras_gans import callbacks

gan.fit(data, epochs=20, callbacks=[
    callbacks.SampleGrid("grids/", every=5),
    callbacks.DivergenceGuard(),
])
```

Order matters for callbacks that write into the logs: put `GANMetrics` and
`ModeCollapseMonitor` before `CSVLogger`, `EarlyStopping` or `TensorBoard` in
the `callbacks` list (Keras passes one logs dict through the list in order;
`History` always comes last).

On JAX, `fit()` keeps the model's state outside its variables during an
epoch and writes it back at the epoch's end (`model.jax_state_sync()`);
Keras' `Callback.model` property also calls `jax_state_sync()` whenever a
callback reads `self.model`. Epoch-end callbacks therefore see current
weights on both backends. Mid-epoch, each such hand-over makes the next step
fetch the state again, so the batch-level callbacks here touch the model
only when they act: `GeneratorEMA` every `update_every` steps,
`DivergenceGuard` on a stop or a `snapshot_every` snapshot (its per-batch
check reads only the logs). They also call `jax_state_sync()` explicitly,
so a model passed in by hand (`ema.apply_to(gan)`) is current too.
"""

from keras_gans.callbacks.divergence import DivergenceGuard, DivergenceWarning
from keras_gans.callbacks.gan_metrics import GANMetrics
from keras_gans.callbacks.generator_ema import GeneratorEMA
from keras_gans.callbacks.mode_collapse import (
    ModeCollapseMonitor,
    ModeCollapseWarning,
)
from keras_gans.callbacks.sample_grid import SampleGrid, write_image_summary
from keras_gans.callbacks.standing_statistics import StandingStatistics

__all__ = [
    "DivergenceGuard",
    "DivergenceWarning",
    "GANMetrics",
    "GeneratorEMA",
    "ModeCollapseMonitor",
    "ModeCollapseWarning",
    "SampleGrid",
    "StandingStatistics",
    "write_image_summary",
]
