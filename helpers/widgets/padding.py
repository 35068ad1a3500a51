"""Lesson 02's explorer: padding, stride and dilation drawn the convolution-arithmetic way.

>>> explorer = padding_explorer()
>>> explorer.set(size=6, kernel=3, stride=2, padding="valid")
>>> "row/column 5" in explorer.status_text
True
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from ..arith import describe_output_size, output_size, padding_pair
from ..plots.padding import ArithmeticDrawing
from .._checks import is_int
from ._base import Explorer, initial

MAX_SIZE = 16
MAX_PADDING = 8


def parse_padding(padding):
    """Read the padding box: ``"valid"``, ``"same"``, an int ``"2"`` or a pair ``"0, 1"`` (text, as typed),
    or the same as values (``2``, ``(0, 1)``), each at most :data:`MAX_PADDING`.

    >>> parse_padding(" Same "), parse_padding("2"), parse_padding("(0, 1)"), parse_padding((0, 1))
    ('same', 2, (0, 1), (0, 1))
    """
    usage = f"padding must be 'valid', 'same', a number like 2 or a pair like 0, 1; got {padding!r}"
    if isinstance(padding, str):
        t = padding.strip().lower()
        if t in ("valid", "same"):
            return t
        m = re.fullmatch(r"\(?\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)?", t)
        if not m:
            raise ValueError(usage)
        a = int(m.group(1))
        value = a if m.group(2) is None else (a, int(m.group(2)))
    elif is_int(padding) or (isinstance(padding, (tuple, list)) and len(padding) == 2 and all(map(is_int, padding))):
        value = int(padding) if is_int(padding) else (int(padding[0]), int(padding[1]))
        if min((value,) if isinstance(value, int) else value) < 0:
            raise ValueError(usage)
    else:
        raise TypeError(usage)
    if max((value,) if isinstance(value, int) else value) > MAX_PADDING:
        raise ValueError(f"padding: this explorer draws at most {MAX_PADDING} cells of padding per side; "
                         f"got {padding!r}")
    return value


def _cells(indices) -> str:
    return ", ".join(str(i) for i in indices)


class PaddingExplorer(Explorer):
    """Input size, kernel, stride, padding and dilation; one kernel position or all of them."""

    def __init__(self, size=6, kernel=3, stride=2, padding="valid", dilation=1):
        slider = dict(continuous_update=True, style={"description_width": "initial"},
                      layout=widgets.Layout(width="210px"))
        value = parse_padding(padding)  # checked here; the box holds it as text
        text = padding if isinstance(padding, str) else str(value) if isinstance(value, int) else "{}, {}".format(*value)
        controls = {
            "size": initial("size", widgets.IntSlider(1, 1, MAX_SIZE, description="input size", **slider), size),
            "kernel": initial("kernel", widgets.IntSlider(1, 1, 7, description="kernel", **slider), kernel),
            "stride": initial("stride", widgets.IntSlider(1, 1, 4, description="stride", **slider), stride),
            "padding": widgets.Combobox(value=text, options=["valid", "same", "0", "1", "2"],
                                        description="padding", ensure_option=False,
                                        placeholder="valid, same or a number",
                                        layout=widgets.Layout(width="210px")),
            "dilation": initial("dilation", widgets.IntSlider(1, 1, 3, description="dilation", **slider), dilation),
            "position": widgets.IntSlider(0, 0, 3, description="position", **slider),
            "show_all": widgets.Checkbox(False, description="all positions", indent=False,
                                         layout=widgets.Layout(width="130px")),
        }
        super().__init__(controls, figsize=(8, 4.2))

    def build(self) -> None:
        self.drawing = ArithmeticDrawing(self.fig)

    def set(self, **values) -> None:
        """Like :meth:`Explorer.set`; a ``position`` is applied after the other settings, then clamped."""
        if "position" in values:
            self._set_position_max(MAX_SIZE ** 2 * 16)  # let the value through; update() narrows it
        super().set(**values)

    def _set_position_max(self, npos: int) -> int:
        """Fit the position slider to the number of positions without triggering a redraw."""
        slider = self.controls["position"]
        slider.unobserve(self._on_change, names="value")
        try:
            slider.max = npos - 1
        finally:
            slider.observe(self._on_change, names="value")
        return slider.value

    def update(self, size, kernel, stride, padding, dilation, position, show_all) -> str:
        pad = parse_padding(padding)
        out = output_size(size, kernel, stride, pad, dilation)  # raises for impossible settings
        before, after = padding_pair(pad, size, kernel, stride, dilation)
        position = self._set_position_max(out * out)
        lay = self.drawing.update(size, kernel, stride, pad, dilation, position, show_all)
        parts = [f"<b>output {out}x{out}</b>: {html.escape(describe_output_size(size, kernel, stride, pad, dilation))}"]
        if pad == "same":
            total = before + after
            note = ("asymmetric: total padding is odd, the extra cell goes after (bottom/right), as TensorFlow does"
                    if before != after else "symmetric")
            parts.append(f"TensorFlow 'same' split (before, after) = ({before}, {after}), {note}")
        if stride > 1 and dilation > 1:
            parts.append("note: Keras' Conv2D refuses stride &gt; 1 together with dilation &gt; 1 "
                         "(it raises a ValueError); the drawing shows the arithmetic, which PyTorch's "
                         "Conv2d accepts")
        if lay.left_out:
            parts.append(f"the floor leaves out input row/column {_cells(lay.left_out)}")
        if lay.skipped:
            parts.append(f"between taps, no window touches input row/column {_cells(lay.skipped)}")
        if show_all:
            parts.append(f"all {out * out} positions drawn")
        else:
            r, c = divmod(position, out)
            r0, c0 = lay.starts[r] - before, lay.starts[c] - before
            parts.append(f"position {position} of 0..{out * out - 1}: output ({r}, {c}) reads input rows "
                         f"{r0}..{r0 + lay.span - 1}, columns {c0}..{c0 + lay.span - 1} (negative or &ge; {size}: padding)")
        return "<br>\n".join(parts)


def padding_explorer(size: int = 6, kernel: int = 3, stride: int = 2, padding="valid",
                     dilation: int = 1) -> PaddingExplorer:
    """An interactive convolution-arithmetic picture; display it as a cell's last expression.

    Controls: input size, kernel, stride, padding ("valid", "same", a number or a pair), dilation,
    the kernel position and an "all positions" toggle. The status line shows the output-size
    formula with the numbers substituted (``helpers.describe_output_size``), TensorFlow's "same"
    split, and the input rows/columns that the floor leaves out.

    >>> padding_explorer(size=7, stride=2, padding="same").status_text.splitlines()[0]
    'output 4x4: same: (before, after) = (1, 1); floor((7 + 1 + 1 - 3) / 2) + 1 = 4'
    """
    return PaddingExplorer(size, kernel, stride, padding, dilation)


__all__ = ["PaddingExplorer", "padding_explorer", "parse_padding"]
