"""The `conditional_gan` family (`keras_gans.ConditionalGAN`): model.py and its page README.md."""
