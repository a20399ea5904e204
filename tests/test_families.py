"""Every registered family passes the checklist: the test enumerates the
registry, so a new family cannot skip it (see docs/adding_a_family.md)."""

import pytest

import keras_gans
from tests.gan_test_utils import run_gan_test, tiny_family

FAMILIES = keras_gans.list_models()


def test_the_registry_holds_the_zoo_families():
    assert {"dcgan", "vanilla_gan", "conditional_gan", "acgan", "vae_gan",
            "wgan_gp"} <= set(FAMILIES)


@pytest.mark.parametrize("family", FAMILIES)
def test_family_passes_the_checklist(family, labelled_digits, tmp_path):
    model = tiny_family(family)
    (x, y), _ = labelled_digits
    data = (x, y) if model.num_classes is not None else x
    sample_kwargs = {"labels": [0, 1, 2, 3, 4]} if model.num_classes else {}
    loaded = run_gan_test(model, data, batch_size=16, steps=2, tmp_path=tmp_path,
                          sample_kwargs=sample_kwargs)
    # The family file holds only what differs: no step of its own.
    for method in ("train_step", "test_step", "_train_step", "_test_step"):
        assert getattr(type(loaded), method) is getattr(keras_gans.GAN, method), (
            f"{family} overrides {method}; declare phases() instead"
        )


def test_readme_family_table_is_generated_from_the_registry():
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(__file__)), "tools"))
    import families_table

    readme = os.path.join(os.path.dirname(os.path.dirname(__file__)), "README.md")
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    assert families_table.render(text) == text, (
        "README.md's family table is stale: run python tools/families_table.py"
    )
    for family in FAMILIES:
        assert f"| `{family}` |" in text
