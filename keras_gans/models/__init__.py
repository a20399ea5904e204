"""The zoo's GAN families."""

from keras_gans.models.base import GAN, OptimizerGroup
from keras_gans.models.dcgan import DCGAN
from keras_gans.models.vanilla import VanillaGAN
from keras_gans.models.wgan_gp import WGANGP
