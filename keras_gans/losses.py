"""GAN losses as pure `keras.ops` functions of discriminator outputs.

Every loss family is a pair: a discriminator loss of the outputs on real and
generated images, and a generator loss of the outputs on generated images.
The discriminator outputs are raw scores (logits for the logistic losses).

| name             | discriminator minimises                      | generator minimises         |
|------------------|----------------------------------------------|-----------------------------|
| `minimax`        | -log D(x) - log(1 - D(G(z)))                 | log(1 - D(G(z)))            |
| `non_saturating` | same as minimax                              | -log D(G(z))                |
| `least_squares`  | ½(D(x) - 1)² + ½D(G(z))²                     | ½(D(G(z)) - 1)²             |
| `hinge`          | max(0, 1 - D(x)) + max(0, 1 + D(G(z)))       | -D(G(z))                    |
| `wasserstein`    | D(G(z)) - D(x)                               | -D(G(z))                    |
| `rpgan`          | f(C(G(z)_i) - C(x_i))                        | f(C(x_i) - C(G(z)_i))       |
| `ragan`          | f(-(C(x) - E C(G(z)))) + f(C(G(z)) - E C(x)) | the same with real and fake swapped |

where D(·) = sigmoid(logit) for the two logistic losses, C is the raw score
and f = softplus (so f(-t) = -log sigmoid(t)). Each term is a mean over the
batch. The two relativistic losses (`relativistic=True`) compare real and
generated scores, so their generator loss takes both:
`generator_loss(real_scores, fake_scores)`; the model then scores the real
batch in the generator phase too. RpGAN pairs the i-th real image with the
i-th generated one: both batches must have the same size.
"""

import keras
from keras import ops

from keras_gans import parts
from keras_gans.parts import did_you_mean


def _bce_with_logits(logits, target):
    # target * softplus(-x) + (1 - target) * softplus(x), numerically stable.
    logits = ops.cast(logits, "float32")
    return ops.mean(
        target * ops.softplus(-logits) + (1.0 - target) * ops.softplus(logits)
    )


def logistic_discriminator_loss(real_logits, fake_logits, real_target=1.0):
    """Binary cross-entropy: real images are labelled `real_target`, fakes 0.

    Args:
        real_logits: discriminator logits on real images.
        fake_logits: discriminator logits on generated images.
        real_target: 1.0, or less for one-sided label smoothing.

    Returns:
        A scalar tensor.

    Example:

    >>> float(logistic_discriminator_loss(ops.zeros(4), ops.zeros(4)))  # 2 log 2
    1.3862943649291992
    """
    return _bce_with_logits(real_logits, real_target) + _bce_with_logits(
        fake_logits, 0.0
    )


def minimax_generator_loss(fake_logits):
    """The original paper's generator loss: mean log(1 - D(G(z))).

    Args:
        fake_logits: discriminator logits on generated images.

    Returns:
        A scalar tensor, minimised by the generator.

    Example:

    >>> round(float(minimax_generator_loss(ops.zeros(3))), 4)  # log 0.5
    -0.6931
    """
    return -ops.mean(ops.softplus(ops.cast(fake_logits, "float32")))


def non_saturating_generator_loss(fake_logits):
    """The non-saturating generator loss: mean -log D(G(z)).

    Args:
        fake_logits: discriminator logits on generated images.

    Returns:
        A scalar tensor.

    Example:

    >>> round(float(non_saturating_generator_loss(ops.zeros(3))), 4)
    0.6931
    """
    return _bce_with_logits(fake_logits, 1.0)


def least_squares_discriminator_loss(real_scores, fake_scores, real_target=1.0):
    """LSGAN (Mao et al. 2017): ½ mean (D(x) - 1)² + ½ mean D(G(z))².

    Example:

    >>> float(least_squares_discriminator_loss(ops.ones(2), ops.zeros(2)))
    0.0
    """
    real_scores = ops.cast(real_scores, "float32")
    fake_scores = ops.cast(fake_scores, "float32")
    return 0.5 * ops.mean(ops.square(real_scores - real_target)) + 0.5 * ops.mean(
        ops.square(fake_scores)
    )


