"""NumPy reference implementations of padding, pooling, convolution and AlexNet's LRN.

These are the "by hand" versions the lessons compare Keras against: short enough to read,
vectorised (no Python loop over pixels; at most a loop over the few taps of a kernel), and
tested against ``keras.layers.MaxPooling2D``, ``AveragePooling2D``, ``Conv2D`` and
``numpy.pad`` in ``tests/test_ops.py`` (:func:`lrn_reference`, the paper's local response
normalisation, against :class:`helpers.LocalResponseNormalization` in ``tests/test_alexnet_model.py``).
Only NumPy is imported, never TensorFlow.

Arrays are channels-last like Keras: ``(H, W)``, ``(H, W, C)`` or ``(N, H, W, C)``, and every
function returns an array of the same rank as ``x`` (``conv2d`` documents its one exception).
Output sizes come from :func:`helpers.arith.output_size`, and ``padding="same"`` uses
TensorFlow's split from :func:`helpers.arith.same_padding` (the extra cell goes bottom/right).

Every array an op would create (the padded input, the output, ``conv2d``'s window buffer) is
checked first against the shared size guard :func:`helpers._checks.check_size` (1 GiB), so a
huge padding or dilation gets a ``ValueError`` naming the argument and the size, not a 3 GiB
allocation. Integer and bool inputs never wrap around: each function's docstring says how.

>>> import numpy as np
>>> x = np.arange(16.0).reshape(4, 4)
>>> pool2d(x, 2)
array([[ 5.,  7.],
       [13., 15.]])
>>> pad2d(np.ones((2, 2), int), 1)
array([[0, 0, 0, 0],
       [0, 1, 1, 0],
       [0, 1, 1, 0],
       [0, 0, 0, 0]])
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._checks import check_bool, check_real, check_size, non_negative_int, one_of, pair, positive_int
from .arith import effective_kernel, output_size, padding_pair

PAD_MODES = ("constant", "reflect", "symmetric", "edge", "wrap")
POOL_MODES = ("max", "avg", "min")
#: the pooling modes as a figure or an explorer names them ("avg pooling" reads badly)
POOL_MODE_NAMES = {"max": "max", "avg": "average", "min": "min"}
_AXES = ("height", "width")


# --------------------------------------------------------------------------- shapes and checks

def _as_nhwc(x, name: str = "x"):
    """Return ``(x4, ndim, shape)``: ``x`` as a 4-D (N, H, W, C) view plus what to undo."""
    arr = np.asarray(x)
    if arr.ndim not in (2, 3, 4):
        raise ValueError(
            f"{name} must have 2 (H, W), 3 (H, W, C) or 4 (N, H, W, C) dimensions; "
            f"got shape {arr.shape} ({arr.ndim} dimension{'s' if arr.ndim != 1 else ''})"
        )
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must hold real numbers (bool, int or float); got dtype {arr.dtype}")
    if arr.ndim == 2:
        x4 = arr[None, :, :, None]
    elif arr.ndim == 3:
        x4 = arr[None]
    else:
        x4 = arr
    return x4, arr.ndim, arr.shape


def _restore(y4, ndim: int):
    """Undo :func:`_as_nhwc`: drop the batch (and channel) axes that were added."""
    if ndim == 2:
        return y4[0, :, :, 0]
    if ndim == 3:
        return y4[0]
    return y4


def _check_spatial(x4, shape, name: str = "x"):
    if x4.shape[1] < 1 or x4.shape[2] < 1:
        raise ValueError(f"{name} must have a height and width of at least 1; got shape {shape}")


def _padding_2d(padding, hw, kernel, stride, dilation) -> tuple[tuple[int, int], tuple[int, int]]:
    """Resolve ``"valid"``/``"same"``/int/((t, b), (l, r)) to ((top, bottom), (left, right))."""
    if isinstance(padding, str):
        return tuple(padding_pair(padding, hw[a], kernel[a], stride[a], dilation[a]) for a in (0, 1))
    if isinstance(padding, (tuple, list)):
        if len(padding) == 2 and all(isinstance(p, (tuple, list)) and len(p) == 2 for p in padding):
            return tuple(
                (non_negative_int(f"padding[{a}][0]", padding[a][0]),
                 non_negative_int(f"padding[{a}][1]", padding[a][1]))
                for a in (0, 1)
            )
    elif isinstance(padding, numbers.Integral) and not isinstance(padding, bool):
        p = non_negative_int("padding", padding)
        return (p, p), (p, p)
    raise ValueError(
        "padding must be 'valid', 'same', an int >= 0 or ((top, bottom), (left, right)) "
        f"with ints >= 0; got {padding!r}"
    )


def _output_hw(hw, kernel, stride, pads, dilation, what: str, shape) -> tuple[int, int]:
    """Output height and width from :func:`helpers.arith.output_size`, errors naming ``what``."""
    out = []
    for a in (0, 1):
        try:
            out.append(output_size(hw[a], kernel[a], stride[a], pads[a], dilation[a]))
        except ValueError as err:
            raise ValueError(f"{what} does not fit x of shape {shape} along the {_AXES[a]}: {err}") from None
    return out[0], out[1]


def _guard(name: str, what: str, shape, dtype) -> None:
    """The shared size guard for an array of ``shape`` and ``dtype`` that is about to be made."""
    n_bytes = math.prod(int(d) for d in shape) * np.dtype(dtype).itemsize
    check_size(name, f"{what} ({'×'.join(str(int(d)) for d in shape)} {np.dtype(dtype).name})", n_bytes)


def _padded_shape(x4, pads):
    n, h, w, c = x4.shape
    return n, h + pads[0][0] + pads[0][1], w + pads[1][0] + pads[1][1], c


def _finite_or_refuse(y, inputs, what: str):
    """Refuse a float result that overflowed to inf although every input was finite."""
    if y.dtype.kind == "f" and not np.isfinite(y).all() and all(
            np.isfinite(a).all() for a in inputs if np.asarray(a).dtype.kind == "f"):
        limit = np.finfo(y.dtype).max
        raise ValueError(f"{what}: the result overflows {y.dtype.name} (largest value {limit:.5g}); "
                         "convert x and kernel to float32 or float64 first")
    return y


def _extreme(dtype, lowest: bool):
    """The value that never wins a max (``lowest``) or a min: -inf/+inf, or the dtype's limit."""
    if dtype.kind == "f":
        return -np.inf if lowest else np.inf
    if dtype.kind == "b":
        return not lowest
    info = np.iinfo(dtype)
    return info.min if lowest else info.max


