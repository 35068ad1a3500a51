"""Lesson 02's figures: every plot draws (the numbers they show are tested in test_geometry.py)."""

from __future__ import annotations

import io

import numpy as np
import pytest

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


@pytest.mark.parametrize("call, name", [
    (lambda: pp.plot_padding_modes(None), "image"),
    (lambda: pp.plot_padding_modes(np.ones((4, 4)), pad=-1), "pad"),
    (lambda: pp.plot_padding_modes(np.ones((4, 4)), pad=10**5), "pad"),
    (lambda: pp.plot_padding_modes(np.ones((4, 4)), modes=("zero",)), "modes"),
    (lambda: pp.plot_coverage(paddings="same"), "paddings"),
    (lambda: pp.plot_responses(np.ones((6, 6)), np.ones(3)), "kernel"),
    (lambda: pp.plot_responses(np.ones((6, 6)), np.ones((3, 3)), paddings=("full",)), "paddings"),
    (lambda: pp.plot_arithmetic(6, 3, 2, position=4), "position"),   # output 2x2: positions 0..3
    (lambda: pp.plot_arithmetic(6, 3, 2, position=-1), "position"),
    (lambda: pp.plot_arithmetic(6, 3, show_all="yes"), "show_all"),
    (lambda: pp.plot_framework_splits(4, 2, image=np.ones((3, 3))), "image"),
    (lambda: pp.plot_framework_splits(2**40, 2), "size"),
    (lambda: pp.ArithmeticDrawing(None), "fig"),
])
def test_bad_arguments_are_named_and_nothing_is_clamped(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()
