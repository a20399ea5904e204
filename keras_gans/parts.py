"""One way to declare a part: a Keras-registered class, found by name.

Regularizers and augmentations are Keras objects saved with the model.
`register(kind, *names)` is the one decorator that declares one: it
registers the class with `keras.saving.register_keras_serializable` (so a
`.keras` file that holds the part finds its class again when loaded) and
files it under its short names in this module's one table, so that
`compile(regularizers=["my_penalty"])` and a preset file's short form
`{"class_name": "MyPenalty", "config": {...}}` find it as they find the
built-in ones. `get(kind, identifier, base)` turns an instance, a name or a
config into a part. Losses join the same table: a loss is a `GANLoss`
object (`keras_gans.losses`), so `register("loss", name)` files an instance
(`losses.get(name)` returns that very object) or a `GANLoss` subclass.

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
    "loss": "keras_gans.losses.GANLoss",
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
        kind: "regularizer", "augmentation" or "loss".
        *names: short names (case-insensitive) that find the class, e.g.
            "r1"; default: the class name in lower case.
        package: the Keras registration package (the zoo's own parts use
            "keras_gans"; a user's default is Keras' "Custom").

    Returns:
        A decorator of a class. For losses it also takes a `GANLoss`
        instance, filed as it is (default name: its `name`): instances are
        not registered with Keras, their functions are.

    Example:

    ```python
    @keras_gans.parts.register("augmentation", "flip", "mirror")
    class Flip(keras_gans.augmentation.Augmentation):
        ...  # augment(), see Augmentation

    keras_gans.augmentation.get("mirror")  # a Flip
    keras_gans.parts.register("loss", "half_hinge")(my_gan_loss)
    ```
    """
    if kind not in _KINDS:
        raise ValueError(f"Unknown part kind {kind!r}; expected one of {sorted(_KINDS)}.")

    def decorator(part):
        is_class = isinstance(part, type)
        if is_class:
            part = keras.saving.register_keras_serializable(package=package)(part)
        default = part.__name__.lower() if is_class else getattr(part, "name", None)
        table = _NAMES.setdefault(kind, {})
        for name in names or (default,):
            key = str(name).lower()
            other = table.get(key)
            if other is not None and not _same_part(other, part):
                raise ValueError(
                    f"The {kind} name {key!r} is taken by {_describe(other)}; "
                    f"pick another name for {_describe(part)}."
                )
            table[key] = part
        if is_class:
            _CLASSES.setdefault(kind, {})[part.__name__] = part
        return part

    return decorator


def _same_part(a, b):
    """Whether two registrations are one part (a class declared again, as a
    reloaded module does, counts as the same)."""
    if isinstance(a, type) and isinstance(b, type):
        return a.__qualname__ == b.__qualname__
    return a is b


def _describe(part):
    if isinstance(part, type):
        return f"{part.__module__}.{part.__qualname__}"
    return repr(part)


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
        kind: "regularizer", "augmentation" or "loss".
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
            part = table[key]
            return part() if isinstance(part, type) else part
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
