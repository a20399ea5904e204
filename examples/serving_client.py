"""Ask a TF Serving model exported by keras_gans for images and save a PNG.

Standard library plus numpy (and matplotlib for the PNG). keras_gans is used
for the picture when it is installed, and is not needed otherwise.

Serve an export (see docs/export.md):

    docker run -p 8501:8501 -v "$PWD/models/digits:/models/digits" \\
        -e MODEL_NAME=digits tensorflow/serving

then:

    # 16 samples drawn by the server from seed 0 ("sample" signature)
    python examples/serving_client.py --model digits --num 16 --seed 0 \\
        --out samples.png
    # latent vectors drawn here, sent to serving_default in row format
    python examples/serving_client.py --model digits --signature serving_default \\
        --format row --num 16 --seed 0 --latent-dim 32 --out samples.png
    # conditional model: eight 3s
    python examples/serving_client.py --model cdigits --num 8 --labels 3

The two request bodies TF Serving's REST predict API takes:

    row ("instances"): one entry per example; every input needs the batch
        dimension. {"signature_name": "serving_default",
                    "instances": [{"z": [...]}, {"z": [...]}]}
    columnar ("inputs"): one entry per input, any shapes (scalars too).
        {"signature_name": "sample",
         "inputs": {"num_samples": 16, "seed": 0}}

Answers: {"predictions": [...]} for row requests (one entry per example: an
object of outputs, or the bare value when the signature has one output) and
{"outputs": {...}} for columnar ones (or the bare value for one output).
"""

import argparse
import json
import os
import sys
import urllib.error
import urllib.request

import numpy as np

DEFAULT_HOST = "http://localhost:8501"


def predict_url(model, host=DEFAULT_HOST, version=None):
    """The REST predict URL of a served model.

    Example:

    >>> predict_url("digits")
    'http://localhost:8501/v1/models/digits:predict'
    >>> predict_url("digits", version=2)
    'http://localhost:8501/v1/models/digits/versions/2:predict'
    """
    base = f"{host.rstrip('/')}/v1/models/{model}"
    if version is not None:
        base += f"/versions/{int(version)}"
    return base + ":predict"


def _jsonable(value):
    value = np.asarray(value)
    if value.dtype.kind == "f":
        return value.astype("float64").tolist()
    if value.dtype.kind in "iub":
        return value.astype("int64").tolist()
    raise TypeError(f"Cannot send values of dtype {value.dtype} as JSON.")


def build_request(inputs, signature_name="serving_default", format="columnar"):
    """A TF Serving REST predict request body.

    Args:
        inputs: {input name: array-like}, e.g. {"z": z} or
            {"num_samples": 16, "seed": 0}.
        signature_name: the signature to call.
        format: "row" ({"instances": [...]}, one object per example; every
            input must have the same first dimension) or "columnar"
            ({"inputs": {...}}; any shapes, scalars included).

    Returns:
        A dict, ready for `json.dumps`.

    Example:

    >>> build_request({"z": [[0.0, 1.0], [2.0, 3.0]]}, format="row")
    {'signature_name': 'serving_default', 'instances': [{'z': [0.0, 1.0]}, {'z': [2.0, 3.0]}]}
    >>> build_request({"num_samples": 4, "seed": 0}, "sample")
    {'signature_name': 'sample', 'inputs': {'num_samples': 4, 'seed': 0}}
    """
    if not inputs:
        raise ValueError("Pass at least one input.")
    arrays = {name: np.asarray(value) for name, value in inputs.items()}
    body = {"signature_name": signature_name}
    if format == "columnar":
        body["inputs"] = {name: _jsonable(a) for name, a in arrays.items()}
        return body
    if format != "row":
        raise ValueError(f'format must be "row" or "columnar"; received {format!r}.')
    scalars = [name for name, a in arrays.items() if a.ndim == 0]
    if scalars:
        raise ValueError(
            f"The row format needs a batch dimension on every input, but "
            f"{scalars} are scalars; use format='columnar' for this signature."
        )
    sizes = {name: len(a) for name, a in arrays.items()}
    if len(set(sizes.values())) != 1:
        raise ValueError(
            "The row format needs the same number of rows in every input; "
            f"received {sizes}."
        )
    n = next(iter(sizes.values()))
    body["instances"] = [
        {name: _jsonable(a[i]) for name, a in arrays.items()} for i in range(n)
    ]
    return body


def post(url, body, timeout=60.0):
    """POST a request body as JSON and return the decoded JSON answer.

    Raises:
        RuntimeError: the server answered with an error (its message is
            included) or could not be reached.
    """
    data = json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", "replace")
        try:
            detail = json.loads(detail).get("error", detail)
        except ValueError:
            pass
        raise RuntimeError(f"{url} answered {err.code}: {detail}") from None
    except urllib.error.URLError as err:
        raise RuntimeError(f"Could not reach {url}: {err.reason}") from None


