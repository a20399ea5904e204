"""Train a keras_gans model on two workers with MultiWorkerMirroredStrategy.

Run it with no arguments: it starts two worker processes on localhost
(loopback only), each with its own `TF_CONFIG`, and waits for them:

    KERAS_BACKEND=tensorflow python examples/multi_worker.py
    KERAS_BACKEND=tensorflow python examples/multi_worker.py --workers 2 --steps 20

Each worker builds the model inside the strategy's scope, compiles and
calls `fit()`: the model code is the same as on one device. keras_gans
divides each replica's loss by the number of replicas in sync (over all
workers) and gives every replica its own rows of the noise, so the workers'
summed gradients are those of the global batch. Worker 0 (the chief) saves
`multi_worker.keras`; the others save to a scratch folder, as
`tf.distribute` requires every worker to take part in saving.

On real machines, start this file once per machine with `--worker` and a
`TF_CONFIG` naming every worker, e.g. on the first of two hosts:

    TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]},
                "task": {"type": "worker", "index": 0}}' \\
    KERAS_BACKEND=tensorflow python examples/multi_worker.py --worker
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time


def free_ports(n):
    sockets, ports = [], []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
        ports.append(s.getsockname()[1])
    for s in sockets:
        s.close()
    return ports


def launch(args):
    """Start `args.workers` workers on localhost and wait for them."""
    ports = free_ports(args.workers)
    cluster = {"worker": [f"127.0.0.1:{p}" for p in ports]}
    processes = []
    for index in range(args.workers):
        env = dict(os.environ)
        env["KERAS_BACKEND"] = "tensorflow"
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        env["TF_CONFIG"] = json.dumps(
            {"cluster": cluster, "task": {"type": "worker", "index": index}}
        )
        command = [sys.executable, os.path.abspath(__file__), "--worker",
                   "--steps", str(args.steps), "--batch-size", str(args.batch_size),
                   "--out", args.out]
        processes.append(subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    deadline = time.time() + args.timeout
    outputs, codes = [], []
    for process in processes:
        try:
            out, _ = process.communicate(timeout=max(1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            process.kill()
            out, _ = process.communicate()
        outputs.append(out)
        codes.append(process.returncode)
    for index, out in enumerate(outputs):
        lines = [l for l in out.splitlines() if l.startswith("WORKER ")]
        print(f"worker {index}: exit {codes[index]}; " + (lines[-1] if lines else out[-2000:]))
    if any(codes):
        sys.exit(1)


def work(args):
    """One worker: the usual keras_gans code under the strategy's scope."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import tensorflow as tf

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import keras

    import keras_gans
    from keras_gans import datasets

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    task = json.loads(os.environ["TF_CONFIG"])["task"]["index"]
    replicas = strategy.num_replicas_in_sync
    global_batch = args.batch_size * replicas

    x = datasets.load_digits(split="train", shuffle=False)
    data = tf.data.Dataset.from_tensor_slices(x).repeat().batch(global_batch, drop_remainder=True)
    options = tf.data.Options()
    options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
    data = data.with_options(options)

    with strategy.scope():
        gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=16, width=8, seed=0)
        gan.compile()
    history = gan.fit(data, steps_per_epoch=args.steps, epochs=1, verbose=0)

    # Every worker saves; only the chief's file is kept.
    if task == 0:
        path = os.path.join(args.out, "multi_worker.keras")
    else:
        path = os.path.join(tempfile.mkdtemp(), "multi_worker.keras")
    gan.save(path)
    logs = {k: round(float(v[-1]), 4) for k, v in history.history.items()}
    iterations = int(gan.d_optimizer.iterations.numpy())
    print("WORKER " + json.dumps({"task": task, "replicas": replicas,
                                  "global_batch": global_batch, "iterations": iterations,
                                  "logs": logs, "saved": path if task == 0 else None}),
          flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32, help="per replica")
    parser.add_argument("--out", default=os.getcwd(), help="folder for the chief's model")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--worker", action="store_true", help="run as one worker (TF_CONFIG set)")
    args = parser.parse_args()
    if args.worker:
        if "TF_CONFIG" not in os.environ:
            parser.error("--worker needs TF_CONFIG naming the cluster and this task.")
        work(args)
    else:
        launch(args)


if __name__ == "__main__":
    main()
