"""AlexNet (Krizhevsky, Sutskever & Hinton 2012) and its local response normalisation, in Keras 3.

Everything here uses ``keras`` and ``keras.ops`` only, so the models run under the TensorFlow, JAX
and PyTorch backends alike, and every layer is registered for ``.keras`` saving.

- :class:`LocalResponseNormalization`: the paper's Section 3.3 normalisation across channels.
- :func:`alexnet`: ``"paper"`` (227×227×3, 60,965,224 parameters), ``"seed"`` (the source script's
  32×32 port, which cannot be built, and says why), ``"cifar-classic"`` (lesson 05's small AlexNet for
  CIFAR-10 with the 2012 parts: LRN, no batch norm) and ``"cifar"`` (lesson 06's fast-training AlexNet
  for CIFAR-10: whitened conv1, batch norm; trained by :func:`helpers.cifar.train_cifar`).
- :func:`alexnet_layers`: the same layer lists, unbuilt, for :func:`helpers.shape_trace`.
- :func:`figure1_net`: the small four-layer net of the ReLU-vs-tanh race (the paper's Figure 1).

Layers and builders only: the paper's LRN formula in NumPy, to check the layer against, is
:func:`helpers.ops.lrn_reference`; lesson 05's small experiments that train these models are in
:mod:`helpers.experiments`.

>>> model = alexnet("cifar")
>>> model.output_shape
(None, 10)
>>> alexnet("seed")
Traceback (most recent call last):
ValueError: Keras cannot build alexnet('seed') for a 32×32×3 input: a pooling output reaches zero ...
"""

from __future__ import annotations

import random
from typing import NamedTuple

import numpy as np

import keras
from keras import ops

from ._checks import check_bool, check_real, check_size, is_int, keras_initializer, one_of, positive_int
from .arith import output_size
from .config import PACKAGE


#: variant -> (default input shape, one-line description)
VARIANTS = {
    "paper": ((227, 227, 3), "Krizhevsky et al. (2012), 227×227×3 input, 1000 classes, grouped convs"),
    "seed": ((32, 32, 3), "the source script's port to 32×32×3 CIFAR-10 (cannot be built)"),
    "cifar": ((32, 32, 3), "lesson 06's fast AlexNet for 32×32×3 CIFAR-10: whitened conv1, batch norm, 10 classes"),
    "cifar-classic": ((32, 32, 3), "lesson 05's small AlexNet for CIFAR-10 with the 2012 parts (LRN, no batch norm)"),
}
PAPER_PARAMS = 60_965_224            # with the two-GPU grouping of conv2, conv4, conv5
PAPER_PARAMS_UNGROUPED = 62_378_344  # every conv sees all channels of the layer below


