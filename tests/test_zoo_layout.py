"""tools/zoo_layout.py: a flat preset file from another branch, or a recipe
that a merge filled with records again, lands in the layout unchanged in
what get_preset reads."""

import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import zoo_layout  # noqa: E402

from keras_gans import registry  # noqa: E402
import pytest  # noqa: E402

pytestmark = pytest.mark.backend_independent  # conftest.py: TensorFlow pass only


def _zoo_copy(tmp_path, family="dcgan"):
    zoo = tmp_path / "zoo"
    shutil.copytree(os.path.join(ROOT, "zoo", family), zoo / family)
    return zoo


def test_the_checked_in_zoo_is_in_the_layout():
    assert zoo_layout.flat_files() == [] and zoo_layout.mixed_files() == []
    assert zoo_layout.main(["--check"]) == 0


def test_a_flat_file_moves_into_its_family_folder_with_its_weights(tmp_path):
    zoo = _zoo_copy(tmp_path)
    merged = registry.read_preset_files(str(zoo / "dcgan" / "dcgan_digits.json"))
    # The layout before: one file with the records, weights in zoo/weights/.
    flat = dict(merged, name="dcgan_new_digits")
    flat["weights"] = dict(flat["weights"], file="weights/dcgan_new_digits.npz")
    (zoo / "weights").mkdir()
    shutil.copy(zoo / "dcgan" / "dcgan_digits.npz", zoo / "weights" / "dcgan_new_digits.npz")
    (zoo / "dcgan_new_digits.json").write_text(json.dumps(flat, indent=2))
    assert zoo_layout.flat_files(str(zoo)) == [str(zoo / "dcgan_new_digits.json")]
    target = zoo_layout.move(str(zoo / "dcgan_new_digits.json"), use_git=False, zoo=str(zoo))
    assert target == str(zoo / "dcgan" / "dcgan_new_digits.json")
    assert zoo_layout.flat_files(str(zoo)) == []
    assert (zoo / "dcgan" / "dcgan_new_digits.npz").is_file()
    with open(target, encoding="utf-8") as f:
        assert not set(json.load(f)) & {"results", "weights"}  # the recipe only
    moved = registry.read_preset_files(target)
    assert moved["results"] == merged["results"]
    assert moved["weights"] == dict(merged["weights"], file="dcgan_new_digits.npz")


def test_records_merged_into_a_recipe_go_to_its_sidecar(tmp_path):
    zoo = _zoo_copy(tmp_path)
    path = str(zoo / "dcgan" / "dcgan_digits.json")
    before = registry.read_preset_files(path)
    with open(path, encoding="utf-8") as f:
        recipe = json.load(f)
    new = {"metrics": {"fid1k_digits": 1.0}, "command": "x", "commit": "abc"}
    recipe["results"] = [before["results"][0], new]  # one known, one new
    with open(path, "w", encoding="utf-8") as f:
        json.dump(recipe, f)
    assert zoo_layout.mixed_files(str(zoo)) == [path]
    zoo_layout.split_records(path)
    assert zoo_layout.mixed_files(str(zoo)) == []
    after = registry.read_preset_files(path)
    assert after["results"] == before["results"] + [new]
    assert after["weights"] == before["weights"]