def least_squares_generator_loss(fake_scores):
    """LSGAN generator loss: ½ mean (D(G(z)) - 1)².

    Example:

    >>> float(least_squares_generator_loss(ops.zeros(2)))
    0.5
    """
    fake_scores = ops.cast(fake_scores, "float32")
    return 0.5 * ops.mean(ops.square(fake_scores - 1.0))


def hinge_discriminator_loss(real_scores, fake_scores, real_target=1.0):
    """Hinge loss: mean max(0, 1 - D(x)) + mean max(0, 1 + D(G(z))).

    `real_target` is accepted for a uniform signature and must be 1.

    Example:

    >>> float(hinge_discriminator_loss(ops.ones(2), -ops.ones(2)))
    0.0
    """
    real_scores = ops.cast(real_scores, "float32")
    fake_scores = ops.cast(fake_scores, "float32")
    return ops.mean(ops.relu(1.0 - real_scores)) + ops.mean(
        ops.relu(1.0 + fake_scores)
    )


def wasserstein_discriminator_loss(real_scores, fake_scores, real_target=1.0):
    """Wasserstein critic loss: mean D(G(z)) - mean D(x).

    `real_target` is accepted for a uniform signature and must be 1.

    Example:

    >>> float(wasserstein_discriminator_loss(ops.ones(2), ops.zeros(2)))
    -1.0
    """
    return ops.mean(ops.cast(fake_scores, "float32")) - ops.mean(
        ops.cast(real_scores, "float32")
    )


def negative_score_generator_loss(fake_scores):
    """Generator loss of the hinge and Wasserstein families: -mean D(G(z)).

    Example:

    >>> float(negative_score_generator_loss(ops.ones(2)))
    -1.0
    """
    return -ops.mean(ops.cast(fake_scores, "float32"))


def _f32(x):
    return ops.cast(x, "float32")


def rpgan_discriminator_loss(real_scores, fake_scores, real_target=1.0):
    """Relativistic pairing loss (RpGAN; Jolicoeur-Martineau 2018, as used
    by R3GAN, Huang et al. 2024, arXiv:2501.05441): mean_i softplus(C(G(z_i))
    - C(x_i)), each real score paired with one fake score.

    `real_target` is accepted for a uniform signature and must be 1.

    Example:

    >>> round(float(rpgan_discriminator_loss(ops.zeros(2), ops.zeros(2))), 4)  # log 2
    0.6931
    """
    return ops.mean(ops.softplus(_f32(fake_scores) - _f32(real_scores)))


def rpgan_generator_loss(real_scores, fake_scores):
    """RpGAN's generator loss: mean_i softplus(C(x_i) - C(G(z_i))).

    Reference: Huang et al. 2024 (R3GAN), arXiv:2501.05441, eq. 2.

    Example:

    >>> round(float(rpgan_generator_loss(ops.ones(2), ops.ones(2))), 4)
    0.6931
    """
    return ops.mean(ops.softplus(_f32(real_scores) - _f32(fake_scores)))


def ragan_discriminator_loss(real_scores, fake_scores, real_target=1.0):
    """Relativistic average loss (RaGAN; Jolicoeur-Martineau 2018,
    arXiv:1807.00734): mean softplus(-(C(x) - mean C(G(z)))) + mean
    softplus(C(G(z)) - mean C(x)).

    Example:

    >>> round(float(ragan_discriminator_loss(ops.zeros(2), ops.zeros(2))), 4)  # 2 log 2
    1.3863
    """
    real, fake = _f32(real_scores), _f32(fake_scores)
    return ops.mean(ops.softplus(ops.mean(fake) - real)) + ops.mean(
        ops.softplus(fake - ops.mean(real))
    )


def ragan_generator_loss(real_scores, fake_scores):
    """RaGAN's generator loss: the discriminator's with real and fake swapped,
    mean softplus(-(C(G(z)) - mean C(x))) + mean softplus(C(x) - mean C(G(z))).

    Reference: Jolicoeur-Martineau 2018, arXiv:1807.00734, eq. 14.

    Example:

    >>> round(float(ragan_generator_loss(ops.zeros(2), ops.zeros(2))), 4)
    1.3863
    """
    return ragan_discriminator_loss(fake_scores, real_scores)


