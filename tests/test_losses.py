"""Each loss against values computed by hand with numpy."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import losses

REAL = np.array([2.0, -0.5, 0.3, 1.2], dtype="float32")
FAKE = np.array([-1.5, 0.4, -0.2, 3.0], dtype="float32")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def value(x):
    return float(ops.convert_to_numpy(x))


def test_minimax_matches_the_paper():
    d = -np.mean(np.log(sigmoid(REAL))) - np.mean(np.log(1.0 - sigmoid(FAKE)))
    g = np.mean(np.log(1.0 - sigmoid(FAKE)))
    loss = losses.get("minimax")
    assert value(loss.discriminator_loss(REAL, FAKE)) == pytest.approx(d, rel=1e-5)
    assert value(loss.generator_loss(FAKE)) == pytest.approx(g, rel=1e-5)


def test_non_saturating_generator_loss():
    g = -np.mean(np.log(sigmoid(FAKE)))
    assert value(losses.get("non_saturating").generator_loss(FAKE)) == pytest.approx(g, rel=1e-5)


def test_label_smoothing_target():
    t = 0.9
    d = -np.mean(t * np.log(sigmoid(REAL)) + (1 - t) * np.log(1 - sigmoid(REAL)))
    d -= np.mean(np.log(1.0 - sigmoid(FAKE)))
    got = losses.logistic_discriminator_loss(REAL, FAKE, real_target=t)
    assert value(got) == pytest.approx(d, rel=1e-5)


def test_least_squares():
    d = 0.5 * np.mean((REAL - 1) ** 2) + 0.5 * np.mean(FAKE**2)
    g = 0.5 * np.mean((FAKE - 1) ** 2)
    loss = losses.get("least_squares")
    assert value(loss.discriminator_loss(REAL, FAKE)) == pytest.approx(d, rel=1e-5)
    assert value(loss.generator_loss(FAKE)) == pytest.approx(g, rel=1e-5)


def test_hinge():
    d = np.mean(np.maximum(0, 1 - REAL)) + np.mean(np.maximum(0, 1 + FAKE))
    loss = losses.get("hinge")
    assert value(loss.discriminator_loss(REAL, FAKE)) == pytest.approx(d, rel=1e-5)
    assert value(loss.generator_loss(FAKE)) == pytest.approx(-np.mean(FAKE), rel=1e-5)


def test_wasserstein():
    loss = losses.get("wasserstein")
    d = np.mean(FAKE) - np.mean(REAL)
    assert value(loss.discriminator_loss(REAL, FAKE)) == pytest.approx(d, rel=1e-5)
    assert value(loss.generator_loss(FAKE)) == pytest.approx(-np.mean(FAKE), rel=1e-5)


def test_logistic_losses_are_stable_for_large_logits():
    big = np.array([80.0, -80.0], dtype="float32")
    for name in ("minimax", "non_saturating"):
        loss = losses.get(name)
        assert np.isfinite(value(loss.discriminator_loss(big, big)))
        assert np.isfinite(value(loss.generator_loss(big)))


def test_names_aliases_and_callables():
    assert losses.get("lsgan") is losses.get("least_squares")
    assert losses.get("Non-Saturating") is losses.get("non_saturating")
    pair = losses.get((losses.hinge_discriminator_loss, losses.negative_score_generator_loss))
    assert pair.name == "custom"
    assert losses.serialize(pair) is None
    assert losses.serialize(losses.get("hinge")) == "hinge"


def test_unknown_loss_name_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"Unknown GAN loss 'hingee'.*Did you mean 'hinge'"):
        losses.get("hingee")
    with pytest.raises(ValueError, match="Could not interpret GAN loss 3"):
        losses.get(3)
    with pytest.raises(TypeError, match="two callables"):
        losses.GANLoss("a", "b")


def softplus(x):
    return np.log1p(np.exp(x))


def test_rpgan_pairs_each_real_score_with_one_fake_score():
    # Huang et al. 2024 (R3GAN), eq. 2: D minimises f(C(fake_i) - C(real_i)),
    # G minimises f(C(real_i) - C(fake_i)), f = softplus, pairs by index.
    loss = losses.get("rpgan")
    assert loss.relativistic and not loss.supports_label_smoothing
    d = np.mean(softplus(FAKE - REAL))
    g = np.mean(softplus(REAL - FAKE))
    assert value(loss.discriminator_loss(REAL, FAKE)) == pytest.approx(d, rel=1e-5)
    assert value(loss.generator_loss(REAL, FAKE)) == pytest.approx(g, rel=1e-5)
    # Pairing, not averaging: permuting the fakes changes the loss.
    permuted = value(loss.discriminator_loss(REAL, FAKE[::-1]))
    assert permuted != pytest.approx(d, rel=1e-3)


def test_ragan_compares_each_score_with_the_other_sides_mean():
    # Jolicoeur-Martineau 2018, eqs. 13-14 with the logistic f.
    loss = losses.get("ragan")
    d = np.mean(softplus(-(REAL - FAKE.mean()))) + np.mean(softplus(FAKE - REAL.mean()))
    g = np.mean(softplus(-(FAKE - REAL.mean()))) + np.mean(softplus(REAL - FAKE.mean()))
    assert value(loss.discriminator_loss(REAL, FAKE)) == pytest.approx(d, rel=1e-5)
    assert value(loss.generator_loss(REAL, FAKE)) == pytest.approx(g, rel=1e-5)
    assert losses.serialize(loss) == "ragan"


@keras.saving.register_keras_serializable(package="test_losses")
def scaled_hinge_discriminator_loss(real_scores, fake_scores, real_target=1.0):
    return 0.5 * losses.hinge_discriminator_loss(real_scores, fake_scores, real_target)


@keras.saving.register_keras_serializable(package="test_losses")
def scaled_negative_score_generator_loss(fake_scores):
    return 0.5 * losses.negative_score_generator_loss(fake_scores)


def test_a_custom_loss_is_a_part_that_survives_a_keras_round_trip(digits, tmp_path):
    import keras_gans

    mine = losses.GANLoss(scaled_hinge_discriminator_loss, scaled_negative_score_generator_loss,
                          name="half_hinge", supports_label_smoothing=False)
    assert mine.restorable()
    config = losses.serialize(mine)
    assert config["config"]["name"] == "half_hinge"
    again = losses.get(config)
    assert again.discriminator_loss is scaled_hinge_discriminator_loss
    assert (again.name, again.supports_label_smoothing) == ("half_hinge", False)

    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4, seed=0)
    gan.compile(loss=mine)
    gan.fit(digits[0][:32], batch_size=16, epochs=1, verbose=0)
    path = str(tmp_path / "half_hinge.keras")
    gan.save(path)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "custom loss" warning
        loaded = keras.models.load_model(path)
    assert loaded.gan_loss.name == "half_hinge"
    assert loaded.gan_loss.generator_loss is scaled_negative_score_generator_loss
    scores = np.array([[0.5], [-2.0]], "float32")
    assert value(loaded.gan_loss.discriminator_loss(scores, -scores)) == pytest.approx(
        0.5 * value(losses.hinge_discriminator_loss(scores, -scores)))


def test_a_loss_registered_by_name_is_found_by_compile_and_by_a_keras_file(tmp_path):
    """Losses go through keras_gans.parts like regularizers: a `GANLoss`
    filed under a name is what `get(name)` returns, `compile(loss=name)`
    takes it, and a `.keras` file saves it by that name and finds it again."""
    import keras_gans
    from keras_gans import parts

    mine = losses.GANLoss(losses.hinge_discriminator_loss, losses.negative_score_generator_loss,
                          name="test_named_hinge", supports_label_smoothing=False)
    assert parts.register("loss")(mine) is mine
    assert losses.get("Test-Named-Hinge") is mine
    assert "test_named_hinge" in parts.names("loss")
    assert losses.serialize(mine) == "test_named_hinge"
    with pytest.raises(ValueError, match="'hinge' is taken by GANLoss\\(name='hinge'\\)"):
        parts.register("loss", "hinge")(mine)

    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4, seed=0)
    gan.compile(loss="test_named_hinge")
    assert gan.gan_loss is mine
    path = str(tmp_path / "named.keras")
    gan.save(path)
    assert keras.models.load_model(path).gan_loss is mine
