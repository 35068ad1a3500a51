"""LeNet-5 in Keras: as LeCun et al. (1998) published it, a modern version, and the source script's model.

``lenet5(variant)`` returns an uncompiled ``keras.Sequential``:

- ``"paper"``: LeCun, Bottou, Bengio & Haffner (1998), *Gradient-based learning applied to document
  recognition*, §II.B: a 32×32 input; every unit up to F6 squashed by the scaled tanh
  ``1.7159·tanh(2a/3)``; S2 and S4 are *trainable* subsampling layers (sum of each 2×2 window × one
  trainable coefficient + one trainable bias per map, then the squashing function); C3 connects each of
  its 16 maps to only 3, 4 or 6 of S2's maps (Table I); C5 (120 maps of 1×1), F6 (84 units); output: 10
  Euclidean RBF units with fixed ±1 prototypes of 7×12 bitmaps (eq. 7). 60,000 trainable parameters.
  Weights start uniform in ±sqrt(3/F_in) (:data:`PAPER_INITIALIZER`: variance 1/F_in, which keeps the
  weighted sums in the squashing function's normal operating region as the paper intends).
- ``"modern"``: the same shape with today's defaults: ReLU, 2×2 max pooling, a full C3, softmax output
  (61,706 parameters).
- ``"seed"``: the model of the source script this series started from, reproduced exactly: a 28×28 input,
  ReLU, average pooling, C5 with ``padding="same"`` (so it outputs 4×4×120, not 1×1×120), Dense 84,
  softmax (212,906 parameters).

The custom layers use ``keras`` and ``keras.ops`` only (any Keras 3 backend) and are registered as
serialisable, so a saved ``.keras`` model loads back without ``custom_objects``.

Every variant outputs class probabilities, so all three train with the same loss
(sparse categorical cross-entropy). For ``"paper"`` the probabilities are ``softmax(-y)`` of the RBF
penalties ``y``: cross-entropy on them is the paper's maximum a posteriori criterion (eq. 9) with its
``e^{-j}`` "rubbish class" term dropped; the prediction (``argmax``) is the paper's (smallest penalty).

>>> model = lenet5("paper")
>>> sum(int(np.prod(w.shape)) for w in model.trainable_weights)
60000
"""

from __future__ import annotations

import math

import keras
import numpy as np
from keras import ops

from ._checks import (check_array, check_bool, check_layer, check_real, check_seed, check_size, int_sequence, is_int,
                      keras_initializer, one_of, pair, positive_int)
from .arith import output_size
from .config import PACKAGE
from .preprocessing import LENET_INPUT_SIZES

VARIANTS = ("paper", "modern", "seed")

#: the scaled tanh's constants (LeCun et al. 1998, Appendix A): f(a) = A tanh(S a)
TANH_A = 1.7159
TANH_S = 2.0 / 3.0

#: Table I of the paper: for each of C3's 16 maps, the S2 maps it reads (rows of the table, 0-based).
C3_CONNECTIONS = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),                   # contiguous triples
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5), (0, 1, 2, 5),  # contiguous fours
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),                                           # discontinuous fours
    (0, 1, 2, 3, 4, 5),                                                                 # all six
)

#: the paper's per-layer figures (§II.B): trainable parameters and connections
PAPER_NUMBERS = {
    "C1": {"params": 156, "connections": 122_304},
    "S2": {"params": 12, "connections": 5_880},
    "C3": {"params": 1_516, "connections": 151_600},
    "S4": {"params": 32, "connections": 2_000},
    "C5": {"params": 48_120, "connections": 48_120},
    "F6": {"params": 10_164, "connections": 10_164},
}


#: weight initialiser of the "paper" variant's C1, C3, C5 and F6: uniform in ±sqrt(3/F_in) (F_in = the
#: unit's fan-in, per map in the sparse C3), i.e. variance 1/F_in, so that each weighted sum keeps the
#: spread of its inputs and stays in the squashing function's "normal operating region" -- the aim the
#: paper states for its initialisation (Appendix A; LeCun et al. 1998b, "Efficient BackProp", §4.6). The
#: paper's literal ±2.4/F_in (variance 1.92/F_in², shrinking the signal in every layer) and Keras' default
#: Glorot uniform (variance 2/(F_in+F_out)) both start F6 near 0; measured on MNIST they train far slower
#: (benchmarks/lenet5.py; docs/benchmarks.md, "LeNet-5 on MNIST").
PAPER_INITIALIZER = "lecun_uniform"



