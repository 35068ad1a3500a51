"""Self-checks for lesson 05 (AlexNet). Each prints a verdict and returns True/False; none reveals
the answer.

>>> check_conv1_input(None)
✘ Not yet: set `answer` to an integer: the input side in pixels
False
"""

from __future__ import annotations

from .._checks import is_number, is_whole
from . import verdict




def check_conv1_input(answer) -> bool:
    """Exercise 1: the smallest square input side for which conv1 (11×11, stride 4, no padding) gives 55."""
    from ..arith import output_size

    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: the input side in pixels")
    if answer < 11:
        return verdict(False, "", "the 11×11 kernel must fit in the input at least once")
    got = output_size(int(answer), 11, 4)
    right = got == 55 and output_size(int(answer) - 1, 11, 4) == 54
    hint = (f"an input of {answer} gives {got}, not 55" if got != 55 else
            f"{answer} gives 55 too, but a smaller side does as well: which is the smallest?")
    return verdict(right, f"floor(({answer} - 11) / 4) + 1 = 55, and one pixel less gives 54", hint)


def check_fc6_params(answer) -> bool:
    """Exercise 2: trainable parameters of fc6 in the paper's AlexNet (input: pool5's 6×6×256)."""
    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: weights plus biases of fc6")
    right = 6 * 6 * 256 * 4096 + 4096
    if answer == 6 * 6 * 256 * 4096:
        return verdict(False, "", "close: every one of the 4096 units also has a bias")
    if answer == 13 * 13 * 256 * 4096 + 4096:
        return verdict(False, "", "fc6 sees the map after pool5, not conv5's 13×13")
    return verdict(answer == right, f"{right:,} parameters: 62% of the whole network in one layer",
                   "inputs to fc6 = height × width × channels of pool5's output; times 4096 outputs; plus biases")


def check_seed_smallest_input(answer) -> bool:
    """Exercise 3: the smallest square input on which the source's ("seed") AlexNet can be built."""
    from ..alexnet_model import smallest_input

    if not is_whole(answer):
        return verdict(False, "", "set `answer` to an integer: the input side in pixels")
    right = smallest_input("seed")
    hint = ("too small: some layer's output still reaches 0 (trace it with helpers.shape_trace)" if answer < right
            else "that fits, but a smaller input fits too: work backwards from pool5's output of 1")
    return verdict(answer == right, f"{right}×{right} is the smallest: pool5 then outputs 1×1", hint)


def check_pytorch_alpha(answer) -> bool:
    """Exercise 4: PyTorch's ``nn.LocalResponseNorm(size=5, alpha=?, beta=0.75, k=2)`` for the paper's α = 1e-4."""
    if not is_number(answer):
        return verdict(False, "", "set `answer` to a number: the alpha to pass to PyTorch")
    right = 1e-4 * 5
    if abs(answer - 1e-4) < 1e-12:
        return verdict(False, "", "PyTorch divides its alpha by size before multiplying the sum of squares")
    if abs(answer - 1e-4 / 5) < 1e-12:
        return verdict(False, "", "the other way round: PyTorch divides by size, so you must multiply first")
    return verdict(abs(answer - right) < 1e-12, "alpha / size = 5e-4 / 5 = 1e-4, the paper's α",
                   "PyTorch uses alpha / size where the paper uses α")


__all__ = ["check_conv1_input", "check_fc6_params", "check_seed_smallest_input", "check_pytorch_alpha"]
