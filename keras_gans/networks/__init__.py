"""Network blocks shared by several families: plain functions that return
functional `keras.Model`s, and the layers they use.

- `dcgan`: DCGAN, MLP, conditional and encoder builders (also importable as
  `keras_gans.nets`, its name before the families moved into folders);
- `layers`: batch norm, maxout, minibatch discrimination and stddev (also
  `keras_gans.layers`);
- `spectral_norm`: spectrally normalised `SNConv2D` and `SNDense`;
- `sn_resnet`: SNGAN's ResNet generator and discriminator blocks;
- `style_layers`: equalized-lr dense, modulated convolution, noise
  injection, the learned constant.

A family's own networks live in its folder
(`keras_gans/families/<name>/networks.py`).

Example:

```python
from keras_gans.networks import dcgan

generator = dcgan.build_dcgan_generator((8, 8, 1), latent_dim=32)
```
"""
