"""Export a GAN's generator as an ONNX file that ONNX Runtime can serve.

`export_onnx(model, "models/digits.onnx")` writes one ONNX file whose graph
takes

- `z`: float32 [N, latent_dim], latent vectors, and for a conditional model
- `labels`: int32 [N], class indices in [0, num_classes),

and returns `images`: float32 [N, H, W, C] in [-1, 1]. `N` is a dynamic
batch size. A conditional generator whose label input is one-hot or
(N, 1) gets the conversion from integer labels inside the graph, as the
SavedModel's `serving_default` does (`keras_gans.export`).

The conversion is Keras' own `Model.export(format="onnx")`, which works
differently per backend:

| backend | converter | needs |
|---|---|---|
| tensorflow | `tf2onnx` on a `tf.function` of the generator | `tf2onnx`, `onnx` |
| torch | `torch.onnx` (TorchScript exporter, dynamic batch) | `onnx` (`onnxscript` for torch's dynamo exporter) |
| jax | the model is handed to a TensorFlow process (`.keras` file), converted there | TensorFlow, `tf2onnx` |

All of these are in `pip install keras-gans[onnx]`. The file needs neither
keras_gans nor Keras to run: `onnxruntime.InferenceSession(path)`.

Writes go to a temporary sibling file, renamed into place when complete,
so a server never reads half a file; an existing file is replaced only
with `overwrite=True`.

Example:

```python
import keras_gans
gan = keras_gans.from_preset("dcgan_digits")
keras_gans.onnx_export.export_onnx(gan, "digits.onnx")

import numpy as np, onnxruntime
session = onnxruntime.InferenceSession("digits.onnx")
z = np.random.default_rng(0).standard_normal((16, gan.latent_dim), "float32")
images = session.run(["images"], {"z": z})[0]
```
"""

import os
import subprocess
import sys
import tempfile
import uuid

import keras

#: The file name written inside a folder `path`.
DEFAULT_FILE_NAME = "generator.onnx"
#: What to install when a converter is missing.
INSTALL_HINT = "pip install keras-gans[onnx]"


def onnx_path(path):
    """The file `export_onnx` writes for `path`.

    A path ending in `.onnx` is the file itself; anything else is a folder
    that gets `generator.onnx`.

    Example:

    >>> onnx_path("models/digits.onnx")
    'models/digits.onnx'
    >>> onnx_path("models/digits")
    'models/digits/generator.onnx'
    """
    path = os.fspath(path)
    if path.lower().endswith(".onnx"):
        return path
    return os.path.join(path, DEFAULT_FILE_NAME)


def export_onnx(model, path, overwrite=False, generator=None, opset=None, verbose=False):
    """Export a GAN's generator (and label input) as an ONNX file.

    Args:
        model: a GAN (anything with a `generator` and a `latent_dim`) or a
            bare generator `keras.Model` from latent vectors to images. A
            model whose `sample_inputs` draws labels is exported with a
            `labels` input (see `keras_gans.export.export_generator`).
        path: the `.onnx` file to write, or a folder that gets
            `generator.onnx` (see `onnx_path`).
        overwrite: replace an existing file. Without it an existing file
            is refused and left untouched.
        generator: export this network instead of `model.generator` (an
            EMA copy, say); same input and output shapes.
        opset: the ONNX opset version; the converter's default if None.
        verbose: print the converter's messages.

    Returns:
        The path of the written file, a str.

    Raises:
        FileExistsError: the file exists and `overwrite` is False.
        ImportError: a converter is not installed (names the extra).
        ValueError: the generator holds an operation the converter cannot
            express in ONNX (the message names it), or bad arguments.

    Example:

    ```python
    gan = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=32)
    export_onnx(gan, "exports/dcgan.onnx")
    ```
    """
    target = onnx_path(path)
    if os.path.isdir(target):
        raise FileExistsError(f"{target} is a folder; export_onnx writes a file there.")
    if os.path.exists(target) and not overwrite:
        raise FileExistsError(
            f"{target} already exists; it was left untouched. Pass "
            "overwrite=True to replace it."
        )
    if opset is not None and (isinstance(opset, bool) or int(opset) != opset or opset < 7):
        raise ValueError(f"opset must be an integer >= 7; received {opset!r}.")
    _require("onnx")
    backend = keras.backend.backend()
    if backend == "tensorflow":
        _require("tf2onnx")
    elif backend == "torch":
        _require("torch.onnx")
    parent = os.path.dirname(os.path.abspath(target))
    os.makedirs(parent, exist_ok=True)
    tmp = os.path.join(parent, f".tmp-{os.path.basename(target)}-{uuid.uuid4().hex[:8]}.onnx")
    try:
        if backend == "jax":
            _convert_in_tensorflow(model, generator, tmp, opset, verbose)
        else:
            _convert(model, generator, tmp, opset, verbose)
        if not overwrite and os.path.exists(target):
            raise FileExistsError(
                f"{target} appeared while this export was written (another "
                "export?); it was left untouched and this export discarded."
            )
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return target


