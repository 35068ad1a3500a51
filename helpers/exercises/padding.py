"""Self-checks for lesson 02 (padding). Each prints ✔/✘ with a hint and never shows the answer.

>>> check_output_size(None)
✘ Not yet: replace None with a whole number, e.g. answer = 5
False
"""

from __future__ import annotations

from .._checks import is_whole
from ..arith import output_size, same_padding, sizes_through
from ..geometry import window_layout
from . import verdict


def _missing(answer, example) -> bool:
    if answer is None:
        verdict(False, "", f"replace None with {example}")
        return True
    return False


def check_output_size(answer) -> bool:
    """Exercise 1: a 15x15 input, 3x3 kernel, stride 2, padding 1 on each side: output height?"""
    if _missing(answer, "a whole number, e.g. answer = 5"):
        return False
    truth = output_size(15, 3, stride=2, padding=1)
    return verdict(is_whole(answer) and answer == truth, f"floor((15 + 2*1 - 3) / 2) + 1 = {truth}",
                   "add the padding on both sides, subtract the kernel, divide by the stride, "
                   "round down, then add 1 (the first position)")


def check_same_split(answer) -> bool:
    """Exercise 2: TensorFlow ``padding="same"`` on 9 rows, kernel 4, stride 2: (before, after)?"""
    if _missing(answer, "a pair, e.g. answer = (1, 1)"):
        return False
    truth = same_padding(9, 4, stride=2)
    if isinstance(answer, str) or not hasattr(answer, "__iter__") or not all(is_whole(a) for a in answer):
        return verdict(False, "", "give a pair (before, after) of whole numbers, e.g. (1, 1)")
    got = tuple(int(a) for a in answer)
    if got == truth[::-1] and truth[0] != truth[1]:
        return verdict(False, "", "right amounts, wrong side: TensorFlow puts the extra row at the bottom")
    return verdict(got == truth, f"the output has ceil(9/2) = 5 rows, which needs {sum(truth)} rows of "
                   "padding; the odd one goes after",
                   "the output must have ceil(9 / 2) rows; count the padding that needs, then split it")


def check_valid_depth(answer) -> bool:
    """Exercise 3: how many 7x7 "valid" convolutions (stride 1) fit on a 64x64 input?

    (Not the lesson's 5x5 on 28x28 or 32x32, whose sizes a cell above the exercise prints.)
    """
    if _missing(answer, "a whole number of layers"):
        return False
    truth = len(sizes_through([(7, 1, "valid")] * 100, 64)) - 1
    return verdict(is_whole(answer) and answer == truth, f"each layer removes 6 rows: 64 -> ... -> "
                   f"{sizes_through([(7, 1)] * truth, 64)[-1]}, and one more does not fit",
                   "each 7x7 valid layer removes 6 rows; a layer fits while its input has at least 7")


def check_unused_rows(answer) -> bool:
    """Exercise 4: 10 rows, kernel 3, stride 4, "valid": which input rows does no window touch?"""
    if _missing(answer, "a list of row indices (0-based), e.g. answer = [0, 1]"):
        return False
    lay = window_layout(10, 3, stride=4)
    truth = set(lay.left_out) | set(lay.skipped)
    if isinstance(answer, str) or not hasattr(answer, "__iter__") or not all(is_whole(a) for a in answer):
        return verdict(False, "", "give a list of row indices (whole numbers), e.g. [0, 1]")
    got = {int(a) for a in answer}
    if got == set(lay.left_out):
        return verdict(False, "", "those are the rows the floor leaves out at the end; the stride is "
                       "larger than the kernel, so look between the windows too")
    return verdict(got == truth, "windows start at rows 0 and 4 and cover 3 rows each; the rest is never read",
                   "list the start of each window (every 4 rows while 3 rows still fit), then what they miss")


def check_same_padding_dilated(answer) -> bool:
    """Exercise 5: kernel 3, dilation 3, stride 1: symmetric padding p that keeps the size?"""
    if _missing(answer, "a whole number, e.g. answer = 1"):
        return False
    ok = is_whole(answer) and answer >= 0 and all(output_size(n, 3, 1, int(answer), 3) == n for n in (8, 13, 32))
    return verdict(ok, "a dilated 3x3 kernel with dilation 3 spans 7 pixels, so (7 - 1) / 2 per side",
                   "first compute the span of the dilated kernel, d*(k-1) + 1; then the output equals "
                   "the input when 2p = span - 1")


__all__ = ["check_output_size", "check_same_split", "check_same_padding_dilated", "check_unused_rows",
           "check_valid_depth"]
