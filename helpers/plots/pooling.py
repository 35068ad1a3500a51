"""Figures for lesson 01 (pooling): the numeric board, pooled images side by side, shift curves.

Every function takes any 2-D array, draws with matplotlib's object API (``Figure``, no pyplot
state), accepts an optional ``fig`` or ``ax``/``axes`` to draw into, and returns the figure.
Pooled values come from :func:`helpers.pool2d`, so the pictures show what the tested
reference computes.

>>> import numpy as np
>>> fig = pooling_board(np.arange(16).reshape(4, 4), size=2, mode="max")
>>> len(fig.axes)
2
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from .._checks import (check_array, check_cmap, check_real, check_text, int_sequence, one_of, pair, positive_int,
                       real_sequence)
from ..arith import padding_pair
from ..geometry import unread, window_origins
from ..ops import POOL_MODE_NAMES, POOL_MODES, pool2d
from . import _new_axes

#: the largest input side :func:`pooling_board` draws: it prints every value in its cell
MAX_BOARD = 32
_COLORS = ("#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def _fmt(v: float) -> str:
    """Short number for a board cell: integers plain, else at most two decimals."""
    if float(v).is_integer():
        return f"{int(v)}"
    return f"{v:.2f}".rstrip("0").rstrip(".")


def pooling_board(x, size=2, stride=None, padding="valid", mode="max", windows=None, *,
                  fig=None, axes=None, title=True, fontsize=None, cmap="Blues"):
    """Draw pooling on a small numeric grid: windows outlined over the input, results beside it.

    Each window shown gets its own colour, outlined over the input and around its result in the
    output grid; for max/min the winning input cell of each shown window is printed bold.
    Padded cells are drawn hatched grey (labelled ``0`` when integer padding makes ``"avg"``
    count them as zeros; blank where they never count). Input rows and columns after the last
    window, which the floor in the size formula leaves out, are hatched red. ``windows`` is
    ``None`` (all, if at most 16, else the first row), or a list of output positions ``(i, j)``
    to outline. ``title``: ``True`` for the panel titles, ``False`` for none, or a string, shown
    above both panels (name the data there). Every cell's value is printed in it, so the colour
    only repeats the numbers and no colour bar is drawn.

    >>> grid = np.arange(25).reshape(5, 5)
    >>> fig = pooling_board(grid, size=3, stride=2, mode="avg")                 # overlapping windows
    >>> fig = pooling_board(grid, size=2, stride=2, padding="same", windows=[(2, 2)])
    """
    x = check_array("x", x, ndim=2, empty=False).astype(np.float64)
    if max(x.shape) > MAX_BOARD or not np.isfinite(x).all():
        raise ValueError(f"x must be a board of finite numbers at most {MAX_BOARD}×{MAX_BOARD} (every value is "
                         f"printed); got shape {x.shape}")
    one_of("mode", mode, POOL_MODES)
    if not (isinstance(title, (bool, str)) or type(title).__name__ == "bool_"):
        raise TypeError(f"title must be True, False or a text; got {title!r}")
    if fontsize is not None:
        check_real("fontsize", fontsize, low=4, high=72)  # in points: legible, and drawable at any dpi
    check_cmap("cmap", cmap)
    kh, kw = pair("size", size)
    sh, sw = pair("stride", stride if stride is not None else (kh, kw))
    padded = [a + sum(padding_pair(padding, a, k, st)) for a, k, st in zip(x.shape, (kh, kw), (sh, sw))]
    if max(padded) > 2 * MAX_BOARD:
        raise ValueError(f"padding: the padded board would be {padded[0]}×{padded[1]} cells; pooling_board draws "
                         f"at most {2 * MAX_BOARD} per side (every cell is drawn)")
    rows, cols, ph, pw = window_origins(x.shape, (kh, kw), (sh, sw), padding)
    y = pool2d(x, (kh, kw), (sh, sw), padding if isinstance(padding, str) else (ph, pw), mode=mode)
    if windows is None:
        windows = [(i, j) for i in range(len(rows)) for j in range(len(cols))]
        if len(windows) > 16:
            windows = [(0, j) for j in range(len(cols))]
    else:
        if isinstance(windows, (str, bytes)) or not isinstance(windows, (list, tuple)):
            raise TypeError(f"windows must be None or a list of output positions (i, j); got {windows!r}")
        for n, pos in enumerate(windows):
            if (not isinstance(pos, (tuple, list)) or len(pos) != 2
                    or not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in pos)):
                raise ValueError(f"windows[{n}] must be an output position (i, j) of ints; got {pos!r}")
            if not (0 <= pos[0] < len(rows) and 0 <= pos[1] < len(cols)):
                raise ValueError(f"windows[{n}] = {tuple(pos)} is outside the {len(rows)}×{len(cols)} output; "
                                 f"valid positions are (0..{len(rows) - 1}, 0..{len(cols) - 1})")
    h, w = x.shape
    wide_in, wide_out = w + pw[0] + pw[1], y.shape[1]
    fig, (ax_in, ax_out) = _new_axes(fig, axes, 2, (0.8 + 0.4 * (wide_in + wide_out), 1.25 + 0.4 * (h + ph[0] + ph[1])),
                                     width_ratios=(wide_in, max(wide_out, 2)))
    fontsize = fontsize or (9 if max(h, w) <= 10 else 7)
    vmin, vmax = float(x.min()), float(x.max()) if x.max() > x.min() else float(x.min()) + 1

    # input, with padding around it
    ax_in.imshow(x, cmap=cmap, vmin=vmin, vmax=vmax + (vmax - vmin) * 0.6, extent=(-0.5, w - 0.5, h - 0.5, -0.5))
    zeros_count = mode == "avg" and not isinstance(padding, str)
    for r in range(-ph[0], h + ph[1]):
        for c in range(-pw[0], w + pw[1]):
            if 0 <= r < h and 0 <= c < w:
                continue
            ax_in.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor="#e6e6e6", edgecolor="#999999",
                                      hatch="///", linewidth=0.5))
            if zeros_count:
                ax_in.text(c, r, "0", ha="center", va="center", fontsize=fontsize, color="#777777")
    winners = set()
    for k, (i, j) in enumerate(windows):
        r0, c0 = rows[i], cols[j]
        inset = 0.07 + 0.06 * (k % 3)
        color = _COLORS[k % len(_COLORS)]
        ax_in.add_patch(Rectangle((c0 - 0.5 + inset, r0 - 0.5 + inset), kw - 2 * inset, kh - 2 * inset,
                                  fill=False, edgecolor=color, linewidth=2))
        ax_out.add_patch(Rectangle((j - 0.5 + 0.06, i - 0.5 + 0.06), 0.88, 0.88, fill=False,
                                   edgecolor=color, linewidth=2))
        if mode in ("max", "min"):
            r_lo, r_hi, c_lo, c_hi = max(r0, 0), min(r0 + kh, h), max(c0, 0), min(c0 + kw, w)
            patch = x[r_lo:r_hi, c_lo:c_hi]
            idx = np.unravel_index(np.argmax(patch) if mode == "max" else np.argmin(patch), patch.shape)
            winners.add((r_lo + idx[0], c_lo + idx[1]))
    lost_r, _ = unread(rows, kh, h)
    lost_c, _ = unread(cols, kw, w)
    if lost_r:
        ax_in.add_patch(Rectangle((-0.5, lost_r[0] - 0.5), w, len(lost_r), facecolor="#e4572e", alpha=0.3,
                                  edgecolor="#e4572e", hatch="\\\\", linewidth=0.8))
    if lost_c:
        ax_in.add_patch(Rectangle((lost_c[0] - 0.5, -0.5), len(lost_c), h, facecolor="#e4572e", alpha=0.3,
                                  edgecolor="#e4572e", hatch="\\\\", linewidth=0.8))
    for r in range(h):
        for c in range(w):
            ax_in.text(c, r, _fmt(x[r, c]), ha="center", va="center", fontsize=fontsize,
                       fontweight="bold" if (r, c) in winners else "normal")
    ax_in.set_xlim(-pw[0] - 0.5, w + pw[1] - 0.5)
    ax_in.set_ylim(h + ph[1] - 0.5, -ph[0] - 0.5)

    # output
    oh, ow = y.shape
    ax_out.imshow(y, cmap=cmap, vmin=vmin, vmax=vmax + (vmax - vmin) * 0.6, extent=(-0.5, ow - 0.5, oh - 0.5, -0.5))
    for r in range(oh):
        for c in range(ow):
            ax_out.text(c, r, _fmt(round(float(y[r, c]), 2)), ha="center", va="center", fontsize=fontsize)
    for ax, (nh, nw) in ((ax_in, (h, w)), (ax_out, (oh, ow))):
        ax.set_xticks(np.arange(-0.5, nw, 1), minor=True)
        ax.set_yticks(np.arange(-0.5, nh, 1), minor=True)
        ax.grid(which="minor", color="white", linewidth=1)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        ax.set_aspect("equal")
    ax_in.set_xlabel("input column", fontsize=fontsize)
    ax_in.set_ylabel("input row", fontsize=fontsize)
    ax_out.set_xlabel("output column", fontsize=fontsize)
    ax_out.set_ylabel("output row", fontsize=fontsize)
    if isinstance(title, str):
        fig.suptitle(title, fontsize=fontsize + 2)
    if title:
        if isinstance(padding, str):
            pad_txt = padding
        else:
            pad_txt = f"padding {ph[0]}" if len({*ph, *pw}) == 1 else f"padding {ph}, {pw}"
        lost_txt = "\nred: left out by the floor" if lost_r or lost_c else ""
        ax_in.set_title(f"input {h}×{w} ({pad_txt}){lost_txt}", fontsize=fontsize + 1)
        ax_out.set_title(f"{mode}: {oh}×{ow}\nwindow {kh}×{kw}\nstride {sh}", fontsize=fontsize + 1)
    return fig


def pooled_images(image, size=2, stride=None, padding="valid", modes=POOL_MODES, *, fig=None, axes=None,
                  cmap="gray", panel_size=2.2, title=None):
    """The input and its pooled versions side by side, each titled with its shape, on one grey
    scale with a colour bar; ``title`` (e.g. the image's name) goes above all panels.

    >>> fig = pooled_images(np.random.default_rng(0).random((32, 32)))
    >>> [ax.get_title() for ax in fig.axes][:2]
    ['input 32×32', 'max pooling: 16×16\\nwindow 2×2, stride 2']
    """
    image = check_array("image", image, ndim=2, empty=False).astype(np.float64)
    if isinstance(modes, (str, bytes)) or not isinstance(modes, (list, tuple)) or not modes:
        raise TypeError(f"modes must be a non-empty list of pooling modes from {POOL_MODES}; got {modes!r}")
    for i, m in enumerate(modes):
        one_of(f"modes[{i}]", m, POOL_MODES)
    check_cmap("cmap", cmap)
    check_real("panel_size", panel_size, low=0, low_open=True, high=10)
    check_text("title", title)
    kh, kw = pair("size", size)
    sh, sw = pair("stride", stride if stride is not None else (kh, kw))
    fig, axs = _new_axes(fig, axes, 1 + len(modes), (panel_size * (1 + len(modes)) + 0.8, panel_size + 0.6))
    vmin, vmax = float(image.min()), float(image.max())
    axs[0].imshow(image, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
    axs[0].set_title(f"input {image.shape[0]}×{image.shape[1]}", fontsize=9)
    for ax, m in zip(axs[1:], modes):
        y = pool2d(image, (kh, kw), (sh, sw), padding, mode=m)
        ax.imshow(y, cmap=cmap, vmin=vmin, vmax=vmax, interpolation="nearest")
        size_txt = f"{kh}×{kw}"
        stride_txt = f"{sh}" if sh == sw else f"{sh}×{sw}"
        ax.set_title(f"{POOL_MODE_NAMES[m]} pooling: {y.shape[0]}×{y.shape[1]}\nwindow {size_txt}, stride {stride_txt}",
                     fontsize=9)
    for ax in axs:
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("column", fontsize=8)
    axs[0].set_ylabel("row", fontsize=8)
    fig.colorbar(axs[0].images[0], ax=axs, shrink=0.8, pad=0.02).set_label("pixel value", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def plot_shift_change(table: dict, shifts, *, ax=None, title=None, ylabel="relative change of the output"):
    """Lines of ``table`` (``{mode: [change per shift]}``, as :func:`helpers.images.shift_change`
    returns) against ``shifts``.

    >>> fig = plot_shift_change({"none": [0, 0.2], "max": [0, 0.1]}, [0, 1])
    """
    n_shifts = len(real_sequence("shifts", shifts))
    if not isinstance(table, dict) or not table:
        raise TypeError(f"table must be a non-empty dict: mode -> change per shift; got {table!r}")
    for mode, values in table.items():
        if len(real_sequence(f"table[{mode!r}]", values)) != n_shifts:
            raise ValueError(f"table[{mode!r}] must hold one value per entry of shifts ({n_shifts}); got {len(values)}")
    check_text("title", title)
    check_text("ylabel", ylabel, optional=False)
    if ax is None:
        fig = Figure(figsize=(4.2, 2.8), dpi=80, layout="constrained")
        ax = fig.subplots()
    # told apart by line style and marker as well as colour
    styles = {"none": dict(color="black", linestyle="--", marker="o"),
              "max": dict(color=_COLORS[0], linestyle="-", marker="s"),
              "avg": dict(color=_COLORS[1], linestyle="-.", marker="D"),
              "min": dict(color=_COLORS[2], linestyle=":", marker="^")}
    for mode, values in table.items():
        ax.plot(list(shifts), values, label=mode if mode != "none" else "no pooling",
                **styles.get(mode, dict(marker="o")))
    ax.set_xlabel("shift (pixels)")
    ax.set_ylabel(ylabel)
    ax.set_xticks(list(shifts))
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title, fontsize=10)
    return ax.figure


__all__ = ["plot_shift_change", "pooled_images", "pooling_board"]
