"""Lesson 05's shape-trace explorer: input size and conv1's kernel and stride against an AlexNet.

Controls: the variant (``seed``, ``paper``, ``cifar``), the input side, and the first layer's
kernel and stride. The status line holds the layer table of :func:`helpers.shape_trace` (output
shape, parameters, multiply-adds, activation memory) and, when a size runs out, the layer and why.
The figure shows the spatial size after every convolution and pooling layer; a layer whose
output would be 0 or negative is drawn as a red bar at 0 with a cross, the layers after it grey.

No Keras model is built: each variant's (unbuilt) layer list is made once, and a change of kernel
or stride only makes a new first ``Conv2D`` object (cached), so an update costs a trace of ~20
layer configs plus one PNG.

>>> explorer = shape_trace_explorer()              # doctest: +SKIP
>>> explorer.set(input_size=67)                    # doctest: +SKIP
>>> explorer                                       # doctest: +SKIP
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..alexnet_model import VARIANTS, alexnet_layers
from ..trace import shape_trace
from ._base import Explorer

MAX_BARS = 12           # input + the most conv/pool layers of any variant (paper: 1 + 8)
OK, FAIL, AFTER = "#3b7dd8", "#d62728", "#c8c8c8"


def _first_conv_config(variant):
    layer = alexnet_layers(variant)[0]
    return layer.kernel_size[0], layer.strides[0]


class ShapeTraceExplorer(Explorer):
    """See the module docstring; build with :func:`shape_trace_explorer`."""

    def __init__(self, variant="seed", input_size=None, kernel=None, stride=None):
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {', '.join(map(repr, VARIANTS))}; got {variant!r}")
        self._layers: dict[str, list] = {}
        self._firsts: dict[tuple, object] = {}
        self.trace = None
        k0, s0 = _first_conv_config(variant)
        slider = dict(continuous_update=False, layout=widgets.Layout(width="250px"),
                      style={"description_width": "75px"})
        controls = {
            "variant": widgets.ToggleButtons(options=list(VARIANTS), value=variant, description="variant",
                                             style={"button_width": "60px", "description_width": "55px"}),
            "input_size": widgets.IntSlider(input_size or VARIANTS[variant][0][0], min=8, max=256,
                                            description="input side", **slider),
            "kernel": widgets.IntSlider(kernel or k0, min=1, max=15, description="conv1 kernel", **slider),
            "stride": widgets.IntSlider(stride or s0, min=1, max=8, description="conv1 stride", **slider),
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
        self.fig.set_layout_engine("none")   # axes placed by hand: faster updates, no layout warnings
        self.ax = self.fig.add_axes((0.08, 0.2, 0.9, 0.68))
        self.bars = self.ax.bar(range(MAX_BARS), [0] * MAX_BARS, color=OK)
        self.labels = [self.ax.text(i, 0, "", ha="center", va="bottom", fontsize=8) for i in range(MAX_BARS)]
        (self.cross,) = self.ax.plot([], [], "x", color=FAIL, markersize=12, markeredgewidth=2.5)
        self.ax.set_ylabel("spatial size (pixels)", fontsize=9)
        self.ax.axhline(0, color="black", linewidth=0.8)
        self.ax.tick_params(labelsize=8)
        self.title = self.ax.set_title(" ", fontsize=10)

    def update(self, variant, input_size, kernel, stride) -> str:
        layers = self.layers_for(variant, kernel, stride)
        trace = shape_trace(layers, (input_size, input_size, 3))
        self.trace = trace
        windowed = [r for r in trace.rows if r.windowed]
        names = ["input"] + [r.name for r in windowed]
        sizes = [input_size] + [r.output_shape[0] for r in windowed]
        after = []
        if not trace.ok:
            names.append(trace.failed_layer)
            sizes.append(0)
            seen = False
            for layer in layers:
                if seen and (hasattr(layer, "kernel_size") or hasattr(layer, "pool_size")):
                    after.append(layer.name)
                seen = seen or layer.name == trace.failed_layer
            names += after
            sizes += [0] * len(after)
        names, sizes = names[:MAX_BARS], sizes[:MAX_BARS]
        n_ok = len(windowed) + 1
        top = max(sizes)
        for i, (bar, label) in enumerate(zip(self.bars, self.labels)):
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
            self.cross.set_data([], [])
        else:
            self.cross.set_data([n_ok], [0])
            self.labels[n_ok].set_text(str(trace.failed_size))
        self.ax.set_xticks(range(len(names)), names, rotation=30, fontsize=8)
        self.ax.set_xlim(-0.6, MAX_BARS - 0.4)
        self.ax.set_ylim(-0.08 * top, top * 1.12)
        verdict = "builds" if trace.ok else f"cannot be built: {trace.failed_layer} would output {trace.failed_size}"
        self.title.set_text(f"alexnet({variant!r}) layers on a {input_size}×{input_size}×3 input, "
                            f"conv1 {kernel}×{kernel}/{stride}: {verdict}")
        return self._status(trace)

    def _status(self, trace) -> str:
        sizes = " → ".join(str(s) for s in trace.spatial_sizes)
        if trace.ok:
            head = (f"<b>Builds.</b> Spatial sizes {sizes}; {trace.total_params:,} parameters, "
                    f"{trace.total_multiply_adds:,} multiply-adds per image.")
        else:
            head = (f'<b style="color:{FAIL}">Cannot build:</b> spatial sizes {sizes}. '
                    f"{html.escape(trace.failure)}.")
        rows = "".join(
            f"<tr><td>{r.name}</td> <td>{r.kind}</td> <td>{'×'.join(map(str, r.output_shape))}</td> "
            f"<td align='right'>{r.params:,}</td> <td align='right'>{r.multiply_adds:,}</td> "
            f"<td align='right'>{r.activation_bytes / 1024:,.1f}</td></tr>\n" for r in trace.rows)
        if not trace.ok:
            rows += (f"<tr style='color:{FAIL}'><td>{trace.failed_layer}</td> <td colspan=5>output size "
                     f"{trace.failed_size}: stops here</td></tr>")
        table = ("<table style='font-size:85%'><tr><th>layer</th> <th>type</th> <th>output</th> <th>params</th> "
                 f"<th>multiply-adds</th> <th>KiB</th></tr>\n{rows}</table>")
        return f"{head}<br>{table}"


def shape_trace_explorer(variant: str = "seed", input_size: int | None = None, kernel: int | None = None,
                         stride: int | None = None) -> ShapeTraceExplorer:
    """A live shape trace of ``helpers.alexnet(variant)``'s layers; see the module docstring.

    Defaults: the variant's own input side and conv1 kernel/stride (seed: 32, 11, 4, which fails
    at pool2).
    """
    return ShapeTraceExplorer(variant, input_size, kernel, stride)


__all__ = ["ShapeTraceExplorer", "shape_trace_explorer"]
