"""Augmentation of every image the discriminator sees, for any GAN family.

`compile(augmentation=...)` installs an `Augmentation`; the model applies it
to real and generated images alike, in the discriminator phase and in the
generator phase (and inside the regularizers, which call the discriminator
through the same path), so the discriminator never sees an unaugmented
image during training and the generator learns through the augmentation.
It must therefore be differentiable and written with `keras.ops`, drawing
its randomness from the model's seed stream (passed in), with no Python
side effects: the step is compiled.

`Identity` (the default, `augmentation=None`) changes nothing.
`DiffAugment` (Zhao et al. 2020) applies colour, translation and cutout to
every image; `AdaptiveAugment` (Karras et al. 2020, ADA) applies them to
each image with a probability p that it tunes from the discriminator's
overfitting and logs as `aug_p`.

| class | what | logs |
|---|---|---|
| `Identity()` | nothing | |
| `DiffAugment(policy="color,translation,cutout")` | every op on every image | |
| `AdaptiveAugment(target=0.6)` | each op with probability p, p adapted | `aug_p`, `aug_rt` |

Example:

```python
@keras_gans.parts.register("augmentation", "flip")
class Flip(keras_gans.augmentation.Augmentation):
    def augment(self, images, seed_generator):
        return ops.flip(images, axis=2)

gan.compile(augmentation=Flip())
```
"""

import keras
from keras import ops

from keras_gans import parts


@keras.saving.register_keras_serializable(package="keras_gans")
class Augmentation(keras.layers.Layer):
    """Base class: a differentiable transform of discriminator inputs.

    Subclasses implement `augment(images, seed_generator)`. State the
    augmentation keeps (an adaptive probability, say) lives in Keras
    variables created in `__init__`, so it is saved with the model and
    threaded through JAX's compiled step.

    Example:

    ```python
    images = augmentation.augment(images, gan.seed_generator)
    ```
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.built = True

    def augment(self, images, seed_generator):
        """Return augmented `images` (same shape and dtype)."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement augment(images, seed_generator)."
        )

    #: What the augmentation adds to `fit()`'s logs (see `log_values`).
    log_names = ()

    def observe(self, model, real_scores):
        """Hook called with the discriminator's raw scores on real images in
        each discriminator phase (adaptive augmentation reads them). Default:
        nothing."""
        return None

    def log_values(self):
        """`{name: scalar}` for each of `log_names`, logged by every
        discriminator phase. Default: nothing.

        Example:

        >>> AdaptiveAugment().log_values()["aug_p"]  # doctest: +SKIP
        0.0
        """
        return {}


@parts.register("augmentation", "identity", package="keras_gans")
class Identity(Augmentation):
    """No augmentation: the images pass unchanged.

    Example:

    >>> Identity().augment(x, None) is x
    True
    """

    def augment(self, images, seed_generator):
        return images


# --------------------------------------------------------------- the ops
# Each op maps a batch (B, H, W, C) to a batch of the same shape, with its
# random parameters drawn per image from `seed`, differentiably in the images.


def _as_tensor(images):
    # The ops accept numpy arrays as well as backend tensors. On torch a
    # numpy array on the left of `+` or `*` hands the product to numpy,
    # which cannot combine it with a torch tensor, so convert first (a
    # no-op for a tensor on every backend).
    return ops.convert_to_tensor(images)


def _per_image_uniform(images, seed):
    return keras.random.uniform(
        (ops.shape(images)[0], 1, 1, 1), dtype="float32", seed=seed
    )


def rand_brightness(images, seed):
    """Add one offset in [-0.5, 0.5) per image (DiffAugment's brightness;
    Zhao et al. 2020, arXiv:2006.10738).

    Example:

    ```python
    x = rand_brightness(x, keras.random.SeedGenerator(0))
    ```
    """
    images = _as_tensor(images)
    return images + ops.cast(_per_image_uniform(images, seed) - 0.5, images.dtype)


def rand_saturation(images, seed):
    """Scale each pixel's deviation from its channel mean by a factor in [0, 2).

    Example:

    ```python
    x = rand_saturation(x, keras.random.SeedGenerator(0))
    ```
    """
    images = _as_tensor(images)
    mean = ops.mean(images, axis=-1, keepdims=True)
    factor = ops.cast(_per_image_uniform(images, seed) * 2.0, images.dtype)
    return (images - mean) * factor + mean


