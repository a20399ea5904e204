"""The benchmark hygiene helpers (benchmarks/common.py): load flagging,
equal step counts, alternation, the worker protocol, FLOP counting. No
timing is asserted here; speed is measured only by the benchmarks."""

import io
import os
import sys
import textwrap

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "benchmarks"))

import common  # noqa: E402

pytestmark = pytest.mark.backend_independent  # conftest.py: TensorFlow pass only


def test_quiet_machine_is_not_flagged():
    # The benchmark's own 2 threads raise the load to about 2: not busy.
    assert common.judge_load(0.2, 2.3, 0.03, own_threads=2) == (False, "")


def test_other_jobs_load_is_flagged_with_the_reason():
    busy, reason = common.judge_load(7.0, 9.5, None, own_threads=2)
    assert busy
    assert "9.50" in reason and "7.50 above" in reason


def test_foreign_cpu_share_is_flagged_even_at_low_load():
    busy, reason = common.judge_load(0.1, 0.4, 0.35, own_threads=2)
    assert busy and reason == "other processes used 35% of the CPUs"


def test_thresholds_are_exclusive_and_adjustable():
    assert not common.judge_load(2.5, 2.5, 0.10, own_threads=2)[0]
    assert common.judge_load(2.51, 2.5, 0.0, own_threads=2)[0]
    assert common.judge_load(2.5, 2.5, 0.11, own_threads=2)[0]
    assert not common.judge_load(5.0, 5.0, 0.5, own_threads=2, max_other_load=4,
                                 max_foreign_share=0.6)[0]


def test_run_verdict_needs_a_majority_of_busy_timings():
    assert not common.run_verdict([True, False])
    assert common.run_verdict([True, True, False])
    assert not common.run_verdict([])


def test_load_probe_splits_own_and_foreign_cpu(monkeypatch):
    clock = iter([100.0, 110.0])  # 10 s of wall time
    busy = iter([1000.0, 1016.0])  # 16 CPU-seconds on the machine
    own = iter([50.0, 60.0])  # 10 of them ours
    loads = iter([(0.5, 0.4, 0.3), (2.4, 1.0, 0.5)])
    monkeypatch.setattr(common.time, "perf_counter", lambda: next(clock))
    monkeypatch.setattr(common, "system_busy_seconds", lambda: next(busy))
    monkeypatch.setattr(common, "load_average", lambda: next(loads))
    probe = common.LoadProbe(pids=[], own_threads=2, cores=2)
    monkeypatch.setattr(probe, "_own_seconds", lambda: next(own))
    probe.start()
    record = probe.stop()
    assert record["foreign_share"] == pytest.approx(6 / 20)
    assert record["load_before"][0] == 0.5 and record["load_after"][0] == 2.4
    assert record["busy"] and "30%" in record["reason"]


def test_equal_step_counts_refuses_the_old_3x5_against_7x20():
    common.equal_step_counts({"a": {"rounds": 7, "steps": 20, "warmup_steps": 3},
                              "b": {"rounds": 7, "steps": 20, "warmup_steps": 3}})
    with pytest.raises(ValueError, match="torch: 3 x 5"):
        common.equal_step_counts({
            "tf": {"rounds": 7, "steps": 20, "warmup_steps": 3},
            "torch": {"rounds": 3, "steps": 5, "warmup_steps": 3}})
    with pytest.raises(ValueError, match=r"\(\+1\)"):
        common.equal_step_counts({
            "tf": {"rounds": 7, "steps": 20, "warmup_steps": 3},
            "torch": {"rounds": 7, "steps": 20, "warmup_steps": 1}})


def test_round_orders_visit_every_variant_once_and_rotate():
    orders = common.round_orders(["a", "b", "c"], 6)
    assert all(sorted(o) == ["a", "b", "c"] for o in orders)
    assert [o[0] for o in orders] == ["a", "b", "c", "a", "b", "c"]


def test_torch_python_has_no_machine_specific_default(tmp_path):
    assert common.torch_python(None, environ={}) is None
    assert "/work/" not in open(common.__file__).read().split("def torch_python")[1][:1500]
    named = common.torch_python(None, environ={"KERAS_GANS_TORCH_PYTHON": "/a/py"},
                                probe=False)
    assert named == "/a/py"
    assert common.torch_python("/b/py", environ={"KERAS_GANS_TORCH_PYTHON": "/a/py"},
                               probe=False) == "/b/py"
    # A named interpreter without torch is refused, not used.
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    assert common.torch_python(str(fake), environ={}) is None


def test_cpu_info_names_model_and_gemm_flags():
    text = ("processor : 0\nmodel name : AMD EPYC 7B13\n"
            "flags : fpu sse avx2 fma avx512f amx_tile\nprocessor : 1\n"
            "model name : AMD EPYC 7B13\nflags : fpu\n")
    assert common.cpu_info(text) == {"model": "AMD EPYC 7B13",
                                     "flags": ["avx2", "fma", "avx512f", "amx_tile"]}


