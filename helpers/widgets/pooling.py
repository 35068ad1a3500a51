"""Lesson 01's pooling explorer: mode, window, stride, padding and a shift of the input.

Three panels: the (shifted) input with the pooling windows drawn over it, the pooled output,
and ``|pooled(shifted) - pooled(unshifted)|``. The status line gives the output shape with the
size formula filled in (:func:`helpers.describe_output_size`), the input rows/columns that no
window reads, how much the pooled output and the raw input changed under the shift, and, for
``"same"``, what a padded cell contributes.

The blue lines are the edges of the pooling *windows* (not a grid at the stride): with
stride > window the gaps between windows stay unlined, with stride < window the windows overlap
and their edges interleave. Rows and columns after the last window (dropped by the floor in the
size formula) are hatched red, as in lesson 02's padding explorer.

The shift is a *shifted crop*, not ``np.roll``: the explorer keeps each image 4 pixels wider
than shown and shows columns ``shift .. shift + W - 1``, so the content moves left and real
pixels enter at the right edge (``np.roll`` would wrap the left edge round and create a seam).

>>> explorer = pooling_explorer()            # end a notebook cell with ``explorer`` to show it
>>> explorer.set(mode="min", size=3, stride=2, shift=1)
>>> explorer.status_text.split(" (")[0]
'output shape 47×47'
"""

from __future__ import annotations

import html
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.patches import Rectangle

from .._checks import check_array, one_of, positive_int, real_sequence
from ..arith import describe_output_size, output_size
from ..images import IMAGE_NAMES, relative_change, sample_image, shifted_crops
from ..geometry import unread
from ..ops import POOL_MODE_NAMES, pool2d
from ._base import Explorer

MAX_SHIFT = 4
#: displayed (height, width) of each named image; the explorer loads MAX_SHIFT extra columns
DISPLAY_SIZE = {"photo": (96, 96), "grid": (8, 8), "edges": (64, 64), "checker": (64, 64), "digit": (28, 28)}
PAD_NOTE = {
    "max": "a padded cell never wins the max (it acts as −inf), so it contributes nothing",
    "min": "a padded cell never wins the min (it acts as +inf), so it contributes nothing",
    "avg": "a padded cell is left out of the count (Keras' AveragePooling2D): an edge window "
           "averages only its real cells, so no dark zeros creep in",
}
#: above this many windows per axis the window edges are drawn thinner and fainter (still drawn)
DENSE = 24


def _spans(starts, size):
    """Merge the intervals ``[s, s + size]`` of the windows into maximal runs (for line segments)."""
    runs = []
    for s in starts:
        if runs and s <= runs[-1][1]:
            runs[-1][1] = max(runs[-1][1], s + size)
        else:
            runs.append([s, s + size])
    return runs


def window_edges(rows, cols, size):
    """Line segments outlining every ``size``×``size`` window whose top-left corners are the
    products of ``rows`` × ``cols`` (pixel-edge coordinates); windows that touch or overlap
    share merged segments, gaps between windows stay free of lines.

    >>> len(window_edges([0, 2], [0, 2], 2))      # 2x2 windows side by side: 3 + 3 lines
    6
    >>> len(window_edges([0, 3], [0, 3], 2))      # stride 3 > window 2: 4 separate squares
    16
    """
    rows, cols = real_sequence("rows", rows), real_sequence("cols", cols)
    size = positive_int("size", size)
    segments = []
    row_runs, col_runs = _spans(rows, size), _spans(cols, size)
    for y in sorted({r for r in rows} | {r + size for r in rows}):
        segments += [[(a, y), (b, y)] for a, b in col_runs]
    for x in sorted({c for c in cols} | {c + size for c in cols}):
        segments += [[(x, a), (x, b)] for a, b in row_runs]
    return segments


def _cells(indices) -> str:
    if not indices:
        return ""
    if len(indices) > 2 and indices[-1] - indices[0] == len(indices) - 1:
        return f"{indices[0]}–{indices[-1]}"
    if len(indices) > 6:
        return ", ".join(str(i) for i in indices[:3]) + f", …, {indices[-1]} ({len(indices)} in all)"
    return ", ".join(str(i) for i in indices)


