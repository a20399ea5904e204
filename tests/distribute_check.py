"""Train a GAN on one device and on two, from the same start; print JSON.

Run as its own process (tests/test_distribute.py does), because the devices
must be configured before the backend initialises:

    KERAS_BACKEND=tensorflow python tests/distribute_check.py
    KERAS_BACKEND=jax XLA_FLAGS=--xla_force_host_platform_device_count=2 \
        python tests/distribute_check.py

TensorFlow: two logical CPU devices under `tf.distribute.MirroredStrategy`.
JAX: two forced host devices under `keras.distribution.DataParallel`.
The networks have no batch norm (under MirroredStrategy batch norm uses each
replica's own statistics, so it legitimately differs from one device) and
the optimizers are SGD, so the two runs must agree to float rounding.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BACKEND = os.environ.get("KERAS_BACKEND", "tensorflow")

if BACKEND == "tensorflow":
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

import keras_gans  # noqa: E402
from keras_gans import nets  # noqa: E402

IMAGE_SHAPE = (8, 8, 1)
LATENT = 8


def build(family):
    generator = nets.build_mlp_generator(IMAGE_SHAPE, LATENT, hidden_units=(16,))
    if family == "gan":
        critic = nets.build_dcgan_discriminator(IMAGE_SHAPE, width=4, normalization=None)
        return keras_gans.GAN(generator, critic, d_steps=2, seed=7)
    if family == "wgan_gp":
        return keras_gans.WGANGP(
            image_shape=IMAGE_SHAPE, latent_dim=LATENT, width=4, n_critic=2,
            normalization="layer", generator=generator, seed=7,
        )
    raise ValueError(family)


def train(model, x):
    model.compile(
        d_optimizer=keras.optimizers.SGD(0.05),
        g_optimizer=keras.optimizers.SGD(0.05),
    )
    history = model.fit(x, batch_size=16, epochs=1, shuffle=False, verbose=0)
    weights = [keras.ops.convert_to_numpy(w) for w in model.weights]
    return weights, {k: float(v[-1]) for k, v in history.history.items()}


def max_difference(a, b):
    return max(float(np.max(np.abs(x - y))) for x, y in zip(a, b))


def main():
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = np.tanh(rng.standard_normal((48, *IMAGE_SHAPE))).astype("float32")
    report = {"backend": BACKEND, "families": {}}
    if BACKEND == "tensorflow":
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    for family in os.environ.get("FAMILIES", "gan,wgan_gp").split(","):
        single = build(family)
        start = [keras.ops.convert_to_numpy(w) for w in single.weights]
        single_weights, single_logs = train(single, x)

        if BACKEND == "tensorflow":
            # One strategy for the whole process: two MirroredStrategy
            # objects over the same devices reuse collective instance keys.
            with strategy.scope():
                multi = build(family)
                multi.set_weights(start)
            replicas = strategy.num_replicas_in_sync
            multi_weights, multi_logs = train(multi, x)
            # Each replica's noise: its own rows of the global draw.
            probe = build(family)
            with strategy.scope():
                probe2 = build(family)
            per_replica = strategy.run(tf.function(lambda: probe2.sample_latent(4)))
            parts = [p.numpy() for p in strategy.experimental_local_results(per_replica)]
            global_draw = keras.ops.convert_to_numpy(probe.sample_latent(8))
            noise = {
                "replicas_differ": not np.allclose(parts[0], parts[1]),
                "global_equals_single": bool(
                    np.allclose(np.concatenate(parts), global_draw, atol=1e-6)
                ),
            }
            sharded = replicas
        else:
            import jax

            devices = jax.devices("cpu")
            keras.distribution.set_distribution(
                keras.distribution.DataParallel(devices=devices)
            )
            try:
                multi = build(family)
                multi.set_weights(start)
                multi_weights, multi_logs = train(multi, x)
                sharded = len(multi.generator.weights[0].value.sharding.device_set)
                replicas = len(devices)
            finally:
                keras.distribution.set_distribution(None)
            z = keras.ops.convert_to_numpy(multi.sample_latent(8))
            noise = {
                "replicas_differ": not np.allclose(z[:4], z[4:]),
                "global_equals_single": True,  # one program over global arrays
            }
        moved = max_difference(start, single_weights)
        report["families"][family] = {
            "replicas": replicas,
            "devices_holding_weights": sharded,
            "max_weight_difference": max_difference(single_weights, multi_weights),
            "max_weight_change": moved,
            "single_logs": single_logs,
            "multi_logs": multi_logs,
            "noise": noise,
        }
    print("RESULT " + json.dumps(report))


if __name__ == "__main__":
    main()
