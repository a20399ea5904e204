"""Export for TF Serving: every signature, checked in a fresh process that
imports TensorFlow and never keras_gans, against the live generator.

The exports are built once per module (small nets, 8x8 images): a trained
DCGAN and its .keras reload, an EMA-style generator override, the real
ConditionalGAN and VAEGAN, a third-party conditional GAN with one-hot labels,
and a never-compiled GAN whose subclassed generator was never built. One
subprocess loads them all, calls every signature and runs
`saved_model_cli show --all`.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import keras
import numpy as np
import pytest
from keras import layers, ops

import keras_gans
from keras_gans import export as gan_export
from keras_gans.images import to_uint8
from keras_gans.models.base import GAN

LATENT = 8
SHAPE = (8, 8, 1)
NUM_CLASSES = 10
BACKEND = keras.backend.backend()
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ------------------------------------------------------------- stand-ins


def _mlp_discriminator():
    images = keras.Input(SHAPE)
    x = layers.Flatten()(images)
    return keras.Model(images, layers.Dense(1)(layers.Dense(16)(x)))


def _one_hot_conditional_generator():
    z = keras.Input((LATENT,), name="z")
    labels = keras.Input((NUM_CLASSES,), name="one_hot_labels")
    x = layers.Concatenate()([z, labels])
    x = layers.Dense(32, activation="relu")(x)
    x = layers.Dense(int(np.prod(SHAPE)), activation="tanh")(x)
    return keras.Model([z, labels], layers.Reshape(SHAPE)(x))


class OneHotConditional(GAN):
    """A third-party conditional GAN as export sees it: a `num_classes`
    attribute and a generator taking [z, one-hot labels]. Clients still send
    integer labels; the export converts them."""

    num_classes = NUM_CLASSES

    # Accepts what GAN.get_config() records, so that the class rebuilds
    # from its config as any Keras model must to be loaded from a `.keras`
    # file (on torch, export writes the SavedModel through one).
    def __init__(self, generator=None, discriminator=None, **kwargs):
        super().__init__(generator or _one_hot_conditional_generator(),
                         discriminator or _mlp_discriminator(), **kwargs)

    def one_hot(self, labels):
        return np.eye(NUM_CLASSES, dtype="float32")[labels]


class SubclassedGenerator(keras.Model):
    """A generator that stays unbuilt until first called."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(int(np.prod(SHAPE)), activation="tanh")

    def call(self, z, training=False):
        return ops.reshape(self.out(self.hidden(z)), (-1,) + SHAPE)


# --------------------------------------------------------- module exports


def _run(net, inputs):
    return ops.convert_to_numpy(net(inputs, training=False))


