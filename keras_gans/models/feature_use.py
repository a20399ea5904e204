"""The discriminator as a feature extractor: the part of `keras_gans.GAN`
that `discriminator_features()` and `extract_features()` make up.

Example:

```python
features = gan.discriminator_features()      # a keras.Model
x_feat = gan.extract_features(x_train)       # numpy (n, n_features)
```
"""

import keras
import numpy as np

from keras_gans import _compat
from keras_gans import validation


class FeatureMixin:
    """`discriminator_features` and `extract_features` for `keras_gans.GAN`;
    expects `discriminator`, `image_shape`, `check_labels` and
    `_run_in_chunks`.

    Example:

    >>> gan.extract_features(x[:4]).shape[0]
    4
    """

    def discriminator_features(self, layer=None):
        """The discriminator up to its penultimate features, as a `keras.Model`.

        For transfer learning or as a feature extractor: the returned model
        shares the discriminator's layers and weights (freeze it with
        `trainable = False`, or fine-tune it). Conditional discriminators
        that take labels keep taking them: call the model on
        `[images, labels]` (or use `extract_features`, which fills in labels).

        Args:
            layer: name of the layer whose output to return. Default: the
                layer named "features" when there is one (every zoo
                network has it: the flattened convolutional features),
                else the input of the discriminator's output layer.

        Returns:
            A functional `keras.Model` from the discriminator's inputs to
            features of shape (batch, n_features).

        Example:

        ```python
        features = gan.discriminator_features()
        head = keras.Sequential([features, keras.layers.Dense(10)])
        ```
        """
        d = self.discriminator
        if not getattr(d, "inputs", None):
            raise ValueError(
                "discriminator_features needs a functional discriminator "
                f"(one with .inputs); {type(d).__name__} is subclassed. Build "
                "a keras.Model from its layers yourself."
            )
        names = [l.name for l in d.layers]
        if layer is None:
            if "features" in names:
                output = d.get_layer("features").output
            else:
                heads = _compat.output_layers(d)
                inputs = [getattr(h, "input", None) for h in heads[:1]]
                output = inputs[0] if inputs else None
                if output is None or isinstance(output, (list, tuple)):
                    raise ValueError(
                        "Could not tell which layer holds the discriminator's "
                        f"penultimate features; pass layer=, one of {names}."
                    )
        else:
            if layer not in names:
                raise ValueError(
                    f"The discriminator has no layer {layer!r}; its layers are {names}."
                )
            output = d.get_layer(layer).output
        return keras.Model(d.inputs, output, name=f"{d.name}_features")

    def extract_features(self, images, labels=None, layer=None, batch_size=256):
        """The discriminator's penultimate features of `images`, as numpy.

        Args:
            images: (n, H, W, C) in [-1, 1].
            labels: conditional models whose discriminator takes labels:
                one int for all images or one per image (required).
            layer: as for `discriminator_features`.
            batch_size: the network runs in chunks of this size.

        Returns:
            A float32 numpy array (n, n_features).

        Example:

        ```python
        x_feat = gan.extract_features(x_train)  # then fit any classifier
        ```
        """
        images = validation.check_images(images, self.image_shape)
        inputs = [images]
        if len(self.discriminator.inputs) > 1:
            if labels is None:
                raise ValueError(
                    f"{type(self).__name__}'s discriminator takes class labels; "
                    "pass labels= (one int for all images, or one per image)."
                )
            if np.ndim(labels) == 0:
                labels = np.full((len(images),), labels)
            inputs.append(self.check_labels(labels, num_images=len(images)))
        model = self.discriminator_features(layer)
        return self._run_in_chunks(model, inputs, batch_size)
