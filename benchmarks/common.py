"""Shared pieces of the benchmarks: timing, the hand-written TensorFlow step,
the PyTorch subprocess, machine description and the results file.

Nothing here is imported by the library.
"""

import collections
import datetime
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS_JSONL = os.path.join(HERE, "results.jsonl")
RESULTS_MD = os.path.join(HERE, "results.md")


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


# ---------------------------------------------------------------------------
# The machine: CPU model and flags, versions, commit.

# The instruction-set flags that decide how fast a convolution can be.
CPU_FLAGS_OF_INTEREST = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16",
                         "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8")


def cpu_info(cpuinfo_text=None):
    """The CPU's model name and its vector flags that matter for GEMMs.

    Args:
        cpuinfo_text: the text of /proc/cpuinfo (read from the machine when
            None).

    Returns:
        `{"model": str, "flags": [the flags of CPU_FLAGS_OF_INTEREST it has]}`.

    Example:

    >>> cpu_info("model name : Xeon\\nflags : fpu avx2 fma avx512f\\n")
    {'model': 'Xeon', 'flags': ['avx2', 'fma', 'avx512f']}
    """
    if cpuinfo_text is None:
        try:
            with open("/proc/cpuinfo") as f:
                cpuinfo_text = f.read()
        except OSError:
            cpuinfo_text = ""
    model, flags = platform.processor() or "unknown", set()
    for line in cpuinfo_text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and model in ("unknown", platform.processor()):
            model = value.strip()
        elif key == "flags" and not flags:
            flags = set(value.split())
    return {"model": model, "flags": [f for f in CPU_FLAGS_OF_INTEREST if f in flags]}


def git_commit():
    """The worktree's commit (with "+dirty" when files differ from it), or None.

    Example:

    >>> isinstance(git_commit(), (str, type(None)))
    True
    """
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return (commit + ("+dirty" if dirty else "")) or None