def _stateless_normal(n, seed):
    import tensorflow as tf

    return tf.random.stateless_normal([n, LATENT], seed=[seed, 0]).numpy()


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """Exports of several models plus the expected outputs of every call."""
    root = tmp_path_factory.mktemp("exports")
    rng = np.random.default_rng(0)

    # A DCGAN trained two steps (batch-norm statistics move), saved as
    # .keras and reloaded: the live model and the reloaded one both export.
    dcgan = keras_gans.DCGAN(image_shape=SHAPE, latent_dim=LATENT, width=8, seed=1)
    dcgan.compile()
    x = np.tanh(rng.standard_normal((32,) + SHAPE)).astype("float32")
    dcgan.fit(x, batch_size=16, epochs=1, verbose=0)
    dcgan.save(root / "dcgan.keras")
    reloaded = keras.models.load_model(root / "dcgan.keras")
    live_dir = dcgan.export(root / "dcgan", uint8=True)
    reloaded_dir = keras_gans.export_generator(reloaded, root / "dcgan")

    # An "EMA" copy of the generator with other weights, via generator=.
    ema = keras.models.clone_model(dcgan.generator)
    ema.set_weights([w * 0.5 for w in dcgan.generator.get_weights()])
    ema_dir = dcgan.export(root / "dcgan_ema", generator=ema)

    cond = keras_gans.ConditionalGAN(
        image_shape=SHAPE, num_classes=NUM_CLASSES, latent_dim=LATENT, width=8)
    cond_dir = cond.export(root / "cond", uint8="only")
    onehot = OneHotConditional()
    onehot_dir = onehot.export(root / "onehot")
    vae = keras_gans.VAEGAN(image_shape=SHAPE, latent_dim=LATENT, width=8)
    vae_dir = vae.export(root / "vae_flat", format="tf_saved_model")
    sub = GAN(SubclassedGenerator(), _mlp_discriminator(), latent_dim=LATENT)
    assert sub.generator.built  # GAN calls subclassed networks once, so compile() can build optimizers
    sub_dir = sub.export(root / "sub")  # never compiled

    arrays, jobs, expect = {}, [], {}

    def add(job_id, directory, signature, inputs, outputs):
        names = {}
        for name, value in inputs.items():
            key = f"{job_id}:{name}"
            arrays[key] = value
            names[name] = key
        jobs.append({"id": job_id, "dir": str(directory), "signature": signature, "inputs": names})
        expect[job_id] = outputs

    for n in (1, 7):
        z = rng.standard_normal((n, LATENT)).astype("float32")
        labels = rng.integers(0, NUM_CLASSES, n).astype("int32")
        images = rng.uniform(-1, 1, (n,) + SHAPE).astype("float32")
        zs = _stateless_normal(n, 3)
        ref = _run(dcgan.generator, z)
        add(f"live{n}", live_dir, "serving_default", {"z": z}, {"images": ref, "pixels": to_uint8(ref)})
        add(f"reloaded{n}", reloaded_dir, "serving_default", {"z": z}, {"images": ref})
        ref_s = _run(dcgan.generator, zs)
        add(f"sample{n}", live_dir, "sample",
            {"num_samples": np.int32(n), "seed": np.int64(3)},
            {"images": ref_s, "pixels": to_uint8(ref_s), "z": zs})
        add(f"ema{n}", ema_dir, "serving_default", {"z": z}, {"images": _run(ema, z)})
        add(f"cond{n}", cond_dir, "serving_default", {"z": z, "labels": labels},
            {"pixels": to_uint8(cond.generate(z=z, labels=labels))})
        add(f"condsample{n}", cond_dir, "sample",
            {"num_samples": np.int32(n), "seed": np.int64(3), "labels": labels},
            {"pixels": to_uint8(cond.generate(z=zs, labels=labels)), "z": zs})
        add(f"condbcast{n}", cond_dir, "sample",
            {"num_samples": np.int32(n), "seed": np.int64(3), "labels": np.array([4], "int32")},
            {"pixels": to_uint8(cond.generate(z=zs, labels=np.full(n, 4, "int32")))})
        add(f"onehot{n}", onehot_dir, "serving_default", {"z": z, "labels": labels},
            {"images": _run(onehot.generator, [z, onehot.one_hot(labels)])})
        mean, log_var = vae.encode(images)
        add(f"vae{n}", vae_dir, "serving_default", {"z": z}, {"images": _run(vae.generator, z)})
        add(f"encode{n}", vae_dir, "encode", {"images": images}, {"z_mean": mean, "z_log_var": log_var})
        add(f"reconstruct{n}", vae_dir, "reconstruct", {"images": images},
            {"images": vae.reconstruct(images)})
        add(f"sub{n}", sub_dir, "serving_default", {"z": z}, {"images": _run(sub.generator, z)})

    # Calls that must fail with a clear message.
    errors = {
        "wrong_latent": (live_dir, "serving_default", {"z": np.zeros((2, 5), "float32")}),
        "too_many": (live_dir, "sample", {"num_samples": np.int32(5000), "seed": np.int64(0)}),
        "zero": (live_dir, "sample", {"num_samples": np.int32(0), "seed": np.int64(0)}),
        "bad_label": (cond_dir, "serving_default",
                      {"z": np.zeros((2, LATENT), "float32"), "labels": np.array([1, 10], "int32")}),
        "rows": (cond_dir, "serving_default",
                 {"z": np.zeros((2, LATENT), "float32"), "labels": np.array([1, 2, 3], "int32")}),
        "label_count": (cond_dir, "sample",
                        {"num_samples": np.int32(4), "seed": np.int64(0),
                         "labels": np.array([1, 2], "int32")}),
        "wrong_image": (vae_dir, "encode", {"images": np.zeros((2, 4, 4, 1), "float32")}),
    }
    for job_id, (directory, signature, inputs) in errors.items():
        add(job_id, directory, signature, inputs, None)

    np.savez(root / "inputs.npz", **arrays)
    (root / "jobs.json").write_text(json.dumps(jobs))
    dirs = {"live": live_dir, "cond": cond_dir, "vae": vae_dir, "root": str(root)}
    params = sum(int(np.prod(w.shape)) for w in dcgan.generator.weights)
    return {"root": root, "expect": expect, "dirs": dirs, "errors": set(errors),
            "params": params}


