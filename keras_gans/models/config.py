"""Saving a GAN: the part of `keras_gans.GAN` that writes and reads its
config (mirroring `__init__`: architecture, training arguments and any
user-supplied networks) and the training noise stream's position, so that
a model loaded from `.keras` trains on as an uninterrupted run would.

Example:

```python
gan.save("gan.keras")
again = keras.saving.load_model("gan.keras")
again.get_config()["d_steps"] == gan.d_steps   # True
```
"""

import keras


class ConfigMixin:
    """`get_config`, `from_config`, `training_config` and the seed state in
    `save_own_variables` / `load_own_variables` for `keras_gans.GAN`;
    expects `network_roles`, `seed_generator`, `_arch` and `_custom_nets`.

    Example:

    >>> gan.training_config()["d_steps"]
    1
    """

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
