"""The `sngan_projection` family (`keras_gans.SNGANProjection`): model.py and its page README.md."""
