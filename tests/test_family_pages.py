"""tools/family_pages.py: every family has a page whose measured section is
generated from zoo/, and a recorded number reaches the table."""

import copy
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import family_pages  # noqa: E402
import pytest  # noqa: E402

pytestmark = pytest.mark.backend_independent  # conftest.py: TensorFlow pass only


def _cells(row):
    return [c.strip() for c in row.strip().strip("|").split("|")]


def test_every_registered_family_has_a_page_with_markers():
    import keras_gans

    tool = family_pages
    zoo = [name for name in keras_gans.list_models()  # not a test's own family
           if keras_gans.get_class(name).__module__.startswith("keras_gans.")]
    assert tool.families() == zoo
    for family in tool.families():
        path = tool.page_path(family)
        assert os.path.isfile(path), f"no page {path}: write one (see keras_gans/families/sngan/README.md)"
        with open(path, encoding="utf-8") as f:
            text = f.read()
        assert tool.START in text and tool.END in text, f"{path} lacks the measured markers"
        assert "arxiv.org/abs/" in text, f"{path} cites no paper"


def test_pages_are_up_to_date_with_zoo():
    assert family_pages.problems() == [], "run python tools/family_pages.py --write"


def test_a_recorded_result_and_shipped_weights_reach_the_page(tmp_path):
    tool = family_pages
    import keras_gans

    preset = copy.deepcopy(keras_gans.get_preset("dcgan_mnist_cpu"))
    preset["name"] = "dcgan_toy"
    preset["training"]["epochs"] = 10
    preset["results"].append({
        "metrics": {"fid10k_mnist_cnn": 12.5, "fid_floor_mnist_cnn": 0.5,
                    "fid_ratio_mnist_cnn": 25.0, "nn_ratio_mnist_cnn": 0.93,
                    "class_share_min_mnist_cnn": 0.071, "label_accuracy_mnist_cnn": 0.96,
                    "train_seconds": 600.0},
        "command": "python benchmarks/quality.py --presets dcgan_toy",
        "commit": "abcdef0123", "backend": "jax", "epochs": 3, "date": "2030-01-02",
    })
    preset["weights"] = {
        "file": "dcgan_toy.npz", "dtype": "float16", "commit": "fedcba9876",
        "metrics": {"fid500_mnist_cnn": 31.4, "kid500_mnist_cnn": 2.0},
        "protocol": {"num_samples": 500, "extractor": "mnist_cnn"},
    }
    unmeasured = {"name": "dcgan_new", "family": "dcgan", "results": [],
                  "dataset": {"name": "digits"}, "training": {"epochs": 5}}
    other = dict(unmeasured, name="wgan_gp_new", family="wgan_gp")
    page = tmp_path / "dcgan.md"
    page.write_text(f"# DCGAN\n\nprose 1.0\n\n{tool.START}\nold 99.9\n{tool.END}\n",
                    encoding="utf-8")
    presets = [unmeasured, preset, other]

    assert tool.problems(presets, folder=str(tmp_path), names=["dcgan"]) == [
        f"{os.path.relpath(str(page), ROOT)}: out of date with zoo/*/*.json"
    ]
    assert tool.write(presets, folder=str(tmp_path), names=["dcgan"]) == [str(page)]
    assert tool.problems(presets, folder=str(tmp_path), names=["dcgan"]) == []
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# DCGAN\n\nprose 1.0\n") and "old 99.9" not in text
    assert "wgan_gp_new" not in text  # another family's preset

    section = text.split(tool.START)[1].split(tool.END)[0]
    lines = section.splitlines()
    header = _cells(next(line for line in lines if line.startswith("| Preset")))
    assert tuple(header) == tool.COLUMNS
    rows = {_cells(line)[0]: dict(zip(header, _cells(line)))
            for line in lines if line.startswith("| `")}
    assert rows["`dcgan_new`"]["FID metric"] == "not measured yet"
    row = rows["`dcgan_toy`"]
    assert (row["Data"], row["FID metric"], row["FID"]) == ("mnist", "`fid10k_mnist_cnn`", "12.5")
    assert (row["Floor"], row["Ratio"], row["NN ratio"]) == ("0.5", "25", "0.93")
    assert (row["Min class share"], row["Label acc."]) == ("0.071", "0.96")
    assert row["Train time"] == "10.0 min"
    assert row["Measured"] == "abcdef0, jax, 3 of 10 epochs, 2030-01-02"
    assert row["Command"] == "`python benchmarks/quality.py --presets dcgan_toy`"
    assert ("- `dcgan_toy`: `zoo/dcgan/dcgan_toy.npz`, float16, "
            "`fid500_mnist_cnn` 31.4, commit fedcba9") in section


def test_missing_page_or_markers_are_reported_not_invented(tmp_path):
    tool = family_pages
    (tmp_path / "sngan.md").write_text("# SNGAN\n", encoding="utf-8")
    found = tool.problems([], folder=str(tmp_path), names=["dcgan", "sngan"])
    assert "missing" in found[0] and "dcgan.md" in found[0]
    assert "lacks the markers" in found[1]
    assert tool.write([], folder=str(tmp_path), names=["dcgan", "sngan"]) == []
    assert not (tmp_path / "dcgan.md").exists()
