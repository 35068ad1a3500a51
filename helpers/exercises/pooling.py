"""Self-checks for lesson 01 (pooling). Each prints a verdict and returns True/False; none reveals
the answer.

>>> check_alexnet_pool_size(None)
✘ Not yet: set `answer` to an integer: the height (= width) of the pooled map
False
"""

from __future__ import annotations

import numpy as np

from .._checks import is_number, is_whole
from . import verdict

#: the 4x4 grid of exercise 2
EXERCISE_GRID = np.array([[1, 5, 0, 2],
                          [3, 2, 7, 1],
                          [4, 0, 6, 6],
                          [8, 1, 2, 9]])



def check_alexnet_pool_size(answer) -> bool:
    """Exercise 1: AlexNet's last pooling (3x3 windows, stride 2, valid) on a 13x13 map."""
    from ..arith import output_size

    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: the height (= width) of the pooled map")
    right = output_size(13, 3, stride=2)
    hint = ("count window positions: floor((n - k) / s) + 1" if answer != 13 // 2 + 1 else
            "ceil(13 / 2) is TensorFlow's 'same' size; this layer is 'valid'")
    return verdict(answer == right, f"floor((13 - 3) / 2) + 1 = {right}", hint)


def check_max_pool_grid(answer) -> bool:
    """Exercise 2: 2x2 max pooling, stride 2, of :data:`EXERCISE_GRID` (a 2x2 array)."""
    from ..ops import pool2d

    right = pool2d(EXERCISE_GRID, 2, mode="max")
    try:
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        got = None
    if got is None or got.shape != right.shape:
        return verdict(False, "", "give a 2x2 array (a list of two rows of two numbers)")
    if np.array_equal(got, pool2d(EXERCISE_GRID, 2, mode="min")):
        return verdict(False, "", "that is min pooling: keep the largest value of each window")
    if np.array_equal(got, right):
        return verdict(True, "each 2x2 window keeps its largest value")
    wrong = int(np.sum(got != right))
    return verdict(False, "", f"{wrong} of the 4 values differ; the windows do not overlap (stride 2)")


def check_dense_params_saved(answer) -> bool:
    """Exercise 3: Dense(10) parameters saved by a 2x2 pool on 8 feature maps of 28x28."""
    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer number of parameters")
    before = 28 * 28 * 8 * 10 + 10
    after = 14 * 14 * 8 * 10 + 10
    right = before - after
    if answer == right:
        return verdict(True, "the Dense layer needs 4 times fewer weights; its 10 biases stay")
    if answer in (before, after):
        return verdict(False, "", "that is the size of one of the two Dense layers; subtract them")
    return verdict(False, "", "weights = inputs x outputs (+ one bias per output); a 2x2 pool quarters the inputs")


def check_receptive_field(answer) -> bool:
    """Exercise 4: receptive field of conv3 -> conv3 -> maxpool2/2 -> conv3 (stride-1 convs)."""
    from ..arith import receptive_field

    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer number of input pixels")
    right = receptive_field([(3, 1), (3, 1), (2, 2), (3, 1)])[-1].size
    if answer == right:
        return verdict(True, "after the pool each step of the last conv spans 2 input pixels")
    hint = ("remember the pool's own window adds 1 pixel, and after it every kernel step counts double"
            if answer < right else "only layers after the pool see doubled steps")
    return verdict(False, "", hint)


def check_same_average(answer) -> bool:
    """Exercise 5: Keras AveragePooling2D(2, 2, 'same') on a 3x3 input of ones: the bottom-right output."""
    if not is_number(answer):
        return verdict(False, "", "set `answer` to a number")
    if np.isclose(answer, 1.0):
        return verdict(True, "Keras leaves the padded cells out of the average: 1 / 1 = 1")
    if np.isclose(answer, 0.25):
        return verdict(False, "", "that counts padded zeros, as integer padding does; Keras' 'same' does not")
    return verdict(False, "", "how many real cells does the bottom-right window hold?")


__all__ = ["EXERCISE_GRID", "check_alexnet_pool_size", "check_dense_params_saved", "check_max_pool_grid",
           "check_receptive_field", "check_same_average"]