def _keras_object(name: str, kind: str, value):
    """``keras.activations.get`` / ``keras.initializers.get`` of ``value``, or a ValueError naming ``name``."""
    get = {"activation": keras.activations.get, "initializer": keras.initializers.get}[kind]
    try:
        return get(value)
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ValueError(f"{name} must be a Keras {kind}: its name (e.g. {'relu' if kind == 'activation' else 'zeros'!r}),"
                         f" an instance or a function; got {value!r}") from None


@keras.saving.register_keras_serializable(package=PACKAGE)
class FanInUniform(keras.initializers.Initializer):
    """Weights uniform in ``±limit / F_in`` (F_in = ``prod(shape[:-1])``, the fan-in of a Keras kernel).

    ``FanInUniform(2.4)`` is the paper's literal rule "uniformly distributed between -2.4/F_i and 2.4/F_i"
    (Appendix A), kept for comparison with :data:`PAPER_INITIALIZER` (lesson 04).

    >>> w = FanInUniform(2.4)((5, 5, 1, 6))
    >>> float(np.abs(w).max()) <= 2.4 / 25
    True
    """

    def __init__(self, limit=2.4, seed=None):
        self.limit = check_real("limit", limit, low=0, low_open=True)
        self.seed = None if seed is None else check_seed("seed", seed)

    def __call__(self, shape, dtype=None):
        fan_in = math.prod(shape[:-1]) if len(shape) > 1 else shape[0]
        bound = self.limit / fan_in
        return keras.random.uniform(shape, -bound, bound, dtype=dtype, seed=self.seed)

    def get_config(self):
        return {"limit": self.limit, "seed": self.seed}




# --------------------------------------------------------------------------- squashing function
@keras.saving.register_keras_serializable(package=PACKAGE)
def scaled_tanh(x):
    """LeCun's squashing function ``1.7159 * tanh(2x/3)``: f(±1) = ±1, steepest gain near 0.

    Usable as ``activation=scaled_tanh`` in any Keras layer (it is registered, so it saves and loads);
    ``x``: a tensor, or an array or number (computed in float32).
    """
    if not (ops.is_tensor(x) or isinstance(x, keras.KerasTensor)):
        x = check_array("x", x).astype("float32")
    return TANH_A * ops.tanh(TANH_S * x)


@keras.saving.register_keras_serializable(package=PACKAGE)
class ScaledTanh(keras.layers.Layer):
    """The scaled tanh ``A·tanh(S·a)`` as a layer (defaults: the paper's A = 1.7159, S = 2/3).

    >>> round(float(ScaledTanh()(np.array([1.0], "float32"))[0]), 4)   # the paper's f(1) = 1
    1.0
    """

    def __init__(self, amplitude=TANH_A, slope=TANH_S, **kwargs):
        super().__init__(**kwargs)
        self.amplitude = check_real("amplitude", amplitude)
        self.slope = check_real("slope", slope)
        self.built = True

    def call(self, inputs):
        return self.amplitude * ops.tanh(self.slope * inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "amplitude": self.amplitude, "slope": self.slope}


