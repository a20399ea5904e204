"""Residual network builders without normalization, after R3GAN.

Huang et al. 2024 ("The GAN is dead; long live the GAN! A Modern GAN
Baseline", arXiv:2501.05441) train a plain ResNet with no normalization
layer at all: each residual branch is 1x1 conv -> 3x3 conv -> 1x1 conv with
leaky ReLU, its last convolution starts at zero and the others are scaled
down with the number of blocks (fix-up initialization, Zhang et al. 2019),
so every block starts as the identity. Resolution changes in "transition"
layers: resampling (bilinear up, average-pool down) and a 1x1 convolution
when the channel count changes. R3GAN's grouped convolutions and its
resampling filters are simplified away; both builders return functional
`keras.Model`s like those in `keras_gans.nets`.

Example:

```python
g = build_resnet_generator((8, 8, 1), latent_dim=32, width=32)
d = build_resnet_discriminator((8, 8, 1), width=32)
```
"""

import keras
from keras import layers

from keras_gans.networks.dcgan import _check_image_shape

_SLOPE = 0.2


def resnet_stages(image_shape):
    """`(base_size, stages)`: halve H and W while both are even and at least 8.

    Example:

    >>> resnet_stages((28, 28, 1))
    ((7, 7), 2)
    >>> resnet_stages((8, 8, 1))
    ((4, 4), 1)
    """
    h, w, _ = _check_image_shape(image_shape)
    stages = 0
    while h % 2 == 0 and w % 2 == 0 and min(h, w) >= 8:
        h, w, stages = h // 2, w // 2, stages + 1
    return (h, w), stages


def _stage_widths(width, stages, max_multiplier):
    """Channels per resolution, coarsest first: width * 2^k, capped."""
    return [width * min(2 ** (stages - i), max_multiplier) for i in range(stages + 1)]


def _fixup_init(total_blocks, convs_per_branch=3):
    # He init for leaky ReLU, variance scaled by L^(-2/(2m-2)) (Fix-up, as R3GAN).
    gain = 2.0 / (1.0 + _SLOPE**2)
    scale = gain * float(total_blocks) ** (-2.0 / (2 * convs_per_branch - 2))
    return keras.initializers.VarianceScaling(scale, "fan_in", "truncated_normal")


def residual_block(x, channels, total_blocks, expansion=2, name=None):
    """x + branch(x), branch = conv1x1 -> lrelu -> conv3x3 -> lrelu -> conv1x1(zero init).

    Args:
        x: a (batch, H, W, channels) tensor.
        channels: its channel count.
        total_blocks: how many blocks the network holds (for the fix-up scale).
        expansion: the branch's inner width as a multiple of `channels`.
        name: a prefix for the layers' names.

    Returns:
        A tensor of x's shape.

    Example:

    ```python
    x = residual_block(x, 64, total_blocks=4)
    ```
    """
    init = _fixup_init(total_blocks)
    inner = channels * expansion
    h = layers.Conv2D(inner, 1, kernel_initializer=init, name=f"{name}_in")(x)
    h = layers.LeakyReLU(_SLOPE)(h)
    h = layers.Conv2D(inner, 3, padding="same", kernel_initializer=init,
                      name=f"{name}_mid")(h)
    h = layers.LeakyReLU(_SLOPE)(h)
    h = layers.Conv2D(channels, 1, kernel_initializer="zeros", name=f"{name}_out")(h)
    return layers.Add()([x, h])


