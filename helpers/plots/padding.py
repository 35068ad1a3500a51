"""Figures for lesson 02 (padding).

The numbers they draw come from :mod:`helpers.geometry` (:func:`~helpers.geometry.window_layout`,
:func:`~helpers.geometry.coverage_map`, :func:`~helpers.geometry.depth_table`,
:func:`~helpers.geometry.framework_splits`) and :mod:`helpers.ops`; the ``plot_*`` functions only
draw them. Every plot function accepts an optional ``ax`` (or ``fig``) and returns the figure.

>>> fig = plot_coverage(5, 3)            # the border effect: how often each pixel is read
>>> [ax.get_title() for ax in fig.axes][:2]
['"valid": 1..9 positions', '"same": 4..9 positions']
"""

from __future__ import annotations

import numpy as np
from matplotlib import colors
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .._checks import check_bool, check_size, non_negative_int, one_of, positive_int, real_array
from ..geometry import WindowLayout, _check_paddings, coverage_map, depth_table, framework_splits, window_layout
from ..ops import PAD_MODES
from . import _new_axes

# cell colours of the convolution-arithmetic drawing (after Dumoulin & Visin's figures)
CELL_COLORS = {
    "empty": "#ffffff",
    "input": "#8fb8de",     # input pixel, used by some window
    "padding": "#e3e3e3",   # padding cell, used by some window
    "left_out": "#e4572e",  # input row/column after the last window: lost to the floor
    "skipped": "#f3c6b6",   # input pixel between taps (stride > kernel, or dilation)
    "pad_unused": "#f6f6f6",  # padding cell no window touches
}
_CODES = {name: i for i, name in enumerate(CELL_COLORS)}
_CELL_CMAP = colors.ListedColormap(list(CELL_COLORS.values()))
_CELL_NORM = colors.BoundaryNorm(np.arange(len(CELL_COLORS) + 1) - 0.5, len(CELL_COLORS))


# --- drawings -----------------------------------------------------------------------------

def plot_padding_modes(image, pad: int = 16, modes=PAD_MODES, fig=None, title=None) -> Figure:
    """Pad one image with each mode of :func:`helpers.pad2d`, side by side; the original is outlined.

    ``title`` names the image in the figure's title (default: its size).

    >>> fig = plot_padding_modes(np.arange(16.0).reshape(4, 4), pad=2)
    """
    from ..ops import pad2d

    real_array("image", image, (2, 3))
    image = np.asarray(image)
    pad = non_negative_int("pad", pad)
    if isinstance(modes, str) or not isinstance(modes, (tuple, list)) or not modes:
        raise TypeError(f"modes must be a non-empty tuple of modes from {PAD_MODES}; got {modes!r}")
    for i, mode in enumerate(modes):
        one_of(f"modes[{i}]", mode, PAD_MODES)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be None or a string naming the image, got {title!r}")
    h, w = image.shape[:2]
    check_size("pad", f"{len(modes)} padded {h + 2 * pad:,}×{w + 2 * pad:,} images",
               8 * len(modes) * (h + 2 * pad) * (w + 2 * pad) * (image.size // (h * w)))
    fig = fig or Figure(figsize=(2.1 * len(modes), 2.7), dpi=80, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(modes)))
    gray = image.ndim == 2
    lo, hi = float(image.min()), float(image.max())
    for ax, mode in zip(axes, modes):
        padded = pad2d(image, pad, mode=mode)
        shown = padded if gray else np.clip((padded - lo) / (hi - lo or 1), 0, 1)
        ax.imshow(shown, cmap="gray" if gray else None, vmin=lo if gray else None, vmax=hi if gray else None)
        h, w = image.shape[:2]
        ax.add_patch(Rectangle((pad - 0.5, pad - 0.5), w, h, fill=False, ec="#e4572e", lw=1.2, ls="--"))
        ax.set_title("zero (constant)" if mode == "constant" else mode, fontsize=10)
        ax.set_xticks([]), ax.set_yticks([])
        ax.set_xlabel("column", fontsize=8)
    axes[0].set_ylabel("row", fontsize=8)
    name = title or f"a {h}x{w} image"
    fig.suptitle(f"Padding modes of helpers.pad2d on {name}, {pad} cells per side "
                 "(dashed: the original)", fontsize=10)
    return fig


def plot_coverage(size=8, kernel=3, stride=1, paddings=("valid", "same"), dilation=1, fig=None) -> Figure:
    """Heat maps of :func:`coverage_map`, one per padding, with the counts written in the cells.

    >>> fig = plot_coverage(6, 3)
    """
    paddings = _check_paddings(paddings)
    maps = [coverage_map(size, kernel, stride, p, dilation) for p in paddings]
    fig = fig or Figure(figsize=(3.0 * len(paddings) + 0.6, 3.0), dpi=80, layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(paddings)))
    vmax = max(int(m.max()) for m in maps)
    for ax, pad, cov in zip(axes, paddings, maps):
        im = ax.imshow(cov, cmap="viridis", vmin=0, vmax=vmax)
        if cov.size <= 144:
            for (i, j), v in np.ndenumerate(cov):
                ax.text(j, i, str(v), ha="center", va="center", fontsize=8,
                        color="white" if v < 0.6 * vmax else "black")
        ax.set_title(f'"{pad}": {cov.min()}..{cov.max()} positions', fontsize=10)
        ax.set_xticks([]), ax.set_yticks([])
        ax.set_xlabel("input column", fontsize=9)
    axes[0].set_ylabel("input row", fontsize=9)
    fig.colorbar(im, ax=list(axes), shrink=0.8, label="positions covering the pixel")
    fig.suptitle(f"Border effect: how often a {kernel}x{kernel} kernel (stride {stride}) "
                 f"reads each pixel of a {size}x{size} input", fontsize=10)
    return fig


