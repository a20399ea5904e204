"""benchmarks/quality.py still runs: one preset, one epoch, few samples."""

import importlib.util
import json
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_script():
    path = os.path.join(ROOT, "benchmarks", "quality.py")
    spec = importlib.util.spec_from_file_location("quality_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_quality_script_measures_and_appends_a_row(tmp_path):
    quality = _load_script()
    out = tmp_path / "results.jsonl"
    assert quality.main([
        "--presets", "dcgan_digits", "--epochs", "1", "--num-samples", "64",
        "--out", str(out), "--verbose", "0",
    ]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["preset"] == "dcgan_digits" and row["epochs"] == 1
    m = row["metrics"]
    assert m["fid1k_digits"] > 0 and m["fid_floor_digits"] > 0
    assert m["fid_ratio_digits"] == pytest.approx(m["fid1k_digits"] / m["fid_floor_digits"])
    shares = row["class_shares_digits"]
    assert len(shares) == 10 and sum(shares) == pytest.approx(1.0)
    assert m["class_share_min_digits"] == pytest.approx(min(shares))
    assert row["num_fake"] == 64 and row["num_real"] == 360
    assert "--epochs 1" in row["command"]


def test_quality_script_rejects_unknown_presets(tmp_path):
    quality = _load_script()
    with pytest.raises(SystemExit, match="unknown digits presets"):
        quality.main(["--presets", "dcgan_mnist", "--out", str(tmp_path / "r.jsonl")])


def test_priority_presets_come_first():
    quality = _load_script()
    names = ["acgan_digits", "vae_gan_digits", "dcgan_digits", "wgan_gp_digits",
             "conditional_gan_digits"]
    assert quality.ordered_presets(names) == [
        "dcgan_digits", "conditional_gan_digits", "vae_gan_digits",
        "acgan_digits", "wgan_gp_digits",
    ]
