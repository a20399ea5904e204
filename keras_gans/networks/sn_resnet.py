"""ResNet networks of SNGAN (Miyato et al. 2018, arXiv:1802.05957).

The generator stacks up-sampling residual blocks (BN-ReLU-Up-Conv3-BN-ReLU-
Conv3, with an Up-Conv1 shortcut); the discriminator stacks down-sampling
residual blocks (ReLU-Conv3-ReLU-Conv3-AvgPool, Conv1-AvgPool shortcut),
sums its features over space and scores them with a linear layer. Every
discriminator weight is spectrally normalised when `spectral_norm=True`
(`keras_gans.networks.spectral_norm`).
With `num_classes`, the discriminator is a projection discriminator
(Miyato and Koyama 2018, arXiv:1802.05637) and the generator takes
`[z, labels]`.

Example:

```python
g = build_resnet_generator((8, 8, 1), latent_dim=32, width=32)
d = build_resnet_discriminator((8, 8, 1), width=32)
```
"""

import keras
from keras import layers

from keras_gans.networks.layers import BatchNormalization
from keras_gans.networks.spectral_norm import SNConv2D, SNDense
from keras_gans.networks.dcgan import dcgan_upsamplings


def _check(image_shape, width, num_classes):
    shape = tuple(int(d) for d in image_shape)
    if len(shape) != 3 or shape[0] % 4 or shape[1] % 4:
        raise ValueError(
            "image_shape must be (H, W, C) with H and W divisible by 4; "
            f"received {tuple(image_shape)}."
        )
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be a positive integer; received {width!r}.")
    if num_classes is not None and (
        isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2
    ):
        raise ValueError(f"num_classes must be None or an integer >= 2; received {num_classes!r}.")
    return shape


def _conv(spectral_norm, *args, **kwargs):
    return (SNConv2D if spectral_norm else layers.Conv2D)(*args, **kwargs)


def _dense(spectral_norm, *args, **kwargs):
    return (SNDense if spectral_norm else layers.Dense)(*args, **kwargs)


def _up_block(x, channels, name):
    shortcut = layers.UpSampling2D(name=f"{name}_up_skip")(x)
    shortcut = layers.Conv2D(channels, 1, name=f"{name}_skip")(shortcut)
    x = BatchNormalization(name=f"{name}_bn1")(x)
    x = layers.ReLU()(x)
    x = layers.UpSampling2D(name=f"{name}_up")(x)
    x = layers.Conv2D(channels, 3, padding="same", name=f"{name}_conv1")(x)
    x = BatchNormalization(name=f"{name}_bn2")(x)
    x = layers.ReLU()(x)
    x = layers.Conv2D(channels, 3, padding="same", name=f"{name}_conv2")(x)
    return layers.Add(name=name)([x, shortcut])


def build_resnet_generator(image_shape, latent_dim=128, width=64, num_classes=None,
                           name="resnet_generator"):
    """SNGAN's ResNet generator (Miyato et al. 2018, Table 4).

    z (concatenated with a label embedding when `num_classes` is set) goes
    through a dense layer to a small grid, then one up-sampling residual
    block per doubling (`keras_gans.nets.dcgan_upsamplings`: 8x8 from 2x2,
    28x28 from 7x7, 32x32 from 4x4), BN-ReLU, a 3x3 convolution and tanh.
    Channels halve from `width * 2**(steps-1)` to `width`.

    Args:
        image_shape: (H, W, C), H and W divisible by 4.
        latent_dim: size of z.
        width: channels of the last block.
        num_classes: None, or the number of classes (inputs `[z, labels]`).
        name: the model's name.

    Returns:
        A functional `keras.Model` from z (or `[z, labels]`) to tanh images.

    Example:

    >>> build_resnet_generator((28, 28, 1), latent_dim=16, width=8).output_shape
    (None, 28, 28, 1)
    """
    h, w, c = _check(image_shape, width, num_classes)
    steps = dcgan_upsamplings((h, w, c))
    z = keras.Input((latent_dim,), name="z")
    inputs, x = z, z
    if num_classes is not None:
        labels = keras.Input((), dtype="int32", name="labels")
        embedded = layers.Embedding(num_classes, num_classes, name="label_embedding")(labels)
        x = layers.Concatenate(name="z_and_label")([z, embedded])
        inputs = [z, labels]
    channels = width * 2 ** (steps - 1)
    x = layers.Dense((h >> steps) * (w >> steps) * channels, name="project")(x)
    x = layers.Reshape((h >> steps, w >> steps, channels))(x)
    for i in range(steps):
        x = _up_block(x, width * 2 ** (steps - 1 - i), f"block{i + 1}")
    x = BatchNormalization(name="out_bn")(x)
    x = layers.ReLU()(x)
    x = layers.Conv2D(c, 3, padding="same", name="to_image")(x)
    images = layers.Activation("tanh", name="images")(x)
    return keras.Model(inputs, images, name=name)


