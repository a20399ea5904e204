"""The `acgan` family (`keras_gans.ACGAN`): model.py and its page README.md."""
