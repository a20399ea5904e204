"""Class-conditional GANs: the conditional GAN and AC-GAN.

Both model p(x | y) for class labels y in [0, num_classes) and train on
datasets of `(images, labels)`. Labels may be integers, shape `(n,)` or
`(n, 1)`, or one-hot, shape `(n, num_classes)` (converted with argmax in the
step).

Which labels do the fakes get? In both phases the generated images of a step
are drawn for the step's own real labels (with fresh noise). The fakes then
have exactly the data's class distribution, so the discriminator cannot tell
fakes by their labels alone, even for imbalanced data, and every class is
trained in proportion to its frequency.
"""

import keras
import numpy as np
from keras import ops

from keras_gans import backend as gan_backend
from keras_gans import nets, validation
from keras_gans.models.base import GAN
from keras_gans.registry import register

_HOW_TO_SUPPLY_LABELS = (
    "Pass labels with the images: fit(x, y), fit((x, y)), or a tf.data "
    "dataset yielding (images, labels) batches, e.g. "
    "keras_gans.datasets.load_digits(with_labels=True) or "
    "keras_gans.datasets.load(name, with_labels=True)."
)


class _ClassConditionalGAN(GAN):
    """Label handling shared by `ConditionalGAN` and `ACGAN`.

    Not registered: use one of the two subclasses.
    """

    num_classes = None

    # ------------------------------------------------------------- labels

    def check_labels(self, labels, num_images=None, name="labels"):
        """Check class labels and return them as an int32 numpy vector.

        Args:
            labels: integers of shape `(n,)` or `(n, 1)`, or one-hot rows
                of shape `(n, num_classes)`.
            num_images: when given, the number of images the labels go with.
            name: how to call the labels in messages.

        Returns:
            An int32 numpy array of shape `(n,)`.

        Raises:
            ValueError: wrong shape or dtype, values outside
                `[0, num_classes)`, rows that are not one-hot, or a count
                that differs from the images'.

        Example:

        >>> gan.check_labels(np.eye(10)[[3, 7]])
        array([3, 7], dtype=int32)
        """
        array = np.asarray(ops.convert_to_numpy(labels))
        k = self.num_classes
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim == 2:
            if array.shape[1] != k:
                raise ValueError(
                    f"The {name} have shape {array.shape}; expected integer "
                    f"labels of shape (n,) or one-hot labels of shape "
                    f"(n, {k}) for num_classes={k}."
                )
            if not (
                np.isin(array, (0, 1)).all() and (array.sum(axis=1) == 1).all()
            ):
                raise ValueError(
                    f"The {name} have shape {array.shape} but are not one-hot "
                    "(every row must hold a single 1 and zeros elsewhere); "
                    "pass integer class labels of shape (n,) instead."
                )
            array = array.argmax(axis=1)
        elif array.ndim != 1:
            raise ValueError(
                f"The {name} have shape {array.shape}; expected integer labels "
                f"of shape (n,) or one-hot labels of shape (n, {k})."
            )
        if array.size and not np.issubdtype(array.dtype, np.integer):
            if not (
                np.issubdtype(array.dtype, np.floating)
                and np.isfinite(array).all()
                and (array == np.round(array)).all()
            ):
                raise ValueError(
                    f"The {name} have dtype {array.dtype} with non-integer "
                    f"values; expected integer class labels in [0, {k})."
                )
        if array.size:
            low, high = int(array.min()), int(array.max())
            if low < 0 or high >= k:
                raise ValueError(
                    f"The {name} hold values in [{low}, {high}]; expected "
                    f"class labels in [0, {k}) for num_classes={k}."
                )
        if num_images is not None and len(array) != int(num_images):
            raise ValueError(
                f"Received {len(array)} {name} for {num_images} images; each "
                "image needs exactly one label."
            )
        return array.astype("int32")

    def check_training_data(self, x, y=None):
        """Check images and labels before training; labels are required.

        Numpy inputs are checked in full; for datasets, the first batch.

        Raises:
            ValueError: no labels (the message says how to supply them),
                or images or labels that do not fit the model.
        """
        validation.check_training_data(x, self.image_shape)
        if y is not None:
            images = x[0] if isinstance(x, (tuple, list)) else x
            self.check_labels(y, num_images=len(images))
            return
        if isinstance(x, (tuple, list)):
            if len(x) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs class labels but received "
                    f"a tuple of {len(x)} array(s) without labels. "
                    + _HOW_TO_SUPPLY_LABELS
                )
            self.check_labels(x[1], num_images=len(x[0]))
            return
        first = validation.first_batch(x)
        if first is validation._UNINSPECTABLE:
            return
        if isinstance(first, (tuple, list)) and len(first) >= 2:
            self.check_labels(first[1], num_images=len(first[0]))
            return
        shape = getattr(first, "shape", None)
        raise ValueError(
            f"{type(self).__name__} needs class labels, but the training data "
            f"holds images only (a batch of shape {shape}). "
            + _HOW_TO_SUPPLY_LABELS
        )

    def _labels_tensor(self, labels):
        labels = ops.convert_to_tensor(labels)
        if len(labels.shape) == 2:
            if labels.shape[-1] == 1:
                labels = ops.reshape(labels, (-1,))
            else:
                labels = ops.argmax(labels, axis=-1)
        return ops.cast(labels, "int32")

    def _unpack_images_labels(self, data):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if y is None and isinstance(x, (tuple, list)) and len(x) >= 2:
            x, y = x[0], x[1]
        if y is None:
            raise ValueError(
                f"{type(self).__name__} received a batch without labels. "
                + _HOW_TO_SUPPLY_LABELS
            )
        return x, self._labels_tensor(y)

    def default_labels(self, num_samples):
        """Labels 0, 1, ..., num_classes - 1, 0, 1, ... for `num_samples`.

        Example:

        >>> gan.default_labels(12)  # num_classes=10
        array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], dtype=int32)
        """
        return (np.arange(int(num_samples)) % self.num_classes).astype("int32")

    # ------------------------------------------------------------- sampling

    def call(self, inputs, training=False):
        """Run the generator on `(z, labels)`."""
        if not isinstance(inputs, (tuple, list)) or len(inputs) != 2:
            raise ValueError(
                f"{type(self).__name__} is called on (z, labels); received "
                f"{type(inputs).__name__}."
            )
        z, labels = inputs
        return self.generator([z, self._labels_tensor(labels)], training=training)

    def generate(self, num_samples=None, z=None, labels=None, seed=None,
                 batch_size=256):
        """Generate images of the requested classes, as numpy in [-1, 1].

        Args:
            num_samples: how many images; default: the number of `labels`
                or of `z`, else 16.
            z: latent vectors of shape (n, latent_dim); overrides `seed`.
            labels: one int for all images, integers of shape (n,), or
                one-hot rows; default: 0, 1, ..., num_classes - 1, 0, ...
            seed: seed for drawing `z`; the same seed gives the same images.
            batch_size: the generator runs in chunks of this size.

        Returns:
            A float32 numpy array of shape (n, H, W, C).

        Example:

        ```python
        sevens = gan.generate(labels=[7] * 8, seed=0)
        grid = gan.generate(100, seed=0)  # ten of each class, in order
        ```
        """
        if labels is not None and np.ndim(labels) == 0:
            if num_samples is None:
                num_samples = 16 if z is None else len(z)
            labels = np.full((int(num_samples),), labels)
        if labels is not None:
            labels = self.check_labels(labels)
            if num_samples is None and z is None:
                num_samples = len(labels)
        z = self._latent_input(num_samples, z, seed)
        if labels is None:
            labels = self.default_labels(len(z))
        elif len(labels) != len(z):
            raise ValueError(
                f"Received {len(labels)} labels for {len(z)} samples; pass one "
                "label per sample (or one int for all)."
            )
        return self._run_in_chunks(self.generator, [z, labels], batch_size)

    # ------------------------------------------------------------- training

    def _fake_images(self, labels, batch_size, training=True):
        z = self.sample_latent(batch_size)
        return z, self.generator([z, labels], training=training)

    def discriminator_phase(self, data):
        """Phase 1: update only the discriminator on one labelled batch.

        Args:
            data: `(images, labels)` as `fit()` delivers it.

        Returns:
            A dict of scalars to log.
        """
        real_images, labels = self._unpack_images_labels(data)
        batch_size = ops.shape(real_images)[0]
        _, fake_images = self._fake_images(labels, batch_size)
        fake_images = ops.stop_gradient(fake_images)
        real_images = ops.cast(real_images, fake_images.dtype)
        loss, logs = gan_backend.minimize(
            lambda: self.discriminator_loss(real_images, fake_images, labels),
            self.discriminator.trainable_variables,
            self.d_optimizer,
        )
        return {"d_loss": loss, **logs}

    def generator_phase(self, data):
        """Phase 2: update only the generator, for the batch's labels.

        Returns:
            A dict of scalars to log.
        """
        real_images, labels = self._unpack_images_labels(data)
        z = self.sample_latent(ops.shape(real_images)[0])
        loss, logs = gan_backend.minimize(
            lambda: self.generator_loss(z, labels),
            self.generator.trainable_variables,
            self.g_optimizer,
        )
        return {"g_loss": loss, **(logs or {})}

    def _test_step(self, data):
        real_images, labels = self._unpack_images_labels(data)
        z, fake_images = self._fake_images(
            labels, ops.shape(real_images)[0], training=False
        )
        d_loss, d_logs = self.discriminator_loss(
            ops.cast(real_images, fake_images.dtype), fake_images, labels,
            training=False,
        )
        g_loss, g_logs = self.generator_loss(z, labels, training=False)
        return self._update_trackers(
            {"d_loss": d_loss, "g_loss": g_loss, **d_logs, **(g_logs or {})}
        )

    # --------------------------------------------------------------- config

    def get_config(self):
        return self._family_config(
            d_steps=self.d_steps, label_smoothing=self.label_smoothing,
            seed=self.seed,
        )


