"""The GAN base class: the phase contract and one generic training step.

A family declares its phases (`phases()`, see `keras_gans.models.phases`):
which networks each updates, with which optimizer, how often, and a loss of
`(batch, training)`. `train_step` runs them all through
`keras_gans.backend.minimize`; `test_step` evaluates the same losses with
nothing updated. The default phases are the two-phase update:

1. discriminator: learns real = 1 (`1 - label_smoothing`) and fake = 0;
   only the discriminator's weights move (`d_steps` times per step);
2. generator: learns to make the discriminator say real; only the
   generator's weights move.

Parts compose with every family through `compile`: the loss
(`keras_gans.losses`), regularizers (`keras_gans.regularizers`) and an
augmentation of every image the discriminator sees
(`keras_gans.augmentation`). `ema_decay=` keeps a moving average of the
generator inside the model. Conditional families set `num_classes`; the
base then unpacks, checks and passes labels everywhere.
"""

import functools

import keras
from keras import ops

from keras_gans import backend as gan_backend
from keras_gans.models import lazy
from keras_gans.models.ema import ExponentialMovingAverage
from keras_gans.models.phases import Batch, Phase, step_method
from keras_gans.models.compiling import CompileMixin
from keras_gans.models.config import ConfigMixin
from keras_gans.models.feature_use import FeatureMixin
from keras_gans.models.fit_checks import FitChecksMixin
from keras_gans.models.networks_setup import NetworksMixin
from keras_gans.models.sampling import SamplingMixin
from keras_gans.models.trackers import TrackersMixin
from keras_gans.optimizers import OptimizerGroup, default_optimizer  # noqa: F401