def _down_block(x, channels, name, spectral_norm, first=False, downsample=True):
    shortcut = x
    if not first:
        x = layers.ReLU()(x)
    x = _conv(spectral_norm, channels, 3, padding="same", name=f"{name}_conv1")(x)
    x = layers.ReLU()(x)
    x = _conv(spectral_norm, channels, 3, padding="same", name=f"{name}_conv2")(x)
    if downsample:
        x = layers.AveragePooling2D(2, name=f"{name}_pool")(x)
    if first and downsample:  # the "optimized" first block pools, then projects
        shortcut = layers.AveragePooling2D(2, name=f"{name}_skip_pool")(shortcut)
    if first or downsample or shortcut.shape[-1] != channels:
        shortcut = _conv(spectral_norm, channels, 1, name=f"{name}_skip")(shortcut)
    if downsample and not first:
        shortcut = layers.AveragePooling2D(2, name=f"{name}_skip_pool")(shortcut)
    return layers.Add(name=name)([x, shortcut])


def build_resnet_discriminator(image_shape, width=64, num_classes=None,
                               spectral_norm=True, name="resnet_discriminator"):
    """SNGAN's ResNet discriminator, optionally a projection discriminator.

    Down-sampling residual blocks (the first one "optimized", without a
    leading ReLU), one per doubling of the generator, a final residual block
    at that size, ReLU, a sum over space (`features`) and a linear score.
    With `num_classes`, `score = psi(phi(x)) + embed(y) . phi(x)` (Miyato
    and Koyama 2018). No batch norm, so it suits R1 and gradient penalties.

    Args:
        image_shape: (H, W, C), H and W divisible by 4.
        width: channels of the first block; they double per block.
        num_classes: None, or the number of classes (inputs `[images, labels]`).
        spectral_norm: spectrally normalise every convolution and dense
            layer and the class embedding (`SNConv2D`, `SNDense`).
        name: the model's name.

    Returns:
        A functional `keras.Model` to one raw score per image, `(None, 1)`.

    Example:

    >>> d = build_resnet_discriminator((8, 8, 1), width=8, num_classes=10)
    >>> d([np.zeros((2, 8, 8, 1)), np.array([3, 7])]).shape
    (2, 1)
    """
    h, w, c = _check(image_shape, width, num_classes)
    steps = dcgan_upsamplings((h, w, c))
    images = keras.Input((h, w, c), name="images")
    x = images
    for i in range(steps):
        x = _down_block(x, width * 2**i, f"block{i + 1}", spectral_norm, first=i == 0)
    x = _down_block(x, width * 2 ** (steps - 1), f"block{steps + 1}", spectral_norm,
                    downsample=False)
    x = layers.ReLU()(x)
    features = layers.GlobalAveragePooling2D(name="pool")(x)
    # A sum over space, as in the paper (the mean times the grid size).
    features = layers.Rescaling(float((h >> steps) * (w >> steps)), name="features")(features)
    score = _dense(spectral_norm, 1, name="linear")(features)
    if num_classes is None:
        return keras.Model(images, layers.Identity(name="score")(score), name=name)
    labels = keras.Input((), dtype="int32", name="labels")
    # The class embedding as a bias-free Dense on one-hot labels, so that it
    # is spectrally normalised like every other weight.
    one_hot = layers.CategoryEncoding(num_classes, output_mode="one_hot", name="one_hot")(labels)
    embedded = _dense(spectral_norm, int(features.shape[-1]), use_bias=False,
                      name="class_embedding")(one_hot)
    projection = layers.Dot(axes=1, name="projection")([embedded, features])
    score = layers.Add(name="score")([score, projection])
    return keras.Model([images, labels], score, name=name)
