"""Families with an encoder: encode images, decode latents, reconstruct.

`EncoderMixin` gives a family whose `encoder` maps images to the posterior
`(mean, log_var)` the methods users of VAE-GAN-like models reach for, and
that export's `encode` / `reconstruct` signatures call.

Example:

```python
mean, log_var = model.encode(x_test[:4])
x_rec = model.reconstruct(x_test[:4])
```
"""

import numpy as np
from keras import ops

from keras_gans import validation


class EncoderMixin:
    """`encode`, `decode`, `reconstruct` for a GAN with an `encoder`.

    Example:

    >>> model.reconstruct(x_test[:2]).shape
    (2, 8, 8, 1)
    """

    def encode(self, images, batch_size=256):
        """The posterior q(z | x) of images.

        Args:
            images: (n, H, W, C) in [-1, 1].
            batch_size: the encoder runs in chunks of this size.

        Returns:
            `(mean, log_var)`, float32 numpy arrays of shape (n, latent_dim).

        Example:

        >>> mean, log_var = model.encode(x_test[:4])
        >>> mean.shape
        (4, model.latent_dim)
        """
        images = validation.check_images(images, self.image_shape)
        mean, log_var = self._run_in_chunks(self.encoder, [images], batch_size)
        return mean, log_var

    def decode(self, z, batch_size=256):
        """Decode latent vectors into images (the generator).

        Args:
            z: (n, latent_dim).
            batch_size: the decoder runs in chunks of this size.

        Returns:
            Float32 numpy images (n, H, W, C) in [-1, 1].

        Example:

        >>> model.decode(np.zeros((2, model.latent_dim))).shape
        (2, 8, 8, 1)
        """
        return self.generate(z=z, batch_size=batch_size)

    def reconstruct(self, images, batch_size=256):
        """Decode the posterior mean of each image: Dec(E[z | x]).

        Args:
            images: (n, H, W, C) in [-1, 1].
            batch_size: chunk size.

        Returns:
            Float32 numpy reconstructions, same shape as `images`.

        Example:

        ```python
        error = np.mean((model.reconstruct(x_test) - x_test) ** 2)
        ```
        """
        mean, _ = self.encode(images, batch_size=batch_size)
        return self.decode(mean, batch_size=batch_size)

    def call(self, inputs, training=False):
        """Reconstruct images, or decode latent vectors.

        `model(images)` and `model.predict(images)` reconstruct: the
        decoder applied to the encoder's posterior mean (as `reconstruct`).
        `model(z)` / `model.predict(z)` with z of shape (n, latent_dim)
        decode, as every GAN does.

        Example:

        >>> model.predict(x_test[:4]).shape  # reconstructions
        (4, 8, 8, 1)
        """
        if not isinstance(inputs, (list, tuple)) and len(inputs.shape) == 4:
            mean, _ = self.encoder(inputs, training=training)
            return self.generator(mean, training=training)
        if not isinstance(inputs, (list, tuple)) and len(inputs.shape) != 2:
            raise ValueError(
                f"{type(self).__name__} is called on images (n, H, W, C) to "
                "reconstruct them, or on latent vectors (n, latent_dim) to "
                f"decode them; received shape {tuple(inputs.shape)}. See "
                "also encode(), decode() and reconstruct()."
            )
        return super().call(inputs, training=training)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Reconstruct images (n, H, W, C), or decode latent vectors (n, latent_dim).

        As `call`, for numpy arrays; other inputs (datasets) go to
        `keras.Model.predict`.

        Example:

        >>> model.predict(x_test[:4]).shape  # reconstructions
        (4, 8, 8, 1)
        """
        if isinstance(x, np.ndarray) or hasattr(x, "shape") and not callable(x):
            array = np.asarray(ops.convert_to_numpy(x), dtype="float32")
            chunk = 256 if batch_size is None else int(batch_size)
            if array.ndim == 4:
                return self.reconstruct(array, batch_size=chunk)
            if array.ndim == 2:
                return self.decode(array, batch_size=chunk)
            raise ValueError(
                f"{type(self).__name__}.predict takes images (n, H, W, C) to "
                "reconstruct, or latent vectors (n, latent_dim) to decode; "
                f"received shape {array.shape}. See also encode(), decode() "
                "and reconstruct()."
            )
        return super().predict(x, batch_size=batch_size, verbose=verbose,
                               steps=steps, callbacks=callbacks)
