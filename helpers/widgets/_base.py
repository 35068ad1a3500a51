"""What every explorer shares: a figure built once, controls, a status line, a static fallback.

The figure is a plain :class:`matplotlib.figure.Figure` on the Agg canvas (no pyplot, so no
stray inline copy), shown through a core ``ipywidgets.Image``. Only core ipywidgets are used,
so the explorers work in JupyterLab, Notebook 7, Colab and Binder without any third-party
widget manager.

Subclasses build their artists once in :meth:`Explorer.build` and, in :meth:`Explorer.update`,
change those artists' data for the current control values and return the status text. A
``ValueError`` raised by ``update`` (an impossible setting) is shown as a message in the widget,
not as a traceback, and the last valid picture is shown faded: the fading is drawn into the PNG
itself, because a widget's ``layout.opacity`` is not synced to the browser (ipywidgets 7 or 8).

The picture is rendered at twice its CSS size in pixels (``RESOLUTION``) and displayed at the
figure's CSS size, so it is sharp on high-density screens and projectors.

Display works under ipywidgets 7.7 (Colab, classic Notebook) and 8.x alike: the explorer builds its
own MIME bundle, the widget view (``application/vnd.jupyter.widget-view+json`` with the widget's
``model_id``) beside a static PNG of its figure and a text line. When a notebook is saved, the
PNG is stored beside the widget view, so GitHub, nbviewer and HTML exports (which cannot run
widgets) still show the picture.
"""

from __future__ import annotations

import base64
import html
import io

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .._checks import check_figsize


