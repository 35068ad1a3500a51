"""Figures for lessons 03-04 (LeNet-5), written for *any* Keras CNN, not LeNet-5 only.

- :func:`network_diagram`: a drawn diagram of a sequential CNN (a box per layer, sized by its output).
- :func:`layer_table`: the layer table (output shape, parameters, multiply-adds) of any model.
- :func:`feature_maps`: every convolution/pooling layer's maps for one input.
- :func:`conv_filters`: the kernels of a convolution layer.
- :func:`accuracy_under_transforms`: accuracy against the size of a shift, zoom, ... of the test images.
- :func:`rbf_prototypes`: the fixed centres of LeNet-5's RBF output layer, drawn as bitmaps.
- :func:`learning_curves`, :func:`confusion_matrix`, :func:`misclassified`, :func:`per_class_accuracy`:
  evaluation figures.

Every function returns a matplotlib ``Figure`` (object API, no pyplot state), small enough to store.

>>> import keras
>>> mine = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3), keras.layers.MaxPooling2D(2)])
>>> fig = network_diagram(mine)
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.ticker import MaxNLocator

from .._checks import (check_array, check_cmap, check_layer, check_model, check_names, check_text, class_labels,
                       positive_int)

DPI = 72
#: the most columns of panels one figure holds (feature maps per layer, images per row): wider is unreadable
MAX_COLUMNS = 32
_MARKERS = ("o", "s", "^", "D", "v", "P")  # one per run or model, so that lines differ by more than colour
_HATCHES = ("", "//", "..", "xx", "\\\\", "oo")  # bars of different models differ by more than colour
_KIND_COLORS = {"conv": "#4c72b0", "pool": "#55a868", "dense": "#c44e52", "other": "#8c8c8c", "input": "#dddddd"}


def _kind(layer) -> str:
    name = type(layer).__name__
    if "Conv" in name:
        return "conv"
    if "Pool" in name or "Subsampling" in name:
        return "pool"
    if name in ("Dense", "EuclideanRBF"):
        return "dense"
    return "other"


def _layers(model):
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _out_shape(layer):
    return tuple(layer.output.shape[1:])


def _require_chain(model, what: str) -> None:
    """Raise ValueError naming the first layer where ``model`` is not a plain chain (a branch, a merge,
    a shared layer): ``what`` draws layers in a row, which would misrepresent such a model."""
    from ..trace import chain_break

    layer = chain_break(model)
    if layer is not None:
        raise ValueError(f"model: {what} draws a chain of layers, and {model.name!r} is not one: layer "
                         f"{layer.name!r} ({type(layer).__name__}) does not read only the layer before it "
                         f"(a branch, a merge or a shared layer). helpers.shape_trace(model) lists every "
                         f"layer of any model, with the layers each one reads")

def network_diagram(model, title=None, fig=None):
    """A drawn diagram of a sequential CNN: one box per layer, its height growing with the spatial size,
    its depth with the number of maps (a stack of offset sheets), labelled with name, type and shape.

    Works for any chain of layers (``keras.Sequential`` or a chain-shaped functional model); a model
    with branches or merges gets a ValueError naming the layer where it branches (a row of boxes
    would misdraw it). Layers that only reshape (Flatten) are drawn as a thin bar.
    """
    check_model("model", model)
    check_text("title", title)
    _require_chain(model, "network_diagram")
    layers = _layers(model)
    shapes = [tuple(model.input_shape[1:])] + [_out_shape(layer) for layer in layers]
    names = ["input"] + [layer.name for layer in layers]
    kinds = ["input"] + [_kind(layer) for layer in layers]
    types = [""] + [type(layer).__name__ for layer in layers]
    n = len(shapes)
    fig = fig or Figure(figsize=(min(1.35 * n, 13), 3.0), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    biggest = max(s[0] for s in shapes if len(s) == 3) if any(len(s) == 3 for s in shapes) else 1
    for i, (shape, name, kind, typ) in enumerate(zip(shapes, names, kinds, types)):
        x0 = i * 1.6
        if len(shape) == 3:
            h = 0.4 + 1.6 * np.sqrt(shape[0] / biggest)
            sheets = int(min(6, 1 + np.log2(max(shape[-1], 1))))
        else:
            h = 0.25 + 1.75 * min(1.0, np.log10(max(shape[-1], 1)) / 3.5)
            sheets = 1
        w = 0.28 if len(shape) != 3 else 0.7
        for s in range(sheets - 1, -1, -1):
            ax.add_patch(Rectangle((x0 + 0.06 * s, -h / 2 + 0.06 * s), w, h, facecolor=_KIND_COLORS[kind],
                                   edgecolor="black", linewidth=0.6, alpha=0.9))
        ax.text(x0 + w / 2, -1.25, name, ha="center", va="top", fontsize=9, weight="bold")
        ax.text(x0 + w / 2, -1.5, "×".join(map(str, shape)), ha="center", va="top", fontsize=8)
        if typ:
            ax.text(x0 + w / 2, 1.35, typ.replace("TrainableSubsampling", "Subsampling")[:14], ha="center",
                    va="bottom", fontsize=7, color="#444444")
        if i < n - 1:
            ax.add_patch(FancyArrowPatch((x0 + w + 0.45, 0), (x0 + 1.55, 0), arrowstyle="-|>",
                                         mutation_scale=10, color="#555555"))
    ax.set_xlim(-0.3, (n - 1) * 1.6 + 1.2)
    ax.set_ylim(-1.85, 1.7)
    ax.set_axis_off()
    ax.set_title(title or model.name, fontsize=10)
    return fig


def layer_table(model, input_shape=None):
    """The model's layer table (a :class:`helpers.trace.ShapeTrace`; shows as Markdown in a notebook)."""
    from ..trace import shape_trace

    check_model("model", model)
    return shape_trace(model, model.input_shape[1:] if input_shape is None else input_shape)


