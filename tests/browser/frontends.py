"""Drive the explorers in Notebook 7 and in the classic Notebook 6.5 (ipywidgets 7.7.1), as in JupyterLab.

Notebook 7 is built from JupyterLab's parts, so :mod:`labdriver` drives it unchanged but for the
server command and the address. The classic Notebook 6.5 runs from the Colab-like environment
(``tests/colab/env.py``: Python 3.13, notebook 6.5.7, widgetsnbextension 3.6.10, ipywidgets 7.7.1),
the nearest to Colab's own front end that runs here; its page is driven through its own DOM and
its ``Jupyter.notebook`` JavaScript object (run all cells, wait for every execution count).

Sliders are moved twice: with the mouse (drag the handle along its track) and with the keyboard
(focus the handle, press an arrow key). ipywidgets 8 draws sliders with noUiSlider, ipywidgets 7
with jQuery UI; both handles take the arrow keys.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .labdriver import LabServer

SLIDER_HANDLE = ".noUi-handle, .ui-slider-handle"
SLIDER_TRACK = ".noUi-target, .ui-slider"


class NotebookServer(LabServer):
    """Notebook 7 (``classic=False``, this environment) or the classic Notebook 6.5 (``classic=True``,
    the Colab-like environment's interpreter ``python``) on a temporary copy of ``notebooks/``."""

    def __init__(self, classic: bool = False, python: str | None = None, quick: bool = True):
        self.classic = classic
        self.python = python or sys.executable
        super().__init__(quick=quick)

    def _command(self) -> list[str]:
        root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        if self.classic:  # notebook 6.5's own NotebookApp (no jupyter_server)
            return [self.python, "-m", "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                    f"--NotebookApp.token={self.token}", f"--NotebookApp.notebook_dir={self.root}", *root]
        return [self.python, "-m", "notebook", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                "--ServerApp.open_browser=False", *root]

    def url(self, notebook: str) -> str:
        return f"{self.base}/notebooks/{notebook}?token={self.token}"


def open_and_run_all_classic(page, server: NotebookServer, notebook: str, timeout_s: float = 300) -> None:
    """Open ``notebook`` in the classic Notebook, clear its outputs, run all cells, wait for the last count."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(msg.text))
    page.goto(server.url(notebook))
    page.wait_for_function("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel "
                           "&& Jupyter.notebook.kernel.is_connected()", timeout=120_000)
    # widgetsnbextension 3.6 sets up its widget manager after the kernel connects (it asks the kernel
    # for existing widgets, then logs "kernel_ready"); cells run before that display empty views,
    # a race of the front end that a learner clicking Run All after the page loads does not meet.
    for _ in range(1200):
        if any("kernel_ready" in text for text in seen):
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(1000)
    page.evaluate("() => { Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells(); }")
    page.wait_for_function(
        """() => Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code').every(
                 c => Number.isInteger(c.input_prompt_number))""",
        timeout=timeout_s * 1000, polling=500)


def classic_notebook_errors(page) -> list[str]:
    return page.locator(".output_area .output_error, .output_area .output_stderr").all_inner_texts()


def slider_handle(box):
    return box.locator(SLIDER_HANDLE).first


def drag_slider(page, box, to_fraction: float) -> None:
    """Drag the slider's handle with the mouse to ``to_fraction`` (0 = left end, 1 = right end) of its track."""
    handle, track = slider_handle(box), box.locator(SLIDER_TRACK).first
    h, t = handle.bounding_box(), track.bounding_box()
    y = h["y"] + h["height"] / 2
    page.mouse.move(h["x"] + h["width"] / 2, y)
    page.mouse.down()
    target = t["x"] + to_fraction * t["width"]
    page.mouse.move(target, y, steps=8)
    page.mouse.up()


def press_slider(box, key: str) -> None:
    handle = slider_handle(box)
    handle.focus()
    handle.press(key)


def readout(box) -> str:
    return box.locator(".widget-readout").first.inner_text().strip()
