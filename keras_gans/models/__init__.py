"""The core every family builds on: the `GAN` base (step, phases,
sampling), its optimizer group and the phase contract.

The families themselves are folders in `keras_gans/families/`, found by
`keras_gans.registry`; this package imports none of them.

Example:

```python
from keras_gans.models import GAN, Phase
```
"""

from keras_gans.models.base import GAN, OptimizerGroup
from keras_gans.models.phases import Batch, Phase

__all__ = ["GAN", "OptimizerGroup", "Batch", "Phase"]
