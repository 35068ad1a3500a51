"""Data transforms in plain NumPy: images in, images or a model's input out.

- :func:`shift`: images moved by ``(dy, dx)`` pixels, the uncovered border filled with zeros or by
  reflection. The one shift of the series: lesson 03's shifted digits, lesson 06's test-time views,
  the random translations of :mod:`helpers.augment` and the crops of :func:`helpers.images.shifted_crops`
  all call it.
- :func:`scale_digits`: digits zoomed about their centre (lesson 03's robustness test).
- :func:`to_lenet_input` / :func:`preprocessor`: uint8 digits to the input of ``lenet5(variant)``
  (:data:`LENET_INPUT_SIZES`, :data:`LENET_INPUT_RANGE`).
- :func:`channel_stats` / :class:`normalizer`: per-channel standardisation of uint8 batches (lesson 06).

Why ``channel_stats`` and ``normalizer`` live here and not in :mod:`helpers.cifar`: they are data
transforms of the same kind as ``to_lenet_input`` (a uint8 batch in, a float batch out), they work
for any data set and any model, and they need NumPy only; :mod:`helpers.cifar` keeps the training
recipe that uses them. So every transform is in one module that imports without TensorFlow, and
:mod:`helpers.lenet_model` reads its input sizes from here rather than the other way round.

>>> x = np.arange(9, dtype="uint8").reshape(1, 3, 3)
>>> shift(x, 1, 0)[0]
array([[0, 0, 0],
       [0, 1, 2],
       [3, 4, 5]], dtype=uint8)
>>> shift(x, 1, 0, fill="reflect")[0]
array([[3, 4, 5],
       [0, 1, 2],
       [3, 4, 5]], dtype=uint8)
"""

from __future__ import annotations

import numpy as np

from ._checks import check_real, image_batch, is_int, one_of

#: input size (height, width) of each ``lenet5`` variant; any number of channels
LENET_INPUT_SIZES = {"paper": (32, 32), "modern": (32, 32), "seed": (28, 28)}

#: pixel range each ``lenet5`` variant is fed (background, foreground); the paper aims at mean ~0,
#: variance ~1, but on MNIST digits in a 32×32 field its range gives mean ~0.03, variance ~0.12
#: (lesson 03 measures it)
LENET_INPUT_RANGE = {"paper": (-0.1, 1.175), "modern": (0.0, 1.0), "seed": (0.0, 1.0)}

FILLS = ("zero", "reflect")


def _pixels(name: str, value, limit: int, fill: str) -> int:
    if not is_int(value):
        raise TypeError(f"{name} must be a whole number of pixels (an int), got {value!r}")
    if fill == "reflect" and abs(value) >= limit:
        raise ValueError(f"{name} must be between -{limit - 1} and {limit - 1} pixels to fill by reflection "
                         f"(the image has {limit} pixels along that axis), got {value}")
    return int(value)


# --------------------------------------------------------------------------- moving images
def shift(images, dy: int, dx: int, fill: str = "zero") -> np.ndarray:
    """Images ``(N, H, W)`` or ``(N, H, W, C)`` moved ``dy`` pixels down and ``dx`` pixels right.

    ``out[:, i, j] = images[:, i - dy, j - dx]``; negative values move up or left. Where that pixel lies
    outside the image, ``fill="zero"`` puts 0 (a digit on a blank field; a shift by the whole image
    or more gives zeros), ``fill="reflect"`` mirrors the image at its edge without repeating the
    edge pixel (NumPy's ``"reflect"``, as in CIFAR-10's pad-and-crop; ``|dy| < H`` and ``|dx| < W``).
    Returns a new array of the same shape and dtype; values are copied, never computed.

    >>> shift(np.arange(4).reshape(1, 1, 4), 0, -1, fill="reflect")
    array([[[1, 2, 3, 2]]])
    """
    x = image_batch("images", images)
    fill = one_of("fill", fill, FILLS)
    h, w = x.shape[1], x.shape[2]
    dy, dx = _pixels("dy", dy, h, fill), _pixels("dx", dx, w, fill)
    if fill == "reflect":
        p = max(abs(dy), abs(dx))
        if p == 0:
            return x.copy()
        padded = np.pad(x, ((0, 0), (p, p), (p, p)) + ((0, 0),) * (x.ndim - 3), mode="reflect")
        return padded[:, p - dy:p - dy + h, p - dx:p - dx + w].copy()
    out = np.zeros_like(x)
    if abs(dy) < h and abs(dx) < w:
        out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            x[:, max(-dy, 0):h - max(dy, 0), max(-dx, 0):w - max(dx, 0)]
    return out


