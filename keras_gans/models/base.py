"""The GAN base class: a `keras.Model` whose `train_step` is the two-phase update.

Phase 1 (discriminator): the discriminator learns to call real images real
(target 1, or `1 - label_smoothing`) and generated images fake (target 0);
only the discriminator's weights move. Phase 2 (generator): the generator
learns to make the discriminator call its images real; only the generator's
weights move. Each phase has its own optimizer.

The step is written once with `keras.ops`; `keras_gans.backend` holds the
little that differs between TensorFlow and JAX.
"""

import keras
import numpy as np
from keras import ops

from keras_gans import backend as gan_backend
from keras_gans import losses as gan_losses
from keras_gans import validation


class OptimizerGroup:
    """Several optimizers presented to Keras' trainers as one.

    Keras' JAX trainer threads `model.optimizer.variables` through its
    compiled step; a GAN's second optimizer kept as a plain attribute would
    silently lose its state every step. A GAN installs an `OptimizerGroup`
    as `model.optimizer` so that every sub-optimizer's variables travel.

    Args:
        optimizers: a dict `{role: optimizer}`, each already built.

    Example:

    ```python
    group = OptimizerGroup({"discriminator": d_opt, "generator": g_opt})
    len(group.variables) == len(d_opt.variables) + len(g_opt.variables)
    ```
    """

    built = True

    def __init__(self, optimizers):
        self.optimizers = dict(optimizers)
        seen = set()
        for role, optimizer in self.optimizers.items():
            if id(optimizer) in seen:
                raise ValueError(
                    "Each phase needs its own optimizer instance; the same "
                    f"optimizer was passed twice (again for {role!r})."
                )
            seen.add(id(optimizer))

    @property
    def variables(self):
        return [v for o in self.optimizers.values() for v in o.variables]

    @property
    def iterations(self):
        """The last optimizer's step counter (the generator's, for a GAN)."""
        return list(self.optimizers.values())[-1].iterations

    def __repr__(self):
        roles = ", ".join(
            f"{role}={type(o).__name__}" for role, o in self.optimizers.items()
        )
        return f"OptimizerGroup({roles})"


def _computes_in_float16(network):
    """Whether any layer of `network` computes in float16 (mixed_float16)."""
    layers = [network] + list(network._flatten_layers(include_self=False))
    return any(
        getattr(layer, "compute_dtype", None) == "float16" for layer in layers
    )


def default_optimizer():
    """Adam with learning rate 2e-4 and beta_1 = 0.5 (Radford et al. 2015).

    Example:

    >>> float(default_optimizer().beta_1)
    0.5
    """
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)