# --------------------------------------------------------------------------------------------
# Local response normalisation
# --------------------------------------------------------------------------------------------
@keras.saving.register_keras_serializable(package=PACKAGE)
class LocalResponseNormalization(keras.layers.Layer):
    """Local response normalisation across channels, as in AlexNet (Section 3.3).

    ``output[..., c] = x[..., c] / (bias + alpha * sum(x[..., c-r : c+r+1] ** 2)) ** beta`` with
    ``r = depth_radius``, summing over the channels that exist (no wrap-around). This is exactly
    ``tf.nn.local_response_normalization(x, depth_radius, bias, alpha, beta)``, written with
    ``keras.ops`` so it runs on every Keras backend. Channels-last input of any rank >= 2.

    **The paper's constants.** Krizhevsky et al. write ``b = a / (k + α Σ a²)^β`` over ``n``
    adjacent kernel maps with ``(k, n, α, β) = (2, 5, 1e-4, 0.75)``. Here (as in TensorFlow):
    ``bias = k = 2``, ``depth_radius = n // 2 = 2`` (a window of ``2·2 + 1 = 5`` channels),
    ``alpha = α = 1e-4`` (it multiplies the plain sum of squares, as the paper's α does),
    ``beta = β = 0.75``. The defaults are the paper's. Caffe's ``LRN`` layer and PyTorch's
    ``nn.LocalResponseNorm(size, alpha, beta, k)`` divide their ``alpha`` by ``size = n``, so
    *their* ``alpha=1e-4`` means α = 2e-5 here; to get the paper's α they need ``alpha = α·n = 5e-4``.
    :func:`helpers.ops.lrn_reference` implements both conventions, to check this numerically.

    >>> y = LocalResponseNormalization()(np.ones((1, 1, 1, 1), "float32"))
    >>> round(float(y[0, 0, 0, 0]), 4)          # 1 / (2 + 1e-4 · 1²) ** 0.75
    0.5946
    """

    def __init__(self, depth_radius=2, bias=2.0, alpha=1e-4, beta=0.75, **kwargs):
        super().__init__(**kwargs)
        if isinstance(depth_radius, bool) or not isinstance(depth_radius, (int, np.integer)) or depth_radius < 0:
            raise ValueError(f"depth_radius must be an integer >= 0, got {depth_radius!r}")
        # bias > 0 and alpha >= 0 keep the base of the power positive, so the output is never NaN.
        check_real("bias", bias, low=0, low_open=True)
        check_real("alpha", alpha, low=0)
        check_real("beta", beta, low=0)
        self.depth_radius = int(depth_radius)
        self.bias, self.alpha, self.beta = float(bias), float(alpha), float(beta)
        self.built = True  # no weights

    def call(self, inputs):
        # The windowed sum over channels as one matmul with a 0/1 band matrix (band[j, i] = 1 when
        # |i - j| <= r): the same sums as padding and adding 2r + 1 shifted slices, but one op
        # forward and backward, which makes the layer about three times cheaper to train through.
        channels = inputs.shape[-1]
        idx = np.arange(channels)
        band = ops.convert_to_tensor((np.abs(idx[:, None] - idx[None, :]) <= self.depth_radius).astype("float32"),
                                     dtype=inputs.dtype)
        total = ops.matmul(ops.square(inputs), band)
        return inputs / ops.power(self.bias + self.alpha * total, self.beta)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def multiply_adds(self, input_shape) -> int:
        """0: LRN squares, sums and divides, but multiplies no weights (see :func:`helpers.shape_trace`)."""
        return 0

    def get_config(self):
        config = super().get_config()
        config.update(depth_radius=self.depth_radius, bias=self.bias, alpha=self.alpha, beta=self.beta)
        return config


# --------------------------------------------------------------------------------------------
# Layer lists
# --------------------------------------------------------------------------------------------
def _check_variant(variant):
    if not isinstance(variant, str) or variant not in VARIANTS:
        listed = "; ".join(f"{name!r}: {desc}" for name, (_, desc) in VARIANTS.items())
        raise ValueError(f"variant must be one of {', '.join(map(repr, VARIANTS))}; got {variant!r}. Valid: {listed}")
    return variant


def _given(value, default):
    """``value`` unless it is None (checked by the caller): 0 is never read as "use the default"."""
    return default if value is None else int(value)


