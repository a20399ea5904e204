"""Measuring generators: feature extractors and sample-quality metrics.

Example:

>>> from keras_gans.evaluation import evaluate_generator
>>> results = evaluate_generator(gan, x_test, num_samples=1000)
>>> results["fid_digits"]
"""

from keras_gans.evaluation.features import DigitsClassifier
from keras_gans.evaluation.features import InceptionFeatures
from keras_gans.evaluation.features import PixelFeatures
from keras_gans.evaluation.features import default_cache_dir
from keras_gans.evaluation.features import digits_cache_path
from keras_gans.evaluation.features import digits_features
from keras_gans.evaluation.features import get_extractor
from keras_gans.evaluation.features import inception_preprocess
from keras_gans.evaluation.features import load_digits_split
from keras_gans.evaluation.metrics import FeatureSummary
from keras_gans.evaluation.metrics import RunningStats
from keras_gans.evaluation.metrics import evaluate_generator
from keras_gans.evaluation.metrics import feature_statistics
from keras_gans.evaluation.metrics import fid
from keras_gans.evaluation.metrics import fid_from_features
from keras_gans.evaluation.metrics import frechet_distance
from keras_gans.evaluation.metrics import generate_batches
from keras_gans.evaluation.metrics import inception_score
from keras_gans.evaluation.metrics import inception_score_from_probs
from keras_gans.evaluation.metrics import kid
from keras_gans.evaluation.metrics import kid_from_features
from keras_gans.evaluation.metrics import metrics_from_summaries
from keras_gans.evaluation.metrics import precision_recall
from keras_gans.evaluation.metrics import precision_recall_from_features
from keras_gans.evaluation.metrics import sample_images
from keras_gans.evaluation.metrics import summarize

__all__ = [
    "DigitsClassifier",
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
