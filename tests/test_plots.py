"""helpers.plots (the package's front): ``show`` stores every lesson figure as a 2× PNG displayed at the
figure's own size, and every plot function of the lesson modules is reachable as ``helpers.plots.<name>``."""

from __future__ import annotations

import base64
import importlib
import struct
import subprocess
import sys

import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("IPython")

from matplotlib.figure import Figure  # noqa: E402

import helpers.plots as plots  # noqa: E402


def _shown(monkeypatch, fig, **kw):
    """Call ``show`` and return the (data, metadata) it hands to the notebook's display."""
    import IPython.display

    from IPython.core.formatters import format_display_data

    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: calls.append(format_display_data(obj)))
    plots.show(fig, **kw)
    assert len(calls) == 1
    data, metadata = calls[0]  # what the notebook stores: the output's data and metadata
    png = data["image/png"]
    return (base64.b64decode(png) if isinstance(png, str) else png), metadata["image/png"]


def _png_pixels(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("figsize, dpi", [((4.0, 3.6), 72), ((7.5, 4.0), 80), ((2.1, 1.3), 80)])
def test_show_emits_a_2x_png_displayed_at_the_figure_size(monkeypatch, figsize, dpi):
    fig = Figure(figsize=figsize, dpi=dpi)
    fig.add_subplot().plot([0, 1], [0, 1])
    data, metadata = _shown(monkeypatch, fig)
    width, height = _png_pixels(data)
    # the display size is the figure's own (figsize × dpi), as before; the PNG has twice the pixels
    assert metadata == {"width": round(figsize[0] * dpi), "height": round(figsize[1] * dpi)}
    assert abs(width - 2 * figsize[0] * dpi) <= 1 and abs(height - 2 * figsize[1] * dpi) <= 1
    assert fig.dpi == dpi  # the figure itself is left as it was


def test_show_scale_and_dpi(monkeypatch):
    fig = Figure(figsize=(2.0, 1.0), dpi=72)
    data, metadata = _shown(monkeypatch, fig, dpi=100, scale=3)
    assert metadata == {"width": 200, "height": 100} and _png_pixels(data) == (600, 300)
    data, metadata = _shown(monkeypatch, fig, scale=1)
    assert metadata == {"width": 144, "height": 72} and _png_pixels(data) == (144, 72)


@pytest.mark.parametrize("kw, match", [({"scale": 0}, "scale must be a positive integer"),
                                       ({"scale": 1.5}, "scale must be a positive integer, got 1.5"),
                                       ({"dpi": -72}, "dpi must be a positive number.*got -72"),
                                       ({"dpi": "high"}, "dpi must be a positive number.*got 'high'")])
def test_show_rejects_bad_scale_or_dpi(kw, match):
    with pytest.raises(ValueError, match=match):
        plots.png_bytes(Figure(figsize=(1, 1), dpi=72), **kw)


def test_the_png_is_compacted_without_changing_a_pixel():
    import io

    import numpy as np
    from PIL import Image

    fig = Figure(figsize=(3, 2), dpi=72)
    ax = fig.add_subplot()
    ax.imshow(np.random.default_rng(0).uniform(size=(8, 8)), cmap="viridis")  # many colours
    ax.set_title("many colours")
    few = Figure(figsize=(3, 2), dpi=72)  # a grey board without text: a handful of colours, stored as a palette
    board = few.add_subplot()
    board.imshow(np.eye(4), cmap="gray", interpolation="nearest")
    board.axis("off")
    for f in (fig, few):
        raw = io.BytesIO()
        f.savefig(raw, format="png", dpi=144)
        png, _, _ = plots.png_bytes(f)
        before = np.asarray(Image.open(io.BytesIO(raw.getvalue())).convert("RGB"))
        after = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
        assert np.array_equal(before, after)
        assert len(png) < len(raw.getvalue())
        assert Image.open(io.BytesIO(png)).mode == ("P" if f is few else "RGB")


def test_every_plot_function_is_reexported_from_its_lesson_module():
    names = {}
    for mod in plots._MODULES:
        module = importlib.import_module(f"helpers.plots.{mod}")
        for name in module.__all__:
            names.setdefault(name, getattr(module, name))
    assert len(names) > 20 and {"pooling_board", "plot_depth", "network_diagram", "image_grid"} <= set(names)
    for name, value in names.items():
        assert getattr(plots, name) is value, name


def test_unknown_plot_names_say_so():
    with pytest.raises(AttributeError, match="no attribute 'pooling_bored'"):
        plots.pooling_bored  # noqa: B018


def test_figures_need_no_pyplot():
    """The package builds figures with matplotlib's object API: no pyplot state, no GUI backend."""
    code = ("import sys, helpers.plots as p; p.pooling_board; p.image_grid; "
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