# --------------------------------------------------------------------------- trainable subsampling
@keras.saving.register_keras_serializable(package=PACKAGE)
class TrainableSubsampling(keras.layers.Layer):
    """LeNet-5's S2/S4: per map, ``f(coefficient * sum(window) + bias)`` over non-overlapping windows.

    Two trainable numbers per feature map (12 for S2's 6 maps, 32 for S4's 16). The coefficient starts
    at ``1 / window area`` (so the layer starts as average pooling); ``activation`` is the squashing
    function (``None`` for none, or e.g. :func:`scaled_tanh`). Channels-last.

    >>> TrainableSubsampling(2).compute_output_shape((None, 28, 28, 6))
    (None, 14, 14, 6)
    """

    def __init__(self, pool_size=2, activation=None, coefficient_initializer=None,
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.pool_size = pair("pool_size", pool_size)
        self.strides = self.pool_size
        self.padding = "valid"
        self.activation = _keras_object("activation", "activation", activation)
        area = self.pool_size[0] * self.pool_size[1]
        self.coefficient_initializer = _keras_object(
            "coefficient_initializer", "initializer",
            keras.initializers.Constant(1.0 / area) if coefficient_initializer is None else coefficient_initializer)
        self.bias_initializer = _keras_object("bias_initializer", "initializer", bias_initializer)
        self.input_spec = keras.layers.InputSpec(ndim=4)

    def build(self, input_shape):
        channels = input_shape[-1]
        self.coefficient = self.add_weight(shape=(channels,), initializer=self.coefficient_initializer,
                                           name="coefficient")
        self.bias = self.add_weight(shape=(channels,), initializer=self.bias_initializer, name="bias")

    def call(self, inputs):
        area = float(self.pool_size[0] * self.pool_size[1])
        window_sum = ops.average_pool(inputs, self.pool_size, self.strides, "valid") * area
        return self.activation(window_sum * self.coefficient + self.bias)

    def compute_output_shape(self, input_shape):
        n, h, w, c = tuple(input_shape)
        return (n, *(None if s is None else output_size(s, k, k) for s, k in zip((h, w), self.pool_size)), c)

    def multiply_adds(self, input_shape) -> int:
        """One multiply (coefficient × window sum) per output value."""
        h, w, c = input_shape
        return (h // self.pool_size[0]) * (w // self.pool_size[1]) * c

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size,
                "activation": keras.activations.serialize(self.activation),
                "coefficient_initializer": keras.initializers.serialize(self.coefficient_initializer),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer)}


