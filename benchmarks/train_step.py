"""Time the DCGAN train step against a minimal hand-written TensorFlow step.

DCGAN for 28x28x1 images at batch 64 (keras_gans.DCGAN defaults: latent 100,
width 64), on the TensorFlow backend. In the same run and process:

- hand-written: tf.function + GradientTape over the same networks (built by
  keras_gans.nets with the same seed) and the same optimizers (Adam 2e-4,
  beta_1 0.5), the non-saturating loss, no metrics;
- keras_gans train_step: `tf.function(model.train_step)` on the same batch;
- keras_gans fit() step: the function `fit()` runs per step
  (`make_train_function()` over an iterator of the batch), which adds the
  distribution-strategy wrapper and the data iterator;
- optionally the plain PyTorch DCGAN (benchmarks/torch_dcgan.py) in a
  subprocess, skipped with a note when no interpreter with torch is found.

Warm-up calls are excluded; each figure is the median over repeats of
`--steps` steps. Variants are interleaved round-robin so that drift of the
machine hits all of them alike. Prints a table with the ratios to the
hand-written step and appends it to benchmarks/results.md and
benchmarks/results.jsonl.

    KERAS_BACKEND=tensorflow python benchmarks/train_step.py
    KERAS_BACKEND=tensorflow python benchmarks/train_step.py --steps 20 --repeats 7 --torch
"""

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import common  # noqa: E402
import keras_gans  # noqa: E402


def build_pair(image_shape, latent_dim, width):
    keras.utils.set_random_seed(0)
    return keras_gans.DCGAN(image_shape=image_shape, latent_dim=latent_dim, width=width, seed=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--image-shape", default="28,28,1")
    parser.add_argument("--latent-dim", type=int, default=100)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--torch", action="store_true", help="add the PyTorch row")
    parser.add_argument("--torch-python", default=None)
    parser.add_argument("--torch-steps", type=int, default=5,
                        help="steps per timing for the (slow on CPU) PyTorch row")
    parser.add_argument("--no-save", action="store_true")
    args = parser.parse_args()
    if keras.backend.backend() != "tensorflow":
        print(f"train_step.py compares against a TensorFlow step; the backend is "
              f"{keras.backend.backend()!r}. Run with KERAS_BACKEND=tensorflow "
              "(benchmarks/throughput.py covers JAX).")
        return
    import tensorflow as tf

    image_shape = tuple(int(v) for v in args.image_shape.split(","))
    rng = np.random.default_rng(0)
    batch = tf.constant(
        np.tanh(rng.standard_normal((args.batch_size, *image_shape))).astype("float32")
    )

    # The library's model.
    model = build_pair(image_shape, args.latent_dim, args.width)
    model.compile()
    library_step = tf.function(model.train_step)
    model.make_train_function()
    train_function = model.train_function
    iterator = iter(tf.data.Dataset.from_tensors(batch).repeat())

    # The hand-written step over the same networks and optimizers.
    twin = build_pair(image_shape, args.latent_dim, args.width)
    d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
    g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
    d_opt.build(twin.discriminator.trainable_variables)
    g_opt.build(twin.generator.trainable_variables)
    hand_step = common.handwritten_tf_step(
        twin.generator, twin.discriminator, d_opt, g_opt, args.latent_dim
    )

    def runner(fn, arg_fn):
        def run(n):
            out = None
            for _ in range(n):
                out = fn(arg_fn())
            keras.tree.map_structure(
                lambda t: t.numpy() if hasattr(t, "numpy") else t, out
            )
        return run

    variants = {
        "hand-written tf.function": runner(hand_step, lambda: batch),
        "keras_gans train_step": runner(library_step, lambda: batch),
        "keras_gans fit() step": runner(train_function, lambda: iterator),
    }
    for run in variants.values():  # warm-up: tracing and first allocations
        run(3)
    times = {name: [] for name in variants}
    cpu_times = {name: [] for name in variants}
    for _ in range(args.repeats):
        for name, run in variants.items():
            start, cpu_start = time.perf_counter(), time.process_time()
            run(args.steps)
            times[name].append((time.perf_counter() - start) / args.steps)
            cpu_times[name].append((time.process_time() - cpu_start) / args.steps)
    medians = {name: statistics.median(t) for name, t in times.items()}
    base = medians["hand-written tf.function"]
    # The fastest repeat is the least disturbed by other jobs on a shared
    # machine; its ratio is reported beside the median's.
    fastest = {name: min(t) for name, t in times.items()}
    base_fastest = fastest["hand-written tf.function"]
    # CPU seconds used by this process per step (all threads): the work a
    # step costs, much less sensitive than wall time to other jobs.
    cpu = {name: statistics.median(t) for name, t in cpu_times.items()}
    base_cpu = cpu["hand-written tf.function"]

    rows, table_rows, notes = [], [], []
    for name, seconds in medians.items():
        spread = (max(times[name]) - min(times[name])) / seconds
        rows.append({"variant": name, "seconds_per_step": seconds,
                     "images_per_second": args.batch_size / seconds,
                     "ratio_to_handwritten": seconds / base,
                     "fastest_seconds_per_step": fastest[name],
                     "ratio_to_handwritten_fastest": fastest[name] / base_fastest,
                     "cpu_seconds_per_step": cpu[name],
                     "ratio_to_handwritten_cpu": cpu[name] / base_cpu,
                     "all_seconds": times[name]})
        table_rows.append([name, f"{seconds * 1e3:.1f}", f"{args.batch_size / seconds:.0f}",
                           f"{seconds / base:.3f}", f"{fastest[name] * 1e3:.1f}",
                           f"{fastest[name] / base_fastest:.3f}", f"{cpu[name] * 1e3:.1f}",
                           f"{cpu[name] / base_cpu:.3f}", f"{spread * 100:.0f}%"])
    if args.torch:
        python = common.torch_python(args.torch_python)
        if python is None:
            notes.append("PyTorch row skipped: no interpreter with torch found "
                         "(pass --torch-python or set KERAS_GANS_TORCH_PYTHON).")
        else:
            result = common.run_torch_dcgan(
                python, image_shape, args.latent_dim, args.width, args.batch_size,
                args.torch_steps, min(args.repeats, 3), threads=os.cpu_count())
            if "error" in result:
                notes.append(f"PyTorch row failed: {result['error']}")
            else:
                seconds = result["seconds_per_step"]
                rows.append({"variant": "PyTorch (plain)", "seconds_per_step": seconds,
                             "images_per_second": args.batch_size / seconds,
                             "ratio_to_handwritten": seconds / base, "torch": result})
                table_rows.append(["PyTorch (plain, subprocess)", f"{seconds * 1e3:.1f}",
                                   f"{args.batch_size / seconds:.0f}",
                                   f"{seconds / base:.3f}", "", "", "", "", ""])
    table = common.format_table(
        ["step", "ms/step (median)", "images/s", "ratio to hand-written",
         "ms/step (fastest)", "ratio (fastest)", "CPU ms/step", "ratio (CPU time)",
         "spread"], table_rows)
    title = (f"DCGAN {image_shape[0]}x{image_shape[1]}x{image_shape[2]}, batch "
             f"{args.batch_size}, latent {args.latent_dim}, width {args.width}; median of "
             f"{args.repeats} x {args.steps} steps after warm-up")
    print(title)
    print(table)
    for note in notes:
        print(note)
    if not args.no_save:
        common.append_results("train_step: " + title, rows, table, notes)


if __name__ == "__main__":
    main()
