"""Lesson 02's computations (coverage, window layout, depth tables) and that every plot draws."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest

import helpers
from helpers.plots import padding as pp


def brute_coverage(size, kernel, stride, padding, dilation):
    """Count, window by window, which input pixels a tap lands on (the slow obvious way)."""
    before, _ = helpers.padding_pair(padding, size, kernel, stride, dilation)
    out = helpers.output_size(size, kernel, stride, padding, dilation)
    cov = np.zeros((size, size), int)
    for r, c in itertools.product(range(out), repeat=2):
        for dy, dx in itertools.product(range(kernel), repeat=2):
            y, x = r * stride + dy * dilation - before, c * stride + dx * dilation - before
            if 0 <= y < size and 0 <= x < size:
                cov[y, x] += 1
    return cov


@pytest.mark.parametrize("size,kernel,stride,padding,dilation", [
    (s, k, st, p, d)
    for s in (1, 4, 7, 10) for k in (1, 2, 3, 4) for st in (1, 2, 3) for d in (1, 2)
    for p in ("valid", "same", 1, 2)
    if helpers.effective_kernel(k, d) <= s + 2 * (p if isinstance(p, int) else 0) or p == "same"
])
def test_coverage_map_matches_brute_force(size, kernel, stride, padding, dilation):
    assert np.array_equal(pp.coverage_map(size, kernel, stride, padding, dilation),
                          brute_coverage(size, kernel, stride, padding, dilation))


def test_coverage_map_matches_transposed_counting_with_conv2d():
    # Each input pixel's count is the sum of its gradient through a conv of ones: check by perturbation.
    size, kernel = 6, 3
    base = helpers.conv2d(np.zeros((size, size)), np.ones((kernel, kernel, 1, 1)), padding="same").sum()
    cov = pp.coverage_map(size, kernel, padding="same")
    for y, x in [(0, 0), (0, 3), (2, 2), (5, 5)]:
        img = np.zeros((size, size))
        img[y, x] = 1
        total = helpers.conv2d(img, np.ones((kernel, kernel, 1, 1)), padding="same").sum() - base
        assert total == cov[y, x]


def test_window_layout_floor_and_skips():
    lay = pp.window_layout(6, 3, 2)
    assert (lay.out, lay.left_out, lay.skipped) == (2, (5,), ())
    lay = pp.window_layout(10, 3, 4)
    assert lay.left_out == (7, 8, 9) and lay.skipped == (3,)
    lay = pp.window_layout(7, 3, 2, padding="same")
    assert (lay.before, lay.after, lay.left_out) == (1, 1, ())
    assert pp.window_layout(5, 3, 1, dilation=2).out == helpers.output_size(5, 3, dilation=2)


def test_depth_table_and_framework_splits():
    table = pp.depth_table(32, 3, 20)
    assert table["valid"][-1] == 2 and len(table["valid"]) == 16  # 15 layers, the 16th does not fit
    assert table["same"] == [32] * 21
    assert pp.framework_splits(1)['TensorFlow "same"'] == helpers.same_padding(4, 2)
    assert pp.framework_splits(3) == {'TensorFlow "same"': (1, 2), "D2L §7.3": (2, 1), "symmetric integer": (2, 2)}


def test_every_plot_returns_a_figure():
    img = np.arange(36.0).reshape(6, 6)
    figs = [pp.plot_padding_modes(img, 2), pp.plot_coverage(5, 3), pp.plot_depth(16, (3,), 8),
            pp.plot_responses(img, np.ones((3, 3))), pp.plot_arithmetic(6, 3, 2, show_all=True),
            pp.plot_arithmetic(9, 3, 2, 1, 2, position=3), pp.plot_framework_splits(4, 2)]
    for fig in figs:
        assert fig.axes
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        assert buf.getvalue()[:4] == b"\x89PNG"


def test_plot_arithmetic_rejects_impossible():
    with pytest.raises(ValueError, match="larger than the padded input"):
        pp.plot_arithmetic(3, 5)
