"""Data augmentation for image batches in plain NumPy: random flips and translations.

Works on uint8 (or any dtype) batches shaped ``(N, H, W, C)`` and returns a new array of the same
shape and dtype, so it slots in before the float conversion of :class:`helpers.train.Batches`.
A translation by up to ``shift`` pixels moves each image by a random offset and fills the border by
reflection (:func:`helpers.preprocessing.shift`; the "pad and crop" of Krizhevsky et al. 2012 Sec. 4.1
and of most CIFAR-10 recipes since).
:func:`alternating_flip` is the derandomised flip of the CIFAR-10 speed records (Jordan 2024, "94% on
CIFAR-10 in 3.29 seconds on a single GPU", Sec. 3.6): each image is mirrored in every other epoch, so that
over any two epochs the network sees both orientations, instead of by a coin toss each time.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> x = np.arange(2 * 4 * 4 * 1, dtype="uint8").reshape(2, 4, 4, 1)
>>> flip_translate(x, rng, shift=1).shape
(2, 4, 4, 1)
"""

from __future__ import annotations

import numpy as np

from ._checks import image_batch, non_negative_int, one_of
from .preprocessing import shift as _shift


def _rng(rng, method: str):
    """A random generator (``np.random.default_rng(seed)``), or anything with its ``method``."""
    if not callable(getattr(rng, method, None)):
        raise TypeError(f"rng must be a NumPy random Generator (np.random.default_rng(seed)), got {rng!r}")
    return rng


def _seed(seed) -> int:
    seed = non_negative_int("seed", seed)
    if seed >= 2**64:
        raise ValueError(f"seed must be below 2**64 (it is hashed as a 64-bit integer), got {seed}")
    return seed


def random_flip(x, rng) -> np.ndarray:
    """Mirror a random half of the images left-right (each with probability 1/2).

    >>> random_flip(np.arange(4).reshape(2, 1, 2), np.random.default_rng(0)).tolist()
    [[[0, 1]], [[3, 2]]]
    """
    x = np.array(image_batch("x", x), copy=True)
    rng = _rng(rng, "random")
    flip = rng.random(len(x)) < 0.5
    x[flip] = x[flip, :, ::-1]
    return x


def _coin(index, seed: int) -> np.ndarray:
    """A fixed pseudo-random bit per integer index (a 64-bit multiplicative hash: no table to store)."""
    h = (np.asarray(index, dtype="uint64") + np.uint64(seed)) * np.uint64(0x9E3779B97F4A7C15)
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xBF58476D1CE4E5B9)
    return (h >> np.uint64(63)).astype(bool)


def alternating_flip(x, index, epoch: int, seed: int = 0) -> np.ndarray:
    """Mirror image ``index[j]`` of batch ``x`` iff its fixed coin XOR ``epoch`` is odd.

    In epoch 0 a pseudo-random half of the data set is mirrored (the coin); every later epoch mirrors
    exactly the images the previous epoch did not.

    >>> import numpy as np
    >>> x = np.arange(8, dtype="uint8").reshape(4, 1, 2, 1)
    >>> a, b = alternating_flip(x, np.arange(4), 0), alternating_flip(x, np.arange(4), 1)
    >>> bool(np.all((a == x) != (b == x)))
    True
    """
    x = np.array(image_batch("x", x), copy=True)
    try:
        index = np.asarray(index)
    except (TypeError, ValueError):
        index = None
    if index is None or index.ndim != 1 or index.dtype.kind not in "iu" or np.any(index < 0):
        raise ValueError(f"index must be one integer >= 0 per image (their positions in the data set), got {index!r}")
    if len(index) != len(x):
        raise ValueError(f"index must hold one integer per image, got {len(index)} for {len(x)} images")
    epoch = non_negative_int("epoch", epoch)
    flip = _coin(index, _seed(seed)) ^ bool(epoch % 2)
    x[flip] = x[flip, :, ::-1]
    return x


def random_translate(x, rng, shift: int = 2) -> np.ndarray:
    """Move each image by a random (dy, dx) in ``[-shift, shift]``², filling the border by reflection.

    The offsets are drawn here (one pair per image); the moving is :func:`helpers.preprocessing.shift`,
    once per distinct offset pair, on all the images that drew it.

    >>> x = np.arange(18, dtype="uint8").reshape(2, 3, 3)
    >>> random_translate(x, np.random.default_rng(3), shift=1)[0]
    array([[4, 3, 4],
           [7, 6, 7],
           [4, 3, 4]], dtype=uint8)
    """
    x = image_batch("x", x)
    rng = _rng(rng, "integers")
    shift = non_negative_int("shift", shift)
    if shift == 0 or len(x) == 0:
        return np.array(x, copy=True)
    n, h, w = x.shape[:3]
    if shift >= min(h, w):
        raise ValueError(f"shift must be smaller than the image ({h}×{w}), got {shift}")
    dy = rng.integers(0, 2 * shift + 1, n)
    dx = rng.integers(0, 2 * shift + 1, n)
    out = np.empty_like(x)
    for oy in range(2 * shift + 1):          # one vectorised shift per offset pair
        for ox in range(2 * shift + 1):
            sel = np.flatnonzero((dy == oy) & (dx == ox))
            if len(sel):
                out[sel] = _shift(x[sel], shift - oy, shift - ox, fill="reflect")
    return out


def flip_translate(x, rng, shift: int = 2) -> np.ndarray:
    """:func:`random_flip` then :func:`random_translate`: the standard CIFAR-10 augmentation."""
    return random_translate(random_flip(x, rng), rng, shift)


class FlipTranslate:
    """The augmentation as a picklable callable ``(x, rng) -> x`` for :func:`helpers.train.fit`.

    ``flips="random"`` mirrors each image with probability 1/2; ``"alternating"`` uses
    :func:`alternating_flip`, for which :class:`helpers.train.Batches` also passes each image's index in the
    data set and the epoch (``index=``, ``epoch=``; without them it falls back to random flips).

    >>> FlipTranslate(shift=4)
    FlipTranslate(shift=4)
    """

    def __init__(self, shift: int = 2, flips: str = "random", seed: int = 0):
        self.shift = non_negative_int("shift", shift)
        self.flips = one_of("flips", flips, ("random", "alternating"))
        self.seed = _seed(seed)

    @property
    def needs_index(self) -> bool:
        """True when the flips depend on each image's index and the epoch."""
        return self.flips == "alternating"

    def __call__(self, x, rng, index=None, epoch=None):
        if self.needs_index and index is not None and epoch is not None:
            return random_translate(alternating_flip(x, index, epoch, self.seed), rng, self.shift)
        return flip_translate(x, rng, self.shift)

    def __repr__(self):
        extra = "" if self.flips == "random" else f", flips={self.flips!r}"
        return f"FlipTranslate(shift={self.shift}{extra})"


__all__ = ["FlipTranslate", "alternating_flip", "flip_translate", "random_flip", "random_translate"]