def _require(module):
    import importlib.util

    try:
        found = importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        found = False
    if not found:
        raise ImportError(
            f"ONNX export on the {keras.backend.backend()} backend needs the "
            f"Python module {module!r}, which is not installed: {INSTALL_HINT}"
        )


def _convert(model, generator_override, tmp, opset, verbose):
    """Convert in this process (TensorFlow or torch backend)."""
    from keras_gans.export import checks as saved_model_export

    spec = saved_model_export._describe(model, generator_override)
    wrapper, signature = _wrapper(spec)
    names = ["z", "labels"] if spec.conditional else ["z"]
    import warnings

    try:
        with warnings.catch_warnings():
            # torch.onnx's tracer warns about every Python-level shape check
            # in Keras' ops; the batch size stays dynamic regardless.
            warnings.filterwarnings("ignore", message=r".*might cause the trace to be incorrect.*")
            warnings.filterwarnings("ignore", message=r".*registered as constants in the trace.*")
            _export(wrapper, tmp, signature, opset, verbose)
    except ImportError as error:
        raise ImportError(f"{error}. ONNX export needs: {INSTALL_HINT}") from error
    except Exception as error:  # the converters raise many kinds
        raise ValueError(
            f"The generator ({type(spec.generator).__name__}) cannot be "
            f"exported to ONNX on the {keras.backend.backend()} backend: "
            f"{_unsupported_op(error)}"
        ) from error
    _name_graph(tmp, names, "images")


def _export(wrapper, tmp, signature, opset, verbose):
    if verbose:
        wrapper.export(tmp, format="onnx", input_signature=signature,
                       opset_version=opset, verbose=True)
        return
    with _quiet():
        wrapper.export(tmp, format="onnx", input_signature=signature,
                       opset_version=opset, verbose=False)


def _wrapper(spec):
    """A functional model from `z` (and int32 `labels`) to `images`."""
    from keras_gans.export import checks as saved_model_export

    z = keras.Input((spec.latent_dim,), name="z", dtype="float32")
    signature = [keras.InputSpec(shape=(None, spec.latent_dim), dtype="float32", name="z")]
    if spec.conditional:
        labels = keras.Input((), name="labels", dtype="int32")
        generator_labels = saved_model_export._labels_for_generator(labels, spec)
        images = spec.generator([z, generator_labels], training=False)
        signature = [[signature[0], keras.InputSpec(shape=(None,), dtype="int32", name="labels")]]
        inputs = [z, labels]
    else:
        images = spec.generator(z, training=False)
        inputs = z
    images = keras.ops.cast(images, "float32")
    wrapper = keras.Model(inputs, images, name="onnx_generator")
    # Keras' exporter asks that the model has been called once.
    zeros = [keras.ops.zeros((1, spec.latent_dim))]
    if spec.conditional:
        zeros.append(keras.ops.zeros((1,), "int32"))
    wrapper(zeros if spec.conditional else zeros[0], training=False)
    return wrapper, signature


def _unsupported_op(error):
    """The first line of a converter's error that names what failed."""
    text = str(error).strip() or type(error).__name__
    for line in text.splitlines():
        if any(word in line.lower() for word in ("unsupported", "not supported", "op")):
            return line.strip()
    return text.splitlines()[0].strip()


