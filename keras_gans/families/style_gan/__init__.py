"""The `style_gan` family (`keras_gans.StyleGAN`): model.py and its page README.md."""
