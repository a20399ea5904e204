"""keras_gans: a model zoo of generative adversarial networks for Keras 3.

Example:

```python
import keras_gans

gan = keras_gans.get("dcgan", image_shape=(8, 8, 1), latent_dim=32)
gan.compile()
gan.fit(keras_gans.datasets.load_digits(), batch_size=64, epochs=20)
keras_gans.images.save_grid(gan.generate(64, seed=0), "samples.png")
```
"""

__version__ = "0.1.0"

from keras_gans import backend, datasets, images, layers, losses, nets, validation
from keras_gans import callbacks, evaluation, plotting
from keras_gans.models import DCGAN, GAN, OptimizerGroup, VanillaGAN
from keras_gans.models import ACGAN, ConditionalGAN, VAEGAN
from keras_gans.models import WGANGP
from keras_gans.models import R3GAN
from keras_gans import augmentation, nets_resnet, regularizers
from keras_gans.registry import get, get_class, list_models, register
from keras_gans import presets, registry, runs
from keras_gans.presets import (
    from_preset,
    get_preset,
    list_presets,
    register_preset,
)
from keras_gans.export import export_generator

__all__ = [
    "ACGAN",
    "ConditionalGAN",
    "VAEGAN",
    "DCGAN",
    "GAN",
    "OptimizerGroup",
    "VanillaGAN",
    "WGANGP",
    "R3GAN",
    "augmentation",
    "nets_resnet",
    "regularizers",
    "backend",
    "callbacks",
    "evaluation",
    "plotting",
    "presets",
    "registry",
    "runs",
    "datasets",
    "from_preset",
    "export_generator",
    "get",
    "get_class",
    "get_preset",
    "images",
    "layers",
    "list_models",
    "list_presets",
    "losses",
    "nets",
    "register",
    "register_preset",
    "validation",
]
