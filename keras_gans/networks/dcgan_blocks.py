"""The pieces the DCGAN-style builders share: shape checks, the DCGAN
generator body and discriminator convolutions, upsampling, normalization,
spectral normalisation and the minibatch remedies for mode collapse.

`keras_gans.networks.dcgan` (the DCGAN builders), `.mlp` and `.conditional`
build their networks from these; the public names are importable from
`keras_gans.networks.dcgan` (`keras_gans.nets`) too.

Example:

```python
from keras_gans.networks.dcgan_blocks import dcgan_upsamplings
dcgan_upsamplings((28, 28, 1))   # 2: a 7x7 start grid, doubled twice
```
"""

import keras
from keras import layers

from keras_gans.networks.layers import BatchNormalization, MinibatchDiscrimination, MinibatchStdDev


def _check_image_shape(image_shape, divisor=1, family="this network"):
    if len(tuple(image_shape)) != 3:
        raise ValueError(
            f"image_shape must be (height, width, channels); received "
            f"{tuple(image_shape)}."
        )
    h, w, c = (int(d) for d in image_shape)
    if min(h, w, c) < 1:
        raise ValueError(f"image_shape must be positive; received {image_shape}.")
    if h % divisor or w % divisor:
        raise ValueError(
            f"{family} needs height and width divisible by {divisor}; "
            f"received image_shape={tuple(image_shape)}."
        )
    return h, w, c


def dcgan_upsamplings(image_shape):
    """How many 2x upsamplings the DCGAN nets use for an image size.

    The most (up to 4, as in the paper's 64x64 nets) that leave a starting
    grid of at least 4x4, and never fewer than 2.

    Example:

    >>> [dcgan_upsamplings((s, s, 1)) for s in (8, 16, 28, 32, 64)]
    [2, 2, 2, 3, 4]
    """
    h, w, _ = _check_image_shape(image_shape, 4, "DCGAN")
    steps = 2
    for k in (3, 4):
        if h % 2**k == 0 and w % 2**k == 0 and min(h, w) // 2**k >= 4:
            steps = k
    return steps


UPSAMPLINGS = ("transpose", "resize")


def _check_upsampling(upsampling):
    if upsampling not in UPSAMPLINGS:
        raise ValueError(
            f"upsampling must be one of {UPSAMPLINGS}; received {upsampling!r}."
        )
    return upsampling


def _upsample(x, channels, kernel_size, upsampling, use_bias):
    """One 2x upsampling: a stride-2 transposed convolution ("transpose"),
    or nearest-neighbour resizing followed by a stride-1 convolution
    ("resize", Odena, Dumoulin and Olah 2016). Both have
    kernel_size^2 x in x out weights."""
    if upsampling == "transpose":
        return layers.Conv2DTranspose(
            channels, kernel_size, strides=2, padding="same", use_bias=use_bias
        )(x)
    x = layers.UpSampling2D(2, interpolation="nearest")(x)
    return layers.Conv2D(channels, kernel_size, padding="same", use_bias=use_bias)(x)


def _dcgan_generator_body(x, image_shape, width, kernel_size,
                          upsampling="transpose"):
    """The DCGAN generator from a flat input vector to tanh images."""
    h, w, c = _check_image_shape(image_shape, 4, "DCGAN")
    _check_upsampling(upsampling)
    steps = dcgan_upsamplings(image_shape)
    start_h, start_w = h // 2**steps, w // 2**steps
    channels = width * 2 ** (steps - 1)
    x = layers.Dense(start_h * start_w * channels, use_bias=False)(x)
    x = BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((start_h, start_w, channels))(x)
    for _ in range(steps - 1):
        channels //= 2
        x = _upsample(x, channels, kernel_size, upsampling, use_bias=False)
        x = BatchNormalization()(x)
        x = layers.ReLU()(x)
    x = _upsample(x, c, kernel_size, upsampling, use_bias=True)
    return layers.Activation("tanh", name="images")(x)


