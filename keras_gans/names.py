"""What a name on the command line means: a path that exists, or a zoo name.

`keras-gans sample MODEL`, `export MODEL`, `evaluate MODEL`, `info NAME` and
`train NAME` take either a path (a `.keras` file, a run folder, a preset
`.json` file) or the name of a preset (or, for `info`, a family). This
module decides which, in one place, and without importing Keras or
TensorFlow: an existing path wins; then an exact preset or family name
(case and `-`/`_` do not matter); otherwise a `NameNotFound` error whose one
line names both readings and the close names, like timm's "Unknown model".

Example:

```python
from keras_gans import names

names.resolve("dcgan_digits", kinds=("preset",))    # Resolved("preset", "dcgan_digits")
names.resolve("runs/dcgan/model.keras")              # Resolved("path", ...) if it exists
names.resolve("dcgan_mnsit")    # NameNotFound: ... close names: dcgan_mnist, ...
```
"""

import collections
import difflib
import fnmatch
import os

#: How a command-line name was read: `kind` is "path", "preset" or
#: "family"; `value` is the path as given or the canonical zoo name.
Resolved = collections.namedtuple("Resolved", ["kind", "value"])


class NameNotFound(ValueError):
    """A name that is neither an existing path nor a known zoo name.

    Its message is one line naming both readings and the close names.

    Example:

    >>> try:
    ...     resolve("dcgan_mnsit")
    ... except NameNotFound as error:
    ...     print(error.close)
    ['dcgan_mnist', 'dcgan_mnist_cpu', 'lsgan_mnist']
    """

    def __init__(self, message, close=()):
        super().__init__(message)
        self.close = list(close)


def normalize(name):
    """The canonical form of a zoo name: lower case, `-` read as `_`.

    Example:

    >>> normalize("DCGAN-Digits")
    'dcgan_digits'
    """
    return str(name).strip().lower().replace("-", "_")


def family_names():
    """Every family name known without importing a family (no TensorFlow).

    The built-in families are read from their source files; families
    registered by other packages count once they are registered.

    Example:

    >>> "dcgan" in family_names()
    True
    """
    from keras_gans import registry

    return sorted(set(registry.BUILTIN_FAMILIES) | set(registry._MODELS))


def close_names(name, candidates, n=3):
    """Up to `n` names from `candidates` that look like `name`.

    Names that start with (or extend) `name` come first, then the closest by
    edit similarity (`difflib`), so both a typo (`dcgan_mnsit`) and a
    shortened name (`dcgan_mni`) find `dcgan_mnist`.

    Example:

    >>> close_names("dcgan_mnsit", ["dcgan_mnist", "dcgan_digits", "lsgan_mnist"])
    ['dcgan_mnist', 'lsgan_mnist', 'dcgan_digits']
    """
    key = normalize(name)
    candidates = sorted(set(candidates))
    if not key:
        return []
    found = [c for c in candidates if c.startswith(key) and c != key]
    for match in difflib.get_close_matches(key, candidates, n=n + len(found), cutoff=0.6):
        if match not in found:
            found.append(match)
    if len(found) > n:
        # Keep the best n: prefix matches only when they are also close.
        ranked = sorted(found, key=lambda c: -difflib.SequenceMatcher(None, key, c).ratio())
        found = [c for c in found if c in ranked[:n]]
    return found[:n]


def _candidates(kinds):
    from keras_gans import presets

    pool = {}
    if "preset" in kinds:
        pool.update({name: "preset" for name in presets.list_presets()})
    if "family" in kinds:
        pool.update({name: "family" for name in family_names() if name not in pool})
    return pool


def _kinds_text(kinds):
    words = [k for k in ("preset", "family") if k in kinds]
    return " or ".join(words) + " name"


def resolve(text, kinds=("preset",), path_kind="file or folder", is_path=os.path.exists):
    """Read a command-line MODEL/NAME argument as a path or a zoo name.

    An existing path wins over a zoo name of the same spelling. Otherwise
    the name is looked up among `kinds` (presets and/or families).

    Args:
        text: the argument as typed.
        kinds: the zoo names it may be: `("preset",)`, `("preset", "family")`.
        path_kind: what a path would be, for the message (e.g. "model file
            or run folder", "preset .json file").
        is_path: which existing paths count (default: any file or folder;
            `os.path.isfile` where only a file makes sense, so that a run
            folder named like its preset does not hide the preset).

    Returns:
        A `Resolved(kind, value)`: `("path", text)`, `("preset", name)` or
        `("family", name)`.

    Raises:
        NameNotFound: neither reading works. The one-line message names the
            path it looked for and the close zoo names.

    Example:

    >>> resolve("DCGAN-digits")
    Resolved(kind='preset', value='dcgan_digits')
    >>> resolve("dcgan_mnsit")
    Traceback (most recent call last):
    ...
    NameNotFound: 'dcgan_mnsit' is neither a file or folder (nothing at '/home/me/dcgan_mnsit') nor a preset name; close names: dcgan_mnist, dcgan_mnist_cpu, lsgan_mnist.
    """
    text = os.fspath(text)
    if is_path(text):
        return Resolved("path", text)
    pool = _candidates(kinds)
    key = normalize(text)
    if key in pool:
        return Resolved(pool[key], key)
    close = close_names(key, pool)
    hint = (f"close names: {', '.join(close)}" if close
            else "`keras-gans list` shows every name")
    where = os.path.abspath(text)
    found = (f"{where!r} is not one" if os.path.exists(text)
             else f"nothing at {where!r}")
    raise NameNotFound(
        f"{text!r} is neither a {path_kind} ({found}) nor a {_kinds_text(kinds)}; "
        f"{hint}.",
        close,
    )


def unmatched_pattern_message(pattern, candidates):
    """The one line for a `list PATTERN` that matches nothing.

    Example:

    >>> unmatched_pattern_message("dcgna*", ["wgan_gp", "dcgan"])
    "nothing matches 'dcgna*'; close names: dcgan. `keras-gans list` shows every family and preset."
    """
    stem = "".join(ch for ch in pattern if ch not in "*?[]")
    close = close_names(stem, candidates) if stem else []
    if not close and stem:
        close = [c for c in sorted(set(candidates)) if fnmatch.fnmatchcase(c, f"*{stem}*")][:3]
    hint = f"; close names: {', '.join(close)}." if close else "."
    return (f"nothing matches {pattern!r}{hint} `keras-gans list` shows every "
            "family and preset.")
