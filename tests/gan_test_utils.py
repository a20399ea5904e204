"""A model's test as a short checklist: `run_gan_test(...)`.

Every zoo family must: build from its config, train with `fit()` with every
optimizer advancing, update only its own network in each phase, and survive
a `.keras` round trip with identical samples and optimizer state, after
which training continues.
"""

import os

import keras
import numpy as np

import keras_gans


def snapshot(network):
    """Copies of a network's trainable weights."""
    return [np.array(keras.ops.convert_to_numpy(w)) for w in network.trainable_weights]


def changed(before, after):
    """Whether any weight differs between two snapshots."""
    return any(not np.array_equal(a, b) for a, b in zip(before, after))


def optimizer_state(model):
    """{role: [numpy values of every optimizer variable]}."""
    return {
        role: [keras.ops.convert_to_numpy(v) for v in opt.variables]
        for role, opt in model.optimizer.optimizers.items()
    }


def iterations(model):
    return {
        role: int(keras.ops.convert_to_numpy(opt.iterations))
        for role, opt in model.optimizer.optimizers.items()
    }


def check_phase_isolation(model, batch, phases):
    """Each phase moves its own network's trainable weights and no other's.

    Args:
        model: a compiled GAN.
        batch: one batch as fit() sees it.
        phases: {method or phase name: network it must update}, e.g.
            {"discriminator_step": model.discriminator,
             "generator": model.generator}.
    """
    networks = {id(n): n for n in phases.values()}
    for extra in ("generator", "discriminator", "encoder", "decoder"):
        net = getattr(model, extra, None)
        if net is not None:
            networks.setdefault(id(net), net)
    for method, owner in phases.items():
        before = {k: snapshot(n) for k, n in networks.items()}
        if method.endswith("_step"):
            logs = getattr(model, method)(batch)
        else:  # a phase name from model.phases()
            logs = model.phase_step(method, batch)
        assert all(np.isfinite(v) for v in logs.values()), logs
        for key, net in networks.items():
            moved = changed(before[key], snapshot(net))
            if net is owner:
                assert moved, f"{method} did not update {net.name}"
            else:
                assert not moved, f"{method} changed {net.name}, not its own network"


def run_gan_test(
    model,
    data,
    batch_size=16,
    steps=3,
    phases=None,
    expected_iterations=None,
    tmp_path=None,
    sample_kwargs=None,
    compile_kwargs=None,
):
    """Run the checklist every zoo family must pass.

    Args:
        model: an uncompiled model.
        data: numpy training data: images, or a tuple such as (images, labels).
        batch_size: batch size for `fit()`.
        steps: how many training steps to run.
        phases: see `check_phase_isolation`; defaults to the two GAN phases.
        expected_iterations: {role: optimizer updates per train step};
            default: discriminator `d_steps`, every other role 1.
        tmp_path: folder for the `.keras` file.
        sample_kwargs: extra arguments for `generate` (e.g. labels).
        compile_kwargs: arguments for `compile`.
    """
    sample_kwargs = sample_kwargs or {}
    config = model.get_config()
    clone = type(model).from_config(config)
    assert clone.count_params() == model.count_params()
    assert type(model).from_config(clone.get_config()).get_config() == clone.get_config()

    model.compile(**(compile_kwargs or {}))
    arrays = data if isinstance(data, tuple) else (data,)
    n = batch_size * steps
    train = tuple(a[:n] for a in arrays)
    train = train if len(train) > 1 else train[0]
    start = iterations(model)
    history = model.fit(train, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    for name in model.tracker_names:
        assert name in history.history, (name, history.history)
        assert np.isfinite(history.history[name][-1]), history.history
    per_step = dict(expected_iterations or {})
    after = iterations(model)
    repeats = {}
    for phase in model.phases():
        repeats[phase.role] = repeats.get(phase.role, 0) + phase.repeats
    for role in after:
        default = repeats[role]
        want = start[role] + steps * per_step.get(role, default)
        assert after[role] == want, f"{role} optimizer: {after[role]} steps, expected {want}"

    batch = tuple(a[:batch_size] for a in arrays)
    batch = batch if len(batch) > 1 else batch[0]
    phases = phases or {
        phase.name: getattr(model, phase.networks[0]) for phase in model.phases()
    }
    check_phase_isolation(model, batch, phases)

    # .keras round trip: architecture, weights, both optimizers' state.
    path = os.path.join(str(tmp_path), "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    z = model.latent_vectors(5, seed=3)
    np.testing.assert_array_equal(
        loaded.generate(z=z, **sample_kwargs), model.generate(z=z, **sample_kwargs)
    )
    before_state = optimizer_state(model)
    loaded_state = optimizer_state(loaded)
    assert before_state.keys() == loaded_state.keys()
    for role in before_state:
        assert len(before_state[role]) == len(loaded_state[role])
        for a, b in zip(before_state[role], loaded_state[role]):
            np.testing.assert_array_equal(a, b)
    # The training noise stream resumes where it stopped.
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(loaded.seed_generator.state),
        keras.ops.convert_to_numpy(model.seed_generator.state),
    )
    resumed_from = iterations(loaded)
    loaded.fit(train, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    resumed = iterations(loaded)
    for role in resumed:
        assert resumed[role] > resumed_from[role], (role, resumed_from, resumed)
    return loaded


def check_part(model, data, tmp_path, batch_size=16, steps=2, log_names=(), **compile_kwargs):
    """The checklist every composable part (regularizer, augmentation, loss)
    must pass with a family: it compiles in, trains with finite logs (its own
    included), survives a `.keras` round trip in the compile config, and
    training continues after loading.

    Args:
        model: an uncompiled GAN of any family.
        data: numpy training data: images, or (images, labels).
        tmp_path: folder for the `.keras` file.
        log_names: what the part must add to the logs.
        **compile_kwargs: how to compile the part in, e.g.
            `regularizers=[R1(1.0)]` or `augmentation=DiffAugment()`.

    Returns:
        The loaded model.
    """
    model.compile(**compile_kwargs)
    arrays = data if isinstance(data, tuple) else (data,)
    train = tuple(a[: batch_size * steps] for a in arrays)
    train = train if len(train) > 1 else train[0]
    history = model.fit(train, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    for name in tuple(model.tracker_names) + tuple(log_names):
        assert name in history.history, (name, sorted(history.history))
        assert np.isfinite(history.history[name][-1]), (name, history.history)
    path = os.path.join(str(tmp_path), "part.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert loaded.get_compile_config() == model.get_compile_config()
    assert loaded.tracker_names == model.tracker_names
    history = loaded.fit(train, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    for name in log_names:
        assert np.isfinite(history.history[name][-1]), (name, history.history)
    return loaded


def tiny_family(family):
    """The family's digits preset architecture, at a small width."""
    digits = [p for p in keras_gans.list_presets(family=family) if p.endswith("_digits")]
    assert digits, f"family {family!r} has no *_digits preset"
    args = dict(keras_gans.get_preset(digits[0])["architecture"])
    for key in ("width",):
        if key in args:
            args[key] = 4
    if "latent_dim" in args:
        args["latent_dim"] = 8
    args["image_shape"] = tuple(args["image_shape"])
    return keras_gans.get(family, **args)