def build_resnet_generator(image_shape, latent_dim=64, width=32, blocks_per_stage=1,
                           expansion=2, max_multiplier=8, name="resnet_generator"):
    """R3GAN-style generator: a linear basis, then residual stages upsampled 2x.

    The latent vector is mapped linearly to a (base_H, base_W) feature map
    (`resnet_stages`), then each stage runs `blocks_per_stage` residual
    blocks and a transition (bilinear 2x upsampling and a 1x1 convolution to
    the next width); a 1x1 convolution and tanh give the image.

    Args:
        image_shape: (H, W, C); any size (H and W are halved while even and
            at least 8, e.g. 8 -> 4, 28 -> 7, 32 -> 4).
        latent_dim: size of the latent vector.
        width: channels at full resolution; coarser stages double it, up to
            `width * max_multiplier`.
        blocks_per_stage: residual blocks per resolution.
        expansion: inner width of each block's branch, as a multiple.
        max_multiplier: cap on the per-stage channel multiplier.
        name: the model's name.

    Returns:
        A functional `keras.Model` from (batch, latent_dim) to images in [-1, 1].

    Example:

    >>> build_resnet_generator((28, 28, 1), latent_dim=16, width=8).output_shape
    (None, 28, 28, 1)
    """
    h, w, c = _check_image_shape(image_shape)
    (bh, bw), stages = resnet_stages(image_shape)
    widths = _stage_widths(width, stages, max_multiplier)
    total = blocks_per_stage * (stages + 1)
    z = keras.Input((latent_dim,), name="z")
    x = layers.Dense(bh * bw * widths[0], name="basis")(z)
    x = layers.Reshape((bh, bw, widths[0]))(x)
    x = layers.LeakyReLU(_SLOPE)(x)
    for stage in range(stages + 1):
        for block in range(blocks_per_stage):
            x = residual_block(x, widths[stage], total, expansion, name=f"g{stage}_{block}")
        if stage < stages:
            x = layers.UpSampling2D(2, interpolation="bilinear")(x)
            if widths[stage + 1] != widths[stage]:
                x = layers.Conv2D(widths[stage + 1], 1, name=f"g{stage}_transition")(x)
    x = layers.Conv2D(c, 1, name="to_image")(x)
    images = layers.Activation("tanh", name="images")(x)
    return keras.Model(z, images, name=name)


def build_resnet_discriminator(image_shape, width=32, blocks_per_stage=1, expansion=2,
                               max_multiplier=8, name="resnet_discriminator"):
    """R3GAN-style discriminator: the generator's mirror, ending in one raw score.

    A 1x1 convolution lifts the image to `width` channels; each stage runs
    residual blocks and a transition (2x average pooling and a 1x1
    convolution to the next width); at the base resolution the features are
    flattened into a linear score. No normalization layer, so per-sample
    gradient penalties (R1, R2) are exact.

    Args:
        image_shape: (H, W, C) of the images.
        width: channels at full resolution (doubled per stage, capped).
        blocks_per_stage: residual blocks per resolution.
        expansion: inner width of each block's branch, as a multiple.
        max_multiplier: cap on the per-stage channel multiplier.
        name: the model's name.

    Returns:
        A functional `keras.Model` from images to (batch, 1) raw scores.

    Example:

    >>> build_resnet_discriminator((8, 8, 1), width=8).output_shape
    (None, 1)
    """
    _check_image_shape(image_shape)
    _, stages = resnet_stages(image_shape)
    widths = _stage_widths(width, stages, max_multiplier)[::-1]
    total = blocks_per_stage * (stages + 1)
    images = keras.Input(tuple(image_shape), name="images")
    x = layers.Conv2D(widths[0], 1, name="from_image")(images)
    x = layers.LeakyReLU(_SLOPE)(x)
    for stage in range(stages + 1):
        for block in range(blocks_per_stage):
            x = residual_block(x, widths[stage], total, expansion, name=f"d{stage}_{block}")
        if stage < stages:
            x = layers.AveragePooling2D(2)(x)
            if widths[stage + 1] != widths[stage]:
                x = layers.Conv2D(widths[stage + 1], 1, name=f"d{stage}_transition")(x)
    x = layers.LeakyReLU(_SLOPE)(x)
    x = layers.Flatten()(x)
    score = layers.Dense(1, name="score")(x)
    return keras.Model(images, score, name=name)
