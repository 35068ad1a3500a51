"""What every layer sees: feature maps of any Keras CNN for an image the learner picks.

Controls: the image (an index into the images given, or the learner's own picture through a core
``FileUpload``), the layer (every layer whose output is a stack of 2-D maps), which maps to show
(the strongest ``n`` by mean activation, or all of them), and a unit (row, column) of that layer.
Three panels, built once and updated in place:

- the input, with the chosen unit's **receptive field** drawn on it (the input pixels that unit
  can see, from :func:`helpers.receptive_field` over the convolution and pooling layers up to the
  chosen one; for models that are not a plain chain, where a unit sees through several paths,
  the status says so and no box is drawn);
- the layer's feature maps as one mosaic with a shared colour scale (a colour bar), the chosen
  unit marked in each map;
- the model's top-5 predictions for that image.

The activations of every layer are computed once per image (one forward pass of a probe model
that outputs all of them), so switching layer, maps or unit only redraws.

>>> import helpers
>>> model = helpers.lenet5("modern")        # untrained here; the lessons pass a trained one
>>> x_test, y_test = np.random.default_rng(0).random((8, 32, 32, 1), dtype="float32"), np.arange(8)
>>> explorer = activation_explorer(model, x_test, y_test)
>>> explorer.set(layer="C1", image=7)
>>> explorer.status_text.split(";")[0]
'C1: 28×28×6, showing 6 of 6 maps'
>>> explorer.use_image(np.zeros((40, 60, 3), "uint8"))   # any (H, W) or (H, W, C) picture
>>> explorer.status_text.splitlines()[-1]
"your image: resized from 40×60 to the model's 32×32, grey, scaled to 0–1 (no preprocess given)."
"""

from __future__ import annotations

import html
import io
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from ..arith import receptive_field
from ..trace import _flat, chain_break
from ._base import Explorer

STRONGEST = 16


def _map_layers(model):
    """Layers of ``model`` whose output for one example is (H, W, C): the ones with feature maps."""
    found = []
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        try:
            shape = tuple(layer.output.shape[1:])
        except (AttributeError, ValueError):
            continue
        if len(shape) == 3:
            found.append(layer)
    return found


def _chain_window_layers(model, upto):
    """The convolution/pooling layers from the input to ``upto`` if the model is a plain chain, else None."""
    import keras

    if chain_break(model) is not None:
        return None
    windows = []
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            return None  # a nested model: its own layers would be needed
        if hasattr(layer, "kernel_size") or hasattr(layer, "pool_size"):
            windows.append(layer)
        if layer is upto:
            return windows
    return None


