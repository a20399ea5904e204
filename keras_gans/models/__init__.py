"""The zoo's GAN families."""

from keras_gans.models.base import GAN, OptimizerGroup
from keras_gans.models.dcgan import DCGAN
from keras_gans.models.vanilla import VanillaGAN
from keras_gans.models.conditional import ConditionalGAN
from keras_gans.models.acgan import ACGAN
from keras_gans.models.vae_gan import VAEGAN
from keras_gans.models.wgan_gp import WGANGP
from keras_gans.models.r3gan import R3GAN
