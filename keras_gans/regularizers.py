"""Regularizers: penalties added to one phase's loss, for any GAN family.

A regularizer is a Keras object saved with the model (in its compile
config, and its state, if any, in its weights). Pass a list to `compile`:

```python
gan = keras_gans.DCGAN(image_shape=(28, 28, 1))
gan.compile(regularizers=[keras_gans.regularizers.R1(gamma=1.0)])
gan.fit(dataset)  # logs d_loss, g_loss, d_real, d_fake and r1
```

The same objects work with every family: the conditional families pass
the step's labels to the discriminator inside the penalty, VAE-GAN's and
WGAN-GP's discriminator phases add them like any other.

| class | log | penalty (unweighted) | added to the loss |
|---|---|---|---|
| `GradientPenalty(weight=10)` | `gp` | mean_i (‖∇D(x̂_i)‖ - 1)², x̂ between real and fake | `weight * gp` |
| `R1(gamma=10)` | `r1` | ½ mean_i ‖∇D(x_i)‖² on real images | `gamma * r1` |
| `R2(gamma=10)` | `r2` | ½ mean_i ‖∇D(G(z_i))‖² on generated images | `gamma * r2` |
| `LeCam(weight=0.3)` | `lecam` | mean (D(x) - α_F)² + mean (D(G(z)) - α_R)², α moving averages | `weight * lecam` |
| `BCR(weight=10)` | `bcr` | mean (D(x) - D(T(x)))² + mean (D(G(z)) - D(T(G(z))))² | `weight * real + fake_weight * fake` |

Writing a new one: subclass `Regularizer`, set `phase` and `log_name`,
implement `penalty(model, context)` with `keras.ops` (no Python side
effects: the step is compiled), declare it with
`@keras_gans.parts.register("regularizer", "its_name")` (so `compile`, a
preset and a `.keras` file find it by name), and call `check_part` in its
test (see docs/adding_a_family.md).
"""

import keras
from keras import ops

from keras_gans import backend as gan_backend
from keras_gans import parts


def squared_norms(grads):
    """Per-sample squared L2 norms of a batch of gradients, in float32.

    Example:

    >>> float(squared_norms(ops.ones((2, 3, 3, 1)))[0])
    9.0
    """
    grads = ops.cast(grads, "float32")
    return ops.sum(ops.reshape(ops.square(grads), (ops.shape(grads)[0], -1)), axis=1)


def input_gradients(model, images, labels=None, training=True):
    """The gradient of the discriminator's scores with respect to its images.

    Uses `model.discriminator_scores`, so a conditional discriminator sees
    the step's labels and an AC-GAN's source head is the one
    differentiated.

    Example:

    ```python
    grads = input_gradients(gan, real_images, labels)
    ```
    """
    return gan_backend.gradients(
        lambda x: model.discriminator_scores(x, labels, training=training), images
    )