# --------------------------------------------------------------------------- pad2d

def _pad_widths(pad):
    if isinstance(pad, numbers.Integral) and not isinstance(pad, bool):
        p = non_negative_int("pad", pad)
        return (p, p), (p, p)
    if (isinstance(pad, (tuple, list)) and len(pad) == 2
            and all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pad)):
        return tuple((non_negative_int(f"pad[{a}][0]", pad[a][0]), non_negative_int(f"pad[{a}][1]", pad[a][1]))
                     for a in (0, 1))
    raise ValueError(f"pad must be an int >= 0 or ((top, bottom), (left, right)) with ints >= 0; got {pad!r}")


def pad2d(x, pad, mode: str = "constant", value=0):
    """Pad the two spatial axes of ``x``; same result as ``numpy.pad`` on those axes only.

    ``pad`` is an int (every side) or ``((top, bottom), (left, right))``. ``mode`` is one of
    NumPy's ``"constant"`` (fill with ``value``), ``"reflect"`` (mirror without repeating the
    edge: ``3 2 | 1 2 3``), ``"symmetric"`` (mirror repeating it: ``2 1 | 1 2 3``), ``"edge"``
    (repeat the edge) or ``"wrap"`` (periodic). ``"reflect"`` needs every pad smaller than
    the axis it extends; ``value`` applies to ``"constant"`` only. The batch and channel axes
    are never padded and the dtype is kept, so ``value`` must fit it: a whole number within
    the range of an integer ``x``, ``True``/``False`` (or 0/1) for a bool ``x``, and a value
    that stays finite in a float ``x`` (``1e6`` does not fit float16); anything else is a
    ``ValueError`` rather than a silent cast. The padded array must fit the size guard (1 GiB).

    >>> import numpy as np
    >>> row = np.array([[1, 2, 3]])
    >>> pad2d(row, ((0, 0), (2, 2)), mode="reflect")
    array([[3, 2, 1, 2, 3, 2, 1]])
    >>> pad2d(row, ((0, 0), (2, 2)), mode="symmetric")
    array([[2, 1, 1, 2, 3, 3, 2]])
    >>> pad2d(row, ((0, 0), (1, 1)), value=9)
    array([[9, 1, 2, 3, 9]])
    """
    x4, ndim, shape = _as_nhwc(x)
    widths = _pad_widths(pad)
    if not isinstance(mode, str):
        raise TypeError(f"mode must be one of {', '.join(map(repr, PAD_MODES))}; got {mode!r}")
    mode = one_of("mode", mode, PAD_MODES)
    if mode != "constant":
        if value is not None and value != 0:
            raise ValueError(f"value={value!r} only applies to mode='constant'; mode={mode!r} fills from x itself")
        for a in (0, 1):
            n = x4.shape[1 + a]
            if max(widths[a]) > 0 and n == 0:
                raise ValueError(f"mode={mode!r} cannot extend the empty {_AXES[a]} axis of x (shape {shape}); "
                                 "use mode='constant'")
            if mode == "reflect" and max(widths[a]) >= n:
                raise ValueError(
                    f"pad={pad!r} is too large for mode='reflect' along the {_AXES[a]}: each pad must be "
                    f"smaller than the axis size {n} (x has shape {shape}); use at most {n - 1}, "
                    "or mode='symmetric'"
                )
    else:
        if not isinstance(value, (numbers.Real, np.bool_)) or isinstance(value, bool) and x4.dtype.kind != "b":
            raise ValueError(f"value must be a real number; got {value!r}")
        if x4.dtype.kind == "b" and not (isinstance(value, (bool, np.bool_)) or value in (0, 1)):
            raise ValueError(f"value={value!r} cannot fill a bool array; use True or False (or 0 or 1)")
        if x4.dtype.kind == "f" and math.isfinite(value) and not abs(value) <= float(np.finfo(x4.dtype).max):
            raise ValueError(f"value={value!r} does not fit x's dtype {x4.dtype} (largest value "
                             f"{float(np.finfo(x4.dtype).max):.5g}); convert x to float32 first")
        if x4.dtype.kind in "iu" and not (math.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"value={value!r} cannot fill an integer array (dtype {x4.dtype}); "
                             "convert x to float first")
        if x4.dtype.kind in "iu":
            info = np.iinfo(x4.dtype)
            if not info.min <= value <= info.max:
                raise ValueError(f"value={value!r} does not fit x's dtype {x4.dtype} "
                                 f"(range {info.min} to {info.max})")
    _guard("pad", "the padded array", _padded_shape(x4, widths), x4.dtype)
    full = ((0, 0), *widths, (0, 0))
    kwargs = {"constant_values": value} if mode == "constant" else {}
    return _restore(np.pad(x4, full, mode=mode, **kwargs), ndim)