# --------------------------------------------------------------------------- sparse C3
@keras.saving.register_keras_serializable(package=PACKAGE)
class SparseConv2D(keras.layers.Layer):
    """A convolution in which output map ``j`` reads only the input maps listed in ``connections[j]``.

    Only the connected kernel slices are weights, so the trainable parameters are
    ``kh*kw*(number of connections) + filters``: 1,516 for LeNet-5's C3 (:data:`C3_CONNECTIONS`,
    Table I) instead of a full layer's 2,416. The full kernel is assembled from them in each call by a
    fixed 0/1 matrix, and convolved as usual (stride 1, channels-last).

    >>> layer = SparseConv2D(16, 5, C3_CONNECTIONS)
    >>> layer.build((None, 14, 14, 6)); layer.count_params()
    1516
    """

    def __init__(self, filters, kernel_size, connections, padding="valid", activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.filters = positive_int("filters", filters)
        self.kernel_size = pair("kernel_size", kernel_size)
        if isinstance(connections, (str, bytes)) or not isinstance(connections, (list, tuple)):
            raise TypeError(f"connections must list, for each filter, the input maps it reads; got {connections!r}")
        self.connections = tuple(tuple(int_sequence(f"connections[{j}]", c)) for j, c in enumerate(connections))
        if any(i < 0 for c in self.connections for i in c):
            raise ValueError(f"connections must hold input-map indices >= 0; got {connections!r}")
        if len(self.connections) != self.filters:
            raise ValueError(f"connections must list, for each of the {self.filters} filters, a non-empty "
                             f"tuple of input-map indices; got {len(self.connections)} entries")
        self.strides = (1, 1)
        self.dilation_rate = (1, 1)
        self.padding = one_of("padding", padding, ("valid", "same"))
        self.activation = _keras_object("activation", "activation", activation)
        self.use_bias = check_bool("use_bias", use_bias)
        self.kernel_initializer = _keras_object("kernel_initializer", "initializer", kernel_initializer)
        self.bias_initializer = _keras_object("bias_initializer", "initializer", bias_initializer)
        self.input_spec = keras.layers.InputSpec(ndim=4)

    @property
    def n_connections(self) -> int:
        return sum(len(c) for c in self.connections)

    def mask(self, in_channels: int) -> np.ndarray:
        """The (in_channels, filters) 0/1 connection matrix (Table I for C3)."""
        m = np.zeros((in_channels, self.filters), dtype="float32")
        for j, inputs in enumerate(self.connections):
            m[list(inputs), j] = 1.0
        return m

    def build(self, input_shape):
        in_channels = int(input_shape[-1])
        bad = sorted({i for c in self.connections for i in c if not 0 <= i < in_channels})
        if bad:
            raise ValueError(f"connections name input maps {bad}, but the input has {in_channels} maps "
                             f"(valid indices 0..{in_channels - 1})")
        kh, kw = self.kernel_size
        # column of the flattened (in, out) kernel that each connection fills
        self._columns = np.array([i * self.filters + j for j, c in enumerate(self.connections) for i in c])
        select = np.zeros((self.n_connections, in_channels * self.filters), dtype="float32")
        select[np.arange(self.n_connections), self._columns] = 1.0
        self._select = select
        full_init = self.kernel_initializer
        # A fan-in initialiser sees the full kernel's fan-in (kh*kw*in_channels); map j's real fan-in is
        # kh*kw*len(connections[j]), so its weights are rescaled to the variance that fan-in calls for.
        fan_in_mode = isinstance(full_init, keras.initializers.VarianceScaling) and full_init.mode == "fan_in"
        rescale = np.array([math.sqrt(in_channels / len(c)) if fan_in_mode else 1.0
                            for c in self.connections for _ in c], dtype="float32")

        def init(shape, dtype=None):
            full = full_init((kh, kw, in_channels, self.filters), dtype=dtype)
            values = ops.take(ops.reshape(full, (kh * kw, -1)), self._columns, axis=1) * rescale
            return ops.reshape(values, shape)

        self.kernel_values = self.add_weight(shape=(kh, kw, self.n_connections), initializer=init,
                                             name="kernel_values")
        self.bias = (self.add_weight(shape=(self.filters,), initializer=self.bias_initializer, name="bias")
                     if self.use_bias else None)
        self._in_channels = in_channels

    @property
    def kernel(self):
        """The full (kh, kw, in, filters) kernel, zeros where Table I has no connection."""
        kh, kw = self.kernel_size
        values = ops.reshape(self.kernel_values, (kh * kw, self.n_connections))
        select = ops.convert_to_tensor(self._select, dtype=values.dtype)
        return ops.reshape(ops.matmul(values, select), (kh, kw, self._in_channels, self.filters))

    def call(self, inputs):
        y = ops.conv(inputs, self.kernel, strides=1, padding=self.padding)
        if self.use_bias:
            y = y + self.bias
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        n, h, w, _ = tuple(input_shape)
        size = [None if s is None else output_size(s, k, 1, self.padding) for s, k in zip((h, w), self.kernel_size)]
        return (n, *size, self.filters)

    def multiply_adds(self, input_shape) -> int:
        """Multiply-adds of the connected weights only: out_h·out_w·kh·kw·(connections)."""
        h, w, _ = input_shape
        kh, kw = self.kernel_size
        oh, ow = (output_size(h, kh, 1, self.padding), output_size(w, kw, 1, self.padding))
        return oh * ow * kh * kw * self.n_connections

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size,
                "connections": [list(c) for c in self.connections], "padding": self.padding,
                "activation": keras.activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
                "bias_initializer": keras.initializers.serialize(self.bias_initializer)}