@keras.saving.register_keras_serializable(package="keras_gans")
class GAN(NetworksMixin, TrackersMixin, CompileMixin, SamplingMixin, FeatureMixin,
          FitChecksMixin, ConfigMixin, keras.Model):
    """A generative adversarial network trained with `fit()`.

    Any pair of Keras models can be passed: a generator mapping latent
    vectors `(batch, latent_dim)` to images `(batch, H, W, C)` in [-1, 1]
    (end it with `tanh`), and a discriminator mapping such images to one raw
    score per image `(batch, 1)` (a logit; no sigmoid). Zoo families build
    their own networks from architecture arguments (and accept yours in
    their place).

    Args:
        generator: a `keras.Model` from latent vectors to images.
        discriminator: a `keras.Model` from images to scores.
        latent_dim: size of the latent vector; read from the generator's
            input when omitted.
        d_steps: discriminator updates per generator update. Each one draws
            fresh noise and reuses the step's real batch.
        label_smoothing: one-sided label smoothing: real images get the
            target `1 - label_smoothing` in the discriminator phase.
        seed: seed of the training noise stream.
        ema_decay: keep an exponential moving average of the generator's
            weights, updated after every step, with this decay (e.g. 0.999;
            ramped up over the first steps as `min(decay, (1 + t) / (10 + t))`).
            The average is saved in `.keras`, and `generate`, `export` and the
            metrics use it by default. None (default): no average.
        **kwargs: passed to `keras.Model` (e.g. `name`).

    Example:

    ```python
    generator = keras_gans.nets.build_dcgan_generator((8, 8, 1), latent_dim=32)
    discriminator = keras_gans.nets.build_dcgan_discriminator((8, 8, 1))
    gan = keras_gans.GAN(generator, discriminator)
    gan.compile()  # Adam(2e-4, beta_1=0.5) for both, non-saturating loss
    x = keras_gans.datasets.load_digits()
    gan.fit(x, batch_size=64, epochs=1)
    images = gan.generate(16, seed=0)  # numpy, (16, 8, 8, 1), in [-1, 1]
    ```
    """

    #: The networks a family holds, by attribute name.
    network_roles = ("generator", "discriminator")
    #: What `fit()` logs besides the regularizers' penalties.
    log_names = ("d_loss", "g_loss", "d_real", "d_fake")
    #: Whether a conditional family's discriminator takes `[images, labels]`
    #: (AC-GAN's classifies instead).
    discriminator_takes_labels = True

    def __init__(
        self,
        generator=None,
        discriminator=None,
        latent_dim=None,
        d_steps=1,
        label_smoothing=0.0,
        seed=None,
        ema_decay=None,
        architecture=None,
        **kwargs,
    ):
        gan_backend.check_supported()
        given = {"generator": generator, "discriminator": discriminator}
        for role in self.network_roles[2:]:
            given[role] = kwargs.pop(role, None)
        super().__init__(**kwargs)
        networks = self._resolve_networks(given, architecture)
        if architecture is not None:
            latent_dim = self._arch.get("latent_dim", latent_dim)
        for role, net in networks.items():
            if not isinstance(net, keras.Model):
                raise TypeError(
                    f"The {role} must be a keras.Model; received "
                    f"{type(net).__name__}."
                )
            setattr(self, role, net)
        self.latent_dim = self._check_latent_dim(latent_dim)
        if isinstance(d_steps, bool) or int(d_steps) != d_steps or d_steps < 1:
            raise ValueError(f"d_steps must be >= 1; received {d_steps}.")
        self.d_steps = int(d_steps)
        if not 0.0 <= float(label_smoothing) < 1.0:
            raise ValueError(
                f"label_smoothing must be in [0, 1); received {label_smoothing}."
            )
        self.label_smoothing = float(label_smoothing)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._image_shape = None
        self._build_by_calling()
        self._check_nets()
        self.ema_decay = self._check_ema_decay(ema_decay)
        #: The EMA part (`keras_gans.models.ema`), None without `ema_decay`.
        self.ema = None if self.ema_decay is None else ExponentialMovingAverage(self.ema_decay)
        if self.ema is not None:
            self.ema_generator = self.ema.averaged_copy(self.generator)
        self.gan_loss = None
        self.regularizers = []
        self.augmentation = None
        self._build_trackers()
        self.built = True

    def call(self, inputs, training=False):
        """Run the generator: on `z`, or on `(z, labels)` for conditional models."""
        if self.num_classes is None:
            return self.generator(inputs, training=training)
        if not isinstance(inputs, (tuple, list)) or len(inputs) != 2:
            raise ValueError(
                f"{type(self).__name__} is called on (z, labels); received "
                f"{type(inputs).__name__}."
            )
        z, labels = inputs
        return self.generator([z, self._labels_tensor(labels)], training=training)

    # -------------------------------------------------------------- phases

    def phases(self):
        """This family's phases, in the order one training step runs them.

        Returns:
            A tuple of `keras_gans.models.phases.Phase`. The base: the
            discriminator phase (`d_steps` times), then the generator phase.

        Example:

        >>> [p.name for p in gan.phases()]
        ['discriminator', 'generator']
        """
        return (
            Phase("discriminator", ("discriminator",), self.discriminator_phase_loss,
                  repeats=self.d_steps, log="d_loss"),
            Phase("generator", ("generator",), self.generator_phase_loss, log="g_loss"),
        )

    def training_phases(self):
        """The phases one training step runs: `phases()`, each followed by
        a lazy phase per regularizer of it with `interval > 1`
        (`keras_gans.models.lazy`).

        Example:

        >>> gan.compile(regularizers=[R1(gamma=0.1, interval=16)])
        >>> [p.name for p in gan.training_phases()]
        ['discriminator', 'discriminator_r1', 'generator']
        """
        return lazy.with_lazy_phases(self, self.phases())

    def generate_fakes(self, z, labels=None, training=True):
        """The generator's images for `z` (and `labels`, when conditional)."""
        if self.num_classes is None:
            return self.generator(z, training=training)
        return self.generator([z, labels], training=training)

    def augment(self, images, training=True):
        """The compiled augmentation of discriminator inputs (training only)."""
        if self.augmentation is None or not training:
            return images
        return self.augmentation.augment(images, self.seed_generator)

    def discriminator_outputs(self, images, labels=None, training=True):
        """The discriminator's raw outputs on augmented `images` (and labels)."""
        images = self.augment(images, training)
        if self.num_classes is not None and self.discriminator_takes_labels:
            return self.discriminator([images, labels], training=training)
        return self.discriminator(images, training=training)

    def discriminator_scores(self, images, labels=None, training=True):
        """The real/fake score per image, shape (batch, 1): what the GAN loss
        and the regularizers see. Families with several heads override it."""
        return self.discriminator_outputs(images, labels, training)

    def _score_for_logging(self, scores):
        scores = ops.cast(scores, "float32")
        if self.gan_loss.probabilistic:
            scores = ops.sigmoid(scores)
        return ops.mean(scores)

    def discriminator_loss(self, real_images, fake_images, labels=None, training=True):
        """The discriminator's GAN loss on a real and a generated batch.

        Returns:
            `(loss, logs)`: logs hold `d_real` and `d_fake` (mean scores;
            probabilities for the logistic losses) and the raw scores under
            `_real_scores` and `_fake_scores` for the regularizers.
        """
        real_scores = self.discriminator_scores(real_images, labels, training)
        fake_scores = self.discriminator_scores(fake_images, labels, training)
        loss = self.gan_loss.discriminator_loss(
            real_scores, fake_scores, real_target=1.0 - self.label_smoothing
        )
        return loss, {
            "d_real": self._score_for_logging(real_scores),
            "d_fake": self._score_for_logging(fake_scores),
            "_real_scores": real_scores,
            "_fake_scores": fake_scores,
        }

    def generator_loss(self, z, labels=None, training=True, real_images=None):
        """The generator's GAN loss for latent vectors `z` (and `labels`).

        `real_images` (the step's real batch) is passed, and needed, only
        when the loss is relativistic (`gan_loss.relativistic`).
        """
        fake_images = self.generate_fakes(z, labels, training)
        fake_scores = self.discriminator_scores(fake_images, labels, training)
        return self.generator_gan_loss(fake_scores, real_images, labels, training), {}

    def generator_gan_loss(self, fake_scores, real_images=None, labels=None, training=True):
        """`gan_loss.generator_loss` on `fake_scores`; a relativistic loss
        (RpGAN, RaGAN) also gets the discriminator's scores on `real_images`.

        Families that override `generator_loss` call this for the GAN term.

        Example:

        ```python
        loss = self.generator_gan_loss(fake_scores, real_images, labels, training)
        ```
        """
        if not self.gan_loss.relativistic:
            return self.gan_loss.generator_loss(fake_scores)
        if real_images is None:
            raise ValueError(
                f"The {self.gan_loss.name!r} loss is relativistic: the "
                "generator loss needs the real batch (real_images=)."
            )
        real_images = ops.cast(real_images, fake_scores.dtype)
        real_scores = self.discriminator_scores(real_images, labels, training)
        return self.gan_loss.generator_loss(real_scores, fake_scores)

    def discriminator_phase_loss(self, batch, training=True):
        """The discriminator phase's loss: fresh fakes, the GAN loss and the
        discriminator's regularizers."""
        real_images, labels = batch
        z = self.sample_latent(ops.shape(real_images)[0])
        fake_images = gan_backend.no_gradient(lambda: self.generate_fakes(z, labels, training))
        real_images = ops.cast(real_images, fake_images.dtype)
        loss, logs = self.discriminator_loss(real_images, fake_images, labels, training)
        logs = self.observe_augmentation(logs, training)
        return self.add_regularizers(
            "discriminator", loss, logs, real_images=real_images,
            fake_images=fake_images, labels=labels, training=training,
        )

    def observe_augmentation(self, logs, training=True):
        """Show the augmentation the real scores in `logs["_real_scores"]`
        (when training) and add what it logs (ADA's `aug_p`).

        A family whose discriminator phase is its own calls this after its
        `discriminator_loss`.

        Example:

        ```python
        loss, logs = self.discriminator_loss(real, fake, labels, training)
        logs = self.observe_augmentation(logs, training)
        ```
        """
        if self.augmentation is None:
            return logs
        logs = dict(logs)
        if training:
            self.augmentation.observe(self, ops.stop_gradient(logs["_real_scores"]))
        logs.update(self.augmentation.log_values())
        return logs

    def generator_phase_loss(self, batch, training=True):
        """The generator phase's loss for fresh noise (and the batch's labels)."""
        real_images, labels = batch
        z = self.sample_latent(ops.shape(real_images)[0])
        # Only a relativistic loss needs the real batch here; other families'
        # generator_loss overrides keep their (z, labels, training) signature.
        extra = {"real_images": real_images} if self.gan_loss.relativistic else {}
        loss, logs = self.generator_loss(z, labels, training, **extra)
        return self.add_regularizers(
            "generator", loss, logs, real_images=real_images, labels=labels,
            z=z, training=training,
        )

    def add_regularizers(self, phase, loss, logs, **context):
        """Add the regularizers of `phase` to its loss.

        Args:
            phase: the phase's name.
            loss: the phase's loss so far.
            logs: its logs; private entries (`_real_scores`, ...) join the
                context and leave the logs.
            **context: what the regularizers may read (`real_images`,
                `fake_images`, `labels`, `training`, ...).

        Returns:
            `(loss + weighted penalties, logs + unweighted penalties)`.
        """
        logs = dict(logs or {})
        for key in [k for k in logs if k.startswith("_")]:
            context[key[1:]] = logs.pop(key)
        for regularizer in self.regularizers:
            # A lazy one (interval > 1) runs in a phase of its own.
            if regularizer.phase == phase and regularizer.interval == 1:
                term, values = regularizer.compute(self, context)
                loss = loss + ops.cast(term, loss.dtype)
                logs.update(values)
        return loss, logs

    # ------------------------------------------------------------ training

    def sample_latent(self, batch_size):
        """Draw training noise z ~ N(0, I) from the model's seed stream.

        Under `tf.distribute`, each replica gets its own rows of one draw
        for the global batch (see `replica_rows`).
        """
        return self.replica_rows(
            lambda n: keras.random.normal((n, self.latent_dim), seed=self.seed_generator),
            batch_size,
        )

    @staticmethod
    def replica_rows(draw, batch_size):
        """This replica's `batch_size` rows of a random draw for the global batch.

        A `SeedGenerator` gives every replica the same numbers. Instead,
        each replica draws `draw(batch_size * replica_count)` from the
        shared stream and keeps the rows at offset `replica_id * batch_size`:
        replicas differ, and the global batch sees the same numbers as on
        one device. Elsewhere this is simply `draw(batch_size)`.

        Example:

        ```python
        eps = self.replica_rows(
            lambda n: keras.random.uniform((n, 1, 1, 1), seed=self.seed_generator),
            batch_size,
        )
        ```
        """
        replicas = gan_backend.replica_count()
        if replicas == 1:
            return draw(batch_size)
        rows = draw(batch_size * replicas)
        start = ops.cast(gan_backend.replica_id(), "int32") * ops.cast(batch_size, "int32")
        index = start + ops.arange(batch_size, dtype="int32")
        return ops.take(rows, index, axis=0)

    def _phase(self, name):
        phases = self.training_phases()
        for phase in phases:
            if phase.name == name:
                return phase
        raise ValueError(
            f"{type(self).__name__} has no phase {name!r}; its phases are "
            f"{[p.name for p in phases]}."
        )

    def run_phase(self, phase, data, training=True, step=None):
        """Run one update of `phase` (a `Phase` or its name) on a batch.

        Args:
            phase: a `Phase` or the name of one of `training_phases()`.
            data: a batch as `fit()` sees it, or a `Batch`.
            training: passed to the phase's loss.
            step: the training step's number (a scalar tensor). With a
                phase whose `interval` is N > 1, the update is kept only
                when `step` is a multiple of N. None (an eager
                `phase_step`): the update is always kept.

        Returns:
            The phase's logs: its loss under `phase.log`, and what its loss
            function logged.
        """
        phase = self._phase(phase) if isinstance(phase, str) else phase
        batch = data if isinstance(data, Batch) else self.unpack_batch(data)
        if phase.interval > 1 and step is not None:
            return lazy.run_every(
                self, phase, lambda: self.run_phase(phase, batch, training), step
            )
        loss, logs = gan_backend.minimize(
            lambda: phase.loss(batch, training),
            self._phase_variables([phase]),
            self.optimizer.optimizers[phase.role],
        )
        return {phase.log: loss, **logs}

    def _train_step(self, data):
        batch = self.unpack_batch(data)
        logs = {}
        # Steps done so far, read before any phase updates its optimizer.
        step = ops.convert_to_tensor(self.optimizer.iterations)
        for phase in self.training_phases():
            for _ in range(phase.repeats):
                logs.update(self.run_phase(phase, batch, step=step))
        self._update_ema()
        return self._update_trackers(logs)

    def _test_step(self, data):
        batch = self.unpack_batch(data)
        logs = {}
        for phase in self.training_phases():
            loss, phase_logs = phase.loss(batch, False)
            logs.update({phase.log: loss, **phase_logs})
        return self._update_trackers(logs)

    def train_step(self, *args):
        """One update of every phase (called by `fit()`; signature per backend)."""
        return gan_backend.train_step(self, self._train_step, *args)

    def test_step(self, *args):
        """Every phase's loss on a validation batch, nothing updated."""
        return gan_backend.train_step(self, self._test_step, *args)

    def _update_ema(self):
        if self.ema is not None:
            self.ema.update(self.ema_generator, self.generator, self.g_optimizer.iterations)

    def phase_step(self, name, data):
        """Run one update of the phase `name` eagerly, outside `fit()`.

        Useful for custom loops and for checking that a phase updates only
        its own networks.

        Args:
            name: a phase name from `phases()` ("discriminator", ...).
            data: a batch as `fit()` would see it.

        Returns:
            The phase's logs as a dict of floats.

        Example:

        ```python
        logs = gan.phase_step("discriminator", x[:64])
        ```
        """
        self._assert_gan_compiled(f"{name}_step")
        self.check_training_data(data)
        self._phase(name)  # a clear error for an unknown name
        runners = self.__dict__.setdefault("_phase_runners", {})
        if name not in runners:
            # One function per phase, so a compiled backend traces it once.
            runners[name] = functools.partial(self.run_phase, name)
        data = keras.tree.map_structure(ops.convert_to_tensor, data)
        logs = gan_backend.run_stateful(self, runners[name], data)
        return {k: float(ops.convert_to_numpy(v)) for k, v in logs.items()}

    discriminator_step = step_method("discriminator")
    generator_step = step_method("generator")


__all__ = ["GAN", "OptimizerGroup", "default_optimizer", "Batch", "Phase"]
