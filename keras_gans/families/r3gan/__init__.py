"""The `r3gan` family (`keras_gans.R3GAN`): model.py and its page README.md."""