# --------------------------------------------------------------------------- RBF output
#: 7-wide, 12-high bitmaps of the digits 0-9 ('#' = +1, '.' = -1), drawn for this series in the
#: spirit of the paper's Fig. 3 (the paper's exact bitmaps are not published as numbers).
DIGIT_BITMAPS = {
    0: ["..###..", ".#...#.", "#.....#", "#.....#", "#.....#", "#.....#",
        "#.....#", "#.....#", "#.....#", "#.....#", ".#...#.", "..###.."],
    1: ["...#...", "..##...", ".#.#...", "...#...", "...#...", "...#...",
        "...#...", "...#...", "...#...", "...#...", "...#...", ".#####."],
    2: [".####..", "#....#.", "......#", "......#", ".....#.", "....#..",
        "...#...", "..#....", ".#.....", "#......", "#......", "#######"],
    3: [".#####.", "#.....#", "......#", "......#", ".....#.", "..###..",
        ".....#.", "......#", "......#", "......#", "#.....#", ".#####."],
    4: [".....#.", "....##.", "...#.#.", "..#..#.", ".#...#.", "#....#.",
        "#######", ".....#.", ".....#.", ".....#.", ".....#.", ".....#."],
    5: ["#######", "#......", "#......", "#......", "#####..", ".....#.",
        "......#", "......#", "......#", "......#", "#....#.", ".####.."],
    6: ["...###.", "..#....", ".#.....", "#......", "#......", "#.###..",
        "##...#.", "#.....#", "#.....#", "#.....#", ".#...#.", "..###.."],
    7: ["#######", "......#", ".....#.", ".....#.", "....#..", "....#..",
        "...#...", "...#...", "..#....", "..#....", "..#....", "..#...."],
    8: ["..###..", ".#...#.", "#.....#", "#.....#", ".#...#.", "..###..",
        ".#...#.", "#.....#", "#.....#", "#.....#", ".#...#.", "..###.."],
    9: ["..###..", ".#...#.", "#.....#", "#.....#", "#.....#", ".#...##",
        "..###.#", "......#", "......#", ".....#.", "....#..", ".###..."],
}


def digit_prototypes() -> np.ndarray:
    """The RBF centres: an (84, 10) array of ±1, column ``i`` the 7×12 bitmap of digit ``i`` (row-major)."""
    cols = [[1.0 if ch == "#" else -1.0 for row in DIGIT_BITMAPS[d] for ch in row] for d in range(10)]
    return np.array(cols, dtype="float32").T


@keras.saving.register_keras_serializable(package=PACKAGE)
class EuclideanRBF(keras.layers.Layer):
    """LeNet-5's output layer: unit ``i`` outputs the penalty ``y_i = Σ_j (x_j - w_ij)²`` (eq. 7).

    The centres ``w`` are fixed (non-trainable; by default :func:`digit_prototypes`). With
    ``output="penalty"`` the layer returns ``y``; with ``output="softmax"`` it returns ``softmax(-y)``, so
    that Keras' cross-entropy on it is the paper's MAP criterion (eq. 9) without its ``e^{-j}`` term,
    and the most probable class is the one with the smallest penalty.

    >>> EuclideanRBF().compute_output_shape((None, 84))
    (None, 10)
    """

    def __init__(self, units=10, prototypes=None, output="softmax", **kwargs):
        super().__init__(**kwargs)
        self.output_mode = one_of("output", output, ("penalty", "softmax"))
        self.units = positive_int("units", units)
        if prototypes is None:
            prototypes = digit_prototypes()
        self.prototypes = check_array("prototypes", prototypes, ndim=2, empty=False).astype("float32")
        if not np.isfinite(self.prototypes).all():
            raise ValueError("prototypes must be finite numbers; got NaN or infinity")
        if self.prototypes.shape[1] != self.units:
            raise ValueError(f"prototypes must have units={self.units} columns (one per unit), "
                             f"got shape {self.prototypes.shape}")
        self.input_spec = keras.layers.InputSpec(min_ndim=2, axes={-1: self.prototypes.shape[0]})

    def build(self, input_shape):
        self.centres = self.add_weight(shape=self.prototypes.shape, name="centres", trainable=False,
                                       initializer=keras.initializers.Constant(self.prototypes))

    def call(self, inputs):
        # ||x - w_i||^2 = ||x||^2 - 2 x.w_i + ||w_i||^2
        x2 = ops.sum(ops.square(inputs), axis=-1, keepdims=True)
        w2 = ops.sum(ops.square(self.centres), axis=0)
        penalty = ops.maximum(x2 - 2.0 * ops.matmul(inputs, self.centres) + w2, 0.0)
        return penalty if self.output_mode == "penalty" else ops.softmax(-penalty, axis=-1)

    def compute_output_shape(self, input_shape):
        return (*tuple(input_shape)[:-1], self.units)

    def multiply_adds(self, input_shape) -> int:
        return int(input_shape[-1]) * self.units

    def get_config(self):
        return {**super().get_config(), "units": self.units, "prototypes": self.prototypes.tolist(),
                "output": self.output_mode}