def _as_gray(image) -> np.ndarray:
    x = check_array("image", image, ndim=(2, 3), kinds="iufb").astype(np.float32)
    if x.ndim == 3 and x.shape[-1] in (1, 3, 4):
        x = x[..., 0] if x.shape[-1] == 1 else x[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"image must be a 2-D (H, W) or (H, W, 1|3|4) array, got shape {np.shape(image)}")
    if x.shape[1] <= MAX_SHIFT + 1:
        raise ValueError(f"image must be wider than {MAX_SHIFT + 1} pixels to allow shifts up to {MAX_SHIFT}, "
                         f"got width {x.shape[1]}")
    if max(x.shape) > 512 or not np.isfinite(x).all():
        raise ValueError(f"image must be finite numbers, at most 512×512 pixels (each update pools it); got "
                         f"shape {x.shape}")
    return x


class PoolingExplorer(Explorer):
    """See the module docstring; build with :func:`pooling_explorer`."""

    def __init__(self, image=None, default="photo"):
        self._custom = None if image is None else _as_gray(image)
        one_of("default", default, IMAGE_NAMES)  # the image shown first when no custom image is given
        self._images: dict[str, np.ndarray] = {}
        self._pooled: dict[tuple, np.ndarray] = {}
        names = list(IMAGE_NAMES) + (["custom"] if self._custom is not None else [])
        slider = dict(continuous_update=False, layout=widgets.Layout(width="230px"),
                      style={"description_width": "55px"})
        toggle = dict(style={"button_width": "52px", "description_width": "55px"})
        controls = {
            "image": widgets.Dropdown(options=names, value="custom" if self._custom is not None else default,
                                      description="image", layout=widgets.Layout(width="190px"),
                                      style={"description_width": "55px"}),
            "mode": widgets.ToggleButtons(options=["max", "avg", "min"], value="max", description="mode", **toggle),
            "size": widgets.IntSlider(2, min=1, max=12, description="window", **slider),
            "stride": widgets.IntSlider(2, min=1, max=8, description="stride", **slider),
            "padding": widgets.ToggleButtons(options=["valid", "same"], value="valid", description="padding",
                                             **toggle),
            "shift": widgets.IntSlider(0, min=0, max=MAX_SHIFT, description="shift", **slider),
        }
        super().__init__(controls, figsize=(9, 3.3))
        # the first draw placed the panels; freezing that layout makes each update ~1/3 faster
        self.fig.set_layout_engine("none")

    # --- data (cached) ----------------------------------------------------------------------
    def image_for(self, name: str) -> np.ndarray:
        """The image ``name`` with MAX_SHIFT spare columns, loaded once."""
        if name not in self._images:
            if name == "custom":
                if self._custom is None:
                    raise ValueError("no custom image: pass one as pooling_explorer(image=array)")
                self._images[name] = self._custom
            else:
                h, w = DISPLAY_SIZE[name]
                self._images[name] = sample_image(name, size=(h, w + MAX_SHIFT))
        return self._images[name]

    def _pool(self, key, x, mode, size, stride, padding):
        if key not in self._pooled:
            if len(self._pooled) > 64:
                self._pooled.clear()
            self._pooled[key] = pool2d(x, size, stride, padding, mode=mode)
        return self._pooled[key]

    # --- figure -----------------------------------------------------------------------------
    def build(self) -> None:
        self.ax_in, self.ax_out, self.ax_diff = self.fig.subplots(1, 3)
        blank = np.zeros((2, 2))
        self.im_in = self.ax_in.imshow(blank, cmap="gray", interpolation="nearest")
        self.im_out = self.ax_out.imshow(blank, cmap="gray", interpolation="nearest")
        self.im_diff = self.ax_diff.imshow(blank, cmap="magma", interpolation="nearest")
        # the edges of the pooling windows (not a stride grid); thinner when there are many
        self.grid_lines = LineCollection([], colors="#39a0ff", linewidths=0.6, alpha=0.7)
        self.ax_in.add_collection(self.grid_lines)
        # input rows (bottom band) and columns (right band) after the last window: dropped by the floor
        self.left_out = [Rectangle((0, 0), 1, 1, facecolor="#e4572e", alpha=0.35, edgecolor="#e4572e",
                                   hatch="///", linewidth=0.8, visible=False) for _ in range(2)]
        for box in self.left_out:
            self.ax_in.add_patch(box)
        # the real image's border (dashed) over the axes background, grey where padding shows
        self.pad_box = Rectangle((0, 0), 1, 1, fill=False, edgecolor="#ffb000", linestyle="--", linewidth=1.2)
        self.ax_in.add_patch(self.pad_box)
        self.win_boxes = [Rectangle((0, 0), 1, 1, fill=False, edgecolor=c, linewidth=1.8)
                          for c in ("#ff3b3b", "#3bff6f")]
        for box in self.win_boxes:
            self.ax_in.add_patch(box)
        self.fig.colorbar(self.im_out, ax=self.ax_out, shrink=0.8).set_label("value (input and output)", fontsize=8)
        self.fig.colorbar(self.im_diff, ax=self.ax_diff, shrink=0.8).set_label("|change|", fontsize=8)
        for ax, what in ((self.ax_in, "input"), (self.ax_out, "pooled"), (self.ax_diff, "pooled")):
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_xlabel(f"column ({what})", fontsize=8)
            ax.set_ylabel(f"row ({what})", fontsize=8)
            ax.set_title(" \n ", fontsize=9)  # two lines: the first draw reserves room for them

    def update(self, image, mode, size, stride, padding, shift) -> str:
        base = self.image_for(image)
        h = base.shape[0]
        w = base.shape[1] - MAX_SHIFT
        # sizes come from helpers.arith only; an impossible setting raises ValueError here
        try:
            oh, ow = output_size(h, size, stride, padding), output_size(w, size, stride, padding)
        except ValueError as err:  # arith speaks of a "kernel"; for pooling it is a window
            raise ValueError(str(err).replace("kernel", "window")) from None
        x0, xs = shifted_crops(base, shift, MAX_SHIFT)
        y0 = self._pool((image, mode, size, stride, padding), x0, mode, size, stride, padding)
        ys = y0 if shift == 0 else pool2d(xs, size, stride, padding, mode=mode)
        diff = np.abs(ys - y0)
        lo, hi = float(base.min()), float(base.max())
        hi = hi if hi > lo else lo + 1.0
        cover = self._draw_input(image, xs, (lo, hi), size, stride, padding, shift, (oh, ow))
        self._draw_output(ys, diff, (lo, hi), mode, size, stride, shift)
        return _status(cover, x0, xs, y0, ys, diff, mode, size, stride, padding, shift)

    def _draw_input(self, image, xs, clim, size, stride, padding, shift, out_shape) -> "_Cover":
        """The input panel: the shifted image, its padding, the window edges and what no window reads."""
        from ..arith import padding_pair

        h, w = xs.shape
        oh, ow = out_shape
        top, bottom = padding_pair(padding, h, size, stride)
        left, right = padding_pair(padding, w, size, stride)
        self.im_in.set_data(xs)
        self.im_in.set_extent((-0.5, w - 0.5, h - 0.5, -0.5))
        self.im_in.set_clim(*clim)
        self.ax_in.set_xlim(-left - 0.5, w + right - 0.5)
        self.ax_in.set_ylim(h + bottom - 0.5, -top - 0.5)
        padded = bool(top or bottom or left or right)
        self.pad_box.set_visible(padded)
        self.pad_box.set_bounds(-0.5, -0.5, w, h)
        self.ax_in.set_facecolor("#c8c8c8" if padded else "white")
        starts_r = [i * stride - top for i in range(oh)]
        starts_c = [j * stride - left for j in range(ow)]
        rows = [r - 0.5 for r in starts_r]
        cols = [c - 0.5 for c in starts_c]
        self.grid_lines.set_segments(window_edges(rows, cols, size))
        dense = max(oh, ow) > DENSE
        self.grid_lines.set_linewidth(0.5 if dense else 0.7)
        self.grid_lines.set_alpha(0.55 if dense else 0.8)
        lost_r, gap_r = unread(starts_r, size, h)
        lost_c, gap_c = unread(starts_c, size, w)
        bottom_band, right_band = self.left_out
        bottom_band.set_visible(bool(lost_r))
        if lost_r:
            bottom_band.set_bounds(-0.5, lost_r[0] - 0.5, w, len(lost_r))
        right_band.set_visible(bool(lost_c))
        if lost_c:
            right_band.set_bounds(lost_c[0] - 0.5, -0.5, len(lost_c), h)
        for k, box in enumerate(self.win_boxes):
            visible = k < ow
            box.set_visible(visible)
            if visible:
                box.set_bounds(cols[k], rows[0], size, size)
        overlap = "windows overlap" if size > stride else ("gaps between windows" if size < stride else "")
        notes = [n for n in (overlap, "padding grey" if padded else "",
                             "red: no window" if lost_r or lost_c else "") if n]
        self.ax_in.set_title(f"input '{image}' {h}×{w}, shift {shift}\n" + ("; ".join(notes) or "blue: window edges"),
                             fontsize=9)
        return _Cover((top, bottom, left, right), lost_r, gap_r, lost_c, gap_c)

    def _draw_output(self, ys, diff, clim, mode, size, stride, shift) -> None:
        """The pooled output and its change under the shift."""
        oh, ow = ys.shape
        lo, hi = clim
        self.im_out.set_data(ys)
        self.im_out.set_extent((-0.5, ow - 0.5, oh - 0.5, -0.5))
        self.im_out.set_clim(lo, hi)
        self.ax_out.set_title(f"{POOL_MODE_NAMES[mode]} pooling → {oh}×{ow}\nwindow {size}×{size}, stride {stride}",
                              fontsize=9)
        self.im_diff.set_data(diff)
        self.im_diff.set_extent((-0.5, ow - 0.5, oh - 0.5, -0.5))
        self.im_diff.set_clim(0, 0.5 * (hi - lo))
        self.ax_diff.set_title(f"|pooled(shifted) − pooled|\nafter a {shift} px shift", fontsize=9)