def _normalization_layer(kind):
    if kind in (None, "none"):
        return None
    if kind == "batch":
        return BatchNormalization()
    if kind == "layer":
        return layers.LayerNormalization()
    raise ValueError(
        f"normalization must be 'batch', 'layer' or None; received {kind!r}."
    )


def _spectral(layer_class, spectral_norm, *args, name=None, **kwargs):
    """A Dense/Conv/Embedding layer, in spectral normalisation if asked.

    The wrapper takes the layer's name, so "score" stays "score".
    """
    if not spectral_norm:
        return layer_class(*args, name=name, **kwargs)
    inner = layer_class(*args, name=f"{name}_kernel" if name else None, **kwargs)
    return layers.SpectralNormalization(inner, name=name)


def _remedy_setting(value, arg, default):
    """False/None -> None, True -> default, positive int -> that int."""
    if value is None or value is False:
        return None
    if value is True:
        return default
    if isinstance(value, int) and value >= 1:
        return int(value)
    raise ValueError(
        f"{arg} must be a bool or a positive int; received {value!r}."
    )


def _check_remedies(minibatch_discrimination, minibatch_stddev):
    return (
        _remedy_setting(minibatch_discrimination, "minibatch_discrimination", 50),
        _remedy_setting(minibatch_stddev, "minibatch_stddev", 4),
    )


def _dcgan_features(x, image_shape, width, kernel_size, normalization,
                    spectral_norm):
    """The DCGAN discriminator's convolutions, flattened (layer "features")."""
    steps = dcgan_upsamplings(image_shape)
    channels = width
    for i in range(steps):
        x = _spectral(
            layers.Conv2D, spectral_norm, channels, kernel_size, strides=2,
            padding="same", use_bias=i == 0 or normalization in (None, "none"),
        )(x)
        norm = _normalization_layer(normalization) if i > 0 else None
        if norm is not None:
            x = norm(x)
        x = layers.LeakyReLU(0.2)(x)
        channels *= 2
    return layers.Flatten(name="features")(x)


def _apply_remedies(features, minibatch_discrimination, minibatch_stddev):
    """Append the minibatch statistics to flat features."""
    x = features
    if minibatch_stddev:
        x = MinibatchStdDev(group_size=minibatch_stddev, name="minibatch_stddev")(x)
    if minibatch_discrimination:
        x = MinibatchDiscrimination(
            num_kernels=minibatch_discrimination, kernel_dim=5,
            name="minibatch_discrimination",
        )(x)
    return x



def _scored_features(image_shape, width, kernel_size, normalization,
                     spectral_norm, minibatch_discrimination, minibatch_stddev):
    """The DCGAN discriminator up to its real/fake score, checked: the
    images input, the flat features and the "score" head (after the
    minibatch remedies), shared by the DCGAN and AC-GAN discriminators.

    Example:

    >>> images, features, score = _scored_features(
    ...     (8, 8, 1), 16, 4, "batch", False, False, False)
    >>> tuple(score.shape)
    (None, 1)
    """
    _check_image_shape(image_shape, 4, "DCGAN")
    _normalization_layer(normalization)
    mbd, mbstd = _check_remedies(minibatch_discrimination, minibatch_stddev)
    images = keras.Input(tuple(int(d) for d in image_shape), name="images")
    features = _dcgan_features(
        images, image_shape, width, kernel_size, normalization, spectral_norm
    )
    x = _apply_remedies(features, mbd, mbstd)
    score = _spectral(layers.Dense, spectral_norm, 1, name="score")(x)
    return images, features, score

_REMEDY_ARGS_DOC = """
        spectral_norm: wrap every convolution and dense layer in
            `keras.layers.SpectralNormalization` (Miyato et al. 2018). Keras'
            wrapper writes the normalised kernel back into the layer at every
            training-mode call, so the discriminator's kernels are also
            re-normalised when the generator phase runs it.
        minibatch_discrimination: False, True (50 kernels of dimension 5) or
            the number of kernels: append `MinibatchDiscrimination` features
            (Salimans et al. 2016) before the score.
        minibatch_stddev: False, True (groups of 4) or the group size: append
            the `MinibatchStdDev` statistic (Karras et al. 2018) before the
            score."""
