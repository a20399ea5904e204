"""What export needs to know about a model, and the checks on its arguments.

`_describe` finds, by duck typing, the generator, the latent size, the labels
a conditional model takes and an encoder, and builds an unbuilt generator.
Shared by the SavedModel export and the ONNX export (`keras_gans.onnx_export`).
"""

import keras

#: Platforms jax2tf can lower for.
JAX_PLATFORMS = ("cpu", "cuda", "rocm", "tpu")


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
