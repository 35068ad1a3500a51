"""Shape traces: what each layer of a CNN does to the shape, the parameters and the arithmetic.

:func:`shape_trace` walks a chain of Keras layers (a ``Sequential`` model, a functional model whose
layers form a chain, or a plain list of layers) for a given input shape and reports, per layer, the
output shape, trainable parameters, multiply-adds and activation memory. Spatial sizes of
convolution and pooling layers come from :func:`helpers.output_size`, so when a layer would produce a
zero or negative size the trace stops there and says which layer and why, without building the
broken model (Keras itself would raise halfway through construction).

It works on any Keras CNN, the learner's own included:

>>> import keras                                                    # doctest: +SKIP
>>> t = shape_trace([keras.layers.Conv2D(6, 5), keras.layers.MaxPooling2D(2)], (28, 28, 1))  # doctest: +SKIP
>>> [row.output_shape for row in t.rows]                            # doctest: +SKIP
[(24, 24, 6), (12, 12, 6)]
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .arith import effective_kernel, padding_pair

BYTES_PER_VALUE = 4  # float32 activations


class TraceRow(NamedTuple):
    """One layer of a :class:`ShapeTrace`."""

    name: str
    kind: str
    output_shape: tuple
    params: int
    multiply_adds: int
    activation_bytes: int
    windowed: bool = False  # a convolution or pooling layer (slides a window)


class ShapeTrace:
    """The result of :func:`shape_trace`: ``rows``, totals, and ``failure`` (None if it fits)."""

    def __init__(self, input_shape, rows, failure=None, failed_layer=None, failed_size=None):
        self.input_shape = tuple(input_shape)
        self.rows: list[TraceRow] = rows
        self.failure: str | None = failure
        self.failed_layer: str | None = failed_layer
        self.failed_size: int | None = failed_size

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def total_params(self) -> int:
        return sum(r.params for r in self.rows)

    @property
    def total_multiply_adds(self) -> int:
        return sum(r.multiply_adds for r in self.rows)

    @property
    def spatial_sizes(self) -> list[int]:
        """Height of the input and after each convolution or pooling layer, ending with the failed size.

        For the source's AlexNet on CIFAR-10 this is ``[32, 6, 2, 2, 0]``.
        """
        sizes = [self.input_shape[0]] + [r.output_shape[0] for r in self.rows if r.windowed]
        if self.failed_size is not None:
            sizes.append(self.failed_size)
        return sizes

    def table(self) -> list[dict]:
        return [r._asdict() for r in self.rows]

    def to_markdown(self) -> str:
        lines = ["| layer | type | output shape | params | multiply-adds | activations (KiB) |",
                 "|---|---|---|---:|---:|---:|",
                 f"| input | | {_fmt_shape(self.input_shape)} | | | {_kib(self.input_shape)} |"]
        for r in self.rows:
            lines.append(f"| {r.name} | {r.kind} | {_fmt_shape(r.output_shape)} | {r.params:,} | "
                         f"{r.multiply_adds:,} | {r.activation_bytes / 1024:,.1f} |")
        lines.append(f"| **total** | | | **{self.total_params:,}** | **{self.total_multiply_adds:,}** | |")
        if self.failure:
            lines.append(f"\n**Cannot build:** {self.failure}")
        return "\n".join(lines)

    def __str__(self) -> str:
        head = f"{'layer':<22}{'type':<22}{'output shape':<18}{'params':>12}{'mult-adds':>15}{'act KiB':>10}"
        out = [head, "-" * len(head), f"{'input':<22}{'':<22}{_fmt_shape(self.input_shape):<18}"]
        for r in self.rows:
            out.append(f"{r.name[:21]:<22}{r.kind[:21]:<22}{_fmt_shape(r.output_shape):<18}{r.params:>12,}"
                       f"{r.multiply_adds:>15,}{r.activation_bytes / 1024:>10,.1f}")
        out.append(f"{'total':<62}{self.total_params:>12,}{self.total_multiply_adds:>15,}")
        if self.failure:
            out.append(f"CANNOT BUILD: {self.failure}")
        return "\n".join(out)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return str(self)


def _fmt_shape(shape) -> str:
    return "×".join(str(s) for s in shape)


def _kib(shape) -> str:
    return f"{math.prod(shape) * BYTES_PER_VALUE / 1024:,.1f}"


def _first(v):
    return v[0] if isinstance(v, (tuple, list)) else v


def _spatial(layer, in_shape):
    """(out_h, out_w) of a conv/pool layer, or raise ValueError saying why it does not fit.

    Returns None for layers that are not spatial windows.
    """
    kernel = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    if kernel is None or len(in_shape) != 3:
        return None
    strides = getattr(layer, "strides", None) or kernel
    dilation = getattr(layer, "dilation_rate", (1, 1))
    padding = getattr(layer, "padding", "valid")
    out = []
    for axis in range(2):
        k, s = _pair(kernel)[axis], _pair(strides)[axis]
        d = _pair(dilation)[axis]
        n = in_shape[axis]
        before, after = padding_pair(padding, n, k, s, d)
        span = effective_kernel(k, d)
        size = (n + before + after - span) // s + 1
        if size <= 0:
            raise _DoesNotFit(size, f"{'height' if axis == 0 else 'width'} {n} with padding {padding!r}: "
                                    f"window {span} does not fit "
                                    f"(floor(({n} + {before} + {after} - {span}) / {s}) + 1 = {size})")
        out.append(size)
    return tuple(out)


def _pair(v):
    return tuple(v) if isinstance(v, (tuple, list)) else (v, v)


class _DoesNotFit(ValueError):
    def __init__(self, size, message):
        super().__init__(message)
        self.size = size


def _params(layer, in_shape) -> int:
    """Trainable parameters of ``layer`` for this input shape (built on a fresh copy if needed)."""
    if layer.built:
        try:
            built_in = tuple(layer.input.shape[1:]) if hasattr(layer, "_inbound_nodes") and layer._inbound_nodes else None
        except (AttributeError, ValueError):
            built_in = None
        if built_in is None or tuple(built_in) == tuple(in_shape):
            return int(sum(math.prod(w.shape) for w in layer.trainable_weights))
    known = _known_params(layer, in_shape)
    if known is not None:
        return known
    clone = layer.__class__.from_config(layer.get_config())
    clone.build((None, *in_shape))
    return int(sum(math.prod(w.shape) for w in clone.trainable_weights))


#: Keras layers that own no weights, whatever their input (no need to build a copy to count)
_WEIGHTLESS = {"MaxPooling2D", "AveragePooling2D", "MaxPooling1D", "AveragePooling1D", "GlobalMaxPooling2D",
               "GlobalAveragePooling2D", "Flatten", "Dropout", "SpatialDropout2D", "Activation", "ReLU",
               "LeakyReLU", "Softmax", "Reshape", "ZeroPadding2D", "Cropping2D", "Rescaling", "Identity"}


def _known_params(layer, in_shape):
    """Parameter count of an unbuilt standard layer from its config alone, or None if unknown.

    Building a copy would allocate the weights (150 MB for AlexNet's fc6), so the common layers
    are counted from their configuration; others are built on a fresh copy.
    """
    name = type(layer).__name__
    if name in _WEIGHTLESS:
        return 0
    if name == "Conv2D" and layer.trainable:
        kh, kw = _pair(layer.kernel_size)
        groups = getattr(layer, "groups", 1) or 1
        return kh * kw * (in_shape[-1] // groups) * layer.filters + (layer.filters if layer.use_bias else 0)
    if name == "Dense" and layer.trainable:
        return in_shape[-1] * layer.units + (layer.units if layer.use_bias else 0)
    return None


def _multiply_adds(layer, in_shape, out_shape) -> int:
    hook = getattr(layer, "multiply_adds", None)
    if callable(hook):
        return int(hook(in_shape))
    name = type(layer).__name__
    if "Conv" in name and hasattr(layer, "kernel_size") and hasattr(layer, "filters"):
        groups = getattr(layer, "groups", 1) or 1
        kh, kw = _pair(layer.kernel_size)
        return int(math.prod(out_shape) * kh * kw * in_shape[-1] // groups)
    if name == "Dense":
        return int(math.prod(out_shape[:-1] or (1,)) * in_shape[-1] * out_shape[-1])
    return 0


def _output_shape(layer, shape) -> tuple:
    """Keras' output shape for one example of ``shape``; custom layers without
    ``compute_output_shape`` are run symbolically (no data) instead."""
    try:
        out = layer.compute_output_shape((None, *shape))
    except NotImplementedError:
        import keras

        out = layer.compute_output_spec(keras.KerasTensor((None, *shape))).shape
    return tuple(int(s) for s in out[1:])


def _chain(model_or_layers):
    import keras

    layers = getattr(model_or_layers, "layers", model_or_layers)
    if isinstance(layers, (str, bytes, dict)) or not isinstance(layers, (list, tuple)):
        raise TypeError(f"model_or_layers must be a Keras model or a list of Keras layers; got {model_or_layers!r}")
    for i, layer in enumerate(layers):
        if not isinstance(layer, keras.layers.Layer):
            raise TypeError(f"model_or_layers[{i}] must be a Keras layer; got {layer!r}")
    return [layer for layer in layers if type(layer).__name__ != "InputLayer"]


def shape_trace(model_or_layers, input_shape) -> ShapeTrace:
    """Trace output shape, parameters, multiply-adds and activation memory layer by layer.

    ``model_or_layers``: a Keras ``Sequential`` model, a functional model whose layers form a
    chain, or a list of (possibly unbuilt) Keras layers. ``input_shape``: one example's shape,
    e.g. ``(32, 32, 3)``, without the batch dimension. Parameters of a layer are counted for this
    input shape, so tracing a model at another input size shows what changes (e.g. the first
    dense layer's weights). When a convolution or pooling layer would produce a zero or negative
    size, the trace stops there: ``failure`` says which layer and why, ``failed_size`` is the size
    it would produce.

    Multiply-adds are counted for convolutions (``out_h*out_w*out_c*kh*kw*in_c/groups``), dense
    layers, and any custom layer that defines ``multiply_adds(input_shape)``; pooling, activations
    and normalisation count 0 (they add, compare or scale, but do not multiply-add weights).
    """
    if (not isinstance(input_shape, (tuple, list)) or not input_shape
            or not all(isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 1 for s in input_shape)):
        raise ValueError(f"input_shape must be a shape without the batch axis, of ints >= 1, e.g. (32, 32, 3); "
                         f"got {input_shape!r}")
    shape = tuple(int(s) for s in input_shape)
    chain = _chain(model_or_layers)
    rows: list[TraceRow] = []
    for layer in chain:
        kind = type(layer).__name__
        try:
            spatial = _spatial(layer, shape)
        except _DoesNotFit as err:
            return ShapeTrace(input_shape, rows, failure=f"layer {layer.name!r} ({kind}) gets a "
                              f"{_fmt_shape(shape)} input: {err}", failed_layer=layer.name, failed_size=err.size)
        out = _output_shape(layer, shape)
        if spatial is not None and out[:2] != spatial:  # pragma: no cover - would be a Keras/arith disagreement
            raise AssertionError(f"{layer.name}: Keras says {out}, output_size says {spatial}")
        rows.append(TraceRow(layer.name, kind, out, _params(layer, shape), _multiply_adds(layer, shape, out),
                             math.prod(out) * BYTES_PER_VALUE, spatial is not None))
        shape = out
    return ShapeTrace(input_shape, rows)
