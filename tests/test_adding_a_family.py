"""Adding a family is one new folder: the registry's folder scan finds it,
the checklist trains and reloads it, and the generated tables document it
(docs/adding_a_family.md walks through the same folder)."""

import os
import sys
import textwrap

import pytest

import keras_gans
from keras_gans import registry
from tests.gan_test_utils import run_gan_test

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import families_table  # noqa: E402
import family_pages  # noqa: E402

MODEL = '''
"""A toy family: DCGAN's networks under another name."""

import keras

from keras_gans.models.base import GAN
from keras_gans.networks import dcgan as nets


@keras.saving.register_keras_serializable(package="keras_gans_toy")
class ToyGAN(GAN):
    """A toy GAN on the shared DCGAN networks, for the folder test.

    Example:

    ```python
    gan = keras_gans.get("toy_gan", image_shape=(8, 8, 1), latent_dim=4)
    ```
    """

    def __init__(self, image_shape=(8, 8, 1), latent_dim=4, width=4, **kwargs):
        super().__init__(architecture=dict(image_shape=image_shape,
                                           latent_dim=latent_dim, width=width), **kwargs)

    def build_networks(self, image_shape, latent_dim, width):
        return {
            "generator": nets.build_dcgan_generator(image_shape, latent_dim, width=width),
            "discriminator": nets.build_dcgan_discriminator(image_shape, width=width),
        }
'''

PAGE = """# ToyGAN

A toy family (after Radford et al. 2015, https://arxiv.org/abs/1511.06434).

## Results

<!-- measured:begin -->
<!-- measured:end -->
"""


@pytest.fixture
def toy_family(tmp_path):
    folder = tmp_path / "families"
    (folder / "toy_gan").mkdir(parents=True)
    (folder / "toy_gan" / "__init__.py").write_text('"""The toy_gan family."""\n')
    (folder / "toy_gan" / "model.py").write_text(textwrap.dedent(MODEL))
    (folder / "toy_gan" / "README.md").write_text(PAGE)
    try:
        yield folder
    finally:
        registry.remove_family_folder(folder)
        for name in [m for m in sys.modules if m.startswith("keras_gans.families.toy_gan")]:
            del sys.modules[name]


def test_a_new_family_folder_is_registered_trained_and_documented(toy_family, digits, tmp_path):
    assert "toy_gan" not in registry.scan_families()
    assert registry.add_family_folder(toy_family) == ["toy_gan"]
    # Registered by the same scan as the built-in families, without importing it.
    assert registry.scan_families()["toy_gan"].module == "keras_gans.families.toy_gan.model"
    assert registry.builtin_docstring("toy_gan").startswith("A toy GAN")
    assert "toy_gan" in keras_gans.list_models()
    model = keras_gans.get("toy_gan")
    assert type(model).__name__ == "ToyGAN" and type(model).family == "toy_gan"
    # Trained for a step by the checklist every family passes (it also saves
    # and reloads the model).
    x, _ = digits
    run_gan_test(model, x[:64], batch_size=16, steps=1, tmp_path=tmp_path)
    # Documented: its page is found and its measured section generated, and
    # the README's family table links it.
    page = family_pages.page_path("toy_gan")
    assert page == str(toy_family / "toy_gan" / "README.md")
    assert family_pages.problems([], names=["toy_gan"]) == [
        f"{os.path.relpath(page, ROOT)}: out of date with zoo/*/*.json"]
    assert family_pages.write([], names=["toy_gan"]) == [page]
    assert family_pages.problems([], names=["toy_gan"]) == []
    with open(page, encoding="utf-8") as f:
        assert "No preset of `toy_gan` in zoo/ yet." in f.read()
    row = next(r for r in families_table.families_table().splitlines() if "`toy_gan`" in r)
    assert "`ToyGAN`" in row and "A toy GAN on the shared DCGAN networks" in row
    assert "README.md" in row


def test_removing_the_folder_forgets_the_family(toy_family):
    registry.add_family_folder(toy_family)
    assert "toy_gan" in keras_gans.list_models()
    assert registry.remove_family_folder(toy_family) == ["toy_gan"]
    assert "toy_gan" not in keras_gans.list_models()
    with pytest.raises(ValueError, match="Unknown model 'toy_gan'"):
        keras_gans.get_class("toy_gan")


def test_a_family_folder_without_a_class_is_refused(tmp_path):
    folder = tmp_path / "families"
    (folder / "empty_gan").mkdir(parents=True)
    (folder / "empty_gan" / "model.py").write_text('"""No class here."""\n')
    try:
        with pytest.raises(ValueError, match="empty_gan.*model.py must define its GAN class"):
            registry.add_family_folder(folder)
    finally:
        registry.remove_family_folder(folder)
