"""Small sample images for the lessons, and the shifted crops used to measure translation invariance.

Everything here is NumPy (plus matplotlib's bundled sample photograph); nothing is downloaded.

Images are ``float32`` arrays in ``[0, 1]``, ``(H, W)`` when ``gray=True`` and ``(H, W, 3)`` otherwise:

- ``"photo"``: Grace Hopper's portrait that ships with matplotlib (``grace_hopper.jpg``, 600x512),
  cropped to its top 512x512 square (the face) and, with ``size``, shrunk by area averaging;
- ``"grid"``: a small board of one-decimal numbers (8x8 by default) for the board-style pictures;
- ``"edges"``: a square, a disc and a diagonal step on a dark background (64x64 by default);
- ``"checker"``: a checkerboard with 8 squares per side (64x64 by default);
- ``"digit"``: a hand-drawn-looking "7" made of thick strokes, MNIST-sized (28x28 by default).

>>> sample_image("grid").shape
(8, 8)
>>> sample_image("photo", size=96).shape
(96, 96)
>>> float(sample_image("checker", size=16).max())
1.0
"""

from __future__ import annotations

import functools

import numpy as np

from ._checks import check_size, image_batch, int_sequence, is_int, non_negative_int, one_of, pair, positive_int
from .preprocessing import shift as _shift

IMAGE_NAMES = ("photo", "grid", "edges", "checker", "digit")
_DEFAULT_SIZE = {"photo": None, "grid": 8, "edges": 64, "checker": 64, "digit": 28}


@functools.lru_cache(maxsize=2)
def _photo_rgb() -> np.ndarray:
    import matplotlib.cbook as cbook
    import matplotlib.image as mimage

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        rgb = mimage.imread(f, format="jpg")
    side = min(rgb.shape[:2])
    rgb = rgb[:side, :side]  # the top square holds the face
    out = rgb.astype(np.float32) / 255.0
    out.flags.writeable = False
    return out


def area_resize(image: np.ndarray, size) -> np.ndarray:
    """Resize ``image`` (H, W[, C]) to ``size`` (int or (h, w)) by averaging the pixels of each cell.

    Each output pixel is the mean of the input pixels in its (integer-rounded) cell, so shrinking
    never aliases; enlarging repeats pixels (nearest neighbour).

    >>> area_resize(np.arange(16.0).reshape(4, 4), 2)
    array([[ 2.5,  4.5],
           [10.5, 12.5]])
    """
    image = image_batch("image", image, (2, 3), empty=False, single=True)
    h, w = pair("size", size)
    channels = image.shape[2] if image.ndim == 3 else 1
    check_size("size", f"a {h}×{w} image", h * w * channels * 8)
    out = image
    for axis, n in ((0, h), (1, w)):
        m = out.shape[axis]
        if n == m:
            continue
        if n > m:  # enlarge: nearest neighbour
            idx = (np.arange(n) * m) // n
            out = np.take(out, idx, axis=axis)
            continue
        edges = np.round(np.linspace(0, m, n + 1)).astype(int)
        sums = np.add.reduceat(out.astype(np.float64), edges[:-1], axis=axis)
        counts = np.diff(edges).reshape([-1 if a == axis else 1 for a in range(out.ndim)])
        out = sums / counts
    return out


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=rgb.dtype)


