"""A style-based generator after StyleGAN2 (Karras et al. 2020), at small scale."""

import keras
from keras import ops

from keras_gans.families.style_gan import networks as nets_style
from keras_gans.networks import sn_resnet as nets_sngan
from keras_gans.models.base import GAN


#: The paper's optimizer as data (`compile_defaults`); `style_optimizer()` builds it.
OPTIMIZER = {"class_name": "Adam",
             "config": {"learning_rate": 1e-3, "beta_1": 0.0, "beta_2": 0.99}}


def style_optimizer():
    """Adam(1e-3, beta_1=0, beta_2=0.99), StyleGAN2's betas at a small-image rate.

    Example:

    >>> float(style_optimizer().beta_2)
    0.99
    """
    return keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99)


@keras.saving.register_keras_serializable(package="keras_gans")
class StyleGAN(GAN):
    """A StyleGAN2-style generator (mapping network, modulated convolutions, noise, style mixing).

    The generator (`keras_gans.families.style_gan.networks`) maps z through a mapping
    network to w, and a synthesis network draws from a learned constant
    with modulated and demodulated 3x3 convolutions, per-pixel noise inputs
    and skip toRGB outputs, all in `keras.ops` (no custom kernels). In
    training, with probability `mixing_prob` a sample's styles switch from
    one latent's w to a second's at a random layer (mixing regularisation).
    The discriminator is a plain residual one (`keras_gans.networks.sn_resnet`'s, without
    spectral normalisation or batch norm). `compile()` defaults to the
    non-saturating loss with `R1(gamma=0.1)`, StyleGAN2's pairing, and
    Adam(1e-3, 0, 0.99) for both networks. The mapping network's dense
    layers learn at 0.01 times that rate (StyleGAN's multiplier).

    Not included (yet): path-length regularisation, lazy regularisation,
    an equalised learning rate in the discriminator, truncation.

    Paper: Karras, Laine, Aittala, Hellsten, Lehtinen and Aila, "Analyzing
    and Improving the Image Quality of StyleGAN", CVPR 2020,
    arXiv:1912.04958 (and Karras et al. 2019, arXiv:1812.04948, for the
    mapping network, noise inputs and style mixing).

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        latent_dim: size of z.
        w_dim: size of w (default: latent_dim).
        width: channels at the last resolution of both networks.
        mapping_layers: dense layers in the mapping network (StyleGAN2: 8).
        mixing_prob: probability of style mixing per training sample (0.9).
        **kwargs: the training arguments of `keras_gans.GAN`, your own
            networks, and `keras.Model`'s.

    Example:

    ```python
    gan = keras_gans.StyleGAN(image_shape=(8, 8, 1), latent_dim=32, width=16)
    gan.compile()  # non-saturating + R1(0.1)
    gan.fit(keras_gans.datasets.load_digits(batch_size=64), epochs=50)
    mixed = gan.generate_mixed(z_coarse, z_fine, cutoff=2)
    ```
    """

    #: Adam(1e-3, beta_1=0, beta_2=0.99) for both networks (StyleGAN2:
    #: 2.5e-3; at the base class's Adam(2e-4, 0.5) the generator, with its
    #: equalised learning rate, falls behind and collapses on the digits),
    #: the non-saturating loss and `R1(gamma=0.1)`; pass
    #: `regularizers=[]` for none.
    compile_defaults = {
        "d_optimizer": OPTIMIZER,
        "g_optimizer": OPTIMIZER,
        "loss": "non_saturating",
        "regularizers": [{"class_name": "R1", "config": {"gamma": 0.1}}],
    }

    def __init__(self, image_shape=(28, 28, 1), latent_dim=64, w_dim=None, width=32,
                 mapping_layers=2, mixing_prob=0.9, **kwargs):
        if isinstance(mixing_prob, bool) or not 0.0 <= float(mixing_prob) <= 1.0:
            raise ValueError(f"mixing_prob must be in [0, 1]; received {mixing_prob!r}.")
        if isinstance(mapping_layers, bool) or not isinstance(mapping_layers, int) or (
                mapping_layers < 1):
            raise ValueError(f"mapping_layers must be an integer >= 1; received {mapping_layers!r}.")
        if w_dim is not None and (isinstance(w_dim, bool) or not isinstance(w_dim, int)
                                  or w_dim < 1):
            raise ValueError(f"w_dim must be None or an integer >= 1; received {w_dim!r}.")
        super().__init__(architecture=dict(
            image_shape=image_shape, latent_dim=latent_dim, w_dim=w_dim, width=width,
            mapping_layers=mapping_layers, mixing_prob=float(mixing_prob)), **kwargs)

    def build_networks(self, image_shape, latent_dim, w_dim, width, mapping_layers):
        return {
            "generator": nets_style.build_style_generator(
                image_shape, latent_dim, w_dim, width=width, mapping_layers=mapping_layers),
            "discriminator": nets_sngan.build_resnet_discriminator(
                image_shape, width=width, spectral_norm=False),
        }

    def _parts(self, generator):
        try:
            return generator.get_layer("mapping"), generator.get_layer("synthesis")
        except ValueError:  # a user-supplied generator: no mixing
            return None, None

    def generate_fakes(self, z, labels=None, training=True):
        """The generator's images; in training, with style mixing (`mixing_prob`)."""
        mapping, synthesis = self._parts(self.generator)
        if not training or not self.mixing_prob or mapping is None:
            return super().generate_fakes(z, labels, training)
        num_ws = synthesis.inputs[0].shape[1]
        z_other = self.sample_latent(ops.shape(z)[0])
        ws = ops.repeat(mapping(z, training=training)[:, None], num_ws, axis=1)
        ws_other = ops.repeat(mapping(z_other, training=training)[:, None], num_ws, axis=1)
        mixed, _ = nets_style.mix_styles(ws, ws_other, self.mixing_prob, self.seed_generator)
        return synthesis(mixed, training=training)

    def generate_mixed(self, z, z_other, cutoff, ema=None):
        """Images whose first `cutoff` styles come from `z` and the rest from `z_other`.

        Args:
            z, z_other: latent vectors `(n, latent_dim)`.
            cutoff: the layer where styles switch, in [0, num_style_layers].
            ema: which generator (see `sampling_generator`).

        Returns:
            Float32 numpy images `(n, H, W, C)`.

        Example:

        >>> gan.generate_mixed(gan.latent_vectors(2, 0), gan.latent_vectors(2, 1), 2).shape
        (2, 8, 8, 1)
        """
        mapping, synthesis = self._parts(self.sampling_generator(ema))
        if mapping is None:
            raise ValueError("generate_mixed needs a generator with layers named 'mapping' "
                             "and 'synthesis' (keras_gans.nets_style.build_style_generator).")
        num_ws = synthesis.inputs[0].shape[1]
        if not 0 <= int(cutoff) <= num_ws:
            raise ValueError(f"cutoff must be in [0, {num_ws}]; received {cutoff!r}.")
        ws = [ops.repeat(mapping(ops.convert_to_tensor(v, "float32"))[:, None], num_ws, axis=1)
              for v in (z, z_other)]
        keep = (ops.arange(num_ws) < int(cutoff))[None, :, None]
        return ops.convert_to_numpy(synthesis(ops.where(keep, *ws), training=False))