def machine():
    """A short description of the machine and software the numbers come from.

    Example:

    >>> {"cpu", "cpu_flags", "cores", "commit"} <= set(machine())
    True
    """
    cpu = cpu_info()
    info = {
        "host": platform.node(),
        "cpu": cpu["model"],
        "cpu_flags": cpu["flags"],
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "commit": git_commit(),
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


def torch_python(explicit=None, environ=None, probe=True):
    """The interpreter that has torch, or None.

    Taken from `explicit` (the `--torch-python` flag), else from
    `$KERAS_GANS_TORCH_PYTHON`; there is no machine-specific default path.

    Args:
        explicit: the path given on the command line, or None.
        environ: the environment to read (default `os.environ`).
        probe: check that the interpreter imports torch.

    Returns:
        The path, or None when none was named or it cannot import torch.

    Example:

    >>> torch_python(None, environ={})
    >>> torch_python(None, environ={"KERAS_GANS_TORCH_PYTHON": "/x/python"},
    ...              probe=False)
    '/x/python'
    """
    environ = os.environ if environ is None else environ
    candidate = explicit or environ.get("KERAS_GANS_TORCH_PYTHON")
    if not candidate:
        return None
    if probe:
        try:
            done = subprocess.run([candidate, "-c", "import torch"],
                                  capture_output=True, timeout=120)
        except (OSError, subprocess.SubprocessError):
            return None
        if done.returncode != 0:
            return None
    return candidate


# ---------------------------------------------------------------------------
# Hygiene: how busy the machine was while a measurement ran.

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def load_average():
    """The 1-, 5- and 15-minute load averages (zeros where unknown).

    Example:

    >>> len(load_average())
    3
    """
    try:
        return tuple(round(v, 2) for v in os.getloadavg())
    except OSError:
        return (0.0, 0.0, 0.0)


def system_busy_seconds():
    """CPU seconds all processes of the machine have run, all cores summed
    (from /proc/stat: everything but idle and iowait); None where unknown.

    Example:

    >>> system_busy_seconds() is None or system_busy_seconds() > 0
    True
    """
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal (guest is inside user)
    busy = sum(fields[:8]) - fields[3] - fields[4]
    return busy / _TICKS


def process_cpu_seconds(pid):
    """CPU seconds (user + system, all threads) process `pid` has run.

    Example:

    >>> process_cpu_seconds(os.getpid()) >= 0
    True
    """
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return 0.0
    fields = text.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def wait_for_quiet(own_threads=0, max_other_load=0.5, timeout=180.0, poll=5.0,
                   log=None, sleep=None, read_load=None):
    """Wait until the 1-minute load average, less `own_threads`, is at most
    `max_other_load`, or `timeout` seconds have passed.

    The load average lags by about a minute: workers that just warmed up in
    parallel (or a job that just ended) keep it high although nothing runs.
    Waiting for it to settle before the first timed round keeps that lag out
    of the busy verdict; a machine that stays loaded is still judged busy.

    Returns `(quiet, seconds_waited, load)`.

    Example:

    >>> wait_for_quiet(own_threads=64, timeout=0)[0]
    True
    """
    import time

    sleep = sleep or time.sleep
    read_load = read_load or (lambda: load_average()[0])
    waited = 0.0
    while True:
        load = read_load()
        if load - own_threads <= max_other_load:
            return True, waited, load
        if waited >= timeout:
            return False, waited, load
        if log:
            log(f"waiting for the load average to settle: {load:.2f}")
        sleep(poll)
        waited += poll


def judge_load(load_before, load_after, foreign_share, own_threads,
               max_other_load=0.5, max_foreign_share=0.10):
    """Whether a measurement ran on a busy machine, and why.

    Two signals, either of which marks it busy:

    - the 1-minute load average before or after, less the benchmark's own
      `own_threads` (its contribution cannot exceed them), above
      `max_other_load` runnable threads of other jobs;
    - `foreign_share`: the share of all cores' time that other processes
      used during the measurement (None where unmeasured), above
      `max_foreign_share`.

    Args:
        load_before, load_after: 1-minute load averages.
        foreign_share: float in [0, 1] or None.
        own_threads: the threads the benchmark computes with.
        max_other_load: runnable threads of other jobs tolerated.
        max_foreign_share: share of the machine other jobs may use.

    Returns:
        `(busy, reason)`; `reason` is "" when quiet.

    Example:

    >>> judge_load(0.3, 2.1, 0.02, own_threads=2)
    (False, '')
    >>> judge_load(5.0, 6.0, 0.01, own_threads=2)[0]
    True
    >>> judge_load(0.1, 0.2, 0.40, own_threads=2)
    (True, 'other processes used 40% of the CPUs')
    """
    reasons = []
    other = max(load_before, load_after) - own_threads
    if other > max_other_load:
        reasons.append(f"load average {max(load_before, load_after):.2f} is "
                       f"{other:.2f} above the benchmark's {own_threads} threads")
    if foreign_share is not None and foreign_share > max_foreign_share:
        reasons.append(f"other processes used {100 * foreign_share:.0f}% of the CPUs")
    return bool(reasons), "; ".join(reasons)


def run_verdict(busy_flags, max_busy_fraction=0.5):
    """Whether a whole run counts as busy: more than `max_busy_fraction` of
    its measurements were busy.

    Example:

    >>> run_verdict([False, True, False, False])
    False
    >>> run_verdict([True, True, False])
    True
    >>> run_verdict([])
    False
    """
    flags = list(busy_flags)
    return bool(flags) and sum(flags) / len(flags) > max_busy_fraction


class LoadProbe:
    """Reads the load average and the machine's CPU time around a
    measurement, and splits the CPU time into ours and everyone else's.

    Args:
        pids: the processes that do the benchmark's work (their CPU time is
            not foreign); this process is always included.
        own_threads: the threads the benchmark computes with (see
            `judge_load`).
        cores: the machine's core count (default `os.cpu_count()`).

    Example:

    ```python
    probe = LoadProbe([worker.pid], own_threads=2)
    probe.start()
    worker.run(20)
    record = probe.stop()   # load_before, load_after, foreign_share, busy, ...
    ```
    """

    def __init__(self, pids=(), own_threads=1, cores=None):
        self.pids = sorted(set(pids) | {os.getpid()})
        self.own_threads = own_threads
        self.cores = cores or os.cpu_count() or 1
        self._start = None

    def _own_seconds(self):
        return sum(process_cpu_seconds(pid) for pid in self.pids)

    def start(self):
        self._start = (load_average(), time.perf_counter(), system_busy_seconds(),
                       self._own_seconds())

    def stop(self):
        load_before, wall_start, busy_start, own_start = self._start
        wall = time.perf_counter() - wall_start
        busy_end, own = system_busy_seconds(), self._own_seconds() - own_start
        load_after = load_average()
        foreign = None
        if busy_start is not None and busy_end is not None and wall > 0:
            foreign = max(0.0, (busy_end - busy_start - own) / (wall * self.cores))
        busy, reason = judge_load(load_before[0], load_after[0], foreign,
                                  self.own_threads)
        return {"load_before": load_before, "load_after": load_after,
                "foreign_share": foreign, "own_cpu_seconds": own, "wall_seconds": wall,
                "busy": busy, "reason": reason}


# ---------------------------------------------------------------------------
# Workers: every variant runs in its own process behind a tiny line
# protocol, so that variants needing different environments (threads,
# oneDNN, XLA flags, another framework) alternate round by round in one run.
#
#   worker -> "READY {json}"       once built and warmed up
#   parent -> "run N"              worker runs N steps, blocks until done,
#   worker -> "DONE seconds"       and answers the wall seconds they took
#   parent -> "gemm"               worker measures its framework's GEMM rate
#   worker -> "GEMM flop_per_s"
#   parent -> "quit"


def serve(run_steps, info, gemm=None, stdin=None, stdout=None):
    """The worker's side of the protocol: announce, then answer commands.

    Args:
        run_steps: `run_steps(n)` runs n steps and blocks until done.
        info: a JSON-able dict sent with READY (parameters, FLOPs, ...).
        gemm: a function returning the framework's GEMM rate in FLOP/s.
        stdin, stdout: streams (default the process's own).

    Example:

    >>> import io
    >>> out = io.StringIO()
    >>> serve(lambda n: None, {"name": "x"}, gemm=lambda: 1e9,
    ...       stdin=io.StringIO("run 3\\ngemm\\nquit\\n"), stdout=out)
    >>> [line.split()[0] for line in out.getvalue().splitlines()]
    ['READY', 'DONE', 'GEMM']
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    print("READY " + json.dumps(info), file=stdout, flush=True)
    for line in stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "run":
            n = int(words[1])
            start = time.perf_counter()
            run_steps(n)
            print(f"DONE {time.perf_counter() - start!r}", file=stdout, flush=True)
        elif words[0] == "gemm":
            print(f"GEMM {gemm() if gemm else 'nan'}", file=stdout, flush=True)
        else:
            print(f"ERROR unknown command {line.strip()!r}", file=stdout, flush=True)


class Worker:
    """A variant running in a subprocess that speaks `serve`'s protocol.

    Args:
        name: the variant's name in tables.
        argv: the command starting the worker.
        env: extra environment variables for it.
        timeout: seconds to wait for READY.

    Example:

    ```python
    w = Worker("torch eager", [python, "benchmarks/torch_dcgan.py", "--serve"])
    seconds = w.run(20)          # wall seconds for 20 steps
    w.close()
    ```
    """

    def __init__(self, name, argv, env=None, timeout=900, wait=True):
        self.name = name
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.env = dict(env or {})
        self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, env=full_env,
                                      bufsize=1)
        self.pid = self._proc.pid
        # Drain stderr (framework logs) so that a full pipe never blocks the
        # worker; keep the tail for error messages.
        self._stderr = collections.deque(maxlen=200)
        self._drain = threading.Thread(target=self._drain_stderr, daemon=True)
        self._drain.start()
        self.info = None
        if wait:
            self.wait_ready()

    def wait_ready(self):
        """Block until the worker has built and warmed up; returns its info."""
        if self.info is None:
            self.info = json.loads(self._read("READY"))
        return self.info

    def _drain_stderr(self):
        for line in self._proc.stderr:
            self._stderr.append(line)

    def _read(self, tag):
        while True:
            line = self._proc.stdout.readline()
            if not line:
                self._proc.wait()
                self._drain.join(timeout=10)
                err = "".join(self._stderr)[-1500:]
                raise RuntimeError(f"worker {self.name!r} ended before {tag}: {err}")
            if line.startswith(tag + " "):
                return line[len(tag) + 1:].strip()
            if line.startswith("ERROR"):
                raise RuntimeError(f"worker {self.name!r}: {line.strip()}")

    def run(self, steps):
        """Run `steps` steps in the worker; returns the wall seconds."""
        self._proc.stdin.write(f"run {int(steps)}\n")
        self._proc.stdin.flush()
        return float(self._read("DONE"))

    def gemm(self):
        """The worker framework's GEMM rate in FLOP/s."""
        self._proc.stdin.write("gemm\n")
        self._proc.stdin.flush()
        return float(self._read("GEMM"))

    def quit(self):
        """Ask the worker to end (without waiting for it)."""
        try:
            self._proc.stdin.write("quit\n")
            self._proc.stdin.flush()
        except (OSError, ValueError):
            pass

    def close(self, timeout=120):
        """Ask the worker to end and wait for it (killed after `timeout`)."""
        self.quit()
        try:
            self._proc.wait(timeout=timeout)
        except subprocess.SubprocessError:
            self._proc.kill()


def close_all(workers):
    """End several workers at once: all are asked first, then awaited."""
    for worker in workers:
        worker.quit()
    for worker in workers:
        worker.close()


def round_orders(names, repeats):
    """The order of the variants in each round: every round visits each
    variant once, and the starting variant rotates, so no variant always
    runs first (after an idle pause) or last.

    Example:

    >>> round_orders(["a", "b", "c"], 4)
    [['a', 'b', 'c'], ['b', 'c', 'a'], ['c', 'a', 'b'], ['a', 'b', 'c']]
    """
    names = list(names)
    return [names[r % len(names):] + names[:r % len(names)] for r in range(repeats)]


def alternate(workers, steps, repeats, warmup_steps=3, own_threads=1, log=None,
              gemm_workers=()):
    """Time workers in alternating rounds with the same step counts.

    Each variant gets `warmup_steps` untimed steps, then `repeats` timed
    runs of exactly `steps` steps, one per round (see `round_orders`), each
    wrapped in a `LoadProbe`. The workers named in `gemm_workers` also
    measure their framework's GEMM rate once per round, so that the rate a
    step is compared with was taken under the same load.

    Args:
        workers: `{name: Worker}`.
        steps, repeats, warmup_steps: counts, the same for every variant.
        own_threads: threads each variant computes with (for `judge_load`).
        log: optional `print`-like function for progress.
        gemm_workers: names of workers whose GEMM rate is measured per round.

    Returns:
        `{name: {"seconds": [per-step seconds of each round],
        "probes": [LoadProbe records], "gemm": [FLOP/s per round, for
        gemm_workers]}}`.

    Example:

    ```python
    timed = alternate({"tf": tf_worker, "torch": torch_worker}, 20, 7)
    statistics.median(timed["tf"]["seconds"])
    ```
    """
    for worker in workers.values():
        if warmup_steps:
            worker.run(warmup_steps)
    timed = {name: {"seconds": [], "probes": [], "gemm": []} for name in workers}
    for r, order in enumerate(round_orders(workers, repeats)):
        for name in order:
            probe = LoadProbe([workers[name].pid], own_threads=own_threads)
            probe.start()
            seconds = workers[name].run(steps)
            record = probe.stop()
            record["steps"] = steps
            timed[name]["seconds"].append(seconds / steps)
            timed[name]["probes"].append(record)
        for name in gemm_workers:
            timed[name]["gemm"].append(workers[name].gemm())
        if log:
            log(f"round {r + 1}/{repeats}: load {load_average()[0]:.2f}")
    return timed


def summarize(seconds, probes):
    """Median, fastest and load figures of one variant's timed rounds.

    Example:

    `cpu_median` is the median CPU time per step of the benchmark's own
    processes (all threads): less sensitive to other jobs than wall time,
    but it counts threads that spin while waiting.

    >>> p = {"load_before": (0.5, 0, 0), "load_after": (1.5, 0, 0),
    ...      "foreign_share": 0.05, "busy": False, "own_cpu_seconds": 4.0,
    ...      "steps": 20}
    >>> s = summarize([0.2, 0.1, 0.3], [p, p, p])
    >>> (s["median"], s["fastest"], s["load_min"], s["load_max"], s["busy_rounds"])
    (0.2, 0.1, 0.5, 1.5, 0)
    >>> s["cpu_median"]
    0.2
    """
    loads = [p["load_before"][0] for p in probes] + [p["load_after"][0] for p in probes]
    foreign = [p["foreign_share"] for p in probes if p["foreign_share"] is not None]
    cpu = [p["own_cpu_seconds"] / p["steps"] for p in probes
           if p.get("own_cpu_seconds") is not None and p.get("steps")]
    return {
        "median": statistics.median(seconds),
        "cpu_median": statistics.median(cpu) if cpu else None,
        "fastest": min(seconds),
        "rounds": len(seconds),
        "load_min": min(loads) if loads else None,
        "load_max": max(loads) if loads else None,
        "foreign_share_median": statistics.median(foreign) if foreign else None,
        "busy_rounds": sum(bool(p["busy"]) for p in probes),
    }


def equal_step_counts(records):
    """Check that every variant was timed over the same rounds and steps.

    Args:
        records: `{name: {"rounds": int, "steps": int, "warmup_steps": int}}`.

    Raises:
        ValueError: naming the variants whose counts differ.

    Example:

    >>> equal_step_counts({"tf": {"rounds": 7, "steps": 20, "warmup_steps": 3},
    ...                    "torch": {"rounds": 7, "steps": 20, "warmup_steps": 3}})
    >>> equal_step_counts({"tf": {"rounds": 7, "steps": 20, "warmup_steps": 3},
    ...                    "torch": {"rounds": 3, "steps": 5, "warmup_steps": 3}})
    Traceback (most recent call last):
    ...
    ValueError: unequal step counts: tf: 7 x 20 (+3), torch: 3 x 5 (+3)
    """
    counts = {name: (r["rounds"], r["steps"], r["warmup_steps"])
              for name, r in records.items()}
    if len(set(counts.values())) > 1:
        raise ValueError("unequal step counts: " + ", ".join(
            f"{n}: {c[0]} x {c[1]} (+{c[2]})" for n, c in counts.items()))


# ---------------------------------------------------------------------------
# FLOPs of a two-phase step, counted from the networks' layers.


def layer_macs(layer):
    """Multiply-adds of one forward pass of a Dense, Conv2D or
    Conv2DTranspose layer for one image (0 for other layers).

    A transposed convolution costs input pixels x kernel area x input
    channels x output channels (each input pixel scatters a kernel).

    Example:

    >>> import keras
    >>> x = keras.Input((7, 7, 128))
    >>> layer = keras.layers.Conv2DTranspose(64, 4, strides=2, padding="same")
    >>> _ = layer(x)
    >>> layer_macs(layer)
    6422528
    """
    import keras

    inner = getattr(layer, "layer", layer)  # SpectralNormalization
    if isinstance(inner, keras.layers.Dense):
        return int(inner.kernel.shape[0]) * int(inner.kernel.shape[1])
    if isinstance(inner, keras.layers.Conv2DTranspose):
        kh, kw, cout, cin = inner.kernel.shape
        _, h, w, _ = layer.input.shape
        return int(h) * int(w) * int(kh) * int(kw) * int(cin) * int(cout)
    if isinstance(inner, keras.layers.Conv2D):
        kh, kw, cin, cout = inner.kernel.shape
        _, h, w, _ = layer.output.shape
        return int(h) * int(w) * int(kh) * int(kw) * int(cin) * int(cout)
    return 0


def network_macs(model):
    """`(forward MACs per image, MACs of the first MAC layer)` of a model.

    Example:

    >>> import keras
    >>> m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),
    ...                       keras.layers.Dense(2)])
    >>> network_macs(m)
    (18, 12)
    """
    macs = [layer_macs(layer) for layer in model.layers]
    macs = [m for m in macs if m]
    return sum(macs), (macs[0] if macs else 0)


def gan_step_flops(generator, discriminator, batch_size):
    """FLOPs of one two-phase GAN step (the matrix work only).

    Counted as the step computes it (2 FLOPs per multiply-add): discriminator
    phase: G forward, D forward on real and fake, D's weight gradients and
    the input gradients behind its first layer, for both batches; generator
    phase: G and D forward, D's input gradients (all layers), G's weight
    gradients and input gradients behind its first layer. Batch norm,
    activations and the optimizers are left out.

    Example:

    >>> import keras
    >>> g = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3)])
    >>> d = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    >>> gan_step_flops(g, d, batch_size=1)   # D phase 6+6+6+0, G phase 6+3+3+6+0
    72
    """
    g, g_first = network_macs(generator)
    d, d_first = network_macs(discriminator)
    d_phase = g + 2 * d + 2 * d + 2 * (d - d_first)
    g_phase = g + d + d + g + (g - g_first)
    return 2 * batch_size * (d_phase + g_phase)