def _remedy_config(value):
    return value if isinstance(value, bool) else int(value)


@register("conditional_gan")
@keras.saving.register_keras_serializable(package="keras_gans")
class ConditionalGAN(_ClassConditionalGAN):
    """A conditional GAN of p(x | y) (Mirza and Osindero 2014) with DCGAN nets.

    The generator takes `(z, label)`: an embedding of the label is
    concatenated to z. The discriminator takes `(image, label)` and is
    conditioned in one of two ways:

    - `conditioning="concat"`: the label's embedding is broadcast over the
      image plane and concatenated as extra input channels.
    - `conditioning="projection"`: the projection discriminator of Miyato
      and Koyama 2018, `D(x, y) = psi(phi(x)) + embed(y) . phi(x)`: the inner
      product of a class embedding with the penultimate features is added to
      the unconditional score. Pair it with `spectral_norm=True` as the
      paper does.

    Each step's fakes are generated for the step's real labels (in both
    phases), so the fakes follow the data's class distribution.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        num_classes: number of classes; labels are ints in [0, num_classes)
            or one-hot rows.
        latent_dim: size of the latent vector.
        conditioning: "concat" or "projection".
        width: base channel count of both networks.
        kernel_size: convolution kernel size.
        embedding_dim: size of the label embeddings (default: num_classes;
            the projection uses the feature size).
        normalization: the discriminator's normalization: "batch", "layer"
            or None.
        spectral_norm: spectral normalisation in the discriminator.
        minibatch_discrimination: minibatch discrimination in the
            discriminator (see `keras_gans.nets.build_dcgan_discriminator`).
        minibatch_stddev: the minibatch standard-deviation statistic in the
            discriminator.
        d_steps: discriminator updates per generator update.
        label_smoothing: one-sided label smoothing for real images.
        seed: seed of the training noise stream.
        **kwargs: passed to `keras.Model`.

    Example:

    ```python
    gan = keras_gans.ConditionalGAN(
        image_shape=(8, 8, 1), num_classes=10, latent_dim=32, width=32)
    gan.compile()
    gan.fit(keras_gans.datasets.load_digits(with_labels=True, batch_size=64),
            epochs=40)
    sevens = gan.generate(labels=[7] * 16, seed=0)
    ```
    """

    def __init__(
        self,
        image_shape=(28, 28, 1),
        num_classes=10,
        latent_dim=100,
        conditioning="concat",
        width=64,
        kernel_size=4,
        embedding_dim=None,
        normalization="batch",
        spectral_norm=False,
        minibatch_discrimination=False,
        minibatch_stddev=False,
        d_steps=1,
        label_smoothing=0.0,
        seed=None,
        **kwargs,
    ):
        if conditioning not in nets.CONDITIONINGS:
            raise ValueError(
                f"conditioning must be one of {nets.CONDITIONINGS}; received "
                f"{conditioning!r}."
            )
        self.num_classes = nets._check_num_classes(num_classes)
        self.conditioning = conditioning
        self._arch = {
            "image_shape": tuple(int(d) for d in image_shape),
            "num_classes": self.num_classes,
            "latent_dim": int(latent_dim),
            "conditioning": conditioning,
            "width": int(width),
            "kernel_size": int(kernel_size),
            "embedding_dim": None if embedding_dim is None else int(embedding_dim),
            "normalization": normalization,
            "spectral_norm": bool(spectral_norm),
            "minibatch_discrimination": _remedy_config(minibatch_discrimination),
            "minibatch_stddev": _remedy_config(minibatch_stddev),
        }
        kwargs.pop("generator", None)
        kwargs.pop("discriminator", None)
        generator = nets.build_conditional_generator(
            image_shape, num_classes, latent_dim, width=width,
            kernel_size=kernel_size, embedding_dim=embedding_dim,
        )
        discriminator = nets.build_conditional_discriminator(
            image_shape, num_classes, conditioning, width=width,
            kernel_size=kernel_size, normalization=normalization,
            embedding_dim=embedding_dim, spectral_norm=spectral_norm,
            minibatch_discrimination=minibatch_discrimination,
            minibatch_stddev=minibatch_stddev,
        )
        super().__init__(
            generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
            label_smoothing=label_smoothing, seed=seed, **kwargs,
        )

    def discriminator_loss(self, real_images, fake_images, labels, training=True):
        """The discriminator's loss on real and generated images of `labels`.

        Returns:
            `(loss, {"d_real": mean real score, "d_fake": mean fake score})`.
        """
        real_scores = self.discriminator([real_images, labels], training=training)
        fake_scores = self.discriminator([fake_images, labels], training=training)
        loss = self.gan_loss.discriminator_loss(
            real_scores, fake_scores, real_target=1.0 - self.label_smoothing
        )
        return loss, {
            "d_real": self._score_for_logging(real_scores),
            "d_fake": self._score_for_logging(fake_scores),
        }

    def generator_loss(self, z, labels, training=True):
        """The generator's loss for latent vectors `z` and class `labels`."""
        fake_images = self.generator([z, labels], training=training)
        fake_scores = self.discriminator([fake_images, labels], training=training)
        return self.gan_loss.generator_loss(fake_scores), None


