"""Measuring generators: feature extractors and sample-quality metrics.

Example:

>>> from keras_gans.evaluation import evaluate_generator
>>> results = evaluate_generator(gan, x_test, num_samples=1000)
>>> results["fid_digits"]

Real-data protocols (metrics beside their floor, memorization, coverage):

>>> from keras_gans.evaluation import RealDataProtocol
>>> RealDataProtocol("mnist_cnn", x_train, x_test).evaluate(gan)
"""

from keras_gans.evaluation.coverage import class_shares
from keras_gans.evaluation.coverage import label_accuracy
from keras_gans.evaluation.features import DigitsClassifier
from keras_gans.evaluation.features import InceptionFeatures
from keras_gans.evaluation.features import PixelFeatures
from keras_gans.evaluation.features import default_cache_dir
from keras_gans.evaluation.features import digits_cache_path
from keras_gans.evaluation.features import digits_features
from keras_gans.evaluation.features import get_extractor
from keras_gans.evaluation.features import inception_preprocess
from keras_gans.evaluation.features import load_digits_split
from keras_gans.evaluation.fid import feature_statistics
from keras_gans.evaluation.fid import fid
from keras_gans.evaluation.fid import fid_from_features
from keras_gans.evaluation.fid import frechet_distance
from keras_gans.evaluation.inception_score import inception_score
from keras_gans.evaluation.inception_score import inception_score_from_probs
from keras_gans.evaluation.kid import kid
from keras_gans.evaluation.kid import kid_from_features
from keras_gans.evaluation.memorization import fid_gap_from_features
from keras_gans.evaluation.memorization import nearest_distances
from keras_gans.evaluation.memorization import nn_ratio_from_features
from keras_gans.evaluation.metrics import evaluate_generator
from keras_gans.evaluation.metrics import metrics_from_summaries
from keras_gans.evaluation.mnist import FashionMNISTClassifier
from keras_gans.evaluation.mnist import MNISTClassifier
from keras_gans.evaluation.mnist import dataset_classifier
from keras_gans.evaluation.precision_recall import precision_recall
from keras_gans.evaluation.precision_recall import precision_recall_from_features
from keras_gans.evaluation.protocol import RealDataProtocol
from keras_gans.evaluation.protocol import count_tag
from keras_gans.evaluation.protocol import features_and_probs
from keras_gans.evaluation.summaries import FeatureSummary
from keras_gans.evaluation.summaries import RunningStats
from keras_gans.evaluation.summaries import generate_batches
from keras_gans.evaluation.summaries import sample_images
from keras_gans.evaluation.summaries import summarize

__all__ = [
    "DigitsClassifier",
    "FashionMNISTClassifier",
    "MNISTClassifier",
    "RealDataProtocol",
    "class_shares",
    "count_tag",
    "dataset_classifier",
    "features_and_probs",
    "fid_gap_from_features",
    "label_accuracy",
    "nearest_distances",
    "nn_ratio_from_features",
    "FeatureSummary",
    "InceptionFeatures",
    "PixelFeatures",
    "RunningStats",
    "default_cache_dir",
    "digits_cache_path",
    "digits_features",
    "evaluate_generator",
    "feature_statistics",
    "fid",
    "fid_from_features",
    "frechet_distance",
    "generate_batches",
    "get_extractor",
    "inception_preprocess",
    "inception_score",
    "inception_score_from_probs",
    "kid",
    "kid_from_features",
    "load_digits_split",
    "metrics_from_summaries",
    "precision_recall",
    "precision_recall_from_features",
    "sample_images",
    "summarize",
]
