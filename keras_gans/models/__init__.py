"""The zoo's GAN families: every module in this package is imported.

A new family is one file here (it registers itself with `@register`); no
list to extend. `keras_gans.models.FAMILIES` maps each class name to its
class, and each is importable as `keras_gans.<ClassName>`.
"""

import importlib
import pkgutil

from keras_gans.models.base import GAN, OptimizerGroup
from keras_gans.models.phases import Batch, Phase

_INFRASTRUCTURE = {"base", "compiling", "encoding", "phases", "sampling"}

FAMILIES = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name in _INFRASTRUCTURE or _info.name.startswith("_"):
        continue
    _module = importlib.import_module(f"{__name__}.{_info.name}")
    for _name, _obj in vars(_module).items():
        if (
            isinstance(_obj, type)
            and issubclass(_obj, GAN)
            and _obj is not GAN
            and _obj.__module__ == _module.__name__
            and not _name.startswith("_")
        ):
            FAMILIES[_name] = _obj
globals().update(FAMILIES)

__all__ = ["GAN", "OptimizerGroup", "Batch", "Phase", "FAMILIES", *sorted(FAMILIES)]
