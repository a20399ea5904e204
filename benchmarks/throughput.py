"""Images per second and peak memory for every registered GAN family.

For each family that `keras_gans.list_models()` finds, at its preset's
shape (the `<family>_mnist` preset when the zoo has presets, else the
fallback shapes below) and at two batch sizes, one subprocess per
measurement (so that peak memory is that configuration's own):

- keras_gans: the library's `train_step` as `fit()` compiles it
  (`tf.function` on TensorFlow, `jax.jit` with donated state on JAX), timed
  after warm-up, median of repeats;
- hand-written: on TensorFlow, for families whose step is the base
  two-phase step (vanilla GAN, DCGAN), the minimal tf.function +
  GradientTape step over the same networks and optimizers, and the ratio;
- PyTorch: a plain PyTorch DCGAN of the same architecture
  (benchmarks/torch_dcgan.py) for the DCGAN rows, with the same steps and
  repeats, run with the interpreter named by `--torch-python` or
  $KERAS_GANS_TORCH_PYTHON; skipped with a note when none is named. Its
  subprocess runs after the library's, not alternating with it: for the
  comparison with PyTorch use benchmarks/train_step.py, which alternates.

Every measurement records the load average before and after it; a run with
more than half its measurements on a busy machine (`common.judge_load`) is
not recorded unless `--record-busy`, and then its title says BUSY.

On JAX with a GPU the table adds the XLA cost analysis' FLOPs per step and
the share of the GPU's matrix throughput (`--peak-tflops`, default the
H100 SXM's dense TF32 figure for float32 policies and bf16 figure for
`--policy mixed_bfloat16`).

Peak memory: the process's peak resident set (CPU), or the device's
`peak_bytes_in_use` (GPU). Results are appended to benchmarks/results.md
and benchmarks/results.jsonl with the date, machine and command.

    KERAS_BACKEND=tensorflow python benchmarks/throughput.py
    KERAS_BACKEND=jax python benchmarks/throughput.py --batch-sizes 64,1024 --torch
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import common  # noqa: E402

# Used when the zoo has no preset for a family (or no presets at all).
FALLBACK_ARCHITECTURES = {
    "dcgan": {"image_shape": (28, 28, 1), "latent_dim": 100, "width": 64},
    "vanilla_gan": {"image_shape": (28, 28, 1), "latent_dim": 100},
    "wgan_gp": {"image_shape": (28, 28, 1), "latent_dim": 100, "width": 64},
}
DEFAULT_ARCHITECTURE = {"image_shape": (28, 28, 1)}
# Dense peak TFLOP/s of an H100 SXM (datasheet): TF32 and BF16 tensor cores.
PEAK_TFLOPS = {"float32": 494.7, "mixed_bfloat16": 989.4, "mixed_float16": 989.4}


def architecture(family):
    """(source, constructor arguments) for a family's benchmark shape."""
    import keras_gans

    if hasattr(keras_gans, "list_presets"):
        names = keras_gans.list_presets(family=family)
        preferred = [n for n in names if n.endswith("_mnist")] or names
        if preferred:
            arch = dict(keras_gans.get_preset(preferred[0])["architecture"])
            arch["image_shape"] = tuple(arch["image_shape"])
            return preferred[0], arch
    if family in FALLBACK_ARCHITECTURES:
        return "fallback", dict(FALLBACK_ARCHITECTURES[family])
    return "default", dict(DEFAULT_ARCHITECTURE)


def uses_base_step(model):
    """Whether the model's step is the base two-phase non-saturating step."""
    from keras_gans.models.base import GAN

    cls = type(model)
    return (
        cls.phases is GAN.phases
        and cls.discriminator_loss is GAN.discriminator_loss
        and cls.generator_loss is GAN.generator_loss
        and not model.regularizers
        and model.augmentation is None
        and model.d_steps == 1
        and model.gan_loss.name == "non_saturating"
        and not hasattr(model, "num_classes")
    )