class _Cover(NamedTuple):
    """Where the windows of one setting fall: the padding and the input rows/columns no window reads."""

    padding: tuple      # (top, bottom, left, right)
    lost_r: tuple       # rows after the last window
    gap_r: tuple        # rows between windows (stride > window)
    lost_c: tuple
    gap_c: tuple


def _status(cover, x0, xs, y0, ys, diff, mode, size, stride, padding, shift) -> str:
    """The status line: output shape with its formula, what no window reads, the shift's effect, the padding."""
    (h, w), (oh, ow) = xs.shape, ys.shape
    top, bottom, left, right = cover.padding
    rel_out = relative_change(y0, ys)
    rel_in = relative_change(x0, xs)
    rows_txt = describe_output_size(h, size, stride, padding)
    formula = (f"rows and columns: {rows_txt}" if h == w else
               f"rows: {rows_txt}; columns: {describe_output_size(w, size, stride, padding)}")
    parts = [f"<b>output shape {oh}×{ow}</b> (window {size}×{size}, stride {stride}) — {html.escape(formula)}"]
    dropped = []
    axes = ([("rows and columns", cover.lost_r, cover.gap_r)] if (cover.lost_r, cover.gap_r) == (cover.lost_c, cover.gap_c)
            else [("rows", cover.lost_r, cover.gap_r), ("columns", cover.lost_c, cover.gap_c)])
    for axis, lost, gap in axes:
        if lost:
            why = "the floor leaves out" if padding == "valid" else "after the last window, no window reads"
            dropped.append(f"{why} input {axis} {_cells(lost)} (hatched red)")
        if gap:
            dropped.append(f"stride {stride} > window {size}: no window reads input {axis} {_cells(gap)}")
    if dropped:
        parts.append("; ".join(dropped))
    if shift:
        parts.append(f"shift {shift} px: the pooled output changed by {rel_out:.1%} "
                     f"(mean |Δ| {diff.mean():.3f}); the unpooled input by {rel_in:.1%}")
    else:
        parts.append("shift 0 px: move the shift slider to compare outputs")
    if padding == "same":
        if top or bottom or left or right:
            parts.append(f"same padding (top, bottom, left, right) = ({top}, {bottom}, {left}, {right}): "
                         + PAD_NOTE[mode])
        else:
            parts.append("same padding adds no cells for this size and stride")
    return " ·<br>".join(parts)


def pooling_explorer(image=None) -> PoolingExplorer:
    """An interactive pooling explorer (see the module docstring).

    ``image``: an optional (H, W) or (H, W, 3) array, added to the image list as ``"custom"`` and
    shown first; the named images come from :func:`helpers.images.sample_image` (the photo at
    96×96, so an update takes a few tens of milliseconds).
    """
    return PoolingExplorer(image)


__all__ = ["MAX_SHIFT", "PoolingExplorer", "pooling_explorer", "window_edges"]
