"""helpers.plots.pooling: figures build for any 2-D array (the sample images: test_images.py)."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import helpers  # noqa: E402
from helpers.geometry import window_origins  # noqa: E402
from helpers.images import sample_image  # noqa: E402
from helpers.plots.pooling import plot_shift_change, pooled_images, pooling_board  # noqa: E402


@pytest.mark.parametrize("size, stride, padding", [(2, 2, "valid"), (3, 2, "valid"), (2, 2, "same"),
                                                   (3, 2, 1), (3, 1, "same")])
@pytest.mark.parametrize("mode", ["max", "avg", "min"])
def test_board_outputs_match_pool2d(size, stride, padding, mode):
    x = np.random.default_rng(0).integers(0, 10, (5, 6))
    fig = pooling_board(x, size, stride, padding, mode=mode)
    ax_out = fig.axes[1]
    want = helpers.pool2d(x.astype(float), size, stride, padding, mode=mode)
    assert ax_out.images[0].get_array().shape == want.shape
    rows, cols, _, _ = window_origins(x.shape, size, stride, padding)
    assert (len(rows), len(cols)) == want.shape


def test_other_figures_build():
    img = sample_image("edges", 16)
    assert len(pooled_images(img).axes) == 5        # 4 panels and a colour bar
    assert plot_shift_change({"none": [0, 1], "max": [0, 0.5]}, [0, 1]).axes


def test_board_rejects_non_2d():
    with pytest.raises(ValueError, match="2-D"):
        pooling_board(np.zeros((2, 2, 2)))


def test_board_marks_what_the_floor_leaves_out_and_labels_axes():
    x = np.arange(49).reshape(7, 7)
    fig = pooling_board(x, 2, 2, title="7x7 board")       # floor((7 - 2) / 2) + 1 = 3: row/column 6 left out
    ax_in = fig.axes[0]
    red = [p for p in ax_in.patches if p.get_edgecolor()[:3] == pytest.approx((0xe4 / 255, 0x57 / 255, 0x2e / 255))]
    assert sorted((p.get_x(), p.get_y(), p.get_width(), p.get_height()) for p in red) == [
        (-0.5, 5.5, 7, 1), (5.5, -0.5, 1, 7)]
    assert "left out by the floor" in ax_in.get_title()
    assert ax_in.get_xlabel() and ax_in.get_ylabel() and fig.axes[1].get_xlabel()
    assert fig.get_suptitle() == "7x7 board"
    fig = pooling_board(x[:6, :6], 2, 2)                   # 6 = 3 windows of 2: nothing left out
    assert "floor" not in fig.axes[0].get_title()
