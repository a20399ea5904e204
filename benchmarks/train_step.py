"""Time the DCGAN train step: the library, a hand-written TF step, PyTorch,
and the speed levers, side by side in one run.

DCGAN for 28x28x1 images at batch 64 (keras_gans.DCGAN defaults: latent 100,
width 64, Adam(2e-4, beta_1=0.5)). Every variant runs in its own worker
process (benchmarks/common.py's line protocol), so that variants needing
another environment (threads, oneDNN, XLA flags, another framework) are
timed in the same run. Hygiene:

- the same warm-up steps and the same `--repeats` x `--steps` timed steps
  for every variant, PyTorch included;
- rounds alternate: each round times every variant once, the starting
  variant rotating;
- around every timing: the load average before and after, and the share of
  the CPUs that other processes used (from /proc); a timing is flagged busy
  when other jobs' load exceeds `--max-other-load` runnable threads or their
  share exceeds `--max-foreign-share`, and a run with more than half its
  timings busy is not recorded unless `--record-busy` (then its title says
  BUSY);
- the machine's GEMM rate (float32 2048^3 matrix product, measured by the
  TF and the torch worker in every round, under the round's load) and each
  step's share of it, from the step's matrix FLOPs counted layer by layer
  (`common.gan_step_flops`);
- the CPU model and its vector flags, versions, the commit and the command.

Variant sets (`--set`):

- `main`: hand-written tf.function step, keras_gans train_step, keras_gans
  fit() step, PyTorch eager (and `--torch-compile`, `--jax` rows);
- `backends`: the library's fit() step on each Keras backend (TensorFlow,
  JAX, PyTorch) beside plain PyTorch eager;
- `levers`: the library's fit() step with its defaults (the baseline) and
  one lever each: TF threading, oneDNN off, XLA on the whole step / on one
  phase, resize-convolution upsampling, Keras' own batch norm instead of the
  library's fused kernel (the step before that lever), sharing the
  generator's forward between the phases, and the best combination;
- `phases`: the hand-written TF step and PyTorch's, and each part alone
  (G forward, D phase, G phase, Adam), to see where TF loses or wins time;
- `jax`: the library's step on JAX with XLA's CPU flags.

Or name variants with `--variants a,b,c` (see `--list`).

`--isa native,avx2` times every variant twice in the same alternating
rounds: as the CPU runs it, and with every framework's kernels capped at
AVX2 (oneDNN in TF and torch, ATen's dispatch, MKL, XLA's code generation;
see `ISA_CAPS`). That is how a run on an AVX-512 machine also answers for an
AVX2-only CPU of the same make; each row's "vs PyTorch eager" is taken
against PyTorch under the same cap. The cap changes the instructions, not
the chip's caches or clocks: a real AVX2-only CPU can still differ.

    KERAS_GANS_TORCH_PYTHON=/path/to/venv/bin/python \\
        python benchmarks/train_step.py --set main --steps 20 --repeats 7
    python benchmarks/train_step.py --set levers --steps 10 --repeats 5

PyTorch rows need an interpreter with torch, named by `--torch-python` or
`$KERAS_GANS_TORCH_PYTHON`; without one they are skipped with a note.
Results are printed and appended to benchmarks/results.md and .jsonl.
"""

import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
sys.path.insert(0, HERE)

import common  # noqa: E402

