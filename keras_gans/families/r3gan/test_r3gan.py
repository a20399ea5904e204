"""R3GAN: its defaults are the paper's parts, its networks have no normalization."""

import keras
import numpy as np
import pytest

import keras_gans
from keras_gans.families.r3gan import networks as nets_resnet
from keras_gans.regularizers import R1, R2


def test_compile_defaults_are_rpgan_with_r1_and_r2_and_an_ema_generator():
    gan = keras_gans.R3GAN(image_shape=(8, 8, 1), latent_dim=8, width=4, gamma=0.5)
    assert gan.ema_decay == 0.999
    gan.compile()
    assert gan.gan_loss.name == "rpgan"
    assert [(type(r), r.gamma) for r in gan.regularizers] == [(R1, 0.5), (R2, 0.5)]
    assert float(gan.d_optimizer.beta_1) == 0.0 and float(gan.d_optimizer.beta_2) == 0.99
    assert set(gan.tracker_names) >= {"r1", "r2"}
    gan.compile(regularizers=[])
    assert gan.regularizers == []
    with pytest.raises(ValueError, match="gamma must be a number >= 0"):
        keras_gans.R3GAN(image_shape=(8, 8, 1), gamma=-1.0)


@pytest.mark.parametrize("shape", [(8, 8, 1), (28, 28, 1), (32, 32, 3)])
def test_resnet_builders_fit_any_size_and_start_as_identity_blocks(shape):
    g = nets_resnet.build_resnet_generator(shape, latent_dim=8, width=4)
    d = nets_resnet.build_resnet_discriminator(shape, width=4)
    assert g.output_shape == (None,) + shape and d.output_shape == (None, 1)
    for net in (g, d):
        kinds = {type(layer).__name__ for layer in net.layers}
        assert not kinds & {"BatchNormalization", "LayerNormalization", "GroupNormalization"}
        outs = [layer for layer in net.layers if layer.name.endswith("_out")]
        assert outs and all(not np.any(keras.ops.convert_to_numpy(o.kernel)) for o in outs)
