"""Conditional GAN and AC-GAN: the checklist, labels in and out, learning."""

import keras
import numpy as np
import pytest

import keras_gans
from tests.gan_test_utils import run_gan_test

SMALL = dict(image_shape=(8, 8, 1), num_classes=10, latent_dim=8, width=8)


@pytest.mark.parametrize(
    "conditioning, remedies",
    [("concat", {}),
     ("projection", {"minibatch_stddev": 4, "minibatch_discrimination": 8})],
)
def test_conditional_gan_checklist(labelled_digits, tmp_path, conditioning, remedies):
    (x, y), _ = labelled_digits
    model = keras_gans.ConditionalGAN(conditioning=conditioning, **remedies, **SMALL)
    loaded = run_gan_test(
        model, (x, y), batch_size=16, steps=2, tmp_path=tmp_path,
        sample_kwargs={"labels": [0, 1, 2, 3, 9]},
    )
    assert loaded.conditioning == conditioning
    for key, value in remedies.items():
        assert loaded.get_config()[key] == value
    assert loaded.num_classes == 10


def test_acgan_checklist(labelled_digits, tmp_path):
    (x, y), _ = labelled_digits
    model = keras_gans.ACGAN(class_loss_weight=0.5, **SMALL)
    loaded = run_gan_test(
        model, (x, y), batch_size=16, steps=2, tmp_path=tmp_path,
        sample_kwargs={"labels": [5, 5, 5, 5, 5]},
    )
    assert loaded.class_loss_weight == 0.5
    predicted = loaded.classify(x[:7])
    assert predicted.shape == (7,) and predicted.dtype == np.int32
    assert ((predicted >= 0) & (predicted < 10)).all()


def test_registry_names():
    assert keras_gans.get_class("conditional_gan") is keras_gans.ConditionalGAN
    assert keras_gans.get_class("acgan") is keras_gans.ACGAN
    model = keras_gans.get("conditional_gan", conditioning="projection", **SMALL)
    assert isinstance(model, keras_gans.ConditionalGAN)


def test_labels_select_the_images():
    model = keras_gans.ConditionalGAN(**SMALL)
    z = model.latent_vectors(10, seed=0)
    same_z = np.repeat(z[:1], 10, axis=0)
    per_class = model.generate(z=same_z, labels=np.arange(10))
    # One latent vector, ten labels: ten different images.
    flat = per_class.reshape(10, -1)
    assert min(
        np.abs(flat[i] - flat[j]).max() for i in range(10) for j in range(i)
    ) > 1e-5
    # Default labels cycle through the classes; one-hot and ints agree.
    np.testing.assert_array_equal(model.default_labels(12), [*range(10), 0, 1])
    np.testing.assert_allclose(
        model.generate(z=z), model.generate(z=z, labels=np.arange(10)), atol=1e-6
    )
    np.testing.assert_allclose(
        model.generate(z=z, labels=np.eye(10)), model.generate(z=z, labels=np.arange(10)),
        atol=1e-6,
    )
    sevens = model.generate(labels=7, seed=1)
    np.testing.assert_allclose(
        sevens, model.generate(16, labels=[7] * 16, seed=1), atol=1e-6
    )
    assert model.generate(labels=[1, 2, 3]).shape == (3, 8, 8, 1)


def test_one_hot_labels(labelled_digits):
    import tensorflow as tf

    (x, y), _ = labelled_digits
    model = keras_gans.ConditionalGAN(**SMALL)
    model.compile()
    one_hot = keras.utils.to_categorical(y[:32], 10)
    np.testing.assert_array_equal(model.check_labels(one_hot), y[:32])
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(model._labels_tensor(one_hot)), y[:32]
    )
    model.check_training_data(
        tf.data.Dataset.from_tensor_slices((x[:32], one_hot)).batch(8)
    )
    logs = model.discriminator_step((x[:16], one_hot[:16]))
    assert np.isfinite(logs["d_loss"])
    assert int(keras.ops.convert_to_numpy(model.d_optimizer.iterations)) == 1


@pytest.mark.parametrize("cls", [keras_gans.ConditionalGAN, keras_gans.ACGAN])
def test_data_without_labels_is_refused(digits, cls):
    x = digits[0][:32]
    model = cls(**SMALL)
    model.compile()
    with pytest.raises(ValueError, match=r"needs class labels.*with_labels=True"):
        model.fit(x, batch_size=16, epochs=1, verbose=0)
    ds = keras_gans.datasets.load_digits(batch_size=16)
    with pytest.raises(ValueError, match=r"needs class labels.*fit\(x, y\)"):
        model.fit(ds, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="without labels"):
        model.fit((x,), batch_size=16, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="needs class labels"):
        model.discriminator_step(x[:16])


