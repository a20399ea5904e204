"""Regularizers: penalties added to one phase's loss, for any GAN family.

A regularizer is a Keras object saved with the model (in its compile
config, and its state, if any, in its weights). Pass a list to `compile`:

```python
gan = keras_gans.DCGAN(image_shape=(28, 28, 1))
gan.compile(regularizers=[keras_gans.regularizers.R1(gamma=1.0)])
gan.fit(dataset)  # logs d_loss, g_loss, d_real, d_fake and r1
```

The same objects work with every family: the conditional families pass
the step's labels to the discriminator inside the penalty, VAE-GAN's and
WGAN-GP's discriminator phases add them like any other.

| class | log | penalty (unweighted) | added to the loss |
|---|---|---|---|
| `GradientPenalty(weight=10)` | `gp` | mean_i (‖∇D(x̂_i)‖ - 1)², x̂ between real and fake | `weight * gp` |
| `R1(gamma=10)` | `r1` | ½ mean_i ‖∇D(x_i)‖² on real images | `gamma * r1` |
| `R2(gamma=10)` | `r2` | ½ mean_i ‖∇D(G(z_i))‖² on generated images | `gamma * r2` |
| `LeCam(weight=0.3)` | `lecam` | mean (D(x) - α_F)² + mean (D(G(z)) - α_R)², α moving averages | `weight * lecam` |
| `BCR(weight=10)` | `bcr` | mean (D(x) - D(T(x)))² + mean (D(G(z)) - D(T(G(z))))² | `weight * real + fake_weight * fake` |

Writing a new one: subclass `Regularizer`, set `phase` and `log_name`,
implement `penalty(model, context)` with `keras.ops` (no Python side
effects: the step is compiled), declare it with
`@keras_gans.parts.register("regularizer", "its_name")` (so `compile`, a
preset and a `.keras` file find it by name), and call `check_part` in its
test (see docs/adding_a_family.md).
"""

from keras_gans import parts
from keras_gans.regularizers.base import (  # noqa: F401  (the public names live here)
    Regularizer,
    input_gradients,
    squared_norms,
)
from keras_gans.regularizers.consistency import BCR  # noqa: F401
from keras_gans.regularizers.gradient import R1, R2, GradientPenalty  # noqa: F401
from keras_gans.regularizers.lecam import LeCam  # noqa: F401


def get(identifier):
    """A `Regularizer` from an instance, a registered name ("gp", "r1", "r2",
    "lecam", "bcr", or one declared with `keras_gans.parts.register`) or a
    config (Keras' serialized form, or `{"class_name": "R1", "config": {...}}`).

    Example:

    >>> type(get("r1")).__name__
    'R1'
    """
    return parts.get("regularizer", identifier, Regularizer)


def get_list(identifiers):
    """A list of `Regularizer`s from None, one identifier or a list of them.

    Example:

    >>> [type(r).__name__ for r in get_list(["gp", "r1"])]
    ['GradientPenalty', 'R1']
    """
    if identifiers is None:
        return []
    if not isinstance(identifiers, (list, tuple)):
        identifiers = [identifiers]
    regularizers = [get(i) for i in identifiers]
    names = [r.log_name for r in regularizers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(
            f"Two regularizers would log under the same name {duplicates}; "
            "give one a different log_name."
        )
    return regularizers
