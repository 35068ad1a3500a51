"""Figures for the lessons, one module per lesson topic; all names re-exported here.

Importing this package imports matplotlib (not pyplot); ``import helpers`` alone does not.
"""

from __future__ import annotations

import importlib

_MODULES = ("pooling", "padding", "models", "alexnet")


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
