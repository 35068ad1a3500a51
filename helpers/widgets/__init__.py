"""Interactive explorers for the lessons (core ipywidgets + matplotlib; see ``_base``)."""

from __future__ import annotations

import importlib

from ._base import Explorer

_LAZY = {"pooling_explorer": "pooling", "padding_explorer": "padding", "shape_trace_explorer": "trace",
         "activation_explorer": "activations"}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers.widgets' has no attribute {name!r}")


__all__ = ["Explorer", *_LAZY]
