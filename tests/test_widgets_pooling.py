"""The pooling explorer: controls drive status and picture; sizes come from helpers.arith."""

from __future__ import annotations

import re

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import helpers  # noqa: E402
from helpers.widgets.pooling import MAX_SHIFT, PoolingExplorer, pooling_explorer, window_edges  # noqa: E402
from helpers.widgets._base import faded  # noqa: E402


@pytest.fixture(scope="module")
def explorer():
    return pooling_explorer()


def shape_in_status(text):
    m = re.search(r"output shape (\d+)×(\d+)", text)
    assert m, text
    return int(m.group(1)), int(m.group(2))


def test_constructs_with_a_picture_and_a_status(explorer):
    assert isinstance(explorer, PoolingExplorer)
    assert explorer.error is None
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert shape_in_status(explorer.status_text) == (48, 48)
    bundle, _ = explorer._repr_mimebundle_()
    assert "image/png" in bundle and "output shape" in bundle["text/plain"]


@pytest.mark.parametrize("control, value", [
    ("mode", "min"), ("size", 4), ("stride", 3), ("padding", "same"), ("shift", 2), ("image", "digit"),
])
def test_each_control_changes_status_and_picture(control, value):
    e = pooling_explorer()
    e.set(image="photo", mode="max", size=3, stride=2, padding="valid", shift=1)
    status, png = e.status_text, bytes(e.image.value)
    e.controls[control].value = value  # through the observer, as a learner's click would
    assert e.error is None, e.error
    assert e.status_text != status or control == "mode" and "changed by" in e.status_text
    assert bytes(e.image.value) != png


@pytest.mark.parametrize("settings", [
    dict(image="photo", size=2, stride=2, padding="valid"),
    dict(image="photo", size=3, stride=2, padding="valid"),
    dict(image="photo", size=3, stride=2, padding="same"),
    dict(image="grid", size=3, stride=2, padding="same"),
    dict(image="digit", size=5, stride=3, padding="valid"),
    dict(image="edges", size=1, stride=1, padding="same"),
])
def test_status_shape_equals_output_size(explorer, settings):
    explorer.set(mode="avg", shift=0, **settings)
    h, w = explorer.image_for(settings["image"]).shape
    w -= MAX_SHIFT
    want = tuple(helpers.output_size(n, settings["size"], settings["stride"], settings["padding"]) for n in (h, w))
    assert shape_in_status(explorer.status_text) == want
    assert explorer.im_out.get_array().shape == want


def test_same_padding_says_what_padded_cells_contribute(explorer):
    explorer.set(image="grid", size=2, stride=2, padding="same", mode="avg", shift=0)
    assert "adds no cells" in explorer.status_text        # 8 = 4 windows of 2
    explorer.set(size=3)
    assert "left out of the count" in explorer.status_text
    explorer.set(mode="max")
    assert "never wins" in explorer.status_text


def test_impossible_setting_gives_a_message_not_an_exception(explorer):
    explorer.set(image="grid", size=2, stride=2, padding="valid", shift=0)
    png = bytes(explorer.image.value)
    explorer.set(size=11)                                   # 11 > 8 pixels
    assert explorer.error and "larger than" in explorer.error
    assert "larger than" in explorer.status_text
    assert "window 11" in explorer.error and "kernel" not in explorer.error  # a pooling window, not a kernel
    assert bytes(explorer.image.value) == faded(png, explorer.FADED_ALPHA)  # last picture kept, greyed
    explorer.set(padding="same")                            # 'same' makes it possible again
    assert explorer.error is None


def test_shift_changes_output_and_zero_shift_changes_nothing(explorer):
    explorer.set(image="photo", size=2, stride=2, padding="valid", mode="max", shift=0)
    assert "move the shift slider" in explorer.status_text
    assert float(explorer.im_diff.get_array().max()) == 0.0
    explorer.set(shift=1)
    assert re.search(r"changed by \d+\.\d%", explorer.status_text)
    assert float(explorer.im_diff.get_array().max()) > 0


def test_custom_image_is_offered_and_loaded_once():
    img = np.random.default_rng(0).random((20, 24, 3))
    e = pooling_explorer(img)
    assert e.controls["image"].value == "custom"
    assert "custom" in e.controls["image"].options
    assert shape_in_status(e.status_text) == (10, 10)      # 24 - MAX_SHIFT = 20 columns shown
    assert e.image_for("photo") is e.image_for("photo")    # cached


def test_bad_custom_image_raises_value_error():
    with pytest.raises(ValueError, match="image"):
        pooling_explorer(np.zeros((3, 3, 3, 3)))


def _edge_positions(segments):
    """x of the vertical and y of the horizontal segments."""
    xs = {round(a[0], 6) for a, b in segments if a[0] == b[0]}
    ys = {round(a[1], 6) for a, b in segments if a[1] == b[1]}
    return xs, ys


def test_window_edges_outline_the_windows_not_a_stride_grid():
    # stride 3 > window 2 on 8 pixels: windows [0, 2), [3, 5), [6, 8); gaps at 2 and 5 stay unlined
    segs = window_edges([0, 3, 6], [0, 3, 6], 2)
    xs, ys = _edge_positions(segs)
    assert xs == ys == {0, 2, 3, 5, 6, 8}
    for (x0, y0), (x1, y1) in segs:     # no segment crosses a gap between windows
        if x0 == x1:
            assert (y0, y1) in {(0, 2), (3, 5), (6, 8)}
    # touching windows (stride = window) share one merged line per edge
    assert len(window_edges([0, 2, 4], [0, 2, 4], 2)) == 8
    # overlapping windows (3, stride 2): every window edge, merged along the runs
    xs, _ = _edge_positions(window_edges([0, 2], [0, 2], 3))
    assert xs == {0, 2, 3, 5}


def test_explorer_lines_are_window_edges_when_stride_exceeds_window(explorer):
    explorer.set(image="grid", size=2, stride=3, padding="valid", mode="max", shift=0)
    xs, ys = _edge_positions(explorer.grid_lines.get_segments())
    assert xs == ys == {-0.5, 1.5, 2.5, 4.5, 5.5, 7.5}
    assert "no window reads input rows and columns 2, 5" in explorer.status_text


def test_window_edges_are_drawn_past_24_outputs(explorer):
    explorer.set(image="photo", size=2, stride=2, padding="valid", shift=0)   # 48x48 windows
    xs, ys = _edge_positions(explorer.grid_lines.get_segments())
    assert len(xs) == len(ys) == 49


def test_rows_the_floor_leaves_out_are_marked(explorer):
    explorer.set(image="digit", size=3, stride=2, padding="valid", shift=0)   # floor((28 - 3) / 2) + 1 = 13
    assert "the floor leaves out input rows and columns 27" in explorer.status_text
    bottom, right = explorer.left_out
    assert bottom.get_visible() and right.get_visible()
    assert (bottom.get_y(), bottom.get_height()) == (26.5, 1)
    assert (right.get_x(), right.get_width()) == (26.5, 1)
    explorer.set(size=2)                                                       # 28 = 14 windows of 2
    assert not any(box.get_visible() for box in explorer.left_out)
    assert "leaves out" not in explorer.status_text


def test_explorer_calls_a_pooling_window_a_window(explorer):
    explorer.set(image="grid", size=3, stride=2, padding="same", mode="avg", shift=1)
    assert "window 3×3" in explorer.status_text
    assert "kernel" not in explorer.status_text.lower()
    assert "window" in explorer.ax_out.get_title()
