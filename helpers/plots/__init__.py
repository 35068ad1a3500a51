"""Figures for the lessons, one module per lesson topic; all names re-exported here.

The lessons call a figure through its topic module, which is imported on first use
(``docs/design.md``, "How lessons import helpers")::

    from helpers import plots
    plots.show(plots.padding.plot_coverage(8, 3))

Importing this package imports matplotlib (not pyplot); ``import helpers`` alone does not.
"""

from __future__ import annotations

import importlib

_MODULES = ("pooling", "padding", "models", "alexnet", "cifar")


#: How many pixels the PNG of :func:`show` has per displayed pixel: 2, as on "retina" screens, so that
#: figures stay sharp on high-density screens and when a projector or the slides scale them up.
SCALE = 2


def png_bytes(fig, dpi=None, scale: int = SCALE) -> tuple[bytes, int, int]:
    """Render ``fig`` as PNG bytes with ``scale`` pixels per displayed pixel.

    Returns ``(png, width, height)``: the PNG holds ``scale × figsize × dpi`` pixels, and ``width`` ×
    ``height`` is the size to display it at, ``figsize × dpi`` (``dpi`` defaults to the figure's own).

    >>> from matplotlib.figure import Figure
    >>> png, width, height = png_bytes(Figure(figsize=(4, 3), dpi=72))
    >>> width, height
    (288, 216)
    """
    import io
    import numbers
    import struct

    from .._checks import positive_int

    scale = positive_int("scale", scale)
    if dpi is None:
        dpi = fig.dpi
    elif isinstance(dpi, bool) or not isinstance(dpi, numbers.Real) or not dpi > 0:
        raise ValueError(f"dpi must be a positive number of dots per inch (or None: the figure's own), got {dpi!r}")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi * scale)
    png = _compact_png(buf.getvalue())
    pixels_w, pixels_h = struct.unpack(">II", png[16:24])
    return png, max(1, round(pixels_w / scale)), max(1, round(pixels_h / scale))


def _compact_png(png: bytes) -> bytes:
    """The same picture, pixel for pixel, in fewer bytes: no alpha channel when every pixel is opaque, a
    palette when the picture has at most 256 colours, Pillow's optimised compression. On lessons 01-02
    this saves about a fifth of the bytes of matplotlib's own 2× PNGs."""
    import io

    import numpy as np
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    pixels = np.asarray(image.convert("RGBA"))
    if (pixels[..., 3] == 255).all():
        pixels = pixels[..., :3]
        image = Image.fromarray(np.ascontiguousarray(pixels), "RGB")
        if image.getcolors(256) is not None:  # None when there are more than 256 colours
            keys = pixels[..., 0].astype(np.uint32) << 16 | pixels[..., 1].astype(np.uint32) << 8 | pixels[..., 2]
            unique, index = np.unique(keys.ravel(), return_inverse=True)
            colors = np.stack([unique >> 16, (unique >> 8) & 255, unique & 255], axis=1)
            image = Image.fromarray(index.reshape(pixels.shape[:2]).astype(np.uint8), "P")
            image.putpalette(colors.astype(np.uint8).tobytes())
    buf = io.BytesIO()
    image.save(buf, format="png", optimize=True)
    return buf.getvalue()


def show(fig, dpi=None, scale: int = SCALE) -> None:
    """Display a matplotlib ``Figure`` in a notebook as a sharp PNG, whatever backend is active.

    The lessons' figures are built with matplotlib's object API (no pyplot state), so they are shown
    explicitly; the PNG is stored in the notebook, where GitHub, nbviewer and the slides show it. It is
    drawn with ``scale`` (2) pixels per displayed pixel and shown at the figure's own size
    (``figsize × dpi``) through the output's width/height metadata, as IPython's ``retina=True`` does: as
    large on the page as before, sharp on high-density screens and projectors. The PNG is compacted
    without changing a pixel; lessons 01-02's figures take 1.2-1.7 times the bytes of their former 1×
    PNGs (``docs/design.md``, "Figures").

    >>> from matplotlib.figure import Figure
    >>> show(Figure(figsize=(4, 3), dpi=72))                                 # doctest: +SKIP
    """
    from IPython.display import Image, display

    png, width, height = png_bytes(fig, dpi=dpi, scale=scale)
    display(Image(data=png, format="png", width=width, height=height))


def __getattr__(name):
    if name in _MODULES:  # a topic module: ``from helpers import plots`` then ``plots.padding.plot_coverage(...)``
        return importlib.import_module(f".{name}", __name__)
    for mod in _MODULES:
        try:
            module = importlib.import_module(f".{mod}", __name__)
        except ModuleNotFoundError:
            continue
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value
            return value
    raise AttributeError(f"module 'helpers.plots' has no attribute {name!r}")
