#!/bin/bash
# One device call: install the carried wheels, measure the matmul ceilings,
# run the throughput benchmark on the JAX backend, copy results to $OUT.
cd "$(dirname "$0")"
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD KERAS_BACKEND=jax XLA_PYTHON_CLIENT_PREALLOCATE=false PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=3
nvidia-smi -L
python3 - <<'PY' 2>&1 | tee $OUT/ceilings.txt
import jax, jax.numpy as jnp, time, keras
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
    print(f"matmul {n}^3 {dtype} default precision: {2 * n**3 / dt / 1e12:.0f} TFLOP/s")
PY
timeout 330 python3 benchmarks/throughput.py --batch-sizes 64,1024 --steps 20 --repeats 5 --torch --torch-python python3 2>&1 | grep -v "^WARNING\|^I0000\|^E0000" | tail -30
timeout 120 python3 benchmarks/throughput.py --families dcgan --batch-sizes 64,1024 --steps 20 --repeats 5 --policy mixed_bfloat16 2>&1 | grep -v "^WARNING\|^I0000\|^E0000" | tail -12
cp benchmarks/results.* $OUT/ 2>/dev/null
ls -la $OUT
