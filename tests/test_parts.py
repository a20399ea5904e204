"""One way to declare a part: `keras_gans.parts.register`.

A custom regularizer or augmentation declared with it is found by name
(`compile`, preset short forms) and survives a `.keras` save and load, as
the built-in ones and a custom loss do.
"""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans
from keras_gans import augmentation, parts, regularizers


@parts.register("regularizer", "test_score_sq")
class ScoreSquare(regularizers.Regularizer):
    """Mean squared real score, a penalty with a closed form."""

    log_name = "score_sq"

    def penalty(self, model, context):
        return ops.mean(ops.square(context["real_scores"]))


@parts.register("augmentation", "test_flip")
class Flip(augmentation.Augmentation):
    """Left-right flip of every image."""

    def augment(self, images, seed_generator):
        return ops.flip(images, axis=2)


def test_builtin_parts_are_found_by_their_names():
    assert {"gp", "gradient_penalty", "r1", "r2", "lecam", "bcr"} <= set(parts.names("regularizer"))
    assert {"identity", "diffaugment", "diff_augment", "ada", "adaptive"} <= set(
        parts.names("augmentation"))
    assert type(regularizers.get("GP")) is regularizers.GradientPenalty
    assert type(augmentation.get("ada")) is augmentation.AdaptiveAugment
    # The Keras names of the zoo's parts are unchanged: old .keras files name them.
    assert keras.saving.get_registered_name(regularizers.R1) == "keras_gans>R1"
    assert keras.saving.get_registered_name(augmentation.DiffAugment) == "keras_gans>DiffAugment"


def test_a_registered_custom_part_is_found_by_name_and_short_form():
    assert type(regularizers.get("test_score_sq")) is ScoreSquare
    short = {"class_name": "ScoreSquare", "config": {"weight": 2.0}}
    assert regularizers.get(short).weight == 2.0
    assert type(augmentation.get("TEST_FLIP")) is Flip


def test_unknown_names_say_what_is_known_and_what_is_close():
    with pytest.raises(ValueError, match=r"Unknown regularizer 'r11'.*Did you mean 'r1'"):
        regularizers.get("r11")
    # An unknown augmentation name stays a TypeError too, as it was.
    with pytest.raises(TypeError, match=r"Unknown augmentation 'difaugment'.*'diffaugment'"):
        augmentation.get("difaugment")
    with pytest.raises(TypeError, match="regularizer must be a keras_gans.regularizers.Regularizer"):
        regularizers.get(3)


def test_a_name_is_taken_once():
    with pytest.raises(ValueError, match="'r1' is taken by keras_gans.regularizers.gradient.R1"):
        @parts.register("regularizer", "r1")
        class Other(regularizers.Regularizer):
            pass
    with pytest.raises(ValueError, match="Unknown part kind 'optimizer'"):
        parts.register("optimizer")


def test_custom_parts_survive_a_keras_round_trip(tmp_path):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4, seed=0)
    gan.compile(regularizers=["test_score_sq"], augmentation="test_flip")
    x = keras_gans.datasets.load_digits()[:32]
    gan.fit(x, batch_size=16, epochs=1, verbose=0)
    path = str(tmp_path / "custom_parts.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert [type(r) for r in loaded.regularizers] == [ScoreSquare]
    assert type(loaded.augmentation) is Flip
    # And they still work: the loaded model trains and logs the penalty.
    history = loaded.fit(x, batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["score_sq"][0])


def test_a_part_module_imported_first_does_not_break_the_zoo(tmp_path):
    module = "keras_gans.parts"
    path = str(tmp_path / "tiny.keras")
    keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=4, width=4).save(path)
    # Importing keras_gans.parts first used to import Keras from inside it,
    # whose import hook loaded the families, which call parts.register on
    # the half-imported module: AttributeError. Now the families register on
    # the registry's first lookup, and keras_gans.load_model makes sure of it.
    import subprocess
    import sys

    # load_model comes first: no registry lookup has run before it.
    code = (f"import {module}, keras_gans; "
            f"assert type(keras_gans.load_model({path!r})).__name__ == 'DCGAN'; "
            "assert 'dcgan' in keras_gans.list_models(); "
            "print(type(keras_gans.parts.get('regularizer', 'r1', "
            "keras_gans.regularizers.Regularizer)).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().endswith("R1")
