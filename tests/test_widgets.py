"""helpers.widgets (the package's front): the four explorers are imported on first use, each from its
own module."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")

import helpers.widgets as widgets  # noqa: E402

EXPLORERS = {"pooling_explorer": "pooling", "padding_explorer": "padding", "shape_trace_explorer": "trace",
             "activation_explorer": "activations"}


def test_importing_the_package_loads_no_explorer_module():
    code = ("import sys, helpers.widgets; "
            f"print([m for m in {sorted(EXPLORERS.values())!r} if 'helpers.widgets.' + m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("name, module", EXPLORERS.items())
def test_each_explorer_comes_from_its_module(name, module):
    import importlib

    assert getattr(widgets, name) is getattr(importlib.import_module(f"helpers.widgets.{module}"), name)
    assert name in widgets.__all__


def test_the_shared_base_and_unknown_names():
    from helpers.widgets._base import Explorer

    assert widgets.Explorer is Explorer
    with pytest.raises(AttributeError, match="no attribute 'slider_explorer'"):
        widgets.slider_explorer  # noqa: B018
