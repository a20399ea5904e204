"""tools/presets_table.py: each row shows protocol, floor, ratio, memorization,
coverage and training time from a preset's latest result."""

import importlib.util
import os

import pytest

pytestmark = pytest.mark.backend_independent  # conftest.py: TensorFlow pass only

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _tool():
    spec = importlib.util.spec_from_file_location(
        "presets_table_under_test", os.path.join(ROOT, "tools", "presets_table.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _preset(results, epochs=25):
    return {
        "name": "toy_mnist", "family": "dcgan",
        "architecture": {"image_shape": [28, 28, 1]},
        "dataset": {"name": "mnist", "with_labels": True},
        "training": {"optimizers": {"d": "adam"}, "loss": "hinge", "batch_size": 64,
                     "epochs": epochs},
        "param_count": 1234, "results": results,
    }


def _cells(row):
    return [c.strip() for c in row.strip().strip("|").split("|")]


def test_row_shows_protocol_floor_memorization_coverage_and_time():
    tool = _tool()
    metrics = {
        "fid10k_mnist_cnn": 12.5, "fid10k_train_mnist_cnn": 11.0,
        "fid_floor_mnist_cnn": 0.5, "fid_ratio_mnist_cnn": 25.0,
        "fid_gap_mnist_cnn": 1.5, "nn_ratio_mnist_cnn": 0.93,
        "class_share_min_mnist_cnn": 0.071, "label_accuracy_mnist_cnn": 0.96,
        "train_seconds": 600.0,
    }
    result = {"metrics": metrics, "command": "python benchmarks/quality.py --presets toy_mnist",
              "commit": "abcdef0123", "backend": "tensorflow", "epochs": 5}
    table = tool.markdown_table([_preset([result])])
    lines = table.splitlines()
    header, row = _cells(lines[0]), _cells(lines[2])
    assert len(row) == len(header) == len(tool.COLUMNS)
    cell = dict(zip(header, row))
    assert cell["Protocol"] == "`fid10k_mnist_cnn`"
    assert (cell["FID"], cell["Floor"], cell["Ratio"]) == ("12.5", "0.5", "25")
    assert (cell["FID gap"], cell["NN ratio"]) == ("1.5", "0.93")
    assert cell["Coverage"] == "min class share 0.071; label acc. 0.96"
    assert cell["Train time"] == "10.0 min"
    assert cell["Measured"] == "abcdef0, tensorflow, 5 of 25 epochs"
    assert "Floor: the same FID for real training" in table


def test_unmeasured_and_older_results_keep_the_columns():
    tool = _tool()
    table = tool.markdown_table([
        _preset([]),
        _preset([{"metrics": {"fid1k_digits": 7.6, "fid_floor_digits": 4.2},
                  "command": "c", "commit": "0123456789"}], epochs=5),
    ])
    rows = [_cells(r) for r in table.splitlines()[2:4]]
    assert all(len(r) == len(tool.COLUMNS) for r in rows)
    assert rows[0][6] == "not measured yet"
    older = dict(zip(tool.COLUMNS, rows[1]))
    assert older["FID gap"] == "—" and older["Floor"] == "4.2"
    assert older["Measured"] == "0123456"


def test_presets_with_weights_link_to_their_samples_in_the_gallery():
    tool = _tool()
    shipped = dict(_preset([]), weights={"file": "weights/x.npz"})
    table = tool.markdown_table([shipped, _preset([])], gallery="docs/gallery.md")
    lines = [line for line in table.splitlines() if line.startswith(f"| `{shipped['name']}`")]
    assert "[samples](docs/gallery.md#" + shipped["name"] + ")" in lines[0]
    assert "[samples]" not in lines[1]