@keras.saving.register_keras_serializable(package="keras_gans")
class GANLoss:
    """A pair of discriminator and generator losses: a part saved with the
    model.

    A built-in loss is saved by its name. A custom one is saved with its
    config (`get_config`), so it survives `.keras` save and load when Keras
    can find its two functions again: register them with
    `@keras.saving.register_keras_serializable()`, as any custom Keras
    object. Otherwise loading warns and compiles with the family's default.

    Args:
        discriminator_loss: `f(real_scores, fake_scores, real_target=1.0)`.
        generator_loss: `f(fake_scores)`, or `f(real_scores, fake_scores)`
            when `relativistic`.
        name: a name for configs and logs.
        probabilistic: True when scores are logits of P(real), so that
            `sigmoid` turns them into probabilities for logging.
        supports_label_smoothing: whether `real_target < 1` is meaningful.
        relativistic: True when the generator loss also needs the scores
            of real images: it is called as `f(real_scores, fake_scores)`
            and the model scores the real batch in the generator phase.

    Example:

    ```python
    my_loss = GANLoss(
        discriminator_loss=hinge_discriminator_loss,
        generator_loss=negative_score_generator_loss,
        name="my_hinge",
    )
    model.compile(loss=my_loss)
    ```
    """

    def __init__(
        self,
        discriminator_loss,
        generator_loss,
        name="custom",
        probabilistic=False,
        supports_label_smoothing=True,
        relativistic=False,
    ):
        if not callable(discriminator_loss) or not callable(generator_loss):
            raise TypeError(
                "GANLoss expects two callables (discriminator_loss, "
                f"generator_loss); received {discriminator_loss!r} and "
                f"{generator_loss!r}."
            )
        self.discriminator_loss = discriminator_loss
        self.generator_loss = generator_loss
        self.name = name
        self.probabilistic = probabilistic
        self.supports_label_smoothing = supports_label_smoothing
        self.relativistic = bool(relativistic)

    def __repr__(self):
        return f"GANLoss(name={self.name!r})"

    def get_config(self):
        """The constructor's arguments, the functions serialized by Keras.

        Example:

        >>> GANLoss(my_d_loss, my_g_loss, name="mine").get_config()["name"]
        'mine'
        """
        return {
            "discriminator_loss": keras.saving.serialize_keras_object(self.discriminator_loss),
            "generator_loss": keras.saving.serialize_keras_object(self.generator_loss),
            "name": self.name,
            "probabilistic": self.probabilistic,
            "supports_label_smoothing": self.supports_label_smoothing,
            "relativistic": self.relativistic,
        }

    @classmethod
    def from_config(cls, config):
        """The inverse of `get_config`.

        Example:

        >>> GANLoss.from_config(loss.get_config()).name == loss.name
        True
        """
        config = dict(config)
        for key in ("discriminator_loss", "generator_loss"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        return cls(**config)

    def restorable(self):
        """Whether a `.keras` file can restore this loss: its functions (or
        its class, for a subclass) are registered with Keras.

        Example:

        >>> GANLoss(lambda r, f, real_target=1.0: 0.0, lambda f: 0.0).restorable()
        False
        """
        def registered(obj):
            name = keras.saving.get_registered_name(obj)
            return keras.saving.get_registered_object(name) is obj

        if type(self) is not GANLoss:
            return registered(type(self))
        return registered(self.discriminator_loss) and registered(self.generator_loss)


def _builtin(*names, **arguments):
    """A built-in loss, filed in `keras_gans.parts` under `names`."""
    loss = GANLoss(name=names[0], **arguments)
    return parts.register("loss", *names, package="keras_gans")(loss)


#: The built-in losses by name (each the object `get(name)` returns); their
#: aliases ("ns", "lsgan", "wgan", ...) are filed in `keras_gans.parts`.
LOSSES = {loss.name: loss for loss in (
    _builtin("minimax", discriminator_loss=logistic_discriminator_loss,
             generator_loss=minimax_generator_loss, probabilistic=True),
    _builtin("non_saturating", "nonsaturating", "ns",
             discriminator_loss=logistic_discriminator_loss,
             generator_loss=non_saturating_generator_loss, probabilistic=True),
    _builtin("least_squares", "lsgan", discriminator_loss=least_squares_discriminator_loss,
             generator_loss=least_squares_generator_loss),
    _builtin("hinge", discriminator_loss=hinge_discriminator_loss,
             generator_loss=negative_score_generator_loss, supports_label_smoothing=False),
    _builtin("wasserstein", "wgan", discriminator_loss=wasserstein_discriminator_loss,
             generator_loss=negative_score_generator_loss, supports_label_smoothing=False),
    _builtin("rpgan", discriminator_loss=rpgan_discriminator_loss,
             generator_loss=rpgan_generator_loss, supports_label_smoothing=False,
             relativistic=True),
    _builtin("ragan", discriminator_loss=ragan_discriminator_loss,
             generator_loss=ragan_generator_loss, supports_label_smoothing=False,
             relativistic=True),
)}


def _known_names():
    """The loss names to list in errors: the built-in ones and the names
    registered by users (the built-in aliases left out)."""
    builtin = set(LOSSES.values())
    return sorted(set(LOSSES) | {n for n in parts.names("loss")
                                 if parts._NAMES["loss"][n] not in builtin})


def get(identifier):
    """Return a `GANLoss` from a name, a `GANLoss`, or a pair of callables.

    Args:
        identifier: one of "minimax", "non_saturating" (default of the
            models), "least_squares", "hinge", "wasserstein", "rpgan",
            "ragan", or a name registered with
            `keras_gans.parts.register("loss", name)`; a `GANLoss`;
            a `GANLoss` config (what `serialize` writes for a custom loss);
            or a tuple `(discriminator_loss, generator_loss)` of callables.

    Returns:
        A `GANLoss`.

    Example:

    >>> get("hinge").name
    'hinge'
    """
    if isinstance(identifier, GANLoss):
        return identifier
    if isinstance(identifier, dict):  # a saved custom loss (`serialize`)
        loss = keras.saving.deserialize_keras_object(identifier)
        if not isinstance(loss, GANLoss):
            raise ValueError(
                f"A loss config must describe a GANLoss; received {identifier!r}, "
                f"which gives {loss!r}.")
        return loss
    if isinstance(identifier, str):
        key = identifier.lower().replace("-", "_")
        if key in parts.names("loss"):
            return parts.get("loss", key, GANLoss)
        known = _known_names()
        hint = did_you_mean(key, known, cutoff=0.4)
        raise ValueError(
            f"Unknown GAN loss {identifier!r}. Expected one of "
            f"{known}, a GANLoss, or a (discriminator_loss, "
            f"generator_loss) pair of callables (register your own with "
            f"keras_gans.parts.register('loss', name)).{hint}"
        )
    if isinstance(identifier, (tuple, list)) and len(identifier) == 2:
        return GANLoss(identifier[0], identifier[1], name="custom")
    raise ValueError(
        f"Could not interpret GAN loss {identifier!r} (type "
        f"{type(identifier).__name__}). Expected a name among "
        f"{_known_names()}, a GANLoss, or a (discriminator_loss, "
        "generator_loss) pair of callables."
    )


def serialize(loss):
    """Return the config form of a loss: its name for a built-in one, its
    Keras config for a restorable custom one (`GANLoss.restorable`), its
    name for one filed under it with `keras_gans.parts.register("loss")`,
    else None (the file cannot restore it).

    Example:

    >>> serialize(get("hinge"))
    'hinge'
    """
    if not isinstance(loss, GANLoss):
        return None
    if LOSSES.get(loss.name) is loss:
        return loss.name
    if loss.restorable():
        return keras.saving.serialize_keras_object(loss)
    # An instance filed under its name in keras_gans.parts is found again
    # by that name, once the code that registers it has run.
    name = str(loss.name).lower()
    if name in parts.names("loss") and parts.get("loss", name, GANLoss) is loss:
        return loss.name
    return None
