"""Shape-trace explorers: where the sizes go, layer by layer, in lesson 05's AlexNets or any Keras model.

:func:`shape_trace_explorer` takes either an AlexNet variant name (``"seed"``, ``"paper"``,
``"cifar"``, …: controls for the variant, the input side and the first layer's kernel and stride),
or **any Keras model** (the learner's own): then an input-side slider when the model is built for a
variable input size (``keras.Input((None, None, 3))``), and no control when its input is fixed.
The status line holds the layer table of :func:`helpers.shape_trace` (output shape, parameters,
multiply-adds, activation memory) and, when a size runs out, the layer and why. The figure shows
the spatial size after every convolution and pooling layer; a layer whose output would be 0 or
negative is drawn as a red bar at 0 with a cross, the layers after it grey.

No Keras model is built: each variant's (unbuilt) layer list is made once, and a change of kernel
or stride only makes a new first ``Conv2D`` object (cached), so an update costs a trace of ~20
layer configs plus one PNG.

>>> explorer = shape_trace_explorer()        # end a notebook cell with ``explorer`` to show it
>>> explorer.set(input_size=67)
>>> explorer.status_text.splitlines()[0]
'Builds. Spatial sizes 67 → 15 → 7 → 7 → 3 → 3 → 3 → 3 → 1; 21,622,154 parameters, 83,682,336 multiply-adds per image.'
>>> import keras
>>> my_keras_model = keras.Sequential([keras.Input((None, None, 1)), keras.layers.Conv2D(8, 3),
...                                    keras.layers.MaxPooling2D(2)])
>>> mine = shape_trace_explorer(my_keras_model)
>>> list(mine.controls)                          # a variable input size gets a slider
['input_size']
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..alexnet_model import VARIANTS, alexnet_layers
from .._checks import one_of, positive_int
from ..trace import shape_trace
from ._base import Explorer, initial

MAX_BARS = 12           # input + the most conv/pool layers of any variant (paper: 1 + 8)
OK, FAIL, AFTER = "#3b7dd8", "#d62728", "#c8c8c8"


def _first_conv_config(variant):
    layer = alexnet_layers(variant)[0]
    return layer.kernel_size[0], layer.strides[0]


class ShapeTraceExplorer(Explorer):
    """See the module docstring; build with :func:`shape_trace_explorer`."""

    def __init__(self, variant="seed", input_size=None, kernel=None, stride=None):
        one_of("variant", variant, tuple(VARIANTS))
        self._layers: dict[str, list] = {}
        self._firsts: dict[tuple, object] = {}
        self.trace = None
        k0, s0 = _first_conv_config(variant)
        slider = dict(continuous_update=False, layout=widgets.Layout(width="250px"),
                      style={"description_width": "75px"})
        # None: the variant's own value; anything else is checked against the slider (never clamped)
        controls = {
            "variant": widgets.ToggleButtons(options=list(VARIANTS), value=variant, description="variant",
                                             style={"button_width": "60px", "description_width": "55px"}),
            "input_size": initial("input_size", widgets.IntSlider(VARIANTS[variant][0][0], min=8, max=256,
                                                                  description="input side", **slider),
                                  VARIANTS[variant][0][0] if input_size is None else input_size),
            "kernel": initial("kernel", widgets.IntSlider(k0, min=1, max=15, description="conv1 kernel", **slider),
                              k0 if kernel is None else kernel),
            "stride": initial("stride", widgets.IntSlider(s0, min=1, max=8, description="conv1 stride", **slider),
                              s0 if stride is None else stride),
        }
        super().__init__(controls, figsize=(8, 3.2))

    # --- a variant change resets the other controls to that variant's own values -------------
    def _on_change(self, change=None):
        if change is not None and change.get("owner") is self.controls["variant"]:
            variant = change["new"]
            k, s = _first_conv_config(variant)
            self.set(input_size=VARIANTS[variant][0][0], kernel=k, stride=s)   # one redraw
            return
        self.refresh()

    # --- layers (cached) ---------------------------------------------------------------------
    def layers_for(self, variant, kernel, stride) -> list:
        """The variant's layer list with conv1 replaced by a ``kernel``/``stride`` copy (no weights)."""
        if variant not in self._layers:
            self._layers[variant] = alexnet_layers(variant)
        layers = self._layers[variant]
        key = (variant, kernel, stride)
        if key not in self._firsts:
            config = dict(layers[0].get_config(), kernel_size=(kernel, kernel), strides=(stride, stride))
            self._firsts[key] = type(layers[0]).from_config(config)
        return [self._firsts[key]] + layers[1:]

    # --- figure --------------------------------------------------------------------------------
    def build(self) -> None:
        _build_bars(self, MAX_BARS)

    def update(self, variant, input_size, kernel, stride) -> str:
        layers = self.layers_for(variant, kernel, stride)
        trace = shape_trace(layers, (input_size, input_size, 3))
        self.trace = trace
        after = []
        if not trace.ok:
            seen = False
            for layer in layers:
                if seen and (hasattr(layer, "kernel_size") or hasattr(layer, "pool_size")):
                    after.append(layer.name)
                seen = seen or layer.name == trace.failed_layer
        verdict = "builds" if trace.ok else f"cannot be built: {trace.failed_layer} would output {trace.failed_size}"
        _draw_bars(self, trace, after, MAX_BARS,
                   f"alexnet({variant!r}) layers on a {input_size}×{input_size}×3 input, "
                   f"conv1 {kernel}×{kernel}/{stride}: {verdict}")
        return _status(trace)