def plot_depth(input_size: int = 32, kernels=(3, 5), layers: int = 16, ax=None) -> Figure:
    """Spatial size against number of layers, "valid" (solid, markers) and "same" (dashed/dotted), stride 1.

    >>> fig = plot_depth(32, (3, 5), 16)
    """
    layers = positive_int("layers", layers)
    check_size("layers", "a depth plot", layers=layers)
    if not isinstance(kernels, (tuple, list)) or not kernels:
        raise TypeError(f"kernels must be a non-empty tuple of kernel sizes, e.g. (3, 5); got {kernels!r}")
    kernels = [positive_int(f"kernels[{i}]", k) for i, k in enumerate(kernels)]
    input_size = positive_int("input_size", input_size)
    fig, (ax,) = _new_axes(None, ax, 1, (5.0, 3.0))
    from matplotlib.ticker import MaxNLocator

    markers, dashes = "os^vD", ["--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 3))]
    for i, k in enumerate(kernels):
        table = depth_table(input_size, k, layers)
        color = f"C{i}"
        ax.plot(range(len(table["valid"])), table["valid"], "-", marker=markers[i % 5], color=color,
                ms=3, label=f"{k}x{k} valid")
        ax.plot(range(len(table["same"])), table["same"], ls=dashes[i % 5], color=color, lw=1.8,
                label=f"{k}x{k} same")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("number of conv layers")
    ax.set_ylabel("spatial size (pixels)")
    ax.set_ylim(0, input_size * 1.08)
    ax.set_title(f"Map size through stacked conv layers\n({input_size}x{input_size} input, stride 1)",
                 fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return fig


def plot_responses(image, kernel, paddings=("valid", "same"), fig=None) -> Figure:
    """The image and its convolution with ``kernel`` (2-D) under each padding, on one colour scale.

    >>> fig = plot_responses(np.eye(6), np.ones((3, 3)) / 9)
    """
    from ..ops import conv2d

    image, kernel = real_array("image", image), real_array("kernel", kernel)
    paddings = _check_paddings(paddings)
    outs = [conv2d(image, kernel[:, :, None, None], padding=p)[..., 0] for p in paddings]
    fig = fig or Figure(figsize=(2.6 * (1 + len(paddings)), 2.8), dpi=80, layout="constrained")
    axes = fig.subplots(1, 1 + len(paddings))
    vmax = max(float(np.abs(o).max()) for o in outs)
    axes[0].imshow(image, cmap="gray")
    axes[0].set_title(f"input {image.shape[0]}x{image.shape[1]}", fontsize=10)
    for ax, pad, out in zip(axes[1:], paddings, outs):
        im = ax.imshow(out, cmap="magma", vmin=0, vmax=vmax)
        ax.set_title(f'"{pad}": {out.shape[0]}x{out.shape[1]}, peak {out.max():.2f}', fontsize=10)
    for ax in axes:
        ax.set_xticks([]), ax.set_yticks([])
        ax.set_xlabel("column", fontsize=9)
    axes[0].set_ylabel("row", fontsize=9)
    fig.colorbar(im, ax=list(axes[1:]), shrink=0.8, label="filter response")
    k = kernel.shape
    fig.suptitle(f"Response of a {k[0]}x{k[1]} filter to the input, by padding", fontsize=10)
    return fig


class ArithmeticDrawing:
    """A convolution-arithmetic picture (square input, square kernel) built once, updated cheaply.

    Left: the padded input; input cells blue, padding grey; input rows/columns after the last
    window (the floor's loss) red; input cells between taps (stride > kernel, dilation) pale red.
    The kernel's taps at one position are outlined, or every position's window is drawn.
    Right: the output grid, with the current position's output cell highlighted.
    Used by :func:`plot_arithmetic` and by ``helpers.widgets.padding_explorer``.
    """

    def __init__(self, fig: Figure, max_cells: int = 48):
        if not isinstance(fig, Figure):
            raise TypeError(f"fig must be a matplotlib Figure to draw into, got {fig!r}")
        max_cells = positive_int("max_cells", max_cells)
        check_size("max_cells", f"two blank {max_cells:,}×{max_cells:,} images", 2 * 8 * max_cells * max_cells)
        self.fig = fig
        # fixed margins: constrained layout does not leave room for the two-line title and the
        # legend of these equal-aspect axes, and cut both off
        fig.set_layout_engine("none")
        grid = fig.add_gridspec(1, 2, left=0.02, right=0.98, top=0.86, bottom=0.09, wspace=0.08)
        self.ax_in, self.ax_out = grid.subplots()
        blank = np.zeros((max_cells, max_cells))
        self.cells = self.ax_in.imshow(blank, cmap=_CELL_CMAP, norm=_CELL_NORM, interpolation="nearest",
                                       origin="upper", extent=(0, 1, 1, 0))
        self.grid_in = LineCollection([], colors="#555555", linewidths=0.6)
        self.border = Rectangle((0, 0), 1, 1, fill=False, ec="#1f4e79", lw=2)
        self.windows = LineCollection([], linewidths=1.6)
        self.taps = LineCollection([], colors="#222222", linewidths=2.2)
        self.out_cells = self.ax_out.imshow(blank, cmap="Greens", vmin=0, vmax=1, interpolation="nearest",
                                            origin="upper", extent=(0, 1, 1, 0))
        self.grid_out = LineCollection([], colors="#555555", linewidths=0.6)
        for artist in (self.grid_in, self.border, self.windows, self.taps):
            self.ax_in.add_artist(artist) if isinstance(artist, Rectangle) else self.ax_in.add_collection(artist)
        self.ax_out.add_collection(self.grid_out)
        for ax in (self.ax_in, self.ax_out):
            ax.set_aspect("equal")
            ax.set_xticks([]), ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
        handles = [Patch(color=CELL_COLORS[k], label=lab) for k, lab in
                   (("input", "input"), ("padding", "padding"), ("left_out", "lost to the floor"),
                    ("skipped", "between taps"))]
        self.ax_in.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=4,
                          fontsize=8, frameon=False, handlelength=1)
        self.layout: WindowLayout | None = None

    @staticmethod
    def _grid_segments(n):
        ticks = np.arange(n + 1)
        return [((t, 0), (t, n)) for t in ticks] + [((0, t), (n, t)) for t in ticks]

    @staticmethod
    def _square(x, y, w, inset=0.0):
        x0, y0, x1, y1 = x + inset, y + inset, x + w - inset, y + w - inset
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]

    def update(self, size, kernel, stride=1, padding="valid", dilation=1, position=0, show_all=False):
        """Redraw for these settings; returns the axis layout (a :class:`WindowLayout`).

        ``position`` numbers the kernel positions row by row, from 0 to (output size)² - 1."""
        lay = window_layout(size, kernel, stride, padding, dilation)
        n, b = lay.padded, lay.before
        show_all = check_bool("show_all", show_all)
        position = non_negative_int("position", position)
        npos = lay.out * lay.out
        if position >= npos:
            raise ValueError(f"position must be a kernel position 0..{npos - 1} (output {lay.out}x{lay.out}), "
                             f"got {position}")
        # the cell codes and masks below are a few n×n arrays; every window is a few segments
        check_size("padding" if lay.before + lay.after > size else "size",
                   f"the {n:,}×{n:,} picture of the padded input", 6 * 8 * n * n + 200 * npos)
        used = lay.coverage > 0
        is_input = np.zeros(n, bool)
        is_input[b:b + size] = True
        # a 2-D cell is "input" when both its row and column are input; used when both are used
        inp2 = np.outer(is_input, is_input)
        used2 = np.outer(used, used)
        lost = np.zeros(n, bool)
        lost[[b + i for i in lay.left_out]] = True
        lost2 = np.logical_or.outer(lost, lost)
        codes = np.where(inp2, np.where(lost2, _CODES["left_out"],
                                        np.where(used2, _CODES["input"], _CODES["skipped"])),
                         np.where(used2, _CODES["padding"], _CODES["pad_unused"]))
        self.cells.set_data(codes)
        self.cells.set_extent((0, n, n, 0))
        self.grid_in.set_segments(self._grid_segments(n))
        self.border.set_bounds(b, b, size, size)
        if show_all:
            segs = []
            cmap = _window_colors(npos)
            for idx in range(npos):
                r, c = divmod(idx, lay.out)
                inset = 0.08 + 0.22 * (idx % 3) / 2
                segs.append(self._square(lay.starts[c], lay.starts[r], lay.span, inset))
            self.windows.set_segments(segs)
            self.windows.set_color(cmap)
            self.taps.set_segments([])
            out_vals = np.full((lay.out, lay.out), 0.45)
        else:
            r, c = divmod(position, lay.out)
            y0, x0 = lay.starts[r], lay.starts[c]
            self.windows.set_segments([self._square(x0, y0, lay.span, 0.03)])
            self.windows.set_color(["#e4572e"])
            offs = dilation * np.arange(kernel)
            self.taps.set_segments([self._square(x0 + dx, y0 + dy, 1, 0.18) for dy in offs for dx in offs])
            out_vals = np.zeros((lay.out, lay.out))
            out_vals[r, c] = 0.8
        self.out_cells.set_data(out_vals)
        self.out_cells.set_extent((0, lay.out, lay.out, 0))
        self.grid_out.set_segments(self._grid_segments(lay.out))
        for ax in (self.ax_in, self.ax_out):
            ax.set_xlim(-0.2, n + 0.2)
            ax.set_ylim(n + 0.2, -0.2)
        pad_txt = f'"{padding}"' if isinstance(padding, str) else f"padding {padding}"
        self.ax_in.set_title(f"input {size}x{size}, {pad_txt}: padded {n}x{n}\nkernel {kernel}"
                             + (f", dilation {dilation} (span {lay.span})" if dilation > 1 else "")
                             + f", stride {stride}", fontsize=9)
        self.ax_out.set_title(f"output {lay.out}x{lay.out}", fontsize=9)
        self.layout = lay
        return lay


