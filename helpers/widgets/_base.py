"""What every explorer shares: a figure built once, controls, a status line, a static fallback.

The figure is a plain :class:`matplotlib.figure.Figure` on the Agg canvas (no pyplot, so no
stray inline copy), shown through a core ``ipywidgets.Image``. Only core ipywidgets are used,
so the explorers work in JupyterLab, Notebook 7, Colab and Binder without any third-party
widget manager.

Subclasses build their artists once in :meth:`Explorer.build` and, in :meth:`Explorer.update`,
change those artists' data for the current control values and return the status text. A
``ValueError`` raised by ``update`` (an impossible setting) is shown as a message in the widget,
not as a traceback, and the last valid picture stays greyed out.

When a notebook is saved, the displayed explorer stores a PNG of its figure beside the widget
view, so GitHub, nbviewer and HTML exports (which cannot run widgets) still show the picture.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


class Explorer:
    """Base class of the interactive explorers. See the module docstring for the contract."""

    #: dots per inch of the rendered figure: small enough for a fast update and a small notebook
    dpi = 72

    def __init__(self, controls: dict[str, widgets.ValueWidget], figsize=(8, 4)):
        self.controls = controls
        self.fig = Figure(figsize=figsize, dpi=self.dpi, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.status = widgets.HTML(layout=widgets.Layout(min_height="2.5em"))
        self.error: str | None = None
        self.build()
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([self._control_box(), self.status, self.image])
        self.refresh()

    # --- for subclasses -------------------------------------------------------------------
    def build(self) -> None:  # pragma: no cover - abstract
        """Create axes and artists on ``self.fig`` once."""
        raise NotImplementedError

    def update(self, **values) -> str:  # pragma: no cover - abstract
        """Update the artists for ``values`` (the controls' values); return the status text (HTML)."""
        raise NotImplementedError

    # --- machinery ------------------------------------------------------------------------
    def _control_box(self):
        return widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap"))

    @property
    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, _change=None):
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the current control values and redraw; errors become a message."""
        try:
            text = self.update(**self.values)
        except ValueError as err:
            self.error = str(err)
            self.status.value = f'<span style="color:#b00020">&#9888; {html.escape(self.error)}</span>'
            self.image.layout.opacity = "0.35"
            return
        self.error = None
        self.status.value = text
        self.image.layout.opacity = "1"
        self.image.value = self.png()

    def set(self, **values) -> None:
        """Set several controls at once and redraw once (for lessons, tests and benchmarks)."""
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        try:
            for name, value in values.items():
                if name not in self.controls:
                    raise ValueError(f"unknown control {name!r}; controls are {sorted(self.controls)}")
                self.controls[name].value = value
        finally:
            for control in self.controls.values():
                control.observe(self._on_change, names="value")
        self.refresh()

    def png(self) -> bytes:
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=self.dpi)
        return buf.getvalue()

    @property
    def status_text(self) -> str:
        """The status line without HTML tags (what tests and nbval compare)."""
        import re

        text = re.sub(r"<br\s*/?>", "\n", self.status.value)
        return html.unescape(re.sub(r"<[^>]+>", "", text))

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/plain"] = f"{type(self).__name__}: {self.status_text}"
        return bundle
