"""The `vae_gan` family (`keras_gans.VAEGAN`): model.py and its page README.md."""
