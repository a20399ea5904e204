"""The foundation: the GAN base class, the vanilla GAN and the DCGAN."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from scipy import linalg
from sklearn.decomposition import PCA

import keras_gans
from keras_gans import losses, nets
from gan_test_utils import iterations, run_gan_test


def tiny_dcgan(**kwargs):
    kwargs.setdefault("image_shape", (8, 8, 1))
    kwargs.setdefault("latent_dim", 8)
    kwargs.setdefault("width", 8)
    kwargs.setdefault("seed", 0)
    return keras_gans.DCGAN(**kwargs)


def tiny_vanilla(**kwargs):
    return keras_gans.VanillaGAN(
        image_shape=(8, 8, 1), latent_dim=8, generator_units=(16,),
        discriminator_units=(16,), pieces=2, seed=0, **kwargs,
    )


# ------------------------------------------------------------ the checklist


def test_dcgan_checklist(digits, tmp_path):
    run_gan_test(tiny_dcgan(), digits[0], tmp_path=tmp_path)


def test_vanilla_gan_checklist(digits, tmp_path):
    run_gan_test(tiny_vanilla(), digits[0], tmp_path=tmp_path)


def test_gan_with_user_networks_and_options(digits, tmp_path):
    generator = nets.build_dcgan_generator((8, 8, 1), latent_dim=4, width=4)
    discriminator = nets.build_dcgan_discriminator((8, 8, 1), width=4)
    gan = keras_gans.GAN(generator, discriminator, d_steps=2, label_smoothing=0.1, seed=3)
    assert gan.latent_dim == 4
    loaded = run_gan_test(
        gan, digits[0], tmp_path=tmp_path, compile_kwargs={"loss": "least_squares"}
    )
    assert loaded.d_steps == 2 and loaded.label_smoothing == pytest.approx(0.1)
    assert loaded.gan_loss.name == "least_squares"


@pytest.mark.parametrize("loss", sorted(losses.LOSSES))
def test_every_loss_trains_finitely(loss, digits):
    gan = tiny_dcgan()
    gan.compile(loss=loss)
    history = gan.fit(digits[0][:64], batch_size=32, epochs=1, verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    if losses.get(loss).probabilistic:
        assert 0.0 < history.history["d_real"][-1] < 1.0


def test_d_steps_updates_discriminator_more_often(digits):
    gan = tiny_dcgan(d_steps=3)
    gan.compile()
    gan.fit(digits[0][:64], batch_size=32, epochs=1, verbose=0)
    assert iterations(gan) == {"discriminator": 6, "generator": 2}


def test_label_smoothing_changes_the_discriminator_target():
    gan = tiny_dcgan(label_smoothing=0.2)
    gan.compile()
    x = np.zeros((4, 8, 8, 1), "float32")
    real_scores = keras.ops.convert_to_numpy(gan.discriminator(x, training=False))
    loss, _ = gan.discriminator_loss(x, x, training=False)
    expected = losses.logistic_discriminator_loss(real_scores, real_scores, real_target=0.8)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loss), keras.ops.convert_to_numpy(expected), rtol=1e-5
    )


def test_validation_data_reports_both_losses(digits):
    gan = tiny_dcgan()
    gan.compile()
    history = gan.fit(
        digits[0][:64], batch_size=32, epochs=1, verbose=0,
        validation_data=(digits[1][:32],),
    )
    assert {"val_d_loss", "val_g_loss"} <= set(history.history)
    assert iterations(gan) == {"discriminator": 2, "generator": 2}


def test_fit_on_a_tf_data_dataset_with_labels_ignored(labelled_digits):
    (x, y), _ = labelled_digits
    ds = tf.data.Dataset.from_tensor_slices((x[:64], y[:64])).batch(32)
    gan = tiny_dcgan()
    gan.compile()
    gan.fit(ds, epochs=1, verbose=0)
    assert iterations(gan)["generator"] == 2


# ---------------------------------------------------------------- sampling


def test_generate_shapes_range_and_seeds():
    gan = tiny_dcgan()
    images = gan.generate(5, seed=1)
    assert images.shape == (5, 8, 8, 1) and images.dtype == np.float32
    assert images.min() >= -1.0 and images.max() <= 1.0
    np.testing.assert_array_equal(images, gan.generate(5, seed=1))
    assert not np.array_equal(images, gan.generate(5, seed=2))
    z = gan.latent_vectors(3, seed=0)
    np.testing.assert_allclose(
        gan.generate(z=z), keras.ops.convert_to_numpy(gan(z)), atol=1e-6
    )
    assert gan.generate(600, seed=0, batch_size=256).shape == (600, 8, 8, 1)


def test_generate_refuses_bad_latents():
    gan = tiny_dcgan()
    with pytest.raises(ValueError, match=r"z must have shape \(n, 8\); received shape \(2, 5\)"):
        gan.generate(z=np.zeros((2, 5)))
    with pytest.raises(ValueError, match="num_samples must be >= 1"):
        gan.generate(0)


# ---------------------------------------------------------------- networks


@pytest.mark.parametrize("shape", [(8, 8, 1), (16, 16, 1), (28, 28, 1), (32, 32, 3), (64, 64, 3), (32, 16, 3)])
def test_dcgan_any_shape_divisible_by_4(shape):
    gan = keras_gans.DCGAN(image_shape=shape, latent_dim=16, width=8)
    assert gan.image_shape == shape
    assert gan.generate(2, seed=0).shape == (2,) + shape
    assert tuple(gan.discriminator.output_shape) == (None, 1)


def test_dcgan_width_is_configurable():
    small = keras_gans.DCGAN(image_shape=(28, 28, 1), width=8)
    large = keras_gans.DCGAN(image_shape=(28, 28, 1), width=32)
    assert small.count_params() < large.count_params()
    convs = [l for l in large.discriminator.layers if isinstance(l, keras.layers.Conv2D)]
    assert convs[0].filters == 32


def test_dcgan_follows_the_paper_guidelines():
    gan = keras_gans.DCGAN(image_shape=(32, 32, 3), width=8)
    d_layers, g_layers = gan.discriminator.layers, gan.generator.layers
    assert not any(isinstance(l, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)) for l in d_layers)
    assert all(l.strides == (2, 2) for l in d_layers if isinstance(l, keras.layers.Conv2D))
    assert any(isinstance(l, keras.layers.Conv2DTranspose) for l in g_layers)
    assert any(isinstance(l, keras.layers.LeakyReLU) for l in d_layers)
    assert any(isinstance(l, keras.layers.ReLU) for l in g_layers)
    assert g_layers[-1].get_config()["activation"] == "tanh"
    # Batch norm everywhere but the discriminator's input layer.
    first_conv = next(i for i, l in enumerate(d_layers) if isinstance(l, keras.layers.Conv2D))
    assert not isinstance(d_layers[first_conv + 1], keras.layers.BatchNormalization)
    assert any(isinstance(l, keras.layers.BatchNormalization) for l in d_layers)


def test_bad_architectures_are_refused():
    with pytest.raises(ValueError, match=r"divisible by 4; received image_shape=\(30, 30, 1\)"):
        keras_gans.DCGAN(image_shape=(30, 30, 1))
    with pytest.raises(ValueError, match="image_shape must be"):
        keras_gans.DCGAN(image_shape=(28, 28))
    g = nets.build_dcgan_generator((8, 8, 1), latent_dim=4, width=4)
    d = nets.build_dcgan_discriminator((16, 16, 1), width=4)
    with pytest.raises(ValueError, match=r"generator makes images of shape \(8, 8, 1\) but the discriminator expects \(16, 16, 1\)"):
        keras_gans.GAN(g, d)
    d8 = nets.build_dcgan_discriminator((8, 8, 1), width=4)
    with pytest.raises(ValueError, match="latent_dim=5 does not match"):
        keras_gans.GAN(g, d8, latent_dim=5)
    with pytest.raises(TypeError, match="must be a keras.Model"):
        keras_gans.GAN(g, "nope")
    with pytest.raises(ValueError, match="d_steps must be >= 1"):
        keras_gans.GAN(g, d8, d_steps=0)


# --------------------------------------------------------- compile, config


def test_compile_options_and_refusals():
    gan = tiny_dcgan()
    opt = keras.optimizers.Adam(1e-3)
    with pytest.raises(ValueError, match="its own optimizer instance"):
        gan.compile(d_optimizer=opt, g_optimizer=opt)
    with pytest.raises(ValueError, match="Unknown GAN loss 'hingee'"):
        tiny_dcgan().compile(loss="hingee")
    with pytest.raises(TypeError, match=r"unexpected arguments \['metrics'\]"):
        tiny_dcgan().compile(metrics=["mae"])
    with pytest.raises(ValueError, match="label_smoothing=0.1 has no meaning for the 'wasserstein' loss"):
        tiny_dcgan(label_smoothing=0.1).compile(loss="wasserstein")
    gan = tiny_dcgan()
    gan.compile(d_optimizer="sgd", g_optimizer=keras.optimizers.RMSprop(1e-4))
    assert isinstance(gan.d_optimizer, keras.optimizers.SGD)
    assert len(gan.optimizer.variables) == len(gan.d_optimizer.variables) + len(gan.g_optimizer.variables)
    default = tiny_dcgan()
    default.compile()
    assert float(default.d_optimizer.learning_rate) == pytest.approx(2e-4)
    assert float(default.g_optimizer.beta_1) == pytest.approx(0.5)
    assert default.gan_loss.name == "non_saturating"


def test_fit_before_compile_is_refused(digits):
    with pytest.raises(RuntimeError, match=r"Call DCGAN.compile\(\) before fit\(\)"):
        tiny_dcgan().fit(digits[0][:32], verbose=0)


def test_config_round_trip_of_the_base_class():
    g = nets.build_mlp_generator((8, 8, 1), latent_dim=4, hidden_units=(8,))
    d = nets.build_mlp_discriminator((8, 8, 1), hidden_units=(8,), pieces=2)
    gan = keras_gans.GAN(g, d, d_steps=2, seed=5, name="my_gan")
    clone = keras_gans.GAN.from_config(gan.get_config())
    assert clone.name == "my_gan" and clone.d_steps == 2 and clone.seed == 5
    assert clone.count_params() == gan.count_params()
    assert clone.get_config() == gan.get_config()


def test_custom_loss_pair_trains_and_saving_warns(digits, tmp_path):
    gan = tiny_dcgan()
    gan.compile(loss=(losses.hinge_discriminator_loss, losses.negative_score_generator_loss))
    gan.fit(digits[0][:32], batch_size=32, epochs=1, verbose=0)
    path = tmp_path / "custom.keras"
    gan.save(path)
    with pytest.warns(UserWarning, match="custom loss"):
        loaded = keras.models.load_model(path)
    assert loaded.gan_loss.name == "non_saturating"


# --------------------------------------------------------------- bad input


@pytest.fixture
def compiled():
    gan = tiny_dcgan()
    gan.compile()
    return gan


def test_wrong_image_shape_is_refused_before_training(compiled):
    x = np.zeros((32, 28, 28, 1), "float32")
    with pytest.raises(ValueError, match=r"`training images` have shape \(28, 28, 1\) per image; expected \(8, 8, 1\)"):
        compiled.fit(x, verbose=0)
    with pytest.raises(ValueError, match=r"must be 4-D \(n, height, width, channels\); received shape \(32, 8, 8\)"):
        compiled.fit(np.zeros((32, 8, 8), "float32"), verbose=0)
    assert iterations(compiled) == {"discriminator": 0, "generator": 0}


def test_unscaled_uint8_pixels_are_refused(compiled):
    x = np.full((32, 8, 8, 1), 200, "uint8")
    with pytest.raises(ValueError, match=r"uint8; expected float values in \[-1, 1\]. This looks like unscaled pixels in \[0, 255\]; divide by 127.5"):
        compiled.fit(x, verbose=0)
    with pytest.raises(ValueError, match=r"received values in \[0, 255\]. This looks like unscaled pixels"):
        compiled.fit(np.full((32, 8, 8, 1), 255.0, "float32") * np.linspace(0, 1, 32)[:, None, None, None].astype("float32"), verbose=0)


def test_non_finite_values_are_refused(compiled):
    x = np.zeros((32, 8, 8, 1), "float32")
    x[3, 2, 2, 0] = np.nan
    with pytest.raises(ValueError, match=r"1 non-finite value\(s\)"):
        compiled.fit(x, verbose=0)
    ds = tf.data.Dataset.from_tensor_slices(np.where(np.isnan(x), np.inf, x)).batch(64)
    with pytest.raises(ValueError, match="non-finite"):
        compiled.fit(ds, verbose=0)


def test_empty_data_is_refused(compiled):
    with pytest.raises(ValueError, match=r"is empty \(shape \(0, 8, 8, 1\)\)"):
        compiled.fit(np.zeros((0, 8, 8, 1), "float32"), verbose=0)
    empty = tf.data.Dataset.from_tensor_slices(np.zeros((0, 8, 8, 1), "float32")).batch(8)
    with pytest.raises(ValueError, match="yielded no batch"):
        compiled.fit(empty, verbose=0)
    with pytest.raises(ValueError, match="received no training data"):
        compiled.fit(None, verbose=0)


def test_an_unbatched_dataset_is_refused(compiled):
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((8, 8, 8, 1), "float32"))
    with pytest.raises(ValueError, match=r"arrive one image at a time \(element shape \(8, 8, 1\)\).*Call .batch"):
        compiled.fit(ds, verbose=0)


# ---------------------------------------------------------------- learning


def _frechet(a, b, pca):
    fa = pca.transform(a.reshape(len(a), -1))
    fb = pca.transform(b.reshape(len(b), -1))
    s1, s2 = np.cov(fa, rowvar=False), np.cov(fb, rowvar=False)
    covmean = linalg.sqrtm(s1 @ s2).real
    return float(np.sum((fa.mean(0) - fb.mean(0)) ** 2) + np.trace(s1 + s2 - 2 * covmean))


@pytest.mark.slow
def test_vanilla_gan_learns_the_digits(digits):
    """A short fit moves samples toward held-out digits: the Frechet distance
    in a 16-component PCA space of the training digits falls by half or more."""
    x_train, x_test = digits
    pca = PCA(16, random_state=0).fit(x_train.reshape(len(x_train), -1))
    gan = keras_gans.VanillaGAN(
        image_shape=(8, 8, 1), latent_dim=32, generator_units=(128, 256),
        discriminator_units=(256, 128), seed=0,
    )
    gan.compile()
    before = _frechet(gan.generate(360, seed=0), x_test, pca)
    gan.fit(x_train, batch_size=64, epochs=15, verbose=0)
    after = _frechet(gan.generate(360, seed=0), x_test, pca)
    floor = _frechet(x_train[:360], x_test, pca)
    assert after < before / 2, (before, after, floor)


def test_dcgan_resize_upsampling_option_builds_saves_and_checks(tmp_path):
    gan = keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4, upsampling="resize")
    names = [type(layer).__name__ for layer in gan.generator.layers]
    assert "UpSampling2D" in names and "Conv2DTranspose" not in names
    path = str(tmp_path / "resize.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert "UpSampling2D" in [type(layer).__name__ for layer in loaded.generator.layers]
    with pytest.raises(ValueError, match="upsampling"):
        keras_gans.DCGAN(image_shape=(8, 8, 1), latent_dim=4, width=4, upsampling="bicubic")
