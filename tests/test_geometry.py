"""helpers.geometry: window layouts, coverage maps, depth tables and pooling corners, against
brute force and the reference ops; and the module stays free of matplotlib and TensorFlow."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

import helpers
from helpers import geometry


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
    assert np.array_equal(geometry.coverage_map(size, kernel, stride, padding, dilation),
                          brute_coverage(size, kernel, stride, padding, dilation))


def test_coverage_map_matches_transposed_counting_with_conv2d():
    # Each input pixel's count is the sum of its gradient through a conv of ones: check by perturbation.
    size, kernel = 6, 3
    base = helpers.conv2d(np.zeros((size, size)), np.ones((kernel, kernel, 1, 1)), padding="same").sum()
    cov = geometry.coverage_map(size, kernel, padding="same")
    for y, x in [(0, 0), (0, 3), (2, 2), (5, 5)]:
        img = np.zeros((size, size))
        img[y, x] = 1
        total = helpers.conv2d(img, np.ones((kernel, kernel, 1, 1)), padding="same").sum() - base
        assert total == cov[y, x]


def test_window_layout_floor_and_skips():
    lay = geometry.window_layout(6, 3, 2)
    assert (lay.out, lay.left_out, lay.skipped) == (2, (5,), ())
    lay = geometry.window_layout(10, 3, 4)
    assert lay.left_out == (7, 8, 9) and lay.skipped == (3,)
    lay = geometry.window_layout(7, 3, 2, padding="same")
    assert (lay.before, lay.after, lay.left_out) == (1, 1, ())
    assert geometry.window_layout(5, 3, 1, dilation=2).out == helpers.output_size(5, 3, dilation=2)


def test_depth_table_and_framework_splits():
    table = geometry.depth_table(32, 3, 20)
    assert table["valid"][-1] == 2 and len(table["valid"]) == 16  # 15 layers, the 16th does not fit
    assert table["same"] == [32] * 21
    assert geometry.framework_splits(1)['TensorFlow "same"'] == helpers.same_padding(4, 2)
    assert geometry.framework_splits(3) == {'TensorFlow "same"': (1, 2), "D2L §7.3": (2, 1), "symmetric integer": (2, 2)}


def test_unread_splits_floor_losses_from_gaps():
    assert geometry.unread([0, 2, 4], 2, 7) == ((6,), ())
    assert geometry.unread([0, 3, 6], 2, 8) == ((), (2, 5))
    assert geometry.unread([0, 2], 3, 6) == ((5,), ())
    assert geometry.unread([-1, 1, 3], 3, 5) == ((), ())         # "same" padding starts a window at -1


@pytest.mark.parametrize("size, stride, padding", [(2, 2, "valid"), (3, 2, "valid"), (2, 2, "same"),
                                                   (3, 2, 1), (3, 1, "same"), ((2, 3), (1, 2), "same")])
def test_window_origins_are_where_pool2d_puts_its_windows(size, stride, padding):
    x = np.random.default_rng(0).random((5, 6))
    rows, cols, ph, pw = geometry.window_origins(x.shape, size, stride, padding)
    kh, kw = size if isinstance(size, tuple) else (size, size)
    want = helpers.pool2d(x, size, stride, padding, mode="max")
    assert (len(rows), len(cols)) == want.shape
    padded = np.pad(x, (ph, pw), constant_values=-np.inf)
    got = np.array([[padded[r + ph[0]:r + ph[0] + kh, c + pw[0]:c + pw[0] + kw].max() for c in cols] for r in rows])
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("call, name", [
    (lambda: geometry.window_origins(5, 2), "shape"),
    (lambda: geometry.window_origins((5, 0), 2), "shape"),
    (lambda: geometry.window_origins((2**40, 2**40), 1), "shape"),
    (lambda: geometry.framework_splits(-1), "total"),
    (lambda: geometry.framework_splits("3"), "total"),
    (lambda: geometry.depth_table(9, 3, 5, paddings=("valid", "bogus")), "paddings"),
    (lambda: geometry.window_layout(2**40, 3), "size"),
    (lambda: geometry.window_layout(4, 3, padding=2**40), "padding"),
    (lambda: geometry.coverage_map((10**5, 10**5), 3), "size"),
    (lambda: geometry.unread([0], 2, 2**40), "n"),
    (lambda: geometry.unread([0, "a"], 2, 5), "starts"),
])
def test_bad_input_is_refused_naming_the_argument_before_allocating(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_imports_without_matplotlib_or_tensorflow():
    code = ("import sys, helpers.geometry; "
            "bad = [m for m in ('matplotlib', 'tensorflow', 'keras') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
