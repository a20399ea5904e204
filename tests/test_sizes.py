"""The size rule of the package layout (issue 21): no module in keras_gans/
over 500 lines and no function over 80, so that a newcomer can read any one
of them whole.

A function's size is its code: the lines from `def` to its last line, less
its docstring (the Args/Returns/Example text the style asks of every public
function is not held against it). Read from the source with `ast`, nothing
imported. `ALLOWED` names what is kept over the limit on purpose, each with
its reason; an entry that is no longer over fails too, so the list only
shrinks.
"""

import ast
import os

import pytest

pytestmark = pytest.mark.backend_independent  # conftest.py: TensorFlow pass only

ROOT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "keras_gans")

MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

#: Kept over the limit on purpose: {"path" or "path:function": why}. Empty.
ALLOWED = {}


def _sources():
    for folder, _, files in os.walk(ROOT):
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    yield os.path.relpath(path, os.path.dirname(ROOT)), f.read()


def function_lines(node):
    """A function's lines from `def` to its end, less its docstring.

    Example:

    >>> function_lines(ast.parse('def f():\\n    "Doc."\\n    return 1\\n').body[0])
    2
    """
    lines = node.end_lineno - node.lineno + 1
    first = node.body[0] if node.body else None
    if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)):
        lines -= first.end_lineno - first.lineno + 1
    return lines


def _oversized():
    found = {}
    for path, text in _sources():
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        if lines > MAX_MODULE_LINES:
            found[path] = f"{path}: {lines} lines (the limit is {MAX_MODULE_LINES})"
        for node in ast.walk(ast.parse(text, path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = function_lines(node)
                if size > MAX_FUNCTION_LINES:
                    found[f"{path}:{node.name}"] = (
                        f"{path}:{node.lineno} {node.name}(): {size} lines of code "
                        f"(the limit is {MAX_FUNCTION_LINES}; docstring not counted)")
    return found


def test_no_module_or_function_is_over_the_size_limit():
    found = _oversized()
    over = sorted(message for key, message in found.items() if key not in ALLOWED)
    assert not over, (
        "Split these by responsibility (one folder per family, one module per "
        "part, named stages for long functions):\n  " + "\n  ".join(over))
    stale = sorted(set(ALLOWED) - set(found))
    assert not stale, f"ALLOWED lists entries that are no longer over the limit: {stale}"


def test_the_size_check_finds_a_long_function():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    node = ast.parse(f'def f():\n    """Doc.\n\n    More.\n    """\n{body}\n').body[0]
    assert function_lines(node) == MAX_FUNCTION_LINES + 1