def alexnet_layers(variant: str = "paper", *, num_classes: int | None = None, grouped: bool = True,
                   activation: str = "relu", lrn: bool | None = None, pool_size: int = 3, pool_stride: int = 2,
                   dropout: float = 0.5, first_kernel: int | None = None, first_stride: int | None = None,
                   width: float = 1.0, kernel_initializer="glorot_uniform", dtype=None) -> list:
    """The unbuilt Keras layers of :func:`alexnet` (no ``Input``), for :func:`helpers.shape_trace`.

    Same arguments as :func:`alexnet`; building them is left to the caller. Creating the layers
    allocates no weights, so tracing even the 60-million-parameter ``"paper"`` list is cheap.
    The arguments are checked here; each variant's layers are then written down by its own
    private function (``_paper_layers``, ``_seed_layers``, ``_cifar_classic_layers``, ``_cifar_layers``).
    """
    _check_variant(variant)
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a name such as 'relu' or 'tanh'; got {activation!r}")
    one_of("activation", activation, ("relu", "tanh", "sigmoid", "elu", "gelu", "linear"))
    pool_size, pool_stride = positive_int("pool_size", pool_size), positive_int("pool_stride", pool_stride)
    # None means "the variant's default"; any other value is used as given, never replaced.
    for opt, value in (("num_classes", num_classes), ("first_kernel", first_kernel), ("first_stride", first_stride)):
        if value is not None:
            positive_int(opt, value)
    grouped = check_bool("grouped", grouped)
    if lrn is not None:
        lrn = check_bool("lrn", lrn)
    dropout = check_real("dropout", dropout, low=0)
    if not dropout < 1.0:
        raise ValueError(f"dropout must be a rate in [0, 1), got {dropout!r}")
    width = check_real("width", width, low=1 / 64, high=64)  # every layer keeps at least one unit
    keras_initializer("kernel_initializer", kernel_initializer)
    if dtype is not None and not isinstance(dtype, str) and type(dtype).__name__ != "DTypePolicy":
        raise TypeError(f"dtype must be None or a Keras dtype policy such as 'mixed_bfloat16'; got {dtype!r}")
    options = _Options(num_classes, grouped, activation, lrn, pool_size, pool_stride, dropout, first_kernel,
                       first_stride, width)
    return _BUILDERS[variant](_layer_kit(kernel_initializer, dtype), options)


class _Options(NamedTuple):
    """The checked arguments of :func:`alexnet_layers` that shape the layers (None: the variant's default)."""

    num_classes: int | None
    grouped: bool
    act: str
    lrn: bool | None
    pool_size: int
    pool_stride: int
    dropout: float
    first_kernel: int | None
    first_stride: int | None
    width: float


def _layer_kit(init, dtype):
    """``keras.layers`` with ``init`` on every conv and dense kernel and the ``dtype`` policy on every
    layer (the softmax excepted: it stays float32 under mixed precision)."""
    kw = {} if dtype is None else {"dtype": dtype}

    def given(cls, **fixed):  # a layer class with some arguments fixed
        return staticmethod(lambda *args, **kwargs: cls(*args, **fixed, **kwargs))

    def dense(*args, **kwargs):
        extra = {} if kwargs.get("activation") == "softmax" else kw
        return keras.layers.Dense(*args, kernel_initializer=init, **extra, **kwargs)

    class L:
        Conv2D = given(keras.layers.Conv2D, kernel_initializer=init, **kw)
        Dense = staticmethod(dense)
        MaxPooling2D = given(keras.layers.MaxPooling2D, **kw)
        Flatten = given(keras.layers.Flatten, **kw)
        Dropout = given(keras.layers.Dropout, **kw)
        BatchNormalization = given(keras.layers.BatchNormalization, **kw)
        Activation = given(keras.layers.Activation, **kw)

    return L


def _classifier(L, units, o: _Options, classes, *, skip_zero_dropout):
    """flatten → fc6 → drop6 → fc7 → drop7 → fc8 (softmax); the "cifar" variants leave out dropout at rate 0."""
    def drop(name):
        return [] if skip_zero_dropout and not o.dropout else [L.Dropout(o.dropout, name=name)]

    return ([L.Flatten(name="flatten"), L.Dense(units, activation=o.act, name="fc6")] + drop("drop6")
            + [L.Dense(units, activation=o.act, name="fc7")] + drop("drop7")
            + [L.Dense(classes, activation="softmax", name="fc8")])


