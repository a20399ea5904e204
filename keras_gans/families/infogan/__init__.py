"""The `infogan` family (`keras_gans.InfoGAN`): model.py and its page README.md."""