def _mosaic(maps: np.ndarray, columns: int) -> np.ndarray:
    """Tile (H, W, n) maps into one (rows·(H+1)−1, columns·(W+1)−1) image, NaN between tiles."""
    h, w, n = maps.shape
    rows = math.ceil(n / columns)
    out = np.full((rows * (h + 1) - 1, columns * (w + 1) - 1), np.nan, dtype=np.float32)
    for i in range(n):
        r, c = divmod(i, columns)
        out[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = maps[..., i]
    return out


def _decode_upload(value) -> tuple[str, bytes] | None:
    """(file name, bytes) of a ``FileUpload`` value under ipywidgets 7 (dict) or 8 (tuple of dicts)."""
    if not value:
        return None
    if isinstance(value, dict):  # ipywidgets 7: {name: {"content": bytes, "metadata": {...}}}
        name, item = next(iter(value.items()))
        return name, bytes(item["content"])
    item = value[0]
    return item.get("name", "upload"), bytes(item["content"])


class ActivationExplorer(Explorer):
    """See the module docstring; build with :func:`activation_explorer`."""

    def __init__(self, model, images, labels=None, class_names=None, preprocess=None):
        import keras

        if not isinstance(model, keras.Model):
            raise TypeError(f"model must be a Keras model; got {type(model).__name__}")
        shape = tuple(model.inputs[0].shape[1:]) if len(model.inputs) == 1 else ()
        if len(shape) != 3 or shape[-1] is None:
            raise ValueError(f"model: the explorer needs one image input (H, W, C) with known channels; "
                             f"{model.name!r} takes {shape or [tuple(t.shape[1:]) for t in model.inputs]}")
        images = np.asarray(images)
        if images.ndim == 3 and shape[-1] == 1:
            images = images[..., None]
        fits = (images.ndim == 4 and len(images) > 0 and images.shape[-1] == shape[-1]
                and all(want is None or want == got for want, got in zip(shape[:2], images.shape[1:3])))
        if not fits:
            want = f"(n, {shape[0] or 'H'}, {shape[1] or 'W'}, {shape[-1]})"
            raise ValueError(f"images must be an array of inputs as the model takes them, {want}, already "
                             f"preprocessed; got shape {np.shape(images)}")
        # a model built for any size (keras.Input((None, None, C))) is explored at the images' size
        self.input_shape = tuple(int(d) for d in images.shape[1:])
        if labels is not None:
            labels = np.asarray(labels).reshape(-1)
            if len(labels) != len(images):
                raise ValueError(f"labels must hold one label per image ({len(images)}); got {len(labels)}")
        self.layers = _map_layers(model)
        if not self.layers:
            raise ValueError(f"model: {model.name!r} has no layer with 2-D feature maps (output (H, W, C))")
        if preprocess is not None and not callable(preprocess):
            raise TypeError(f"preprocess must be a function from a (H, W, C) float array in [0, 1] to the "
                            f"model's input, or None; got {type(preprocess).__name__}")
        self.model, self.images, self.labels = model, images, labels
        self.class_names = class_names
        self.preprocess = preprocess
        self.probe = keras.Model(model.inputs[0], [layer.output for layer in self.layers] + _flat(model.outputs)[:1])
        self._cache: dict = {}
        self.uploaded: np.ndarray | None = None
        self.upload_note = ""
        names = [layer.name for layer in self.layers]
        # map sizes as computed for the first image (every image has the model's, or the images', size)
        self.map_shapes = {name: a.shape for name, a in self.activations(0)[1].items()}
        h, w, _ = self.map_shapes[names[0]]
        slider = dict(continuous_update=False, layout=widgets.Layout(width="260px"),
                      style={"description_width": "70px"})
        controls = {
            "image": widgets.IntSlider(0, min=0, max=len(images) - 1, description="image", **slider),
            "layer": widgets.Dropdown(options=names, value=names[0], description="layer",
                                      layout=widgets.Layout(width="260px"), style={"description_width": "70px"}),
            "maps": widgets.ToggleButtons(options=[f"strongest {STRONGEST}", "all"], value=f"strongest {STRONGEST}",
                                          description="maps", style={"button_width": "95px",
                                                                     "description_width": "70px"}),
            "row": widgets.IntSlider(h // 2, min=0, max=h - 1, description="unit row", **slider),
            "col": widgets.IntSlider(w // 2, min=0, max=w - 1, description="unit col", **slider),
        }
        self.upload = widgets.FileUpload(accept="image/*", multiple=False, description="your image")
        self.upload.observe(self._on_upload, names="value")
        super().__init__(controls, figsize=(11, 3.6))
        # the first draw placed the panels; freezing that layout makes each update much faster
        self.fig.set_layout_engine("none")
        self.widget.children = (widgets.HBox([self._control_box(), self.upload]),) + tuple(self.widget.children[1:])

    # --- a layer change moves the unit sliders' ranges to that layer's map size --------------------
    def _fit_unit_sliders(self, layer_name) -> None:
        h, w, _ = self.map_shapes[layer_name]
        for name, size in (("row", h), ("col", w)):
            slider = self.controls[name]
            slider.unobserve(self._on_change, names="value")
            if slider.value > size - 1:
                slider.value = size // 2
            slider.max = size - 1
            slider.observe(self._on_change, names="value")

    def _on_change(self, change=None):
        if change is not None and change.get("owner") is self.controls["layer"]:
            self._fit_unit_sliders(change["new"])
            for name in ("row", "col"):  # a new layer starts at its centre unit
                slider = self.controls[name]
                slider.unobserve(self._on_change, names="value")
                slider.value = slider.max // 2 + (slider.max % 2)
                slider.observe(self._on_change, names="value")
        self.refresh()

    def set(self, **values) -> None:
        """Set several controls at once and redraw once; a new ``layer`` first fits the unit sliders."""
        if "layer" in values and values["layer"] in self.controls["layer"].options:
            self._fit_unit_sliders(values["layer"])
        super().set(**values)

    # --- the learner's own picture ---------------------------------------------------------------
    def _on_upload(self, change):
        decoded = _decode_upload(change["new"])
        if decoded is None:
            return
        name, data = decoded
        try:
            from matplotlib.image import imread

            picture = imread(io.BytesIO(data))
        except Exception as err:  # noqa: BLE001 - any unreadable file becomes a message
            self.status.value = (f'<span style="color:#b00020">&#9888; could not read {html.escape(name)} as an '
                                 f'image: {html.escape(str(err))}</span>')
            return
        self.use_image(picture, name=name)

    def use_image(self, picture, name: str = "your image") -> None:
        """Show ``picture`` (an (H, W) or (H, W, 3|4) array, values 0–255 or 0–1) instead of the given images.

        It is converted to the model's channels, resized to the model's input size (a note says so),
        scaled to [0, 1] and passed through ``preprocess`` when one was given.
        """
        from PIL import Image

        x = np.asarray(picture)
        if x.ndim not in (2, 3) or (x.ndim == 3 and x.shape[-1] not in (1, 3, 4)) or min(x.shape[:2]) < 2:
            raise ValueError(f"picture must be an (H, W) or (H, W, 1|3|4) image; got shape {x.shape}")
        x = x.astype(np.float32)
        if x.max() > 1.0:
            x = x / 255.0
        if x.ndim == 3:
            x = x[..., :3] if x.shape[-1] >= 3 else x[..., 0]
        h, w, c = self.input_shape
        if c == 1 and x.ndim == 3:
            x = x @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        elif c == 3 and x.ndim == 2:
            x = np.repeat(x[..., None], 3, axis=-1)
        size = x.shape[:2]
        mode = "F" if x.ndim == 2 else None
        if x.ndim == 2:
            resized = np.asarray(Image.fromarray(x, mode=mode).resize((w, h), Image.BILINEAR))
        else:
            resized = np.stack([np.asarray(Image.fromarray(x[..., i], mode="F").resize((w, h), Image.BILINEAR))
                                for i in range(3)], axis=-1)
        resized = resized.reshape(self.input_shape).astype(np.float32)
        self.uploaded = self.preprocess(resized) if self.preprocess else resized
        self.upload_note = (f"{html.escape(name)}: resized from {size[0]}×{size[1]} to the model's {h}×{w}"
                            f"{', grey' if c == 1 else ''}, scaled to 0–1"
                            f"{' and preprocessed' if self.preprocess else ' (no preprocess given)'}.")
        self._cache.pop("uploaded", None)
        self.refresh()

    def show_dataset_image(self) -> None:
        """Go back from an uploaded picture to the images given."""
        self.uploaded, self.upload_note = None, ""
        self.refresh()

    # --- computation (cached per image) -------------------------------------------------------------
    def activations(self, image):
        key = "uploaded" if self.uploaded is not None else int(image)
        if key not in self._cache:
            x = self.uploaded if self.uploaded is not None else self.images[int(image)]
            outs = self.probe(np.asarray(x, dtype=np.float32)[None], training=False)
            outs = [np.asarray(o)[0] for o in outs]
            self._cache[key] = (np.asarray(x, dtype=np.float32), dict(zip([l.name for l in self.layers], outs)),
                                outs[-1])
        return self._cache[key]

    # --- figure -----------------------------------------------------------------------------------
    def build(self) -> None:
        grid = self.fig.add_gridspec(1, 3, width_ratios=(1, 2.2, 1))
        self.ax_in = self.fig.add_subplot(grid[0])
        self.ax_maps = self.fig.add_subplot(grid[1])
        self.ax_top = self.fig.add_subplot(grid[2])
        h, w, _ = self.input_shape
        self.in_image = self.ax_in.imshow(np.zeros((h, w)), cmap="gray", vmin=0, vmax=1)
        self.field = Rectangle((0, 0), 1, 1, fill=False, edgecolor="#d62728", linewidth=2)
        self.ax_in.add_patch(self.field)
        from matplotlib.ticker import MaxNLocator

        for axis in (self.ax_in.xaxis, self.ax_in.yaxis):
            axis.set_major_locator(MaxNLocator(4, integer=True))  # few labels: text is most of a redraw
        self.ax_in.set_xlabel("column (pixels)")
        self.ax_in.set_ylabel("row (pixels)")
        self.in_title = self.ax_in.set_title(" ", fontsize=9)
        self.maps_image = self.ax_maps.imshow(np.zeros((2, 2)), cmap="viridis")
        self.colorbar = self.fig.colorbar(self.maps_image, ax=self.ax_maps, fraction=0.04, pad=0.02)
        self.colorbar.set_label("activation")
        (self.unit_marks,) = self.ax_maps.plot([], [], "+", color="#d62728", markersize=6, markeredgewidth=1.2)
        self.ax_maps.set_xticks([])
        self.ax_maps.set_yticks([])
        self.maps_title = self.ax_maps.set_title(" ", fontsize=9)
        self.top_bars = self.ax_top.barh(range(5), [0] * 5, color="#3b7dd8")
        self.ax_top.set_xlim(0, 1)
        self.ax_top.invert_yaxis()
        self.ax_top.set_xlabel("probability")
        self.ax_top.set_title("top-5 predictions", fontsize=9)
        self.fig.suptitle(f"{self.model.name}: what each layer sees", fontsize=10)

    def update(self, image, layer, maps, row, col) -> str:
        x, acts, probs = self.activations(image)
        a = acts[layer]
        h, w, channels = a.shape
        if not (0 <= row < h and 0 <= col < w):
            raise ValueError(f"unit ({row}, {col}) is outside {layer}'s {h}×{w} maps")
        strength = a.reshape(-1, channels).mean(axis=0)
        order = np.argsort(-strength, kind="stable")
        chosen = order if maps == "all" else order[:STRONGEST]
        columns = max(1, math.ceil(math.sqrt(len(chosen) * 1.6)))
        mosaic = _mosaic(a[..., chosen], columns)
        lo, hi = float(min(0.0, np.nanmin(mosaic))), float(np.nanmax(mosaic))
        self.maps_image.set_data(mosaic)
        self.maps_image.set_extent((-0.5, mosaic.shape[1] - 0.5, mosaic.shape[0] - 0.5, -0.5))
        self.maps_image.set_clim(lo, hi if hi > lo else lo + 1)
        marks = [(divmod(i, columns)[1] * (w + 1) + col, divmod(i, columns)[0] * (h + 1) + row)
                 for i in range(len(chosen))]
        self.unit_marks.set_data([m[0] for m in marks], [m[1] for m in marks])
        self.maps_title.set_text(f"{layer}: {len(chosen)} of {channels} maps ({h}×{w}), "
                                 f"{'strongest first' if maps != 'all' else 'by mean activation'}")
        # input and receptive field
        shown = x[..., 0] if x.shape[-1] == 1 else x[..., :3]
        lo_in, hi_in = float(shown.min()), float(shown.max())
        self.in_image.set_data((shown - lo_in) / (hi_in - lo_in) if hi_in > lo_in else shown * 0)
        field_note = self._draw_field(self.model.get_layer(layer), row, col)
        source = "your image" if self.uploaded is not None else f"image {image}"
        label = "" if self.labels is None or self.uploaded is not None else f", label {self._name(self.labels[image])}"
        self.in_title.set_text(f"{source}{label}")
        # predictions
        probs = np.asarray(probs, dtype=np.float64).reshape(-1)
        softmaxed = not (np.all(probs >= 0) and abs(probs.sum() - 1) < 1e-3)
        if softmaxed:
            e = np.exp(probs - probs.max())
            probs = e / e.sum()
        top = np.argsort(-probs, kind="stable")[:5]
        for bar, k in zip(self.top_bars, range(5)):
            bar.set_width(probs[top[k]] if k < len(top) else 0)
        self.ax_top.set_yticks(range(len(top)), [self._name(k) for k in top], fontsize=8)
        status = (f"<b>{html.escape(layer)}</b>: {h}×{w}×{channels}, showing {len(chosen)} of {channels} maps; "
                  f"strongest map #{order[0]} "
                  f"(mean {strength[order[0]]:.3g}); unit ({row}, {col}) "
                  f"{field_note}<br>top-5: "
                  + ", ".join(f"{html.escape(self._name(k))} {probs[k]:.1%}" for k in top)
                  + (" (softmax applied to the model's outputs)" if softmaxed else ""))
        if self.upload_note:
            status += f"<br>{self.upload_note}"
        return status

    def _draw_field(self, layer, row, col) -> str:
        windows = _chain_window_layers(self.model, layer)
        h, w, _ = self.input_shape
        if windows is None:
            self.field.set_visible(False)
            return "(no receptive field drawn: this model is not a plain chain of layers)"
        if not windows:
            self.field.set_visible(True)
            self.field.set_bounds(col - 0.5, row - 0.5, 1, 1)
            return "sees 1×1 input pixel"
        rf_h = receptive_field(windows, input_size=h)[-1]
        rf_w = receptive_field(windows, input_size=w)[-1]
        top = rf_h.start + row * rf_h.jump - (rf_h.size - 1) / 2
        left = rf_w.start + col * rf_w.jump - (rf_w.size - 1) / 2
        self.field.set_visible(True)
        self.field.set_bounds(left - 0.5, top - 0.5, rf_w.size, rf_h.size)
        outside = top < 0 or left < 0 or top + rf_h.size > h or left + rf_w.size > w
        return (f"sees a {rf_h.size}×{rf_w.size} input patch (rows {top:g} to {top + rf_h.size - 1:g}, "
                f"columns {left:g} to {left + rf_w.size - 1:g}"
                f"{'; the part outside the image is padding' if outside else ''})")

    def _name(self, k) -> str:
        k = int(k)
        if self.class_names is not None and 0 <= k < len(self.class_names):
            return str(self.class_names[k])
        return str(k)


def activation_explorer(model, images, labels=None, class_names=None, preprocess=None) -> ActivationExplorer:
    """A live view of what each layer of ``model`` computes for an image; see the module docstring.

    ``images``: inputs exactly as the model takes them (n, H, W, C), e.g. a few test images;
    ``labels``: their classes (shown above the input); ``class_names``: names for the predictions;
    ``preprocess``: turns an uploaded picture (H, W, C floats in [0, 1]) into the model's input.
    """
    return ActivationExplorer(model, images, labels, class_names, preprocess)


__all__ = ["ActivationExplorer", "activation_explorer"]