def decode_response(response, output=None):
    """Pull one output out of a predict answer as a numpy array.

    Args:
        response: the decoded JSON answer ({"predictions": ...} or
            {"outputs": ...}).
        output: the output's name ("images", "pixels", "z", ...). `None`
            picks "images", else "pixels", else the only output.

    Returns:
        A numpy array with the batch dimension first.

    Example:

    >>> decode_response({"outputs": {"images": [[0.5]]}}).shape
    (1, 1)
    """
    if "error" in response:
        raise RuntimeError(f"The server answered with an error: {response['error']}")
    if "predictions" in response:
        rows = response["predictions"]
        if rows and isinstance(rows[0], dict):
            columns = {k: np.asarray([row[k] for row in rows]) for k in rows[0]}
        else:
            columns = {None: np.asarray(rows)}
    elif "outputs" in response:
        outputs = response["outputs"]
        if isinstance(outputs, dict):
            columns = {k: np.asarray(v) for k, v in outputs.items()}
        else:
            columns = {None: np.asarray(outputs)}
    else:
        raise ValueError(
            "Expected a TF Serving answer with 'predictions' or 'outputs'; "
            f"received keys {sorted(response)}."
        )
    if output is None:
        for name in ("images", "pixels", None):
            if name in columns:
                return columns[name]
        if len(columns) == 1:
            return next(iter(columns.values()))
        raise ValueError(f"Pass output=; the answer has {sorted(columns)}.")
    if output in columns:
        return columns[output]
    if None in columns:  # a single unnamed output
        return columns[None]
    raise KeyError(f"No output {output!r} in the answer; it has {sorted(columns)}.")


def to_unit_range(images):
    """Images as floats in [-1, 1], whether they came as floats or uint8
    pixels (integers in [0, 255])."""
    images = np.asarray(images)
    if images.dtype.kind in "iu":
        return images.astype("float32") / 127.5 - 1.0
    return images.astype("float32")


def save_png(images, path):
    """Save a batch (n, H, W, C) in [-1, 1] as a PNG grid.

    Uses `keras_gans.images.save_grid` when keras_gans is installed, plain
    matplotlib otherwise.
    """
    try:
        from keras_gans.images import save_grid
    except ImportError:
        return _save_png_matplotlib(images, path)
    return save_grid(images, path)


def _save_png_matplotlib(images, path):
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    images = np.asarray(images, dtype="float32")
    if images.ndim == 3:
        images = images[..., None]
    n, h, w, c = images.shape
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    grid = np.zeros((rows * (h + 1) + 1, cols * (w + 1) + 1, c), dtype="uint8")
    pixels = np.clip(np.round((images + 1.0) * 127.5), 0, 255).astype("uint8")
    for i in range(n):
        r, col = divmod(i, cols)
        grid[1 + r * (h + 1) : 1 + r * (h + 1) + h, 1 + col * (w + 1) : 1 + col * (w + 1) + w] = pixels[i]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if c == 1:
        plt.imsave(path, grid[..., 0], cmap="gray", vmin=0, vmax=255)
    else:
        plt.imsave(path, grid)
    return path


def request_inputs(signature, num, seed, labels=None, latent_dim=None):
    """The inputs for a keras_gans signature: `sample` takes
    (num_samples, seed[, labels]); `serving_default` takes z (drawn here
    from `seed`, so `latent_dim` is needed) [and labels]."""
    inputs = {}
    if signature == "sample":
        inputs = {"num_samples": int(num), "seed": int(seed)}
    elif signature == "serving_default":
        if not latent_dim:
            raise ValueError("serving_default needs --latent-dim to draw z.")
        rng = np.random.default_rng(seed)
        inputs = {"z": rng.standard_normal((int(num), int(latent_dim))).astype("float32")}
    else:
        raise ValueError(
            f"This client calls 'sample' or 'serving_default'; received {signature!r}."
        )
    if labels is not None:
        labels = np.atleast_1d(np.asarray(labels, dtype="int64"))
        if signature == "serving_default" and labels.size == 1:
            labels = np.full((int(num),), labels[0])
        inputs["labels"] = labels
    return inputs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="gan", help="served model name")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--url", help="full predict URL (overrides --host/--model)")
    parser.add_argument("--version", type=int, help="model version to ask")
    parser.add_argument("--signature", default="sample", choices=["sample", "serving_default"])
    parser.add_argument("--format", default="columnar", choices=["columnar", "row"])
    parser.add_argument("--num", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--labels", type=int, nargs="+", help="class labels (conditional models)")
    parser.add_argument("--latent-dim", type=int, help="latent size, for serving_default")
    parser.add_argument("--output", help="output to draw (default images, else pixels)")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--out", default="served_samples.png")
    args = parser.parse_args(argv)
    try:
        url = args.url or predict_url(args.model, args.host, args.version)
        inputs = request_inputs(args.signature, args.num, args.seed, args.labels, args.latent_dim)
        body = build_request(inputs, args.signature, args.format)
        images = decode_response(post(url, body, args.timeout), args.output)
        path = save_png(to_unit_range(images), args.out)
    except (RuntimeError, ValueError, KeyError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"{len(images)} images of shape {images.shape[1:]} from {url} -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