def test_serve_protocol_round_trip():
    ran = []
    out = io.StringIO()
    common.serve(ran.append, {"k": 1}, gemm=lambda: 2.5e9,
                 stdin=io.StringIO("run 4\nbogus\ngemm\nrun 2\nquit\nrun 9\n"),
                 stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == 'READY {"k": 1}'
    assert lines[1].startswith("DONE ") and lines[2].startswith("ERROR")
    assert lines[3] == "GEMM 2500000000.0"
    assert ran == [4, 2]  # nothing after quit


def test_alternate_gives_every_worker_the_same_steps(tmp_path):
    script = tmp_path / "worker.py"
    script.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {os.path.dirname(common.__file__)!r})
        import common
        total = []
        common.serve(total.append, {{"name": sys.argv[1]}}, gemm=lambda: sum(total))
    """))
    workers = {n: common.Worker(n, [sys.executable, str(script), n]) for n in "ab"}
    try:
        timed = common.alternate(workers, steps=5, repeats=3, warmup_steps=2,
                                 own_threads=1, gemm_workers=["b"])
        # Each worker ran 2 warm-up steps and 3 x 5 timed steps.
        assert [workers[n].gemm() for n in "ab"] == [17.0, 17.0]
    finally:
        common.close_all(workers.values())
    assert workers["a"].info == {"name": "a"}
    for n in "ab":
        assert len(timed[n]["seconds"]) == 3
        assert len(timed[n]["probes"]) == 3
        assert set(timed[n]["probes"][0]) >= {"load_before", "load_after",
                                              "foreign_share", "busy"}
    # Only the GEMM worker measured its rate, once per round.
    assert timed["a"]["gemm"] == [] and timed["b"]["gemm"] == [7.0, 12.0, 17.0]
    summary = common.summarize(timed["a"]["seconds"], timed["a"]["probes"])
    assert summary["rounds"] == 3 and summary["fastest"] <= summary["median"]


def test_worker_that_dies_reports_its_error(tmp_path):
    script = tmp_path / "bad.py"
    script.write_text("raise SystemExit('no torch here')\n")
    with pytest.raises(RuntimeError, match="no torch here"):
        common.Worker("bad", [sys.executable, str(script)])


def test_dcgan_step_flops_counted_from_the_layers():
    from keras_gans import nets

    g = nets.build_dcgan_generator((28, 28, 1), 100, 64)
    d = nets.build_dcgan_discriminator((28, 28, 1), 64)
    g_macs, g_first = common.network_macs(g)
    d_macs, d_first = common.network_macs(d)
    # Dense 100->7*7*128, convT 7x7x128->14x14x64 (k4), convT ->28x28x1.
    assert g_first == 100 * 6272
    assert g_macs == 100 * 6272 + 49 * 16 * 128 * 64 + 196 * 16 * 64 * 1
    # conv 28x28x1->14x14x64, conv ->7x7x128, dense 6272->1.
    assert d_first == 196 * 16 * 1 * 64
    assert d_macs == 196 * 16 * 64 + 49 * 16 * 64 * 128 + 6272
    flops = common.gan_step_flops(g, d, 64)
    assert flops == 2 * 64 * ((g_macs + 4 * d_macs + 2 * (d_macs - d_first))
                              + (2 * d_macs + 2 * g_macs + g_macs - g_first))
    assert 10.3e9 < flops < 10.4e9
    # Resize-convolution convolves on the upsampled grid: 4x the conv work.
    r = nets.build_dcgan_generator((28, 28, 1), 100, 64, upsampling="resize")
    assert common.network_macs(r)[0] == 100 * 6272 + 4 * (g_macs - 100 * 6272)


def test_wait_for_quiet_waits_for_the_load_to_settle_and_gives_up():
    loads = iter([5.0, 3.0, 1.2, 0.4])
    slept = []
    quiet, waited, load = common.wait_for_quiet(
        own_threads=1, timeout=60, poll=5, sleep=slept.append, read_load=lambda: next(loads))
    assert (quiet, waited, load) == (True, 10.0, 1.2)
    assert slept == [5, 5]
    quiet, waited, _ = common.wait_for_quiet(
        own_threads=0, timeout=10, poll=5, sleep=lambda s: None, read_load=lambda: 9.0)
    assert (quiet, waited) == (False, 10.0)


def test_an_isa_cap_registers_a_capped_twin_of_the_variant():
    import train_step

    name = train_step.capped_variant("PyTorch eager", "avx2")
    assert name == "PyTorch eager [AVX2 cap]"
    spec, env = train_step.VARIANTS[name]
    assert spec["isa"] == "avx2" and spec["framework"] == "torch"
    assert env["ONEDNN_MAX_CPU_ISA"] == "AVX2" and env["ATEN_CPU_CAPABILITY"] == "avx2"
    # native is the variant itself, untouched.
    assert train_step.capped_variant("PyTorch eager", "native") == "PyTorch eager"
    assert "isa" not in train_step.VARIANTS["PyTorch eager"][0]


def test_an_isa_cap_keeps_a_jax_levers_own_xla_flags():
    import train_step

    name = train_step.capped_variant("JAX fit() + fast math", "avx2")
    flags = train_step.VARIANTS[name][1]["XLA_FLAGS"].split()
    assert flags == ["--xla_cpu_enable_fast_math=true", "--xla_cpu_max_isa=AVX2"]


def test_an_unknown_isa_cap_is_refused_with_the_known_ones():
    import train_step

    with pytest.raises(ValueError, match=r"'avx9'.*\['avx2', 'native'\]"):
        train_step.capped_variant("PyTorch eager", "avx9")


def test_train_step_refuses_an_unknown_isa_before_starting_workers():
    import subprocess

    script = os.path.join(os.path.dirname(os.path.dirname(__file__)), "benchmarks",
                          "train_step.py")
    done = subprocess.run([sys.executable, script, "--isa", "native,avx9"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--isa: got 'native,avx9'" in done.stderr and "'avx2'" in done.stderr
    assert "starting" not in done.stdout
