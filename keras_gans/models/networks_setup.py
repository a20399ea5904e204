"""The networks of a GAN: the part of `keras_gans.GAN` that takes the
user's generator and discriminator or builds the family's own from its
architecture arguments, and checks that they fit together (latent size,
image shape) before anything trains.

Example:

```python
gan = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=32)
gan.image_shape    # (8, 8, 1)
gan.conditional    # False
```
"""

import inspect

from keras_gans import validation


class NetworksMixin:
    """Network resolution and checks for `keras_gans.GAN`: `build_networks`
    (which families override), `image_shape` and `conditional`; expects
    `network_roles`, `num_classes`, `discriminator_takes_labels` and
    `sample_inputs`.

    Example:

    >>> gan.image_shape
    (8, 8, 1)
    """

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

