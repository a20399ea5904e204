"""The style-based generator: demodulation normalises feature scale, noise
is fresh in training and fixed in inference, style mixing switches latents."""

import keras
import numpy as np
import pytest
from keras import ops

import keras_gans
from keras_gans.families.style_gan import networks as nets_style
from keras_gans.networks.style_layers import ModulatedConv2D, NoiseInjection


def tiny(**kwargs):
    return keras_gans.StyleGAN(**{"image_shape": (8, 8, 1), "latent_dim": 8, "width": 4,
                                  **kwargs})


@pytest.mark.parametrize("style_scale", [0.1, 1.0, 10.0])
def test_demodulation_normalises_the_output_feature_scale(style_scale):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((8, 8, 8, 16)).astype("float32")
    w = style_scale * rng.standard_normal((8, 32)).astype("float32")
    demod = ModulatedConv2D(16, 3, use_bias=False)
    plain = ModulatedConv2D(16, 3, use_bias=False, demodulate=False)
    y = ops.convert_to_numpy(demod([x, w]))
    y_plain = ops.convert_to_numpy(plain([x, w]))
    # The interior (away from zero padding): unit variance in and out.
    assert np.std(y[:, 1:-1, 1:-1]) == pytest.approx(1.0, abs=0.15)
    if style_scale == 10.0:
        assert np.std(y_plain[:, 1:-1, 1:-1]) > 3.0  # without demodulation it follows the style


def test_noise_is_fresh_in_training_and_fixed_in_inference():
    layer = NoiseInjection(seed=1)
    x = np.zeros((2, 4, 4, 3), "float32")
    layer.build(x.shape)
    layer.strength.assign(1.0)
    a, b = (ops.convert_to_numpy(layer(x, training=True)) for _ in range(2))
    assert not np.allclose(a, b)
    np.testing.assert_array_equal(ops.convert_to_numpy(layer(x)), ops.convert_to_numpy(layer(x)))


def test_style_mixing_switches_latents_at_the_cutoff():
    ws = ops.convert_to_tensor(np.zeros((64, 5, 3), "float32"))
    other = ops.convert_to_tensor(np.ones((64, 5, 3), "float32"))
    mixed, cutoff = nets_style.mix_styles(ws, other, 0.5, keras.random.SeedGenerator(0))
    mixed, cutoff = ops.convert_to_numpy(mixed), ops.convert_to_numpy(cutoff)
    for row, c in zip(mixed, cutoff):
        np.testing.assert_array_equal(row[:c], 0.0)
        np.testing.assert_array_equal(row[c:], 1.0)
    assert (cutoff == 5).mean() == pytest.approx(0.5, abs=0.2)  # unmixed samples
    assert set(cutoff[cutoff < 5]) <= {1, 2, 3, 4} and len(set(cutoff)) > 2
    unmixed, cutoff = nets_style.mix_styles(ws, other, 0.0, keras.random.SeedGenerator(0))
    np.testing.assert_array_equal(ops.convert_to_numpy(cutoff), 5)


def test_generate_mixed_takes_coarse_styles_from_the_first_latent():
    gan = tiny()
    z1, z2 = gan.latent_vectors(3, seed=0), gan.latent_vectors(3, seed=1)
    np.testing.assert_allclose(gan.generate_mixed(z1, z2, 5), gan.generate(z=z1), atol=1e-5)
    np.testing.assert_allclose(gan.generate_mixed(z1, z2, 0), gan.generate(z=z2), atol=1e-5)
    assert not np.allclose(gan.generate_mixed(z1, z2, 2), gan.generate(z=z1), atol=1e-5)
    with pytest.raises(ValueError, match="cutoff"):
        gan.generate_mixed(z1, z2, 6)


def test_training_mixes_styles_and_compile_adds_r1():
    gan = tiny(mixing_prob=1.0)
    gan.compile()
    assert [r.log_name for r in gan.regularizers] == ["r1"]
    z = gan.sample_latent(4)
    a = ops.convert_to_numpy(gan.generate_fakes(z, training=True))
    assert a.shape == (4, 8, 8, 1) and np.isfinite(a).all()


@pytest.mark.parametrize(
    "kwargs, match",
    [({"mixing_prob": 1.5}, "mixing_prob"), ({"mapping_layers": 0}, "mapping_layers"),
     ({"w_dim": 0}, "w_dim"), ({"image_shape": (10, 10, 1)}, "image_shape")],
)
def test_bad_arguments_name_the_argument(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        tiny(**kwargs)


def test_equalized_dense_scales_weights_at_run_time():
    from keras_gans.networks.style_layers import EqualizedDense

    layer = EqualizedDense(256, lr_multiplier=0.01)
    x = np.random.default_rng(0).standard_normal((64, 128)).astype("float32")
    y = ops.convert_to_numpy(layer(x))
    assert np.std(ops.convert_to_numpy(layer.kernel)) == pytest.approx(100.0, rel=0.05)
    assert np.std(y) == pytest.approx(1.0, rel=0.1)  # unit in, unit out
