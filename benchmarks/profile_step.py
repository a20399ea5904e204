"""Where a DCGAN train step's time goes, op by op, on one backend.

Builds the step that benchmarks/train_step.py times (DCGAN 28x28x1, batch
64, latent 100, width 64, Adam(2e-4, beta_1=0.5)), warms it up, profiles
`--steps` steps and prints the top ops by self time with their share of
the profiled total, plus the step's wall and CPU time per step.

- `--backend torch`: the library's fit() step on Keras' torch backend
  (`model.train_function`, as `fit()` calls it), under `torch.profiler`
  (with `record_shapes`; `--group-shapes` splits rows by input shape).
- `--backend pytorch`: the hand-written PyTorch step of
  benchmarks/torch_dcgan.py, the same way, for comparison.
- `--backend jax`: the library's fit() step on JAX (jitted as the JAX
  trainer jits it), under `jax.profiler.trace`; the trace's XLA ops
  (thunks: fusions, convolutions, custom calls) are summed by name and
  by kind. The HLO of the step can be written with `--dump-hlo DIR`.
  XLA flags come from `$XLA_FLAGS` as usual.
- `--backend tensorflow`: the library's fit() step on TensorFlow under
  `tf.profiler`'s trace, summed the same way.

    KERAS_BACKEND=torch python benchmarks/profile_step.py --backend torch
    python benchmarks/profile_step.py --backend pytorch
    KERAS_BACKEND=jax python benchmarks/profile_step.py --backend jax --top 30

The KERAS_BACKEND variable is set from `--backend` when it is not set.
Shares are of the summed self time of all profiled ops (on torch that
includes the Python-side overhead that the profiler attributes to no op
only as the gap between the ops' total and the wall time, printed too).
"""

import argparse
import collections
import glob
import gzip
import json
import os
import re
import resource
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)


def _batch(batch_size, image_shape):
    import numpy as np

    rng = np.random.default_rng(0)
    return np.tanh(rng.standard_normal((batch_size, *image_shape))).astype("float32")


def _cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(run, steps):
    start, cpu = time.perf_counter(), _cpu_seconds()
    run(steps)
    return (time.perf_counter() - start) / steps, (_cpu_seconds() - cpu) / steps


def _library_gan(args):
    import keras

    import keras_gans
    from keras_gans import nets

    keras.utils.set_random_seed(0)
    image_shape = tuple(int(v) for v in args.image_shape.split(","))
    generator = nets.build_dcgan_generator(image_shape, args.latent_dim, args.width)
    discriminator = nets.build_dcgan_discriminator(image_shape, args.width)
    model = keras_gans.GAN(generator, discriminator, latent_dim=args.latent_dim, seed=0)
    model.compile()
    return model, _batch(args.batch_size, image_shape)


def _print_table(title, rows, total_us, steps, wall, cpu, top):
    """rows: (name, self_us, calls) summed over `steps` steps."""
    print(title)
    print(f"step: {wall * 1e3:.1f} ms wall, {cpu * 1e3:.1f} ms CPU per step "
          f"(outside the profiler); profiled ops' self time "
          f"{total_us / steps / 1e3:.1f} ms per step")
    print(f"{'op':<58} {'ms/step':>8} {'share':>6} {'calls/step':>10}")
    for name, us, calls in sorted(rows, key=lambda r: -r[1])[:top]:
        print(f"{name[:58]:<58} {us / steps / 1e3:8.2f} {100 * us / total_us:5.1f}% "
              f"{calls / steps:10.1f}")


# ---------------------------------------------------------------- torch


def _torch_profile(run, args, title):
    import torch
    from torch.profiler import ProfilerActivity, profile

    run(args.warmup)
    wall, cpu = _timed(run, args.steps)
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
        run(args.steps)
    averages = prof.key_averages(group_by_input_shape=args.group_shapes)
    rows = []
    for event in averages:
        name = event.key
        if args.group_shapes:
            name = f"{name} {event.input_shapes}"
        rows.append((name, event.self_cpu_time_total, event.count))
    total = sum(r[1] for r in rows)
    _print_table(f"{title} (torch {torch.__version__}, {torch.get_num_threads()} threads)",
                 rows, total, args.steps, wall, cpu, args.top)
    _print_kinds(rows, total, _torch_kind)


def _print_kinds(rows, total, kind_of):
    """One line: each kind of op's share of the total self time
    (`rows`: (name, microseconds, count)).

    Example:

    >>> _print_kinds([("conv", 3.0, 1), ("add", 1.0, 1)], 4.0, lambda n: n)
    by kind: conv 75%, add 25%
    """
    kinds = collections.Counter()
    for name, us, _ in rows:
        kinds[kind_of(name)] += us
    print("by kind: " + ", ".join(f"{k} {100 * v / total:.0f}%"
                                  for k, v in kinds.most_common()))


