"""Names: families and presets, their listing, look-up and errors."""

import json

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans import registry


def test_list_models_with_patterns():
    assert {"dcgan", "vanilla_gan"} <= set(keras_gans.list_models())
    assert keras_gans.list_models("dc*") == ["dcgan"]
    assert keras_gans.list_models("no_such*") == []
    assert keras_gans.list_models() == sorted(keras_gans.list_models())


def test_get_builds_with_overrides():
    model = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=32, width=32)
    assert isinstance(model, keras_gans.DCGAN)
    assert model.latent_dim == 32 and model.image_shape == (8, 8, 1)
    assert keras_gans.get_class("DCGAN") is keras_gans.DCGAN  # case-insensitive
    assert keras_gans.get_class("vanilla-gan") is keras_gans.VanillaGAN


def test_unknown_model_lists_close_names():
    with pytest.raises(ValueError, match=r"Unknown model 'dcgn'.*Close names: dcgan"):
        keras_gans.get("dcgn")
    with pytest.raises(TypeError, match="must be a string"):
        keras_gans.get_class(3)


def test_third_party_family_registers_and_builds():
    @keras_gans.register("tiny_test_gan")
    class TinyGAN(keras_gans.DCGAN):
        pass

    try:
        assert "tiny_test_gan" in keras_gans.list_models("tiny*")
        model = keras_gans.get("tiny_test_gan", image_shape=(8, 8, 1), width=32,
                               latent_dim=32)
        assert type(model) is TinyGAN and TinyGAN.family == "tiny_test_gan"
        with pytest.raises(ValueError, match="already registered"):
            keras_gans.register("tiny_test_gan")(type("Other", (), {}))
    finally:
        registry._MODELS.pop("tiny_test_gan", None)


def test_list_presets_patterns_and_family():
    names = keras_gans.list_presets()
    assert names == sorted(names)
    required = {
        "vanilla_gan_digits", "dcgan_digits", "conditional_gan_digits",
        "vae_gan_digits", "acgan_digits", "dcgan_mnist", "conditional_gan_mnist",
        "dcgan_fashion_mnist", "conditional_gan_fashion_mnist",
        "dcgan_cifar10", "dcgan_celeb_a",
    }
    assert required <= set(names)
    assert keras_gans.list_presets("*_digits") == sorted(
        n for n in names if n.endswith("_digits")
    )
    dcgans = keras_gans.list_presets(family="dcgan")
    assert dcgans and all(keras_gans.get_preset(n)["family"] == "dcgan" for n in dcgans)
    assert keras_gans.list_presets("nothing*") == []


def test_get_preset_returns_an_independent_copy():
    preset = keras_gans.get_preset("dcgan_digits")
    assert preset["name"] == "dcgan_digits" and preset["family"] == "dcgan"
    assert preset["dataset"]["name"] == "digits"
    assert preset["architecture"]["image_shape"] == [8, 8, 1]
    preset["architecture"]["width"] = 999
    assert keras_gans.get_preset("dcgan_digits")["architecture"]["width"] != 999
    assert registry.preset_path("dcgan_digits").endswith("dcgan_digits.json")


def test_unknown_preset_lists_close_names():
    with pytest.raises(ValueError, match=r"Unknown preset 'dcgan_digit'.*dcgan_digits"):
        keras_gans.from_preset("dcgan_digit")
    # A family name is not a preset; the error lists the family's presets.
    with pytest.raises(ValueError, match=r"'dcgan' is a model family; its presets"):
        keras_gans.get_preset("dcgan")


def test_from_preset_is_compiled_with_the_recipe():
    model = keras_gans.from_preset("dcgan_digits")
    recipe = keras_gans.get_preset("dcgan_digits")["training"]
    assert model.compiled and model.gan_loss.name == recipe["loss"]
    lr = recipe["optimizers"]["d_optimizer"]["config"]["learning_rate"]
    assert np.isclose(float(model.d_optimizer.learning_rate), lr)
    assert np.isclose(float(model.g_optimizer.beta_1), 0.5)
    assert model.d_optimizer is not model.g_optimizer


