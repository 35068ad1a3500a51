"""The padding explorer: every control redraws, sizes come from helpers.arith, errors are messages."""

from __future__ import annotations

import re

import pytest

import helpers
from helpers.widgets.padding import padding_explorer, parse_padding
from helpers.widgets._base import faded

CHANGES = {
    "size": 9,
    "kernel": 2,
    "stride": 1,
    "padding": "same",
    "dilation": 2,
    "position": 1,
    "show_all": True,
}


@pytest.fixture
def explorer():
    return padding_explorer()


def _out(explorer) -> int:
    first = explorer.status_text.splitlines()[0]
    return int(re.search(r"= (\d+)$", first).group(1))


@pytest.mark.parametrize("name", list(CHANGES))
def test_each_control_changes_status_and_png(explorer, name):
    explorer.set(size=8, kernel=3, stride=2, padding="valid", dilation=1, position=0, show_all=False)
    before_text, before_png = explorer.status_text, explorer.png()
    explorer.set(**{name: CHANGES[name]})
    assert explorer.error is None
    assert explorer.status_text != before_text
    assert explorer.png() != before_png
    assert explorer.image.value == explorer.png()


@pytest.mark.parametrize("size,kernel,stride,padding,dilation", [
    (6, 3, 2, "valid", 1), (7, 3, 2, "same", 1), (5, 2, 2, "same", 1), (8, 4, 1, "same", 1),
    (16, 7, 3, "2", 1), (9, 3, 1, "1", 3), (10, 3, 4, "valid", 1), (4, 3, 1, "0, 1", 1),
])
def test_output_size_matches_arith(explorer, size, kernel, stride, padding, dilation):
    explorer.set(size=size, kernel=kernel, stride=stride, padding=padding, dilation=dilation)
    expected = helpers.output_size(size, kernel, stride, parse_padding(padding), dilation)
    assert explorer.error is None
    assert _out(explorer) == expected
    assert f"output {expected}x{expected}" in explorer.status_text
    assert explorer.drawing.layout.out == expected


def test_floor_left_out_row_reported():
    explorer = padding_explorer(size=6, kernel=3, stride=2, padding="valid")
    assert "the floor leaves out input row/column 5" in explorer.status_text
    assert explorer.drawing.layout.left_out == (5,)
    explorer.set(size=7)  # 7 - 3 is divisible by 2: nothing left out
    assert "leaves out" not in explorer.status_text


def test_same_reports_asymmetric_split():
    explorer = padding_explorer(size=5, kernel=2, stride=2, padding="same")
    assert helpers.same_padding(5, 2, 2) == (0, 1)
    assert "(before, after) = (0, 1), asymmetric" in explorer.status_text
    explorer.set(size=7, kernel=3)
    assert "(1, 1), symmetric" in explorer.status_text


@pytest.mark.parametrize("settings,words", [
    (dict(size=3, kernel=7, padding="valid"), "larger than the padded input"),
    (dict(size=4, kernel=3, dilation=3, padding="0"), "dilated kernel 7"),
    (dict(padding="sideways"), "padding must be"),
    (dict(padding="-1"), "padding must be"),
    (dict(padding="99"), "at most"),
    (dict(padding=""), "padding must be"),
])
def test_impossible_settings_show_a_message(settings, words):
    explorer = padding_explorer()
    png = explorer.image.value
    explorer.set(**settings)  # no exception
    assert explorer.error is not None and words in explorer.error
    assert words in explorer.status_text
    assert explorer.image.value == faded(png, explorer.FADED_ALPHA)  # the last valid picture, faded
    explorer.set(size=6, kernel=3, dilation=1, padding="valid")
    assert explorer.error is None


def test_position_slider_follows_number_of_positions():
    explorer = padding_explorer(size=6, kernel=3, stride=2, padding="valid")
    assert explorer.controls["position"].max == 3
    explorer.set(position=3)
    assert "output (1, 1) reads input rows 2..4" in explorer.status_text
    explorer.set(stride=1)  # 4x4 output: 16 positions
    assert explorer.controls["position"].max == 15
    explorer.set(size=5, kernel=2, stride=2, padding="same", position=8)  # 3x3 output, last position
    assert explorer.controls["position"].value == 8 and "output (2, 2)" in explorer.status_text
    explorer.set(size=3, kernel=3, stride=1, padding="valid")  # 1x1 output: the position is clamped to 0
    assert explorer.controls["position"].value == 0 and explorer.error is None


def test_parse_padding():
    assert parse_padding("VALID") == "valid"
    assert parse_padding("(1, 2)") == (1, 2)
    with pytest.raises(ValueError, match="padding must be"):
        parse_padding("1.5")


def test_stride_with_dilation_says_keras_refuses_it():
    explorer = padding_explorer(size=9, kernel=3, stride=2, padding="valid", dilation=2)
    assert explorer.error is None
    assert "Keras' Conv2D refuses stride > 1 together with dilation > 1" in explorer.status_text
    explorer.set(stride=1)
    assert "refuses" not in explorer.status_text
    explorer.set(stride=2, dilation=1)
    assert "refuses" not in explorer.status_text