def _torch_kind(name):
    name = name.split(" ")[0]
    if re.search(r"conv|mkldnn_convolution|slow_conv", name):
        return "convolution"
    if "batch_norm" in name:
        return "batch norm"
    if re.search(r"addmm|mm$|linear|matmul", name):
        return "matmul"
    if re.search(r"permute|contiguous|copy_|clone|transpose|reshape|view|as_strided|"
                 r"empty|zeros|fill_|expand|cat|stack", name):
        return "layout / copies / allocation"
    if re.search(r"foreach|_fused_adam|add_|mul_|addcmul|addcdiv|sqrt|div_|lerp", name):
        return "optimizer-like in-place arithmetic"
    return "other element-wise / bookkeeping"


def torch_library(args):
    import keras  # noqa: F401
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)
    model, batch = _library_gan(args)
    model.make_train_function()
    fn = model.train_function
    data = [torch.from_numpy(batch)]

    def run(n):
        for _ in range(n):
            logs = fn(data)
        float(logs["d_loss"])

    _torch_profile(run, args, "keras_gans fit() step on Keras' torch backend")


def torch_handwritten(args):
    import torch

    import torch_dcgan

    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    h, w, c = (int(v) for v in args.image_shape.split(","))
    g = torch_dcgan.Generator((h, w, c), args.latent_dim, args.width)
    d = torch_dcgan.Discriminator((h, w, c), args.width)
    d_opt = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    g_opt = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = torch.nn.BCEWithLogitsLoss()
    real = torch.rand(args.batch_size, c, h, w) * 2 - 1
    ones, zeros = torch.ones(args.batch_size, 1), torch.zeros(args.batch_size, 1)

    def step():
        z = torch.randn(args.batch_size, args.latent_dim)
        with torch.no_grad():
            fake = g(z)
        d_opt.zero_grad(set_to_none=True)
        (bce(d(real), ones) + bce(d(fake), zeros)).backward()
        d_opt.step()
        z = torch.randn(args.batch_size, args.latent_dim)
        g_opt.zero_grad(set_to_none=True)
        bce(d(g(z)), ones).backward()
        g_opt.step()

    def run(n):
        for _ in range(n):
            step()

    _torch_profile(run, args, "hand-written PyTorch eager step (benchmarks/torch_dcgan.py)")


# ---------------------------------------------------------------- jax


def _trace_events(logdir):
    """The complete events of the trace.json.gz files that a profiler wrote
    (converting xplane.pb with the profiler's own converter when needed)."""
    paths = glob.glob(os.path.join(logdir, "**", "*.trace.json.gz"), recursive=True)
    if not paths:
        xplanes = glob.glob(os.path.join(logdir, "**", "*.xplane.pb"), recursive=True)
        if not xplanes:
            raise RuntimeError(f"no trace written under {logdir}")
        from tensorflow.python.profiler.internal import _pywrap_profiler_plugin as plugin

        raw = plugin.xspace_to_tools_data([xplanes[0]], "trace_viewer")
        data = raw[0] if isinstance(raw, tuple) else raw
        return json.loads(data)["traceEvents"]
    with gzip.open(paths[0]) as f:
        return json.load(f)["traceEvents"]


def _xla_kind(name):
    n = name.lower()
    if "[" in n:  # the origin from the HLO metadata says what it computes
        origin = n.split("[", 1)[1]
        if "conv_general_dilated" in origin:
            return "convolution (incl. transposed and gradients)"
        if "dot_general" in origin:
            return "matmul (dot)"
        if "reduce" in origin or "mean" in origin or "sum" in origin:
            return "reduction (batch-norm moments, losses, bias grads)"
    if "convolution" in n or n.startswith("conv"):
        return "convolution (incl. transposed and gradients)"
    if re.match(r"(dot|gemm|matmul)", n) or ".dot" in n or n.startswith("dot"):
        return "matmul (dot)"
    if "reduce" in n:
        return "reduction (batch-norm moments, losses, bias grads)"
    if "fusion" in n:
        return "element-wise fusion"
    if "copy" in n or "transpose" in n:
        return "copy / transpose"
    return "other"


def _hlo_origins(hlo_text):
    """XLA op name -> the JAX/TF op it came from ("network/layer/op"), from
    the `op_name` metadata of the optimized HLO (a fusion's name alone, say
    `ynn_fusion.4`, does not say that it is a convolution run by YNNPACK)."""
    origins = {}
    for match in re.finditer(r"%([\w.-]+) = [^\n]*?op_name=\"([^\"]+)\"", hlo_text):
        parts = [p for p in match.group(2).split("/") if p and not p.startswith("jit(")]
        origins[match.group(1)] = "/".join(parts[-3:])
    return origins