# The fresh process: TensorFlow and numpy only; importing keras_gans raises.
FRESH = textwrap.dedent(
    """
    import importlib.abc, json, sys

    class NoKerasGans(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "keras_gans":
                raise ImportError("keras_gans must not be imported here")

    sys.meta_path.insert(0, NoKerasGans())
    import numpy as np
    import tensorflow as tf

    root = sys.argv[1]
    jobs = json.load(open(root + "/jobs.json"))
    arrays = np.load(root + "/inputs.npz")
    loaded, results, errors, signatures = {}, {}, {}, {}
    for job in jobs:
        if job["dir"] not in loaded:
            model = loaded[job["dir"]] = tf.saved_model.load(job["dir"])
            signatures[job["dir"]] = {
                name: sorted(fn.structured_input_signature[1])
                for name, fn in model.signatures.items()
            }
        fn = loaded[job["dir"]].signatures[job["signature"]]
        kwargs = {k: tf.constant(arrays[v]) for k, v in job["inputs"].items()}
        try:
            out = fn(**kwargs)
        except Exception as err:
            errors[job["id"]] = type(err).__name__ + ": " + str(err)
            continue
        for name, value in out.items():
            results[job["id"] + "/" + name] = value.numpy()
    np.savez(root + "/outputs.npz", **results)

    # `saved_model_cli show --all`, the command's own entry point run here
    # (a second TensorFlow process would cost as much as this whole check).
    import contextlib, io
    from tensorflow.python.tools import saved_model_cli

    shows = {}
    for key in sys.argv[2:]:
        sys.argv = ["saved_model_cli", "show", "--dir", key, "--all"]
        text = io.StringIO()
        with contextlib.redirect_stdout(text):
            try:
                saved_model_cli.main()
            except SystemExit as exit:
                assert not exit.code, exit.code
        shows[key] = text.getvalue()
    json.dump(
        {"errors": errors, "signatures": signatures, "shows": shows,
         "keras_gans_imported": "keras_gans" in sys.modules},
        open(root + "/report.json", "w"),
    )
    """
)


def _clean_env():
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KERAS_BACKEND")}
    env["TF_CPP_MIN_LOG_LEVEL"] = "3"
    return env


