"""Export a GAN's generator as a SavedModel that TensorFlow Serving can serve.

`export_generator(model, "models/digits")` writes `models/digits/<version>/`,
the versioned layout TF Serving watches, with these signatures (see
docs/export.md for the full table and the REST request formats):

- `serving_default`: latent vectors `z` (and `labels` for a conditional
  model) to `images` in [-1, 1];
- `sample`: `num_samples` and `seed` to `images` (and the `z` it drew), so a
  client needs no noise of its own;
- `encode` and `reconstruct` for models with an encoder (the VAE-GAN).

The networks run through `keras.export.ExportArchive`, so the same code
exports from the TensorFlow backend and from JAX (through jax2tf, lowered for
the platforms you list). On the torch backend (whose SavedModel export would
need torch_xla) the model is saved to a temporary `.keras` file and exported
by a TensorFlow process: the weights are backend-neutral. What wraps them - input checks, the seeded noise of
`sample`, uint8 pixels - is written in TensorFlow, because the artifact is a
TensorFlow SavedModel whatever the training backend was.

The SavedModel needs neither keras_gans nor Keras to load: plain
`tf.saved_model.load(path)` or TF Serving.

The package: `checks` (what a model is: generator, latent size, labels,
encoder; shared with `keras_gans.onnx_export`), `archive` (the signatures
around the converted networks) and `saved_model` (version folders, locks,
atomic writes). `export_generator` here ties them together; every public
name stays importable as `keras_gans.export.<name>`.
"""

import contextlib
import os

from keras_gans.export.archive import _build_archive
from keras_gans.export.checks import (  # noqa: F401  re-exported (onnx_export, tests)
    JAX_PLATFORMS,
    _check_platforms,
    _describe,
    _labels_for_generator,
    _model_labels,
)
from keras_gans.export.saved_model import (  # noqa: F401  re-exported
    _is_local,
    _occupied,
    _reserve,
    _version_folder,
    _write_atomically,
    existing_versions,
    next_version,
)

#: Default cap on `num_samples` in the `sample` signature (protects a server).
DEFAULT_MAX_SAMPLES = 1024