# --------------------------------------------------------------------------- the models
def _check_input(variant, input_shape):
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, (tuple, list)):
        raise TypeError(f"input_shape must be (height, width, channels), got {input_shape!r}")
    input_shape = tuple(input_shape)
    valid_hw = LENET_INPUT_SIZES[variant]
    ok = (len(input_shape) == 3 and all(is_int(s) for s in input_shape)
          and tuple(input_shape[:2]) == valid_hw and input_shape[2] >= 1)
    if not ok:
        listed = "; ".join(f"{v!r}: ({h}, {w}, channels)" for v, (h, w) in LENET_INPUT_SIZES.items())
        raise ValueError(f"lenet5({variant!r}) takes input_shape ({valid_hw[0]}, {valid_hw[1]}, channels), "
                         f"got {input_shape!r}. Valid input shapes: {listed}. The fully connected layers fix "
                         f"the input size; pad or resize images to fit (see to_lenet_input).")
    return tuple(int(s) for s in input_shape)


def _check_classes(num_classes) -> int:
    """``num_classes`` as an int >= 1 whose output layer (84 inputs each) passes the size guard."""
    num_classes = positive_int("num_classes", num_classes)
    check_size("num_classes", f"an output layer of {num_classes:,} units", 4 * 85 * num_classes)
    return num_classes


def _paper_lenet(num_classes, kernel_initializer) -> list:
    """LeCun et al. (1998): scaled tanh, trainable subsampling, the sparse C3 of Table I, an RBF output."""
    if num_classes != 10:
        raise ValueError(f"num_classes must be 10 for variant 'paper' (its RBF prototypes are the digits "
                         f"0-9); got {num_classes}. Use 'modern' for other class counts.")
    init = PAPER_INITIALIZER if kernel_initializer is None else kernel_initializer
    L = keras.layers
    return [
        L.Conv2D(6, 5, activation=scaled_tanh, kernel_initializer=init, name="C1"),
        TrainableSubsampling(2, activation=scaled_tanh, name="S2"),
        SparseConv2D(16, 5, C3_CONNECTIONS, activation=scaled_tanh, kernel_initializer=init, name="C3"),
        TrainableSubsampling(2, activation=scaled_tanh, name="S4"),
        L.Conv2D(120, 5, activation=scaled_tanh, kernel_initializer=init, name="C5"),
        L.Flatten(name="flatten"),
        L.Dense(84, activation=scaled_tanh, kernel_initializer=init, name="F6"),
        EuclideanRBF(10, output="softmax", name="output"),
    ]


def _full_c3_layers(activation, pool, num_classes, init: dict, c5_padding="valid") -> list:
    """LeNet-5's sizes with a full C3 and a softmax output: C1, S2, C3, S4, C5, F6, output.

    ``pool(name)`` makes S2 and S4; ``init`` holds the conv and dense layers' extra arguments."""
    L = keras.layers
    return [
        L.Conv2D(6, 5, activation=activation, **init, name="C1"),
        pool("S2"),
        L.Conv2D(16, 5, activation=activation, **init, name="C3"),
        pool("S4"),
        L.Conv2D(120, 5, activation=activation, padding=c5_padding, **init, name="C5"),
        L.Flatten(name="flatten"),
        L.Dense(84, activation=activation, **init, name="F6"),
        L.Dense(num_classes, activation="softmax", **init, name="output"),
    ]


def _modern_lenet(num_classes, kernel_initializer) -> list:
    """Today's defaults on LeNet-5's sizes: ReLU, 2×2 max pooling, a full C3, softmax."""
    init = {} if kernel_initializer is None else {"kernel_initializer": kernel_initializer}
    return _full_c3_layers("relu", lambda name: keras.layers.MaxPooling2D(2, name=name), num_classes, init)


def _seed_lenet(num_classes, kernel_initializer) -> list:
    """The source script's model, layer for layer: ReLU, 2×2 average pooling (the script relied on
    tf.keras 2's default pool_size), C5 with ``padding="same"``."""
    init = {} if kernel_initializer is None else {"kernel_initializer": kernel_initializer}
    return _full_c3_layers("relu", lambda name: keras.layers.AveragePooling2D((2, 2), name=name), num_classes,
                           init, c5_padding="same")


