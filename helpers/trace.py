"""Shape traces: what each layer of a CNN does to the shape, the parameters and the arithmetic.

:func:`shape_trace` walks any Keras model (``Sequential``; functional, with branches and merges
such as ``Add`` and ``Concatenate``; models nested in models) or a plain list of layers, for a given
input shape, and reports per layer the output shape, parameters, multiply-adds and activation
memory. Spatial sizes of convolution and pooling layers come from :func:`helpers.output_size`, so
when a layer would produce a zero or negative size the trace stops there and says which layer and
why, without building the broken model (Keras itself would raise halfway through construction).

It works on any Keras CNN, the learner's own included:

>>> import keras
>>> t = shape_trace([keras.layers.Conv2D(6, 5), keras.layers.MaxPooling2D(2)], (28, 28, 1))
>>> [row.output_shape for row in t.rows]
[(24, 24, 6), (12, 12, 6)]

Multiply-adds are counted from a formula per layer type (convolutions of any rank with groups and
dilation, depthwise, separable and transposed convolutions, dense layers) or from a layer's own
``multiply_adds(input_shape)`` method. Layers that multiply no weights (pooling, activations,
normalisation, merges, reshaping, dropout) count 0. Any other layer type is listed as *not
counted* (``multiply_adds`` is ``None``) and named in :attr:`ShapeTrace.not_counted`, never a
silent zero.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ._checks import int_sequence, is_int
from .arith import effective_kernel, padding_pair

BYTES_PER_VALUE = 4  # float32 activations


class TraceRow(NamedTuple):
    """One layer of a :class:`ShapeTrace`."""

    name: str
    kind: str
    output_shape: tuple
    params: int                 # trainable parameters
    multiply_adds: int | None   # None: this layer type is not counted (see the module docstring)
    activation_bytes: int
    windowed: bool = False  # a convolution or pooling layer (slides a window)
    inputs: tuple = ()      # names of the rows (or "input") this layer reads; () in a plain chain
    weights: int | None = None  # all weights, non-trainable ones too (what ``count_params`` counts)


class ShapeTrace:
    """The result of :func:`shape_trace`: ``rows``, totals, and ``failure`` (None if it fits)."""

    def __init__(self, input_shape, rows, failure=None, failed_layer=None, failed_size=None):
        if any(v < 1 for v in int_sequence("input_shape", input_shape)):
            raise ValueError(f"input_shape must hold sizes >= 1; got {input_shape!r}")
        if not isinstance(rows, list) or not all(isinstance(r, TraceRow) for r in rows):
            raise TypeError(f"rows must be a list of TraceRow; got {rows!r}")
        for name, value in (("failure", failure), ("failed_layer", failed_layer)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be None or a text; got {value!r}")
        if failed_size is not None and not is_int(failed_size):
            raise TypeError(f"failed_size must be None or an integer (the size the failed layer would output); "
                            f"got {failed_size!r}")
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
        """Multiply-adds of the counted layers (see :attr:`not_counted` for the others)."""
        return sum(r.multiply_adds for r in self.rows if r.multiply_adds is not None)

    @property
    def total_weights(self) -> int:
        """All weights, non-trainable ones (batch norm's moving averages, frozen layers) included:
        what ``model.count_params()`` counts."""
        return sum(r.params if r.weights is None else r.weights for r in self.rows)

    @property
    def not_counted(self) -> list[str]:
        """Names of the layers whose multiply-adds are not counted (an unknown layer type)."""
        return [r.name for r in self.rows if r.multiply_adds is None]

    @property
    def branches(self) -> bool:
        """True when some layer reads another layer than the one before it (a graph, not a chain)."""
        previous = "input"
        for r in self.rows:
            if r.inputs and tuple(r.inputs) != (previous,):
                return True
            previous = r.name
        return False

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

    def _notes(self) -> list[str]:
        # Non-trainable weights (batch norm's moving averages, frozen layers) are not noted here: the
        # params column has always counted trainable parameters, and total_weights gives the rest.
        notes = []
        if self.not_counted:
            notes.append(f"Multiply-adds not counted (unknown layer type): {', '.join(self.not_counted)}.")
        return notes

    def to_markdown(self) -> str:
        graph = self.branches
        src = " from |" if graph else ""
        lines = [f"| layer | type |{src} output shape | params | multiply-adds | activations (KiB) |",
                 "|---|---|" + ("---|" if graph else "") + "---|---:|---:|---:|",
                 f"| input | |{' |' if graph else ''} {_fmt_shape(self.input_shape)} | | | {_kib(self.input_shape)} |"]
        for r in self.rows:
            frm = f" {', '.join(r.inputs)} |" if graph else ""
            lines.append(f"| {r.name} | {r.kind} |{frm} {_fmt_shape(r.output_shape)} | {r.params:,} | "
                         f"{_fmt_macs(r.multiply_adds)} | {r.activation_bytes / 1024:,.1f} |")
        lines.append(f"| **total** | |{' |' if graph else ''} | **{self.total_params:,}** | "
                     f"**{self.total_multiply_adds:,}** | |")
        lines += [f"\n{note}" for note in self._notes()]
        if self.failure:
            lines.append(f"\n**Cannot build:** {self.failure}")
        return "\n".join(lines)

    def __str__(self) -> str:
        graph = self.branches
        src = f"{'from':<22}" if graph else ""
        head = f"{'layer':<22}{'type':<22}{src}{'output shape':<18}{'params':>12}{'mult-adds':>15}{'act KiB':>10}"
        out = [head, "-" * len(head), f"{'input':<22}{'':<22}{' ' * len(src)}{_fmt_shape(self.input_shape):<18}"]
        for r in self.rows:
            frm = f"{', '.join(r.inputs)[:21]:<22}" if graph else ""
            out.append(f"{r.name[:21]:<22}{r.kind[:21]:<22}{frm}{_fmt_shape(r.output_shape):<18}{r.params:>12,}"
                       f"{_fmt_macs(r.multiply_adds):>15}{r.activation_bytes / 1024:>10,.1f}")
        out.append(f"{'total':<{62 + len(src)}}{self.total_params:>12,}{self.total_multiply_adds:>15,}")
        out += self._notes()
        if self.failure:
            out.append(f"CANNOT BUILD: {self.failure}")
        return "\n".join(out)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return str(self)


def _fmt_shape(shape) -> str:
    return "×".join(str(s) for s in shape)


def _fmt_macs(value) -> str:
    return "not counted" if value is None else f"{value:,}"


def _kib(shape) -> str:
    return f"{math.prod(shape) * BYTES_PER_VALUE / 1024:,.1f}"


def _first(v):
    return v[0] if isinstance(v, (tuple, list)) else v


_AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def _spatial(layer, in_shape):
    """The output's spatial sizes of a convolution or pooling layer, or raise ValueError saying why
    it does not fit. Returns None for layers that do not slide a window the usual way (and for
    transposed convolutions, channels-first layers and causal padding, whose sizes Keras computes)."""
    kernel = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    if kernel is None or "Transpose" in type(layer).__name__:
        return None
    kernel = _tuple(kernel)
    rank = len(kernel)
    padding = getattr(layer, "padding", "valid")
    if (len(in_shape) != rank + 1 or rank not in _AXES or padding not in ("valid", "same")
            or getattr(layer, "data_format", "channels_last") == "channels_first"):
        return None
    strides = _tuple(getattr(layer, "strides", None) or kernel, rank)
    dilation = _tuple(getattr(layer, "dilation_rate", 1), rank)
    out = []
    for axis in range(rank):
        k, s, d, n = kernel[axis], strides[axis], dilation[axis], in_shape[axis]
        before, after = padding_pair(padding, n, k, s, d)
        span = effective_kernel(k, d)
        size = (n + before + after - span) // s + 1
        if size <= 0:
            raise _DoesNotFit(size, f"{_AXES[rank][axis]} {n} with padding {padding!r}: window {span} does not fit "
                                    f"(floor(({n} + {before} + {after} - {span}) / {s}) + 1 = {size})")
        out.append(size)
    return tuple(out)


def _tuple(v, rank=None):
    if isinstance(v, (tuple, list)):
        return tuple(int(x) for x in v)
    return (int(v),) * (rank or 2)


def _pair(v):
    return _tuple(v, 2)


class _DoesNotFit(ValueError):
    def __init__(self, size, message):
        super().__init__(message)
        self.size = size


#: Keras layers that own no weights, whatever their input (no need to build a copy to count)
_WEIGHTLESS = {"MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "AveragePooling1D", "AveragePooling2D",
               "AveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D",
               "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "MinPooling2D",
               "Flatten", "Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
               "GaussianDropout", "AlphaDropout", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "Reshape",
               "Permute", "RepeatVector", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "Cropping1D",
               "Cropping2D", "Cropping3D", "UpSampling1D", "UpSampling2D", "UpSampling3D", "Rescaling",
               "Identity", "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot",
               "ScaledTanh"}

#: Layer types that multiply no weights: they compare, add, move or rescale values, so they count
#: 0 multiply-adds by this module's convention (normalisation included, as in the papers' counts).
_NO_MULTIPLY_ADDS = _WEIGHTLESS | {"BatchNormalization", "LayerNormalization", "GroupNormalization",
                                   "UnitNormalization", "Normalization"}


def _weight_count(weights) -> int:
    return int(sum(math.prod(w.shape) for w in weights))


def _counts(layer, in_shapes) -> tuple[int, int]:
    """(trainable parameters, all weights) of ``layer`` for these input shapes.

    A built layer whose input shape matches is read as it is; common layers are counted from their
    configuration (building a copy of AlexNet's fc6 would allocate 150 MB); any other layer is built
    on a fresh copy from its configuration.
    """
    if layer.built:
        try:
            built_in = [tuple(t.shape[1:]) for t in _flat(layer.input)] if layer._inbound_nodes else None
        except (AttributeError, ValueError):
            built_in = None
        if built_in is None or built_in == [tuple(s) for s in in_shapes]:
            return _weight_count(layer.trainable_weights), _weight_count(layer.weights)
    if len(in_shapes) == 1:
        known = _known_params(layer, in_shapes[0])
        if known is not None:
            return known, known
    if type(layer).__name__ in _WEIGHTLESS:
        return 0, 0
    clone = layer.__class__.from_config(layer.get_config())
    shapes = [(None, *s) for s in in_shapes]
    clone.build(shapes[0] if len(shapes) == 1 else shapes)
    return _weight_count(clone.trainable_weights), _weight_count(clone.weights)


def _flat(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _known_params(layer, in_shape):
    """Parameter count of an unbuilt standard layer from its config alone, or None if unknown."""
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


def _multiply_adds(layer, in_shapes, out_shape):
    """Multiply-adds of one call for one example, or None when this layer type is not counted."""
    hook = getattr(layer, "multiply_adds", None)
    if callable(hook):
        return int(hook(in_shapes[0] if len(in_shapes) == 1 else in_shapes))
    name = type(layer).__name__
    if name in _NO_MULTIPLY_ADDS:
        return 0
    if len(in_shapes) != 1 or getattr(layer, "data_format", "channels_last") == "channels_first":
        return None
    in_shape = in_shapes[0]
    kernel = math.prod(_tuple(layer.kernel_size, len(in_shape) - 1)) if hasattr(layer, "kernel_size") else None
    channels = in_shape[-1]
    if name.startswith("SeparableConv") and kernel is not None:
        # a depthwise k×k per input channel (times the depth multiplier), then a 1×1 over all of them
        mid = channels * layer.depth_multiplier
        positions = math.prod(out_shape[:-1])
        return int(positions * mid * kernel + positions * mid * out_shape[-1])
    if name.startswith("DepthwiseConv") and kernel is not None:
        return int(math.prod(out_shape) * kernel)  # out_c = in_c × depth multiplier, one k×k each
    if "Conv" in name and "Transpose" in name and kernel is not None and hasattr(layer, "filters"):
        groups = getattr(layer, "groups", 1) or 1
        # every input position scatters a k×k×filters block: that is where the products are made
        return int(math.prod(in_shape[:-1]) * kernel * channels * layer.filters // groups)
    if "Conv" in name and kernel is not None and hasattr(layer, "filters"):
        groups = getattr(layer, "groups", 1) or 1
        return int(math.prod(out_shape) * kernel * channels // groups)
    if name == "Dense":
        return int(math.prod(out_shape[:-1] or (1,)) * in_shape[-1] * out_shape[-1])
    return None


def _output_shapes(layer, in_shapes) -> list[tuple]:
    """Keras' output shape(s) for one example; custom layers without ``compute_output_shape`` are run
    symbolically (no data) instead."""
    arg = (None, *in_shapes[0]) if len(in_shapes) == 1 else [(None, *s) for s in in_shapes]
    try:
        out = layer.compute_output_shape(arg)
    except NotImplementedError:
        import keras

        spec_in = (keras.KerasTensor(arg) if len(in_shapes) == 1
                   else [keras.KerasTensor(a) for a in arg])
        out = [o.shape for o in _flat(layer.compute_output_spec(spec_in))]
        return [tuple(int(d) for d in o[1:]) for o in out]
    if out and isinstance(out[0], (tuple, list)):  # several outputs
        return [tuple(int(d) for d in o[1:]) for o in out]
    return [tuple(int(d) for d in out[1:])]


def chain_break(model):
    """The first layer of ``model`` that does not read only the layer before it (a branch, a merge, a
    shared layer), or None when its layers form a plain chain (every ``Sequential`` does).

    Drawings and receptive fields that go layer by layer are exact only for a chain.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model; got {type(model).__name__}")
    if isinstance(model, keras.Sequential):
        return None
    previous = model.inputs[0] if len(model.inputs) == 1 else None
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        try:
            inputs = _flat(layer.input)
        except (AttributeError, ValueError):  # a layer called more than once
            return layer
        if previous is None or len(inputs) != 1 or inputs[0] is not previous:
            return layer
        previous = layer.output
    return None


class _Tracer:
    """Walks layers, chains and graphs, appending one row per layer call."""

    def __init__(self):
        self.rows: list[TraceRow] = []
        self.counted: set[int] = set()  # layers whose weights are already in a row (shared layers)
        self.calls: dict[int, int] = {}

    def layer(self, layer, in_shapes, sources, prefix) -> tuple[list[tuple], str]:
        import keras

        if isinstance(layer, keras.Model):
            return self.model(layer, in_shapes, sources, f"{prefix}{layer.name}/")
        kind = type(layer).__name__
        name = prefix + layer.name
        self.calls[id(layer)] = self.calls.get(id(layer), 0) + 1
        if self.calls[id(layer)] > 1:
            name += f" (call {self.calls[id(layer)]})"
        try:
            spatial = _spatial(layer, in_shapes[0]) if len(in_shapes) == 1 else None
        except _DoesNotFit as err:
            raise _Stop(name, kind, in_shapes[0], err) from None
        outs = _output_shapes(layer, in_shapes)
        if spatial is not None and tuple(outs[0][:-1]) != spatial:  # pragma: no cover - Keras/arith disagreement
            raise AssertionError(f"{name}: Keras says {outs[0]}, output_size says {spatial}")
        if id(layer) in self.counted:
            params = weights = 0
        else:
            params, weights = _counts(layer, in_shapes)
            self.counted.add(id(layer))
        self.rows.append(TraceRow(name, kind, outs[0], params, _multiply_adds(layer, in_shapes, outs[0]),
                                  math.prod(outs[0]) * BYTES_PER_VALUE, spatial is not None, tuple(sources),
                                  weights))
        return outs, name

    def chain(self, layers, shape, source, prefix) -> tuple[tuple, str]:
        for layer in layers:
            if type(layer).__name__ == "InputLayer":
                continue
            outs, source = self.layer(layer, [shape], [source], prefix)
            shape = outs[0]
        return shape, source

    def model(self, model, in_shapes, sources, prefix) -> tuple[list[tuple], str]:
        import keras

        if isinstance(model, keras.Sequential):
            shape, source = self.chain(model.layers, in_shapes[0], sources[0], prefix)
            return [shape], source
        by_depth = getattr(model, "_nodes_by_depth", None)
        if not by_depth or not getattr(model, "inputs", None):
            # a subclassed model: its graph is Python code, not data, so it is one row, not counted
            name = prefix.rstrip("/")
            outs = [tuple(int(d) for d in o.shape[1:]) for o in _flat(model.compute_output_spec(
                keras.KerasTensor((None, *in_shapes[0]))))]
            weights = _weight_count(model.weights) if model.built else 0
            self.rows.append(TraceRow(name, type(model).__name__, outs[0], _weight_count(model.trainable_weights),
                                      None, math.prod(outs[0]) * BYTES_PER_VALUE, False, tuple(sources), weights))
            return outs, name
        inputs = _flat(model.inputs)
        if len(inputs) != len(in_shapes):
            raise ValueError(f"input_shape: {model.name!r} takes {len(inputs)} inputs; got {len(in_shapes)} shape(s)")
        known = {id(t): (tuple(s), src) for t, s, src in zip(inputs, in_shapes, sources)}
        last = sources[0]
        for depth in sorted(by_depth, reverse=True):
            for node in by_depth[depth]:
                if not node.operation or node.is_input:
                    continue
                tensors = _flat(node.input_tensors)
                if any(id(t) not in known for t in tensors):
                    continue  # not reachable from these inputs
                shapes = [known[id(t)][0] for t in tensors]
                srcs = [known[id(t)][1] for t in tensors]
                outs, last = self.layer(node.operation, shapes, srcs, prefix)
                for tensor, shape in zip(_flat(node.outputs), outs):
                    known[id(tensor)] = (shape, last)
        finals = [known[id(t)] for t in _flat(model.outputs)]
        return [shape for shape, _ in finals], finals[0][1]


class _Stop(Exception):
    def __init__(self, name, kind, shape, err):
        super().__init__(str(err))
        self.name, self.kind, self.shape, self.err = name, kind, shape, err


def _input_shapes(model_or_layers, input_shape) -> list[tuple]:
    """The input shape(s) to trace at: ``input_shape`` if given, else the model's own."""
    if input_shape is None:
        inputs = _flat(getattr(model_or_layers, "inputs", None) or [])
        shapes = [tuple(t.shape[1:]) for t in inputs]
        if not shapes or any(d is None for s in shapes for d in s):
            raise ValueError("input_shape is needed: this model or list of layers has no fixed input shape; "
                             "pass one example's shape without the batch axis, e.g. (32, 32, 3)")
        return [tuple(int(d) for d in s) for s in shapes]
    if not isinstance(input_shape, (list, tuple)):
        raise ValueError(f"input_shape must be a shape without the batch axis, of ints >= 1, e.g. (32, 32, 3); "
                         f"got {input_shape!r}")
    several = bool(input_shape) and all(isinstance(s, (list, tuple)) for s in input_shape)
    shapes = [tuple(s) for s in input_shape] if several else [tuple(input_shape)]
    for shape in shapes:
        if not shape or any(isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 1 for d in shape):
            raise ValueError(f"input_shape must be a shape without the batch axis, of ints >= 1, e.g. (32, 32, 3); "
                             f"got {input_shape!r}")
    return [tuple(int(d) for d in shape) for shape in shapes]


def shape_trace(model_or_layers, input_shape=None) -> ShapeTrace:
    """Trace output shape, parameters, multiply-adds and activation memory layer by layer.

    ``model_or_layers``: any Keras model (``Sequential``, functional with branches and merges,
    models nested in it) or a list of (possibly unbuilt) Keras layers forming a chain.
    ``input_shape``: one example's shape without the batch axis, e.g. ``(32, 32, 3)`` (a list of
    shapes for a model with several inputs); optional for a model whose input shape is fixed.
    Parameters of a layer are counted for this input shape, so tracing a model at another input
    size shows what changes (e.g. the first dense layer's weights). Nested models' layers appear as
    ``outer/inner`` rows; a layer called twice (shared weights) is counted once.

    When a convolution or pooling layer would produce a zero or negative size, the trace stops
    there: ``failure`` names the layer and says why, ``failed_size`` is the size it would produce.

    Multiply-adds: see the module docstring (``None`` and :attr:`ShapeTrace.not_counted` for a layer
    type without a formula). ``params`` counts trainable parameters; :attr:`ShapeTrace.total_weights`
    adds the non-trainable ones and equals ``model.count_params()``.
    """
    import keras

    if not isinstance(model_or_layers, keras.Model):
        if not isinstance(model_or_layers, (list, tuple)):
            raise TypeError(f"model_or_layers must be a Keras model or a list of Keras layers; "
                            f"got {type(model_or_layers).__name__}: {model_or_layers!r:.80}")
        for i, layer in enumerate(model_or_layers):
            if not isinstance(layer, keras.layers.Layer):
                raise TypeError(f"model_or_layers[{i}] must be a Keras layer; got {layer!r:.80}")
    shapes = _input_shapes(model_or_layers, input_shape)
    if isinstance(model_or_layers, keras.Model) and getattr(model_or_layers, "inputs", None):
        inputs = _flat(model_or_layers.inputs)
        ranks = [len(t.shape) - 1 for t in inputs]
        if len(shapes) != len(inputs) or any(len(s) != r for s, r in zip(shapes, ranks)):
            raise ValueError(f"input_shape: {model_or_layers.name!r} takes {len(inputs)} input(s) of "
                             f"{', '.join(str(tuple(t.shape[1:])) for t in inputs)}; got {input_shape!r}")
    elif len(shapes) != 1:
        raise ValueError(f"input_shape: a list of layers takes one input shape, e.g. (32, 32, 3); got {input_shape!r}")
    tracer = _Tracer()
    try:
        if isinstance(model_or_layers, keras.Model):
            tracer.model(model_or_layers, shapes, ["input"] * len(shapes), "")
        else:
            tracer.chain(model_or_layers, shapes[0], "input", "")
    except _Stop as stop:
        return ShapeTrace(shapes[0], tracer.rows, failure=f"layer {stop.name!r} ({stop.kind}) gets a "
                          f"{_fmt_shape(stop.shape)} input: {stop.err}", failed_layer=stop.name,
                          failed_size=stop.err.size)
    return ShapeTrace(shapes[0], tracer.rows)
