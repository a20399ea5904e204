"""Several optimizers, one per phase role, presented to Keras as one.

Example:

```python
group = OptimizerGroup({"discriminator": d_opt, "generator": g_opt})
len(group.variables) == len(d_opt.variables) + len(g_opt.variables)
```
"""

import keras

from keras_gans import _compat
from keras_gans import backend as gan_backend

#: The attribute prefix of each role's optimizer: `gan.d_optimizer`, ...
ROLE_PREFIXES = {"discriminator": "d", "generator": "g", "encoder": "e"}


def role_prefix(role):
    """The short prefix of a phase role ("discriminator" -> "d").

    Example:

    >>> role_prefix("encoder")
    'e'
    """
    return ROLE_PREFIXES.get(role, role)


def default_optimizer():
    """Adam with learning rate 2e-4 and beta_1 = 0.5 (Radford et al. 2015).

    Example:

    >>> float(default_optimizer().beta_1)
    0.5
    """
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)


class RoleOptimizers(list):
    """The optimizers of a GAN's phase roles: a list that is also keyed by role.

    Keras' callbacks (`LearningRateScheduler`, `ReduceLROnPlateau`,
    `TensorBoard`) read `model.optimizer.optimizers` as a *list* of
    optimizers with a `learning_rate`; keras-gans code looks optimizers up
    by role. This is both: iterating, `len` and integer indexing see the
    optimizers in phase order; `group.optimizers["generator"]`, `.roles`,
    `.keys()`, `.values()`, `.items()` and `.get(role)` see the roles.

    Example:

    ```python
    opts = RoleOptimizers({"discriminator": d_opt, "generator": g_opt})
    opts[0] is d_opt and opts["generator"] is g_opt  # True
    [o.learning_rate for o in opts]  # what Keras' callbacks do
    ```
    """

    def __init__(self, optimizers):
        optimizers = dict(optimizers)
        super().__init__(optimizers.values())
        self._by_role = optimizers

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return self._by_role[key]
            except KeyError:
                raise KeyError(
                    f"No optimizer for the role {key!r}; the roles are "
                    f"{list(self._by_role)}."
                ) from None
        return super().__getitem__(key)

    @property
    def roles(self):
        """The roles, in phase order."""
        return list(self._by_role)

    def keys(self):
        """The roles, as `dict.keys()`."""
        return self._by_role.keys()

    def values(self):
        """The optimizers, as `dict.values()`."""
        return self._by_role.values()

    def items(self):
        """`(role, optimizer)` pairs, as `dict.items()`."""
        return self._by_role.items()

    def get(self, role, default=None):
        """The optimizer of `role`, or `default`."""
        return self._by_role.get(role, default)

    def by_role(self):
        """A plain `{role: optimizer}` dict."""
        return dict(self._by_role)


class OptimizerGroup:
    """Several optimizers presented to Keras' trainers as one.

    Keras' JAX trainer threads `model.optimizer.variables` through its
    compiled step; a GAN's second optimizer kept as a plain attribute would
    silently lose its state every step. A GAN installs an `OptimizerGroup`
    as `model.optimizer` so that every sub-optimizer's variables travel.

    `optimizers` is a `RoleOptimizers`: a list in Keras' convention (so
    `LearningRateScheduler`, `ReduceLROnPlateau` and `TensorBoard` adjust
    and log every optimizer), also indexed by role.

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
        self.optimizers = RoleOptimizers(optimizers)
        seen = set()
        for role, optimizer in self.optimizers.items():
            if id(optimizer) in seen:
                raise ValueError(
                    "Each phase needs its own optimizer instance; the same "
                    f"optimizer was passed twice (again for {role!r})."
                )
            seen.add(id(optimizer))

    @property
    def roles(self):
        """The phase roles, in order ("discriminator", "generator", ...)."""
        return self.optimizers.roles

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


def computes_in_float16(network):
    """Whether any layer of `network` computes in float16 (mixed_float16).

    Example:

    >>> computes_in_float16(gan.generator)
    False
    """
    return any(
        getattr(layer, "compute_dtype", None) == "float16"
        for layer in _compat.flatten_layers(network)
    )


def build_group(model, roles):
    """Create, build and group one optimizer per role.

    Each optimizer is built on exactly its networks' trainable variables
    (in `model`'s distribution scope), wrapped in its own
    `LossScaleOptimizer` when its networks compute in float16, and stored
    as `model.<prefix>_optimizer`.

    Args:
        model: the GAN.
        roles: `{role: (optimizer or None, variables, networks)}`; the
            optimizer may be an instance, a name or a config.

    Returns:
        The `OptimizerGroup`, to install as `model.optimizer`.

    Example:

    ```python
    gan.optimizer = build_group(gan, {"discriminator": (None, d_vars),
                                      "generator": (None, g_vars)})
    ```
    """
    optimizers = {}
    for role, (optimizer, variables, networks) in roles.items():
        optimizer = default_optimizer() if optimizer is None else keras.optimizers.get(optimizer)
        if any(optimizer is o for o in optimizers.values()):
            raise ValueError(
                "Each network needs its own optimizer instance; the same "
                f"optimizer was passed for {role!r} and another network."
            )
        if any(computes_in_float16(n) for n in networks) and not isinstance(
            optimizer, keras.optimizers.LossScaleOptimizer
        ):
            # mixed_float16: each phase gets its own dynamic loss scale,
            # saved with the model as part of the optimizer's variables.
            optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
        if not optimizer.built:
            with gan_backend.variable_scope(model):
                optimizer.build(variables)
        optimizers[role] = optimizer
        setattr(model, f"{role_prefix(role)}_optimizer", optimizer)
    return OptimizerGroup(optimizers)
