#!/bin/bash
# Throughput on a GPU with the JAX backend, in one call (about 5 minutes).
#
# Prepare on a machine with pip (wheels for what the GPU machine lacks: its
# image has jax with CUDA and torch, but not keras, namex, optree):
#   mkdir -p CARRY && cp -r keras_gans benchmarks CARRY/
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
#     --implementation cp --platform manylinux_2_28_x86_64 \
#     --platform manylinux_2_17_x86_64 -d CARRY/whl keras==3.15.1 namex optree
# then run `bash CARRY/benchmarks/gpu_run.sh` there; results land in
# CARRY/benchmarks/results.{md,jsonl} and, if set, in $OUT.
cd "$(dirname "$0")/.."
if ls whl/*.whl >/dev/null 2>&1; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
    --upgrade --target /tmp/site whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site:$PWD
fi
export KERAS_BACKEND=jax XLA_PYTHON_CLIENT_PREALLOCATE=false PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=3
nvidia-smi -L
# The two ceilings: an 8192^3 matrix product in bf16 and in float32 (JAX's
# default precision, i.e. TF32 tensor cores on Hopper).
python3 - <<'PY'
import jax, time, keras
print("jax", jax.__version__, "keras", keras.__version__, jax.devices())
for dtype in ("bfloat16", "float32"):
    n = 8192
    a = jax.random.normal(jax.random.key(0), (n, n), dtype)
    b = jax.random.normal(jax.random.key(1), (n, n), dtype)
    f = jax.jit(lambda a, b: a @ b)
    f(a, b).block_until_ready()
    t = time.perf_counter()
    for _ in range(10):
        c = f(a, b)
    c.block_until_ready()
    dt = (time.perf_counter() - t) / 10
    print(f"matmul {n}^3 {dtype}: {2 * n**3 / dt / 1e12:.0f} TFLOP/s")
PY
timeout 330 python3 benchmarks/throughput.py --batch-sizes 64,1024 --steps 20 --repeats 5 --torch --torch-python python3
timeout 150 python3 benchmarks/throughput.py --families dcgan --batch-sizes 64,1024 --steps 20 --repeats 5 --policy mixed_bfloat16
[ -n "$OUT" ] && cp benchmarks/results.* "$OUT"/
