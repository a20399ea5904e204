"""Checks of training data: the part of `keras_gans.GAN` that `fit()`,
`check_training_data()`, `warn_common_mistakes()` and `unpack_batch()`
(each step's images and labels) make up. Bad input
raises a `ValueError` saying what was received and what was expected, and
networks that train badly are warned about, before the first step.

Example:

```python
gan.check_training_data(x_train)   # fit() calls it
gan.warn_common_mistakes()         # and this
```
"""

import warnings

import keras
from keras import ops

from keras_gans import _compat
from keras_gans import validation
from keras_gans.models import fit_logs
from keras_gans.models.phases import Batch

#: How to give a conditional model its labels, for the errors that miss them.
HOW_TO_SUPPLY_LABELS = (
    "Pass labels with the images: fit(x, y), fit((x, y)), or a tf.data "
    "dataset yielding (images, labels) batches, e.g. "
    "keras_gans.datasets.load_digits(with_labels=True) or "
    "keras_gans.datasets.load(name, with_labels=True)."
)


def _ends_in_sigmoid(layer):
    activation = getattr(layer, "activation", None)
    return activation is keras.activations.sigmoid or getattr(
        activation, "__name__", None) == "sigmoid"


class FitChecksMixin:
    """`fit` (after checking the data), `check_training_data`,
    `warn_common_mistakes` and `unpack_batch` for `keras_gans.GAN`.

    Example:

    >>> gan.check_training_data(np.zeros((4, 8, 8, 1), "float32"))
    """

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
        first, x = validation.peek(x)
        self.check_training_data(x if first is validation._UNINSPECTABLE
                                 else validation.Peeked(first), y)
        self.warn_common_mistakes()
        if len(args) >= 4:  # callbacks passed by position (batch_size, epochs, verbose, callbacks)
            args = list(args)
            args[3] = fit_logs.wrap_callbacks(self, args[3])
        else:
            kwargs["callbacks"] = fit_logs.wrap_callbacks(self, kwargs.get("callbacks"))
        return super().fit(x, y, *args, **kwargs)

    def warn_common_mistakes(self):
        """Warn, before training, about networks that train badly.

        - A discriminator ending in a sigmoid: the losses expect raw scores
          (logits), so its logged `d_real`/`d_fake` are a sigmoid applied
          twice, and the logistic losses saturate.
        - A generator whose outputs leave [-1, 1] (no `tanh` at the end):
          real images are in [-1, 1], so the discriminator wins by range.

        Example:

        ```python
        gan.warn_common_mistakes()  # called by fit()
        ```
        """
        for layer in _compat.output_layers(self.discriminator):
            if _ends_in_sigmoid(layer):
                warnings.warn(
                    f"The discriminator's output layer {layer.name!r} ends in a "
                    "sigmoid; keras-gans losses take raw scores (logits), so "
                    "the sigmoid is applied twice (logged d_real/d_fake "
                    "included) and training saturates. Remove the final "
                    "activation (e.g. Dense(1) instead of Dense(1, "
                    "activation='sigmoid')).",
                    UserWarning,
                    stacklevel=3,
                )
                break
        # An eager call: no compiled sampling function just for this check.
        z, labels = self.sample_inputs(16, seed=0)
        labels = None if labels is None else ops.convert_to_tensor(labels)
        images = ops.convert_to_numpy(
            self.generate_fakes(ops.convert_to_tensor(z), labels, training=False))
        low, high = float(images.min()), float(images.max())
        if low < -1.0 - 1e-3 or high > 1.0 + 1e-3:
            warnings.warn(
                f"The generator's outputs leave [-1, 1] (received values in "
                f"[{low:.3g}, {high:.3g}] for 16 latent vectors); real "
                "images are in [-1, 1]. End the generator with a tanh "
                "activation.",
                UserWarning,
                stacklevel=3,
            )

    def check_training_data(self, x, y=None):
        """Raise a clear error when `x` (and `y`) cannot train this model.

        Conditional models also need labels; numpy inputs are checked in
        full, datasets by their first batch.
        """
        validation.check_training_data(x, self.image_shape)
        if self.num_classes is None:
            return
        if y is not None:
            images = x[0] if isinstance(x, (tuple, list)) else x
            self.check_labels(y, num_images=len(images))
            return
        if isinstance(x, (tuple, list)):
            if len(x) < 2:
                raise ValueError(
                    f"{type(self).__name__} needs class labels but received "
                    f"a tuple of {len(x)} array(s) without labels. "
                    + HOW_TO_SUPPLY_LABELS
                )
            self.check_labels(x[1], num_images=len(x[0]))
            return
        first = validation.first_batch(x)
        if first is validation._UNINSPECTABLE:
            return
        if isinstance(first, (tuple, list)) and len(first) >= 2:
            self.check_labels(first[1], num_images=len(first[0]))
            return
        raise ValueError(
            f"{type(self).__name__} needs class labels, but the training data "
            f"holds images only (a batch of shape {getattr(first, 'shape', None)}). "
            + HOW_TO_SUPPLY_LABELS
        )