def _window_colors(n):
    from matplotlib import colormaps

    cmap = colormaps["tab10"]
    return [cmap(i % 10) for i in range(n)]


def plot_arithmetic(size: int, kernel: int, stride: int = 1, padding="valid", dilation: int = 1,
                    position=0, show_all: bool = False, fig=None) -> Figure:
    """Convolution-arithmetic picture (Dumoulin & Visin 2016 style): padded input, kernel, output.

    ``position`` numbers the kernel positions row by row from 0; ``show_all`` draws every window.
    Input rows/columns after the last window are red: for ``size=6, kernel=3, stride=2`` "valid",
    row and column 5 are lost to the floor.

    >>> fig = plot_arithmetic(6, 3, stride=2)
    """
    fig = fig or Figure(figsize=(7.5, 4.0), dpi=80, layout="constrained")
    ArithmeticDrawing(fig).update(size, kernel, stride, padding, dilation, position, show_all)
    return fig


def plot_framework_splits(size: int = 4, kernel: int = 2, image=None, fig=None) -> Figure:
    """Where each convention puts the padding of an even kernel at stride 1, and the outputs.

    Top row: the padded input (padding grey, input values written). Bottom row: the output of
    a ``kernel x kernel`` box sum (``helpers.conv2d``); TensorFlow's and D2L's outputs are the
    same size but different numbers, symmetric integer padding gives one row/column more.

    >>> fig = plot_framework_splits(4, 2)
    """
    from ..ops import conv2d, pad2d

    size, kernel = positive_int("size", size), positive_int("kernel", kernel)
    check_size("kernel" if kernel > size else "size", f"the {size + kernel:,}×{size + kernel:,} grids, every cell written",
               8 * 8 * (size + kernel) ** 2)
    total = kernel - 1
    if image is None:
        image = np.arange(1, size * size + 1, dtype=float).reshape(size, size)
    else:
        image = real_array("image", image)
        if image.shape != (size, size):
            raise ValueError(f"image must be size×size = {size}×{size} (or None), got shape {image.shape}")
    splits = framework_splits(total)
    fig = fig or Figure(figsize=(2.6 * len(splits), 5.0), dpi=80, layout="constrained")
    axes = fig.subplots(2, len(splits))
    box = np.ones((kernel, kernel, 1, 1))
    for col, (name, (b, a)) in enumerate(splits.items()):
        padded = pad2d(image, ((b, a), (b, a)))
        mask = np.ones_like(padded, bool)
        mask[b:b + size, b:b + size] = False
        out = conv2d(padded, box, padding="valid")[..., 0]
        for ax, arr, shade in ((axes[0, col], padded, mask), (axes[1, col], out, None)):
            ax.imshow(np.where(shade, 0.15, 0.0) if shade is not None else np.zeros_like(arr),
                      cmap="Greys", vmin=0, vmax=1)
            for (i, j), v in np.ndenumerate(arr):
                ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=7)
            ax.set_xticks(np.arange(arr.shape[1] + 1) - 0.5, minor=True)
            ax.set_yticks(np.arange(arr.shape[0] + 1) - 0.5, minor=True)
            ax.grid(which="minor", color="#888888", lw=0.5)
            ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        axes[0, col].set_title(f"{name}\n(before, after) = ({b}, {a})", fontsize=9)
        axes[1, col].set_title(f"output {out.shape[0]}x{out.shape[1]}", fontsize=9)
    axes[0, 0].set_ylabel("padded input", fontsize=9)
    axes[1, 0].set_ylabel(f"{kernel}x{kernel} box sum", fontsize=9)
    fig.suptitle(f"Where the odd padding cell goes: a {size}x{size} grid, {kernel}x{kernel} kernel, "
                 "stride 1", fontsize=10)
    return fig


__all__ = [
    "ArithmeticDrawing",
    "plot_arithmetic",
    "plot_coverage",
    "plot_depth",
    "plot_framework_splits",
    "plot_padding_modes",
    "plot_responses",
]