def rand_contrast(images, seed):
    """Scale each image's deviation from its mean by a factor in [0.5, 1.5).

    Example:

    ```python
    x = rand_contrast(x, keras.random.SeedGenerator(0))
    ```
    """
    images = _as_tensor(images)
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    factor = ops.cast(_per_image_uniform(images, seed) + 0.5, images.dtype)
    return (images - mean) * factor + mean


def _shift_matrices(shift, size, dtype):
    # M[b, i, k] = 1 where k == i + shift_b: (M @ x)[i] = x[i + shift], zero
    # where i + shift falls outside the image (DiffAugment's zero padding).
    i = ops.reshape(ops.arange(size, dtype="int32"), (1, size, 1))
    k = ops.reshape(ops.arange(size, dtype="int32"), (1, 1, size))
    return ops.cast(ops.equal(k, i + ops.reshape(shift, (-1, 1, 1))), dtype)


def rand_translation(images, seed, ratio=0.125):
    """Shift each image by whole pixels, up to `ratio` of its size in each
    direction, filling with zeros (DiffAugment's translation).

    The shift is a product with one-hot matrices, so gradients reach the
    images exactly.

    Example:

    ```python
    x = rand_translation(x, keras.random.SeedGenerator(0), ratio=0.125)
    ```
    """
    images = _as_tensor(images)
    height, width = int(images.shape[1]), int(images.shape[2])
    batch = ops.shape(images)[0]
    max_y, max_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    shift_y = keras.random.randint((batch,), -max_y, max_y + 1, dtype="int32", seed=seed)
    shift_x = keras.random.randint((batch,), -max_x, max_x + 1, dtype="int32", seed=seed)
    rows = _shift_matrices(shift_y, height, images.dtype)
    cols = _shift_matrices(shift_x, width, images.dtype)
    images = ops.einsum("bik,bkwc->biwc", rows, images)
    return ops.einsum("bjl,bilc->bijc", cols, images)


def rand_cutout(images, seed, ratio=0.5):
    """Zero one square of `ratio` of the image's size per image, at a random
    place (it may overhang the border), as DiffAugment's cutout.

    Example:

    ```python
    x = rand_cutout(x, keras.random.SeedGenerator(0), ratio=0.5)
    ```
    """
    images = _as_tensor(images)
    height, width = int(images.shape[1]), int(images.shape[2])
    batch = ops.shape(images)[0]
    size_y, size_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    top = keras.random.randint(
        (batch, 1, 1), 0, height + (1 - size_y % 2), dtype="int32", seed=seed
    ) - size_y // 2
    left = keras.random.randint(
        (batch, 1, 1), 0, width + (1 - size_x % 2), dtype="int32", seed=seed
    ) - size_x // 2
    i = ops.reshape(ops.arange(height, dtype="int32"), (1, height, 1))
    j = ops.reshape(ops.arange(width, dtype="int32"), (1, 1, width))
    inside = ops.logical_and(
        ops.logical_and(i >= top, i < top + size_y),
        ops.logical_and(j >= left, j < left + size_x),
    )
    mask = 1.0 - ops.cast(inside, images.dtype)
    return images * ops.expand_dims(mask, -1)


def rand_xflip(images, seed):
    """Mirror every image left to right (ADA's x-flip, Karras et al. 2020;
    DiffAugment has none).

    Example:

    ```python
    x = rand_xflip(x, None)
    ```
    """
    images = _as_tensor(images)
    return ops.flip(images, axis=2)


def _policy_ops(policy, translation_ratio, cutout_ratio):
    table = {
        "color": [rand_brightness, rand_saturation, rand_contrast],
        "translation": [lambda x, s: rand_translation(x, s, translation_ratio)],
        "cutout": [lambda x, s: rand_cutout(x, s, cutout_ratio)],
        "xflip": [rand_xflip],
    }
    names = [p.strip() for p in policy.split(",") if p.strip()] if policy else []
    unknown = [n for n in names if n not in table]
    if unknown:
        raise ValueError(
            f"Unknown augmentation policy {unknown}; expected a comma-separated "
            f"list of {sorted(table)}; received {policy!r}."
        )
    return [op for n in names for op in table[n]]


