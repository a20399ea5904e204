"""InfoGAN: codes are drawn from their priors, fix the output, and Q learns
to recover them (the information term falls)."""

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans import datasets


def tiny(**kwargs):
    args = dict(image_shape=(8, 8, 1), noise_dim=8, num_categories=10,
                num_continuous=2, width=8, seed=0)
    return keras_gans.InfoGAN(**{**args, **kwargs})


def test_latent_vectors_hold_noise_and_codes_from_their_priors():
    gan = tiny()
    assert gan.latent_dim == 8 + 10 + 2
    for z in (gan.latent_vectors(256, seed=0),
              np.asarray(gan.sample_latent(256))):
        one_hot = z[:, 8:18]
        np.testing.assert_array_equal(one_hot.sum(axis=1), 1.0)
        assert set(np.unique(one_hot)) == {0.0, 1.0}
        assert len(np.unique(one_hot.argmax(axis=1))) == 10
        assert np.abs(z[:, 18:]).max() <= 1.0 and z[:, 18:].std() > 0.4
        assert 0.8 < z[:, :8].std() < 1.2


def test_codes_fix_the_output():
    gan = tiny()
    codes = {"categorical": 3, "continuous": [0.5, -0.5]}
    a = gan.generate(4, codes=codes, seed=0)
    np.testing.assert_array_equal(a, gan.generate(4, codes=codes, seed=0))
    other = gan.generate(4, codes={**codes, "categorical": 4}, seed=0)
    assert not np.allclose(a, other)
    # The same codes for different noise: only the noise part differs.
    z = gan.latent_vectors(4, seed=1)
    fixed = gan.make_codes(4, categorical=3, continuous=[0.5, -0.5])
    z[:, 8:] = fixed
    np.testing.assert_allclose(gan.generate(z=z), gan.generate(z=z, codes=fixed))
    assert gan.generate(3, seed=0).shape == (3, 8, 8, 1)  # no codes given


@pytest.mark.parametrize(
    "kwargs, match",
    [({"num_categories": 1}, "num_categories"), ({"num_continuous": -1}, "num_continuous"),
     ({"num_categories": 0, "num_continuous": 0}, "code"), ({"noise_dim": 0}, "noise_dim"), ({"latent_dim": 4}, "noise_dim"),
     ({"info_weight": -1.0}, "info_weight")],
)
def test_bad_arguments_name_the_argument(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        tiny(**kwargs)


def test_bad_codes_name_the_argument():
    gan = tiny()
    with pytest.raises(ValueError, match="categorical"):
        gan.generate(codes={"categorical": 10})
    with pytest.raises(ValueError, match="continuous"):
        gan.generate(codes={"continuous": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="codes"):
        gan.generate(codes=np.zeros((2, 5)))


def test_information_term_falls_and_q_recovers_the_category():
    gan = tiny(width=16)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5))  # the paper's
    x = datasets.load_digits(split="train")[:640]
    history = gan.fit(x, batch_size=64, epochs=6, shuffle=False, verbose=0)
    info = history.history["g_info_loss"]
    assert info[-1] < 0.6 * info[0], info
    codes = gan.make_codes(200, seed=5)
    images = gan.generate(z=gan.latent_vectors(200, seed=5), codes=codes, ema=False)
    category, continuous = gan.infer_codes(images)
    accuracy = np.mean(category == codes[:, :10].argmax(axis=1))
    # Chance is 0.1. (Inference mode, with batch norm's moving statistics
    # after only 60 steps, is lower than training mode's ~0.9.)
    assert accuracy > 0.4, accuracy
    assert continuous.shape == (200, 2)


def test_ada_is_adapted_and_logged_on_infogan(digits):
    # InfoGAN's discriminator phase is its own (it also trains Q); like
    # VAE-GAN's it must show ADA the real scores and log ADA's state.
    from keras_gans.augmentation import AdaptiveAugment

    model = tiny(width=4)
    model.compile(augmentation=AdaptiveAugment(target=-1.0, interval=1, speed_images=160))
    history = model.fit(digits[0][:32], batch_size=16, epochs=1, shuffle=False, verbose=0)
    # Adapted: target -1 makes p rise by 16/160 at each of the 2 steps.
    assert float(keras.ops.convert_to_numpy(model.augmentation.p)) == pytest.approx(0.2)
    # Logged: fit() reports p (the epoch's mean) and r_t.
    assert history.history["aug_p"][-1] > 0
    assert "aug_rt" in history.history
