"""Lesson 02's figures: every plot draws (the numbers they show are tested in test_geometry.py)."""

from __future__ import annotations

import io

import numpy as np
import pytest

import helpers
from helpers.plots import padding as pp


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
