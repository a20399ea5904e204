"""The `vanilla_gan` family (`keras_gans.VanillaGAN`): model.py and its page README.md."""
