"""Imports point down: cli -> runs -> registry -> families -> parts -> backend.

Read from the source with `ast` (function-level imports included, nothing
imported): a module may import its own layer, any layer below it, and the
helpers that belong to no layer (validation, _compat, images, ...); an
import of a higher layer fails, and so does any import cycle between
keras_gans modules. `ALLOWED` names the few upward imports that are kept on
purpose, each with its reason; an entry that no longer occurs fails too, so
the list only shrinks.
"""

import ast
import os

import pytest

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "keras_gans")

#: Top layer first. A module belongs to the first layer with a prefix of it.
LAYERS = (
    ("cli", ("keras_gans.cli", "keras_gans.__main__", "keras_gans.export",
             "keras_gans.onnx_export")),
    ("runs", ("keras_gans.runs",)),
    ("registry", ("keras_gans.registry", "keras_gans.presets", "keras_gans.preset_schema",
                  "keras_gans.preset_files")),
    ("families", ("keras_gans.families", "keras_gans.models", "keras_gans.networks")),
    ("parts", ("keras_gans.losses", "keras_gans.regularizers", "keras_gans.augmentation",
               "keras_gans.parts", "keras_gans.optimizers")),
    ("backend", ("keras_gans.backend",)),
)

#: Upward imports kept on purpose: {(importer, imported): why}.
ALLOWED = {
    ("keras_gans.models.sampling", "keras_gans.export"):
        "GAN.export() is a convenience for keras_gans.export_generator(self, ...), "
        "imported when called",
}


def _modules():
    found = {}
    for folder, _, files in os.walk(ROOT):
        for name in files:
            if name.endswith(".py") and not name.startswith("test_"):
                path = os.path.join(folder, name)
                rel = os.path.relpath(path, os.path.dirname(ROOT))[:-3].replace(os.sep, ".")
                found[rel[: -len(".__init__")] if rel.endswith(".__init__") else rel] = path
    return found


def _imports(module, path, modules):
    """The keras_gans modules `module` imports (the most specific each)."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                     for a in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            # The package root imports nothing eagerly (PEP 562 __getattr__).
            if name and name != module and name != "keras_gans":
                targets.add(name)
    return targets


def _layer(module):
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return index
    return None


def _graph():
    modules = _modules()
    return {m: _imports(m, p, modules) for m, p in modules.items()}


def _cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_layers_are_found():
    graph = _graph()
    for name, prefixes in LAYERS:
        assert any(_layer(m) is not None for m in graph if m.startswith(prefixes)), name


def test_no_module_imports_a_higher_layer():
    upward = []
    for module, targets in _graph().items():
        mine = _layer(module)
        for target in targets:
            theirs = _layer(target)
            if mine is not None and theirs is not None and theirs < mine:
                upward.append((module, target))
    unexplained = sorted(set(upward) - set(ALLOWED))
    assert not unexplained, (
        "Imports that point up the layers "
        f"({' -> '.join(name for name, _ in LAYERS)}): {unexplained}")
    stale = sorted(set(ALLOWED) - set(upward))
    assert not stale, f"ALLOWED lists imports that no longer exist: {stale}"


def test_no_import_cycles():
    cycles = _cycles(_graph())
    assert not cycles, f"Import cycles among keras_gans modules: {cycles}"


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"a"}, "c": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
])
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert _cycles(graph) == expected
