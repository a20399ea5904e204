"""tools/quality_vs_time.py: FID against CPU minutes from --checkpoints rows."""

import importlib.util
import json
import os

import pytest

pytestmark = pytest.mark.backend_independent  # conftest.py: TensorFlow pass only

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_tool():
    path = os.path.join(ROOT, "tools", "quality_vs_time.py")
    spec = importlib.util.spec_from_file_location("quality_vs_time", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(preset, run_id, epoch, seconds, fid, dirty=False, dataset="mnist"):
    return {
        "preset": preset, "run_id": run_id, "checkpoint_epoch": epoch, "dataset": dataset,
        "metrics": {"fid10k_mnist_cnn": fid, "fid10k_train_mnist_cnn": fid - 1,
                    "fid_floor_mnist_cnn": 0.77, "train_seconds": seconds},
        "command": f"python benchmarks/quality.py --presets {preset} --checkpoints 1,2",
        "commit": "a" * 40, "dirty": dirty, "backend": "tensorflow", "device": "2 cores",
    }


def test_runs_plot_and_table(tmp_path):
    tool = _load_tool()
    rows = [_row("dcgan_b32_mnist_cpu", "r1", e, 60 * e, 40 / e) for e in (3, 1, 2)]
    rows += [_row("acgan_mnist_cpu", "r2", e, 90 * e, 30 / e) for e in (1, 2)]
    rows += [_row("dirty", "r3", 1, 10, 5.0, dirty=True)]
    plain = _row("no_checkpoints", "x", 1, 10, 5.0)
    del plain["run_id"]
    rows.append(plain)
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    runs = tool.load_runs([str(path)])
    assert sorted(runs) == ["r1", "r2"]
    assert [p["epoch"] for p in runs["r1"]] == [1, 2, 3]
    assert [p["minutes"] for p in runs["r1"]] == [1.0, 2.0, 3.0]
    assert runs["r1"][0]["fid"] == 40 and runs["r1"][0]["floor"] == 0.77
    png, md = tmp_path / "q.png", tmp_path / "q.md"
    assert tool.main(["--results", str(path), "--png", str(png), "--md", str(md), "--write"]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    text = md.read_text()
    assert "| `dcgan_b32_mnist_cpu` | 2 | 2.0 | 20.00 | 0.77 | `fid10k_mnist_cnn` |" in text
    assert "dirty" not in text and "no_checkpoints" not in text


def test_no_runs_is_one_clear_line(tmp_path):
    tool = _load_tool()
    path = tmp_path / "rows.jsonl"
    path.write_text("")
    with pytest.raises(SystemExit, match="no --checkpoints runs"):
        tool.main(["--results", str(path)])


def test_fid_key_names_the_sample_fid():
    tool = _load_tool()
    assert tool.fid_key({"fid1k_digits": 1.0, "fid1k_train_digits": 2.0,
                         "fid_floor_digits": 0.5, "fid_gap_digits": 1.0}) == "fid1k_digits"
    with pytest.raises(ValueError, match="expected one sample-FID key"):
        tool.fid_key({"kid1k_digits": 1.0})