# Each variant: what the worker builds (spec) and the environment it needs.
# spec keys: step ("fit", "train_step", "handwritten"), upsampling,
# kernel_size, jit (False, True, "d_phase", "g_phase"), inter_op, intra_op,
# keras_bn (Keras' BatchNormalization instead of the library's fused one),
# share_forward, framework ("tf", "torch", "jax"). The hand-written steps
# use Keras' own layers unless they say "fused BN".
VARIANTS = {
    "hand-written TF": ({"step": "handwritten", "keras_bn": True}, {}),
    "keras_gans train_step": ({"step": "train_step"}, {}),
    "keras_gans fit()": ({"step": "fit"}, {}),
    "PyTorch eager": ({"framework": "torch"}, {}),
    "PyTorch torch.compile": ({"framework": "torch", "compile": True}, {}),
    # GNU OpenMP spin-waits at its barriers by default; with other jobs on
    # the cores that makes PyTorch's step many times slower (see
    # docs/scaling.md). Passive waiting is the setting for a shared machine.
    "PyTorch eager + OMP_WAIT_POLICY=PASSIVE": ({"framework": "torch"},
                                               {"OMP_WAIT_POLICY": "PASSIVE"}),
    "keras_gans JAX fit()": ({"framework": "jax", "step": "fit"}, {}),
    # The library's fit() step on Keras' PyTorch backend (KERAS_BACKEND=torch):
    # the same networks and step as the TF row, run eagerly by torch.
    "keras_gans torch fit()": ({"framework": "keras_torch", "step": "fit"}, {}),
    # The torch row as it was before keras_gans.backend._torch's kernels:
    # Keras' own conv / conv_transpose (NCHW copies around every call, a
    # cropped transposed convolution) and Keras' composed batch norm.
    "torch fit() + Keras kernels (before)": (
        {"framework": "keras_torch", "step": "fit"},
        {"KERAS_GANS_TORCH_FAST_KERNELS": "0"}),
    # Levers, each on the library's fit() step unless it says otherwise.
    "fit + inter-op 1": ({"step": "fit", "inter_op": 1}, {}),
    "fit + inter-op 1 + intra-op 2": ({"step": "fit", "inter_op": 1, "intra_op": 2}, {}),
    "fit + inter-op 2 + intra-op 1": ({"step": "fit", "inter_op": 2, "intra_op": 1}, {}),
    "fit + oneDNN off": ({"step": "fit"}, {"TF_ENABLE_ONEDNN_OPTS": "0"}),
    "fit + XLA whole step": ({"step": "fit", "jit": True}, {}),
    "hand-written TF + XLA on D phase": ({"step": "handwritten", "jit": "d_phase",
                                          "keras_bn": True}, {}),
    "hand-written TF + XLA on G phase": ({"step": "handwritten", "jit": "g_phase",
                                          "keras_bn": True}, {}),
    "fit + resize-conv k4": ({"step": "fit", "upsampling": "resize"}, {}),
    "fit + resize-conv k3": ({"step": "fit", "upsampling": "resize",
                             "g_kernel_size": 3}, {}),
    # The library's BatchNormalization is one fused kernel on TensorFlow since
    # this lever won (1.16x); this row is the step as it was before.
    "fit + Keras batch norm (before)": ({"step": "fit", "keras_bn": True}, {}),
    "hand-written TF + fused BN": ({"step": "handwritten"}, {}),
    "hand-written TF + shared G forward": ({"step": "handwritten", "keras_bn": True,
                                           "share_forward": True}, {}),
    "hand-written TF + fused BN + shared G forward": (
        {"step": "handwritten", "share_forward": True}, {}),
    # The JAX row as it was before keras_gans.backend._jax's conv_transpose
    # kernel gradient (XLA CPU's slow batch-contracting convolution).
    "JAX fit() + Keras conv_transpose gradient (before)": (
        {"framework": "jax", "step": "fit"}, {"KERAS_GANS_JAX_FAST_KERNELS": "0"}),
    "JAX fit() + XLA default flags": ({"framework": "jax", "step": "fit"}, {}),
    "JAX fit() + no multi-thread Eigen": (
        {"framework": "jax", "step": "fit"},
        {"XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false"}),
    "JAX fit() + oneDNN in XLA": (
        {"framework": "jax", "step": "fit"}, {"XLA_FLAGS": "--xla_cpu_use_onednn=true"}),
    "JAX fit() + fast math": (
        {"framework": "jax", "step": "fit"},
        {"XLA_FLAGS": "--xla_cpu_enable_fast_math=true"}),
}

# Environment that caps every framework's CPU kernels at one instruction set.
# Each is read at import by its library: oneDNN (TF's and torch's
# convolutions and matrix products), ATen's vectorized kernels, MKL (torch's
# BLAS), XLA's LLVM code generation (JAX).
ISA_CAPS = {
    "native": {},
    "avx2": {"ONEDNN_MAX_CPU_ISA": "AVX2", "DNNL_MAX_CPU_ISA": "AVX2",
             "ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
             "XLA_FLAGS": "--xla_cpu_max_isa=AVX2"},
}


def isa_of(name):
    """The kernel cap a registered variant runs under ("native" unless capped)."""
    return VARIANTS[name][0].get("isa", "native")


def capped_variant(name, isa):
    """The variant `name` under the kernel cap `isa` (a key of ISA_CAPS).

    Registers it in VARIANTS under "<name> [<ISA> cap]" and returns that
    name; "native" returns `name` unchanged. XLA flags are joined, so a JAX
    lever keeps its own flags.

    Example:

    ```python
    capped_variant("PyTorch eager", "avx2")   # 'PyTorch eager [AVX2 cap]'
    ```
    """
    if isa not in ISA_CAPS:
        raise ValueError(f"--isa: unknown instruction-set cap {isa!r}; "
                         f"expected one of {sorted(ISA_CAPS)}")
    if isa == "native":
        return name
    spec, env = VARIANTS[name]
    capped_env = dict(ISA_CAPS[isa])
    for key, value in env.items():
        capped_env[key] = (f"{value} {capped_env[key]}"
                           if key == "XLA_FLAGS" and key in capped_env else value)
    capped = f"{name} [{isa.upper()} cap]"
    VARIANTS[capped] = (dict(spec, isa=isa), capped_env)
    return capped