#: variant -> the private function that writes its layers down, as keras.applications does
_BUILDERS = {"paper": _paper_lenet, "modern": _modern_lenet, "seed": _seed_lenet}


def lenet5(variant: str = "paper", input_shape=None, num_classes: int = 10,
           kernel_initializer=None) -> keras.Sequential:
    """Build LeNet-5 (uncompiled): ``variant`` is ``"paper"``, ``"modern"`` or ``"seed"`` (see module doc).

    ``input_shape`` defaults to ``(32, 32, 1)`` for ``"paper"``/``"modern"`` and ``(28, 28, 1)`` for
    ``"seed"``; the height and width are fixed by the variant, the channels are free (3 for CIFAR-10).
    ``num_classes`` must be 10 for ``"paper"`` (one RBF prototype per digit). Layers are named as in the
    paper (C1, S2, C3, S4, C5, F6, output). Every variant outputs class probabilities.
    ``kernel_initializer`` (any Keras initialiser) replaces the weights' initialiser of the convolution
    and dense layers: by default :data:`PAPER_INITIALIZER` for ``"paper"``, Keras' Glorot uniform otherwise.

    >>> lenet5("modern").count_params()
    61706
    """
    if not isinstance(variant, str) or variant not in VARIANTS:
        raise ValueError(f"variant must be one of {', '.join(map(repr, VARIANTS))}; got {variant!r}")
    hw = LENET_INPUT_SIZES[variant]
    input_shape = _check_input(variant, (*hw, 1) if input_shape is None else input_shape)
    num_classes = _check_classes(num_classes)
    if kernel_initializer is not None:
        keras_initializer("kernel_initializer", kernel_initializer)
    layers = _BUILDERS[variant](num_classes, kernel_initializer)
    return keras.Sequential([keras.Input(shape=input_shape), *layers], name=f"lenet5_{variant}")


def trainable_params(model_or_layer) -> int:
    """Number of trainable parameters (the paper's 'trainable parameters'; fixed RBF centres excluded)."""
    check_layer("model_or_layer", model_or_layer)
    return int(sum(math.prod(w.shape) for w in model_or_layer.trainable_weights))


def connections(layer, input_shape) -> int:
    """The paper's 'connections' of a layer: every multiply-add plus one bias input per output unit.

    C1: 28·28·6·(25+1) = 122,304; S2: 14·14·6·(4+1) = 5,880; C3: 10·10·(25·60 + 16) = 151,600; the RBF
    output: 10 units × 84 inputs = 840 (one subtract-square-add per input, no bias; the paper gives no
    figure for it). Computed from the layer, so a learner's layer can be counted too (0 for layers
    without weights).
    """
    if not isinstance(layer, keras.layers.Layer):
        raise TypeError(f"layer must be a Keras layer, got {layer!r}")
    if isinstance(input_shape, (str, bytes)) or not isinstance(input_shape, (tuple, list)) or not input_shape:
        raise TypeError(f"input_shape must be one example's shape, e.g. (28, 28, 6); got {input_shape!r}")
    input_shape = tuple(positive_int(f"input_shape[{i}]", s) for i, s in enumerate(input_shape))
    try:
        out = tuple(int(s) for s in layer.compute_output_shape((None, *input_shape))[1:])
    except Exception as err:  # noqa: BLE001 - Keras raises several kinds for a shape a layer cannot take
        raise ValueError(f"layer {layer.name!r} cannot take input_shape {input_shape}: {err}") from None
    units = math.prod(out)
    if isinstance(layer, TrainableSubsampling):
        return units * (layer.pool_size[0] * layer.pool_size[1] + 1)
    if isinstance(layer, SparseConv2D):
        return layer.multiply_adds(input_shape) + units * int(layer.use_bias)
    if isinstance(layer, keras.layers.Conv2D):
        kh, kw = layer.kernel_size
        return units * (kh * kw * input_shape[-1] + int(layer.use_bias))
    if isinstance(layer, keras.layers.Dense):
        return units * (input_shape[-1] + int(layer.use_bias))
    if isinstance(layer, EuclideanRBF):
        return layer.multiply_adds(input_shape)
    return 0