@pytest.fixture(scope="module")
def fresh(exported):
    """Run the fresh process (which also runs saved_model_cli) once."""
    root, dirs = exported["root"], exported["dirs"]
    proc = subprocess.run(
        [sys.executable, "-c", FRESH, str(root), dirs["cond"], dirs["vae"]],
        capture_output=True, text=True, env=_clean_env(), cwd=str(root), timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads((root / "report.json").read_text())
    outputs = dict(np.load(root / "outputs.npz"))
    shows = {k: report["shows"][dirs[k]] for k in ("cond", "vae")}
    return {"report": report, "outputs": outputs, "shows": shows}


# ------------------------------------------------------------------ tests


def test_fresh_process_never_imports_keras_gans(fresh):
    assert fresh["report"]["keras_gans_imported"] is False


def test_every_signature_matches_the_live_networks(exported, fresh):
    outputs, errors = fresh["outputs"], fresh["report"]["errors"]
    checked = 0
    for job_id, expected in exported["expect"].items():
        if expected is None:
            continue
        assert job_id not in errors, errors.get(job_id)
        got_names = {k.split("/", 1)[1] for k in outputs if k.startswith(job_id + "/")}
        for name, want in expected.items():
            got = outputs[f"{job_id}/{name}"]
            assert got.shape == want.shape, (job_id, name, got.shape, want.shape)
            if name == "pixels":
                assert got.dtype == np.uint8
                # Rounding of values within float error of a .5 boundary
                # may differ by one level; nothing else may.
                diff = np.abs(got.astype(int) - want.astype(int))
                assert diff.max() <= 1 and (diff > 0).mean() < 0.01, job_id
            else:
                assert got.dtype == np.float32
                np.testing.assert_allclose(got, want, atol=1e-5, rtol=1e-5, err_msg=job_id)
            checked += 1
        assert set(expected) <= got_names
    assert checked == 34  # 17 outputs for each batch size
    # uint8=True adds pixels computed from the very images returned.
    for n in (1, 7):
        np.testing.assert_array_equal(
            outputs[f"live{n}/pixels"], to_uint8(outputs[f"live{n}/images"])
        )
    # uint8="only" replaces images by pixels; plain exports have no pixels.
    assert "cond7/images" not in outputs and "cond7/pixels" in outputs
    assert "reloaded7/pixels" not in outputs
    # Exports of the live and the reloaded model agree exactly.
    np.testing.assert_array_equal(outputs["live7/images"], outputs["reloaded7/images"])
    # The EMA export follows generator=, not the model's generator.
    assert not np.allclose(outputs["ema7/images"], outputs["live7/images"])


def test_bad_calls_fail_clearly(fresh):
    errors = fresh["report"]["errors"]
    assert "[2,5]" in errors["wrong_latent"] and f"[?,{LATENT}]" in errors["wrong_latent"]
    assert "num_samples must be <= 1024" in errors["too_many"]
    assert "num_samples must be >= 1" in errors["zero"]
    assert "labels must be in [0, 10)" in errors["bad_label"]
    assert "same number of rows" in errors["rows"]
    assert "1 label" in errors["label_count"]
    assert "[2,4,4,1]" in errors["wrong_image"]


def test_signatures_listed_with_names_dtypes_shapes(exported, fresh):
    signatures = fresh["report"]["signatures"]
    assert signatures[exported["dirs"]["cond"]] == {
        "serving_default": ["labels", "z"],
        "sample": ["labels", "num_samples", "seed"],
    }
    assert signatures[exported["dirs"]["vae"]] == {
        "serving_default": ["z"], "sample": ["num_samples", "seed"],
        "encode": ["images"], "reconstruct": ["images"],
    }
    vae = fresh["shows"]["vae"]
    for name in ("serving_default", "sample", "encode", "reconstruct"):
        assert f"signature_def['{name}']" in vae
    cond = fresh["shows"]["cond"]
    section = cond.split("signature_def['sample']")[1].split("signature_def[")[0]
    for line in (
        "inputs['num_samples'] tensor_info:\n        dtype: DT_INT32\n        shape: ()",
        "inputs['seed'] tensor_info:\n        dtype: DT_INT64\n        shape: ()",
        "inputs['labels'] tensor_info:\n        dtype: DT_INT32\n        shape: (-1)",
        "outputs['pixels'] tensor_info:\n        dtype: DT_UINT8\n        shape: (-1, 8, 8, 1)",
        f"outputs['z'] tensor_info:\n        dtype: DT_FLOAT\n        shape: (-1, {LATENT})",
    ):
        assert line in section, line
    section = vae.split("signature_def['serving_default']")[1].split("signature_def[")[0]
    assert f"inputs['z'] tensor_info:\n        dtype: DT_FLOAT\n        shape: (-1, {LATENT})" in section
    assert "outputs['images'] tensor_info:\n        dtype: DT_FLOAT\n        shape: (-1, 8, 8, 1)" in section
    section = vae.split("signature_def['encode']")[1].split("signature_def[")[0]
    assert "outputs['z_log_var']" in section and "outputs['z_mean']" in section


def test_versioned_layout_and_flat_format(exported):
    root = exported["root"]
    assert gan_export.existing_versions(root / "dcgan") == [1, 2]
    assert os.path.isfile(root / "dcgan" / "1" / "saved_model.pb")
    assert os.path.isfile(root / "vae_flat" / "saved_model.pb")  # no version folder
    assert gan_export.next_version(root / "nowhere") == 1
    leftovers = [p for p in os.listdir(root / "dcgan") if p.startswith(".")]
    assert leftovers == []
    # Each weight of the generator is saved once, and nothing else is.
    import tensorflow as tf

    shapes = tf.train.load_checkpoint(
        str(root / "dcgan" / "1" / "variables" / "variables")).get_variable_to_shape_map()
    saved = sum(int(np.prod(s)) for k, s in shapes.items() if "VARIABLE_VALUE" in k)
    assert saved == exported["params"]


def test_existing_version_refused_unless_overwrite(exported, tmp_path):
    base = tmp_path / "served"
    shutil.copytree(exported["root"] / "dcgan" / "1", base / "1")
    os.makedirs(base / "notes")  # not a version: ignored
    (base / "1" / "mine.txt").write_text("user data")
    before = (base / "1" / "saved_model.pb").read_bytes()
    gan = GAN(SubclassedGenerator(), _mlp_discriminator(), latent_dim=LATENT)
    with pytest.raises(FileExistsError, match="already exists.*left untouched.*overwrite=True"):
        gan.export(base, version=1)
    assert (base / "1" / "mine.txt").read_text() == "user data"
    assert (base / "1" / "saved_model.pb").read_bytes() == before
    assert gan_export.next_version(base) == 2
    written = gan.export(base, version=1, overwrite=True)
    assert written == str(base / "1")
    assert not (base / "1" / "mine.txt").exists()
    assert (base / "1" / "saved_model.pb").read_bytes() != before
    assert sorted(os.listdir(base)) == ["1", "notes"]  # no temporary folders left
    with pytest.raises(ValueError, match="is itself a SavedModel"):
        gan.export(base / "1")
    with pytest.raises(FileExistsError, match="already exists"):
        gan.export(exported["root"] / "vae_flat", format="tf_saved_model")
    # A folder of other files is never replaced, even when asked.
    (base / "7").mkdir()
    (base / "7" / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError, match="no SavedModel; export will not replace"):
        gan.export(base, version=7, overwrite=True)
    with pytest.raises(FileExistsError, match="no SavedModel"):
        gan.export(base, format="tf_saved_model", overwrite=True)
    assert (base / "7" / "notes.txt").read_text() == "keep me"
    # An empty folder is simply used.
    (base / "empty").mkdir()
    assert gan.export(base / "empty", format="tf_saved_model") == str(base / "empty")


def test_bad_arguments_are_refused(tmp_path):
    gan = GAN(SubclassedGenerator(), _mlp_discriminator(), latent_dim=LATENT)
    with pytest.raises(ValueError, match='uint8 must be False, True or "only"; received 8'):
        gan.export(tmp_path, uint8=8)
    with pytest.raises(ValueError, match="platforms must be a non-empty subset"):
        gan.export(tmp_path, platforms=["gpu"])
    with pytest.raises(ValueError, match="version must be a non-negative integer; received -1"):
        gan.export(tmp_path, version=-1)
    with pytest.raises(TypeError, match="expects a GAN .* received str"):
        keras_gans.export_generator("model.keras", tmp_path)
    other = keras_gans.nets.build_mlp_generator((4, 4, 1), LATENT, hidden_units=(8,))
    dcgan = keras_gans.DCGAN(image_shape=SHAPE, latent_dim=LATENT, width=8)
    with pytest.raises(ValueError, match=r"generator= makes images of shape \(4, 4, 1\)"):
        dcgan.export(tmp_path, generator=other)
    flat = keras.Sequential([keras.Input((LATENT,)), layers.Dense(5)])
    with pytest.raises(ValueError, match=r"to one image tensor \(N, H, W, C\); it returns \[\(1, 5\)\]"):
        keras_gans.export_generator(flat, tmp_path)
    with pytest.raises(ValueError, match="format"):
        dcgan.export(tmp_path / "x", format="no_such_format")
    assert os.listdir(tmp_path) == []  # nothing written by refused exports


def test_platforms_reach_jax2tf(tmp_path):
    """Under JAX the networks are StableHLO lowered for the listed platforms;
    under TensorFlow they are a plain TF graph and `platforms` changes nothing."""
    from tensorflow.core.protobuf import saved_model_pb2

    gan = GAN(SubclassedGenerator(), _mlp_discriminator(), latent_dim=LATENT)
    found = {}
    for platforms in (None, ["cpu", "cuda"]):
        path = gan.export(tmp_path, platforms=platforms)
        proto = saved_model_pb2.SavedModel()
        with open(os.path.join(path, "saved_model.pb"), "rb") as f:
            proto.ParseFromString(f.read())
        seen = set()
        for function in proto.meta_graphs[0].graph_def.library.function:
            for node in function.node_def:
                if node.op == "XlaCallModule":
                    seen.add(tuple(p.decode() for p in node.attr["platforms"].list.s))
        found[str(platforms)] = seen
    if BACKEND == "jax":
        assert found == {"None": {("CPU",)}, "['cpu', 'cuda']": {("CPU", "CUDA")}}
    else:
        assert found == {"None": set(), "['cpu', 'cuda']": set()}


# --------------------------------------------- the example REST client


def _load_client():
    spec = importlib.util.spec_from_file_location(
        "serving_client", os.path.join(REPO, "examples", "serving_client.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class FakeServing(BaseHTTPRequestHandler):
    """TF Serving's REST predict API, for SavedModels loaded in-process:
    POST /v1/models/NAME[/versions/N]:predict with a row or columnar body."""

    models = {}  # name -> {version: loaded SavedModel}

    def log_message(self, *args):
        pass

    def _answer(self, code, payload):
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        import tensorflow as tf

        path = self.path
        if not (path.startswith("/v1/models/") and path.endswith(":predict")):
            return self._answer(404, {"error": f"Malformed request: POST {path}"})
        parts = path[len("/v1/models/"):-len(":predict")].split("/")
        versions = self.models.get(parts[0])
        if versions is None:
            return self._answer(404, {"error": f"Servable not found for request: Latest({parts[0]})"})
        version = int(parts[2]) if len(parts) == 3 else max(versions)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        fn = versions[version].signatures[body.get("signature_name", "serving_default")]
        specs = fn.structured_input_signature[1]
        try:
            if "instances" in body:
                rows = body["instances"]
                if not isinstance(rows[0], dict):
                    (only,) = specs
                    rows = [{only: row} for row in rows]
                columns = {k: [row[k] for row in rows] for k in specs}
            else:
                columns = body["inputs"]
                if not isinstance(columns, dict):
                    (only,) = specs
                    columns = {only: columns}
            tensors = {k: tf.constant(columns[k], dtype=specs[k].dtype) for k in specs}
            out = {k: v.numpy().tolist() for k, v in fn(**tensors).items()}
        except Exception as err:  # TF Serving answers 400 with the message
            return self._answer(400, {"error": getattr(err, "message", str(err))})
        if "instances" in body:
            n = len(next(iter(out.values())))
            if len(out) == 1:
                return self._answer(200, {"predictions": next(iter(out.values()))})
            return self._answer(200, {"predictions": [{k: v[i] for k, v in out.items()} for i in range(n)]})
        if len(out) == 1:
            return self._answer(200, {"outputs": next(iter(out.values()))})
        return self._answer(200, {"outputs": out})


@pytest.fixture(scope="module")
def server(exported):
    import tensorflow as tf

    dirs = exported["dirs"]
    FakeServing.models = {
        "digits": {1: tf.saved_model.load(dirs["live"]),
                   2: tf.saved_model.load(os.path.join(os.path.dirname(dirs["live"]), "2"))},
        "cdigits": {1: tf.saved_model.load(dirs["cond"])},
    }
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeServing)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def test_client_request_bodies():
    client = _load_client()
    z = np.arange(6, dtype="float32").reshape(3, 2)
    assert client.build_request({"z": z}, format="row") == {
        "signature_name": "serving_default",
        "instances": [{"z": [0.0, 1.0]}, {"z": [2.0, 3.0]}, {"z": [4.0, 5.0]}],
    }
    assert client.build_request({"z": z, "labels": [1, 2, 3]}) == {
        "signature_name": "serving_default",
        "inputs": {"z": z.tolist(), "labels": [1, 2, 3]},
    }
    body = client.build_request({"num_samples": 4, "seed": 7}, "sample")
    assert body == {"signature_name": "sample", "inputs": {"num_samples": 4, "seed": 7}}
    json.dumps(body)
    with pytest.raises(ValueError, match="scalars; use format='columnar'"):
        client.build_request({"num_samples": 4, "seed": 7}, "sample", format="row")
    with pytest.raises(ValueError, match="same number of rows"):
        client.build_request({"z": z, "labels": [1]}, format="row")
    assert client.predict_url("m", "http://h:1/", 3) == "http://h:1/v1/models/m/versions/3:predict"


def test_client_against_a_loopback_server(exported, server, tmp_path):
    client = _load_client()
    expect = exported["expect"]
    z = np.random.default_rng(5).standard_normal((7, LATENT)).astype("float32")
    url = client.predict_url("digits", server, version=1)
    row = client.post(url, client.build_request({"z": z}, format="row"))
    col = client.post(url, client.build_request({"z": z}))
    assert len(row["predictions"]) == 7 and set(row["predictions"][0]) == {"images", "pixels"}
    images = client.decode_response(row)
    np.testing.assert_allclose(images, client.decode_response(col), atol=1e-6)
    pixels = client.decode_response(col, "pixels")
    assert pixels.shape == (7,) + SHAPE and pixels.max() <= 255
    np.testing.assert_array_equal(pixels, to_uint8(images))
    # Version 2 (reloaded model, one output): the row answer has bare values.
    url2 = client.predict_url("digits", server)
    bare = client.post(url2, client.build_request({"z": z}, format="row"))
    assert isinstance(bare["predictions"][0], list)
    np.testing.assert_allclose(client.decode_response(bare), images, atol=1e-6)
    # The sample signature: no noise on the client side.
    answer = client.post(url, client.build_request({"num_samples": 7, "seed": 3}, "sample"))
    np.testing.assert_allclose(client.decode_response(answer), expect["sample7"]["images"], atol=1e-5)
    np.testing.assert_allclose(client.decode_response(answer, "z"), expect["sample7"]["z"], atol=1e-6)
    # Server errors come back as RuntimeError with the server's message.
    with pytest.raises(RuntimeError, match="(?s)answered 400.*num_samples must be >= 1"):
        client.post(url, client.build_request({"num_samples": 0, "seed": 3}, "sample"))
    with pytest.raises(RuntimeError, match="answered 404"):
        client.post(client.predict_url("nope", server), client.build_request({"z": z}))


def test_client_main_writes_pngs(server, tmp_path):
    client = _load_client()
    import matplotlib.image

    out = tmp_path / "c.png"
    rc = client.main(["--host", server, "--model", "cdigits", "--num", "8", "--labels", "3",
                      "--seed", "1", "--out", str(out)])
    assert rc == 0 and out.exists()
    picture = matplotlib.image.imread(out)
    assert picture.shape[0] > 8 and picture.std() > 0
    out2 = tmp_path / "d.png"
    rc = client.main(["--host", server, "--model", "digits", "--signature", "serving_default",
                      "--format", "row", "--num", "4", "--latent-dim", str(LATENT), "--out", str(out2)])
    assert rc == 0 and out2.exists()
    # Plain matplotlib, for clients without keras_gans.
    out3 = tmp_path / "e.png"
    client._save_png_matplotlib(np.zeros((5, 8, 8, 1)), str(out3))
    assert matplotlib.image.imread(out3).shape[:2] == (2 * 9 + 1, 3 * 9 + 1)
    assert client.main(["--host", server, "--model", "nope", "--out", str(tmp_path / "f.png")]) == 1
    assert not (tmp_path / "f.png").exists()