def _activations(model, x, layers):
    import keras

    probe = keras.Model(model.inputs[0] if len(model.inputs) == 1 else model.inputs, [layer.output for layer in layers])
    out = probe(np.asarray(x, dtype="float32")[None] if np.ndim(x) == len(model.input_shape) - 1 else x)
    return [np.asarray(o)[0] for o in (out if isinstance(out, (list, tuple)) else [out])]


def feature_maps(model, x, max_maps: int = 8, layers=None, cmap="gray", title=None):
    """The input and, for each 4-D layer output (convolution, pooling), its first ``max_maps`` maps.

    ``x``: one input as the model takes it, shape ``model.input_shape[1:]`` (already preprocessed).
    ``layers``: names of layers to show (default: every layer with a 4-D output). The maps of one layer
    share one colour scale, shown by the colour bar at the end of its row. ``title``: the figure's
    title (default: the model's name). At most :data:`MAX_COLUMNS` maps per row.
    """
    check_model("model", model)
    if not isinstance(model.input_shape, tuple) or len(model.input_shape) != 4:
        raise ValueError(f"model: feature_maps draws the feature maps of a model with one image input (height, "
                         f"width, channels); {model.name!r} takes {model.input_shape}")
    expected = tuple(model.input_shape[1:])
    x = check_array("x", x)
    shape = x.shape[1:] if x.ndim == len(expected) + 1 and len(x) == 1 else x.shape
    if len(shape) != len(expected) or any(e is not None and e != d for e, d in zip(expected, shape)):
        raise ValueError(f"x must be one input as {model.name!r} takes it, shape {expected}; got shape {x.shape}")
    max_maps = positive_int("max_maps", max_maps)
    if max_maps > MAX_COLUMNS:
        raise ValueError(f"max_maps must be at most {MAX_COLUMNS} (the columns of one figure); got {max_maps}")
    names = [layer.name for layer in _layers(model)]
    if layers is not None:
        if isinstance(layers, (str, bytes)) or not isinstance(layers, (list, tuple)):
            raise TypeError(f"layers must be None or a list of layer names; got {layers!r}")
        unknown = [n for n in layers if not isinstance(n, str) or n not in names]
        if unknown:
            raise ValueError(f"layers names no layer of {model.name!r}: {unknown!r}; its layers are {names}")
    check_cmap("cmap", cmap)
    check_text("title", title)
    chosen = [layer for layer in _layers(model)
              if (layers is None and len(_out_shape(layer)) == 3) or (layers is not None and layer.name in layers)]
    if not chosen:
        raise ValueError("the model has no layer with 2-D feature maps to show; valid: layers with (H, W, C) outputs")
    acts = _activations(model, x, chosen)
    cols = max_maps
    fig = Figure(figsize=(1.05 * (cols + 1), 1.1 * len(chosen) + 0.2), dpi=DPI, layout="constrained")
    grid = fig.subplots(len(chosen), cols + 1, squeeze=False)
    for r, (layer, a) in enumerate(zip(chosen, acts)):
        ax0 = grid[r][0]
        if r == 0:
            ax0.imshow(x.reshape(shape)[..., 0], cmap=cmap)
            ax0.set_title("input", fontsize=8)
        ax0.text(-0.15, 0.5, f"{layer.name}\n{'×'.join(map(str, a.shape))}", transform=ax0.transAxes,
                 ha="right", va="center", fontsize=8)
        shown = a[..., :cols] if a.ndim == 3 else a
        lo, hi = float(np.min(shown)), float(np.max(shown))
        image = None
        for c in range(cols):
            ax = grid[r][c + 1]
            if a.ndim == 3 and c < a.shape[-1]:
                image = ax.imshow(a[..., c], cmap=cmap, vmin=lo, vmax=hi if hi > lo else lo + 1e-6)
                if r == 0:
                    ax.set_title(f"map {c}", fontsize=8)
            else:
                ax.set_axis_off()  # the layer has fewer maps than columns
            ax.set_xticks([])
            ax.set_yticks([])
        if image is not None:
            bar = fig.colorbar(image, ax=grid[r][-1], fraction=0.25, pad=0.05)
            bar.ax.tick_params(labelsize=7)
        ax0.set_xticks([])
        ax0.set_yticks([])
        if r:
            ax0.set_axis_off()
    fig.suptitle(title or f"{model.name}: feature maps (rows: layers; each row on one colour scale)", fontsize=9)
    return fig


