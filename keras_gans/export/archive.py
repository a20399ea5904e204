"""The SavedModel's contents: network functions wrapped in TF signatures.

`_build_archive` works in three named parts:

1. `_network_functions`: the generator (and encoder), converted by Keras for
   the active backend (jax2tf on JAX) into tf.functions;
2. `_generation_signatures` and `_encoder_signatures`: the TensorFlow
   signatures around them (`serving_default`, `sample`, `encode`,
   `reconstruct`), with their input checks, seeded noise and uint8 pixels,
   built from the small helpers `_Signatures` holds;
3. `_archive_of`: the signatures traced into one `keras.export.ExportArchive`.

On the torch backend (whose SavedModel export would need torch_xla),
`_TensorFlowProcessArchive` has a TensorFlow process write the same archive.
"""

import keras

from keras_gans import backend as gan_backend
from keras_gans.export.checks import _labels_for_generator


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
    fns = _network_functions(spec, platforms)
    parts = _Signatures(spec, fns, uint8, max_samples)
    signatures = _generation_signatures(parts)
    if spec.encoder is not None:
        signatures.update(_encoder_signatures(parts))
    # The networks' variables are saved once, as the variables the
    # signatures capture (the archive collects them when writing); attaching
    # the helper archive as well would save them twice on TensorFlow.
    return _archive_of(signatures)


class _NetworkFunctions:
    """The converted `generate` (and `encode`) functions and their specs."""

    def __init__(self, generate, encode, z_spec, labels_spec, images_spec):
        self.generate = generate
        self.encode = encode
        self.z_spec = z_spec
        self.labels_spec = labels_spec
        self.images_spec = images_spec


def _network_functions(spec, platforms):
    """The networks, converted by Keras for the active backend (jax2tf on
    JAX) in a helper archive that is never written: its `add_endpoint`
    returns the converted tf.function, which the signatures call."""
    import tensorflow as tf

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

    encode_fn = None
    if spec.encoder is not None:
        encoder = spec.encoder

        def encode(images):
            return encoder(images, training=False)

        encode_fn = nets.add_endpoint("encode", encode, [images_spec], **kwargs)
    return _NetworkFunctions(generate_fn, encode_fn, z_spec, labels_spec, images_spec)


class _Signatures:
    """What every signature shares: output naming, input checks, noise."""

    def __init__(self, spec, fns, uint8, max_samples):
        self.spec = spec
        self.fns = fns
        self.uint8 = uint8
        self.max_samples = max_samples

    def image_outputs(self, images):
        import tensorflow as tf

        images = tf.cast(images, tf.float32)
        outputs = {}
        if self.uint8 != "only":
            outputs["images"] = images
        if self.uint8:
            outputs["pixels"] = tf.cast(
                tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0),
                tf.uint8,
            )
        return outputs

    def check_labels(self, labels):
        import tensorflow as tf

        num_classes = self.spec.num_classes
        return [
            tf.debugging.assert_non_negative(
                labels, message="labels must be in [0, num_classes)"
            ),
            tf.debugging.assert_less(
                labels,
                tf.constant(num_classes, tf.int32),
                message=f"labels must be in [0, {num_classes})",
            ),
        ]

    def check_batch(self, z, labels):
        import tensorflow as tf

        return tf.debugging.assert_equal(
            tf.shape(z)[0],
            tf.shape(labels)[0],
            message="z and labels must have the same number of rows",
        )

    def draw_z(self, num_samples, seed):
        import tensorflow as tf

        checks = [
            tf.debugging.assert_positive(
                num_samples, message="num_samples must be >= 1"
            ),
            tf.debugging.assert_less_equal(
                num_samples,
                tf.constant(self.max_samples, tf.int32),
                message=f"num_samples must be <= {self.max_samples} "
                "(export_generator's max_samples)",
            ),
        ]
        with tf.control_dependencies(checks):
            return tf.random.stateless_normal(
                tf.stack([num_samples, tf.constant(self.spec.latent_dim, tf.int32)]),
                seed=tf.stack([seed, tf.constant(0, tf.int64)]),
                dtype=tf.float32,
            )

    @staticmethod
    def shaped(tensor, spec_):
        # A loaded signature passes any shape through to the graph, where a
        # wrong latent size would fail deep inside with "Matrix
        # size-incompatible"; check it at the door instead.
        import tensorflow as tf

        return tf.ensure_shape(tensor, spec_.shape, name=spec_.name)


def _generation_signatures(parts):
    """`serving_default` (z [+ labels] -> images) and `sample` (count and
    seed [+ labels] -> images and z), as {name: (fn, input_signature)}."""
    import tensorflow as tf

    fns = parts.fns
    z_spec, labels_spec = fns.z_spec, fns.labels_spec
    count_spec = tf.TensorSpec([], tf.int32, name="num_samples")
    seed_spec = tf.TensorSpec([], tf.int64, name="seed")
    if parts.spec.conditional:

        def serving_default(z, labels):
            z, labels = parts.shaped(z, z_spec), parts.shaped(labels, labels_spec)
            checks = parts.check_labels(labels) + [parts.check_batch(z, labels)]
            with tf.control_dependencies(checks):
                return parts.image_outputs(fns.generate(z, labels))

        def sample(num_samples, seed, labels):
            z = parts.draw_z(num_samples, seed)
            labels = parts.shaped(labels, labels_spec)
            size = tf.size(labels)
            fits = tf.debugging.assert_equal(
                tf.logical_or(tf.equal(size, 1), tf.equal(size, num_samples)),
                True,
                message="labels must hold 1 label (used for every sample) or "
                "num_samples labels",
            )
            with tf.control_dependencies(parts.check_labels(labels) + [fits]):
                labels = tf.broadcast_to(labels, [num_samples])
            outputs = parts.image_outputs(fns.generate(z, labels))
            outputs["z"] = z
            return outputs

        return {
            "serving_default": (serving_default, [z_spec, labels_spec]),
            "sample": (sample, [count_spec, seed_spec, labels_spec]),
        }

    def serving_default(z):
        return parts.image_outputs(fns.generate(parts.shaped(z, z_spec)))

    def sample(num_samples, seed):
        z = parts.draw_z(num_samples, seed)
        outputs = parts.image_outputs(fns.generate(z))
        outputs["z"] = z
        return outputs

    return {
        "serving_default": (serving_default, [z_spec]),
        "sample": (sample, [count_spec, seed_spec]),
    }


def _encoder_signatures(parts):
    """`encode` (images -> the encoder's named outputs) and `reconstruct`
    (images -> the generator on the encoder's mean)."""
    import tensorflow as tf

    fns = parts.fns
    images_spec = fns.images_spec

    def encode(images):
        return _name_encoder_outputs(fns.encode(parts.shaped(images, images_spec)))

    def reconstruct(images):
        codes = _name_encoder_outputs(fns.encode(parts.shaped(images, images_spec)))
        mean = codes["z_mean"] if "z_mean" in codes else codes[sorted(codes)[0]]
        return parts.image_outputs(fns.generate(tf.cast(mean, tf.float32)))

    return {"encode": (encode, [images_spec]), "reconstruct": (reconstruct, [images_spec])}


def _archive_of(signatures):
    """Trace each signature once and add it to a fresh ExportArchive."""
    import tensorflow as tf

    archive = keras.export.ExportArchive()
    for name, (fn, input_signature) in signatures.items():
        fn = tf.function(fn, input_signature=input_signature, autograph=False)
        fn.get_concrete_function()  # trace once so the archive can take it
        archive.add_endpoint(name, fn)
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
