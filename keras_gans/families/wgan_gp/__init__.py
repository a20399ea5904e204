"""The `wgan_gp` family (`keras_gans.WGANGP`): model.py and its page README.md."""