for _phase, _label in (("g_forward", "G forward"), ("d_phase", "D phase"),
                       ("g_phase", "G phase"), ("adam", "Adam only")):
    VARIANTS[f"TF {_label}"] = ({"step": "phase", "phase": _phase, "keras_bn": True}, {})
    VARIANTS[f"PyTorch {_label}"] = ({"framework": "torch", "phase": _phase}, {})

SETS = {
    "main": ["hand-written TF", "keras_gans train_step", "keras_gans fit()",
             "PyTorch eager"],
    # One row per backend's fit() step beside plain PyTorch (issue 19).
    "backends": ["keras_gans fit()", "keras_gans JAX fit()", "keras_gans torch fit()",
                 "PyTorch eager"],
    "levers": ["keras_gans fit()", "fit + inter-op 1", "fit + inter-op 1 + intra-op 2",
               "fit + oneDNN off", "fit + XLA whole step",
               "hand-written TF", "hand-written TF + XLA on D phase",
               "hand-written TF + XLA on G phase",
               "fit + resize-conv k4", "fit + resize-conv k3", "fit + Keras batch norm (before)",
               "hand-written TF + shared G forward"],
    "phases": ["hand-written TF", "PyTorch eager", "TF G forward", "PyTorch G forward",
               "TF D phase", "PyTorch D phase", "TF G phase", "PyTorch G phase",
               "TF Adam only", "PyTorch Adam only"],
    # The torch backend's levers beside plain PyTorch (issue 19).
    "torch": ["keras_gans torch fit()", "torch fit() + Keras kernels (before)",
              "PyTorch eager"],
    "jax": ["keras_gans fit()", "JAX fit() + XLA default flags",
            "JAX fit() + Keras conv_transpose gradient (before)",
            "JAX fit() + no multi-thread Eigen", "JAX fit() + oneDNN in XLA",
            "JAX fit() + fast math"],
}


# ---------------------------------------------------------------------------
# The worker side.


def _batch(batch_size, image_shape):
    import numpy as np

    rng = np.random.default_rng(0)
    return np.tanh(rng.standard_normal((batch_size, *image_shape))).astype("float32")


def _keras_batch_norm(model):
    """The same network with Keras' own BatchNormalization layers in place of
    keras_gans' (whose training call is one fused kernel on TensorFlow)."""
    import keras

    from keras_gans.layers import BatchNormalization

    def clone(layer):
        if isinstance(layer, BatchNormalization):
            return keras.layers.BatchNormalization.from_config(layer.get_config())
        return layer.__class__.from_config(layer.get_config())

    clone_ = keras.models.clone_model(model, clone_function=clone)
    clone_.set_weights(model.get_weights())
    return clone_


def build_networks(spec, image_shape, latent_dim, width):
    """The generator and discriminator a variant trains (seeded)."""
    import keras

    from keras_gans import nets

    keras.utils.set_random_seed(0)
    generator = nets.build_dcgan_generator(
        image_shape, latent_dim, width,
        kernel_size=spec.get("g_kernel_size", 4),
        upsampling=spec.get("upsampling", "transpose"))
    discriminator = nets.build_dcgan_discriminator(image_shape, width)
    if spec.get("keras_bn"):
        generator, discriminator = _keras_batch_norm(generator), _keras_batch_norm(discriminator)
    return generator, discriminator


