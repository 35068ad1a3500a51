"""Self-checks for lessons 03-04 (LeNet-5). Each prints a verdict and returns True/False; none reveals
the answer.

>>> check_full_c3_params(None)
✘ Not yet: set `answer` to an integer: the trainable parameters of a C3 connected to all 6 S2 maps
False
"""

from __future__ import annotations

from .. import _checks
from .._checks import is_number, is_whole
from . import verdict



def check_full_c3_params(answer) -> bool:
    """Lesson 03, exercise 1: parameters of C3 if every map read all 6 S2 maps (5x5 kernels, 16 maps)."""
    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: the trainable parameters of a C3 connected "
                                  "to all 6 S2 maps")
    right = 5 * 5 * 6 * 16 + 16
    hint = ("don't forget one bias per output map" if answer == right - 16 else
            "that is the sparse C3 of the paper; connect every map to all 6" if answer == 1516 else
            "each of 16 maps has a 5x5 kernel per input map, plus a bias")
    return verdict(answer == right, f"16 x (6 x 25 + 1) = {right}, {right - 1516} more than Table I's C3", hint)


def check_c3_size_on_48(answer) -> bool:
    """Lesson 03, exercise 2: height of C3's maps if the paper's network took a 48x48 input."""
    from ..arith import output_size

    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: the height of C3's output maps")
    c1 = output_size(48, 5)
    s2 = output_size(c1, 2, stride=2)
    right = output_size(s2, 5)
    hint = ("that is C1's height; go on through S2 and C3" if answer == c1 else
            "that is S2's height; C3 is one more 5x5 'valid' convolution" if answer == s2 else
            "follow the shape: C1 (5x5, valid), S2 (2x2, stride 2), C3 (5x5, valid)")
    return verdict(answer == right, f"48 -> C1 {c1} -> S2 {s2} -> C3 {right}", hint)


def check_f6_params_on_48(answer) -> bool:
    """Lesson 03, exercise 3: F6's weights if the paper's network took a 48x48 input."""
    from ..arith import sizes_through

    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: F6's trainable parameters")
    c5 = sizes_through([(5, 1), (2, 2), (5, 1), (2, 2), (5, 1)], 48)[-1]
    right = c5 * c5 * 120 * 84 + 84
    hint = ("include F6's 84 biases" if answer == right - 84 else
            "that is the 32x32 network's F6; on 48x48, C5 is no longer 1x1" if answer == 10164 else
            "find C5's output size first (C1, S2, C3, S4, C5), then F6 sees all of it once flattened")
    return verdict(answer == right, f"C5 is {c5}x{c5}x120, so F6 needs {c5}*{c5}*120*84 + 84 = {right:,}: "
                                    "the trained 10,164 cannot be reused", hint)


def check_seed_f6_params(answer) -> bool:
    """Lesson 04, exercise 1: parameters of the seed model's Dense(84) after its 4x4x120 C5."""
    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer")
    right = 4 * 4 * 120 * 84 + 84
    hint = "the flattened C5 output has 4*4*120 values" if answer != 120 * 84 + 84 else \
        "that is LeNet-5's F6; the seed's C5 keeps 4x4 maps"
    return verdict(answer == right, f"1,920 x 84 + 84 = {right:,}, three quarters of the seed's 212,906", hint)


def check_error_from_accuracy(answer, accuracy, n_test: int = 10_000) -> bool:
    """Lesson 04, exercise 2: number of misclassified test digits for a given test accuracy."""
    # checked as arguments, not answers: a module here exports only its exercises' check_* functions
    accuracy = _checks.check_real("accuracy", accuracy, low=0, high=1)
    n_test = _checks.positive_int("n_test", n_test)
    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: a count of test digits")
    right = round((1 - accuracy) * n_test)
    return verdict(abs(answer - right) <= 1, f"(1 - accuracy) x {n_test:,} = {right}",
                   "multiply the error rate (1 - accuracy) by the number of test digits")


def check_c5_multiply_adds_ratio(answer) -> bool:
    """Lesson 04, exercise 3: how many times more multiply-adds the seed's C5 ('same', 4x4 out) does than
    LeNet-5's (valid, 1x1 out), counting only products with real inputs, not with the padding zeros."""
    got = float(answer) if is_number(answer) else None
    if got is None:
        return verdict(False, "", "set `answer` to a number: seed C5 multiply-adds / LeNet-5 C5 multiply-adds")
    rows = [min(i + 2, 3) - max(i - 2, 0) + 1 for i in range(4)]  # input rows under each output row's window
    inside = sum(rows) ** 2                                          # window cells on real inputs, all outputs
    right = inside / (5 * 5)
    hint = ("that counts the products with padding zeros too; count only window cells inside the 4x4 input"
            if abs(got - 16) < 1e-6 else
            "for each of the 4x4 outputs, count the cells of its 5x5 window that lie inside the 4x4 input")
    return verdict(abs(got - right) < 5e-3, f"{inside} of the 16 windows' 400 cells lie inside the input, "
                                            f"against 25 for the valid C5: {right:.2f}x (16x with the zeros)", hint)