def scale_digits(x, factor: float) -> np.ndarray:
    """Images (N, H, W) zoomed by ``factor`` about their centre (bilinear), same size, 0 outside; uint8 kept.

    >>> scale_digits(np.full((1, 4, 4), 100, "uint8"), 0.5)[0]
    array([[  0,   0,   0,   0],
           [  0, 100, 100,   0],
           [  0, 100, 100,   0],
           [  0,   0,   0,   0]], dtype=uint8)
    """
    factor = check_real("factor", factor, low=0, low_open=True)
    x = image_batch("x", x, (3,))
    h, w = x.shape[1], x.shape[2]
    cy, cx = (h - 1) / 2, (w - 1) / 2
    with np.errstate(over="ignore", invalid="ignore"):  # a tiny factor sends every source far outside
        src_y = np.clip((np.arange(h) - cy) / factor + cy, -2.0, h + 1.0)
        src_x = np.clip((np.arange(w) - cx) / factor + cx, -2.0, w + 1.0)
    y0, x0 = np.floor(src_y).astype(int), np.floor(src_x).astype(int)
    fy, fx = (src_y - y0)[:, None], (src_x - x0)[None, :]
    xf = np.pad(x.astype("float32"), ((0, 0), (1, 2), (1, 2)))  # 0 outside the image

    def at(yy, xx):
        yy, xx = np.clip(yy + 1, 0, h + 2), np.clip(xx + 1, 0, w + 2)
        return xf[:, yy[:, None], xx[None, :]]

    out = (at(y0, x0) * (1 - fy) * (1 - fx) + at(y0 + 1, x0) * fy * (1 - fx)
           + at(y0, x0 + 1) * (1 - fy) * fx + at(y0 + 1, x0 + 1) * fy * fx)
    return np.clip(np.rint(out), 0, 255).astype(x.dtype) if x.dtype == np.uint8 else out.astype(x.dtype)