def _krizhevsky_layers(L, o: _Options, *, filters, units, groups, lrn, classes):
    """The 2012 architecture, layer for layer: conv1 (11×11/4 unless overridden), LRN, pool, conv2 (5×5),
    LRN, pool, conv3-conv5 (3×3), pool, then the classifier. ``filters(n)`` scales a conv's width."""
    k1, s1 = _given(o.first_kernel, 11), _given(o.first_stride, 4)
    norm = (lambda name: [LocalResponseNormalization(name=name)]) if lrn else (lambda name: [])
    pool = dict(pool_size=o.pool_size, strides=o.pool_stride)
    return ([L.Conv2D(filters(96), k1, strides=s1, activation=o.act, name="conv1")] + norm("lrn1")
            + [L.MaxPooling2D(name="pool1", **pool),
               L.Conv2D(filters(256), 5, padding="same", groups=groups, activation=o.act, name="conv2")] + norm("lrn2")
            + [L.MaxPooling2D(name="pool2", **pool),
               L.Conv2D(filters(384), 3, padding="same", activation=o.act, name="conv3"),
               L.Conv2D(filters(384), 3, padding="same", groups=groups, activation=o.act, name="conv4"),
               L.Conv2D(filters(256), 3, padding="same", groups=groups, activation=o.act, name="conv5"),
               L.MaxPooling2D(name="pool5", **pool)]
            + _classifier(L, units, o, classes, skip_zero_dropout=False))


def _paper_layers(L, o: _Options) -> list:
    """Krizhevsky et al. (2012): conv2, conv4 and conv5 in two groups (the two GPUs) unless ``grouped=False``;
    LRN on by default; ``width`` scales every layer (conv widths stay divisible by the groups)."""
    g = 2 if o.grouped else 1
    return _krizhevsky_layers(L, o, filters=lambda n: max(g, int(round(n * o.width / g)) * g),
                              units=int(4096 * o.width), groups=g, lrn=True if o.lrn is None else o.lrn,
                              classes=_given(o.num_classes, 1000))


def _seed_layers(L, o: _Options) -> list:
    """The source script's port to 32×32 CIFAR-10, layer for layer: the paper's widths, no groups, no LRN
    unless asked; ``grouped`` and ``width`` do not apply."""
    return _krizhevsky_layers(L, o, filters=lambda n: n, units=4096, groups=1, lrn=o.lrn,
                              classes=_given(o.num_classes, 10))


def _cifar_classic_layers(L, o: _Options) -> list:
    """Lesson 05: AlexNet's shape (5 convs, LRN after the first two, 3 overlapping max pools, 2 FC layers with
    dropout) at CIFAR scale: 3×3 kernels, stride 1, "same" pooling so that 3/2 and 2/2 pooling give maps of
    equal size (32 -> 16 -> 8 -> 4), as in the paper's comparison."""
    k1, s1 = _given(o.first_kernel, 3), _given(o.first_stride, 1)
    w = lambda n: max(1, int(round(n * o.width)))  # noqa: E731
    norm = (lambda name: []) if o.lrn is False else (lambda name: [LocalResponseNormalization(name=name)])
    pool = dict(pool_size=o.pool_size, strides=o.pool_stride, padding="same")
    return ([L.Conv2D(w(32), k1, strides=s1, padding="same", activation=o.act, name="conv1")] + norm("lrn1")
            + [L.MaxPooling2D(name="pool1", **pool),
               L.Conv2D(w(64), 3, padding="same", activation=o.act, name="conv2")] + norm("lrn2")
            + [L.MaxPooling2D(name="pool2", **pool),
               L.Conv2D(w(96), 3, padding="same", activation=o.act, name="conv3"),
               L.Conv2D(w(96), 3, padding="same", activation=o.act, name="conv4"),
               L.Conv2D(w(64), 3, padding="same", activation=o.act, name="conv5"),
               L.MaxPooling2D(name="pool5", **pool)]
            + _classifier(L, w(256), o, _given(o.num_classes, 10), skip_zero_dropout=True))