def accuracy_under_transforms(panels: dict, title="accuracy of moved test images"):
    """One panel per transform: accuracy against the transform's amount, one line per subset of images.

    ``panels``: x-axis label -> ``(amounts, {subset name: accuracies})``, e.g.
    ``{"shift right (pixels)": ([0, 1, 2], {"all digits": [0.9, 0.87, 0.82]})}``. Lines differ in
    style and marker as well as colour.

    >>> fig = accuracy_under_transforms({"zoom factor": ([0.8, 1.0], {"all": [0.7, 0.9]})})
    """
    if not isinstance(panels, dict) or not panels:
        raise ValueError(f"panels must be a non-empty dict: x-axis label -> (amounts, {{name: accuracies}}); "
                         f"got {panels!r}")
    styles = [("-", "o"), ("--", "s"), (":", "^"), ("-.", "D")]
    fig = Figure(figsize=(4.0 * len(panels), 2.9), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, len(panels), squeeze=False)[0]
    for ax, (label, (amounts, lines)) in zip(axes, panels.items()):
        for i, (name, acc) in enumerate(lines.items()):
            if len(acc) != len(amounts):
                raise ValueError(f"{name!r} in panel {label!r} has {len(acc)} accuracies for "
                                 f"{len(amounts)} amounts; give one per amount")
            ls, marker = styles[i % len(styles)]
            ax.plot(amounts, acc, ls, marker=marker, ms=4, color=f"C{i}", label=name)
        ax.set_xlabel(label)
        ax.set_ylabel("test accuracy")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=9)
    return fig


