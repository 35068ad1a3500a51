"""Self-checks for lesson 06 (AlexNet trained on CIFAR-10). Each prints a verdict and returns True/False;
none reveals the answer.

>>> check_conv2_multiply_adds(None)
✘ Not yet: set `answer` to an integer: conv2's multiply-adds for one image
False
"""

from __future__ import annotations

import math

import numpy as np

from .._checks import is_number, is_whole
from . import verdict

#: the paper's LRN constants (Krizhevsky et al. 2012, Sec. 3.3) used by :func:`check_lrn_factor`
LRN_K, LRN_N, LRN_ALPHA, LRN_BETA = 2.0, 5, 1e-4, 0.75
#: the activation of each of the five neighbouring channels in :func:`check_lrn_factor`
LRN_ACTIVATION = 100.0


def check_conv2_multiply_adds(answer) -> bool:
    """Exercise 1: multiply-adds of conv2 of ``alexnet("cifar")`` for one 32×32 image: 64 filters of 3×3 over
    conv1's 54 channels, padding "same", stride 1."""
    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: conv2's multiply-adds for one image")
    right = 32 * 32 * 64 * 3 * 3 * 54
    if answer == 3 * 3 * 54 * 64:
        return verdict(False, "", "that is the number of weights: each is used once per output position")
    if answer == 30 * 30 * 64 * 3 * 3 * 54:
        return verdict(False, "", "with padding 'same' the output stays 32×32")
    if answer == 32 * 32 * 64 * 3 * 3 * 3:
        return verdict(False, "", "conv2 sees conv1's 54 channels, not the image's 3")
    return verdict(answer == right, f"{right:,}: 32·32 positions × 64 filters × 3·3·54 weights",
                   "output positions × filters × weights per filter (kernel height × width × input channels)")


def check_smoothing_floor(answer) -> bool:
    """Exercise 3: the smallest cross-entropy a network can reach on targets smoothed with ε = 0.2 over 10 classes."""
    if not is_number(answer):
        return verdict(False, "", "set `answer` to a number: the smallest possible loss, in nats")
    eps, classes = 0.2, 10
    hi, lo = 1 - eps + eps / classes, eps / classes
    right = -(hi * math.log(hi) + (classes - 1) * lo * math.log(lo))
    if abs(answer) < 1e-9:
        return verdict(False, "", "0 needs a probability of exactly 1 on the true class, but the target is 0.82 there")
    if abs(answer + math.log(hi)) < 5e-3:
        return verdict(False, "", "the nine other classes count too: each has target 0.02")
    return verdict(abs(answer - right) < 5e-3,
                   f"{right:.3f}: the loss is smallest when the predictions equal the targets, and then it is "
                   "their entropy", "the loss is −Σ target·log(prediction); it is smallest when prediction = target")


def check_lrn_factor(answer) -> bool:
    """Exercise 2: the factor LRN multiplies a channel by when it and its four neighbours all equal
    :data:`LRN_ACTIVATION` (the paper's k = 2, n = 5, α = 1e-4, β = 0.75)."""
    if not is_number(answer):
        return verdict(False, "", "set `answer` to a number: the factor b / a")
    right = (LRN_K + LRN_ALPHA * LRN_N * LRN_ACTIVATION ** 2) ** -LRN_BETA
    if abs(answer - LRN_K ** -LRN_BETA) < 5e-3:
        return verdict(False, "", "that is the factor for tiny activations; here α·Σa² is not small next to k")
    if abs(answer - (LRN_K + LRN_ALPHA * LRN_ACTIVATION ** 2) ** -LRN_BETA) < 5e-3:
        return verdict(False, "", "the sum runs over five channels: the channel itself and two neighbours each side")
    return verdict(abs(answer - right) < 5e-3, f"(2 + 1e-4 · 5 · 100²)^−0.75 = {right:.3f}",
                   "b / a = (k + α · Σ a²)^−β, the sum over the five channels")


def check_confused_pair(answer, counts, class_names) -> bool:
    """Exercise 4: the (true class, predicted class) pair with the most mistakes in the confusion ``counts``
    (rows: true class, columns: predicted), as two names from ``class_names``."""
    try:
        counts = np.asarray(counts)
    except (TypeError, ValueError):
        raise ValueError(f"counts must be a square matrix of counts, got {counts!r}") from None
    if counts.dtype.kind not in "iuf":
        raise TypeError(f"counts must hold numbers (a confusion matrix), got dtype {counts.dtype}")
    if isinstance(class_names, (str, bytes)) or not isinstance(class_names, (list, tuple)) or not all(
            isinstance(n, str) for n in class_names):
        raise TypeError(f"class_names must be a list of class names (texts), got {class_names!r}")
    names = list(class_names)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] != len(names):
        raise ValueError(f"counts must be a square matrix with one row per class name ({len(names)}), "
                         f"got shape {counts.shape}")
    if (not isinstance(answer, (tuple, list)) or len(answer) != 2
            or not all(isinstance(a, str) and a in names for a in answer)):
        return verdict(False, "", f"set `answer` to two class names (true, predicted), from {names}")
    mistakes = counts - np.diag(np.diag(counts))
    i, j = names.index(answer[0]), names.index(answer[1])
    if i == j:
        return verdict(False, "", "the diagonal holds the right answers; look off the diagonal")
    best = mistakes.max()
    if mistakes[i, j] == best:
        return verdict(True, f"{best} images of class {answer[0]} were called {answer[1]}, more than any other pair")
    if mistakes[j, i] == best:
        return verdict(False, "", "right pair, wrong way round: rows are the true class, columns the prediction")
    return verdict(False, "", f"{answer[0]} called {answer[1]} happened {mistakes[i, j]} times; "
                              "another off-diagonal cell is larger")


__all__ = ["check_conv2_multiply_adds", "check_smoothing_floor", "check_lrn_factor", "check_confused_pair",
           "LRN_ACTIVATION"]