def _name_graph(path, input_names, output_name):
    """Rename the graph's inputs (in order) and its one output."""
    import onnx

    proto = onnx.load(path)
    graph = proto.graph
    initializers = {i.name for i in graph.initializer}
    real_inputs = [i for i in graph.input if i.name not in initializers]
    if len(real_inputs) != len(input_names) or len(graph.output) != 1:
        raise ValueError(
            f"Expected an ONNX graph with inputs {input_names} and one output; "
            f"received inputs {[i.name for i in real_inputs]} and outputs "
            f"{[o.name for o in graph.output]}."
        )
    renames = {i.name: new for i, new in zip(real_inputs, input_names)}
    renames[graph.output[0].name] = output_name
    for value in list(real_inputs) + list(graph.output) + list(graph.value_info):
        value.name = renames.get(value.name, value.name)
    _rename_in(graph, renames)
    # tf2onnx keeps an op it cannot convert as a node of the same name,
    # which no ONNX runtime knows: refuse the file, naming the op.
    unknown = sorted({
        node.op_type for node in graph.node
        if node.domain in ("", "ai.onnx") and not onnx.defs.has(node.op_type)
    })
    if unknown:
        raise ValueError(
            f"The generator cannot be exported to ONNX on the "
            f"{keras.backend.backend()} backend: no ONNX operator for "
            f"{', '.join(unknown)} (the converter left it unconverted)."
        )
    try:
        onnx.checker.check_model(proto)
    except Exception as error:
        raise ValueError(
            f"The generator cannot be exported to ONNX on the "
            f"{keras.backend.backend()} backend: the converted graph is not "
            f"valid ONNX: {str(error).splitlines()[0]}"
        ) from error
    onnx.save(proto, path)


def _rename_in(graph, renames):
    for node in graph.node:
        node.input[:] = [renames.get(n, n) for n in node.input]
        node.output[:] = [renames.get(n, n) for n in node.output]
        for attribute in node.attribute:
            if attribute.g is not None and attribute.g.node:
                _rename_in(attribute.g, renames)
            for sub in attribute.graphs:
                _rename_in(sub, renames)


class _quiet:
    """Silence the converters' prints and log lines at file-descriptor level."""

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self._saved = [os.dup(1), os.dup(2)]
        self._null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(self._null, 1)
        os.dup2(self._null, 2)
        return self

    def __exit__(self, *exc):
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self._saved[0], 1)
        os.dup2(self._saved[1], 2)
        for fd in self._saved + [self._null]:
            os.close(fd)
        return False


def _convert_in_tensorflow(model, generator_override, tmp, opset, verbose):
    """JAX: hand the model to a TensorFlow-backend process to convert.

    Keras' JAX path to ONNX needs `jax2onnx` (with flax, optax, orbax and
    more); the weights are backend-neutral, so the `.keras` file converts
    the same through tf2onnx.
    """
    run_in_backend(
        "tensorflow",
        "keras_gans.onnx_export:export_onnx",
        model,
        tmp,
        generator=generator_override,
        kwargs={"overwrite": True, "opset": opset, "verbose": verbose},
    )