#: Waiting, not work: a thread-pool join is the time the caller's thread
#: waited for the pool's workers, whose ops are counted themselves.
_WAITS = re.compile(r"ThreadPool::Await|Await$")


def _summarize_xla(events, steps, wall, cpu, args, title, origins=None):
    pids = {}
    for e in events:
        if e.get("ph") == "M" and e.get("name") == "process_name":
            pids[e["pid"]] = e["args"]["name"]
    rows = collections.defaultdict(lambda: [0.0, 0])
    skip = re.compile(r"^(PjitFunction|pjit|ExecuteHelper|Execute|PjRt|XlaModule|"
                      r"ThunkExecutor|TfrtCpu|ProcessInputs|xla::|jit_|"
                      r"\$|TraceMe|Thunk::Execute)")
    for e in events:
        if e.get("ph") != "X" or "dur" not in e:
            continue
        name = e.get("name", "")
        if skip.search(name):
            continue
        if _WAITS.search(name):
            continue
        hlo = (e.get("args") or {}).get("hlo_op") or name
        if origins and hlo in origins:
            hlo = f"{hlo} [{origins[hlo]}]"
        rows[hlo][0] += float(e["dur"])
        rows[hlo][1] += 1
    table = [(k, v[0], v[1]) for k, v in rows.items()]
    total = sum(r[1] for r in table)
    if not total:
        print("the trace held no XLA op events; names seen:",
              sorted({e.get("name") for e in events if e.get("ph") == "X"})[:40])
        return
    _print_table(title, table, total, steps, wall, cpu, args.top)
    _print_kinds(table, total, _xla_kind)


def jax_library(args):
    import jax

    model, batch = _library_gan(args)
    step = jax.jit(model.train_step, donate_argnums=0)
    state = [tuple([v.value for v in group] for group in (
        model.trainable_variables, model.non_trainable_variables,
        model.optimizer.variables, model.metrics_variables))]
    data = jax.numpy.asarray(batch)
    hlo_text = step.lower(state[0], data).compile().as_text()
    if args.dump_hlo:
        os.makedirs(args.dump_hlo, exist_ok=True)
        with open(os.path.join(args.dump_hlo, "train_step.hlo.txt"), "w") as f:
            f.write(hlo_text)
        print(f"optimized HLO written to {args.dump_hlo}/train_step.hlo.txt")

    def run(n):
        for _ in range(n):
            _, state[0] = step(state[0], data)
        jax.block_until_ready(state[0])

    run(args.warmup)
    wall, cpu = _timed(run, args.steps)
    logdir = tempfile.mkdtemp(prefix="profile_step_jax_")
    with jax.profiler.trace(logdir, create_perfetto_trace=True):
        run(args.steps)
    events = _trace_events(logdir)
    _summarize_xla(events, args.steps, wall, cpu, args,
                   f"keras_gans fit() step on JAX {jax.__version__} "
                   f"(XLA_FLAGS={os.environ.get('XLA_FLAGS', '')!r})",
                   origins=_hlo_origins(hlo_text))


def tf_library(args):
    import tensorflow as tf

    model, batch = _library_gan(args)
    model.make_train_function()
    fn = model.train_function
    iterator = iter(tf.data.Dataset.from_tensors(tf.constant(batch)).repeat())

    def run(n):
        for _ in range(n):
            logs = fn(iterator)
        float(logs["d_loss"])

    run(args.warmup)
    wall, cpu = _timed(run, args.steps)
    logdir = tempfile.mkdtemp(prefix="profile_step_tf_")
    tf.profiler.experimental.start(logdir)
    run(args.steps)
    tf.profiler.experimental.stop()
    events = _trace_events(logdir)
    _summarize_xla(events, args.steps, wall, cpu, args,
                   f"keras_gans fit() step on TensorFlow {tf.__version__}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", required=True,
                        choices=["torch", "pytorch", "jax", "tensorflow"])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--image-shape", default="28,28,1")
    parser.add_argument("--latent-dim", type=int, default=100)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0,
                        help="torch threads (default: torch's own)")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--group-shapes", action="store_true",
                        help="torch: one row per op and input shapes")
    parser.add_argument("--dump-hlo", default=None, help="jax: write the optimized HLO here")
    args = parser.parse_args()
    if args.backend != "pytorch":
        os.environ.setdefault("KERAS_BACKEND", args.backend)
        if os.environ["KERAS_BACKEND"] != args.backend:
            parser.error(f"KERAS_BACKEND={os.environ['KERAS_BACKEND']} but "
                         f"--backend {args.backend}")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    {"torch": torch_library, "pytorch": torch_handwritten, "jax": jax_library,
     "tensorflow": tf_library}[args.backend](args)


if __name__ == "__main__":
    main()