@parts.register("augmentation", "diffaugment", "diff_augment", package="keras_gans")
class DiffAugment(Augmentation):
    """Differentiable Augmentation (Zhao et al. 2020, arXiv:2006.10738).

    Applies the same policy to every image the discriminator sees, real and
    generated, in both phases (the model calls it in `discriminator_outputs`),
    with parameters drawn per image from the model's seed stream. Every op
    is differentiable in the images, so the generator learns through it.

    Args:
        policy: comma-separated ops, applied in this order: "color"
            (brightness, saturation, contrast), "translation", "cutout", and
            "xflip" (not in the paper). The paper's default is
            "color,translation,cutout".
        translation_ratio: the largest shift, as a share of the image size
            (the paper: 1/8).
        cutout_ratio: the side of the cut-out square, as a share of the
            image size (the paper: 1/2).
        **kwargs: passed to `keras.layers.Layer`.

    Example:

    ```python
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1))
    gan.compile(augmentation=keras_gans.augmentation.DiffAugment("translation,cutout"))
    ```
    """

    def __init__(self, policy="color,translation,cutout", translation_ratio=0.125,
                 cutout_ratio=0.5, **kwargs):
        super().__init__(**kwargs)
        self.policy = policy
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self._ops = _policy_ops(policy, self.translation_ratio, self.cutout_ratio)

    def augment(self, images, seed_generator):
        """Every op of the policy, in order, with fresh per-image parameters.

        Example:

        ```python
        out = DiffAugment().augment(images, gan.seed_generator)
        ```
        """
        for op in self._ops:
            images = op(images, seed_generator)
        return images

    def get_config(self):
        config = super().get_config()
        config.update({"policy": self.policy, "translation_ratio": self.translation_ratio,
                       "cutout_ratio": self.cutout_ratio})
        return config