def run_in_backend(backend, function, model, path, generator=None, kwargs=None):
    """Call `function(model, path, generator=..., **kwargs)` in a fresh process
    of another Keras backend, on a `.keras` copy of `model`.

    Used where the active backend cannot write an artifact itself: ONNX from
    JAX, and a SavedModel from torch (Keras' torch SavedModel export needs
    `torch_xla`). Weights are backend-neutral, so the other process sees
    the same generator.

    Args:
        backend: the Keras backend of the child process, e.g. "tensorflow".
        function: "module:name" of the function to call there.
        model: a `keras.Model` (a GAN or a bare generator).
        path: passed on as the function's second argument.
        generator: an optional override network, passed as `generator=`.
        kwargs: further keyword arguments (JSON-serializable).

    Returns:
        What the function returned, as a str.

    Raises:
        The child's error, as a `RuntimeError` holding its last line, or as
        FileExistsError / ValueError / ImportError when the child raised one.

    Example:

    ```python
    run_in_backend("tensorflow", "keras_gans.export:export_generator", gan, "models/x")
    ```
    """
    import json

    with tempfile.TemporaryDirectory(prefix="keras_gans_convert_") as folder:
        model_file = os.path.join(folder, "model.keras")
        model.save(model_file)
        generator_file = None
        if generator is not None:
            generator_file = os.path.join(folder, "generator.keras")
            generator.save(generator_file)
        result_file = os.path.join(folder, "result.json")
        request = {
            "function": function, "model": model_file, "path": os.fspath(path),
            "generator": generator_file, "kwargs": kwargs or {}, "result": result_file,
            "classes": _custom_classes([model] + ([generator] if generator is not None else [])),
        }
        env = dict(os.environ, KERAS_BACKEND=backend)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join(
            [package_root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        proc = subprocess.run(
            [sys.executable, "-m", "keras_gans.onnx_export", json.dumps(request)],
            env=env, capture_output=True, text=True,
        )
        if os.path.exists(result_file):
            with open(result_file) as f:
                result = json.load(f)
        else:
            result = {"error": "RuntimeError", "message": (
                proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]}
        if "error" in result:
            kinds = {"FileExistsError": FileExistsError, "ValueError": ValueError,
                     "ImportError": ImportError, "TypeError": TypeError}
            message = result["message"] + f" (in a {backend} process)"
            if "could not be deserialized" in message:
                message += (
                    f"; from the {keras.backend.backend()} backend the model reaches that "
                    "process as a .keras file, so its class must rebuild from get_config() "
                    "(its __init__ must accept the config's arguments)")
            raise kinds.get(result["error"], RuntimeError)(message)
        return result["value"]


def _custom_classes(models):
    """{name: [module, qualname]} of the non-Keras classes in `models`, so
    that the other process can pass them as `custom_objects` (a subclassed
    network that is not registered with Keras, defined in an importable
    module)."""
    classes = {}
    for model in models:
        for layer in [model] + list(model._flatten_layers(include_self=False)):
            cls = type(layer)
            if cls.__module__.split(".")[0] == "keras" or "<locals>" in cls.__qualname__:
                continue
            where = [cls.__module__, cls.__qualname__, _import_root(cls.__module__)]
            classes[cls.__name__] = where
            classes[keras.saving.get_registered_name(cls)] = where
    return classes


def _import_root(module_name):
    """The sys.path entry `module_name` was imported from (or None)."""
    module = sys.modules.get(module_name)
    path = getattr(module, "__file__", None)
    if not path:
        return None
    root = os.path.dirname(os.path.abspath(path))
    for _ in range(module_name.count(".")):
        root = os.path.dirname(root)
    return root


def _import_custom_modules(path):
    """Import the modules a `.keras` file's custom classes come from, so that
    their `register_keras_serializable` registrations exist in this process."""
    import importlib
    import json
    import zipfile

    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    modules = set()

    def walk(item):
        if isinstance(item, dict):
            module = item.get("module")
            if isinstance(module, str) and not module.startswith(("keras", "builtins")):
                modules.add(module)
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(config)
    for module in sorted(modules):
        try:
            importlib.import_module(module)
        except Exception:  # loading then names the class it cannot find
            pass


def _child(request):
    """The child side of `run_in_backend`."""
    import importlib
    import json

    import keras_gans  # noqa: F401  registers the zoo's classes

    try:
        module, name = request["function"].split(":")
        function = getattr(importlib.import_module(module), name)
        for path in (request["model"], request["generator"]):
            if path:
                _import_custom_modules(path)
        custom = {}
        for key, (module_name, qualname, root) in request.get("classes", {}).items():
            if root and root not in sys.path:
                sys.path.append(root)
            try:
                found = importlib.import_module(module_name)
                for part in qualname.split("."):
                    found = getattr(found, part)
            except Exception:  # loading then names the class it cannot find
                continue
            custom[key] = found
        model = keras.saving.load_model(request["model"], custom_objects=custom, compile=False)
        extra = dict(request["kwargs"])
        if request["generator"]:
            extra["generator"] = keras.saving.load_model(
                request["generator"], custom_objects=custom, compile=False)
        value = function(model, request["path"], **extra)
        result = {"value": str(value)}
    except Exception as error:  # reported to the parent
        result = {"error": type(error).__name__, "message": str(error).splitlines()[0]
                  if str(error) else type(error).__name__}
    with open(request["result"], "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    import json

    _child(json.loads(sys.argv[1]))
