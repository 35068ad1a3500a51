"""Self-checks for lessons 03-04 (LeNet-5). Each prints a verdict and returns True/False; none reveals
the answer.

>>> check_full_c3_params(None)
✘ Not yet: set `answer` to an integer: the trainable parameters of a C3 connected to all 6 S2 maps
False
"""

from __future__ import annotations

import numbers

from . import verdict


def _is_int(x) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def check_full_c3_params(answer) -> bool:
    """Lesson 03, exercise 1: parameters of C3 if every map read all 6 S2 maps (5x5 kernels, 16 maps)."""
    if not _is_int(answer):
        return verdict(False, "", "set `answer` to an integer: the trainable parameters of a C3 connected "
                                  "to all 6 S2 maps")
    right = 5 * 5 * 6 * 16 + 16
    hint = ("don't forget one bias per output map" if answer == right - 16 else
            "that is the sparse C3 of the paper; connect every map to all 6" if answer == 1516 else
            "each of 16 maps has a 5x5 kernel per input map, plus a bias")
    return verdict(answer == right, f"16 x (6 x 25 + 1) = {right}, {right - 1516} more than Table I's C3", hint)


def check_c1_size_on_64(answer) -> bool:
    """Lesson 03, exercise 2: height of C1's maps (5x5, valid, stride 1) on a 64x64 input."""
    from ..arith import output_size

    if not _is_int(answer):
        return verdict(False, "", "set `answer` to an integer: the height of C1's output maps")
    right = output_size(64, 5)
    hint = "valid convolution: n - k + 1" if answer != 64 else "C1 uses no padding"
    return verdict(answer == right, f"64 - 5 + 1 = {right}", hint)


def check_f6_params_on_64(answer) -> bool:
    """Lesson 03, exercise 3: F6's weights if the paper's network took a 64x64 input (C5 gives 9x9x120)."""
    if not _is_int(answer):
        return verdict(False, "", "set `answer` to an integer: F6's trainable parameters")
    right = 9 * 9 * 120 * 84 + 84
    hint = ("include F6's 84 biases" if answer == right - 84 else
            "F6 sees all of C5's 9x9x120 values once flattened")
    return verdict(answer == right, f"9*9*120*84 + 84 = {right:,}: the trained 10,164 cannot be reused", hint)


def check_seed_f6_params(answer) -> bool:
    """Lesson 04, exercise 1: parameters of the seed model's Dense(84) after its 4x4x120 C5."""
    if not _is_int(answer):
        return verdict(False, "", "set `answer` to an integer")
    right = 4 * 4 * 120 * 84 + 84
    hint = "the flattened C5 output has 4*4*120 values" if answer != 120 * 84 + 84 else \
        "that is LeNet-5's F6; the seed's C5 keeps 4x4 maps"
    return verdict(answer == right, f"1,920 x 84 + 84 = {right:,}, three quarters of the seed's 212,906", hint)


def check_error_from_accuracy(answer, accuracy, n_test: int = 10_000) -> bool:
    """Lesson 04, exercise 2: number of misclassified test digits for a given test accuracy."""
    if not _is_int(answer):
        return verdict(False, "", "set `answer` to an integer: a count of test digits")
    right = round((1 - accuracy) * n_test)
    return verdict(abs(answer - right) <= 1, f"(1 - accuracy) x {n_test:,} = {right}",
                   "multiply the error rate (1 - accuracy) by the number of test digits")


def check_c5_multiply_adds_ratio(answer) -> bool:
    """Lesson 04, exercise 3: how many times more multiply-adds the seed's C5 ('same', 4x4 out) does than LeNet-5's."""
    try:
        got = float(answer)
    except (TypeError, ValueError):
        return verdict(False, "", "set `answer` to a number: seed C5 multiply-adds / LeNet-5 C5 multiply-adds")
    right = (4 * 4 * 120 * 25 * 16) / (1 * 1 * 120 * 25 * 16)
    return verdict(abs(got - right) < 1e-6, f"16 output positions instead of 1: {right:.0f}x",
                   "count output positions: 4x4 with 'same' padding vs 1x1")