def _check_control_value(name: str, control, value) -> None:
    """Raise ValueError naming the control if ``value`` is not one it can hold (never clamp)."""
    options = getattr(control, "options", None)
    if getattr(control, "ensure_option", True) is False:
        options = None  # a Combobox that takes free text: the text is parsed (and checked) by update
    if options is not None:
        valid = [o[1] if isinstance(o, tuple) else o for o in options]
        if not any(value == v and isinstance(value, bool) == isinstance(v, bool) for v in valid):
            raise ValueError(f"{name} must be one of {', '.join(map(repr, valid))}; got {value!r}")
        return
    current = control.value
    if isinstance(current, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False; got {value!r}")
        return
    if isinstance(current, str):
        if not isinstance(value, str):
            raise ValueError(f"{name} must be text; got {value!r}")
        return
    if isinstance(current, int):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise ValueError(f"{name} must be an integer; got {value!r}")
    elif isinstance(current, float):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or value != value:
            raise ValueError(f"{name} must be a number; got {value!r}")
    lo, hi = getattr(control, "min", None), getattr(control, "max", None)
    if lo is not None and hi is not None and not lo <= value <= hi:
        raise ValueError(f"{name} must be between {lo} and {hi}; got {value!r} (not clamped)")


def initial(name: str, control, value):
    """Give ``control`` its first value, checked as :meth:`Explorer.set` checks a value; return the control.

    Explorer constructors build each control at a safe value and then set the learner's value
    through this, so a bad value is a ``ValueError`` naming the argument, never a traitlets
    ``TraitError`` and never clamped into the slider's range.

    >>> initial("stride", widgets.IntSlider(1, min=1, max=4), 9)
    Traceback (most recent call last):
    ...
    ValueError: stride must be between 1 and 4; got 9 (not clamped)
    """
    _check_control_value(name, control, value)
    control.value = value
    return control


class Explorer:
    """Base class of the interactive explorers. See the module docstring for the contract.

    ``controls``: name -> core ipywidget with a ``value`` (the names are :meth:`update`'s arguments);
    ``figsize``: (width, height) in inches. The base class alone is an empty explorer (its
    :meth:`build` draws nothing and its :meth:`update` shows no status); subclasses override both.
    """

    #: CSS pixels per inch of the figure: its displayed size is ``figsize`` × ``dpi`` CSS pixels
    dpi = 72
    #: pixels per CSS pixel of the rendered PNG (2: sharp on high-density screens, a notebook still
    #: well under a megabyte per explorer)
    RESOLUTION = 2
    #: how much of the last valid picture shows through on an impossible setting
    FADED_ALPHA = 0.35

    def __init__(self, controls: dict[str, widgets.ValueWidget], figsize=(8, 4)):
        if not isinstance(controls, dict):
            raise TypeError(f"controls must be a dict: name -> ipywidgets control; got {type(controls).__name__}")
        for name, control in controls.items():
            if not isinstance(name, str):
                raise TypeError(f"controls: each name must be a str (an argument of update); got {name!r}")
            if not isinstance(control, widgets.ValueWidget):
                raise TypeError(f"controls[{name!r}] must be an ipywidgets control with a value; "
                                f"got {type(control).__name__}")
        figsize = check_figsize("figsize", figsize)
        self.controls = controls
        # drawn at RESOLUTION × dpi (savefig at the figure's own dpi, so each PNG of a state is the same)
        self.fig = Figure(figsize=figsize, dpi=self.dpi * self.RESOLUTION, layout="constrained")
        FigureCanvasAgg(self.fig)
        width, height = (round(v * self.dpi) for v in self.fig.get_size_inches())
        self.css_size = (width, height)
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px", max_width="100%",
                                                                        height="auto"))
        self.status = widgets.HTML(layout=widgets.Layout(min_height="2.5em"))
        self.error: str | None = None
        self._valid_png: bytes | None = None
        self.build()
        for control in controls.values():
            control.observe(self._on_change, names="value")
        self.widget = widgets.VBox([self._control_box(), self.status, self.image])
        self.refresh()

    # --- for subclasses -------------------------------------------------------------------
    def build(self) -> None:
        """Create axes and artists on ``self.fig`` once (the base class draws nothing)."""

    def update(self, **values) -> str:
        """Update the artists for ``values`` (the controls' values); return the status text (HTML).

        The base class changes nothing and shows no status."""
        return ""

    # --- machinery ------------------------------------------------------------------------
    def _control_box(self):
        for control in self.controls.values():
            if isinstance(control, widgets.ToggleButtons):
                # each button as wide as its label: a fixed width cut "same" to "sa…" in Notebook 7,
                # whose button font is wider than JupyterLab's
                control.style.button_width = "auto"
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
            if self._valid_png is not None:
                self.image.value = faded(self._valid_png, self.FADED_ALPHA)
            return
        self.error = None
        self.status.value = text
        if isinstance(self.fig.get_layout_engine(), ConstrainedLayoutEngine):
            # constrained layout at 2x pixels settles over two draws; one draw first, so the picture
            # shown is the one every later render of this state gives
            self.fig.canvas.draw()
        self._valid_png = self.png()
        self.image.value = self._valid_png

    def set(self, **values) -> None:
        """Set several controls at once and redraw once (for lessons, tests and benchmarks).

        A value that no control could ever hold (a string for a slider, ``True`` for an integer,
        an option that is not offered, a number outside the slider's range) raises a
        ``ValueError`` naming the control and what is valid, and changes nothing: it is never
        clamped into range, and never surfaces as a traitlets ``TraitError``. A combination of
        valid values that does not fit together (a window larger than the input) is shown as
        the message in the widget, as when a learner moves the controls.
        """
        for name, value in values.items():
            if name not in self.controls:
                raise ValueError(f"unknown control {name!r}; controls are {sorted(self.controls)}")
            _check_control_value(name, self.controls[name], value)
        before = self.values
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        try:
            for name, value in values.items():
                try:
                    self.controls[name].value = value
                except Exception as err:  # noqa: BLE001 - a TraitError the checks above did not foresee
                    for other, old in before.items():
                        self.controls[other].value = old
                    raise ValueError(f"{name}={value!r} is not a valid setting of the {name} control: {err}") from None
        finally:
            for control in self.controls.values():
                control.observe(self._on_change, names="value")
        self.refresh()

    def png(self) -> bytes:
        """The figure as PNG bytes, ``RESOLUTION`` pixels per CSS pixel."""
        buf = io.BytesIO()
        self.fig.savefig(buf, format="png", dpi=self.fig.dpi)
        return buf.getvalue()

    @property
    def status_text(self) -> str:
        """The status line without HTML tags (what tests and nbval compare)."""
        import re

        text = re.sub(r"<br\s*/?>", "\n", self.status.value)
        return html.unescape(re.sub(r"<[^>]+>", "", text))

    def _repr_mimebundle_(self, **kwargs):
        """(data, metadata) for IPython: the widget view, a static PNG at the figure's CSS size, a text line.

        Built here rather than asked of the widget: ipywidgets 7 widgets have no ``_repr_mimebundle_``
        (they display through ``_ipython_display_``), ipywidgets 8 ones do; both front ends render
        this view bundle (protocol version 2.0, as ipywidgets 7.x and 8.x both write it).
        """
        data = {
            "text/plain": f"{type(self).__name__}: {self.status_text}",
            "image/png": base64.b64encode(bytes(self.image.value)).decode("ascii"),
        }
        model_id = getattr(self.widget, "model_id", None)
        if model_id:
            data["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2, "version_minor": 0, "model_id": model_id}
        width, height = self.css_size
        return data, {"image/png": {"width": width, "height": height}}


def faded(png: bytes, alpha: float) -> bytes:
    """``png`` blended over white, ``alpha`` of it still showing: the picture greyed out, in the pixels.

    >>> from PIL import Image; import io
    >>> buf = io.BytesIO(); Image.new("RGB", (2, 2), (0, 0, 0)).save(buf, "PNG")
    >>> Image.open(io.BytesIO(faded(buf.getvalue(), 0.35))).getpixel((0, 0))
    (165, 165, 165)
    """
    from PIL import Image  # Pillow comes with matplotlib

    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    white = Image.new("RGB", picture.size, (255, 255, 255))
    buf = io.BytesIO()
    Image.blend(white, picture, alpha).save(buf, format="PNG")
    return buf.getvalue()
