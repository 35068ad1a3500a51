"""What every explorer shares (helpers/widgets/_base.py): its MIME bundle under ipywidgets 7 and 8,
a sharp picture at the figure's CSS size, and an impossible setting faded into the picture itself."""

from __future__ import annotations

import base64
import io

import ipywidgets
import numpy as np
import pytest
from PIL import Image

from helpers.widgets import padding_explorer, pooling_explorer, shape_trace_explorer
from helpers.widgets._base import Explorer, faded

EXPLORERS = {"pooling": pooling_explorer, "padding": padding_explorer, "trace": shape_trace_explorer}


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)


@pytest.mark.parametrize("name", EXPLORERS)
def test_bundle_holds_the_widget_view_a_static_png_and_a_text_line(name, monkeypatch):
    explorer = EXPLORERS[name]()
    # ipywidgets 7 widgets have no _repr_mimebundle_; the explorer must not need the widget's own
    monkeypatch.setattr(type(explorer.widget), "_repr_mimebundle_",
                        property(lambda self: (_ for _ in ()).throw(AttributeError("ipywidgets 7"))), raising=False)
    data, metadata = explorer._repr_mimebundle_()
    assert data["application/vnd.jupyter.widget-view+json"] == {
        "version_major": 2, "version_minor": 0, "model_id": explorer.widget.model_id}
    assert explorer.widget.model_id and data["text/plain"].startswith(type(explorer).__name__ + ": ")
    png = base64.b64decode(data["image/png"])
    assert png == bytes(explorer.image.value)
    width, height = explorer.css_size
    assert metadata == {"image/png": {"width": width, "height": height}}
    # rendered at twice the CSS size, shown at the CSS size
    pixels = Image.open(io.BytesIO(png)).size
    assert abs(pixels[0] - 2 * width) <= 1 and abs(pixels[1] - 2 * height) <= 1, (pixels, width, height)
    assert explorer.image.layout.width == f"{width}px" and explorer.image.layout.max_width == "100%"
    assert (width, height) == tuple(round(v * Explorer.dpi) for v in explorer.fig.get_size_inches())


def test_the_bundle_is_what_ipython_displays():
    from IPython.core.formatters import DisplayFormatter

    explorer = padding_explorer()
    data, metadata = DisplayFormatter().format(explorer)
    assert "application/vnd.jupyter.widget-view+json" in data and "image/png" in data
    assert metadata["image/png"]["width"] == explorer.css_size[0]


def test_an_impossible_setting_fades_the_picture_and_a_valid_one_restores_it():
    explorer = padding_explorer(size=6, kernel=3)
    sharp = bytes(explorer.image.value)
    explorer.set(size=3, kernel=7, padding="valid")
    assert explorer.error is not None
    greyed = bytes(explorer.image.value)
    assert greyed == faded(sharp, Explorer.FADED_ALPHA)
    before, after = _pixels(sharp), _pixels(greyed)
    # every pixel moves towards white: dark ink becomes light grey
    assert after.min() >= 255 * (1 - Explorer.FADED_ALPHA) - 1 and before.min() < 60
    np.testing.assert_allclose(after, 255 - Explorer.FADED_ALPHA * (255 - before), atol=1)
    explorer.set(size=6, kernel=3, padding="valid")
    assert explorer.error is None and _pixels(bytes(explorer.image.value)).min() < 60  # dark ink again


def test_faded_rejects_an_alpha_outside_0_1():
    with pytest.raises(ValueError, match="alpha must be between 0 and 1, got 1.5"):
        faded(bytes(padding_explorer().image.value), 1.5)


def test_runs_under_this_ipywidgets():
    assert int(ipywidgets.__version__.split(".")[0]) in (7, 8)


@pytest.mark.parametrize("build, bad, message", [
    (lambda v: padding_explorer(size=v), 40, "size must be between 1 and 16; got 40 (not clamped)"),
    (lambda v: padding_explorer(stride=v), "2", "stride must be an integer; got '2'"),
    (lambda v: padding_explorer(padding=v), 9, "at most 8 cells of padding"),
    (lambda v: shape_trace_explorer("seed", input_size=v), 0, "input_size must be between 8 and 256; got 0"),
    (lambda v: shape_trace_explorer("seed", kernel=v), 99, "kernel must be between 1 and 15; got 99"),
    (lambda v: pooling_explorer(image=v), "photo", "image must be an array of numbers"),
])
def test_constructors_check_their_values_instead_of_clamping_or_leaking_trait_errors(build, bad, message):
    # before: IntSlider clamped 40 to 16 and 0 (falsy) fell back to the variant's own size, silently;
    # a string raised traitlets' TraitError
    with pytest.raises((ValueError, TypeError), match=message.replace("(", r"\(").replace(")", r"\)")):
        build(bad)


def test_padding_explorer_takes_padding_as_a_value_or_as_text():
    from helpers.widgets.padding import parse_padding

    assert parse_padding((0, 1)) == parse_padding("0, 1") == (0, 1) and parse_padding(2) == 2
    assert padding_explorer(padding=(0, 1)).controls["padding"].value == "0, 1"
    with pytest.raises(TypeError, match="padding must be"):
        parse_padding(None)          # before: returned None as it was
    with pytest.raises(ValueError, match="padding must be"):
        parse_padding(-1)


def test_the_base_explorer_checks_its_controls_and_figure_size():
    with pytest.raises(TypeError, match="controls"):
        Explorer([ipywidgets.IntSlider()])
    with pytest.raises(ValueError, match=r"figsize\[1\]"):
        Explorer({}, figsize=(8, 0))
    assert Explorer({"n": ipywidgets.IntSlider()}).status_text == ""   # the base class alone draws nothing
