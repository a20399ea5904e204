"""Drawing a GAN's inputs and sampling its generator, for every family.

`SamplingMixin` is half of the `GAN` base class: the part that runs after
training. It answers "is this model conditional, and how do I draw its
inputs" once (`num_classes`, `sample_inputs`), for callbacks, metrics, the
command line and export alike, and samples from the averaged generator when
the model keeps one (`ema_decay=`).

Example:

```python
z, labels = gan.sample_inputs(16, seed=0)  # labels is None if unconditional
images = gan.generate(z=z, labels=labels)  # the EMA generator if enabled
raw = gan.generate(z=z, labels=labels, ema=False)
```
"""

import numpy as np
from keras import ops

from keras_gans import backend as gan_backend


class SamplingMixin:
    """Inputs, labels and chunked sampling; mixed into `keras_gans.GAN`.

    Expects `latent_dim`, `generator`, `num_classes` and, optionally,
    `ema_generator` on the instance.

    Example:

    >>> gan.generate(4, seed=0).shape
    (4, 8, 8, 1)
    """

    #: Number of classes the generator is conditioned on; None when the
    #: model is unconditional. Conditional families set it per instance.
    num_classes = None

    # ------------------------------------------------------------- inputs

    def latent_vectors(self, num_samples, seed=None):
        """Latent vectors z ~ N(0, I) as a numpy array; fixed by `seed`.

        Example:

        >>> gan.latent_vectors(4, seed=0).shape
        (4, gan.latent_dim)
        """
        rng = np.random.default_rng(seed)
        return rng.standard_normal((int(num_samples), self.latent_dim)).astype(
            "float32"
        )

    def default_labels(self, num_samples):
        """Labels 0, 1, ..., num_classes - 1, 0, 1, ... for `num_samples`.

        Example:

        >>> gan.default_labels(12)  # num_classes=10
        array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], dtype=int32)
        """
        self._require_conditional("default_labels")
        return (np.arange(int(num_samples)) % self.num_classes).astype("int32")

    def sample_inputs(self, num_samples, seed=None):
        """The generator's inputs for `num_samples` images, as numpy.

        The one place that says how to draw a model's inputs: callbacks,
        metrics, the command line and export all use it.

        Args:
            num_samples: how many inputs to draw.
            seed: seed for the latent vectors; the same seed gives the
                same inputs.

        Returns:
            `(z, labels)`: latent vectors of shape (n, latent_dim) and, for
            a conditional model, int32 labels 0, 1, ..., num_classes - 1,
            0, ... of shape (n,); `labels` is None when `num_classes` is None.

        Example:

        >>> z, labels = gan.sample_inputs(4, seed=0)
        >>> z.shape, labels
        ((4, gan.latent_dim), None)
        """
        num_samples = int(num_samples)
        if num_samples < 1:
            raise ValueError(f"num_samples must be >= 1; received {num_samples}.")
        z = self.latent_vectors(num_samples, seed)
        if self.num_classes is None:
            return z, None
        return z, (np.arange(num_samples) % int(self.num_classes)).astype("int32")

    def _require_conditional(self, what):
        if self.num_classes is None:
            raise ValueError(
                f"{type(self).__name__} is unconditional (num_classes is None); "
                f"{what} applies to conditional models only."
            )

    def check_labels(self, labels, num_images=None, name="labels"):
        """Check class labels and return them as an int32 numpy vector.

        Args:
            labels: integers of shape `(n,)` or `(n, 1)`, or one-hot rows
                of shape `(n, num_classes)`.
            num_images: when given, the number of images the labels go with.
            name: how to call the labels in messages.

        Returns:
            An int32 numpy array of shape `(n,)`.

        Raises:
            ValueError: an unconditional model, wrong shape or dtype, values
                outside `[0, num_classes)`, rows that are not one-hot, or a
                count that differs from the images'.

        Example:

        >>> gan.check_labels(np.eye(10)[[3, 7]])
        array([3, 7], dtype=int32)
        """
        self._require_conditional("labels")
        array = np.asarray(ops.convert_to_numpy(labels))
        k = self.num_classes
        if array.ndim == 2 and array.shape[1] == 1:
            array = array[:, 0]
        if array.ndim == 2:
            if array.shape[1] != k:
                raise ValueError(
                    f"The {name} have shape {array.shape}; expected integer "
                    f"labels of shape (n,) or one-hot labels of shape "
                    f"(n, {k}) for num_classes={k}."
                )
            if not (np.isin(array, (0, 1)).all() and (array.sum(axis=1) == 1).all()):
                raise ValueError(
                    f"The {name} have shape {array.shape} but are not one-hot "
                    "(every row must hold a single 1 and zeros elsewhere); "
                    "pass integer class labels of shape (n,) instead."
                )
            array = array.argmax(axis=1)
        elif array.ndim != 1:
            raise ValueError(
                f"The {name} have shape {array.shape}; expected integer labels "
                f"of shape (n,) or one-hot labels of shape (n, {k})."
            )
        if array.size and not np.issubdtype(array.dtype, np.integer):
            if not (
                np.issubdtype(array.dtype, np.floating)
                and np.isfinite(array).all()
                and (array == np.round(array)).all()
            ):
                raise ValueError(
                    f"The {name} have dtype {array.dtype} with non-integer "
                    f"values; expected integer class labels in [0, {k})."
                )
        if array.size:
            low, high = int(array.min()), int(array.max())
            if low < 0 or high >= k:
                raise ValueError(
                    f"The {name} hold values in [{low}, {high}]; expected "
                    f"class labels in [0, {k}) for num_classes={k}."
                )
        if num_images is not None and len(array) != int(num_images):
            raise ValueError(
                f"Received {len(array)} {name} for {num_images} images; each "
                "image needs exactly one label."
            )
        return array.astype("int32")

    def _latent_input(self, num_samples, z, seed):
        if z is None:
            num_samples = 16 if num_samples is None else int(num_samples)
            if num_samples < 1:
                raise ValueError(f"num_samples must be >= 1; received {num_samples}.")
            return self.latent_vectors(num_samples, seed)
        z = np.asarray(ops.convert_to_numpy(z), dtype="float32")
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"z must have shape (n, {self.latent_dim}); received "
                f"shape {z.shape}."
            )
        if num_samples is not None and int(num_samples) != len(z):
            raise ValueError(
                f"num_samples={num_samples} disagrees with the {len(z)} "
                "latent vectors passed as z."
            )
        return z

    def generator_inputs(self, num_samples=None, z=None, labels=None, seed=None):
        """Checked generator inputs as a list of numpy arrays: `[z]` or `[z, labels]`.

        Args: as for `generate`.

        Example:

        >>> [a.shape for a in gan.generator_inputs(3, seed=0)]
        [(3, gan.latent_dim)]
        """
        if self.num_classes is None:
            if labels is not None:
                raise ValueError(
                    f"{type(self).__name__} is unconditional; it takes no labels "
                    f"(received {np.shape(labels)} labels)."
                )
            return [self._latent_input(num_samples, z, seed)]
        if labels is not None and np.ndim(labels) == 0:
            if num_samples is None:
                num_samples = 16 if z is None else len(z)
            labels = np.full((int(num_samples),), labels)
        if labels is not None:
            labels = self.check_labels(labels)
            if num_samples is None and z is None:
                num_samples = len(labels)
        z = self._latent_input(num_samples, z, seed)
        if labels is None:
            labels = self.default_labels(len(z))
        elif len(labels) != len(z):
            raise ValueError(
                f"Received {len(labels)} labels for {len(z)} samples; pass one "
                "label per sample (or one int for all)."
            )
        return [z, labels]

    # ----------------------------------------------------------- sampling

    def sampling_generator(self, ema=None):
        """The generator that `generate`, `export` and the metrics use.

        Args:
            ema: None (default): the averaged generator when the model keeps
                one (`ema_decay=`), else the raw one; True: the averaged one
                (an error without `ema_decay`); False: the raw generator.

        Example:

        >>> gan.sampling_generator(ema=False) is gan.generator
        True
        """
        averaged = getattr(self, "ema_generator", None)
        if ema is None:
            return averaged if averaged is not None else self.generator
        if ema:
            if averaged is None:
                raise ValueError(
                    f"{type(self).__name__} keeps no averaged generator; "
                    "construct it with ema_decay=... (e.g. 0.999) to use ema=True."
                )
            return averaged
        return self.generator

    def generate(self, num_samples=None, z=None, labels=None, seed=None,
                 batch_size=256, ema=None):
        """Generate images as a numpy array in [-1, 1] of shape (n, H, W, C).

        Args:
            num_samples: how many images; default: the number of `z` or
                `labels`, else 16.
            z: latent vectors of shape (n, latent_dim); overrides `seed`.
            labels: conditional models only: one int for all images,
                integers of shape (n,), or one-hot rows; default: 0, 1, ...,
                num_classes - 1, 0, ...
            seed: seed for drawing `z`; the same seed gives the same images.
            batch_size: the generator runs in chunks of this size.
            ema: which generator (see `sampling_generator`); by default the
                averaged one when the model keeps one.

        Returns:
            A float32 numpy array.

        Example:

        >>> gan.generate(4, seed=0).shape
        (4, 8, 8, 1)
        """
        inputs = self.generator_inputs(num_samples, z, labels, seed)
        return self._run_in_chunks(self.sampling_generator(ema), inputs, batch_size)

    @staticmethod
    def _run_in_chunks(network, inputs, batch_size):
        """Run `network` in inference mode on numpy `inputs`, in chunks.

        Returns one float32 array, or a list of them for several outputs.

        Every chunk is padded to one fixed size (the next power of two up to
        `batch_size`), so a compiled backend traces the network once rather
        than once per remainder size. Safe to call from a callback while
        `fit()` runs (see `keras_gans.backend.inference`).
        """
        n = len(inputs[0])
        chunk = int(min(batch_size, 2 ** int(np.ceil(np.log2(max(n, 1))))))
        outputs = []
        for i in range(0, n, chunk):
            parts = [x[i : i + chunk] for x in inputs]
            size = len(parts[0])
            if size < chunk:
                parts = [
                    np.concatenate(
                        [p, np.zeros((chunk - size,) + p.shape[1:], p.dtype)]
                    )
                    for p in parts
                ]
            out = gan_backend.inference(network, parts if len(parts) > 1 else parts[0])
            outs = out if isinstance(out, (list, tuple)) else [out]
            outputs.append([np.asarray(o)[:size] for o in outs])
        results = [
            np.concatenate([chunk_out[k] for chunk_out in outputs], axis=0).astype(
                "float32"
            )
            for k in range(len(outputs[0]))
        ]
        return results if len(results) > 1 else results[0]

    # -------------------------------------------------------- interpolation

    @staticmethod
    def interpolate_latents(z0, z1, num_steps=8, method="linear"):
        """Latent vectors on the path from `z0` to `z1`, both ends included.

        Args:
            z0, z1: latent vectors of shape (latent_dim,) (or (1, latent_dim)).
            num_steps: how many vectors (>= 2).
            method: "linear" (a straight line) or "slerp" (a great circle,
                which keeps the norm typical of Gaussian noise; White 2016).

        Returns:
            A float32 numpy array of shape (num_steps, latent_dim).

        Example:

        >>> GAN.interpolate_latents(np.zeros(4), np.ones(4), 3)[1]
        array([0.5, 0.5, 0.5, 0.5], dtype=float32)
        """
        z0 = np.asarray(ops.convert_to_numpy(z0), dtype="float64").reshape(-1)
        z1 = np.asarray(ops.convert_to_numpy(z1), dtype="float64").reshape(-1)
        if z0.shape != z1.shape:
            raise ValueError(
                f"z0 and z1 must have the same shape; received {z0.shape} and {z1.shape}."
            )
        if isinstance(num_steps, bool) or int(num_steps) != num_steps or num_steps < 2:
            raise ValueError(f"num_steps must be an integer >= 2; received {num_steps!r}.")
        t = np.linspace(0.0, 1.0, int(num_steps))[:, None]
        if method == "linear":
            path = (1.0 - t) * z0 + t * z1
        elif method == "slerp":
            n0, n1 = np.linalg.norm(z0), np.linalg.norm(z1)
            cos = np.clip(np.dot(z0, z1) / max(n0 * n1, 1e-12), -1.0, 1.0)
            omega = np.arccos(cos)
            if omega < 1e-6:  # (nearly) parallel: slerp is the straight line
                path = (1.0 - t) * z0 + t * z1
            else:
                path = (np.sin((1.0 - t) * omega) * z0 + np.sin(t * omega) * z1) / np.sin(omega)
        else:
            raise ValueError(
                f"method must be 'linear' or 'slerp'; received {method!r}."
            )
        return path.astype("float32")

    def interpolate(self, z0=None, z1=None, num_steps=8, method="slerp",
                    labels=None, seed=None, ema=None):
        """Images along a latent path from `z0` to `z1`, for every family.

        Args:
            z0, z1: latent vectors of shape (latent_dim,); drawn from `seed`
                when omitted.
            num_steps: how many images (>= 2), both ends included.
            method: "slerp" (default) or "linear"; see `interpolate_latents`.
            labels: conditional models: one int for every image (default
                0), or one label per step (to morph between classes).
            seed: seed for the missing ends.
            ema: which generator (see `sampling_generator`).

        Returns:
            Float32 numpy images of shape (num_steps, H, W, C) in [-1, 1].

        Example:

        ```python
        images = gan.interpolate(num_steps=10, seed=3)
        keras_gans.images.save_grid(images, "walk.png", ncols=10)
        ```
        """
        if z0 is None or z1 is None:
            drawn = self.latent_vectors(2, seed)
            z0 = drawn[0] if z0 is None else z0
            z1 = drawn[1] if z1 is None else z1
        z = self.interpolate_latents(z0, z1, num_steps, method)
        if self.num_classes is not None and labels is None:
            labels = 0
        return self.generate(z=z, labels=labels, ema=ema)

    # -------------------------------------------------------------- export

    def export(self, filepath, format="tf_serving", **kwargs):
        """Export the generator for serving (overrides `keras.Model.export`).

        The averaged generator is exported when the model keeps one
        (`ema_decay=`); pass `generator=gan.generator` for the raw one.
        Training state plays no part: an untrained or uncompiled model
        exports its current weights. See `keras_gans.export.export_generator`
        for the signatures (`serving_default`, `sample`, ...) and options.

        Args:
            filepath: the model's base folder; the SavedModel is written to
                `filepath/<version>/` (TF Serving's layout).
            format: `"tf_serving"` (the default): that versioned layout.
                `"tf_saved_model"`: the same SavedModel written into
                `filepath` itself, as `keras.Model.export` does. Any other
                format of `keras.Model.export` ("onnx", "openvino", "litert")
                exports the generator alone with Keras' own exporter.
            **kwargs: passed to `export_generator` (`version`, `overwrite`,
                `uint8`, `platforms`, `generator`, ...), or to
                `keras.Model.export` for the other formats.

        Returns:
            The folder written, for the SavedModel formats.

        Example:

        ```python
        gan.export("models/digits")  # models/digits/1
        gan.export("models/digits", uint8=True)  # models/digits/2
        ```
        """
        from keras_gans.export import export_generator

        averaged = getattr(self, "ema_generator", None)
        if kwargs.get("generator") is None and averaged is not None:
            kwargs["generator"] = averaged
        if format == "tf_serving":
            return export_generator(self, filepath, **kwargs)
        if format == "tf_saved_model":
            return export_generator(self, filepath, versioned=False, **kwargs)
        generator = kwargs.pop("generator", None) or self.generator
        return generator.export(filepath, format=format, **kwargs)