def test_from_preset_overrides_constructor_and_compile_args():
    model = keras_gans.from_preset(
        "dcgan_digits", latent_dim=8, loss="hinge",
        g_optimizer=keras.optimizers.Adam(1e-3),
    )
    assert model.latent_dim == 8 and model.gan_loss.name == "hinge"
    assert np.isclose(float(model.g_optimizer.learning_rate), 1e-3)
    uncompiled = keras_gans.from_preset("dcgan_digits", compile=False)
    assert not getattr(uncompiled, "compiled", False)
    with pytest.raises(TypeError, match=r"DCGAN has no argument 'widht'.*width"):
        keras_gans.from_preset("dcgan_digits", widht=3)
    with pytest.raises(TypeError, match="compile=False"):
        keras_gans.from_preset("dcgan_digits", compile=False, loss="hinge")


def _tiny_preset(name="tiny_dcgan_digits", family="dcgan"):
    preset = keras_gans.get_preset("dcgan_digits")
    preset.update(name=name, family=family, param_count=None)
    preset["architecture"].update(seed=7)
    return preset


def test_register_preset_from_dict_and_file(tmp_path):
    try:
        assert keras_gans.register_preset(_tiny_preset()) == "tiny_dcgan_digits"
        assert "tiny_dcgan_digits" in keras_gans.list_presets("tiny*")
        model = keras_gans.from_preset("tiny_dcgan_digits")
        assert model.seed == 7 and model.compiled
        with pytest.raises(ValueError, match="already exists"):
            keras_gans.register_preset(_tiny_preset())
        path = tmp_path / "p.json"
        preset = _tiny_preset()
        preset["architecture"]["seed"] = 8
        path.write_text(json.dumps(preset))
        keras_gans.register_preset(str(path), overwrite=True)
        assert keras_gans.get_preset("tiny_dcgan_digits")["architecture"]["seed"] == 8
        assert registry.preset_path("tiny_dcgan_digits") is None
    finally:
        registry._USER_PRESETS.pop("tiny_dcgan_digits", None)


def test_preset_of_an_unregistered_family_says_so():
    try:
        keras_gans.register_preset(_tiny_preset("nope_gan_digits", "nope_gan"))
        assert "nope_gan_digits" in keras_gans.list_presets()
        with pytest.raises(ValueError, match=r"needs the model family 'nope_gan'.*not registered"):
            keras_gans.from_preset("nope_gan_digits")
    finally:
        registry._USER_PRESETS.pop("nope_gan_digits", None)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda p: p.pop("family"), "missing the required key 'family'"),
        (lambda p: p.update(name="Bad Name"), "lower case"),
        (lambda p: p["training"].update(batch_size="64"), "'batch_size' must be of type int"),
        (lambda p: p["training"].update(epochs=0), "'epochs' must be a positive integer"),
        (lambda p: p["training"]["optimizers"].update(adam={}), "expected entries such as"),
        (lambda p: p["dataset"].pop("with_labels"), "missing the required key 'with_labels'"),
        (lambda p: p.update(param_count="many"), "'param_count' must be an integer"),
        (lambda p: p["results"].append({"metrics": {"fid": "low"}, "command": "x",
                                        "commit": "abc"}), "must be a number"),
        (lambda p: p["results"].append({"metrics": {}}), "missing the required key 'command'"),
    ],
)
def test_validate_preset_rejects_bad_files(edit, message):
    preset = keras_gans.get_preset("dcgan_digits")
    edit(preset)
    with pytest.raises(ValueError, match=message):
        registry.validate_preset(preset, "bad.json")


def test_bad_json_file_is_reported_with_its_path(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match="broken.json: not valid JSON"):
        keras_gans.register_preset(str(path))


def test_preset_lookup_lives_in_the_registry_and_presets_builds():
    """One registry owns name and preset lookup; `keras_gans.presets` builds
    models from presets and re-exports the lookup (the same objects), and the
    registry imports neither presets nor anything above it: no cycle."""
    import ast

    from keras_gans import presets

    for name in ("preset_dir", "list_presets", "get_preset", "preset_path",
                 "register_preset", "validate_preset", "_USER_PRESETS", "_BUILTIN_CACHE"):
        assert getattr(registry, name) is getattr(presets, name), name
    assert presets.from_preset is keras_gans.from_preset
    assert presets.build_preset is keras_gans.presets.build_preset
    with pytest.raises(AttributeError, match="has no attribute 'from_preset'"):
        registry.from_preset
    with open(registry.__file__, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert {m for m in imported if m and m.startswith("keras_gans")} <= {
        "keras_gans", "keras_gans.preset_schema", "keras_gans.preset_files"}
