"""Shared pieces of the benchmarks: timing, the hand-written TensorFlow step,
the PyTorch subprocess, machine description and the results file.

Nothing here is imported by the library.
"""

import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS_JSONL = os.path.join(HERE, "results.jsonl")
RESULTS_MD = os.path.join(HERE, "results.md")
DEFAULT_TORCH_PYTHON = "/work/torchvenv/bin/python"


def median_step_seconds(run_steps, steps, repeats, warmup=1):
    """Median seconds per step over `repeats` timings of `run_steps(steps)`.

    `run_steps(n)` must run n steps and block until they are done.
    `warmup` untimed calls come first (tracing, compilation, allocation).
    """
    for _ in range(warmup):
        run_steps(steps)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run_steps(steps)
        times.append((time.perf_counter() - start) / steps)
    return statistics.median(times), times


def interleaved_step_seconds(runners, steps, repeats, warmup=1):
    """Like `median_step_seconds` for several variants at once, timed
    round-robin so that load drift on a shared machine hits all alike.

    Returns `{name: (median seconds per step, [all timings])}`.
    """
    for run in runners.values():
        for _ in range(warmup):
            run(steps)
    times = {name: [] for name in runners}
    for _ in range(repeats):
        for name, run in runners.items():
            start = time.perf_counter()
            run(steps)
            times[name].append((time.perf_counter() - start) / steps)
    return {name: (statistics.median(t), t) for name, t in times.items()}


def machine():
    """A short description of the machine the numbers come from."""
    info = {
        "host": platform.node(),
        "cpu": _cpu_name(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
    }
    try:
        import keras

        info["keras"] = keras.__version__
        info["backend"] = keras.backend.backend()
        if info["backend"] == "tensorflow":
            import tensorflow as tf

            info["tensorflow"] = tf.__version__
        elif info["backend"] == "jax":
            import jax

            info["jax"] = jax.__version__
            info["device"] = str(jax.devices()[0].device_kind)
    except Exception as error:  # pragma: no cover - description only
        info["error"] = repr(error)
    return info


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def command_line():
    return " ".join(
        [f"KERAS_BACKEND={os.environ.get('KERAS_BACKEND', '')}", "python"]
        + [shlex.quote(a) for a in sys.argv]
    )


def append_results(benchmark, rows, table, notes=()):
    """Append rows to results.jsonl and the printed table to results.md."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    info = machine()
    command = command_line()
    with open(RESULTS_JSONL, "a") as f:
        for row in rows:
            record = {"date": stamp, "benchmark": benchmark, "command": command,
                      "machine": info}
            record.update(row)
            f.write(json.dumps(record) + "\n")
    with open(RESULTS_MD, "a") as f:
        f.write(f"\n## {benchmark}, {stamp}\n\n")
        f.write(f"Machine: {json.dumps(info)}\n\n")
        f.write(f"Command: `{command}`\n\n")
        f.write(table.rstrip() + "\n")
        for note in notes:
            f.write(f"\n{note}\n")


def format_table(headers, rows):
    """A GitHub markdown table from a header list and row lists."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
        if n == 0:
            lines.append("| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def handwritten_tf_step(generator, discriminator, d_optimizer, g_optimizer, latent_dim):
    """The minimal hand-written two-phase TensorFlow step the library is
    compared against: tf.function + GradientTape, the non-saturating loss,
    no metrics. Returns a tf.function of a batch of real images."""
    import tensorflow as tf

    def bce(logits, target):
        logits = tf.cast(logits, "float32")
        return tf.reduce_mean(
            target * tf.nn.softplus(-logits) + (1.0 - target) * tf.nn.softplus(logits)
        )

    d_vars = discriminator.trainable_variables
    g_vars = generator.trainable_variables

    @tf.function
    def step(real):
        batch = tf.shape(real)[0]
        z = tf.random.normal((batch, latent_dim))
        fake = tf.stop_gradient(generator(z, training=True))
        with tf.GradientTape() as tape:
            d_loss = bce(discriminator(real, training=True), 1.0) + bce(
                discriminator(fake, training=True), 0.0
            )
        d_optimizer.apply(tape.gradient(d_loss, d_vars), d_vars)
        z = tf.random.normal((batch, latent_dim))
        with tf.GradientTape() as tape:
            g_loss = bce(discriminator(generator(z, training=True), training=True), 1.0)
        g_optimizer.apply(tape.gradient(g_loss, g_vars), g_vars)
        return d_loss, g_loss

    return step


def torch_python(explicit=None):
    """The interpreter that has torch: --torch-python, $KERAS_GANS_TORCH_PYTHON,
    /work/torchvenv/bin/python, or this interpreter; None if none has torch."""
    candidates = [explicit, os.environ.get("KERAS_GANS_TORCH_PYTHON"),
                  DEFAULT_TORCH_PYTHON, sys.executable]
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        probe = subprocess.run([candidate, "-c", "import torch"], capture_output=True)
        if probe.returncode == 0:
            return candidate
    return None


def run_torch_dcgan(python, image_shape, latent_dim, width, batch_size, steps,
                    repeats, threads=None):
    """Time the plain PyTorch DCGAN (benchmarks/torch_dcgan.py) in a subprocess.

    Returns its JSON dict, or a dict with "error".
    """
    args = [python, os.path.join(HERE, "torch_dcgan.py"),
            "--image-shape", ",".join(map(str, image_shape)),
            "--latent-dim", str(latent_dim), "--width", str(width),
            "--batch-size", str(batch_size), "--steps", str(steps),
            "--repeats", str(repeats)]
    if threads:
        args += ["--threads", str(threads)]
    result = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    return {"error": (result.stderr or result.stdout)[-800:]}