@keras.saving.register_keras_serializable(package="keras_gans")
class Regularizer(keras.layers.Layer):
    """A penalty one phase adds to its loss; subclass it for a new one.

    Args:
        weight: the factor of the penalty in the loss.
        log_name: the key under which `fit()` logs the unweighted penalty;
            default: the class's `log_name`.
        interval: lazy regularization (StyleGAN2's R1 every 16 minibatches):
            with N > 1 the penalty leaves its phase's loss and runs in a
            phase of its own on every N-th step, multiplied by N (see
            `keras_gans.models.lazy`). Default 1: added to the phase's loss
            on every step.
        **kwargs: passed to `keras.layers.Layer` (e.g. `name`).

    Subclasses set `phase` (the phase whose loss they join:
    "discriminator" or "generator") and implement `penalty`.

    Example:

    ```python
    @keras_gans.parts.register("regularizer", "score_sq")
    class ScorePenalty(keras_gans.regularizers.Regularizer):
        log_name = "score_sq"

        def penalty(self, model, context):
            return ops.mean(ops.square(context["real_scores"]))
    ```
    """

    phase = "discriminator"
    log_name = "penalty"

    def __init__(self, weight=1.0, log_name=None, interval=1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(interval, bool) or not isinstance(interval, int) or interval < 1:
            raise ValueError(
                f"{type(self).__name__} interval must be a positive integer "
                f"(1: every step; 16: StyleGAN2's lazy R1); received {interval!r}."
            )
        self.interval = int(interval)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise ValueError(
                f"{type(self).__name__} weight must be a number >= 0; "
                f"received {weight!r}."
            )
        self.weight = float(weight)
        if log_name is not None:
            self.log_name = str(log_name)
        self.built = True

    def penalty(self, model, context):
        """The unweighted penalty, a float32 scalar tensor.

        Args:
            model: the GAN being trained.
            context: a dict with `real_images`, `fake_images`, `labels`
                (None for unconditional models), `real_scores`,
                `fake_scores` (the discriminator's raw scores) and
                `training`.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement penalty(model, context)."
        )

    def compute(self, model, context):
        """`(weight * penalty, {log_name: penalty})` for one phase.

        Example:

        ```python
        term, logs = regularizer.compute(gan, context)
        ```
        """
        value = ops.cast(self.penalty(model, context), "float32")
        return self.weight * value, {self.log_name: value}

    def get_config(self):
        config = super().get_config()
        config.update({"weight": self.weight, "log_name": self.log_name,
                       "interval": self.interval})
        return config


@parts.register("regularizer", "gp", "gradient_penalty", package="keras_gans")
class GradientPenalty(Regularizer):
    """The WGAN-GP gradient penalty (Gulrajani et al. 2017).

        GP = mean_i (||grad_x D(x_hat_i)||_2 - 1)^2,
        x_hat_i = eps_i * x_i + (1 - eps_i) * G(z_i),  eps_i ~ U[0, 1],

    with ONE interpolation weight per sample (shape `(batch, 1, 1, 1)`; a
    weight per pixel, or a normally distributed one, is a widespread bug),
    drawn from the model's seed stream. Take it per sample: the
    discriminator must not use batch norm.

    Args:
        weight: lambda (the paper: 10).
        log_name: the logged key (default "gp").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    gan.compile(loss="wasserstein", regularizers=[GradientPenalty(10.0)])
    ```
    """

    log_name = "gp"

    def __init__(self, weight=10.0, **kwargs):
        super().__init__(weight=weight, **kwargs)

    @staticmethod
    def interpolation_weights(model, batch_size):
        """eps ~ U[0, 1] of shape (batch, 1, 1, 1), from the model's seed stream.

        Per replica under `tf.distribute` (see `GAN.replica_rows`).

        Example:

        >>> GradientPenalty.interpolation_weights(gan, 4).shape
        (4, 1, 1, 1)
        """
        return model.replica_rows(
            lambda n: keras.random.uniform(
                (n, 1, 1, 1), minval=0.0, maxval=1.0, seed=model.seed_generator
            ),
            batch_size,
        )

    def penalty(self, model, context, weights=None):
        """mean_i (||grad D(x_hat_i)|| - 1)^2 (the weights are drawn when None).

        Example:

        ```python
        gp = GradientPenalty().penalty(gan, {"real_images": x, "fake_images": f})
        ```
        """
        real = context["real_images"]
        fake = context["fake_images"]
        if weights is None:
            weights = self.interpolation_weights(model, ops.shape(real)[0])
        weights = ops.cast(weights, fake.dtype)
        real = ops.cast(real, fake.dtype)
        mixed = weights * real + (1.0 - weights) * fake
        grads = input_gradients(
            model, mixed, context.get("labels"), context.get("training", True)
        )
        norms = ops.sqrt(squared_norms(grads) + 1e-12)
        return ops.mean(ops.square(norms - 1.0))


@parts.register("regularizer", "r1", package="keras_gans")
class R1(Regularizer):
    """The R1 penalty (Mescheder et al. 2018): zero-centred, on real images.

        R1 = 1/2 mean_i ||grad_x D(x_i)||^2,   loss += gamma * R1.

    Usually paired with the non-saturating loss.

    Args:
        gamma: the penalty's weight (StyleGAN2 uses 10 at 1024x1024; small
            images need much less, e.g. 0.1-1).
        log_name: the logged key (default "r1").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    gan.compile(regularizers=[R1(gamma=1.0)])
    ```
    """

    log_name = "r1"

    def __init__(self, gamma=10.0, **kwargs):
        kwargs.setdefault("weight", gamma)
        super().__init__(**kwargs)

    @property
    def gamma(self):
        """The weight, under the paper's name."""
        return self.weight

    def penalty(self, model, context):
        """1/2 mean_i ||grad D(x_i)||^2 over the real images.

        Example:

        ```python
        r1 = R1().penalty(gan, {"real_images": x, "labels": None})
        ```
        """
        grads = input_gradients(
            model, context["real_images"], context.get("labels"),
            context.get("training", True),
        )
        return 0.5 * ops.mean(squared_norms(grads))


@parts.register("regularizer", "r2", package="keras_gans")
class R2(R1):
    """The R2 penalty (Mescheder et al. 2018, arXiv:1801.04406): zero-centred,
    on generated images.

        R2 = 1/2 mean_i ||grad_x D(G(z_i))||^2,   loss += gamma * R2.

    R3GAN (Huang et al. 2024, arXiv:2501.05441) pairs it with R1 and the
    RpGAN loss; together they make the training provably locally convergent.

    Args:
        gamma: the penalty's weight.
        log_name: the logged key (default "r2").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    gan.compile(loss="rpgan", regularizers=[R1(gamma=0.1), R2(gamma=0.1)])
    ```
    """

    log_name = "r2"

    def penalty(self, model, context):
        """1/2 mean_i ||grad D(G(z_i))||^2 over the generated images.

        Example:

        ```python
        r2 = R2().penalty(gan, {"fake_images": fakes, "labels": None})
        ```
        """
        grads = input_gradients(
            model, context["fake_images"], context.get("labels"),
            context.get("training", True),
        )
        return 0.5 * ops.mean(squared_norms(grads))


def _scores(model, context, which):
    """The context's raw scores on real or fake images, computed if absent."""
    scores = context.get(f"{which}_scores")
    if scores is None:
        scores = model.discriminator_scores(
            context[f"{which}_images"], context.get("labels"), context.get("training", True)
        )
    return ops.cast(scores, "float32")


@parts.register("regularizer", "lecam", package="keras_gans")
class LeCam(Regularizer):
    """The LeCam regularizer (Tseng et al. 2021, arXiv:2104.03310).

        LeCam = mean_i (D(x_i) - alpha_F)^2 + mean_i (D(G(z_i)) - alpha_R)^2,

    where alpha_R and alpha_F are exponential moving averages of the mean
    raw score on real and on generated images (the paper's eq. 3; its code
    also offers a one-sided ReLU form, not used here). Each training
    discriminator phase first moves the anchors,
    `alpha <- decay * alpha + (1 - decay) * mean(D)` (the first phase sets
    them to the batch means), then computes the penalty with the new ones;
    a test step only reads them. The anchors are non-trainable Keras
    variables, so they are saved in `.keras` and carried through JAX's
    compiled step.

    Args:
        weight: lambda (the paper: 0.3 on CIFAR-10 with BigGAN, 0.01 with
            StyleGAN2 on small data sets).
        decay: the anchors' moving-average decay (the paper: 0.99).
        log_name: the logged key (default "lecam").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    gan.compile(loss="hinge", regularizers=[LeCam(weight=0.3)])
    ```
    """

    log_name = "lecam"

    def __init__(self, weight=0.3, decay=0.99, **kwargs):
        super().__init__(weight=weight, **kwargs)
        if not 0.0 <= float(decay) < 1.0:
            raise ValueError(f"LeCam decay must be in [0, 1); received {decay!r}.")
        self.decay = float(decay)

        def state(name):
            return self.add_weight(shape=(), initializer="zeros", dtype="float32",
                                   trainable=False, name=name)

        self.anchor_real = state("anchor_real")
        self.anchor_fake = state("anchor_fake")
        self.updates = state("updates")

    def penalty(self, model, context):
        """Move the anchors (when training), then the penalty.

        Example:

        ```python
        value = LeCam().penalty(gan, {"real_scores": r, "fake_scores": f, "training": True})
        ```
        """
        real = _scores(model, context, "real")
        fake = _scores(model, context, "fake")
        anchor_real, anchor_fake = self.anchor_real.value, self.anchor_fake.value
        if context.get("training", True):
            updates = self.updates.value
            decay = ops.where(ops.equal(updates, 0.0), 0.0, self.decay)
            anchor_real = decay * anchor_real + (1.0 - decay) * ops.stop_gradient(
                ops.mean(real))
            anchor_fake = decay * anchor_fake + (1.0 - decay) * ops.stop_gradient(
                ops.mean(fake))
            self.anchor_real.assign(anchor_real)
            self.anchor_fake.assign(anchor_fake)
            self.updates.assign(updates + 1.0)
        return ops.mean(ops.square(real - anchor_fake)) + ops.mean(
            ops.square(fake - anchor_real))

    def get_config(self):
        config = super().get_config()
        config["decay"] = self.decay
        return config


@parts.register("regularizer", "bcr", package="keras_gans")
class BCR(Regularizer):
    """Balanced consistency regularization (bCR; Zhao et al. 2020,
    "Improved Consistency Regularization for GANs", arXiv:2002.04724).

        real = mean_i (D(x_i) - D(T(x_i)))^2,
        fake = mean_i (D(G(z_i)) - D(T(G(z_i))))^2,
        loss += weight * real + fake_weight * fake,

    where T is a random, semantics-preserving augmentation (the paper:
    flip and translation by up to 1/8 of the size). The logged `bcr` is
    `real + fake`. D(x) is the score the GAN loss used (already through the
    model's own augmentation, if any); D(T(x)) goes through it too.

    Args:
        weight: lambda_real (the paper: 10).
        fake_weight: lambda_fake; default: `weight`.
        augmentation: T, an `Augmentation` or its name or config; default
            `DiffAugment("xflip,translation")`.
        log_name: the logged key (default "bcr").
        **kwargs: passed to `Regularizer`.

    Example:

    ```python
    from keras_gans.augmentation import DiffAugment
    gan.compile(regularizers=[BCR(10.0, augmentation=DiffAugment("translation"))])
    ```
    """

    log_name = "bcr"

    def __init__(self, weight=10.0, fake_weight=None, augmentation=None, **kwargs):
        from keras_gans import augmentation as gan_augmentation

        super().__init__(weight=weight, **kwargs)
        self.fake_weight = self.weight if fake_weight is None else float(fake_weight)
        if self.fake_weight < 0:
            raise ValueError(f"BCR fake_weight must be >= 0; received {fake_weight!r}.")
        if augmentation is None:
            augmentation = gan_augmentation.DiffAugment("xflip,translation")
        self.augmentation = gan_augmentation.get(augmentation)

    def terms(self, model, context):
        """`(real, fake)`: the two unweighted consistency terms.

        Example:

        ```python
        real, fake = BCR().terms(gan, {"real_images": x, "fake_images": f})
        ```
        """
        labels, training = context.get("labels"), context.get("training", True)
        values = []
        for which in ("real", "fake"):
            images = context[f"{which}_images"]
            moved = self.augmentation.augment(images, model.seed_generator)
            moved_scores = ops.cast(model.discriminator_scores(moved, labels, training), "float32")
            values.append(ops.mean(ops.square(_scores(model, context, which) - moved_scores)))
        return values[0], values[1]

    def penalty(self, model, context):
        """real + fake (see `terms`)."""
        real, fake = self.terms(model, context)
        return real + fake

    def compute(self, model, context):
        """`(weight * real + fake_weight * fake, {log_name: real + fake})`."""
        real, fake = self.terms(model, context)
        return self.weight * real + self.fake_weight * fake, {self.log_name: real + fake}

    def get_config(self):
        config = super().get_config()
        config.update({
            "fake_weight": self.fake_weight,
            "augmentation": keras.saving.serialize_keras_object(self.augmentation),
        })
        return config


def get(identifier):
    """A `Regularizer` from an instance, a registered name ("gp", "r1", "r2",
    "lecam", "bcr", or one declared with `keras_gans.parts.register`) or a
    config (Keras' serialized form, or `{"class_name": "R1", "config": {...}}`).

    Example:

    >>> type(get("r1")).__name__
    'R1'
    """
    return parts.get("regularizer", identifier, Regularizer)


def get_list(identifiers):
    """A list of `Regularizer`s from None, one identifier or a list of them.

    Example:

    >>> [type(r).__name__ for r in get_list(["gp", "r1"])]
    ['GradientPenalty', 'R1']
    """
    if identifiers is None:
        return []
    if not isinstance(identifiers, (list, tuple)):
        identifiers = [identifiers]
    regularizers = [get(i) for i in identifiers]
    names = [r.log_name for r in regularizers]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(
            f"Two regularizers would log under the same name {duplicates}; "
            "give one a different log_name."
        )
    return regularizers
