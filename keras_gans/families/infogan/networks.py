"""InfoGAN's discriminator with a Q head sharing its body (Chen et al. 2016).

Example:

```python
d = build_infogan_discriminator((28, 28, 1), num_categories=10, num_continuous=2)
score, category_logits, continuous_mean = d(images)
```
"""

import keras
import numpy as np
from keras import layers, ops

from keras_gans.networks import dcgan as nets


def check_codes(num_categories, num_continuous):
    """Check InfoGAN's code sizes; return them as ints.

    Raises:
        ValueError: naming the argument: `num_categories` must be 0 or >= 2,
            `num_continuous` >= 0, and at least one code must exist.

    Example:

    >>> check_codes(10, 2)
    (10, 2)
    """
    for name, value, low in (("num_categories", num_categories, 0),
                             ("num_continuous", num_continuous, 0)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}; received {value!r}.")
    if num_categories == 1:
        raise ValueError("num_categories must be 0 (no categorical code) or >= 2; received 1.")
    if num_categories + num_continuous == 0:
        raise ValueError(
            "InfoGAN needs a latent code: num_categories and num_continuous are both 0."
        )
    return int(num_categories), int(num_continuous)


def build_infogan_discriminator(image_shape, num_categories=10, num_continuous=2,
                                width=64, kernel_size=4, q_units=128,
                                name="infogan_discriminator"):
    """A DCGAN discriminator whose features also feed InfoGAN's Q head.

    Q shares every convolution with D (the paper's choice: one extra dense
    layer, so the information term costs almost nothing) and predicts the
    categorical code's logits and the continuous codes' means (a factored
    Gaussian with unit variance).

    Reference: Chen et al. 2016, "InfoGAN", arXiv:1606.03657 (Appendix C).

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        num_categories: size of the categorical code (0: none).
        num_continuous: number of continuous codes (0: none).
        width: channels of the first convolution.
        kernel_size: convolution kernel size.
        q_units: units of Q's hidden dense layer.
        name: the model's name.

    Returns:
        A functional `keras.Model` from images to `[score]`, then the
        category logits `(None, num_categories)` if any, then the continuous
        means `(None, num_continuous)` if any.

    Example:

    >>> d = build_infogan_discriminator((8, 8, 1), 10, 2, width=8)
    >>> [tuple(o.shape) for o in d.outputs]
    [(None, 1), (None, 10), (None, 2)]
    """
    num_categories, num_continuous = check_codes(num_categories, num_continuous)
    body = nets.build_dcgan_discriminator(image_shape, width=width, kernel_size=kernel_size)
    features = body.get_layer("features").output
    hidden = layers.Dense(q_units, name="q_hidden")(features)
    hidden = layers.LeakyReLU(0.2)(hidden)
    outputs = [body.outputs[0]]
    if num_categories:
        outputs.append(layers.Dense(num_categories, name="q_category_logits")(hidden))
    if num_continuous:
        outputs.append(layers.Dense(num_continuous, name="q_continuous_mean")(hidden))
    return keras.Model(body.inputs[0], outputs, name=name)


def make_codes(num_categories, num_continuous, num_samples=None, categorical=None,
               continuous=None, seed=None):
    """InfoGAN codes as a numpy array `(n, num_categories + num_continuous)`.

    Unset parts are drawn from the prior (a uniform category, U(-1, 1)
    continuous codes) with `seed`.

    Args:
        num_categories, num_continuous: the model's code sizes.
        num_samples: n; default: the length of `categorical` or
            `continuous`, else 16.
        categorical: one int for all rows, or ints of shape (n,).
        continuous: one row of shape (num_continuous,) for all, or (n, num_continuous).
        seed: seed of the prior draws.

    Example:

    >>> make_codes(3, 1, categorical=[2, 0], continuous=[[0.5], [-1.0]])
    array([[ 0. ,  0. ,  1. ,  0.5],
           [ 1. ,  0. ,  0. , -1. ]], dtype=float32)
    """
    k, c = num_categories, num_continuous
    if categorical is not None and not k:
        raise ValueError("categorical: this InfoGAN has no categorical code (num_categories=0).")
    if continuous is not None and not c:
        raise ValueError("continuous: this InfoGAN has no continuous code (num_continuous=0).")
    categorical = None if categorical is None else np.asarray(categorical)
    continuous = None if continuous is None else np.asarray(continuous, "float32")
    if num_samples is None:
        for given in (categorical, continuous):
            if given is not None and given.ndim == (2 if given is continuous else 1):
                num_samples = len(given)
        num_samples = 16 if num_samples is None else num_samples
    n = int(num_samples)
    rng = np.random.default_rng(seed)
    cats = rng.integers(0, max(k, 1), n) if categorical is None else np.broadcast_to(categorical, (n,))
    if k and (not np.issubdtype(cats.dtype, np.integer) or cats.min() < 0 or cats.max() >= k):
        raise ValueError(f"categorical must hold integers in [0, {k}); received {categorical!r}.")
    cont = rng.uniform(-1, 1, (n, c)) if continuous is None else continuous
    if cont.shape not in ((c,), (n, c)):
        raise ValueError(
            f"continuous must have shape ({c},) or ({n}, {c}); received {cont.shape}."
        )
    parts = [np.eye(k, dtype="float32")[cats]] if k else []
    return np.concatenate(parts + [np.broadcast_to(cont, (n, c))], axis=1).astype("float32")


def with_codes(z, codes, noise_dim):
    """A copy of latent vectors `z` whose code part (after `noise_dim`) is `codes`.

    Args:
        z: `(n, noise_dim + code size)`.
        codes: `(n, code size)` or one row `(1, code size)` for all.
        noise_dim: size of the noise part.

    Example:

    >>> with_codes(np.zeros((2, 3)), np.ones((1, 1)), 2)[:, 2]
    array([1., 1.], dtype=float32)
    """
    z, codes = np.array(z, "float32"), np.asarray(codes, "float32")
    size = z.shape[1] - noise_dim
    if codes.ndim != 2 or codes.shape[1] != size or len(codes) not in (1, len(z)):
        raise ValueError(
            f"codes must have shape ({len(z)}, {size}) or (1, {size}); received {codes.shape}.")
    z[:, noise_dim:] = codes
    return z


def information_loss(q_outputs, codes, num_categories, num_continuous):
    """InfoGAN's `L_I`: Q's cross-entropy on the category plus a unit
    Gaussian's negative log-likelihood (0.5 * squared error, summed over the
    codes) on the continuous codes, each a mean over the batch. Minimising
    it maximises the variational lower bound of I(c; G(z, c)) (Chen et al.
    2016, eq. 4) up to constants.

    Args:
        q_outputs: Q's outputs: the category logits (if any), then the
            continuous means (if any).
        codes: the codes `(n, num_categories + num_continuous)` the images
            were generated with (one-hot category first).
        num_categories, num_continuous: the code sizes.

    Example:

    >>> float(information_loss([ops.zeros((2, 4))], ops.eye(4)[:2], 4, 0))  # ln 4
    1.386...
    """
    codes, k = ops.cast(codes, "float32"), num_categories
    loss = ops.zeros(())
    if k:
        loss += ops.mean(keras.losses.categorical_crossentropy(
            codes[:, :k], ops.cast(q_outputs[0], "float32"), from_logits=True))
    if num_continuous:
        error = codes[:, k:] - ops.cast(q_outputs[-1], "float32")
        loss += ops.mean(0.5 * ops.sum(ops.square(error), axis=-1))
    return loss
