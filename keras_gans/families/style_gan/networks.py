"""A small StyleGAN2-style generator (Karras et al. 2020, arXiv:1912.04958).

`z -> mapping -> w`, broadcast to one style per layer `ws`, then the
synthesis network: a learned constant, modulated/demodulated 3x3
convolutions with noise inputs, bilinear upsampling and the skip
architecture's toRGB outputs summed across resolutions. The generator is
`synthesis(broadcast(mapping(z)))` with the two parts as nested models
named "mapping" and "synthesis", so a family can mix styles in training.

Example:

```python
g = build_style_generator((8, 8, 1), latent_dim=32, width=16)
w = g.get_layer("mapping")(z)                      # (n, 32)
ws = ops.repeat(w[:, None], num_style_layers((8, 8, 1)), axis=1)
images = g.get_layer("synthesis")(ws)              # == g(z)
```
"""

import keras
from keras import layers, ops

from keras_gans.networks.style_layers import (ConstantInput, EqualizedDense, ModulatedConv2D,
                                     NoiseInjection, PixelNorm, StyleSlice)
from keras_gans.networks.dcgan import dcgan_upsamplings


def num_style_layers(image_shape):
    """How many styles (`ws` entries) the synthesis network takes: one per
    modulated 3x3 convolution, `1 + 2 * upsamplings`.

    Example:

    >>> num_style_layers((8, 8, 1)), num_style_layers((32, 32, 3))
    (5, 7)
    """
    return 1 + 2 * dcgan_upsamplings(image_shape)


def build_mapping_network(latent_dim, w_dim=None, layers_count=2, name="mapping"):
    """StyleGAN's mapping network: PixelNorm, then dense layers with LeakyReLU(0.2)
    (equalised learning rate with StyleGAN's 0.01 multiplier).

    Args:
        latent_dim: size of z.
        w_dim: size of w (default: latent_dim).
        layers_count: number of dense layers (StyleGAN2: 8; small images: 2).
        name: the model's name.

    Example:

    >>> build_mapping_network(16, 32).output_shape
    (None, 32)
    """
    z = keras.Input((latent_dim,), name="z")
    x = PixelNorm(name="normalize_z")(z)
    for i in range(layers_count):
        x = EqualizedDense(w_dim or latent_dim, lr_multiplier=0.01, name=f"fc{i}")(x)
        x = layers.LeakyReLU(0.2)(x)
    return keras.Model(z, x, name=name)


def build_synthesis_network(image_shape, w_dim, width=64, seed=0, name="synthesis"):
    """StyleGAN2's synthesis network (skip architecture) at small scale.

    Args:
        image_shape: (H, W, C), H and W divisible by 4; it starts from a
            learned constant of `H / 2**k` (see `keras_gans.nets.dcgan_upsamplings`).
        w_dim: size of each style.
        width: channels at the last resolution; they double towards the start.
        seed: seed of the noise inputs.
        name: the model's name.

    Returns:
        A functional `keras.Model` from `ws` `(None, num_style_layers, w_dim)`
        to tanh images.

    Example:

    >>> build_synthesis_network((8, 8, 1), 16, width=8).output_shape
    (None, 8, 8, 1)
    """
    h, w, c = (int(d) for d in image_shape)
    steps = dcgan_upsamplings((h, w, c))
    ws = keras.Input((num_style_layers(image_shape), w_dim), name="ws")
    style = [StyleSlice(i, name=f"w{i}")(ws) for i in range(num_style_layers(image_shape))]

    def styled_conv(x, i, channels):
        x = ModulatedConv2D(channels, 3, name=f"conv{i}")([x, style[i]])
        x = NoiseInjection(seed=seed + i, name=f"noise{i}")(x)
        return layers.LeakyReLU(0.2)(x)

    def to_rgb(x, i):
        return ModulatedConv2D(c, 1, demodulate=False, name=f"to_rgb{i}")([x, style[i]])

    x = ConstantInput(width * 2**steps, (h >> steps, w >> steps), name="constant")(style[0])
    x = styled_conv(x, 0, width * 2**steps)
    rgb = to_rgb(x, 0)
    for s in range(steps):
        channels = width * 2 ** (steps - 1 - s)
        x = layers.UpSampling2D(interpolation="bilinear", name=f"up{s}")(x)
        x = styled_conv(x, 2 * s + 1, channels)
        x = styled_conv(x, 2 * s + 2, channels)
        rgb = layers.UpSampling2D(interpolation="bilinear", name=f"rgb_up{s}")(rgb)
        rgb = layers.Add(name=f"rgb{s + 1}")([rgb, to_rgb(x, 2 * s + 2)])
    images = layers.Activation("tanh", name="images")(rgb)
    return keras.Model(ws, images, name=name)


def build_style_generator(image_shape, latent_dim=64, w_dim=None, width=64,
                          mapping_layers=2, seed=0, name="style_generator"):
    """The generator `z -> synthesis(broadcast(mapping(z)))` (Karras et al. 2020).

    Args:
        image_shape: (H, W, C), H and W divisible by 4.
        latent_dim: size of z.
        w_dim: size of w (default: latent_dim).
        width: channels at the last resolution.
        mapping_layers: dense layers of the mapping network.
        seed: seed of the noise inputs.
        name: the model's name.

    Returns:
        A functional `keras.Model` from z to tanh images, whose layers
        "mapping" and "synthesis" are the two parts.

    Example:

    >>> build_style_generator((8, 8, 1), latent_dim=16, width=8).output_shape
    (None, 8, 8, 1)
    """
    h, w, c = (int(d) for d in image_shape)
    if h % 4 or w % 4:
        raise ValueError(
            f"image_shape must have H and W divisible by 4; received {tuple(image_shape)}.")
    w_dim = w_dim or latent_dim
    mapping = build_mapping_network(latent_dim, w_dim, mapping_layers)
    synthesis = build_synthesis_network(image_shape, w_dim, width, seed)
    z = keras.Input((latent_dim,), name="z")
    ws = layers.RepeatVector(num_style_layers(image_shape), name="broadcast")(mapping(z))
    return keras.Model(z, synthesis(ws), name=name)


def mix_styles(ws, ws_other, probability, seed=None):
    """Style mixing regularisation: per sample, with `probability`, switch
    from `ws` to `ws_other` at a random layer `cutoff` in [1, num_ws).

    Args:
        ws, ws_other: styles `(batch, num_ws, w_dim)` of two latents.
        probability: chance that a sample is mixed (StyleGAN2: 0.9).
        seed: a `keras.random.SeedGenerator` (or int) for the draws.

    Returns:
        `(mixed, cutoff)`: the styles, `mixed[:, :cutoff] = ws` and
        `mixed[:, cutoff:] = ws_other`, and the int32 cutoffs `(batch,)`
        (`num_ws` for samples left unmixed).

    Example:

    >>> mixed, cutoff = mix_styles(ws1, ws2, 0.9, seed=keras.random.SeedGenerator(0))
    """
    n, num_ws = ops.shape(ws)[0], ws.shape[1]
    cutoff = keras.random.randint((n,), 1, num_ws, seed=seed, dtype="int32")
    mixed = keras.random.uniform((n,), seed=seed) < probability
    cutoff = ops.where(mixed, cutoff, num_ws)
    keep = ops.arange(num_ws, dtype="int32")[None, :] < cutoff[:, None]
    return ops.where(keep[:, :, None], ws, ws_other), cutoff
