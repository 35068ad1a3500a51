"""helpers.exercises.cifar: the self-checks of lesson 06's exercises."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.exercises import cifar as ex


# ------------------------------------------------------------------ exercise checks
def test_conv2_multiply_adds_equals_the_shape_trace(capsys):
    from helpers import shape_trace
    from helpers.alexnet_model import alexnet_layers

    trace = shape_trace(alexnet_layers("cifar"), (32, 32, 3))
    right = next(row for row in trace.rows if row.name == "conv2").multiply_adds
    assert ex.check_conv2_multiply_adds(right) is True
    assert ex.check_conv2_multiply_adds(float(right)) is True
    for wrong in (3 * 3 * 54 * 64, 30 * 30 * 64 * 3 * 3 * 54, right + 1, None, True, "31850496"):
        assert ex.check_conv2_multiply_adds(wrong) is False
    out = capsys.readouterr().out
    assert f"{right:,}" not in out.split("✔")[0] or "✔" in out   # the hint never states the number


def test_smoothing_floor_is_the_entropy_of_the_targets():
    t = np.array([0.82] + [0.02] * 9)
    right = float(-(t * np.log(t)).sum())
    assert ex.check_smoothing_floor(right) is True
    assert ex.check_smoothing_floor(np.float32(right)) is True
    # numerically: cross-entropy against the smoothed target is smallest at p = t
    rng = np.random.default_rng(0)
    for _ in range(50):
        p = rng.dirichlet(np.ones(10))
        assert -(t * np.log(p)).sum() >= right - 1e-12
    for wrong in (0, -math.log(0.82), right + 0.05, None, float("nan")):
        assert ex.check_smoothing_floor(wrong) is False


def test_lrn_factor_matches_the_layer():
    from helpers.alexnet_model import LocalResponseNormalization

    a = np.full((1, 1, 1, 5), ex.LRN_ACTIVATION, "float32")
    factor = float(np.asarray(LocalResponseNormalization()(a))[0, 0, 0, 2] / ex.LRN_ACTIVATION)   # the middle channel
    assert ex.check_lrn_factor(factor) is True
    for wrong in (2 ** -0.75, (2 + 1e-4 * 100 ** 2) ** -0.75, 1.0, None):
        assert ex.check_lrn_factor(wrong) is False


def test_confused_pair():
    names = ["a", "b", "c"]
    counts = np.array([[50, 7, 1], [2, 40, 3], [0, 9, 30]])
    assert ex.check_confused_pair(("c", "b"), counts, names) is True
    assert ex.check_confused_pair(["c", "b"], counts, names) is True
    assert ex.check_confused_pair(("b", "c"), counts, names) is False     # wrong way round
    assert ex.check_confused_pair(("a", "b"), counts, names) is False
    assert ex.check_confused_pair(("a", "a"), counts, names) is False     # the diagonal
    assert ex.check_confused_pair(None, counts, names) is False
    assert ex.check_confused_pair(("c", "zebra"), counts, names) is False
    with pytest.raises(ValueError, match="counts"):
        ex.check_confused_pair(("a", "b"), counts[:2], names)


# ------------------------------------------------------------------ LRN at the paper's scale