def _cifar_layers(L, o: _Options) -> list:
    """Lesson 06's ``"cifar"`` net (see :func:`alexnet`): AlexNet's order of five convs, three overlapping
    max pools and a two-layer dropout classifier, with the speed practice of the CIFAR-10 records."""
    k1, s1 = _given(o.first_kernel, 3), _given(o.first_stride, 1)
    w = lambda n: max(1, int(round(n * o.width)))  # noqa: E731
    pool = dict(pool_size=o.pool_size, strides=o.pool_stride, padding="same")

    def norm(name):  # batch norm (default) or the paper's LRN in its place
        if o.lrn:
            return [LocalResponseNormalization(name=f"lrn{name}")]
        return [L.BatchNormalization(momentum=0.9, epsilon=1e-5, scale=False, name=f"bn{name}")]

    def block(n, filters, pooled):
        out = [L.Conv2D(filters, 3, padding="same", use_bias=bool(o.lrn), name=f"conv{n}")]
        out += [L.MaxPooling2D(name=f"pool{n}", **pool)] if pooled else []   # pool first: 4× fewer values to normalise
        return out + norm(n) + [L.Activation(o.act, name=f"{o.act}{n}")]

    # conv1: 2·k1²·3 filters, one per sign of each whitening direction of k1×k1×3 patches
    # (set from data by helpers.cifar.whiten_conv1; ReLU then loses nothing)
    layers = [L.Conv2D(2 * k1 * k1 * 3, k1, strides=s1, padding="same", use_bias=False, name="conv1"),
              L.Activation(o.act, name=f"{o.act}1")]
    layers += block(2, w(64), True) + block(3, w(256), True) + block(4, w(256), False) + block(5, w(256), True)
    return layers + _classifier(L, w(512), o, _given(o.num_classes, 10), skip_zero_dropout=True)


#: variant -> the private function that writes its layers down, as keras.applications does
_BUILDERS = {"paper": _paper_layers, "seed": _seed_layers, "cifar-classic": _cifar_classic_layers,
             "cifar": _cifar_layers}


def _spatial_specs(layers):
    """(name, kernel, stride, padding) of each conv/pool layer, read from the configs."""
    specs = []
    for layer in layers:
        kernel = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
        if kernel is not None:
            strides = getattr(layer, "strides", None) or kernel
            specs.append((layer.name, kernel[0], strides[0], layer.padding))
    return specs


def smallest_input(variant: str = "seed", **options) -> int:
    """The smallest square input side for which every conv/pool size of ``variant`` stays >= 1.

    >>> smallest_input("seed")
    67
    """
    specs = _spatial_specs(alexnet_layers(variant, **options))
    for n in range(1, 4097):
        size = n
        try:
            for _, k, s, p in specs:
                size = output_size(size, k, s, p)
        except ValueError:
            continue
        return n
    raise ValueError(f"no input up to 4096 fits variant {variant!r}")  # pragma: no cover


