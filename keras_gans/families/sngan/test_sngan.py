"""SNGAN: spectral normalisation holds, the projection discriminator uses
labels, and the family's defaults and errors."""

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans.networks import sn_resnet as nets_sngan
from keras_gans.networks.spectral_norm import SNConv2D, SNDense


def _top_singular_value(layer):
    kernel = keras.ops.convert_to_numpy(layer.normalized_kernel())
    return np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]


def test_spectral_norm_keeps_every_layers_top_singular_value_at_one():
    d = nets_sngan.build_resnet_discriminator((8, 8, 1), width=4)
    x = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype("float32")
    sn_layers = [layer for layer in d.layers if isinstance(layer, (SNConv2D, SNDense))]
    assert len(sn_layers) == 9
    for layer in sn_layers:  # raw kernels far from norm 1
        layer.kernel.assign(layer.kernel * 5.0)
    for _ in range(60):  # power iterations run in training calls
        d(x, training=True)
    for layer in sn_layers:
        assert _top_singular_value(layer) == pytest.approx(1.0, abs=0.03), layer.name


def test_spectral_norm_moves_no_trainable_weight_in_a_forward_pass():
    layer = SNDense(3)
    layer(np.ones((2, 5), "float32"))
    before = keras.ops.convert_to_numpy(layer.kernel).copy()
    layer(np.ones((2, 5), "float32"), training=True)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(layer.kernel), before)


def test_sngan_compiles_with_the_papers_defaults():
    gan = keras_gans.SNGAN(image_shape=(8, 8, 1), latent_dim=8, width=4)
    gan.compile()
    assert gan.gan_loss.name == "hinge"
    assert float(gan.optimizer.optimizers["discriminator"].beta_1) == 0.0
    assert gan.generate(3, seed=0).shape == (3, 8, 8, 1)


def test_projection_discriminator_depends_on_the_label():
    gan = keras_gans.SNGANProjection(image_shape=(8, 8, 1), num_classes=10,
                                     latent_dim=8, width=4)
    x = np.random.default_rng(0).uniform(-1, 1, (2, 8, 8, 1)).astype("float32")
    a = gan.discriminator([x, np.array([0, 0])], training=False)
    b = gan.discriminator([x, np.array([5, 5])], training=False)
    assert not np.allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))
    assert gan.generate(labels=[3, 4], seed=0).shape == (2, 8, 8, 1)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"num_classes": None}, "num_classes"), ({"width": 0}, "width"),
     ({"image_shape": (10, 10, 1)}, "image_shape")],
)
def test_bad_arguments_name_the_argument(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        keras_gans.SNGANProjection(**{"image_shape": (8, 8, 1), "latent_dim": 8,
                                      "width": 4, **kwargs})
