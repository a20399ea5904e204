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
"""

import contextlib
import os
import re
import uuid

import keras

from keras_gans import backend as gan_backend

#: Platforms jax2tf can lower for.
JAX_PLATFORMS = ("cpu", "cuda", "rocm", "tpu")
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


_LOCK = ".export-{name}.lock"


def _is_local(path):
    return "://" not in os.fspath(path)


def _lock_path(target):
    parent, name = os.path.split(os.path.abspath(target.rstrip("/")))
    return os.path.join(parent, _LOCK.format(name=name))


def _reserve(target, automatic):
    """Create `target`'s lock file atomically (O_EXCL), or None if taken.

    Local folders only (returns None elsewhere, e.g. gs://: no reservation).
    An automatic version whose lock is taken returns None so that the caller
    picks the next version; an explicit target whose lock is taken raises.
    A process killed mid-export leaves its lock behind: the version number
    is then skipped, and an explicit export to it names the lock to delete.
    """
    if not _is_local(target):
        return None
    lock = _lock_path(target)
    os.makedirs(os.path.dirname(lock), exist_ok=True)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        if automatic:
            return None
        raise FileExistsError(
            f"another export is writing {target} (lock file {lock}); it was "
            "left untouched. If no export is running, delete the lock file."
        ) from None
    with os.fdopen(fd, "w") as f:
        f.write(f"{os.getpid()}\n")
    return lock


def _reserved_versions(path):
    """Version numbers reserved by exports in progress (their lock files)."""
    if not _is_local(path) or not os.path.isdir(path):
        return []
    found = []
    for name in os.listdir(path):
        match = re.fullmatch(r"\.export-(\d+)\.lock", name)
        if match:
            found.append(int(match.group(1)))
    return found


def next_version(path):
    """The version `export_generator` would write to in `path` by default.

    Args:
        path: a model base folder (it need not exist).

    Returns:
        One more than the largest integer-named subfolder, or 1.

    Example:

    >>> next_version("/nonexistent/models/digits")
    1
    """
    versions = existing_versions(path) + _reserved_versions(os.fspath(path))
    return max(versions) + 1 if versions else 1


def existing_versions(path):
    """The integer version folders under a model base folder, sorted.

    Example:

    >>> existing_versions("/nonexistent/models/digits")
    []
    """
    import tensorflow as tf

    path = os.fspath(path)
    if not tf.io.gfile.isdir(path):
        return []
    versions = []
    for name in tf.io.gfile.listdir(path):
        name = name.rstrip("/")
        if re.fullmatch(r"\d+", name) and tf.io.gfile.isdir(os.path.join(path, name)):
            versions.append(int(name))
    return sorted(versions)


# ------------------------------------------------------------------ helpers


class _ModelSpec:
    """What export needs to know about a model, found by duck typing."""

    def __init__(self, generator, latent_dim, num_classes, label_spec, encoder):
        self.generator = generator
        self.latent_dim = latent_dim
        self.num_classes = num_classes
        self.label_spec = label_spec  # (shape, dtype) the generator wants
        self.encoder = encoder

    @property
    def conditional(self):
        return self.num_classes is not None


def _describe(model, generator_override):
    if isinstance(getattr(model, "generator", None), keras.Model):
        generator = model.generator
        latent_dim = getattr(model, "latent_dim", None)
    elif isinstance(model, keras.Model):
        generator = model  # a bare generator
        latent_dim = None
    else:
        raise TypeError(
            "export_generator expects a GAN (with a `generator` keras.Model "
            "and a `latent_dim`) or a generator keras.Model; received "
            f"{type(model).__name__}."
        )
    inputs = _input_shapes(generator)
    if latent_dim is None:
        if not inputs or inputs[0][-1] is None:
            raise ValueError(
                "Cannot tell the latent size: the generator has no known "
                "input shape. Export the GAN that holds it (it knows "
                "latent_dim), or build the generator first."
            )
        latent_dim = inputs[0][-1]
    latent_dim = int(latent_dim)

    num_classes, labels = _model_labels(model, generator)
    conditional = num_classes is not None
    label_spec = _label_spec(generator, labels) if conditional else None

    if generator_override is not None:
        if not isinstance(generator_override, keras.Model):
            raise TypeError(
                "generator= must be a keras.Model; received "
                f"{type(generator_override).__name__}."
            )
        theirs = _input_shapes(generator_override)
        if inputs is not None and theirs is not None and theirs != inputs:
            raise ValueError(
                f"generator= takes inputs of shapes {theirs} but the model's "
                f"generator takes {inputs}."
            )
        ours_out, theirs_out = _output_shape(generator), _output_shape(generator_override)
        if ours_out and theirs_out and ours_out != theirs_out:
            raise ValueError(
                f"generator= makes images of shape {theirs_out} but the "
                f"model's generator makes {ours_out}."
            )
        generator = generator_override

    encoder = getattr(model, "encoder", None)
    if not (isinstance(encoder, keras.Model) and callable(getattr(model, "reconstruct", None))):
        encoder = None
    if encoder is not None and conditional:
        raise ValueError(
            "Exporting a model that is both conditional and has an encoder "
            "is not supported: its reconstruct signature would need labels."
        )
    spec = _ModelSpec(generator, latent_dim, num_classes, label_spec, encoder)
    spec.source = (model, generator_override)  # for _TensorFlowProcessArchive
    _ensure_built(spec)
    return spec


def _input_shapes(net):
    try:
        return [tuple(t.shape) for t in net.inputs]
    except (AttributeError, TypeError, ValueError):
        return None


def _output_shape(net):
    try:
        return tuple(net.outputs[0].shape[1:])
    except (AttributeError, IndexError, TypeError, ValueError):
        return None


def _model_labels(model, generator):
    """`(num_classes, labels)` from the model's own `sample_inputs`.

    A model whose `sample_inputs` draws labels is conditional; one that
    draws none (or a bare generator, which has no `sample_inputs`) is not.
    `labels` is one sample's labels as the model draws them (None when
    unconditional).
    """
    sample_inputs = getattr(model, "sample_inputs", None)
    if model is generator or not callable(sample_inputs):
        return None, None
    _, labels = sample_inputs(1, seed=0)
    if labels is None:
        return None, None
    num_classes = getattr(model, "num_classes", None)
    if num_classes is None:
        raise ValueError(
            f"{type(model).__name__}.sample_inputs draws labels but the model "
            "has num_classes=None; export needs the number of classes to "
            "check labels."
        )
    return int(num_classes), labels


def _label_spec(generator, labels):
    """The shape and dtype of the generator's label input.

    Read from the generator's second input (integer, (N, 1) or one-hot);
    when it cannot be read, the shape and dtype of the labels the model's
    `sample_inputs` draws.
    """
    try:
        tensor = generator.inputs[1]
        return tuple(tensor.shape), str(tensor.dtype)
    except (AttributeError, IndexError, TypeError, ValueError):
        return (None,) + tuple(labels.shape[1:]), str(labels.dtype)


def _ensure_built(spec):
    """Build an unbuilt generator (and encoder) by running it once on zeros,
    then check it makes (N, H, W, C) images."""
    from keras import ops

    args = [ops.zeros((1, spec.latent_dim))]
    if spec.conditional:
        args.append(_labels_for_generator(ops.zeros((1,), "int32"), spec))
    generator_input = args if spec.conditional else args[0]
    # One forward pass on zeros: builds an unbuilt (subclassed) generator
    # and tells us the image shape; cheap at batch 1.
    out = keras.tree.flatten(spec.generator(generator_input, training=False))
    if len(out) != 1 or len(out[0].shape) != 4:
        shapes = [tuple(o.shape) for o in out]
        raise ValueError(
            "The generator must map latent vectors (N, "
            f"{spec.latent_dim}) to one image tensor (N, H, W, C); it returns "
            f"{shapes}."
        )
    spec.image_shape = tuple(int(d) for d in out[0].shape[1:])
    if spec.encoder is not None and not spec.encoder.built:
        spec.encoder(ops.zeros((1,) + spec.image_shape), training=False)


def _labels_for_generator(labels, spec):
    """Integer labels (N,) to what the generator's label input expects:
    (N,), (N, 1) or one-hot (N, num_classes); written with keras.ops."""
    from keras import ops

    shape, dtype = spec.label_spec
    if len(shape) == 2 and shape[-1] == spec.num_classes and spec.num_classes > 1:
        return ops.one_hot(labels, spec.num_classes, dtype=dtype)
    if len(shape) == 2:
        labels = ops.expand_dims(labels, -1)
    return ops.cast(labels, dtype)


def _check_platforms(platforms):
    if platforms is None:
        return ("cpu",)
    if isinstance(platforms, str):
        platforms = [p.strip() for p in platforms.split(",") if p.strip()]
    platforms = tuple(platforms)
    bad = [p for p in platforms if p not in JAX_PLATFORMS]
    if not platforms or bad:
        raise ValueError(
            f"platforms must be a non-empty subset of {JAX_PLATFORMS}; "
            f"received {platforms!r}."
        )
    return platforms


def _version_folder(path, version, overwrite):
    import tensorflow as tf

    if tf.io.gfile.exists(path) and not tf.io.gfile.isdir(path):
        raise FileExistsError(
            f"{path} is a file; export needs a folder to hold version folders."
        )
    if tf.io.gfile.exists(os.path.join(path, "saved_model.pb")):
        raise ValueError(
            f"{path} is itself a SavedModel. Pass the model's base folder (the "
            "parent of the version folders), e.g. "
            f"{os.path.dirname(path.rstrip('/')) or '.'}."
        )
    if version is None:
        return os.path.join(path, str(next_version(path)))
    if isinstance(version, bool) or not isinstance(version, (int, str)) or not re.fullmatch(
        r"\d+", str(version)
    ):
        raise ValueError(
            f"version must be a non-negative integer; received {version!r}."
        )
    target = os.path.join(path, str(int(version)))
    if _occupied(target, overwrite) and not overwrite:
        raise FileExistsError(
            f"Version folder {target} already exists (versions there: "
            f"{existing_versions(path)}); it was left untouched. Pass "
            "overwrite=True to replace it, or omit version to write "
            f"{next_version(path)}."
        )
    return target


def _occupied(target, overwrite):
    """Whether `target` holds something an export would replace.

    An empty folder is free. A SavedModel may be replaced with `overwrite`.
    Anything else is refused even with `overwrite`: export never deletes
    files it did not write.
    """
    import tensorflow as tf

    if not tf.io.gfile.exists(target):
        return False
    if not tf.io.gfile.isdir(target):
        raise FileExistsError(f"{target} is a file; export writes a folder there.")
    if not tf.io.gfile.listdir(target):
        return False
    is_saved_model = any(
        tf.io.gfile.exists(os.path.join(target, name))
        for name in ("saved_model.pb", "saved_model.pbtxt")
    )
    if overwrite and not is_saved_model:
        raise FileExistsError(
            f"{target} holds files but no SavedModel; export will not replace "
            "it even with overwrite=True. Move it away or pick another folder."
        )
    return True


def _write_atomically(archive, target, verbose, overwrite=True):
    """Write into a temporary sibling folder, then move it into place, so a
    server watching the base folder never loads a half-written version and a
    failed export leaves the old version intact. Without `overwrite`, a
    target that holds files by the time of the rename is never replaced."""
    import tensorflow as tf

    parent = os.path.dirname(target.rstrip("/")) or "."
    tf.io.gfile.makedirs(parent)
    name = os.path.basename(target.rstrip("/"))
    tmp = os.path.join(parent, f".tmp-export-{name}-{uuid.uuid4().hex[:8]}")
    old = None
    try:
        archive.write_out(tmp, verbose=verbose)
        if not overwrite and tf.io.gfile.exists(target) and tf.io.gfile.listdir(target):
            raise FileExistsError(
                f"{target} appeared while this export was written (another "
                "export?); it was left untouched and this export discarded."
            )
        if tf.io.gfile.exists(target):  # checked by _occupied: empty or a SavedModel
            old = os.path.join(parent, f".old-export-{name}-{uuid.uuid4().hex[:8]}")
            tf.io.gfile.rename(target, old)
        tf.io.gfile.rename(tmp, target)
    except BaseException:
        if tf.io.gfile.exists(tmp):
            tf.io.gfile.rmtree(tmp)
        if old is not None and not tf.io.gfile.exists(target):
            tf.io.gfile.rename(old, target)
            old = None
        raise
    if old is not None:
        tf.io.gfile.rmtree(old)


class _TensorFlowProcessArchive:
    """The torch backend's archive: `write_out` has a TensorFlow process
    write the SavedModel from a `.keras` copy of the model.

    Keras' torch SavedModel export needs torch_xla; the weights are
    backend-neutral, so the TensorFlow process writes the same SavedModel
    a TensorFlow-trained model would get. Version folders, locks and the
    final rename stay with this process (`export_generator`).

    Example:

    ```python
    _TensorFlowProcessArchive(spec, False, ("cpu",), 1024).write_out("tmp")
    ```
    """

    def __init__(self, spec, uint8, platforms, max_samples):
        self.model, self.generator = spec.source
        self.kwargs = {"uint8": uint8, "platforms": list(platforms),
                       "max_samples": max_samples}

    def write_out(self, path, verbose=False):
        from keras_gans.onnx_export import run_in_backend

        run_in_backend(
            "tensorflow", "keras_gans.export:export_generator", self.model, path,
            generator=self.generator,
            kwargs=dict(self.kwargs, versioned=False, overwrite=True, verbose=verbose))


def _build_archive(spec, uint8, platforms, max_samples):
    """The SavedModel: backend-converted network functions wrapped in
    TensorFlow signatures."""
    if keras.backend.backend() == "torch":
        return _TensorFlowProcessArchive(spec, uint8, platforms, max_samples)
    import tensorflow as tf

    # 1. The networks, converted by Keras for the active backend (jax2tf on
    # JAX) in a helper archive that is never written: its `add_endpoint`
    # returns the converted tf.function, which the signatures below call.
    nets = keras.export.ExportArchive()
    nets.track(spec.generator)
    if spec.encoder is not None:
        nets.track(spec.encoder)
    kwargs = gan_backend.export_endpoint_kwargs(platforms)
    z_spec = tf.TensorSpec([None, spec.latent_dim], tf.float32, name="z")
    labels_spec = tf.TensorSpec([None], tf.int32, name="labels")
    images_spec = tf.TensorSpec((None,) + spec.image_shape, tf.float32, name="images")

    generator = spec.generator
    if spec.conditional:

        def generate(z, labels):
            return generator(
                [z, _labels_for_generator(labels, spec)], training=False
            )

        generate_fn = nets.add_endpoint(
            "generate", generate, [z_spec, labels_spec], **kwargs
        )
    else:

        def generate(z):
            return generator(z, training=False)

        generate_fn = nets.add_endpoint("generate", generate, [z_spec], **kwargs)

    if spec.encoder is not None:
        encoder = spec.encoder

        def encode(images):
            return encoder(images, training=False)

        encode_fn = nets.add_endpoint("encode", encode, [images_spec], **kwargs)

    # 2. The signatures, in TensorFlow.
    def image_outputs(images):
        images = tf.cast(images, tf.float32)
        outputs = {}
        if uint8 != "only":
            outputs["images"] = images
        if uint8:
            outputs["pixels"] = tf.cast(
                tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0),
                tf.uint8,
            )
        return outputs

    def check_labels(labels):
        return [
            tf.debugging.assert_non_negative(
                labels, message="labels must be in [0, num_classes)"
            ),
            tf.debugging.assert_less(
                labels,
                tf.constant(spec.num_classes, tf.int32),
                message=f"labels must be in [0, {spec.num_classes})",
            ),
        ]

    def check_batch(z, labels):
        return tf.debugging.assert_equal(
            tf.shape(z)[0],
            tf.shape(labels)[0],
            message="z and labels must have the same number of rows",
        )

    def draw_z(num_samples, seed):
        checks = [
            tf.debugging.assert_positive(
                num_samples, message="num_samples must be >= 1"
            ),
            tf.debugging.assert_less_equal(
                num_samples,
                tf.constant(max_samples, tf.int32),
                message=f"num_samples must be <= {max_samples} "
                "(export_generator's max_samples)",
            ),
        ]
        with tf.control_dependencies(checks):
            return tf.random.stateless_normal(
                tf.stack([num_samples, tf.constant(spec.latent_dim, tf.int32)]),
                seed=tf.stack([seed, tf.constant(0, tf.int64)]),
                dtype=tf.float32,
            )

    def shaped(tensor, spec_):
        # A loaded signature passes any shape through to the graph, where a
        # wrong latent size would fail deep inside with "Matrix
        # size-incompatible"; check it at the door instead.
        return tf.ensure_shape(tensor, spec_.shape, name=spec_.name)

    count_spec = tf.TensorSpec([], tf.int32, name="num_samples")
    seed_spec = tf.TensorSpec([], tf.int64, name="seed")
    signatures = {}
    if spec.conditional:

        def serving_default(z, labels):
            z, labels = shaped(z, z_spec), shaped(labels, labels_spec)
            with tf.control_dependencies(check_labels(labels) + [check_batch(z, labels)]):
                return image_outputs(generate_fn(z, labels))

        def sample(num_samples, seed, labels):
            z = draw_z(num_samples, seed)
            labels = shaped(labels, labels_spec)
            size = tf.size(labels)
            fits = tf.debugging.assert_equal(
                tf.logical_or(tf.equal(size, 1), tf.equal(size, num_samples)),
                True,
                message="labels must hold 1 label (used for every sample) or "
                "num_samples labels",
            )
            with tf.control_dependencies(check_labels(labels) + [fits]):
                labels = tf.broadcast_to(labels, [num_samples])
            outputs = image_outputs(generate_fn(z, labels))
            outputs["z"] = z
            return outputs

        signatures["serving_default"] = (serving_default, [z_spec, labels_spec])
        signatures["sample"] = (sample, [count_spec, seed_spec, labels_spec])
    else:

        def serving_default(z):
            return image_outputs(generate_fn(shaped(z, z_spec)))

        def sample(num_samples, seed):
            z = draw_z(num_samples, seed)
            outputs = image_outputs(generate_fn(z))
            outputs["z"] = z
            return outputs

        signatures["serving_default"] = (serving_default, [z_spec])
        signatures["sample"] = (sample, [count_spec, seed_spec])

    if spec.encoder is not None:

        def encode(images):
            return _name_encoder_outputs(encode_fn(shaped(images, images_spec)))

        def reconstruct(images):
            codes = _name_encoder_outputs(encode_fn(shaped(images, images_spec)))
            mean = codes["z_mean"] if "z_mean" in codes else codes[sorted(codes)[0]]
            return image_outputs(generate_fn(tf.cast(mean, tf.float32)))

        signatures["encode"] = (encode, [images_spec])
        signatures["reconstruct"] = (reconstruct, [images_spec])

    archive = keras.export.ExportArchive()
    for name, (fn, input_signature) in signatures.items():
        fn = tf.function(fn, input_signature=input_signature, autograph=False)
        fn.get_concrete_function()  # trace once so the archive can take it
        archive.add_endpoint(name, fn)
    # The networks' variables are saved once, as the variables the
    # signatures capture (the archive collects them when writing); attaching
    # the helper archive as well would save them twice on TensorFlow.
    return archive


def _name_encoder_outputs(outputs):
    """Name an encoder's outputs: a dict keeps its keys; a pair is
    (z_mean, z_log_var); a triple adds z; one tensor is z_mean."""
    import tensorflow as tf

    if isinstance(outputs, dict):
        named = dict(outputs)
    else:
        flat = list(outputs) if isinstance(outputs, (list, tuple)) else [outputs]
        names = {1: ["z_mean"], 2: ["z_mean", "z_log_var"], 3: ["z_mean", "z_log_var", "z"]}
        if len(flat) not in names:
            raise ValueError(
                "The encoder must return a tensor, a (mean, log-variance) pair, "
                f"a (mean, log-variance, z) triple or a dict; it returns {len(flat)} tensors."
            )
        named = dict(zip(names[len(flat)], flat))
    return {k: tf.cast(v, tf.float32) for k, v in named.items()}