def alexnet(variant: str = "paper", input_shape=None, *, num_classes: int | None = None, grouped: bool = True,
            activation: str = "relu", lrn: bool | None = None, pool_size: int = 3, pool_stride: int = 2,
            dropout: float = 0.5, first_kernel: int | None = None, first_stride: int | None = None,
            width: float = 1.0, kernel_initializer="glorot_uniform", dtype=None, name: str | None = None):
    """An uncompiled AlexNet-family Keras model (``Sequential``).

    Args:
        variant: ``"paper"`` (227×227×3, 1000 classes: 60,965,224 parameters, spatial sizes
            55, 27, 13, 6; ``grouped=False`` gives 62,378,344), ``"seed"`` (the source script's model
            on 32×32×3: raises ``ValueError``, because its third pooling layer would output 0×0),
            ``"cifar-classic"`` (lesson 05: a small AlexNet-style net for 32×32×3 CIFAR-10 with LRN, 3×3
            convs of widths 32-64-96-96-64, FC 256-256), ``"cifar"`` (lesson 06: conv1 of 54 3×3 filters meant to
            be set to whitening filters (:func:`helpers.cifar.whiten_conv1`), convs 64-256-256-256 each
            followed by batch norm, 3/2 max pools after conv2, conv3 and conv5, FC 512-512 with dropout;
            any input size builds, since every conv and pool is "same").
        input_shape: one example's shape; default the variant's (see :data:`VARIANTS`).
        num_classes: width of the softmax (default 1000 for "paper", 10 otherwise).
        grouped: "paper" only: conv2, conv4, conv5 in two groups, as split over the two GPUs.
        activation: ``"relu"`` (the paper) or e.g. ``"tanh"`` for the Figure 1 comparison.
        lrn: local response normalisation after conv1 and conv2 (default: on for "paper" and
            "cifar-classic", off for "seed", which had none); for "cifar", ``True`` puts LRN where batch
            norm is (after conv2–conv5), to compare the two.
        pool_size, pool_stride: max pooling window and stride: 3/2 overlapping (the paper), 2/2 not.
        dropout: rate of the two dropout layers (0 removes them in "cifar" and "cifar-classic").
        first_kernel, first_stride: override conv1's kernel and stride.
        width: multiply every layer's width (conv1 of "cifar" excepted), for small CPU experiments.
        kernel_initializer: of every conv and dense layer: Keras' default ``"glorot_uniform"``, or
            e.g. ``"he_normal"`` (He et al. 2015, made for ReLU).
        dtype: a Keras dtype policy for every layer but the softmax, e.g. ``"mixed_bfloat16"``.

    Raises ``ValueError`` for an unknown variant (listing the valid ones) or an input too small
    for the variant, naming the layer where the size runs out, what Keras would raise there, and
    the smallest input that fits. The sizes are checked with :func:`helpers.shape_trace` before
    anything is built.

    >>> alexnet("paper").count_params()
    60965224
    """
    from .trace import shape_trace

    _check_variant(variant)
    options = dict(num_classes=num_classes, grouped=grouped, activation=activation, lrn=lrn, pool_size=pool_size,
                   pool_stride=pool_stride, dropout=dropout, first_kernel=first_kernel, first_stride=first_stride,
                   width=width, kernel_initializer=kernel_initializer, dtype=dtype)
    layers = alexnet_layers(variant, **options)
    if input_shape is not None and not isinstance(input_shape, (tuple, list)):
        raise TypeError(f"input_shape must be (height, width, channels) of positive ints, got {input_shape!r}")
    shape = tuple(VARIANTS[variant][0] if input_shape is None else input_shape)
    if len(shape) != 3 or any(not is_int(s) or s < 1 for s in shape):
        raise ValueError(f"input_shape must be (height, width, channels) of positive ints, got {input_shape!r}")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be None or a string, got {name!r}")
    trace = shape_trace(layers, shape)
    if trace.ok:  # the shared size guard, before any weight is allocated
        culprit = next((arg for arg, value in (("input_shape", input_shape), ("width", width != 1.0),
                                                ("num_classes", num_classes)) if value), "variant")
        check_size(culprit, f"the weights of alexnet({variant!r}) for input {shape} "
                            f"({trace.total_params:,} float32 parameters)", trace.total_params * 4)
    if not trace.ok:
        kind = "pooling" if "Pooling" in _kind_of(layers, trace.failed_layer) else "convolution"
        sizes = " → ".join(str(s) for s in trace.spatial_sizes)
        call = f"alexnet({variant!r})" if input_shape is None else f"alexnet({variant!r}, input_shape={shape})"
        raise ValueError(
            f"Keras cannot build {call} for a {'×'.join(map(str, shape))} input: a {kind} output reaches "
            f"{'zero' if trace.failed_size == 0 else 'a negative size'} at layer {trace.failed_layer!r} "
            f"(spatial sizes {sizes}). {trace.failure}. Keras itself raises a ValueError there or, depending on "
            f"its version, at a later layer ('Computed output size would be (zero or) negative'). Valid: an input of at least {smallest_input(variant, **options)}×"
            f"{smallest_input(variant, **options)} for variant {variant!r}, or another variant "
            f"('paper' at 227×227×3, 'cifar' at 32×32×3).")
    model = keras.Sequential([keras.Input(shape)] + layers, name=name or f"alexnet_{variant}")
    return model


