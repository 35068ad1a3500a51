"""Where windows go: kernel and pooling positions, coverage counts, depth tables (pure NumPy).

:mod:`helpers.arith` gives the sizes (plain formulas); this module lays the windows out on a grid
and counts what they read, as arrays and tuples that the figures of lessons 01-02
(:mod:`helpers.plots`), the explorers (:mod:`helpers.widgets`) and the self-checks
(:mod:`helpers.exercises`) share. It imports NumPy only: no matplotlib, no TensorFlow. It is a
module of its own, not part of :mod:`helpers.arith`, because arith stays plain Python (formulas on
ints) while these answers are arrays. Like arith's formulas, its functions are exported by
``helpers`` itself, so a lesson writes ``helpers.coverage_map(...)`` as it writes
``helpers.output_size(...)``.

>>> layout = window_layout(6, 3, stride=2)          # 6 rows, 3x3 kernel, stride 2, "valid"
>>> layout.out, layout.starts.tolist(), layout.left_out
(2, [0, 2], (5,))
>>> coverage_map(5, 3, padding="valid")[0].tolist()   # corner pixels are seen once, centre 9 times
[1, 2, 3, 2, 1]
>>> window_origins((5, 5), 2, padding="same")[:2]    # pooling windows' top-left corners
([0, 2, 4], [0, 2, 4])
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import check_size, int_sequence, non_negative_int, pair, positive_int
from .arith import effective_kernel, output_size, padding_pair, sizes_through


class WindowLayout(NamedTuple):
    """Where a kernel goes along one axis (all indices 0-based).

    ``before``/``after``: padding cells; ``padded``: ``size + before + after``; ``span``: the
    dilated kernel's extent; ``out``: number of positions (``helpers.output_size``);
    ``starts``: first padded index of each position; ``coverage``: for each padded cell, how
    many positions have a kernel tap on it; ``left_out``: input indices after the last window
    (what the floor in the output-size formula throws away); ``skipped``: input indices between
    windows that no tap touches (stride larger than the kernel, or dilation).
    """

    size: int
    kernel: int
    stride: int
    dilation: int
    before: int
    after: int
    padded: int
    span: int
    out: int
    starts: np.ndarray
    coverage: np.ndarray
    left_out: tuple
    skipped: tuple


def window_layout(size: int, kernel: int, stride: int = 1, padding="valid", dilation: int = 1) -> WindowLayout:
    """Kernel positions, per-cell coverage and unused input cells along one axis.

    Sizes and padding come from :func:`helpers.output_size` and :func:`helpers.padding_pair`,
    so an impossible setting raises their ``ValueError``; a layout whose arrays would pass the
    size guard (:data:`helpers._checks.MAX_BYTES`) is refused before anything is allocated.

    >>> lay = window_layout(7, 3, stride=2, padding="same")
    >>> (lay.before, lay.after, lay.out, lay.left_out)
    (1, 1, 4, ())
    """
    out = output_size(size, kernel, stride, padding, dilation)
    before, after = padding_pair(padding, size, kernel, stride, dilation)
    span = effective_kernel(kernel, dilation)
    padded = size + before + after
    culprit = "padding" if before + after > size else "size"
    check_size(culprit, f"the coverage counts of {padded:,} padded cells", 8 * padded)
    check_size("kernel", f"the {out:,} positions × {kernel:,} taps of the kernel", 8 * out * kernel)
    starts = np.arange(out) * stride
    taps = (starts[:, None] + dilation * np.arange(kernel)[None, :]).ravel()
    coverage = np.bincount(taps, minlength=padded)
    last = int(starts[-1]) + span  # first padded index after the last window
    inside = np.arange(before, before + size)
    unused = inside[coverage[inside] == 0] - before
    left_out = tuple(int(i) for i in unused if i + before >= last)
    skipped = tuple(int(i) for i in unused if i + before < last)
    return WindowLayout(size, kernel, stride, dilation, before, after, padded, span, out,
                        starts, coverage, left_out, skipped)


def _axis_paddings(padding) -> tuple:
    """``padding`` for (rows, columns): one spec for both, or a pair of per-axis specs."""
    if isinstance(padding, (tuple, list)) and len(padding) == 2 and \
            all(isinstance(p, (tuple, list, str)) for p in padding):
        return tuple(padding)
    return padding, padding


def coverage_map(size, kernel, stride=1, padding="valid", dilation=1) -> np.ndarray:
    """How many kernel positions cover each input pixel (an int array of the input's shape).

    ``size``, ``kernel``, ``stride`` and ``dilation`` are ints or ``(rows, cols)`` pairs;
    ``padding`` is anything :func:`helpers.output_size` accepts, or a pair of those (rows,
    columns). Because the positions form a grid, the 2-D count is the outer product of the two
    1-D counts (vectorised, no loop over positions).

    >>> coverage_map(4, 3, padding="same")
    array([[4, 6, 6, 4],
           [6, 9, 9, 6],
           [6, 9, 9, 6],
           [4, 6, 6, 4]])
    """
    sizes, kernels = pair("size", size), pair("kernel", kernel)
    strides, dilations = pair("stride", stride), pair("dilation", dilation)
    pads = _axis_paddings(padding)
    check_size("size", f"a {sizes[0]:,}×{sizes[1]:,} coverage map", 8 * sizes[0] * sizes[1])
    counts = []
    for axis in range(2):
        lay = window_layout(sizes[axis], kernels[axis], strides[axis], pads[axis], dilations[axis])
        counts.append(lay.coverage[lay.before:lay.before + lay.size])
    return np.outer(counts[0], counts[1])


def _check_paddings(paddings) -> tuple:
    """``paddings`` (several padding specs, one per panel or table column) as a non-empty tuple, each
    spec checked, or an error naming ``paddings[i]``."""
    if isinstance(paddings, str) or not isinstance(paddings, (tuple, list)) or not paddings:
        raise TypeError(f"paddings must be a non-empty tuple of paddings such as ('valid', 'same'); got {paddings!r}")
    for i, p in enumerate(paddings):
        try:
            padding_pair(p.lower() if isinstance(p, str) else p, 1, 1)
        except (TypeError, ValueError):
            raise ValueError(f"paddings[{i}] must be 'valid', 'same', an int >= 0 or a (before, after) pair; "
                             f"got {p!r}") from None
    return tuple(paddings)


def depth_table(input_size: int, kernel: int, layers: int, stride: int = 1,
                paddings=("valid", "same")) -> dict[str, list[int]]:
    """Spatial size after 0..``layers`` conv layers, per padding; a list ends where layers stop fitting.

    >>> depth_table(9, 3, 5)
    {'valid': [9, 7, 5, 3, 1], 'same': [9, 9, 9, 9, 9, 9]}
    """
    layers = positive_int("layers", layers)
    check_size("layers", "a depth table", layers=layers)
    kernel, stride = positive_int("kernel", kernel), positive_int("stride", stride)
    input_size = positive_int("input_size", input_size)
    paddings = _check_paddings(paddings)
    return {str(p): sizes_through([(kernel, stride, p)] * layers, input_size) for p in paddings}


def framework_splits(total: int) -> dict[str, tuple[int, int]]:
    """How an odd (or even) total padding is split (before, after) by each convention.

    TensorFlow ``"same"``: extra cell after (bottom/right). Dive into Deep Learning §7.3:
    ``ceil(p/2)`` on top, ``floor(p/2)`` at the bottom. Integer padding (PyTorch's ``padding=p``,
    Keras' ``ZeroPadding2D(p)``): symmetric, so an odd total is impossible; the nearest is
    ``ceil(p/2)`` on both sides.

    >>> framework_splits(1)
    {'TensorFlow "same"': (0, 1), 'D2L §7.3': (1, 0), 'symmetric integer': (1, 1)}
    """
    total = non_negative_int("total", total)
    half = total // 2
    return {'TensorFlow "same"': (half, total - half), "D2L §7.3": (total - half, half),
            "symmetric integer": (total - half, total - half)}


def window_origins(shape, size, stride=None, padding="valid"):
    """Top-left corners (in input coordinates, padding negative) of every pooling window.

    ``shape`` is the input's ``(height, width)``; ``size`` and ``stride`` (default: ``size``) are
    ints or pairs. Returns ``(rows, cols, (top, bottom), (left, right))``: the corner rows and
    columns and the padding on each side, exactly as :func:`helpers.pool2d` places its windows.

    >>> window_origins((5, 5), 2, padding="same")[:2]
    ([0, 2, 4], [0, 2, 4])
    >>> window_origins((5, 5), 3, stride=2, padding=1)
    ([-1, 1, 3], [-1, 1, 3], (1, 1), (1, 1))
    """
    if isinstance(shape, (str, bytes)) or not isinstance(shape, (tuple, list)) or len(shape) != 2:
        raise TypeError(f"shape must be the input's (height, width), got {shape!r}")
    h, w = positive_int("shape[0]", shape[0]), positive_int("shape[1]", shape[1])
    kh, kw = pair("size", size)
    sh, sw = pair("stride", stride if stride is not None else (kh, kw))
    ph = padding_pair(padding, h, kh, sh)
    pw = padding_pair(padding, w, kw, sw)
    oh = output_size(h, kh, sh, padding if isinstance(padding, str) else ph)
    ow = output_size(w, kw, sw, padding if isinstance(padding, str) else pw)
    # two lists of Python ints: a list slot and an int object each
    check_size("shape", f"the corners of {oh:,} + {ow:,} windows", 36 * (oh + ow))
    return [i * sh - ph[0] for i in range(oh)], [j * sw - pw[0] for j in range(ow)], ph, pw


def unread(starts, size, n):
    """Input indices ``0..n-1`` that no window reads: ``(after_last, between)``.

    ``starts``: the windows' first indices (negative in left padding), ``size``: the window;
    ``after_last``: indices after the last window (what the floor in the size formula drops);
    ``between``: indices in gaps between windows (stride > window).

    >>> unread([0, 2, 4], 2, 7)          # 7 rows, 2x2 windows, stride 2: row 6 is dropped
    ((6,), ())
    >>> unread([0, 3], 2, 6)             # stride 3 > window 2
    ((5,), (2,))
    """
    starts = int_sequence("starts", starts)
    size = positive_int("size", size)
    n = positive_int("n", n)
    # a read mask, and at most n indices returned as Python ints (a tuple slot and an int object each)
    check_size("n", f"the read mask and unread indices of {n:,} input cells", 37 * n)
    read = np.zeros(n, dtype=bool)
    for s in starts:
        read[max(s, 0):max(min(s + size, n), 0)] = True
    end = starts[-1] + size
    idx = np.flatnonzero(~read)
    return tuple(int(i) for i in idx[idx >= end]), tuple(int(i) for i in idx[idx < end])


__all__ = [
    "WindowLayout",
    "coverage_map",
    "depth_table",
    "framework_splits",
    "unread",
    "window_layout",
    "window_origins",
]
