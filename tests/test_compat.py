"""The private Keras names keras_gans relies on still exist in this Keras.

If a Keras upgrade moves one, this fails here, naming it, rather than deep
inside a training step.
"""

import keras

from keras_gans import _compat


def test_private_keras_names_resolve():
    assert _compat.get_stateless_scope() is None
    with keras.StatelessScope() as scope:
        assert _compat.get_stateless_scope() is scope
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, name="d")])
    assert "d" in [layer.name for layer in _compat.flatten_layers(model, include_self=False)]
    group = _compat.MetricsList([keras.metrics.Mean(name="m")])
    assert [m.name for m in group.metrics] == ["m"]
    # The names the torch and JAX backends' faster kernels stand on.
    nn = _compat.backend_nn(keras.backend.backend())
    assert callable(nn.conv) and callable(nn.conv_transpose)
    assert _compat.standardize_tuple(2, 2, "strides") == (2, 2)
    crops = _compat.conv_transpose_crops_for_torch(
        input_shape=(1, 7, 7, 1), kernel_shape=(4, 4, 1, 1), strides=(2, 2),
        padding="same", output_padding=None, dilation_rate=(1, 1))
    assert [tuple(c) for c in crops] == [(1, 1), (1, 1)]


def test_no_module_outside_compat_imports_keras_src():
    import pathlib

    package = pathlib.Path(_compat.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "_compat.py" and "keras.src" in path.read_text()
    ]
    assert offenders == []


def test_no_backend_branching_outside_the_backend_modules():
    import pathlib
    import re

    package = pathlib.Path(_compat.__file__).parent
    pattern = re.compile(r"""(backend\(\)|name\(\))\s*[!=]=\s*["'](jax|tensorflow)""")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "backend" not in path.parts and pattern.search(path.read_text())
    ]
    assert offenders == []