def _kind_of(layers, name):
    return next(type(layer).__name__ for layer in layers if layer.name == name)


def figure1_net(activation: str = "relu", *, widths=(16, 32, 32), kernel_initializer=None,
                num_classes: int = 10, input_shape=(32, 32, 3), name: str | None = None):
    """A four-layer convolutional network in the spirit of the paper's Figure 1 (ReLU vs tanh on CIFAR-10).

    Three 5×5 "same" convolutions, each followed by a 3×3/2 max pool, then one softmax layer: four
    weight layers, no normalisation, no dropout (the paper used "no regularization of any kind" there).
    ``kernel_initializer`` defaults to the one designed for the activation: ``"he_normal"`` for ReLU
    (He et al. 2015, variance 2/fan_in keeps the signal's scale through rectifiers, which zero half
    of it) and ``"glorot_uniform"`` for tanh (Glorot & Bengio 2010, variance 2/(fan_in + fan_out) for
    units that are linear around 0).

    >>> figure1_net("tanh").count_params()
    44810
    """
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a name such as 'relu' or 'tanh'; got {activation!r}")
    one_of("activation", activation, ("relu", "tanh", "sigmoid", "elu", "gelu", "linear"))
    if not isinstance(widths, (tuple, list)) or len(widths) != 3:
        raise ValueError(f"widths must give the three conv layers' filters, got {widths!r}")
    widths = [positive_int(f"widths[{i}]", w) for i, w in enumerate(widths)]
    init = (kernel_initializer if kernel_initializer is not None
            else "he_normal" if activation in ("relu", "elu", "gelu") else "glorot_uniform")
    if not isinstance(init, str) and not callable(init):
        raise TypeError(f"kernel_initializer must be None, a Keras initializer or its name; got {init!r}")
    state = random.getstate()  # making an initializer draws its seed from Python's random: put it back,
    try:                       # so that the layers' initial weights are those of an unchecked build
        keras.initializers.get(init)
    except ValueError as err:
        raise ValueError(f"kernel_initializer={init!r} is not a Keras initializer: {err}") from None
    finally:
        random.setstate(state)
    num_classes = positive_int("num_classes", num_classes)
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3 or not all(
            is_int(d) and d >= 1 for d in input_shape):
        raise ValueError(f"input_shape must be (height, width, channels) of positive ints, got {input_shape!r}")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"name must be None or a string, got {name!r}")
    side = [int(d) for d in input_shape[:2]]
    for _ in range(3):  # three 3×3/2 "same" pools
        side = [-(-d // 2) for d in side]
    params = sum(25 * c_in * c_out + c_out for c_in, c_out in zip([input_shape[2]] + widths[:2], widths))
    params += (side[0] * side[1] * widths[2] + 1) * num_classes
    culprit = next((arg for arg, changed in (("input_shape", tuple(input_shape) != (32, 32, 3)),
                                              ("num_classes", num_classes != 10)) if changed), "widths")
    check_size(culprit, f"the weights of figure1_net ({params:,} float32 parameters)", params * 4)
    L = keras.layers
    layers = [keras.Input(tuple(int(d) for d in input_shape))]
    for i, filters in enumerate(widths, start=1):
        layers += [L.Conv2D(filters, 5, padding="same", activation=activation,
                            kernel_initializer=init, name=f"conv{i}"),
                   L.MaxPooling2D(3, 2, padding="same", name=f"pool{i}")]
    layers += [L.Flatten(name="flatten"),
               L.Dense(num_classes, activation="softmax", kernel_initializer=init, name="fc4")]
    return keras.Sequential(layers, name=name or f"figure1_{activation}")


__all__ = ["LocalResponseNormalization", "alexnet", "alexnet_layers", "smallest_input", "figure1_net", "VARIANTS",
           "PAPER_PARAMS", "PAPER_PARAMS_UNGROUPED"]
