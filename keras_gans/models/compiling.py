"""Compiling a GAN: one optimizer per phase role, the loss and the parts.

`CompileMixin` is the part of `keras_gans.GAN` that `compile()`,
`get_compile_config()` and `compile_from_config()` make up: the optimizers
are built on exactly their phases' variables and grouped for Keras'
trainers, and the loss, regularizers and augmentation are written to the
compile config, so a `.keras` file restores all of them (optimizer state
included).

Example:

```python
gan.compile(loss="hinge", regularizers=[keras_gans.regularizers.R1(1.0)])
gan.get_compile_config()["regularizers"][0]["class_name"]  # 'R1'
```
"""

import copy
import warnings

import keras

from keras_gans import augmentation as gan_augmentation
from keras_gans import losses as gan_losses
from keras_gans import optimizers as gan_optimizers
from keras_gans import regularizers as gan_regularizers


class CompileMixin:
    """`compile` and its config for `keras_gans.GAN`; expects `phases()`.

    Example:

    >>> gan.compile(); sorted(gan.optimizer.roles)
    ['discriminator', 'generator']
    """

    #: `compile()`'s defaults for this family, as data: `"<prefix>_optimizer"`
    #: Keras optimizer configs, a `"loss"` name and `"regularizers"`
    #: configs. What a caller passes wins; what neither gives falls back to
    #: Adam(2e-4, beta_1=0.5), the non-saturating loss and no regularizer.
    #: A family whose default penalty depends on its constructor arguments
    #: overrides `default_regularizers()` instead. Example (WGAN-GP's):
    #: `{"d_optimizer": {"class_name": "Adam", "config": {"learning_rate":
    #: 1e-4, "beta_1": 0.0, "beta_2": 0.9}}, ..., "loss": "wasserstein"}`.
    compile_defaults = {}

    def default_regularizers(self):
        """The regularizers `compile(regularizers=None)` uses: those of
        `compile_defaults`, fresh instances each call.

        Example:

        >>> keras_gans.StyleGAN(image_shape=(8, 8, 1)).default_regularizers()[0].gamma
        0.1
        """
        return gan_regularizers.get_list(
            copy.deepcopy(self.compile_defaults.get("regularizers", [])))

    def compile(
        self,
        d_optimizer=None,
        g_optimizer=None,
        loss=None,
        regularizers=None,
        augmentation=None,
        jit_compile="auto",
        run_eagerly=False,
        steps_per_execution=1,
        **kwargs,
    ):
        """Configure the phases' optimizers, the loss and the parts.

        Args:
            d_optimizer: optimizer (instance, name or config) for the
                discriminator phase. Default: the family's
                `compile_defaults`, else Adam(2e-4, beta_1=0.5).
            g_optimizer: optimizer for the generator phase. Same default.
            loss: a name from `keras_gans.losses` ("non_saturating",
                "minimax", "least_squares", "hinge", "wasserstein", and the
                relativistic "rpgan", "ragan"), a `GANLoss`, or a
                `(d_loss_fn, g_loss_fn)` pair of callables. Default: the
                family's `compile_defaults["loss"]`, else "non_saturating".
            regularizers: a list of `keras_gans.regularizers.Regularizer`
                (or names: "gp", "r1", "r2", "lecam", "bcr"), each added to
                its phase's loss. None: `default_regularizers()` (the
                family's defaults; none for most); `[]`: none.
            augmentation: a `keras_gans.augmentation.Augmentation` applied to
                every image the discriminator sees in training; None: none.
            jit_compile: as in `keras.Model.compile`; "auto" leaves XLA off
                for TensorFlow on CPU (it is slower there) and on for JAX.
            run_eagerly: as in `keras.Model.compile`.
            steps_per_execution: as in `keras.Model.compile`.
            **kwargs: the optimizers of a family's other roles, e.g.
                `e_optimizer=` for VAE-GAN's encoder; `optimizer=`,
                `metrics=` and friends of `keras.Model.compile` do not apply.

        Example:

        ```python
        gan.compile(
            d_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5),
            g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
            loss="hinge",
            regularizers=[keras_gans.regularizers.R1(gamma=1.0)],
        )
        ```
        """
        phases = self.phases()
        roles = list(dict.fromkeys(p.role for p in phases))
        chosen = self._chosen_optimizers(roles, d_optimizer, g_optimizer, kwargs)
        if loss is None:
            loss = self.compile_defaults.get("loss", "non_saturating")
        if regularizers is None:
            regularizers = self.default_regularizers()
        gan_loss = self._checked_loss(loss)
        regularizers = self._checked_regularizers(regularizers, phases)
        super().compile(
            optimizer=None,
            jit_compile=jit_compile,
            run_eagerly=run_eagerly,
            steps_per_execution=steps_per_execution,
        )
        self.gan_loss = gan_loss
        self.regularizers = regularizers
        self.augmentation = (
            None if augmentation is None else gan_augmentation.get(augmentation)
        )
        self._build_trackers()
        self.optimizer = gan_optimizers.build_group(
            self,
            {
                role: (
                    chosen.get(role),
                    self._phase_variables(p for p in phases if p.role == role),
                    [getattr(self, n) for p in phases if p.role == role for n in p.networks],
                )
                for role in roles
            },
        )
        self._gan_compile_args = {
            "loss": gan_losses.serialize(gan_loss),
            "regularizers": [
                keras.saving.serialize_keras_object(r) for r in regularizers
            ],
            "augmentation": None
            if self.augmentation is None
            else keras.saving.serialize_keras_object(self.augmentation),
            "jit_compile": jit_compile,
            "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution,
        }
        if self._gan_compile_args["loss"] is None:
            # A custom loss cannot be written to the config; loading will
            # warn and the user compiles again with their loss.
            self._gan_compile_args.pop("loss")

    def _chosen_optimizers(self, roles, d_optimizer, g_optimizer, kwargs):
        """`{role: optimizer or None}` from `compile`'s arguments (the
        `<prefix>_optimizer` keywords of other roles taken out of `kwargs`)
        and the family's `compile_defaults`; any other keyword is refused."""
        chosen = {"discriminator": d_optimizer, "generator": g_optimizer}
        for role in roles:
            key = f"{gan_optimizers.role_prefix(role)}_optimizer"
            if key in kwargs:
                chosen[role] = kwargs.pop(key)
            if chosen.get(role) is None and key in self.compile_defaults:
                chosen[role] = copy.deepcopy(self.compile_defaults[key])
        if kwargs:
            extra = [f"{gan_optimizers.role_prefix(r)}_optimizer" for r in roles]
            raise TypeError(
                f"{type(self).__name__}.compile() got unexpected arguments "
                f"{sorted(kwargs)}; it takes {', '.join(extra)}, loss, "
                "regularizers, augmentation, jit_compile, run_eagerly and "
                "steps_per_execution."
            )
        return chosen

    def _checked_loss(self, loss):
        """The `GANLoss` for `loss`, refused where the model cannot use it."""
        gan_loss = gan_losses.get(loss)
        if self.label_smoothing and not gan_loss.supports_label_smoothing:
            raise ValueError(
                f"label_smoothing={self.label_smoothing} has no meaning for the "
                f"{gan_loss.name!r} loss; use 0 or a logistic loss."
            )
        if gan_loss.relativistic and not getattr(self, "supports_relativistic_loss", True):
            raise ValueError(
                f"{type(self).__name__} does not pair real and generated scores "
                f"one to one; the relativistic {gan_loss.name!r} loss needs that. "
                "Use a non-relativistic loss."
            )
        return gan_loss

    def _checked_regularizers(self, regularizers, phases):
        """The `Regularizer`s, each joining one of `phases`."""
        regularizers = gan_regularizers.get_list(regularizers)
        phase_names = {p.name for p in phases}
        for regularizer in regularizers:
            if regularizer.phase not in phase_names:
                raise ValueError(
                    f"{type(regularizer).__name__} joins the {regularizer.phase!r} "
                    f"phase, which {type(self).__name__} does not have "
                    f"(its phases: {sorted(phase_names)})."
                )
        return regularizers

    def _phase_variables(self, phases):
        variables, seen = [], set()
        for phase in phases:
            for name in phase.networks:
                for v in getattr(self, name).trainable_variables:
                    if id(v) not in seen:
                        seen.add(id(v))
                        variables.append(v)
        return variables

    def get_compile_config(self):
        """The compile arguments, with every optimizer serialized."""
        if not getattr(self, "compiled", False) or not hasattr(
            self, "_gan_compile_args"
        ):
            return None
        config = dict(self._gan_compile_args)
        for role in self.optimizer.roles:
            key = f"{gan_optimizers.role_prefix(role)}_optimizer"
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
            warnings.warn(
                f"{type(self).__name__} was saved with a custom loss that "
                "cannot be restored from the file; it is compiled with the "
                "default loss. Call compile() again with your loss before "
                "training.",
                stacklevel=2,
            )
        self.compile(**config)