@register("acgan")
@keras.saving.register_keras_serializable(package="keras_gans")
class ACGAN(_ClassConditionalGAN):
    """AC-GAN: a GAN with an auxiliary classifier (Odena et al. 2017).

    The generator takes `(z, label)` (as in `ConditionalGAN`); the
    discriminator sees the image only and has two heads: the real/fake score
    and class logits. With `L_S` the source loss (the GAN loss) and `L_C`
    the class cross-entropy:

    - discriminator: minimises `L_S + w * (L_C(real) + L_C(fake))`, i.e. it
      classifies both real and generated images correctly;
    - generator: minimises its GAN loss `+ w * L_C(fake)`, making images that
      are classified as the class they were generated for.

    `w` is `class_loss_weight` (1 in the paper). Each step's fakes are
    generated for the step's real labels.

    Args:
        image_shape: (H, W, C); H and W divisible by 4.
        num_classes: number of classes.
        latent_dim: size of the latent vector.
        width: base channel count of both networks.
        kernel_size: convolution kernel size.
        embedding_dim: size of the generator's label embedding.
        normalization: the discriminator's normalization.
        spectral_norm: spectral normalisation in the discriminator.
        minibatch_discrimination: minibatch discrimination before the score.
        minibatch_stddev: the minibatch standard deviation before the score.
        class_loss_weight: `w` above.
        d_steps: discriminator updates per generator update.
        label_smoothing: one-sided label smoothing for real images.
        seed: seed of the training noise stream.
        **kwargs: passed to `keras.Model`.

    Example:

    ```python
    gan = keras_gans.ACGAN(image_shape=(8, 8, 1), num_classes=10, latent_dim=32)
    gan.compile()
    gan.fit(keras_gans.datasets.load_digits(with_labels=True, batch_size=64),
            epochs=40)
    classes = gan.classify(images)  # the auxiliary classifier's guesses
    ```
    """

    tracker_names = GAN.tracker_names + ("d_class_loss", "g_class_loss")

    def __init__(
        self,
        image_shape=(28, 28, 1),
        num_classes=10,
        latent_dim=100,
        width=64,
        kernel_size=4,
        embedding_dim=None,
        normalization="batch",
        spectral_norm=False,
        minibatch_discrimination=False,
        minibatch_stddev=False,
        class_loss_weight=1.0,
        d_steps=1,
        label_smoothing=0.0,
        seed=None,
        **kwargs,
    ):
        self.num_classes = nets._check_num_classes(num_classes)
        if float(class_loss_weight) < 0:
            raise ValueError(
                f"class_loss_weight must be >= 0; received {class_loss_weight}."
            )
        self.class_loss_weight = float(class_loss_weight)
        self._arch = {
            "image_shape": tuple(int(d) for d in image_shape),
            "num_classes": self.num_classes,
            "latent_dim": int(latent_dim),
            "width": int(width),
            "kernel_size": int(kernel_size),
            "embedding_dim": None if embedding_dim is None else int(embedding_dim),
            "normalization": normalization,
            "spectral_norm": bool(spectral_norm),
            "minibatch_discrimination": _remedy_config(minibatch_discrimination),
            "minibatch_stddev": _remedy_config(minibatch_stddev),
            "class_loss_weight": self.class_loss_weight,
        }
        kwargs.pop("generator", None)
        kwargs.pop("discriminator", None)
        generator = nets.build_conditional_generator(
            image_shape, num_classes, latent_dim, width=width,
            kernel_size=kernel_size, embedding_dim=embedding_dim,
        )
        discriminator = nets.build_acgan_discriminator(
            image_shape, num_classes, width=width, kernel_size=kernel_size,
            normalization=normalization, spectral_norm=spectral_norm,
            minibatch_discrimination=minibatch_discrimination,
            minibatch_stddev=minibatch_stddev,
        )
        super().__init__(
            generator, discriminator, latent_dim=latent_dim, d_steps=d_steps,
            label_smoothing=label_smoothing, seed=seed, **kwargs,
        )

    def _class_loss(self, logits, labels):
        return ops.mean(
            keras.losses.sparse_categorical_crossentropy(
                labels, ops.cast(logits, "float32"), from_logits=True
            )
        )

    def discriminator_loss(self, real_images, fake_images, labels, training=True):
        """Source loss plus the class loss on real and generated images.

        Returns:
            `(loss, logs)` with `d_real`, `d_fake` and `d_class_loss`.
        """
        real_scores, real_logits = self.discriminator(real_images, training=training)
        fake_scores, fake_logits = self.discriminator(fake_images, training=training)
        source = self.gan_loss.discriminator_loss(
            real_scores, fake_scores, real_target=1.0 - self.label_smoothing
        )
        class_loss = self._class_loss(real_logits, labels) + self._class_loss(
            fake_logits, labels
        )
        return source + self.class_loss_weight * class_loss, {
            "d_real": self._score_for_logging(real_scores),
            "d_fake": self._score_for_logging(fake_scores),
            "d_class_loss": class_loss,
        }

    def generator_loss(self, z, labels, training=True):
        """The generator's GAN loss plus the class loss of its images."""
        fake_images = self.generator([z, labels], training=training)
        fake_scores, fake_logits = self.discriminator(fake_images, training=training)
        class_loss = self._class_loss(fake_logits, labels)
        loss = self.gan_loss.generator_loss(fake_scores)
        return loss + self.class_loss_weight * class_loss, {
            "g_class_loss": class_loss
        }

    def classify(self, images, batch_size=256):
        """The auxiliary classifier's class for each image.

        Args:
            images: (n, H, W, C) in [-1, 1].
            batch_size: the discriminator runs in chunks of this size.

        Returns:
            An int32 numpy array of shape (n,).

        Example:

        >>> gan.classify(gan.generate(labels=[3, 5], seed=0)).shape
        (2,)
        """
        images = validation.check_images(images, self.image_shape)
        logits = [
            ops.convert_to_numpy(
                self.discriminator(images[i : i + batch_size], training=False)[1]
            )
            for i in range(0, len(images), batch_size)
        ]
        return np.concatenate(logits).argmax(axis=1).astype("int32")
