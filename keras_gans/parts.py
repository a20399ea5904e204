"""One way to declare a part: a Keras-registered class, found by name.

Regularizers and augmentations are Keras objects saved with the model.
`register(kind, *names)` is the one decorator that declares one: it
registers the class with `keras.saving.register_keras_serializable` (so a
`.keras` file that holds the part finds its class again when loaded) and
files it under its short names in this module's one table, so that
`compile(regularizers=["my_penalty"])` and a preset file's short form
`{"class_name": "MyPenalty", "config": {...}}` find it as they find the
built-in ones. `get(kind, identifier, base)` turns an instance, a name or a
config into a part. (Losses are `GANLoss` objects, registered the same way:
`keras_gans.losses`.)

Example:

```python
@keras_gans.parts.register("regularizer", "score_sq")
class ScorePenalty(keras_gans.regularizers.Regularizer):
    ...  # log_name and penalty(), see Regularizer

gan.compile(regularizers=["score_sq"])       # by name
gan.save("gan.keras")                         # and it loads back
```
"""

import difflib

import keras

#: {kind: {short name: class}}, e.g. {"regularizer": {"r1": R1, ...}}.
_NAMES = {}
#: {kind: {class name: class}}: what a preset's short form may name.
_CLASSES = {}
#: What each kind must subclass, and how an error calls it.
_KINDS = {
    "regularizer": "keras_gans.regularizers.Regularizer",
    "augmentation": "keras_gans.augmentation.Augmentation",
}


class UnknownPartError(ValueError, TypeError):
    """A part name nothing registered. A `ValueError` (as an unknown loss or
    regularizer always was) and a `TypeError` (as an unknown augmentation
    name was).

    Example:

    >>> issubclass(UnknownPartError, ValueError)
    True
    """


def register(kind, *names, package="Custom"):
    """Declare a part: register `cls` with Keras and under `names`.

    Args:
        kind: "regularizer" or "augmentation".
        *names: short names (case-insensitive) that find the class, e.g.
            "r1"; default: the class name in lower case.
        package: the Keras registration package (the zoo's own parts use
            "keras_gans"; a user's default is Keras' "Custom").

    Returns:
        A class decorator.

    Example:

    ```python
    @keras_gans.parts.register("augmentation", "flip", "mirror")
    class Flip(keras_gans.augmentation.Augmentation):
        ...  # augment(), see Augmentation

    keras_gans.augmentation.get("mirror")  # a Flip
    ```
    """
    if kind not in _KINDS:
        raise ValueError(f"Unknown part kind {kind!r}; expected one of {sorted(_KINDS)}.")

    def decorator(cls):
        cls = keras.saving.register_keras_serializable(package=package)(cls)
        table = _NAMES.setdefault(kind, {})
        for name in names or (cls.__name__.lower(),):
            key = str(name).lower()
            other = table.get(key)
            if other is not None and other.__qualname__ != cls.__qualname__:
                raise ValueError(
                    f"The {kind} name {key!r} is taken by {other.__module__}."
                    f"{other.__qualname__}; pick another name for "
                    f"{cls.__module__}.{cls.__qualname__}."
                )
            table[key] = cls
        _CLASSES.setdefault(kind, {})[cls.__name__] = cls
        return cls

    return decorator


def names(kind):
    """The short names registered for `kind`, sorted.

    Example:

    >>> "r1" in names("regularizer")
    True
    """
    return sorted(_NAMES.get(kind, {}))


def did_you_mean(key, choices, cutoff=0.5):
    """" Did you mean 'a', 'b'?" for the up to 3 close choices, or "".

    The tail of every unknown-name error of the parts (losses,
    regularizers, augmentations).

    Example:

    >>> did_you_mean("r2", ["r1", "gp", "lecam"])
    " Did you mean 'r1'?"
    """
    close = difflib.get_close_matches(key, list(choices), n=3, cutoff=cutoff)
    return f" Did you mean {', '.join(map(repr, close))}?" if close else ""


def get(kind, identifier, base):
    """A part of `kind` from an instance, a short name or a config.

    Args:
        kind: "regularizer" or "augmentation".
        identifier: an instance of `base`; a registered short name ("r1");
            a preset's short form `{"class_name": "R1", "config": {...}}`;
            or Keras' serialized form (what a `.keras` file holds).
        base: the class every part of the kind subclasses.

    Returns:
        An instance of `base`.

    Raises:
        UnknownPartError: an unknown name (a ValueError; the error lists
            the known names and the close ones).
        TypeError: anything else that is not a part.

    Example:

    >>> type(get("regularizer", "r1", Regularizer)).__name__
    'R1'
    """
    if isinstance(identifier, base):
        return identifier
    if isinstance(identifier, str):
        table = _NAMES.get(kind, {})
        key = identifier.lower()
        if key in table:
            return table[key]()
        hint = did_you_mean(key, table)
        raise UnknownPartError(
            f"Unknown {kind} {identifier!r}; expected one of {sorted(table)} or "
            f"a {_KINDS[kind]} (register your own with "
            f"keras_gans.parts.register({kind!r}, name)).{hint}"
        )
    if isinstance(identifier, dict):
        known = _CLASSES.get(kind, {})
        if identifier.get("class_name") in known and "module" not in identifier:
            return known[identifier["class_name"]].from_config(identifier.get("config", {}))
        obj = keras.saving.deserialize_keras_object(identifier)
        if isinstance(obj, base):
            return obj
    none = "None, " if kind == "augmentation" else ""
    raise TypeError(
        f"{kind} must be {none}a {_KINDS[kind]}, a registered name "
        f"({', '.join(map(repr, names(kind)))}) or a serialized config; "
        f"received {identifier!r} of type {type(identifier).__name__}."
    )
