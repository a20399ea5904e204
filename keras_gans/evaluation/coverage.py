"""Coverage under a classifier: which classes the samples fall in.

- class shares: the share of samples the classifier puts in each class. A
  generator that covers the data evenly gives shares near the data's own
  (about 0.1 each for MNIST and Fashion-MNIST); a collapsed one leaves
  classes near 0.
- label accuracy (conditional models): the share of samples the classifier
  puts in the class they were asked for.

Example:

>>> class_shares(np.array([0, 0, 1, 3]), num_classes=4)
array([0.5 , 0.25, 0.  , 0.25])
"""

import numpy as np


def _labels(values, what):
    values = np.asarray(values)
    if values.ndim == 2:  # probabilities or one-hot rows
        values = np.argmax(values, axis=1)
    if values.ndim != 1 or (values.size and not np.issubdtype(values.dtype, np.integer)):
        raise ValueError(
            f"{what} must be integer class labels (n,) or class probabilities "
            f"(n, num_classes); received shape {values.shape} and dtype "
            f"{values.dtype}."
        )
    return values.astype("int64")


def class_shares(predicted, num_classes):
    """Share of samples in each class.

    Args:
        predicted: predicted labels (n,) or class probabilities
            (n, num_classes) (their argmax is used).
        num_classes: number of classes.

    Returns:
        float64 array (num_classes,) summing to 1.

    Example:

    >>> class_shares(np.eye(3)[[0, 1, 1, 2]], 3)
    array([0.25, 0.5 , 0.25])
    """
    labels = _labels(predicted, "predicted")
    if len(labels) == 0:
        raise ValueError("class_shares needs at least one sample; received none.")
    if labels.min() < 0 or labels.max() >= int(num_classes):
        raise ValueError(
            f"Labels must lie in [0, {int(num_classes) - 1}]; received values "
            f"from {labels.min()} to {labels.max()}."
        )
    return np.bincount(labels, minlength=int(num_classes)) / len(labels)


def label_accuracy(predicted, requested):
    """Share of samples classified as the label they were generated for.

    Args:
        predicted: predicted labels (n,) or probabilities (n, num_classes).
        requested: the conditioning labels (n,).

    Returns:
        Python float in [0, 1].

    Example:

    >>> label_accuracy(np.array([0, 1, 2, 2]), np.array([0, 1, 2, 3]))
    0.75
    """
    p = _labels(predicted, "predicted")
    r = _labels(requested, "requested")
    if p.shape != r.shape or len(p) == 0:
        raise ValueError(
            "predicted and requested labels must be non-empty and of the same "
            f"length; received {len(p)} and {len(r)}."
        )
    return float(np.mean(p == r))