def rbf_prototypes(prototypes, shape=(12, 7), title="LeNet-5 RBF prototypes (this series' 7×12 drawings)"):
    """The centres of an RBF output layer as images: one panel per class, ``+1`` dark, ``-1`` light.

    ``prototypes``: an (inputs, classes) array, e.g. :func:`helpers.lenet_model.digit_prototypes`
    (84 × 10), each column a ``shape`` (rows, columns) bitmap in row-major order.

    >>> from helpers.lenet_model import digit_prototypes
    >>> fig = rbf_prototypes(digit_prototypes())
    """
    p = np.asarray(prototypes, dtype=float)
    if p.ndim != 2 or p.shape[0] != shape[0] * shape[1]:
        raise ValueError(f"prototypes must be an (inputs, classes) array with inputs = {shape[0]}×{shape[1]} "
                         f"= {shape[0] * shape[1]}; got shape {p.shape}")
    n = p.shape[1]
    fig = Figure(figsize=(0.75 * n + 1.0, 1.9), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, n, squeeze=False)[0]
    image = None
    for i, ax in enumerate(axes):
        image = ax.imshow(p[:, i].reshape(shape), cmap="gray_r", vmin=-1, vmax=1)
        ax.set_title(f"class {i}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0].set_ylabel(f"{shape[0]} rows", fontsize=8)
    axes[0].set_xlabel(f"{shape[1]} columns", fontsize=8)
    bar = fig.colorbar(image, ax=list(axes), ticks=[-1, 1], fraction=0.03, pad=0.02)
    bar.ax.tick_params(labelsize=7)
    bar.set_label("centre value", fontsize=8)
    fig.suptitle(title, fontsize=9)
    return fig


def conv_filters(model_or_layer, layer=None, channel: int = 0, cmap="RdBu_r"):
    """The kernels of a convolution layer (one panel per filter, input ``channel``), blue < 0 < red.

    ``model_or_layer``: a Conv2D layer, or a model and ``layer``, the name of one of its Conv2D layers.
    """
    check_layer("model_or_layer", model_or_layer)
    check_cmap("cmap", cmap)
    if layer is not None:
        if not isinstance(layer, str):
            raise TypeError(f"layer must be None or the name of a layer (a str); got {layer!r}")
        names = [lay.name for lay in getattr(model_or_layer, "layers", [])]
        if layer not in names:
            raise ValueError(f"layer must name a layer of {model_or_layer.name!r}; got {layer!r}, valid: {names}")
        target = model_or_layer.get_layer(layer)
        what = "layer"
    else:
        target, what = model_or_layer, "model_or_layer"
    kernel = getattr(target, "kernel", None)
    if kernel is None or len(kernel.shape) != 4 or kernel.shape[-1] > 256:
        raise ValueError(f"{what} {target.name!r} ({type(target).__name__}) has no 2-D convolution kernel (of at "
                         f"most 256 filters) to draw; pass a Conv2D layer (or a model and layer=<the name of one>)")
    if isinstance(channel, bool) or not isinstance(channel, (int, np.integer)) or not 0 <= channel < kernel.shape[2]:
        raise ValueError(f"channel must be an input channel of {target.name!r}, 0 to {kernel.shape[2] - 1}; "
                         f"got {channel!r}")
    k = np.asarray(kernel)[:, :, channel, :]
    n = k.shape[-1]
    fig = Figure(figsize=(1.0 * n + 1.0, 1.4), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, n, squeeze=False)[0]
    lim = float(np.abs(k).max()) or 1.0
    for i, ax in enumerate(axes):
        image = ax.imshow(k[..., i], cmap=cmap, vmin=-lim, vmax=lim)
        ax.set_title(f"{i}", fontsize=8)
        ax.set_axis_off()
    fig.colorbar(image, ax=list(axes), shrink=0.8).set_label("weight", fontsize=7)
    owner = f"{model_or_layer.name} · " if layer is not None else ""
    fig.suptitle(f"{owner}{target.name}: {k.shape[0]}×{k.shape[1]} kernels", fontsize=9)
    return fig


def learning_curves(runs: dict, metrics=("loss", "accuracy"), title=None, val_label: str = "test"):
    """Training (dashed) and held-out (solid) curves per epoch for each run.

    ``runs``: name -> a :class:`helpers.train.TrainResult`, a Keras ``History`` or a history dict.
    ``val_label`` names the data behind the ``val_*`` curves in the legend (``"test"`` when the test set was
    passed to :func:`helpers.train.fit`, ``"validation"`` for a split held out from the training set).
    Runs differ in colour *and* marker; each panel is titled ``title`` (default ``"learning curves"``) and
    its metric.

    >>> fig = learning_curves({"run": {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]}}, metrics=("loss",))
    >>> fig.axes[0].get_title()
    'learning curves: loss'
    """
    if not isinstance(runs, dict):
        raise TypeError(f"runs must be a dict: name -> TrainResult, Keras History or history dict; got {runs!r}")
    if isinstance(metrics, (str, bytes)) or not isinstance(metrics, (list, tuple)) or not metrics or not all(
            isinstance(m, str) for m in metrics) or len(metrics) > 8:
        raise TypeError(f"metrics must be a list of 1 to 8 metric names, e.g. ('loss', 'accuracy'); got {metrics!r}")
    check_text("title", title)
    check_text("val_label", val_label, optional=False)
    histories = {}
    for name, run in runs.items():
        hist = run.history if hasattr(run, "history") else run
        if not isinstance(hist, dict) or not all(isinstance(v, (list, tuple, np.ndarray)) for v in hist.values()):
            raise TypeError(f"runs[{name!r}] must be a TrainResult, a Keras History or a dict metric -> values per "
                            f"epoch; got {type(run).__name__}")
        for key, values in hist.items():
            if key in metrics or key.removeprefix("val_") in metrics:
                check_array(f"runs[{name!r}][{key!r}]", values, ndim=1)
        histories[name] = hist
    fig = Figure(figsize=(4.2 * len(metrics), 2.9), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, len(metrics), squeeze=False)[0]
    for i, (name, hist) in enumerate(histories.items()):
        color, marker = f"C{i}", _MARKERS[i % len(_MARKERS)]
        for ax, metric in zip(axes, metrics):
            for key, style in ((metric, "--"), (f"val_{metric}", "-")):
                if key in hist:
                    ep = np.arange(1, len(hist[key]) + 1)
                    ax.plot(ep, hist[key], style, color=color, marker=marker, ms=4,
                            label=f"{name} ({val_label if key.startswith('val_') else 'train'})")
    for ax, metric in zip(axes, metrics):
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(metric)
        ax.set_title(f"{title or 'learning curves'}: {metric}", fontsize=9)
        ax.grid(alpha=0.3)
    axes[-1].legend(fontsize=7)
    return fig


def confusion_counts(y_true, y_pred, n_classes=None) -> np.ndarray:
    """Counts[i, j] = number of examples of class i predicted as j.

    Labels must be whole numbers from 0 to ``n_classes - 1`` (default: the largest label + 1);
    a negative, fractional or too-large label is a ``ValueError``, not a wrapped index.

    >>> confusion_counts([0, 1, 1], [0, 1, 0])
    array([[1, 0],
           [1, 1]])
    """
    from .._checks import check_size, positive_int

    y_true, y_pred = class_labels("y_true", y_true), class_labels("y_pred", y_pred)
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true and y_pred must have the same length; got {len(y_true)} and {len(y_pred)}")
    largest = int(max(y_true.max(initial=0), y_pred.max(initial=0)))
    if n_classes is None:
        n = largest + 1
    else:
        n = positive_int("n_classes", n_classes)
        for name, a in (("y_true", y_true), ("y_pred", y_pred)):
            if a.size and a.max() >= n:
                raise ValueError(f"{name} holds label {int(a.max())}, but n_classes={n} allows 0 to {n - 1}")
    check_size("n_classes" if n_classes is not None else "y_true", "the confusion matrix", n * n * 8)
    counts = np.zeros((n, n), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def _slanted(labels) -> dict:
    """Tick-label options that tilt long class names (CIFAR-10's) so that neighbours do not overlap."""
    if max((len(str(l)) for l in labels), default=0) <= 3:
        return {}
    return dict(rotation=35, ha="right", rotation_mode="anchor")


def confusion_matrix(y_true, y_pred, n_classes=None, title="", class_names=None):
    """The confusion matrix as a figure: every non-zero count written in its cell, colour on a log scale
    (with its colour bar), rows the true class, columns the prediction.

    The figure grows with the number of classes (about 0.42 inch per class, 7.3 × 6.3 inches for ten at
    72 dpi) so that four-digit counts and class names stay legible on a projector.
    """
    from matplotlib.colors import FuncNorm

    counts = confusion_counts(y_true, y_pred, n_classes)
    n = len(counts)
    if class_names is not None and (isinstance(class_names, str) or not isinstance(class_names, (list, tuple))
                                    or len(class_names) != n):
        raise ValueError(f"class_names must be a list of {n} names (one per class); got {class_names!r}")
    fig = Figure(figsize=(0.42 * n + 3.1, 0.42 * n + 2.1), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    norm = FuncNorm((np.log1p, np.expm1), vmin=0, vmax=max(1, int(counts.max())))
    image = ax.imshow(counts, cmap="Blues", norm=norm)
    dark = norm(counts) > 0.6
    for i in range(n):
        for j in range(n):
            if counts[i, j]:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=10,
                        color="white" if dark[i, j] else "black")
    labels = class_names or [str(i) for i in range(n)]
    ax.set_xticks(range(n), labels, fontsize=10, **_slanted(labels))
    ax.set_yticks(range(n), labels, fontsize=10)
    ax.set_xlabel("predicted class", fontsize=11)
    ax.set_ylabel("true class", fontsize=11)
    ax.set_title(title, fontsize=12)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_ticks([0] + [10**k for k in range(len(str(int(norm.vmax)))) if 10**k <= norm.vmax])
    bar.set_label("count (log scale)", fontsize=10)
    return fig


def misclassified(images, y_true, y_pred, probabilities=None, n: int = 16, cols: int = 8, class_names=None,
                  title=None):
    """A gallery of the first ``n`` misclassified images, each titled 'true→predicted confidence', the
    figure titled ``title`` (default: how many of how many images are shown). ``class_names``: a name
    per label; ``probabilities``: ``(images, classes)``, as :func:`helpers.train.predict` returns."""
    images = check_array("images", images, ndim=(3, 4))
    y_true = class_labels("y_true", y_true)
    y_pred = class_labels("y_pred", y_pred)
    if not len(images) == len(y_true) == len(y_pred):
        raise ValueError(f"images, y_true and y_pred must have one entry per image; got {len(images)}, "
                         f"{len(y_true)} and {len(y_pred)}")
    if probabilities is not None:
        probabilities = check_array("probabilities", probabilities, ndim=2, kinds="f")
        if len(probabilities) != len(images) or (len(y_pred) and probabilities.shape[1] <= y_pred.max()):
            raise ValueError(f"probabilities must be (images, classes) = ({len(images)}, > {y_pred.max(initial=0)}) "
                             f"for these predictions; got shape {probabilities.shape}")
    n = positive_int("n", n)
    cols = positive_int("cols", cols)
    if cols > MAX_COLUMNS:
        raise ValueError(f"cols must be at most {MAX_COLUMNS} (the columns of one figure); got {cols}")
    if class_names is not None:
        class_names = check_names("class_names", class_names, 1 + int(max(y_true.max(initial=0), y_pred.max(initial=0))))
    check_text("title", title)
    wrong = np.flatnonzero(y_true != y_pred)[:n]
    rows = max(1, int(np.ceil(len(wrong) / cols)))
    name = (lambda c: class_names[c]) if class_names else str
    conf = [f" {probabilities[i, y_pred[i]]:.0%}" if probabilities is not None else "" for i in wrong]
    titles = [f"{name(int(y_true[i]))}→{name(int(y_pred[i]))}{c}" for i, c in zip(wrong, conf)]
    # a title wider than its 1.05-inch cell (about 15 characters at 8 points) overlaps its neighbours:
    # such titles are set on two lines, "true" above "→predicted confidence", and the rows made taller
    wrap = any(len(t) > 15 for t in titles)
    if wrap:
        titles = [f"{name(int(y_true[i]))}\n→{name(int(y_pred[i]))}{c}" for i, c in zip(wrong, conf)]
    fig = Figure(figsize=(1.05 * cols, (1.45 if wrap else 1.25) * rows), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes:
        ax.set_axis_off()
    for ax, i, text in zip(axes, wrong, titles):
        img = np.asarray(images[i])
        ax.imshow(img.squeeze(), cmap="gray_r" if img.ndim == 2 or img.shape[-1] == 1 else None)
        ax.set_title(text, fontsize=8, color="#c44e52")
    if not len(wrong):
        axes[0].text(0.5, 0.5, "no mistakes", ha="center", transform=axes[0].transAxes)
    n_wrong = int(np.sum(y_true != y_pred))
    label = "true→predicted" + (" (confidence)" if probabilities is not None else "")
    fig.suptitle(f"{title or 'misclassified'}: the first {len(wrong)} of {n_wrong:,} mistakes, {label}", fontsize=9)
    return fig


def per_class_accuracy(y_true, predictions: dict, class_names=None, title=None):
    """Grouped bars: accuracy of each class for each model (``predictions``: name -> predicted labels);
    models differ in colour and hatching. ``class_names``: a name per label (``class_names[c]`` for class ``c``)."""
    y_true = class_labels("y_true", y_true)
    if not len(y_true):
        raise ValueError("y_true must hold at least one label; got none")
    if not isinstance(predictions, dict) or not predictions:
        raise TypeError(f"predictions must be a non-empty dict: model name -> predicted labels; got {predictions!r}")
    predictions = {name: class_labels(f"predictions[{name!r}]", pred) for name, pred in predictions.items()}
    for name, pred in predictions.items():
        if len(pred) != len(y_true):
            raise ValueError(f"predictions[{name!r}] must hold one label per example of y_true ({len(y_true)}); "
                             f"got {len(pred)}")
    if class_names is not None:
        class_names = check_names("class_names", class_names, 1 + int(y_true.max()))
    check_text("title", title)
    classes = np.unique(y_true)
    fig = Figure(figsize=(7.0, 2.6), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    width = 0.8 / max(1, len(predictions))
    lowest = 1.0
    for i, (name, pred) in enumerate(predictions.items()):
        acc = np.array([np.mean(pred[y_true == c] == c) for c in classes])
        lowest = min(lowest, float(acc.min()))
        ax.bar(classes + (i - (len(predictions) - 1) / 2) * width, acc, width, label=name, color=f"C{i}",
               hatch=_HATCHES[i % len(_HATCHES)], edgecolor="white", linewidth=0)
    names = [class_names[c] for c in classes] if class_names else [str(c) for c in classes]
    ax.set_xticks(classes, names, **_slanted(names))
    ax.set_ylim(max(0.0, lowest - 0.02), 1.0)
    ax.set_xlabel("true class")
    ax.set_ylabel("accuracy")
    ax.set_title(title or "accuracy per class", fontsize=9)
    ax.legend(fontsize=7, ncol=len(predictions))
    ax.grid(axis="y", alpha=0.3)
    return fig


__all__ = ["accuracy_under_transforms", "confusion_counts", "confusion_matrix", "conv_filters", "feature_maps", "layer_table",
           "learning_curves", "misclassified", "network_diagram", "per_class_accuracy", "rbf_prototypes"]