@pytest.mark.parametrize(
    "labels, match",
    [
        (np.full(32, 10), r"values in \[10, 10\]; expected class labels in \[0, 10\)"),
        (np.full(32, -1), r"values in \[-1, -1\]"),
        (np.zeros((32, 3), "float32"), r"shape \(32, 3\).*one-hot labels of shape \(n, 10\)"),
        (np.full((32, 10), 0.5), "not one-hot"),
        (np.zeros((32, 2, 2)), r"shape \(32, 2, 2\)"),
        (np.full(32, 1.5), "non-integer values"),
        (np.zeros(31, "int32"), "31 labels for 32 images"),
    ],
    ids=["too_big", "negative", "wrong_width", "not_one_hot", "rank3", "fraction",
         "count"],
)
def test_bad_labels_are_refused_before_training(digits, labels, match):
    x = digits[0][:32]
    model = keras_gans.ConditionalGAN(**SMALL)
    model.compile()
    before = [keras.ops.convert_to_numpy(w).copy() for w in model.weights]
    with pytest.raises(ValueError, match=match):
        model.fit(x, labels, batch_size=16, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=match):
        model.fit((x, labels), batch_size=16, epochs=1, verbose=0)
    after = [keras.ops.convert_to_numpy(w) for w in model.weights]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))
    assert int(keras.ops.convert_to_numpy(model.g_optimizer.iterations)) == 0


def test_bad_generate_and_constructor_arguments():
    model = keras_gans.ConditionalGAN(**SMALL)
    with pytest.raises(ValueError, match=r"expected class labels in \[0, 10\)"):
        model.generate(labels=[3, 10])
    with pytest.raises(ValueError, match="2 labels for 3 samples"):
        model.generate(3, labels=[1, 2])
    with pytest.raises(ValueError, match="2 labels for 4 samples"):
        model.generate(z=model.latent_vectors(4), labels=[1, 2])
    with pytest.raises(ValueError, match="conditioning must be one of"):
        keras_gans.ConditionalGAN(**{**SMALL, "conditioning": "film"})
    with pytest.raises(ValueError, match="num_classes must be an integer >= 2"):
        keras_gans.ConditionalGAN(**{**SMALL, "num_classes": 1})
    with pytest.raises(ValueError, match="class_loss_weight must be >= 0"):
        keras_gans.ACGAN(**SMALL, class_loss_weight=-1)
    with pytest.raises(ValueError, match=r"called on \(z, labels\)"):
        model(model.latent_vectors(2))


def test_spectral_norm_projection_model(labelled_digits, tmp_path):
    (x, y), _ = labelled_digits
    model = keras_gans.ConditionalGAN(
        conditioning="projection", spectral_norm=True, **SMALL
    )
    assert model.get_config()["spectral_norm"] is True
    model.compile()
    before = [keras.ops.convert_to_numpy(v).copy()
              for v in model.discriminator.trainable_variables]
    logs = model.discriminator_step((x[:16], y[:16]))
    assert np.isfinite(logs["d_loss"])
    after = [keras.ops.convert_to_numpy(v)
             for v in model.discriminator.trainable_variables]
    # Every discriminator weight learns, the class embedding included.
    assert all(not np.array_equal(a, b) for a, b in zip(before, after))
    model.generator_step((x[:16], y[:16]))
    path = str(tmp_path / "sn.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    z = model.latent_vectors(4, seed=0)
    np.testing.assert_array_equal(
        loaded.generate(z=z, labels=[1, 2, 3, 4]), model.generate(z=z, labels=[1, 2, 3, 4])
    )


def _label_agreement(model, x_train, y_train, per_class=50):
    from sklearn.linear_model import LogisticRegression

    classifier = LogisticRegression(max_iter=2000)
    classifier.fit(x_train.reshape(len(x_train), -1), y_train)
    labels = np.repeat(np.arange(10), per_class)
    images = model.generate(labels=labels, seed=0)
    return float(np.mean(classifier.predict(images.reshape(len(images), -1)) == labels))


@pytest.mark.slow
def test_conditional_gan_learns_its_labels(labelled_digits):
    """Generated digits are classified as the requested digit far above the
    10% of chance, by a classifier trained on real digits."""
    (x, y), _ = labelled_digits
    model = keras_gans.ConditionalGAN(
        image_shape=(8, 8, 1), num_classes=10, latent_dim=16, width=16,
        conditioning="projection", seed=0,
    )
    model.compile(
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    )
    before = _label_agreement(model, x, y)
    model.fit((x, y), batch_size=32, epochs=8, verbose=0)
    after = _label_agreement(model, x, y)
    assert before < 0.3
    assert after > 0.5, (before, after)