def make_batch(model, batch_size, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    images = np.tanh(rng.standard_normal((batch_size, *model.image_shape))).astype("float32")
    if hasattr(model, "num_classes"):
        labels = rng.integers(0, int(model.num_classes), batch_size).astype("int32")
        return (images, labels)
    return images


def peak_memory_mb():
    import keras

    if keras.backend.backend() == "jax":
        import jax

        device = jax.devices()[0]
        if device.platform != "cpu":
            stats = device.memory_stats() or {}
            if "peak_bytes_in_use" in stats:
                return stats["peak_bytes_in_use"] / 2**20, "device peak_bytes_in_use"
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "process peak RSS"


def measure_one(family, batch_size, steps, repeats, policy):
    """Run in a subprocess: time one family at one batch size; return a dict."""
    import keras

    if policy != "float32":
        keras.config.set_dtype_policy(policy)
    import keras_gans

    source, arch = architecture(family)
    keras.utils.set_random_seed(0)
    model = keras_gans.get(family, **arch)
    model.compile()
    data = make_batch(model, batch_size)
    backend = keras.backend.backend()
    result = {"family": family, "batch_size": batch_size, "architecture": source,
              "image_shape": list(model.image_shape), "policy": policy,
              "params": int(model.count_params())}

    if backend == "tensorflow":
        import tensorflow as tf

        data = keras.tree.map_structure(tf.constant, data)
        step = tf.function(model.train_step)

        def run(n):
            logs = None
            for _ in range(n):
                logs = step(data)
            [float(v) for v in logs.values()]

        run_library = run
    else:
        import jax

        step = jax.jit(model.train_step, donate_argnums=0)
        state = [
            tuple(
                [v.value for v in group]
                for group in (model.trainable_variables, model.non_trainable_variables,
                              model.optimizer.variables, model.metrics_variables)
            )
        ]
        data = keras.tree.map_structure(jax.numpy.asarray, data)
        try:
            compiled = step.lower(state[0], data).compile()
            cost = compiled.cost_analysis()
            if isinstance(cost, (list, tuple)):
                cost = cost[0]
            result["flops_per_step"] = float(cost.get("flops", 0.0)) or None
        except Exception as error:  # cost analysis is informative only
            result["flops_note"] = repr(error)[:200]

        def run(n):
            logs = None
            for _ in range(n):
                logs, state[0] = step(state[0], data)
            jax.block_until_ready(state[0])

        run_library = run

    runners = {"library": run_library}
    if backend == "tensorflow" and uses_base_step(model):
        twin = keras_gans.get(family, **arch)
        d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        d_opt.build(twin.discriminator.trainable_variables)
        g_opt.build(twin.generator.trainable_variables)
        hand = common.handwritten_tf_step(
            twin.generator, twin.discriminator, d_opt, g_opt, model.latent_dim)

        def run_hand(n):
            out = None
            for _ in range(n):
                out = hand(data)
            [float(v) for v in out]

        runners["handwritten"] = run_hand
    timed = common.interleaved_step_seconds(runners, steps, repeats, warmup=1)
    seconds, times = timed["library"]
    result.update(seconds_per_step=seconds, images_per_second=batch_size / seconds,
                  all_seconds=times)
    if "handwritten" in timed:
        hand_seconds, hand_times = timed["handwritten"]
        result["handwritten_seconds_per_step"] = hand_seconds
        result["handwritten_all_seconds"] = hand_times
        result["ratio_to_handwritten"] = seconds / hand_seconds
    result["peak_memory_mb"], result["memory_kind"] = peak_memory_mb()
    return result


def run_subprocess(family, batch_size, args):
    command = [sys.executable, os.path.abspath(__file__), "--one", family,
               "--batch-size", str(batch_size), "--steps", str(args.steps),
               "--repeats", str(args.repeats), "--policy", args.policy]
    started = time.time()
    done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"family": family, "batch_size": batch_size,
            "error": (done.stderr or done.stdout).strip().splitlines()[-1:]
            if (done.stderr or done.stdout) else f"exit {done.returncode}",
            "seconds": time.time() - started}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--families", default="*",
                        help="shell pattern over keras_gans.list_models()")
    parser.add_argument("--batch-sizes", default="32,128")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--policy", default="float32",
                        choices=["float32", "mixed_float16", "mixed_bfloat16"])
    parser.add_argument("--torch", action="store_true", help="add PyTorch DCGAN rows")
    parser.add_argument("--torch-python", default=None)
    parser.add_argument("--record-busy", action="store_true",
                        help="record a busy run (flagged BUSY) instead of refusing")
    parser.add_argument("--peak-tflops", type=float, default=None,
                        help="the accelerator's dense matrix peak, for the share")
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()

    if args.one:
        print("RESULT " + json.dumps(
            measure_one(args.one, args.batch_size, args.steps, args.repeats, args.policy)))
        return

    import keras

    import keras_gans

    backend = keras.backend.backend()
    families = keras_gans.list_models(args.families)
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    accelerator = None
    if backend == "jax":
        import jax

        device = jax.devices()[0]
        if device.platform != "cpu":
            accelerator = device.device_kind
    peak = args.peak_tflops or (PEAK_TFLOPS[args.policy] if accelerator else None)

    rows, notes, table_rows, busy_flags = [], [], [], []
    torch_python = common.torch_python(args.torch_python) if args.torch else None
    if args.torch and torch_python is None:
        notes.append("PyTorch rows skipped: no interpreter with torch found (pass "
                     "--torch-python or set KERAS_GANS_TORCH_PYTHON).")
    for family in families:
        for batch_size in batch_sizes:
            load_before = common.load_average()
            result = run_subprocess(family, batch_size, args)
            load_after = common.load_average()
            busy, reason = common.judge_load(load_before[0], load_after[0], None,
                                             own_threads=os.cpu_count())
            result.update(load_before=load_before, load_after=load_after, busy=busy,
                          busy_reason=reason)
            busy_flags.append(busy)
            rows.append(result)
            if "error" in result:
                notes.append(f"{family} at batch {batch_size} failed: {result['error']}")
                table_rows.append([family, "?", batch_size, "failed", "", "", "", "", ""])
                continue
            share = ""
            if peak and result.get("flops_per_step"):
                achieved = result["flops_per_step"] / result["seconds_per_step"] / 1e12
                result["achieved_tflops"] = achieved
                result["share_of_peak"] = achieved / peak
                share = (f"{result['flops_per_step'] / 1e9:.2f} GFLOP/step, "
                         f"{achieved:.1f} TF/s = {100 * achieved / peak:.2f}%")
            ratio = result.get("ratio_to_handwritten")
            table_rows.append([
                family, "x".join(map(str, result["image_shape"])), batch_size,
                f"{result['images_per_second']:.0f}",
                f"{result['peak_memory_mb']:.0f}",
                f"{ratio:.3f}" if ratio else "n/a", share, "",
                f"{load_before[0]:.2f} / {load_after[0]:.2f}" + (" BUSY" if busy else ""),
            ])
            if args.torch and torch_python and family == "dcgan":
                arch = architecture(family)[1]
                load_before = common.load_average()
                torch_result = common.run_torch_dcgan(
                    torch_python, result["image_shape"], arch.get("latent_dim", 100),
                    arch.get("width", 64), batch_size, args.steps, args.repeats,
                    threads=None if accelerator else os.cpu_count())
                load_after = common.load_average()
                busy, reason = common.judge_load(load_before[0], load_after[0], None,
                                                 own_threads=os.cpu_count())
                torch_result.update(load_before=load_before, load_after=load_after,
                                    busy=busy, busy_reason=reason)
                busy_flags.append(busy)
                torch_result.update(family="dcgan (PyTorch)", batch_size=batch_size)
                rows.append(torch_result)
                if "error" in torch_result:
                    notes.append(f"PyTorch DCGAN failed: {torch_result['error']}")
                else:
                    table_rows.append([
                        "dcgan (plain PyTorch)", "x".join(map(str, result["image_shape"])),
                        batch_size, f"{torch_result['images_per_second']:.0f}",
                        f"{torch_result['peak_rss_mb']:.0f} (RSS)", "", "",
                        f"{result['images_per_second'] / torch_result['images_per_second']:.2f}",
                        f"{load_before[0]:.2f} / {load_after[0]:.2f}"
                        + (" BUSY" if busy else ""),
                    ])
    missing = sorted(set(FALLBACK_ARCHITECTURES) - set(keras_gans.list_models()))
    if missing:
        notes.append(f"Not registered on this branch, not measured: {', '.join(missing)}.")
    where = accelerator or "CPU"
    busy_run = common.run_verdict(busy_flags)
    title = (f"throughput: {backend} on {where}, policy {args.policy}, median of "
             f"{args.repeats} x {args.steps} steps after warm-up"
             + (" [BUSY]" if busy_run else ""))
    headers = ["family", "shape", "batch", "images/s", "peak MB",
               "ratio to hand-written TF (time)", "FLOP rate = share of peak",
               "keras_gans / PyTorch speed", "load avg before / after"]
    table = common.format_table(headers, table_rows)
    print(title)
    print(table)
    for note in notes:
        print(note)
    if peak:
        print(f"Share of peak against {peak} TFLOP/s (dense, {args.policy}).")
        notes.append(f"Share of peak against {peak} TFLOP/s (dense, {args.policy}); "
                     "FLOPs per step from XLA's cost analysis of the compiled step.")
    cpu = common.cpu_info()
    notes.append(f"CPU: {cpu['model']}, {os.cpu_count()} cores, flags "
                 f"{' '.join(cpu['flags'])}. PyTorch rows ran after the library's, "
                 "not alternating; benchmarks/train_step.py alternates them.")
    if args.no_save:
        return
    if busy_run and not args.record_busy:
        print("NOT RECORDED: more than half of the measurements ran on a busy "
              "machine; rerun when it is quiet or pass --record-busy.")
        return
    common.append_results(title, rows, table, notes)


if __name__ == "__main__":
    main()