# --------------------------------------------------------------------------- pool2d

def _reduce_windows(x, axis: int, k: int, s: int, out_len: int, ufunc, dtype=None):
    """Reduce windows of ``k`` cells every ``s`` cells along ``axis`` with ``ufunc``.

    One vectorised pass per kernel tap (``k`` passes), each over the whole array, instead of
    a loop over pixels: tap ``t`` of output ``i`` is input ``i*s + t``, i.e. the slice
    ``x[t : t + (out_len-1)*s + 1 : s]``. Pooling is separable (max over a rectangle = max
    over rows of max over columns; same for sums), so two 1-D passes make the 2-D pool.
    """
    def tap(t):
        index = [slice(None)] * x.ndim
        index[axis] = slice(t, t + (out_len - 1) * s + 1, s)
        return x[tuple(index)]

    out = tap(0).astype(dtype or x.dtype, copy=True)
    for t in range(1, k):
        ufunc(out, tap(t), out=out)
    return out


def pool2d(x, size, stride=None, padding=0, mode: str = "max"):
    """Max, average or min pooling over the spatial axes, like Keras' pooling layers.

    ``size`` and ``stride`` are ints or ``(height, width)`` pairs; ``stride`` defaults to
    ``size`` (non-overlapping windows, as in Keras). ``padding``:

    * ``"valid"`` or ``0``: no padding; ``"same"``: TensorFlow's padding, output
      ``ceil(n / stride)`` with the extra cell bottom/right. This matches
      ``keras.layers.MaxPooling2D`` / ``AveragePooling2D`` exactly: max and min never see
      the padded cells, and ``"avg"`` divides by the number of *real* cells in each window.
    * an int or ``((top, bottom), (left, right))``: explicit padding as in PyTorch. Max and
      min ignore padded cells; ``"avg"`` counts them as zeros (PyTorch's default
      ``count_include_pad=True``). A window lying wholly in the padding is an error for
      max/min (there would be nothing to take the max of).

    The output size per axis is :func:`helpers.arith.output_size`. ``"max"``/``"min"`` keep
    the dtype (they cannot overflow: they only compare); ``"avg"`` sums integers and bools in
    float64 and float16 in float32, so it cannot overflow either, and returns floats (``x``'s
    float dtype, or float64 for ints/bools). The padded input must fit the size guard (1 GiB).

    >>> import numpy as np
    >>> x = np.array([[1., 2., 3.],
    ...               [4., 5., 6.],
    ...               [7., 8., 9.]])
    >>> pool2d(x, 2, padding="same")          # 2x2 windows: the last row/column pad bottom/right
    array([[5., 6.],
           [8., 9.]])
    >>> pool2d(x, 2, padding="same", mode="avg")   # padded cells left out of the count
    array([[3. , 4.5],
           [7.5, 9. ]])
    >>> pool2d(x, 2, stride=1, mode="min")
    array([[1., 2.],
           [4., 5.]])
    >>> pool2d(x, 3, stride=2, padding=1, mode="avg")  # zeros counted: (1+2+4+5)/9
    array([[1.33333333, 1.77777778],
           [2.66666667, 3.11111111]])
    """
    x4, ndim, shape = _as_nhwc(x)
    _check_spatial(x4, shape)
    size_arg, size = size, pair("size", size)
    stride = size if stride is None else pair("stride", stride)
    if not isinstance(mode, str):
        raise TypeError(f"mode must be one of {', '.join(map(repr, POOL_MODES))}; got {mode!r}")
    mode = one_of("mode", mode, POOL_MODES)
    hw = x4.shape[1:3]
    pads = _padding_2d(padding, hw, size, stride, (1, 1))
    _guard("padding", "the padded input", _padded_shape(x4, pads), np.float64 if mode == "avg" else x4.dtype)
    same = isinstance(padding, str) and padding.lower() == "same"
    out_hw = _output_hw(hw, size, stride, pads, (1, 1), f"size={size_arg!r} (with padding={padding!r})", shape)

    if mode in ("max", "min") and not same:
        for a in (0, 1):
            (before, after), n, k, s = pads[a], hw[a], size[a], stride[a]
            if before >= k or (out_hw[a] - 1) * s >= before + n:
                raise ValueError(
                    f"padding={padding!r} is too large for {mode} pooling with size {size} along the "
                    f"{_AXES[a]}: a window would lie wholly in the padding, with no cell of x to take "
                    f"the {mode} of; use padding of at most {k - 1} each side"
                )

    padded = any(p for ab in pads for p in ab)
    if mode == "avg":
        acc = np.result_type(x4.dtype, np.float32) if x4.dtype.kind == "f" else np.float64
        xp = pad2d(x4, pads) if padded else x4
        y = _reduce_windows(xp, 1, size[0], stride[0], out_hw[0], np.add, acc)
        y = _reduce_windows(y, 2, size[1], stride[1], out_hw[1], np.add)
        if same and padded:
            # Count of real cells per window: separable, so an outer product of 1-D counts.
            counts = [
                _reduce_windows(np.pad(np.ones(hw[a]), pads[a]), 0, size[a], stride[a], out_hw[a], np.add)
                for a in (0, 1)
            ]
            y /= np.multiply.outer(*counts)[None, :, :, None].astype(acc)
        else:
            y /= np.asarray(size[0] * size[1], dtype=acc)
        if x4.dtype.kind == "f":
            y = y.astype(x4.dtype, copy=False)
    else:
        ufunc = np.maximum if mode == "max" else np.minimum
        xp = pad2d(x4, pads, value=_extreme(x4.dtype, mode == "max")) if padded else x4
        y = _reduce_windows(xp, 1, size[0], stride[0], out_hw[0], ufunc)
        y = _reduce_windows(y, 2, size[1], stride[1], out_hw[1], ufunc)
    return _restore(y, ndim)