def _status(trace) -> str:
    sizes = " → ".join(str(s) for s in trace.spatial_sizes)
    if trace.ok:
        head = (f"<b>Builds.</b> Spatial sizes {sizes}; {trace.total_params:,} parameters, "
                f"{trace.total_multiply_adds:,} multiply-adds per image.")
    else:
        head = (f'<b style="color:{FAIL}">Cannot build:</b> spatial sizes {sizes}. '
                f"{html.escape(trace.failure)}.")
    if trace.not_counted:
        head += f" Multiply-adds not counted for: {html.escape(', '.join(trace.not_counted))}."
    rows = "".join(
        f"<tr><td>{html.escape(r.name)}</td> <td>{r.kind}</td> <td>{'×'.join(map(str, r.output_shape))}</td> "
        f"<td align='right'>{r.params:,}</td> "
        f"<td align='right'>{'not counted' if r.multiply_adds is None else f'{r.multiply_adds:,}'}</td> "
        f"<td align='right'>{r.activation_bytes / 1024:,.1f}</td></tr>\n" for r in trace.rows)
    if not trace.ok:
        rows += (f"<tr style='color:{FAIL}'><td>{html.escape(trace.failed_layer)}</td> <td colspan=5>output size "
                 f"{trace.failed_size}: stops here</td></tr>")
    table = ("<table style='font-size:85%'><tr><th>layer</th> <th>type</th> <th>output</th> <th>params</th> "
             f"<th>multiply-adds</th> <th>KiB</th></tr>\n{rows}</table>")
    return f"{head}<br>{table}"


def _build_bars(explorer, n_bars) -> None:
    """Axes, ``n_bars`` bars with labels, the failure cross and the title, made once."""
    explorer.fig.set_layout_engine("none")   # axes placed by hand: faster updates, no layout warnings
    explorer.ax = explorer.fig.add_axes((0.08, 0.2, 0.9, 0.68))
    explorer.bars = explorer.ax.bar(range(n_bars), [0] * n_bars, color=OK)
    explorer.labels = [explorer.ax.text(i, 0, "", ha="center", va="bottom", fontsize=8) for i in range(n_bars)]
    (explorer.cross,) = explorer.ax.plot([], [], "x", color=FAIL, markersize=12, markeredgewidth=2.5)
    explorer.ax.set_ylabel("spatial size (pixels)", fontsize=9)
    explorer.ax.set_xlabel("layer (convolutions and pooling only)", fontsize=9)
    explorer.ax.axhline(0, color="black", linewidth=0.8)
    explorer.ax.tick_params(labelsize=8)
    explorer.title = explorer.ax.set_title(" ", fontsize=10)


def _draw_bars(explorer, trace, after, n_bars, title) -> None:
    """Bars for the input and each windowed layer of ``trace``; the failed one red with a cross, ``after``
    (names of the windowed layers after it) grey."""
    windowed = [r for r in trace.rows if r.windowed]
    names = ["input"] + [r.name for r in windowed]
    sizes = [trace.input_shape[0]] + [r.output_shape[0] for r in windowed]
    if not trace.ok:
        names += [trace.failed_layer] + list(after)
        sizes += [0] * (1 + len(after))
    names, sizes = names[:n_bars], sizes[:n_bars]
    n_ok = len(windowed) + 1
    top = max(sizes)
    for i, (bar, label) in enumerate(zip(explorer.bars, explorer.labels)):
        visible = i < len(names)
        bar.set_visible(visible)
        label.set_visible(visible)
        if not visible:
            continue
        bar.set_height(sizes[i])
        bar.set_color(OK if i < n_ok else FAIL if i == n_ok else AFTER)
        label.set_position((i, sizes[i] + top * 0.01))
        label.set_text(str(sizes[i]) if i <= n_ok else "–")
    if trace.ok:
        explorer.cross.set_data([], [])
    elif n_ok < n_bars:
        explorer.cross.set_data([n_ok], [0])
        explorer.labels[n_ok].set_text(str(trace.failed_size))
    many = len(names) > 16
    explorer.ax.set_xticks(range(len(names)), names, rotation=90 if many else 30, fontsize=6 if many else 8)
    explorer.ax.set_xlim(-0.6, n_bars - 0.4)
    explorer.ax.set_ylim(-0.08 * top, top * 1.12)
    explorer.title.set_text(title)