def compare_with_paper(model=None) -> list[dict]:
    """Per layer of ``model`` (default ``lenet5("paper")``): shape, parameters, connections, and the paper's.

    Returns a list of dicts with keys ``layer, output_shape, params, connections, paper_params,
    paper_connections`` (the paper's numbers for C1..F6, ``None`` elsewhere).
    """
    from .trace import shape_trace

    model = model if model is not None else lenet5("paper")
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be None (LeNet-5 as published) or a Keras model, got {model!r}")
    try:
        shape = tuple(model.input_shape[1:])
    except (AttributeError, ValueError):
        raise ValueError(f"model must be built (give it a keras.Input) to be compared; {model.name!r} is not") from None
    trace = shape_trace(model, shape)
    rows = []
    for layer, row in zip([lay for lay in model.layers], trace.rows):
        paper = PAPER_NUMBERS.get(layer.name, {})
        rows.append({"layer": layer.name, "type": row.kind, "output_shape": row.output_shape,
                     "params": row.params, "connections": connections(layer, shape),
                     "paper_params": paper.get("params"), "paper_connections": paper.get("connections")})
        shape = row.output_shape
    return rows


def compare_with_paper_markdown(model=None) -> str:
    """:func:`compare_with_paper` as a Markdown table (✔ where the model matches the paper)."""
    def cell(x):
        return "" if x is None else f"{x:,}"

    lines = ["| layer | type | output shape | params | paper | connections | paper |",
             "|---|---|---|---:|---:|---:|---:|"]
    total = 0
    for r in compare_with_paper(model):
        total += r["params"]
        mark_p = " ✔" if r["paper_params"] == r["params"] else ""
        mark_c = " ✔" if r["paper_connections"] == r["connections"] else ""
        lines.append(f"| {r['layer']} | {r['type']} | {'×'.join(map(str, r['output_shape']))} | "
                     f"{r['params']:,} | {cell(r['paper_params'])}{mark_p} | {r['connections']:,} | "
                     f"{cell(r['paper_connections'])}{mark_c} |")
    lines.append(f"| **total** | | | **{total:,}** | | | |")
    return "\n".join(lines)


def lenet5_like(activation: str = "relu", pooling: str = "max", input_shape=(32, 32, 1), num_classes: int = 10,
                name=None) -> keras.Sequential:
    """LeNet-5's layer sizes (full C3, softmax output) with a chosen squashing function and pooling.

    ``activation``: ``"relu"``, ``"scaled_tanh"``, ``"tanh"`` or ``"sigmoid"``; ``pooling``: ``"max"``,
    ``"avg"`` or ``"trainable"`` (:class:`TrainableSubsampling`). ``lenet5_like("relu", "max")`` is the
    ``"modern"`` variant. For measuring one component at a time (lesson 03).
    """
    one_of("activation", activation, ("relu", "scaled_tanh", "tanh", "sigmoid"))
    one_of("pooling", pooling, ("max", "avg", "trainable"))
    num_classes = _check_classes(num_classes)
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be None or a string, got {name!r}")
    act = scaled_tanh if activation == "scaled_tanh" else activation
    L = keras.layers

    def pool(n):
        if pooling == "max":
            return L.MaxPooling2D(2, name=n)
        if pooling == "avg":
            return L.AveragePooling2D(2, name=n)
        return TrainableSubsampling(2, activation=act, name=n)

    input_shape = _check_input("modern", input_shape)
    return keras.Sequential([keras.Input(shape=input_shape), *_full_c3_layers(act, pool, num_classes, {})],
                            name=name or f"lenet5_{activation}_{pooling}")


__all__ = ["C3_CONNECTIONS", "DIGIT_BITMAPS", "EuclideanRBF", "FanInUniform", "PAPER_INITIALIZER", "PAPER_NUMBERS",
           "ScaledTanh", "SparseConv2D", "TrainableSubsampling", "VARIANTS", "compare_with_paper",
           "compare_with_paper_markdown", "connections", "lenet5_like", "digit_prototypes", "lenet5",
           "scaled_tanh", "trainable_params"]