@keras.saving.register_keras_serializable(package="keras_gans")
class GAN(keras.Model):
    """A generative adversarial network trained with `fit()`.

    Any pair of Keras models can be passed: a generator mapping latent
    vectors `(batch, latent_dim)` to images `(batch, H, W, C)` in [-1, 1]
    (end it with `tanh`), and a discriminator mapping such images to one raw
    score per image `(batch, 1)` (a logit; no sigmoid).

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

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim=None,
        d_steps=1,
        label_smoothing=0.0,
        seed=None,
        **kwargs,
    ):
        gan_backend.check_supported()
        super().__init__(**kwargs)
        for role, net in (("generator", generator), ("discriminator", discriminator)):
            if not isinstance(net, keras.Model):
                raise TypeError(
                    f"The {role} must be a keras.Model; received "
                    f"{type(net).__name__}."
                )
        self.generator = generator
        self.discriminator = discriminator
        inferred = self._latent_dim_of(generator)
        if latent_dim is None:
            latent_dim = inferred
        if latent_dim is None:
            raise ValueError(
                "Pass latent_dim: it could not be read from the generator's "
                "input shape."
            )
        if inferred is not None and int(latent_dim) != inferred:
            raise ValueError(
                f"latent_dim={latent_dim} does not match the generator's "
                f"latent input size {inferred}."
            )
        self.latent_dim = int(latent_dim)
        if int(d_steps) < 1:
            raise ValueError(f"d_steps must be >= 1; received {d_steps}.")
        self.d_steps = int(d_steps)
        if not 0.0 <= float(label_smoothing) < 1.0:
            raise ValueError(
                f"label_smoothing must be in [0, 1); received {label_smoothing}."
            )
        self.label_smoothing = float(label_smoothing)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._check_nets()
        self._build_trackers()
        self.gan_loss = None
        self.built = True

    # ------------------------------------------------------------------ nets

    @staticmethod
    def _latent_dim_of(generator):
        try:
            shape = generator.inputs[0].shape
        except (AttributeError, IndexError, TypeError, ValueError):
            return None
        last = shape[-1]
        return int(last) if last is not None else None

    def _check_nets(self):
        """Check that the generator's images fit the discriminator's input."""
        g_out = tuple(self.generator.outputs[0].shape[1:]) if getattr(
            self.generator, "outputs", None) else None
        d_in = tuple(self.discriminator.inputs[0].shape[1:]) if getattr(
            self.discriminator, "inputs", None) else None
        if g_out is not None and d_in is not None and g_out != d_in:
            raise ValueError(
                f"The generator makes images of shape {g_out} but the "
                f"discriminator expects {d_in}."
            )

    @property
    def image_shape(self):
        """The (H, W, C) shape of generated images."""
        return tuple(int(d) for d in self.generator.outputs[0].shape[1:])

    #: Names of the loss trackers that `fit()` reports; subclasses extend.
    tracker_names = ("d_loss", "g_loss", "d_real", "d_fake")

    def _build_trackers(self):
        self._trackers = {
            name: keras.metrics.Mean(name=name) for name in self.tracker_names
        }

    @property
    def metrics(self):
        """The loss trackers, reset by Keras at each epoch."""
        return list(self._trackers.values())

    def _update_trackers(self, values):
        for name, value in values.items():
            self._trackers[name].update_state(value)
        return {m.name: m.result() for m in self.metrics}

    def call(self, z, training=False):
        """Run the generator on latent vectors `z` of shape (batch, latent_dim)."""
        return self.generator(z, training=training)

    # --------------------------------------------------------------- compile

    def compile(
        self,
        d_optimizer=None,
        g_optimizer=None,
        loss="non_saturating",
        jit_compile="auto",
        run_eagerly=False,
        steps_per_execution=1,
        **kwargs,
    ):
        """Configure both phases' optimizers and the loss family.

        Args:
            d_optimizer: optimizer (instance, name or config) for the
                discriminator phase. Default: Adam(2e-4, beta_1=0.5).
            g_optimizer: optimizer for the generator phase. Same default.
            loss: a name from `keras_gans.losses` ("non_saturating",
                "minimax", "least_squares", "hinge", "wasserstein"), a
                `GANLoss`, or a `(d_loss_fn, g_loss_fn)` pair of callables.
            jit_compile: as in `keras.Model.compile`; "auto" leaves XLA off
                for TensorFlow on CPU (it is slower there) and on for JAX.
            run_eagerly: as in `keras.Model.compile`.
            steps_per_execution: as in `keras.Model.compile`.
            **kwargs: must be empty; `optimizer=`, `metrics=` and friends of
                `keras.Model.compile` do not apply to a GAN.

        Example:

        ```python
        gan.compile(
            d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            loss="hinge",
        )
        ```
        """
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}.compile() got unexpected arguments "
                f"{sorted(kwargs)}; it takes d_optimizer, g_optimizer, loss, "
                "jit_compile, run_eagerly and steps_per_execution."
            )
        gan_loss = gan_losses.get(loss)
        if self.label_smoothing and not gan_loss.supports_label_smoothing:
            raise ValueError(
                f"label_smoothing={self.label_smoothing} has no meaning for the "
                f"{gan_loss.name!r} loss; use 0 or a logistic loss."
            )
        super().compile(
            optimizer=None,
            jit_compile=jit_compile,
            run_eagerly=run_eagerly,
            steps_per_execution=steps_per_execution,
        )
        self.gan_loss = gan_loss
        self._install_optimizers(
            {
                "discriminator": (d_optimizer, self.discriminator),
                "generator": (g_optimizer, self.generator),
            }
        )
        self._gan_compile_args = {
            "loss": gan_losses.serialize(gan_loss),
            "jit_compile": jit_compile,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
        }
        if self._gan_compile_args["loss"] is None:
            # A custom loss cannot be written to the config; loading will
            # warn and the user compiles again with their loss.
            self._gan_compile_args.pop("loss")

    def _install_optimizers(self, roles):
        """Create, build and group one optimizer per network.

        Args:
            roles: `{role: (optimizer_or_None, network)}`; each optimizer is
                stored as `self.<role prefix>_optimizer` and built on exactly
                its network's trainable variables.
        """
        optimizers = {}
        for role, (optimizer, network) in roles.items():
            if optimizer is None:
                optimizer = default_optimizer()
            else:
                optimizer = keras.optimizers.get(optimizer)
            if any(optimizer is o for o in optimizers.values()):
                raise ValueError(
                    "Each network needs its own optimizer instance; the same "
                    f"optimizer was passed for {role!r} and another network."
                )
            if _computes_in_float16(network) and not isinstance(
                optimizer, keras.optimizers.LossScaleOptimizer
            ):
                # mixed_float16: each phase gets its own dynamic loss scale,
                # saved with the model as part of the optimizer's variables.
                optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
            if not optimizer.built:
                with gan_backend.variable_scope(self):
                    optimizer.build(network.trainable_variables)
            optimizers[role] = optimizer
            setattr(self, f"{self._role_prefix(role)}_optimizer", optimizer)
        self.optimizer = OptimizerGroup(optimizers)

    @staticmethod
    def _role_prefix(role):
        return {"discriminator": "d", "generator": "g", "encoder": "e"}.get(role, role)

    def get_compile_config(self):
        """The compile arguments, with both optimizers serialized."""
        if not getattr(self, "compiled", False) or not hasattr(
            self, "_gan_compile_args"
        ):
            return None
        config = dict(self._gan_compile_args)
        for role in self.optimizer.optimizers:
            key = f"{self._role_prefix(role)}_optimizer"
            config[key] = keras.saving.serialize_keras_object(getattr(self, key))
        return config

    def compile_from_config(self, config):
        """Compile from `get_compile_config()`'s output, building the optimizers
        so that `load_model` restores their state."""
        config = dict(config)
        for key in list(config):
            if key.endswith("_optimizer") and config[key] is not None:
                config[key] = keras.saving.deserialize_keras_object(config[key])
        if "loss" not in config:
            import warnings

            warnings.warn(
                f"{type(self).__name__} was saved with a custom loss that "
                "cannot be restored from the file; it is compiled with the "
                "default 'non_saturating' loss. Call compile() again with your "
                "loss before training.",
                stacklevel=2,
            )
        self.compile(**config)

    # ------------------------------------------------------------- training

    def sample_latent(self, batch_size):
        """Draw training noise z ~ N(0, I) from the model's seed stream.

        Under `tf.distribute`, each replica gets its own rows of one draw
        for the global batch (see `replica_rows`), so the replicas' noise
        differs and the global batch's noise is the one a single device
        would draw.
        """
        return self.replica_rows(
            lambda n: keras.random.normal(
                (n, self.latent_dim), seed=self.seed_generator
            ),
            batch_size,
        )

    @staticmethod
    def replica_rows(draw, batch_size):
        """This replica's `batch_size` rows of a random draw for the global batch.

        A `SeedGenerator` gives every replica the same numbers. Instead,
        each replica draws `draw(batch_size * replica_count)` from the
        shared stream and keeps the rows at offset
        `replica_id * batch_size`: replicas differ, and the global batch
        sees the same numbers as on one device. Outside `tf.distribute`
        (and under JAX, whose data parallelism runs on global arrays) this
        is simply `draw(batch_size)`.

        Args:
            draw: a function of a row count returning a tensor of that
                many rows.
            batch_size: this replica's batch size.

        Returns:
            A tensor of `batch_size` rows.

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
        start = ops.cast(gan_backend.replica_id(), "int32") * ops.cast(
            batch_size, "int32"
        )
        index = start + ops.arange(batch_size, dtype="int32")
        return ops.take(rows, index, axis=0)

    def _unpack_images(self, data):
        x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(x, (tuple, list)):
            x = x[0]
        return x

    def _score_for_logging(self, scores):
        scores = ops.cast(scores, "float32")
        if self.gan_loss.probabilistic:
            scores = ops.sigmoid(scores)
        return ops.mean(scores)

    def discriminator_loss(self, real_images, fake_images, training=True):
        """The discriminator phase's loss on a real and a generated batch.

        Returns:
            `(loss, (mean real score, mean fake score))`; scores are
            probabilities for the logistic losses.
        """
        real_scores = self.discriminator(real_images, training=training)
        fake_scores = self.discriminator(fake_images, training=training)
        loss = self.gan_loss.discriminator_loss(
            real_scores, fake_scores, real_target=1.0 - self.label_smoothing
        )
        return loss, (
            self._score_for_logging(real_scores),
            self._score_for_logging(fake_scores),
        )

    def generator_loss(self, z, training=True):
        """The generator phase's loss for latent vectors `z`."""
        fake_images = self.generator(z, training=training)
        fake_scores = self.discriminator(fake_images, training=training)
        return self.gan_loss.generator_loss(fake_scores), None

    def discriminator_phase(self, data):
        """Phase 1: update only the discriminator on one batch.

        Subclasses override this (and `generator_phase`) to change what a
        phase computes; `minimize` keeps the update to the given variables.

        Args:
            data: a batch as `fit()` delivers it (images, or a tuple whose
                first element is the images).

        Returns:
            A dict of scalars to log: `d_loss`, `d_real`, `d_fake`.
        """
        real_images = self._unpack_images(data)
        batch_size = ops.shape(real_images)[0]
        z = self.sample_latent(batch_size)
        fake_images = ops.stop_gradient(self.generator(z, training=True))
        real_images = ops.cast(real_images, fake_images.dtype)
        loss, (d_real, d_fake) = gan_backend.minimize(
            lambda: self.discriminator_loss(real_images, fake_images),
            self.discriminator.trainable_variables,
            self.d_optimizer,
        )
        return {"d_loss": loss, "d_real": d_real, "d_fake": d_fake}

    def generator_phase(self, data):
        """Phase 2: update only the generator so the discriminator says "real".

        Args:
            data: the step's batch (its size sets how many samples to draw).

        Returns:
            A dict of scalars to log: `g_loss`.
        """
        batch_size = ops.shape(self._unpack_images(data))[0]
        z = self.sample_latent(batch_size)
        loss, _ = gan_backend.minimize(
            lambda: self.generator_loss(z),
            self.generator.trainable_variables,
            self.g_optimizer,
        )
        return {"g_loss": loss}

    def _train_step(self, data):
        logs = {}
        for _ in range(self.d_steps):
            logs.update(self.discriminator_phase(data))
        logs.update(self.generator_phase(data))
        return self._update_trackers(logs)

    def _test_step(self, data):
        real_images = self._unpack_images(data)
        batch_size = ops.shape(real_images)[0]
        z = self.sample_latent(batch_size)
        fake_images = self.generator(z, training=False)
        d_loss, (d_real, d_fake) = self.discriminator_loss(
            ops.cast(real_images, fake_images.dtype), fake_images, training=False
        )
        g_loss, _ = self.generator_loss(z, training=False)
        return self._update_trackers(
            {"d_loss": d_loss, "g_loss": g_loss, "d_real": d_real, "d_fake": d_fake}
        )

    def train_step(self, *args):
        """One two-phase update (called by `fit()`; signature per backend)."""
        if gan_backend.name() == "jax":
            state, data = args
            return gan_backend.stateful_step(self, state, self._train_step, data)
        return gan_backend.distributable_logs(self._train_step(*args))

    def test_step(self, *args):
        """Both phases' losses on a validation batch, nothing updated."""
        if gan_backend.name() == "jax":
            state, data = args
            return gan_backend.stateful_step(self, state, self._test_step, data)
        return gan_backend.distributable_logs(self._test_step(*args))

    def discriminator_step(self, data):
        """Run one discriminator phase eagerly, outside `fit()`.

        Useful for custom loops and for checking that the phase updates only
        the discriminator.

        Args:
            data: a batch as `fit()` would see it (real images in [-1, 1],
                or a tuple such as `(images, labels)`).

        Returns:
            The phase's logs as a dict of floats (`d_loss`, ...).

        Example:

        ```python
        logs = gan.discriminator_step(x[:64])
        ```
        """
        return self._eager_phase("discriminator_step", self.discriminator_phase, data)

    def generator_step(self, data):
        """Run one generator phase eagerly, outside `fit()`.

        Args:
            data: a batch as `fit()` would see it; its size sets how many
                samples are drawn.

        Returns:
            The phase's logs as a dict of floats (`g_loss`).

        Example:

        ```python
        logs = gan.generator_step(x[:64])
        ```
        """
        return self._eager_phase("generator_step", self.generator_phase, data)

    def _eager_phase(self, method, phase, data):
        self._assert_gan_compiled(method)
        self.check_training_data(data)
        data = keras.tree.map_structure(ops.convert_to_tensor, data)
        logs = gan_backend.run_stateful(self, phase, data)
        return {k: float(ops.convert_to_numpy(v)) for k, v in logs.items()}

    def _assert_gan_compiled(self, method):
        if self.gan_loss is None or not getattr(self, "compiled", False):
            raise RuntimeError(
                f"Call {type(self).__name__}.compile() before {method}(); "
                "compile() with no arguments uses Adam(2e-4, beta_1=0.5) and "
                "the non-saturating loss."
            )

    def fit(self, x=None, y=None, *args, **kwargs):
        """`keras.Model.fit`, after checking the data against the model.

        Images must be float arrays in [-1, 1] of the generator's shape.
        A first batch is inspected before any training starts; bad input
        raises `ValueError` saying what was received and what was expected.
        """
        self._assert_gan_compiled("fit")
        self.check_training_data(x, y)
        return super().fit(x, y, *args, **kwargs)

    def check_training_data(self, x, y=None):
        """Raise a clear error when `x` cannot train this model.

        Override in subclasses that need more (labels, for instance).
        """
        validation.check_training_data(x, self.image_shape)

    # ------------------------------------------------------------ sampling

    def latent_vectors(self, num_samples, seed=None):
        """Latent vectors z ~ N(0, I) as a numpy array; fixed by `seed`.

        Example:

        >>> gan.latent_vectors(4, seed=0).shape
        (4, gan.latent_dim)
        """
        rng = np.random.default_rng(seed)
        return rng.standard_normal((int(num_samples), self.latent_dim)).astype(
            "float32"
        )

    #: Number of classes the generator is conditioned on; None when the
    #: model is unconditional. Conditional families set it per instance.
    num_classes = None

    def sample_inputs(self, num_samples, seed=None):
        """The generator's inputs for `num_samples` images, as numpy.

        The one place that says how to draw a model's inputs: callbacks,
        metrics, the command line and export all use it.

        Args:
            num_samples: how many inputs to draw.
            seed: seed for the latent vectors; the same seed gives the
                same inputs.

        Returns:
            `(z, labels)`: latent vectors of shape (n, latent_dim) and, for
            a conditional model, int32 labels 0, 1, ..., num_classes - 1,
            0, ... of shape (n,); `labels` is None when `num_classes` is None.

        Example:

        >>> z, labels = gan.sample_inputs(4, seed=0)
        >>> z.shape, labels
        ((4, gan.latent_dim), None)
        """
        num_samples = int(num_samples)
        if num_samples < 1:
            raise ValueError(f"num_samples must be >= 1; received {num_samples}.")
        z = self.latent_vectors(num_samples, seed)
        if self.num_classes is None:
            return z, None
        labels = (np.arange(num_samples) % int(self.num_classes)).astype("int32")
        return z, labels

    def generate(self, num_samples=None, z=None, seed=None, batch_size=256):
        """Generate images as a numpy array in [-1, 1] of shape (n, H, W, C).

        Args:
            num_samples: how many images (default 16) when `z` is not given.
            z: latent vectors of shape (n, latent_dim); overrides
                `num_samples` and `seed`.
            seed: seed for drawing `z`; the same seed gives the same images.
            batch_size: the generator runs in chunks of this size.

        Returns:
            A float32 numpy array.

        Example:

        >>> gan.generate(4, seed=0).shape
        (4, 8, 8, 1)
        """
        z = self._latent_input(num_samples, z, seed)
        return self._run_in_chunks(self.generator, [z], batch_size)

    @staticmethod
    def _run_in_chunks(network, inputs, batch_size):
        """Run `network` in inference mode on numpy `inputs`, in chunks.

        Returns one float32 array, or a list of them for several outputs.

        Every chunk is padded to one fixed size (the next power of two up to
        `batch_size`), so a compiled backend traces the network once rather
        than once per remainder size. Safe to call from a callback while
        `fit()` runs (see `keras_gans.backend.inference`).
        """
        n = len(inputs[0])
        chunk = int(min(batch_size, 2 ** int(np.ceil(np.log2(max(n, 1))))))
        outputs = []
        for i in range(0, n, chunk):
            parts = [x[i : i + chunk] for x in inputs]
            size = len(parts[0])
            if size < chunk:
                parts = [
                    np.concatenate(
                        [p, np.zeros((chunk - size,) + p.shape[1:], p.dtype)]
                    )
                    for p in parts
                ]
            out = gan_backend.inference(network, parts if len(parts) > 1 else parts[0])
            outs = out if isinstance(out, (list, tuple)) else [out]
            outputs.append([np.asarray(o)[:size] for o in outs])
        results = [
            np.concatenate([chunk_out[k] for chunk_out in outputs], axis=0).astype(
                "float32"
            )
            for k in range(len(outputs[0]))
        ]
        return results if len(results) > 1 else results[0]

    def _latent_input(self, num_samples, z, seed):
        if z is None:
            num_samples = 16 if num_samples is None else int(num_samples)
            if num_samples < 1:
                raise ValueError(
                    f"num_samples must be >= 1; received {num_samples}."
                )
            return self.latent_vectors(num_samples, seed)
        z = np.asarray(ops.convert_to_numpy(z), dtype="float32")
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"z must have shape (n, {self.latent_dim}); received "
                f"shape {z.shape}."
            )
        if num_samples is not None and int(num_samples) != len(z):
            raise ValueError(
                f"num_samples={num_samples} disagrees with the {len(z)} "
                "latent vectors passed as z."
            )
        return z

    # -------------------------------------------------------------- export

    def export(self, filepath, format="tf_serving", **kwargs):
        """Export the generator for serving (overrides `keras.Model.export`).

        Training state plays no part: an untrained or uncompiled model exports
        its current weights. See `keras_gans.export.export_generator` for the
        signatures (`serving_default`, `sample`, ...) and every option.

        Args:
            filepath: the model's base folder; the SavedModel is written to
                `filepath/<version>/` (TF Serving's layout).
            format: `"tf_serving"` (the default): that versioned layout.
                `"tf_saved_model"`: the same SavedModel written into
                `filepath` itself, as `keras.Model.export` does. Any other
                format of `keras.Model.export` ("onnx", "openvino", "litert")
                exports the generator alone with Keras' own exporter.
            **kwargs: passed to `export_generator` (`version`, `overwrite`,
                `uint8`, `platforms`, `generator`, ...), or to
                `keras.Model.export` for the other formats.

        Returns:
            The folder written, for the SavedModel formats.

        Example:

        ```python
        gan.export("models/digits")  # models/digits/1
        gan.export("models/digits", uint8=True)  # models/digits/2
        ```
        """
        from keras_gans.export import export_generator

        if format == "tf_serving":
            return export_generator(self, filepath, **kwargs)
        if format == "tf_saved_model":
            return export_generator(self, filepath, versioned=False, **kwargs)
        generator = kwargs.pop("generator", None) or self.generator
        return generator.export(filepath, format=format, **kwargs)

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

    def _family_config(self, **training_args):
        """Config of a zoo family that builds its own networks.

        `keras.Model`'s config, the architecture arguments the family keeps
        in `self._arch`, and the given training arguments: a config that
        mirrors `__init__`, which `from_config` passes back to it.
        """
        config = keras.Model.get_config(self)
        config.update(self._arch)
        config.update(training_args)
        return config

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "generator": keras.saving.serialize_keras_object(self.generator),
                "discriminator": keras.saving.serialize_keras_object(
                    self.discriminator
                ),
                "latent_dim": self.latent_dim,
                "d_steps": self.d_steps,
                "label_smoothing": self.label_smoothing,
                "seed": self.seed,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("generator", "discriminator"):
            if isinstance(config.get(key), dict):
                config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)