# --------------------------------------------------------------------------- conv2d

def conv2d(x, kernel, stride=1, padding="valid", dilation=1):
    """2-D cross-correlation like ``keras.layers.Conv2D(..., use_bias=False)``.

    ``kernel`` has Keras' layout ``(kh, kw, in_channels, out_channels)``; as in Keras (and
    every deep-learning library) the kernel is not flipped. ``stride`` and ``dilation`` are
    ints or ``(height, width)`` pairs; ``padding`` is ``"valid"``, ``"same"`` (TensorFlow's
    split, extra cell bottom/right), an int, or ``((top, bottom), (left, right))`` of zeros.
    Unlike TensorFlow, stride > 1 together with dilation > 1 is allowed.

    Output shape (``H'``, ``W'`` from :func:`helpers.arith.output_size`):

    * ``x`` (N, H, W, C) -> (N, H', W', out); ``x`` (H, W, C) -> (H', W', out);
    * ``x`` (H, W) with a 2-D kernel (kh, kw) -> (H', W');
    * ``x`` (H, W) with a kernel (kh, kw, 1, out) -> (H', W', out): the kernel brings a
      channel axis, so the output has one (even when ``out`` is 1).

    The dtype follows NumPy's promotion of ``x`` and ``kernel``, except that integers and bools
    are never left to wrap around: integer or bool ``x`` and ``kernel`` are computed in int64,
    and a call whose largest possible sum (max|x| · Σ|kernel|) would not fit int64 is refused
    with a ``ValueError`` (convert to float instead). A float result that overflows (e.g.
    float16 above 65504) while the inputs were finite is refused with a ``ValueError`` too.
    The padded input, the window buffer and the output must fit the size guard (1 GiB).

    >>> import numpy as np
    >>> x = np.arange(16.0).reshape(4, 4)
    >>> conv2d(x, np.ones((2, 2)))                 # sums of 2x2 windows, "valid"
    array([[10., 14., 18.],
           [26., 30., 34.],
           [42., 46., 50.]])
    >>> conv2d(x, np.ones((3, 3)), padding="same", stride=2).shape
    (2, 2)
    >>> conv2d(x, np.ones((2, 2)), dilation=2)     # taps 2 apart: x[i,j]+x[i,j+2]+x[i+2,j]+x[i+2,j+2]
    array([[20., 24.],
           [36., 40.]])
    >>> conv2d(np.zeros((1, 28, 28, 1)), np.zeros((5, 5, 1, 6))).shape   # LeNet-5's C1
    (1, 24, 24, 6)
    """
    x4, ndim, shape = _as_nhwc(x)
    _check_spatial(x4, shape)
    k = np.asarray(kernel)
    if k.dtype.kind not in "biuf":
        raise ValueError(f"kernel must hold real numbers; got dtype {k.dtype}")
    if ndim == 2 and k.ndim == 2:
        k4, squeeze = k[:, :, None, None], True
    elif k.ndim == 4:
        k4, squeeze = k, False
    else:
        valid = "(kh, kw) or (kh, kw, 1, out)" if ndim == 2 else "(kh, kw, in_channels, out_channels)"
        raise ValueError(f"kernel must have shape {valid} for x of shape {shape}; got kernel shape {k.shape}")
    if min(k4.shape) < 1:
        raise ValueError(f"kernel must have every dimension >= 1; got kernel shape {k.shape}")
    if k4.shape[2] != x4.shape[3]:
        raise ValueError(
            f"kernel has {k4.shape[2]} input channel(s) (kernel shape {k.shape}) but x has "
            f"{x4.shape[3]} (x shape {shape}); kernel.shape[2] must equal x's channel count"
        )
    ksize = k4.shape[:2]
    stride = pair("stride", stride)
    dilation = pair("dilation", dilation)
    hw = x4.shape[1:3]
    pads = _padding_2d(padding, hw, ksize, stride, dilation)
    culprit = "dilation" if isinstance(padding, str) and max(dilation) > 1 else "padding"
    if x4.dtype.kind in "biu" and k4.dtype.kind in "biu":
        # Integers and bools: exact in int64 as long as the largest possible sum fits.
        bound = float(max(abs(int(x4.min(initial=0))), abs(int(x4.max(initial=0))))) * float(
            np.abs(k4.astype(np.float64)).sum(axis=(0, 1, 2)).max(initial=0))
        if bound >= 2.0**63:
            raise ValueError(
                f"x and kernel are integers whose products could sum to {bound:.3g}, beyond int64 "
                f"(about 9.2e18); convert x or kernel to float64 first")
        work = np.int64
    else:
        work = np.result_type(x4.dtype, k4.dtype)
    _guard(culprit, "the padded input", _padded_shape(x4, pads), work)
    out_hw = _output_hw(hw, ksize, stride, pads, dilation,
                        f"kernel of shape {k.shape} (with padding={padding!r}, dilation={dilation!r})", shape)
    n_windows = x4.shape[0] * out_hw[0] * out_hw[1]
    _guard("x", "the window buffer", (n_windows, x4.shape[3] * ksize[0] * ksize[1]), work)
    _guard("x", "the output", (n_windows, k4.shape[3]), work)
    if work == np.int64:
        x4, k4 = x4.astype(np.int64), k4.astype(np.int64)
    elif work == np.float16:
        x4, k4 = x4.astype(np.float32), k4.astype(np.float32)  # sum in float32, then check the range

    span = tuple(effective_kernel(ksize[a], dilation[a]) for a in (0, 1))
    xp = pad2d(x4, pads) if any(p for ab in pads for p in ab) else x4
    # (N, H'', W'', C, span_h, span_w) -> keep every stride-th position and every dilation-th tap.
    windows = sliding_window_view(xp, span, axis=(1, 2))
    windows = windows[:, ::stride[0], ::stride[1], :, ::dilation[0], ::dilation[1]]
    windows = windows[:, :out_hw[0], :out_hw[1]]
    # Sum over channel and the two kernel axes: y[n,i,j,o] = sum_{c,a,b} win[n,i,j,c,a,b] k[a,b,c,o].
    y = np.tensordot(windows, k4, axes=([3, 4, 5], [2, 0, 1]))
    if work == np.float16:
        with np.errstate(over="ignore"):
            y = y.astype(np.float16)
    _finite_or_refuse(y, (x4, k4), f"conv2d of x (dtype {np.asarray(x).dtype}) and kernel (dtype {k.dtype})")
    if ndim == 4:
        return y
    y = y[0]
    return y[:, :, 0] if squeeze else y



