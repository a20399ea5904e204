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
import inspect

import keras
from keras import ops

from keras_gans import _compat
from keras_gans import backend as gan_backend
from keras_gans import validation
from keras_gans.models import lazy
from keras_gans.models.ema import ExponentialMovingAverage
from keras_gans.models.phases import Batch, Phase, step_method
from keras_gans.models.compiling import CompileMixin
from keras_gans.models.feature_use import FeatureMixin
from keras_gans.models.fit_checks import HOW_TO_SUPPLY_LABELS, FitChecksMixin
from keras_gans.models.sampling import SamplingMixin
from keras_gans.optimizers import OptimizerGroup, default_optimizer  # noqa: F401



@keras.saving.register_keras_serializable(package="keras_gans")
class GAN(CompileMixin, SamplingMixin, FeatureMixin, FitChecksMixin, keras.Model):
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

    # ------------------------------------------------------------ networks

    def _resolve_networks(self, given, architecture):
        """Networks from the user, or built from the family's architecture."""
        self._custom_nets = {}
        if architecture is None:
            self._arch = None
            missing = [role for role, net in given.items() if net is None]
            if missing:
                raise TypeError(
                    f"{type(self).__name__} needs a {missing[0]} (a keras.Model); "
                    "or use a zoo family such as keras_gans.DCGAN, which "
                    "builds its own networks."
                )
            return given
        self._arch = validation.canonical_architecture(architecture)
        for key, value in self._arch.items():
            if isinstance(value, (int, float, str, bool, type(None))) and not isinstance(
                getattr(type(self), key, None), property
            ):
                setattr(self, key, value)
        self._custom_nets = {r: n for r, n in given.items() if n is not None}
        built = {}
        if len(self._custom_nets) < len(given):
            parameters = inspect.signature(self.build_networks).parameters
            if any(p.kind == p.VAR_KEYWORD for p in parameters.values()):
                args = dict(self._arch)
            else:
                args = {k: v for k, v in self._arch.items() if k in parameters}
            built = self.build_networks(**args)
        return {role: self._custom_nets.get(role, built.get(role)) for role in given}

    def build_networks(self, **architecture):
        """Build the family's networks from its architecture arguments.

        Zoo families override this; it returns `{role: keras.Model}` for
        every name in `network_roles`. Networks the user passed replace the
        built ones (and are saved in the config).

        Example:

        ```python
        def build_networks(self, image_shape, latent_dim, width):
            return {"generator": nets.build_dcgan_generator(image_shape, latent_dim, width),
                    "discriminator": nets.build_dcgan_discriminator(image_shape, width)}
        ```
        """
        raise TypeError(
            f"{type(self).__name__} has no networks of its own; pass a "
            "generator and a discriminator."
        )

    def _check_latent_dim(self, latent_dim):
        inferred = _latent_dim_of(self.generator)
        if latent_dim is None:
            latent_dim = inferred
        if latent_dim is None:
            raise ValueError(
                "Pass latent_dim: it could not be read from the generator's "
                "input shape."
            )
        latent_dim = validation.check_positive_int("latent_dim", latent_dim)
        if inferred is not None and latent_dim != inferred:
            raise ValueError(
                f"latent_dim={latent_dim} does not match the generator's "
                f"latent input size {inferred}."
            )
        return latent_dim

    @staticmethod
    def _check_ema_decay(ema_decay):
        if ema_decay is None:
            return None
        if isinstance(ema_decay, bool) or not 0.0 < float(ema_decay) < 1.0:
            raise ValueError(f"ema_decay must be in (0, 1) or None; received {ema_decay!r}.")
        return float(ema_decay)

    def _build_by_calling(self):
        """Build subclassed (not yet built) networks by calling them once.

        A functional network is built on construction; a subclassed one only
        when first called. Its optimizer is built in `compile()` on its
        trainable variables, so they must exist by then: the generator runs
        on two latent vectors (and labels), the discriminator on its images.
        """
        g, d = self.generator, self.discriminator
        if g.built and d.built:
            return
        z, labels = self.sample_inputs(2, seed=0)
        g_inputs = z if labels is None else [z, labels]
        images = g(g_inputs, training=False)
        if not d.built:
            if labels is not None and self.discriminator_takes_labels:
                d([images, labels], training=False)
            else:
                d(images, training=False)

    def _check_nets(self):
        """Check that the generator's images fit the discriminator's input."""
        g_out = _output_shape(self.generator)
        try:
            d_in = tuple(self.discriminator.inputs[0].shape[1:])
        except (AttributeError, IndexError, TypeError, ValueError):
            d_in = None
        if g_out is not None and d_in is not None and g_out != d_in:
            raise ValueError(
                f"The generator makes images of shape {g_out} but the "
                f"discriminator expects {d_in}."
            )

    @property
    def image_shape(self):
        """The (H, W, C) shape of generated images."""
        if self._image_shape is None:
            shape = _output_shape(self.generator)
            if shape is None:
                # A subclassed generator: run it once on one latent vector.
                z, labels = self.sample_inputs(1, seed=0)
                inputs = z if labels is None else [z, labels]
                shape = tuple(self.generator(inputs, training=False).shape[1:])
            self._image_shape = tuple(int(d) for d in shape)
        return self._image_shape

    @property
    def conditional(self):
        """Whether the generator takes class labels (`num_classes` is set)."""
        return self.num_classes is not None

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

    # ------------------------------------------------------------ trackers

    @property
    def tracker_names(self):
        """What `fit()` logs: the family's names, each regularizer's and the
        augmentation's (e.g. ADA's `aug_p`)."""
        names = tuple(self.log_names) + tuple(
            r.log_name for r in self.regularizers if r.log_name not in self.log_names
        )
        if self.augmentation is not None:
            names += tuple(n for n in self.augmentation.log_names if n not in names)
        return names

    def _build_trackers(self):
        self._trackers = {name: _tracker(name) for name in self.tracker_names}
        self._tracker_list = _Trackers(list(self._trackers.values()))

    @property
    def metrics(self):
        """The loss trackers, reset by Keras at each epoch.

        They are grouped the way Keras groups compiled metrics, and every
        `*_loss` tracker says that lower is better, so `EarlyStopping`,
        `ModelCheckpoint` and `ReduceLROnPlateau` monitor `"g_loss"` or
        `"val_d_loss"` without `mode="min"`.
        """
        return [self._tracker_list]

    def _update_trackers(self, values):
        for name, value in values.items():
            self._trackers[name].update_state(value)
        return {name: m.result() for name, m in self._trackers.items()}

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

    def unpack_batch(self, data):
        """A `Batch(images, labels)` from what `fit()` delivers.

        Labels (int32, from integers or one-hot rows) are required for
        conditional models and ignored otherwise.
        """
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if y is None and isinstance(x, (tuple, list)):
            x, y = (x[0], x[1]) if len(x) >= 2 else (x[0], None)
        if self.num_classes is None:
            return Batch(x, None)
        if y is None:
            raise ValueError(
                f"{type(self).__name__} received a batch without labels. "
                + HOW_TO_SUPPLY_LABELS
            )
        return Batch(x, self._labels_tensor(y))

    @staticmethod
    def _labels_tensor(labels):
        labels = ops.convert_to_tensor(labels)
        if len(labels.shape) == 2:
            if labels.shape[-1] == 1:
                labels = ops.reshape(labels, (-1,))
            else:
                labels = ops.argmax(labels, axis=-1)
        return ops.cast(labels, "int32")

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
        fake_images = ops.stop_gradient(self.generate_fakes(z, labels, training))
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

    # -------------------------------------------------------------- config

    _SEED_STATE_KEY = "seed_generator_state"

    def save_own_variables(self, store):
        """Save the training noise stream's position with the weights.

        Keras does not save `SeedGenerator` state; a GAN does, so that a
        model loaded from `.keras` and trained further draws the noise an
        uninterrupted run would have drawn.
        """
        super().save_own_variables(store)
        store[self._SEED_STATE_KEY] = self.seed_generator.state

    def load_own_variables(self, store):
        """Load what `save_own_variables` wrote (older files lack the seed)."""
        keys = list(store.keys())
        if self._SEED_STATE_KEY in keys:
            self.seed_generator.state.assign(store[self._SEED_STATE_KEY])
            store = {k: store[k] for k in keys if k != self._SEED_STATE_KEY}
        super().load_own_variables(store)

    def training_config(self):
        """The constructor's training arguments, as `get_config` writes them."""
        return {
            "d_steps": self.d_steps,
            "label_smoothing": self.label_smoothing,
            "seed": self.seed,
            "ema_decay": self.ema_decay,
        }

    def get_config(self):
        """A config that mirrors `__init__`: architecture, training arguments
        and any user-supplied networks."""
        config = keras.Model.get_config(self)
        if self._arch is None:
            networks = {r: getattr(self, r) for r in self.network_roles}
            config["latent_dim"] = self.latent_dim
        else:
            config.update(self._arch)
            networks = self._custom_nets
        config.update(self.training_config())
        for role, net in networks.items():
            config[role] = keras.saving.serialize_keras_object(net)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in cls.network_roles:
            if isinstance(config.get(key), dict):
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)


def _tracker(name):
    """A mean tracker; `*_loss` ones tell Keras' monitors lower is better."""
    tracker = keras.metrics.Mean(name=name)
    if name.endswith("_loss"):
        _compat.set_direction(tracker, "down")
    return tracker


class _Trackers(_compat.MetricsList):
    """The loss trackers as one metric, as Keras groups compiled metrics.

    Keras' monitor callbacks look up a metric's direction only inside such
    a group; `result()` gives `{name: value}` like Keras' own groups.
    """

    def __init__(self, trackers):
        super().__init__(trackers, name="gan_trackers")

    def result(self):
        return {m.name: m.result() for m in self.metrics}


def _latent_dim_of(generator):
    try:
        shape = generator.inputs[0].shape
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
    last = shape[-1]
    return int(last) if last is not None else None


def _output_shape(network):
    try:
        return tuple(network.outputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError):
        return None


__all__ = ["GAN", "OptimizerGroup", "default_optimizer", "Batch", "Phase"]
