"""The `sngan` family (`keras_gans.SNGAN`): model.py and its page README.md."""