def handwritten_step(generator, discriminator, d_opt, g_opt, latent_dim, jit=False,
                     share_forward=False):
    """The hand-written two-phase TF step, with the levers that need it.

    jit: "d_phase" / "g_phase" compile that phase with XLA (True: both).
    share_forward: the generator phase reuses the discriminator phase's
    noise and generator forward pass (as PyTorch's DCGAN example does),
    instead of drawing fresh noise and running G again. The gradients are
    exactly those of the two-phase step with the same noise in both phases;
    G's batch-norm moving statistics are updated once instead of twice.
    """
    import tensorflow as tf

    def bce(logits, target):
        logits = tf.cast(logits, "float32")
        return tf.reduce_mean(
            target * tf.nn.softplus(-logits) + (1.0 - target) * tf.nn.softplus(logits))

    d_vars = discriminator.trainable_variables
    g_vars = generator.trainable_variables
    d_jit = jit is True or jit == "d_phase"
    g_jit = jit is True or jit == "g_phase"

    @tf.function(jit_compile=d_jit or None)
    def d_phase(real, fake):
        with tf.GradientTape() as tape:
            loss = bce(discriminator(real, training=True), 1.0) + bce(
                discriminator(fake, training=True), 0.0)
        d_opt.apply(tape.gradient(loss, d_vars), d_vars)
        return loss

    @tf.function(jit_compile=g_jit or None)
    def g_phase(z):
        with tf.GradientTape() as tape:
            loss = bce(discriminator(generator(z, training=True), training=True), 1.0)
        g_opt.apply(tape.gradient(loss, g_vars), g_vars)
        return loss

    @tf.function(jit_compile=g_jit or None)
    def generate(z):
        return generator(z, training=True)

    @tf.function
    def step(real):
        batch = tf.shape(real)[0]
        z = tf.random.normal((batch, latent_dim))
        fake = tf.stop_gradient(generate(z))
        d_loss = d_phase(real, fake)
        z = tf.random.normal((batch, latent_dim))
        g_loss = g_phase(z)
        return d_loss, g_loss

    @tf.function
    def shared_step(real):
        batch = tf.shape(real)[0]
        z = tf.random.normal((batch, latent_dim))
        with tf.GradientTape() as g_tape:
            fake = generator(z, training=True)
            with g_tape.stop_recording():
                with tf.GradientTape() as d_tape:
                    d_loss = bce(discriminator(real, training=True), 1.0) + bce(
                        discriminator(tf.stop_gradient(fake), training=True), 0.0)
                d_opt.apply(d_tape.gradient(d_loss, d_vars), d_vars)
            g_loss = bce(discriminator(fake, training=True), 1.0)
        g_opt.apply(g_tape.gradient(g_loss, g_vars), g_vars)
        return d_loss, g_loss

    return shared_step if share_forward else step


def phase_function(phase, generator, discriminator, d_opt, g_opt, latent_dim, batch):
    """One part of the hand-written TF step alone, for the phase-by-phase
    comparison with PyTorch: "g_forward" (G in training mode), "d_phase"
    (G forward, D on real and fake, D's gradients and Adam), "g_phase"
    (G and D forward, G's gradients and Adam) or "adam" (both optimizers
    applying zero gradients)."""
    import tensorflow as tf

    def bce(logits, target):
        return tf.reduce_mean(
            target * tf.nn.softplus(-logits) + (1.0 - target) * tf.nn.softplus(logits))

    d_vars, g_vars = discriminator.trainable_variables, generator.trainable_variables
    n = int(batch.shape[0])

    @tf.function
    def g_forward():
        return tf.reduce_sum(generator(tf.random.normal((n, latent_dim)), training=True))

    @tf.function
    def d_phase():
        fake = tf.stop_gradient(generator(tf.random.normal((n, latent_dim)), training=True))
        with tf.GradientTape() as tape:
            loss = bce(discriminator(batch, training=True), 1.0) + bce(
                discriminator(fake, training=True), 0.0)
        d_opt.apply(tape.gradient(loss, d_vars), d_vars)
        return loss

    @tf.function
    def g_phase():
        with tf.GradientTape() as tape:
            loss = bce(discriminator(generator(tf.random.normal((n, latent_dim)),
                                               training=True), training=True), 1.0)
        g_opt.apply(tape.gradient(loss, g_vars), g_vars)
        return loss

    d_zeros = [tf.zeros_like(v) for v in d_vars]
    g_zeros = [tf.zeros_like(v) for v in g_vars]

    @tf.function
    def adam():
        d_opt.apply(d_zeros, d_vars)
        g_opt.apply(g_zeros, g_vars)
        return tf.constant(0.0)

    return {"g_forward": g_forward, "d_phase": d_phase, "g_phase": g_phase,
            "adam": adam}[phase]


def _tf_gemm_rate(n=2048, repeats=5):
    import time

    import tensorflow as tf

    a, b = tf.random.normal((n, n)), tf.random.normal((n, n))
    mm = tf.function(lambda: tf.matmul(a, b))
    mm().numpy()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        mm().numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * n**3 / best