def export_generator(
    model,
    path,
    version=None,
    overwrite=False,
    uint8=False,
    platforms=None,
    generator=None,
    max_samples=DEFAULT_MAX_SAMPLES,
    versioned=True,
    verbose=False,
):
    """Export a GAN's generator as a TF Serving SavedModel.

    Training state plays no part: an untrained or uncompiled model exports
    its current weights just as a trained one does. A generator that has not
    been built yet (a subclassed `keras.Model` never called) is built by
    running it once on zeros.

    Signatures written (`N` is a variable batch size):

    | signature | inputs | outputs |
    |---|---|---|
    | `serving_default` | `z` float32 [N, latent_dim] (+ `labels` int32 [N]) | `images` float32 [N, H, W, C] in [-1, 1] |
    | `sample` | `num_samples` int32 [], `seed` int64 [] (+ `labels` int32 [N] or [1]) | `images`, `z` float32 [N, latent_dim] |
    | `encode` (encoder models) | `images` float32 [N, H, W, C] | the encoder's outputs, e.g. `z_mean`, `z_log_var` |
    | `reconstruct` (encoder models) | `images` float32 [N, H, W, C] | `images`: the generator on the encoder's mean |

    With `uint8=True` every signature that returns `images` also returns
    `pixels`: uint8 [N, H, W, C] in [0, 255] (`keras_gans.images.to_uint8`);
    with `uint8="only"` it returns `pixels` instead of `images`.

    `sample` draws `z = tf.random.stateless_normal([num_samples, latent_dim],
    seed=[seed, 0])`: the same seed gives the same images on every call.

    Args:
        model: a GAN (anything with a `generator` and a `latent_dim`), or a
            bare generator `keras.Model` from latent vectors to images. A
            model whose `sample_inputs(n, seed)` draws labels (a model with
            `num_classes`, see `keras_gans.GAN.sample_inputs`) is exported
            as conditional (`labels` inputs); a
            model with an `encoder` and a `reconstruct` method (the VAE-GAN)
            also gets `encode` and `reconstruct`.
        path: the model's base folder (TF Serving's `model_base_path`); the
            SavedModel goes to `path/<version>/`. Local paths and any
            filesystem `tf.io.gfile` knows (gs://, s3://) work.
        version: integer version folder. `None` picks one more than the
            largest existing version (1 for a new folder).
        overwrite: replace an existing version folder that holds a
            SavedModel (the whole folder is replaced). Without it an existing
            folder is refused and left untouched. A non-empty folder without
            a SavedModel is never replaced. An empty folder is used as is.
        uint8: `False` (float images only), `True` (add uint8 `pixels`) or
            `"only"` (uint8 `pixels` instead of float `images`).
        platforms: JAX backend only: the platforms jax2tf lowers for, a
            subset of ("cpu", "cuda", "rocm", "tpu"); default ("cpu",). Serve
            on a GPU with `["cpu", "cuda"]`. The TensorFlow backend writes
            an ordinary TF graph that runs on any device, and ignores it.
        generator: export this network instead of `model.generator`, e.g.
            an exponential-moving-average copy of the generator's weights.
            It must have the same input and output shapes.
        max_samples: the `sample` signature refuses `num_samples` above this.
        versioned: `False` writes the SavedModel into `path` itself (no
            version folder), as `keras.Model.export` does.
        verbose: print the exported endpoints.

    Returns:
        The folder the SavedModel was written to (`path/<version>`), a str.

    Raises:
        FileExistsError: the version folder exists and `overwrite` is False,
            or it holds files that are not a SavedModel.
        TypeError: `model` is neither a GAN nor a generator.
        ValueError: bad arguments, or a generator that does not map
            `(N, latent_dim)` to images `(N, H, W, C)`.

    Example:

    ```python
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=32)
    gan.compile()
    gan.fit(x, epochs=5)
    keras_gans.export_generator(gan, "models/digits")  # models/digits/1
    keras_gans.export_generator(gan, "models/digits")  # models/digits/2

    import tensorflow as tf
    served = tf.saved_model.load("models/digits/2")
    images = served.signatures["sample"](
        num_samples=tf.constant(16), seed=tf.constant(0, tf.int64))["images"]
    ```
    """
    if not (uint8 == "only" if isinstance(uint8, str) else uint8 in (False, True)):
        raise ValueError(
            f'uint8 must be False, True or "only"; received {uint8!r}.'
        )
    max_samples = int(max_samples)
    if max_samples < 1:
        raise ValueError(f"max_samples must be >= 1; received {max_samples}.")
    platforms = _check_platforms(platforms)
    spec = _describe(model, generator)
    path = os.fspath(path)
    if not versioned and version is not None:
        raise ValueError("Pass either version or versioned=False, not both.")
    for _ in range(1000):
        if versioned:
            target = _version_folder(path, version, overwrite)
        else:
            target = path
            if _occupied(target, overwrite) and not overwrite:
                raise FileExistsError(
                    f"{target} already exists; pass overwrite=True to replace it."
                )
        # Reserve the target: a second export (another process) choosing the
        # next version then takes the one after it, and one naming the same
        # folder is refused instead of silently replacing this one.
        lock = _reserve(target, automatic=versioned and version is None)
        if lock is not None or not _is_local(target):
            break
    try:
        if not overwrite and _occupied(target, overwrite):
            raise FileExistsError(
                f"{target} was written by someone else meanwhile; it was left "
                "untouched. Export again (the next version is "
                f"{next_version(path) if versioned else 'not applicable'})."
            )
        archive = _build_archive(spec, uint8, platforms, max_samples)
        _write_atomically(archive, target, verbose, overwrite)
    finally:
        if lock is not None:
            with contextlib.suppress(OSError):
                os.remove(lock)
    return target
