"""InfoGAN: interpretable representations by maximising mutual information
(Chen, Duan, Houthooft, Schulman, Sutskever and Abbeel 2016)."""

import keras
import numpy as np
from keras import ops

from keras_gans import backend as gan_backend
from keras_gans import validation
from keras_gans.families.infogan import networks as nets_infogan
from keras_gans.networks import dcgan as nets
from keras_gans.models.base import GAN


@keras.saving.register_keras_serializable(package="keras_gans")
class InfoGAN(GAN):
    """InfoGAN (Chen et al. 2016): latent codes the generator must keep recognisable.

    The generator's input is `[noise | one-hot category | continuous codes]`
    (`latent_dim = noise_dim + num_categories + num_continuous`); codes are
    drawn uniformly (a category, U(-1, 1)). A Q head on the discriminator's
    body (`keras_gans.families.infogan.networks`) predicts the codes of generated images;
    its loss `L_I` (cross-entropy for the category, a unit Gaussian's
    negative log-likelihood for the continuous codes), a lower bound of the
    mutual information I(c; G(z, c)) up to constants, is added with weight
    `info_weight` (lambda) to the discriminator's loss (training Q) and to
    the generator's. Logs `d_info_loss` and `g_info_loss`.

    Paper: "InfoGAN: Interpretable Representation Learning by Information
    Maximizing Generative Adversarial Nets", NeurIPS 2016, arXiv:1606.03657.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        noise_dim: size of the incompressible noise (the paper's MNIST: 62).
        num_categories: size of the categorical code (0: none; MNIST: 10).
        num_continuous: number of U(-1, 1) codes (0: none; MNIST: 2).
        width: base channel count of both (DCGAN) networks.
        kernel_size: convolution kernel size.
        info_weight: lambda, the weight of `L_I` (the paper: 1).
        **kwargs: the training arguments of `keras_gans.GAN`, your own
            networks, and `keras.Model`'s.

    Example:

    ```python
    gan = keras_gans.InfoGAN(image_shape=(8, 8, 1), noise_dim=16, width=16)
    gan.compile()
    gan.fit(keras_gans.datasets.load_digits(batch_size=64), epochs=50)
    threes = gan.generate(codes={"categorical": 3}, num_samples=8, seed=0)
    category, continuous = gan.infer_codes(threes)
    ```
    """

    log_names = GAN.log_names + ("d_info_loss", "g_info_loss")
    supports_relativistic_loss = False

    def __init__(self, image_shape=(28, 28, 1), noise_dim=62, num_categories=10,
                 num_continuous=2, width=64, kernel_size=4, info_weight=1.0, **kwargs):
        validation.check_positive_int("noise_dim", noise_dim)
        nets_infogan.check_codes(num_categories, num_continuous)
        latent_dim = kwargs.pop("latent_dim", None)
        if latent_dim is not None and latent_dim != noise_dim + num_categories + num_continuous:
            raise ValueError(
                f"InfoGAN takes noise_dim, not latent_dim; received latent_dim={latent_dim!r}. "
                f"Its latent size is noise_dim + num_categories + num_continuous = "
                f"{noise_dim} + {num_categories} + {num_continuous}."
            )
        if isinstance(info_weight, bool) or not float(info_weight) >= 0:
            raise ValueError(f"info_weight must be a number >= 0; received {info_weight!r}.")
        super().__init__(architecture=dict(
            image_shape=image_shape, noise_dim=noise_dim, num_categories=num_categories,
            num_continuous=num_continuous, width=width, kernel_size=kernel_size,
            info_weight=float(info_weight)), **kwargs)

    def build_networks(self, image_shape, noise_dim, num_categories, num_continuous,
                       width, kernel_size):
        return {
            "generator": nets.build_dcgan_generator(
                image_shape, noise_dim + num_categories + num_continuous, width=width,
                kernel_size=kernel_size),
            "discriminator": nets_infogan.build_infogan_discriminator(
                image_shape, num_categories, num_continuous, width=width,
                kernel_size=kernel_size),
        }

    # ---------------------------------------------------------- the codes

    def sample_latent(self, batch_size):
        """Training inputs: N(0, I) noise, a uniform one-hot category, U(-1, 1) codes."""
        k, c, seed = self.num_categories, self.num_continuous, self.seed_generator

        def draw(n):
            parts = [keras.random.normal((n, self.noise_dim), seed=seed)]
            if k:
                parts.append(ops.one_hot(keras.random.randint((n,), 0, k, seed=seed), k))
            if c:
                parts.append(keras.random.uniform((n, c), -1.0, 1.0, seed=seed))
            return ops.concatenate([ops.cast(p, "float32") for p in parts], axis=1)

        return self.replica_rows(draw, batch_size)

    def latent_vectors(self, num_samples, seed=None):
        """Numpy generator inputs, noise and codes from their priors (fixed by `seed`)."""
        noise = super().latent_vectors(num_samples, seed)[:, : self.noise_dim]
        codes = self.make_codes(num_samples, seed=None if seed is None else seed + 1)
        return np.concatenate([noise, codes], axis=1)

    def make_codes(self, num_samples=None, categorical=None, continuous=None, seed=None):
        """Codes `(n, num_categories + num_continuous)`; see `nets_infogan.make_codes`.

        Example:

        >>> gan.make_codes(categorical=[1, 7], continuous=[0.0, 0.5]).shape
        (2, 12)
        """
        return nets_infogan.make_codes(self.num_categories, self.num_continuous,
                                       num_samples, categorical, continuous, seed)

    def generate(self, num_samples=None, z=None, labels=None, seed=None, batch_size=256,
                 ema=None, codes=None):
        """`GAN.generate`, with the codes fixed by `codes` if given.

        Args:
            codes: an array `(n, num_categories + num_continuous)` (one-hot
                category, then continuous codes), or a dict of `make_codes`'
                arguments (`categorical=`, `continuous=`); the noise comes
                from `z` or `seed`. None: codes drawn with the noise.
            num_samples, z, labels, seed, batch_size, ema: as for `GAN.generate`.

        Example:

        >>> gan.generate(codes={"categorical": [0, 1, 2]}, seed=0).shape
        (3, 8, 8, 1)
        """
        kwargs = dict(labels=labels, batch_size=batch_size, ema=ema)
        if codes is None:
            return super().generate(num_samples, z=z, seed=seed, **kwargs)
        if isinstance(codes, dict):
            if num_samples is None and z is not None:
                num_samples = len(z)
            codes = self.make_codes(**{"num_samples": num_samples, "seed": seed, **codes})
        if z is None:
            z = self.latent_vectors(len(codes), seed)
        z = nets_infogan.with_codes(z, codes, self.noise_dim)
        return super().generate(num_samples, z=z, **kwargs)

    def infer_codes(self, images, batch_size=256):
        """Q's estimate of the codes: `(categories (n,) or None, means (n, c) or None)`.

        Example:

        >>> category, continuous = gan.infer_codes(gan.generate(4, seed=0))
        """
        images = validation.check_images(images, self.image_shape)
        outputs = self._run_in_chunks(self.discriminator, [images], batch_size)[1:]
        category = outputs.pop(0).argmax(axis=1).astype("int32") if self.num_categories else None
        return category, outputs[0] if self.num_continuous else None

    # ------------------------------------------------------------- losses

    def discriminator_scores(self, images, labels=None, training=True):
        """The real/fake head's scores (what the GAN loss and regularizers see)."""
        return self.discriminator_outputs(images, labels, training)[0]

    def information_loss(self, outputs, z):
        """`L_I` of Q's `outputs` for the codes in `z` (`nets_infogan.information_loss`)."""
        return nets_infogan.information_loss(
            outputs[1:], z[:, self.noise_dim:], self.num_categories, self.num_continuous)

    def discriminator_phase_loss(self, batch, training=True):
        """The GAN loss on real versus fresh fakes, plus `info_weight * L_I` (trains Q)."""
        z = self.sample_latent(ops.shape(batch.images)[0])
        fakes = gan_backend.no_gradient(lambda: self.generate_fakes(z, None, training))
        reals = ops.cast(batch.images, fakes.dtype)
        real_scores = self.discriminator_scores(reals, None, training)
        fake_outputs = self.discriminator_outputs(fakes, None, training)
        loss = self.gan_loss.discriminator_loss(
            real_scores, fake_outputs[0], real_target=1.0 - self.label_smoothing)
        info = self.information_loss(fake_outputs, z)
        logs = {"d_real": self._score_for_logging(real_scores),
                "d_fake": self._score_for_logging(fake_outputs[0]), "d_info_loss": info,
                "_real_scores": real_scores, "_fake_scores": fake_outputs[0]}
        # Shows ADA the real scores and logs its state (`aug_p`, `aug_rt`).
        logs = self.observe_augmentation(logs, training)
        return self.add_regularizers("discriminator", loss + self.info_weight * info, logs,
                                     real_images=reals, fake_images=fakes, labels=None,
                                     training=training)

    def generator_loss(self, z, labels=None, training=True, real_images=None):
        """The generator's GAN loss plus `info_weight * L_I` of its images."""
        outputs = self.discriminator_outputs(self.generate_fakes(z, None, training), None, training)
        info = self.information_loss(outputs, z)
        return self.gan_loss.generator_loss(outputs[0]) + self.info_weight * info, {
            "g_info_loss": info}
