"""The `dcgan` family (`keras_gans.DCGAN`): model.py and its page README.md."""