def _windowed_layers(model) -> list:
    """Every convolution or pooling layer of ``model``, nested models included, in layer order."""
    import keras

    found = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            found += _windowed_layers(layer)
        elif hasattr(layer, "kernel_size") or hasattr(layer, "pool_size"):
            found.append(layer)
    return found


class ModelTraceExplorer(Explorer):
    """A live shape trace of any Keras model; build with :func:`shape_trace_explorer`."""

    def __init__(self, model, input_size=None):
        import keras

        if not isinstance(model, keras.Model):
            raise TypeError(f"model must be a Keras model; got {type(model).__name__}")
        if input_size is not None:
            positive_int("input_size", input_size)
        shape = tuple(model.inputs[0].shape[1:])
        if len(shape) != 3 or shape[-1] is None:
            raise ValueError(f"model: the explorer traces image models with one input of shape (height, width, "
                             f"channels) and known channels; this one takes {shape}")
        self.model = model
        self.channels = int(shape[-1])
        self.variable = shape[0] is None or shape[1] is None
        self.trace = None
        self.n_bars = 1 + len(_windowed_layers(model)) + 1
        controls = {}
        if self.variable:
            start = 32 if input_size is None else input_size
            controls["input_size"] = initial("input_size", widgets.IntSlider(
                32, min=4, max=512, description="input side", continuous_update=False,
                layout=widgets.Layout(width="320px"), style={"description_width": "75px"}), start)
        elif input_size is not None and input_size != shape[0]:
            raise ValueError(f"input_size: {model.name!r} is built for a {shape[0]}×{shape[1]} input, so its "
                             f"size cannot change; got {input_size!r}. Build it on keras.Input((None, None, "
                             f"{self.channels})) to explore sizes")
        self.fixed = None if self.variable else (int(shape[0]), int(shape[1]))
        super().__init__(controls, figsize=(8, 3.2))

    def build(self) -> None:
        _build_bars(self, self.n_bars)

    def update(self, input_size=None) -> str:
        h, w = (input_size, input_size) if self.fixed is None else self.fixed
        trace = shape_trace(self.model, (h, w, self.channels))
        self.trace = trace
        names = [layer.name for layer in _windowed_layers(self.model)]
        done = {r.name.rsplit("/", 1)[-1] for r in trace.rows}
        failed = (trace.failed_layer or "").rsplit("/", 1)[-1]
        after = [n for n in names if n not in done and n != failed]
        verdict = "fits" if trace.ok else f"stops at {trace.failed_layer} (size {trace.failed_size})"
        _draw_bars(self, trace, after, self.n_bars,
                   f"{self.model.name} on a {h}×{w}×{self.channels} input: {verdict}")
        return _status(trace)


def shape_trace_explorer(variant="seed", input_size: int | None = None, kernel: int | None = None,
                         stride: int | None = None):
    """A live shape trace; see the module docstring.

    ``variant``: an AlexNet variant name (defaults: the variant's own input side and conv1
    kernel/stride; seed: 32, 11, 4, which fails at pool2), or any Keras model (then ``kernel`` and
    ``stride`` do not apply, and ``input_size`` is the slider's start for a variable-size model).
    """
    import keras

    if isinstance(variant, keras.Model):
        if kernel is not None or stride is not None:
            raise ValueError("kernel and stride change conv1 of an AlexNet variant; for your own model, change "
                             f"the model (got kernel={kernel!r}, stride={stride!r})")
        return ModelTraceExplorer(variant, input_size)
    if not isinstance(variant, str):
        raise TypeError(f"variant must be an AlexNet variant name ({', '.join(map(repr, VARIANTS))}) or a "
                        f"Keras model; got {type(variant).__name__}")
    return ShapeTraceExplorer(variant, input_size, kernel, stride)


__all__ = ["ModelTraceExplorer", "ShapeTraceExplorer", "shape_trace_explorer"]
