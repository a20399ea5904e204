"""The DCGAN generator's upsampling option: transposed convolutions (the
paper) or resize-convolution (Odena et al. 2016). Runs on the backend the
session was started with (the Makefile runs both)."""

import keras
import numpy as np
import pytest

from keras_gans import nets


def _layer_types(model):
    return [type(layer).__name__ for layer in model.layers]


@pytest.mark.parametrize("image_shape", [(28, 28, 1), (32, 32, 3), (8, 8, 1)])
def test_resize_generator_shape_and_parameters_match_transpose(image_shape):
    transpose = nets.build_dcgan_generator(image_shape, latent_dim=16, width=8)
    resize = nets.build_dcgan_generator(
        image_shape, latent_dim=16, width=8, upsampling="resize"
    )
    assert resize.output_shape == transpose.output_shape == (None, *image_shape)
    # Same kernel size -> the same weights, layer for layer.
    assert nets.count_params(resize) == nets.count_params(transpose)
    assert "Conv2DTranspose" not in _layer_types(resize)
    steps = nets.dcgan_upsamplings(image_shape)
    assert _layer_types(resize).count("UpSampling2D") == steps
    assert _layer_types(transpose).count("Conv2DTranspose") == steps


def test_resize_generator_parameter_count_at_the_benchmark_size():
    # 28x28x1, latent 100, width 64: the 784,641 scalars including
    # batch-norm statistics, for both options.
    for upsampling in ("transpose", "resize"):
        g = nets.build_dcgan_generator((28, 28, 1), 100, 64, upsampling=upsampling)
        assert nets.count_params(g) == 784_641
    # kernel 3: 3*3*128*64 + 3*3*64*1 + 1 conv weights instead of 4*4*...
    g3 = nets.build_dcgan_generator((28, 28, 1), 100, 64, kernel_size=3,
                                    upsampling="resize")
    assert nets.count_params(g3) == 784_641 - 7 * (128 * 64 + 64 * 1)


def test_resize_generator_runs_and_trains():
    g = nets.build_dcgan_generator((8, 8, 1), latent_dim=4, width=4,
                                   upsampling="resize")
    images = keras.ops.convert_to_numpy(g(np.ones((3, 4), "float32"), training=True))
    assert images.shape == (3, 8, 8, 1)
    assert np.all(np.abs(images) <= 1.0)
    g.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    before = [keras.ops.convert_to_numpy(w).copy() for w in g.trainable_weights]
    z = np.random.default_rng(0).standard_normal((4, 4)).astype("float32")
    g.fit(z, np.full((4, 8, 8, 1), 0.5, "float32"), batch_size=4, epochs=1, verbose=0)
    moved = [not np.allclose(b, keras.ops.convert_to_numpy(w))
             for b, w in zip(before, g.trainable_weights)]
    assert all(moved)


def test_conditional_generator_takes_the_option():
    g = nets.build_conditional_generator((8, 8, 1), 10, latent_dim=4, width=4,
                                         upsampling="resize")
    assert "Conv2DTranspose" not in _layer_types(g)
    out = g([np.zeros((2, 4), "float32"), np.array([1, 2], "int32")])
    assert tuple(out.shape) == (2, 8, 8, 1)


def test_unknown_upsampling_is_refused_with_the_choices():
    with pytest.raises(ValueError, match=r"upsampling must be one of .*'bilinear'"):
        nets.build_dcgan_generator((8, 8, 1), upsampling="bilinear")
    with pytest.raises(ValueError, match="upsampling"):
        nets.build_conditional_generator((8, 8, 1), 10, upsampling="nope")