def tf_worker(spec, args):
    import tensorflow as tf

    if spec.get("inter_op"):
        tf.config.threading.set_inter_op_parallelism_threads(spec["inter_op"])
    if spec.get("intra_op"):
        tf.config.threading.set_intra_op_parallelism_threads(spec["intra_op"])
    import keras

    import keras_gans
    from keras_gans import nets

    image_shape = tuple(int(v) for v in args.image_shape.split(","))
    batch = tf.constant(_batch(args.batch_size, image_shape))
    generator, discriminator = build_networks(spec, image_shape, args.latent_dim,
                                              args.width)
    kind = spec.get("step", "fit")
    if kind == "phase":
        d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        d_opt.build(discriminator.trainable_variables)
        g_opt.build(generator.trainable_variables)
        fn = phase_function(spec["phase"], generator, discriminator, d_opt, g_opt,
                            args.latent_dim, batch)

        def call():
            return fn()
    elif kind == "handwritten":
        d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        g_opt = keras.optimizers.Adam(2e-4, beta_1=0.5)
        d_opt.build(discriminator.trainable_variables)
        g_opt.build(generator.trainable_variables)
        if spec.get("jit") or spec.get("share_forward"):
            fn = handwritten_step(generator, discriminator, d_opt, g_opt,
                                  args.latent_dim, jit=spec.get("jit", False),
                                  share_forward=spec.get("share_forward", False))
        else:  # the reference hand-written step, shared with throughput.py
            fn = common.handwritten_tf_step(generator, discriminator, d_opt, g_opt,
                                            args.latent_dim)

        def call():
            return fn(batch)
    else:
        model = keras_gans.GAN(generator, discriminator, latent_dim=args.latent_dim,
                               seed=0)
        model.compile(jit_compile=bool(spec.get("jit", False)))
        if kind == "train_step":
            fn = tf.function(model.train_step)

            def call():
                return fn(batch)
        else:
            model.make_train_function()
            fn = model.train_function
            iterator = iter(tf.data.Dataset.from_tensors(batch).repeat())

            def call():
                return fn(iterator)

    def run(n):
        out = None
        for _ in range(n):
            out = call()
        keras.tree.map_structure(lambda t: t.numpy() if hasattr(t, "numpy") else t, out)

    flops = common.gan_step_flops(generator, discriminator, args.batch_size)
    info = {"framework": "tensorflow", "tensorflow": tf.__version__,
            "keras": keras.__version__, "spec": spec, "flops_per_step": flops,
            "params": {"generator": nets.count_params(generator),
                       "discriminator": nets.count_params(discriminator)},
            "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")}
    return run, info, _tf_gemm_rate


def jax_worker(spec, args):
    import jax
    import keras

    import keras_gans
    from keras_gans import nets

    image_shape = tuple(int(v) for v in args.image_shape.split(","))
    generator, discriminator = build_networks(spec, image_shape, args.latent_dim,
                                              args.width)
    model = keras_gans.GAN(generator, discriminator, latent_dim=args.latent_dim, seed=0)
    model.compile()
    step = jax.jit(model.train_step, donate_argnums=0)
    state = [tuple([v.value for v in group] for group in (
        model.trainable_variables, model.non_trainable_variables,
        model.optimizer.variables, model.metrics_variables))]
    data = jax.numpy.asarray(_batch(args.batch_size, image_shape))

    def run(n):
        for _ in range(n):
            _, state[0] = step(state[0], data)
        jax.block_until_ready(state[0])

    def gemm(n=2048, repeats=5):
        import time

        a = jax.random.normal(jax.random.key(0), (n, n))
        mm = jax.jit(lambda a: a @ a)
        mm(a).block_until_ready()
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            mm(a).block_until_ready()
            best = min(best, time.perf_counter() - start)
        return 2 * n**3 / best

    info = {"framework": "jax", "jax": jax.__version__, "keras": keras.__version__,
            "spec": spec, "xla_flags": os.environ.get("XLA_FLAGS", ""),
            "flops_per_step": common.gan_step_flops(generator, discriminator,
                                                    args.batch_size),
            "params": {"generator": nets.count_params(generator),
                       "discriminator": nets.count_params(discriminator)}}
    return run, info, gemm


def keras_torch_worker(spec, args):
    """The library's fit() step on Keras' torch backend: `train_function`
    as `fit()` builds it, fed one batch per call as `fit()` feeds it."""
    import keras
    import torch

    import keras_gans
    from keras_gans import nets

    torch.set_num_threads(args.threads)
    image_shape = tuple(int(v) for v in args.image_shape.split(","))
    generator, discriminator = build_networks(spec, image_shape, args.latent_dim,
                                              args.width)
    model = keras_gans.GAN(generator, discriminator, latent_dim=args.latent_dim, seed=0)
    model.compile()
    model.make_train_function()
    fn = model.train_function
    batch = torch.from_numpy(_batch(args.batch_size, image_shape))

    def run(n):
        logs = None
        for _ in range(n):
            logs = fn([batch])
        keras.tree.map_structure(keras.ops.convert_to_numpy, logs)

    def gemm(n=2048, repeats=5):
        import time

        a, b = torch.randn(n, n), torch.randn(n, n)
        torch.mm(a, b)
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            torch.mm(a, b)
            best = min(best, time.perf_counter() - start)
        return 2 * n**3 / best

    info = {"framework": "keras_torch", "torch": torch.__version__,
            "keras": keras.__version__, "spec": spec, "threads": torch.get_num_threads(),
            "flops_per_step": common.gan_step_flops(generator, discriminator,
                                                    args.batch_size),
            "params": {"generator": nets.count_params(generator),
                       "discriminator": nets.count_params(discriminator)}}
    return run, info, gemm