@parts.register("augmentation", "ada", "adaptive", package="keras_gans")
class AdaptiveAugment(Augmentation):
    """Adaptive discriminator augmentation (ADA; Karras et al. 2020,
    arXiv:2006.06676), with a reduced, differentiable pipeline.

    Each op of `policy` is applied to each image with probability p. Every
    discriminator phase adds the signs of the discriminator's raw scores on
    real images to an accumulator; every `interval` phases the overfitting
    heuristic r_t = E[sign(D(x_real))] is read from it, and

        p <- clip(p + sign(r_t - target) * N / speed_images, 0, max_p),

    where N is the number of real images seen in the interval: p can travel
    from 0 to 1 in `speed_images` images. The paper uses 500k images (batch
    64, interval 4, on data sets of thousands of images trained for tens of
    millions of images); a digits run sees about 150k images in all, so the
    default here is 20k: p can respond within about 15 epochs of the 1,437
    training digits. Scale it with the length of your run.

    p, r_t and the accumulators are non-trainable Keras variables: saved in
    `.keras`, threaded through JAX's compiled step, updated with
    `keras.ops` only. `fit()` logs p as `aug_p` and the last r_t as `aug_rt`.
    The pipeline is ADA's idea, not its full "bgc" set: x-flip, integer
    translation, colour (brightness, saturation, contrast) and cutout from
    `DiffAugment`'s ops (no rotations, scaling or hue), each skipped or
    applied per image. Under `tf.distribute` each replica updates p from its
    own scores.

    Args:
        target: the r_t that p steers towards (the paper: 0.6).
        interval: discriminator phases between adjustments (the paper: 4).
        speed_images: images over which p may move by 1.
        initial_p: p at the start.
        max_p: p's ceiling (ADA leaks augmentations into the generator
            above about 0.8 for some ops).
        policy: ops as in `DiffAugment` (default "xflip,translation,color,cutout").
        translation_ratio, cutout_ratio: as in `DiffAugment`.
        **kwargs: passed to `keras.layers.Layer`.

    Example:

    ```python
    ada = keras_gans.augmentation.AdaptiveAugment(target=0.6)
    gan.compile(augmentation=ada)
    history = gan.fit(x, epochs=50)
    history.history["aug_p"]  # p at the end of each epoch (its mean)
    ```
    """

    log_names = ("aug_p", "aug_rt")

    def __init__(self, target=0.6, interval=4, speed_images=20000, initial_p=0.0,
                 max_p=1.0, policy="xflip,translation,color,cutout",
                 translation_ratio=0.125, cutout_ratio=0.5, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= float(initial_p) <= float(max_p) <= 1.0:
            raise ValueError(
                "AdaptiveAugment needs 0 <= initial_p <= max_p <= 1; received "
                f"initial_p={initial_p!r}, max_p={max_p!r}."
            )
        if int(interval) < 1 or float(speed_images) <= 0:
            raise ValueError(
                "AdaptiveAugment needs interval >= 1 and speed_images > 0; "
                f"received interval={interval!r}, speed_images={speed_images!r}."
            )
        self.target = float(target)
        self.interval = int(interval)
        self.speed_images = float(speed_images)
        self.initial_p = float(initial_p)
        self.max_p = float(max_p)
        self.policy = policy
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self._ops = _policy_ops(policy, self.translation_ratio, self.cutout_ratio)

        def state(name, value=0.0):
            return self.add_weight(
                shape=(), initializer=keras.initializers.Constant(value),
                dtype="float32", trainable=False, name=name,
            )

        self.p = state("p", self.initial_p)
        self.rt = state("rt")
        self.sign_sum = state("sign_sum")
        self.count = state("count")
        self.phases_seen = state("phases_seen")

    def augment(self, images, seed_generator):
        """Each op of the policy on each image with probability p.

        Example:

        ```python
        out = AdaptiveAugment(initial_p=0.5).augment(images, gan.seed_generator)
        ```
        """
        p = ops.cast(self.p.value, "float32")
        for op in self._ops:
            apply = _per_image_uniform(images, seed_generator) < p
            images = ops.where(apply, op(images, seed_generator), images)
        return images

    def observe(self, model, real_scores):
        """Accumulate sign(D(x_real)); every `interval` calls, move p.

        Karras et al. 2020, section 3: r_t = E[sign(D_train)], p steered so
        that r_t stays near `target`.

        Example:

        ```python
        ada.observe(gan, real_scores)  # the base does this in each D phase
        ```
        """
        scores = ops.cast(real_scores, "float32")
        p, last_rt = self.p.value, self.rt.value
        sign_sum = self.sign_sum.value + ops.sum(ops.sign(scores))
        count = self.count.value + ops.cast(ops.size(scores), "float32")
        seen = self.phases_seen.value + 1.0
        due = ops.equal(ops.mod(seen, float(self.interval)), 0.0)
        rt = sign_sum / ops.maximum(count, 1.0)
        step = ops.sign(rt - self.target) * count / self.speed_images
        new_p = ops.clip(p + step, 0.0, self.max_p)
        self.p.assign(ops.where(due, new_p, p))
        self.rt.assign(ops.where(due, rt, last_rt))
        self.sign_sum.assign(ops.where(due, 0.0, sign_sum))
        self.count.assign(ops.where(due, 0.0, count))
        self.phases_seen.assign(seen)

    def log_values(self):
        """`{"aug_p": p, "aug_rt": last r_t}`.

        Example:

        >>> sorted(AdaptiveAugment().log_values())
        ['aug_p', 'aug_rt']
        """
        return {"aug_p": self.p.value, "aug_rt": self.rt.value}

    def get_config(self):
        config = super().get_config()
        config.update({
            "target": self.target, "interval": self.interval,
            "speed_images": self.speed_images, "initial_p": self.initial_p,
            "max_p": self.max_p, "policy": self.policy,
            "translation_ratio": self.translation_ratio,
            "cutout_ratio": self.cutout_ratio,
        })
        return config


def get(identifier):
    """An `Augmentation` from None (identity), an instance, a registered name
    ("identity", "diffaugment", "ada", or one declared with
    `keras_gans.parts.register`) or a config (Keras' serialized form, or a
    preset file's short `{"class_name": "DiffAugment", "config": {...}}`).

    Example:

    >>> type(get(None)).__name__
    'Identity'
    >>> type(get({"class_name": "AdaptiveAugment", "config": {"target": 0.6}})).__name__
    'AdaptiveAugment'
    """
    if identifier is None:
        return Identity()
    return parts.get("augmentation", identifier, Augmentation)
