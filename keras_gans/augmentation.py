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

Example:

```python
@keras.saving.register_keras_serializable()
class Flip(keras_gans.augmentation.Augmentation):
    def augment(self, images, seed_generator):
        return ops.flip(images, axis=2)

gan.compile(augmentation=Flip())
```
"""

import keras


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

    def observe(self, model, real_scores):
        """Hook called with the discriminator's raw scores on real images in
        each discriminator phase (adaptive augmentation reads them). Default:
        nothing."""
        return None


@keras.saving.register_keras_serializable(package="keras_gans")
class Identity(Augmentation):
    """No augmentation: the images pass unchanged.

    Example:

    >>> Identity().augment(x, None) is x
    True
    """

    def augment(self, images, seed_generator):
        return images


def get(identifier):
    """An `Augmentation` from None (identity), an instance or a config.

    Example:

    >>> type(get(None)).__name__
    'Identity'
    """
    if identifier is None or identifier == "identity":
        return Identity()
    if isinstance(identifier, Augmentation):
        return identifier
    if isinstance(identifier, dict):
        obj = keras.saving.deserialize_keras_object(identifier)
        if isinstance(obj, Augmentation):
            return obj
    raise TypeError(
        "augmentation must be None, 'identity', a "
        "keras_gans.augmentation.Augmentation or its serialized config; "
        f"received {identifier!r}."
    )