def worker_main(args):
    spec = json.loads(args.worker)
    if spec.get("framework") == "keras_torch":
        run, info, gemm = keras_torch_worker(spec, args)
    elif spec.get("framework") == "jax":
        run, info, gemm = jax_worker(spec, args)
    else:
        run, info, gemm = tf_worker(spec, args)
    run(args.warmup)  # tracing and compilation, before READY
    common.serve(run, info, gemm=gemm)


# ---------------------------------------------------------------------------
# The parent side.


def start_worker(name, args, torch_python):
    spec, env = VARIANTS[name]
    env = dict(env)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    shape = ["--image-shape", args.image_shape, "--latent-dim", str(args.latent_dim),
             "--width", str(args.width), "--batch-size", str(args.batch_size),
             "--warmup", str(args.warmup)]
    if spec.get("framework") == "torch":
        argv = [torch_python, os.path.join(HERE, "torch_dcgan.py"), "--serve",
                "--threads", str(args.threads)] + shape
        if spec.get("compile"):
            argv.append("--compile")
        if spec.get("phase"):
            argv += ["--phase", spec["phase"]]
    else:
        env["KERAS_BACKEND"] = {"jax": "jax", "keras_torch": "torch"}.get(
            spec.get("framework"), "tensorflow")
        env.setdefault("JAX_PLATFORMS", "cpu")
        env["PYTHONPATH"] = os.pathsep.join(
            [ROOT] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
        python = sys.executable
        if spec.get("framework") == "keras_torch":
            python = torch_python or sys.executable
        argv = [python, os.path.abspath(__file__), "--worker",
                json.dumps(spec), "--threads", str(args.threads)] + shape
    return common.Worker(name, argv, env=env, wait=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="main", choices=sorted(SETS))
    parser.add_argument("--variants", default=None,
                        help="comma-separated variant names (overrides --set)")
    parser.add_argument("--baseline", default=None,
                        help="the variant ratios are taken against "
                             "(default: the first)")
    parser.add_argument("--list", action="store_true", help="list the variants")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--image-shape", default="28,28,1")
    parser.add_argument("--latent-dim", type=int, default=100)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="PyTorch threads (TF and XLA use all cores by default)")
    parser.add_argument("--torch-python", default=None,
                        help="interpreter with torch (or $KERAS_GANS_TORCH_PYTHON)")
    parser.add_argument("--torch-compile", action="store_true",
                        help="add the torch.compile row")
    parser.add_argument("--jax", action="store_true", help="add the JAX row")
    parser.add_argument("--isa", default="native",
                        help="comma-separated kernel caps to time each variant under: "
                             f"{', '.join(ISA_CAPS)} (e.g. native,avx2)")
    parser.add_argument("--max-other-load", type=float, default=0.5)
    parser.add_argument("--max-foreign-share", type=float, default=0.10)
    parser.add_argument("--settle", type=float, default=180.0,
                        help="seconds to wait at most, after the warm-up, for the load average to settle")
    parser.add_argument("--record-busy", action="store_true",
                        help="record a busy run (flagged BUSY) instead of refusing")
    parser.add_argument("--no-save", action="store_true")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker_main(args)
    if args.list:
        for name, (spec, env) in VARIANTS.items():
            print(f"{name!r}: {spec} {env or ''}")
        return

    names = (args.variants.split(",") if args.variants else list(SETS[args.set]))
    if args.torch_compile:
        names.append("PyTorch torch.compile")
    if args.jax:
        names.append("keras_gans JAX fit()")
    names = [n.strip() for n in names]
    bad = [n for n in VARIANTS if "," in n]
    assert not bad, f"variant names must not contain commas: {bad}"
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        parser.error(f"unknown variants {unknown}; --list shows them")
    isas = [i.strip() for i in args.isa.split(",") if i.strip()]
    unknown_isa = [i for i in isas if i not in ISA_CAPS]
    if unknown_isa or not isas:
        parser.error(f"--isa: got {args.isa!r}; expected a comma-separated list of "
                     f"{sorted(ISA_CAPS)}")
    names = [capped_variant(n, isa) for isa in isas for n in names]
    notes = []
    python = common.torch_python(args.torch_python)
    if python is None and any(VARIANTS[n][0].get("framework") == "torch" for n in names):
        notes.append("PyTorch rows skipped: no interpreter with torch named (pass "
                     "--torch-python or set KERAS_GANS_TORCH_PYTHON).")
        names = [n for n in names if VARIANTS[n][0].get("framework") != "torch"]
    baseline = args.baseline or names[0]

    cores = os.cpu_count()
    load_start = common.load_average()
    print(f"load average at start: {load_start}; starting {len(names)} workers")
    workers = {}
    try:
        for name in names:  # built and warmed up in parallel
            workers[name] = start_worker(name, args, python)
        for name, worker in workers.items():
            worker.wait_ready()
            print(f"  ready: {name}")
        # The parallel warm-up (or a job that just ended) lifts the lagging
        # 1-minute load average: let it settle before the first round.
        common.wait_for_quiet(own_threads=cores / 2, timeout=args.settle, log=print)
        # One worker per framework (and kernel cap) measures the GEMM rate
        # in every round.
        gemm_workers = []
        for isa in isas:
            for framework in ("tensorflow", "torch"):
                gemm_workers += [n for n, w in workers.items()
                                 if w.info.get("framework") == framework
                                 and isa_of(n) == isa][:1]
        timed = common.alternate(workers, args.steps, args.repeats, warmup_steps=0,
                                 own_threads=cores, log=print, gemm_workers=gemm_workers)
        infos = {n: w.info for n, w in workers.items()}
    finally:
        common.close_all(workers.values())
    load_end = common.load_average()
    common.equal_step_counts({n: {"rounds": len(t["seconds"]), "steps": args.steps,
                                  "warmup_steps": args.warmup}
                              for n, t in timed.items()})
    # The machine's GEMM rate: per round the better of the frameworks'
    # rates, then the median over rounds (taken under the rounds' load).
    # Under a kernel cap, the capped rate: what an AVX2-only CPU could reach.
    gemm_rounds_by_isa = {
        isa: [max(rates) for rates in zip(*[timed[n]["gemm"] for n in gemm_workers
                                            if isa_of(n) == isa])]
        for isa in isas}
    gemm_by_isa = {isa: statistics.median(r) if r else None
                   for isa, r in gemm_rounds_by_isa.items()}
    gemm_rounds = gemm_rounds_by_isa[isas[0]]
    gemm = gemm_by_isa[isas[0]]
    gemm_by_framework = {
        infos[n]["framework"] + ("" if isa_of(n) == "native" else f" [{isa_of(n).upper()} cap]"):
        statistics.median(timed[n]["gemm"]) for n in gemm_workers}
    reference_flops = infos[baseline].get("flops_per_step") or next(
        (i["flops_per_step"] for i in infos.values() if i.get("flops_per_step")), None)

    summaries = {n: common.summarize(t["seconds"], t["probes"]) for n, t in timed.items()}
    base = summaries[baseline]
    # Per kernel cap, the plain PyTorch eager row the others are compared with.
    torch_names = {}
    for n in names:
        spec, env = VARIANTS[n]
        if (spec.get("framework") == "torch" and not spec.get("compile")
                and not spec.get("phase") and env == ISA_CAPS[isa_of(n)]):
            torch_names.setdefault(isa_of(n), n)
    all_busy = [p["busy"] for t in timed.values() for p in t["probes"]]
    busy_run = common.run_verdict(all_busy)

    rows, table_rows = [], []
    for name in names:
        s, info = summaries[name], infos[name]
        flops = info.get("flops_per_step") or reference_flops
        # Same network, same work: use the baseline's count unless the
        # variant changes the networks (resize-convolution).
        if not VARIANTS[name][0].get("upsampling"):
            flops = reference_flops
        row_gemm = gemm_by_isa[isa_of(name)]
        share = flops / s["median"] / row_gemm if flops and row_gemm else None
        torch_name = torch_names.get(isa_of(name))
        speed_vs_torch = (summaries[torch_name]["median"] / s["median"]
                          if torch_name else None)
        row = {"variant": name, "spec": VARIANTS[name][0], "env": VARIANTS[name][1],
               "seconds_per_step": s["median"], "fastest_seconds_per_step": s["fastest"],
               "cpu_seconds_per_step": s["cpu_median"],
               "cpu_speed_vs_baseline": (base["cpu_median"] / s["cpu_median"]
                                         if s["cpu_median"] else None),
               "speed_vs_baseline": base["median"] / s["median"],
               "speed_vs_baseline_fastest": base["fastest"] / s["fastest"],
               "speed_vs_torch_eager": speed_vs_torch,
               "flops_per_step": flops, "share_of_gemm": share,
               "load_min": s["load_min"], "load_max": s["load_max"],
               "foreign_share_median": s["foreign_share_median"],
               "busy_rounds": s["busy_rounds"], "rounds": s["rounds"],
               "steps": args.steps, "warmup_steps": args.warmup,
               "all_seconds": timed[name]["seconds"],
               "probes": timed[name]["probes"], "worker": info}
        rows.append(row)
        foreign = s["foreign_share_median"]
        table_rows.append([
            name, f"{s['median'] * 1e3:.1f}", f"{s['fastest'] * 1e3:.1f}",
            f"{base['median'] / s['median']:.2f}x",
            f"{speed_vs_torch:.2f}x" if speed_vs_torch else "",
            f"{100 * share:.0f}%" if share else "",
            f"{s['cpu_median'] * 1e3:.0f} ({base['cpu_median'] / s['cpu_median']:.2f}x)"
            if s["cpu_median"] else "",
            f"{s['load_min']:.2f}-{s['load_max']:.2f}",
            f"{100 * foreign:.0f}%" if foreign is not None else "?",
            f"{s['busy_rounds']}/{s['rounds']}"])
    table = common.format_table(
        ["variant", "ms/step (median)", "ms/step (fastest)",
         f"speed vs {baseline}", "speed vs PyTorch eager", "share of GEMM rate",
         "CPU ms/step (speed vs baseline)",
         "load avg (1 min) min-max", "others' CPU share (median)", "busy rounds"],
        table_rows)
    cpu = common.cpu_info()
    title = (f"train_step ({args.variants and 'variants' or args.set}): DCGAN "
             f"{args.image_shape.replace(',', 'x')}, batch {args.batch_size}, latent "
             f"{args.latent_dim}, width {args.width}; median of {args.repeats} "
             f"alternating rounds x {args.steps} steps, {args.warmup} warm-up steps, "
             + ("" if isas == ["native"] else f"kernel caps {','.join(isas)}, ")
             + "every variant" + (" [BUSY]" if busy_run else ""))
    notes += [
        f"CPU: {cpu['model']}, {cores} cores, flags {' '.join(cpu['flags'])}. "
        "GEMM rate (float32 2048^3 matrix product, best of 5, measured in every "
        "round; per round the faster framework, median over rounds): "
        + "; ".join(f"{isa}: {gemm_by_isa[isa] / 1e9:.0f} GFLOP/s" for isa in isas
                    if gemm_by_isa[isa])
        + " (medians: "
        + ", ".join(f"{f} {v / 1e9:.0f}" for f, v in gemm_by_framework.items())
        + "; rounds: " + ", ".join(f"{v / 1e9:.0f}" for v in gemm_rounds) + ")."
        + ("" if isas == ["native"] else
           " Kernel caps: " + "; ".join(f"{isa}: {' '.join(f'{k}={v}' for k, v in ISA_CAPS[isa].items()) or 'none'}"
                                        for isa in isas) + "."),
        f"Step FLOPs (matrix work, counted from the layers): "
        f"{reference_flops / 1e9:.2f} GFLOP for the DCGAN step"
        + "".join(f"; {n}: {i['flops_per_step'] / 1e9:.2f}" for n, i in infos.items()
                  if VARIANTS[n][0].get("upsampling")) + ".",
        f"Load average (1, 5, 15 min) at start {load_start}, at end {load_end}. "
        f"{sum(all_busy)} of {len(all_busy)} timings busy (other jobs above "
        f"{args.max_other_load} runnable threads or {100 * args.max_foreign_share:.0f}% "
        "of the CPUs)." + (" The run counts as BUSY." if busy_run else ""),
        "Versions: " + "; ".join(sorted({
            f"{i.get('framework')} {i.get('tensorflow') or i.get('torch') or i.get('jax')}"
            for i in infos.values()})) + ".",
    ]
    print(title)
    print(table)
    for note in notes:
        print(note)
    if args.no_save:
        return
    if busy_run and not args.record_busy:
        print("NOT RECORDED: more than half of the timings ran on a busy machine. "
              "Rerun when the machine is quiet, or pass --record-busy to record it "
              "flagged BUSY.")
        return
    for row in rows:
        row.update(baseline=baseline, gemm_flop_per_s=gemm_by_isa[isa_of(row["variant"])],
                   gemm_rounds=gemm_rounds_by_isa[isa_of(row["variant"])],
                   isa=isa_of(row["variant"]),
                   gemm_by_framework=gemm_by_framework, busy_run=busy_run,
                   load_start=load_start, load_end=load_end)
    common.append_results(title, rows, table, notes)


if __name__ == "__main__":
    main()
