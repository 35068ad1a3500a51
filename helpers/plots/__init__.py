"""Figures for the lessons, one module per lesson topic; all names re-exported here.

Importing this package imports matplotlib (not pyplot); ``import helpers`` alone does not.
"""

from __future__ import annotations

import importlib

_MODULES = ("pooling", "padding", "models", "alexnet", "cifar")


def show(fig, dpi=None) -> None:
    """Display a matplotlib ``Figure`` in a notebook as a PNG, whatever backend is active.

    The lessons' figures are built with matplotlib's object API (no pyplot state), so they are shown
    explicitly; the PNG is stored in the notebook, where GitHub, nbviewer and the slides show it.
    """
    import io

    from IPython.display import Image, display

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    display(Image(data=buf.getvalue(), format="png"))


def __getattr__(name):
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
