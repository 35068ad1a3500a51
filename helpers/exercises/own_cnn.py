"""Self-checks for lesson 07 (your own CNN). Each prints a verdict and returns True/False; none
reveals the answer.

>>> check_first_layer_multiply_adds(None)
✘ Not yet: set `answer` to a whole number: multiply-adds of the first layer for one image
False
"""

from __future__ import annotations

from .._checks import is_whole
from . import verdict

#: the first layer of the exercise: Conv2D(16, 3, padding="same") on one 64×64 grey image (not the
#: lesson's 28×28, whose count the trace above the exercise already prints)
FIRST_LAYER = {"filters": 16, "kernel": 3, "input": (64, 64, 1)}
#: the receptive-field exercise: conv3 → conv3 → maxpool 2/2 → conv3 → maxpool 2/2 → conv3, stride 1 convs
RF_STACK = [(3, 1), (3, 1), (2, 2), (3, 1), (2, 2), (3, 1)]


def check_first_layer_multiply_adds(answer) -> bool:
    """Exercise 1: multiply-adds of Conv2D(16, 3, padding="same") on a 64×64×1 input, per image."""
    value = int(answer) if is_whole(answer) else None
    if value is None:
        return verdict(False, "", "set `answer` to a whole number: multiply-adds of the first layer for one image")
    h, w, c = FIRST_LAYER["input"]
    k, f = FIRST_LAYER["kernel"], FIRST_LAYER["filters"]
    right = h * w * f * k * k * c
    if value == right:
        return verdict(True, f"{h}·{w} positions × {f} filters × {k}·{k}·{c} weights each = {right:,}")
    if value == h * w * f:
        hint = "that counts output values; each one needs a whole window of products"
    elif value == (h - k + 1) * (w - k + 1) * f * k * k * c:
        hint = f"'same' padding keeps the output {h}×{w}"
    elif value == k * k * c * f + f:
        hint = "that is the parameter count; multiply-adds repeat those weights at every position"
    else:
        hint = "output height × width × filters × (kernel area × input channels)"
    return verdict(False, "", hint)


def check_receptive_field(answer) -> bool:
    """Exercise 2: receptive field of the last layer of :data:`RF_STACK`, in input pixels."""
    from ..arith import receptive_field

    value = int(answer) if is_whole(answer) else None
    if value is None:
        return verdict(False, "", "set `answer` to a whole number of input pixels (the side of the square)")
    right = receptive_field(RF_STACK)[-1].size
    hint = ("each layer adds (k − 1) × (product of the strides before it)"
            if value != 1 + sum(k - 1 for k, _ in RF_STACK) else
            "that ignores the pooling: after a stride-2 pool each later step spans 2 (then 4) input pixels")
    return verdict(value == right, f"{right}×{right} pixels, from size += (k − 1) × jump at each layer", hint)