def _disc(h, w, cy, cx, r):
    yy, xx = np.mgrid[:h, :w]
    return ((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r).astype(np.float32)


def _strokes(h, w, segments, width):
    """Anti-aliased thick line segments given in unit coordinates ((y0, x0), (y1, x1))."""
    yy, xx = np.mgrid[:h, :w].astype(np.float32)
    yy, xx = (yy + 0.5) / h, (xx + 0.5) / w
    dist = np.full((h, w), np.inf, dtype=np.float32)
    for (y0, x0), (y1, x1) in segments:
        dy, dx = y1 - y0, x1 - x0
        t = np.clip(((yy - y0) * dy + (xx - x0) * dx) / (dy * dy + dx * dx), 0, 1)
        dist = np.minimum(dist, np.hypot(yy - (y0 + t * dy), xx - (x0 + t * dx)))
    soft = 1.0 / max(h, w)
    return np.clip((width / 2 - dist) / soft + 0.5, 0, 1)


def _synthetic(name: str, h: int, w: int) -> np.ndarray:
    if name == "grid":
        rng = np.random.default_rng(7)
        return rng.integers(0, 10, size=(h, w)) / 10.0
    if name == "checker":
        cell_h, cell_w = max(h // 8, 1), max(w // 8, 1)
        yy, xx = np.mgrid[:h, :w]
        return ((yy // cell_h + xx // cell_w) % 2).astype(np.float64)
    if name == "edges":
        img = np.zeros((h, w))
        img[h // 8: h // 2, w // 8: w // 2] = 1.0                    # a square
        img = np.maximum(img, _disc(h, w, 0.3 * h, 0.72 * w, 0.17 * min(h, w)) * 0.6)  # a disc
        yy, xx = np.mgrid[:h, :w]
        img = np.maximum(img, ((yy / h + xx / w) > 1.3) * 0.8)          # a diagonal step
        return img
    if name == "digit":  # a "7": top bar and a slanted stem
        segs = [((0.22, 0.25), (0.22, 0.75)), ((0.22, 0.75), (0.80, 0.42)), ((0.50, 0.45), (0.50, 0.68))]
        return _strokes(h, w, segs, width=0.11)
    raise AssertionError(name)


def sample_image(name: str = "photo", size=None, gray: bool = True) -> np.ndarray:
    """One of the lessons' sample images as float32 in [0, 1] (see the module docstring).

    ``size`` is an int (square) or ``(h, w)``; ``None`` keeps the image's own size (512x512 for the
    photo). ``gray=False`` returns ``(H, W, 3)`` (the synthetic images repeat their gray channel).

    >>> sample_image("digit").shape
    (28, 28)
    >>> sample_image("photo", size=(48, 32), gray=False).shape
    (48, 32, 3)
    """
    one_of("name", name, IMAGE_NAMES)
    if name == "photo":
        rgb = _photo_rgb()
        img = rgb if size is None else area_resize(rgb, size)
        img = _luminance(img) if gray else img
    else:
        h, w = pair("size", size if size is not None else _DEFAULT_SIZE[name])
        img = _synthetic(name, h, w)
        if not gray:
            img = np.repeat(img[..., None], 3, axis=-1)
    return np.clip(np.asarray(img, dtype=np.float32), 0.0, 1.0)


def shifted_crops(image: np.ndarray, shift: int, max_shift: int = 4, axis: int = 1):
    """Two equal crops of ``image``, the second moved ``shift`` pixels along ``axis``.

    Returns ``(x0, xs)`` with ``x0 = image[..., 0 : W - max_shift]`` and
    ``xs = image[..., shift : W - max_shift + shift]`` (for ``axis=1``): the content of ``xs`` is
    ``x0``'s moved ``shift`` pixels left (or up for ``axis=0``), real new pixels entering at the edge.
    Unlike ``np.roll`` nothing wraps around, so the border does not invent a seam. The moving is
    :func:`helpers.preprocessing.shift`; the crop keeps only pixels that were in the image.

    >>> x0, xs = shifted_crops(np.arange(6.0)[None, :], 1, max_shift=2)
    >>> x0, xs
    (array([[0., 1., 2., 3.]]), array([[1., 2., 3., 4.]]))
    """
    image = image_batch("image", image, (2, 3), single=True)
    shift = non_negative_int("shift", shift)
    max_shift = non_negative_int("max_shift", max_shift)
    if not is_int(axis):
        raise TypeError(f"axis must be 0 (rows) or 1 (columns), got {axis!r}")
    one_of("axis", axis, (0, 1))
    if shift > max_shift:
        raise ValueError(f"shift must be at most max_shift={max_shift}, got {shift}")
    n = image.shape[axis]
    if n <= max_shift:
        raise ValueError(f"image has {n} pixels along axis {axis}; it needs more than max_shift={max_shift}")
    moved = _shift(image[None], *((-shift, 0) if axis == 0 else (0, -shift)))[0]  # content moved up/left
    crop = lambda a: np.take(a, np.arange(0, n - max_shift), axis=axis)  # noqa: E731
    return crop(image), crop(moved)


def _values(name: str, value) -> np.ndarray:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = np.asarray(None)
    if array.dtype.kind not in "iuf" or array.size == 0:
        raise ValueError(f"{name} must be a non-empty array of numbers, got {value!r}")
    return array.astype(np.float64)


def relative_change(before: np.ndarray, after: np.ndarray) -> float:
    """``mean|after - before| / mean|before|``: 0 when nothing changed (NaN if ``before`` is all 0).

    >>> relative_change(np.array([1.0, 3.0]), np.array([1.0, 2.0]))
    0.25
    """
    before, after = _values("before", before), _values("after", after)
    if before.shape != after.shape:
        raise ValueError(f"after must have the shape of before, {before.shape}, got {after.shape}")
    scale = np.mean(np.abs(before))
    return float(np.mean(np.abs(after - before)) / scale) if scale > 0 else float("nan")


def shift_change(image: np.ndarray, shifts=(0, 1, 2, 3, 4), size=2, stride=None, padding="valid",
                 modes=("none", "max", "avg", "min"), axis: int = 1, feature=None) -> dict:
    """How much pooled outputs change when the input moves by each of ``shifts`` pixels.

    For each shift ``s`` the input crops ``x0, xs`` of :func:`shifted_crops` (``max_shift`` =
    ``max(shifts)``) go through ``feature`` (optional: e.g. a ReLU conv layer as a function of a
    (H, W[, C]) array) and then through :func:`helpers.pool2d` with ``mode``; ``"none"`` means no
    pooling. Returns ``{mode: [relative_change(y0, ys) for s in shifts]}``. Outputs are compared
    position by position, as the next layer sees them.

    >>> table = shift_change(sample_image("checker", 32), shifts=(0, 2), modes=("none", "max"))
    >>> table["max"][0]
    0.0
    """
    from .ops import pool2d

    image = image_batch("image", image, (2, 3), empty=False, single=True)
    shifts = int_sequence("shifts", shifts)
    for i, s in enumerate(shifts):
        non_negative_int(f"shifts[{i}]", s)
    if isinstance(modes, str) or not hasattr(modes, "__iter__"):
        raise TypeError(f"modes must be a sequence of pooling modes such as ('none', 'max'), got {modes!r}")
    modes = [one_of(f"modes[{i}]", m, ("none", "max", "avg", "min")) for i, m in enumerate(modes)]
    if feature is not None and not callable(feature):
        raise TypeError(f"feature must be None or a function of an image, got {feature!r}")
    max_shift = max(shifts)
    feature = feature or (lambda x: x)
    result = {m: [] for m in modes}
    for s in shifts:
        x0, xs = shifted_crops(image, s, max_shift, axis)
        f0, fs = np.asarray(feature(x0)), np.asarray(feature(xs))
        for m in modes:
            if m == "none":
                result[m].append(relative_change(f0, fs))
            else:
                result[m].append(relative_change(pool2d(f0, size, stride, padding, mode=m),
                                                 pool2d(fs, size, stride, padding, mode=m)))
    return result


def random_relu_features(image: np.ndarray, channels: int = 8, kernel: int = 3, seed: int = 0) -> np.ndarray:
    """ReLU feature maps of a random (seeded, He-normal) ``kernel``x``kernel`` conv layer, "same" padding.

    A stand-in for a first conv layer: (H, W) in, (H, W, channels) out, deterministic for a seed.

    >>> random_relu_features(np.ones((6, 6)), channels=2).shape
    (6, 6, 2)
    """
    from .ops import conv2d

    image = image_batch("image", image, (2,), empty=False, single=True)
    channels, kernel = positive_int("channels", channels), positive_int("kernel", kernel)
    check_size("kernel", f"{kernel}×{kernel} weights for {channels} channels", kernel * kernel * channels * 8)
    check_size("channels", f"{channels} feature maps of {image.shape[0]}×{image.shape[1]}",
               image.size * channels * 8)
    rng = np.random.default_rng(non_negative_int("seed", seed))
    weights = rng.normal(0, np.sqrt(2 / (kernel * kernel)), size=(kernel, kernel, 1, channels))
    x = np.asarray(image, dtype=np.float64)[..., None]
    return np.maximum(conv2d(x, weights, padding="same"), 0.0)


__all__ = ["IMAGE_NAMES", "area_resize", "random_relu_features", "relative_change", "sample_image", "shift_change", "shifted_crops"]
