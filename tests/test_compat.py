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