# --------------------------------------------------------------------------- lrn_reference

def lrn_reference(a, k=2.0, n=5, alpha=1e-4, beta=0.75, alpha_over_n=False) -> np.ndarray:
    """The paper's local response normalisation in plain NumPy (channels last), loop over channels.

    ``b[..., i] = a[..., i] / (k + alpha * sum_{j=max(0, i-n//2)}^{min(N-1, i+n//2)} a[..., j]**2) ** beta``
    (Krizhevsky et al. 2012, Section 3.3, with k=2, n=5, alpha=1e-4, beta=0.75).
    ``alpha_over_n=True`` uses Caffe's and PyTorch's convention instead, which divides ``alpha`` by ``n``.
    ``a`` is any array of real numbers with the channels last; it is computed in float64 (so integer
    and bool input never wraps around). ``k > 0`` and ``alpha >= 0`` keep the divisor positive.

    >>> float(lrn_reference(np.ones((1, 1, 1)), k=2, n=5, alpha=1.0, beta=1.0)[0, 0, 0])  # 1 / (2 + 1)
    0.3333333333333333
    """
    try:
        arr = np.asarray(a)
    except (TypeError, ValueError):
        raise ValueError(f"a must be an array of real numbers with the channels last, got {a!r}") from None
    if arr.ndim < 1 or arr.shape[-1] < 1 or arr.dtype.kind not in "biuf":
        raise ValueError(f"a must be an array of real numbers with at least one channel (the last axis), "
                         f"got {a!r}")
    k = check_real("k", k, low=0, low_open=True)
    n = positive_int("n", n)
    alpha = check_real("alpha", alpha, low=0)
    beta = check_real("beta", beta, low=0)
    alpha_over_n = check_bool("alpha_over_n", alpha_over_n)
    _guard("a", "a float64 copy of a", arr.shape, np.float64)
    a = arr.astype(np.float64)
    channels = a.shape[-1]
    scale = alpha / n if alpha_over_n else alpha
    out = np.empty_like(a)
    for i in range(channels):
        lo, hi = max(0, i - n // 2), min(channels - 1, i + n // 2)
        sq = np.sum(a[..., lo:hi + 1] ** 2, axis=-1)
        out[..., i] = a[..., i] / (k + scale * sq) ** beta
    return out


__all__ = ["PAD_MODES", "POOL_MODES", "POOL_MODE_NAMES", "conv2d", "lrn_reference", "pad2d", "pool2d"]