# --------------------------------------------------------------------------- LeNet-5's input
def to_lenet_input(x, variant: str = "paper", dtype="float32") -> np.ndarray:
    """uint8 images (N, H, W) or (N, H, W, C) -> float input of ``lenet5(variant)``.

    Adds the channel axis, pads 28×28 digits with 2 background pixels on each side to 32×32 for
    ``"paper"``/``"modern"`` (the paper's input: a 28×28 field centred in 32×32), and maps 0..255 to the
    variant's :data:`LENET_INPUT_RANGE`: ``[-0.1, 1.175]`` for ``"paper"`` (background -0.1, ink 1.175, §II.B;
    the paper says this makes the mean roughly 0 and the variance roughly 1, but on MNIST in a 32×32 field,
    mostly background, the inputs have mean ≈ 0.03 and variance ≈ 0.12: lesson 03 measures it),
    ``[0, 1]`` otherwise. Works one batch at a time, so the data set itself can stay uint8.

    >>> y = to_lenet_input(np.zeros((1, 28, 28), "uint8"), "paper")
    >>> y.shape, float(y.min())
    ((1, 32, 32, 1), -0.10000000149011612)
    """
    variant = one_of("variant", variant, tuple(LENET_INPUT_SIZES))
    if dtype is None or isinstance(dtype, bool):
        raise TypeError(f"dtype must be a float dtype such as 'float32', got {dtype!r}")
    try:
        kind = np.dtype(dtype).kind
    except (TypeError, ValueError):
        raise TypeError(f"dtype must be a float dtype such as 'float32', got {dtype!r}") from None
    if kind != "f":
        raise ValueError(f"dtype must be a float dtype such as 'float32', got {dtype!r}")
    x = image_batch("x", x)
    if x.dtype.kind == "b":
        raise TypeError("x must hold pixel values 0..255 (uint8), got a bool array")
    if x.ndim == 3:
        x = x[..., None]
    lo, hi = LENET_INPUT_RANGE[variant]
    th, tw = LENET_INPUT_SIZES[variant]
    dh, dw = th - x.shape[1], tw - x.shape[2]
    if dh < 0 or dw < 0:
        raise ValueError(f"x holds images of {x.shape[1]}×{x.shape[2]}, larger than the {th}×{tw} input of "
                         f"variant {variant!r}; crop or resize them first")
    y = x.astype(dtype) * np.asarray((hi - lo) / 255.0, dtype) + np.asarray(lo, dtype)
    if dh or dw:
        y = np.pad(y, ((0, 0), (dh // 2, dh - dh // 2), (dw // 2, dw - dw // 2), (0, 0)), constant_values=lo)
    return y


def preprocessor(variant: str):
    """A function uint8 batch -> model input for ``variant`` (for :func:`helpers.train.fit`).

    >>> preprocessor("seed")(np.zeros((2, 28, 28), "uint8")).shape
    (2, 28, 28, 1)
    """
    variant = one_of("variant", variant, tuple(LENET_INPUT_SIZES))

    def preprocess(x):
        return to_lenet_input(x, variant)

    preprocess.__name__ = f"to_lenet_input_{variant}"
    return preprocess


# --------------------------------------------------------------------------- per-channel standardisation
def channel_stats(x) -> tuple:
    """Per-channel mean and standard deviation of uint8 images ``(N, H, W, C)``, on the 0–1 scale.

    >>> m, s = channel_stats(np.full((2, 4, 4, 3), 255, "uint8"))
    >>> m.tolist(), s.tolist()
    ([1.0, 1.0, 1.0], [0.0, 0.0, 0.0])
    """
    x = image_batch("x", x, (4,), empty=False)
    if x.dtype.kind == "b":
        raise TypeError("x must hold pixel values 0..255 (uint8), got a bool array")
    total, squares, count = 0.0, 0.0, 0
    for i in range(0, len(x), 2000):  # in chunks: a float64 copy of all of CIFAR-10 would take 1.2 GB
        chunk = x[i:i + 2000].reshape(-1, x.shape[-1]).astype("float64") / 255
        total, squares, count = total + chunk.sum(axis=0), squares + (chunk ** 2).sum(axis=0), count + len(chunk)
    mean = total / count
    return mean.astype("float32"), np.sqrt(np.maximum(squares / count - mean ** 2, 0)).astype("float32")


def _per_channel(name: str, value) -> np.ndarray:
    try:
        raw = np.asarray(value)
        ok = raw.dtype.kind in "iuf" and raw.ndim <= 1 and raw.size >= 1
        array = np.asarray(value, "float32") if ok else None
    except (TypeError, ValueError):
        ok = False
    if not ok or not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be one finite number per channel (e.g. [0.49, 0.48, 0.45]), got {value!r}")
    return array


class normalizer:
    """``uint8 batch -> (x/255 - mean) / std`` in float32 (picklable, unlike a closure).

    ``mean`` and ``std`` are per channel on the 0–1 scale, as :func:`channel_stats` returns them.

    >>> normalizer([0.5] * 3, [0.5] * 3)(np.array([[[[255, 0, 255]]]], "uint8")).tolist()
    [[[[1.0, -1.0, 1.0]]]]
    """

    def __init__(self, mean, std):
        self.mean = _per_channel("mean", mean)
        self.std = _per_channel("std", std)
        if np.any(self.std <= 0):
            raise ValueError(f"std must be positive per channel, got {self.std.tolist()}")
        if self.mean.shape != self.std.shape and self.mean.size != 1 and self.std.size != 1:
            raise ValueError(f"mean and std must have one value per channel each, got {self.mean.size} "
                             f"and {self.std.size}")
        self._scale = (1 / (255 * self.std)).astype("float32")
        self._shift = (self.mean / self.std).astype("float32")

    def __call__(self, x):
        return np.asarray(x, "float32") * self._scale - self._shift


__all__ = ["FILLS", "LENET_INPUT_RANGE", "LENET_INPUT_SIZES", "channel_stats", "normalizer", "preprocessor",
           "scale_digits", "shift", "to_lenet_input"]
