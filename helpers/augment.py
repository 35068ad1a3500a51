"""Data augmentation for image batches in plain NumPy: random flips and translations.

Works on uint8 (or any dtype) batches shaped ``(N, H, W, C)`` and returns a new array of the same
shape and dtype, so it slots in before the float conversion of :class:`helpers.train.Batches`.
A translation by up to ``shift`` pixels pads each image by reflection and crops it back at a random
offset (the "pad and crop" of Krizhevsky et al. 2012 Sec. 4.1 and of most CIFAR-10 recipes since).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> x = np.arange(2 * 4 * 4 * 1, dtype="uint8").reshape(2, 4, 4, 1)
>>> flip_translate(x, rng, shift=1).shape
(2, 4, 4, 1)
"""

from __future__ import annotations

import numpy as np


def random_flip(x, rng) -> np.ndarray:
    """Mirror a random half of the images left-right (each with probability 1/2)."""
    x = np.array(x, copy=True)
    flip = rng.random(len(x)) < 0.5
    x[flip] = x[flip, :, ::-1]
    return x


def random_translate(x, rng, shift: int = 2) -> np.ndarray:
    """Shift each image by a random (dy, dx) in ``[-shift, shift]``², filling the border by reflection."""
    x = np.asarray(x)
    shift = int(shift)
    if shift < 0:
        raise ValueError(f"shift must be >= 0 pixels, got {shift!r}")
    if shift == 0 or len(x) == 0:
        return np.array(x, copy=True)
    n, h, w = x.shape[:3]
    if shift >= min(h, w):
        raise ValueError(f"shift must be smaller than the image ({h}×{w}), got {shift}")
    padded = np.pad(x, ((0, 0), (shift, shift), (shift, shift)) + ((0, 0),) * (x.ndim - 3), mode="reflect")
    dy = rng.integers(0, 2 * shift + 1, n)
    dx = rng.integers(0, 2 * shift + 1, n)
    out = np.empty_like(x)
    for oy in range(2 * shift + 1):          # one vectorised crop per offset pair
        for ox in range(2 * shift + 1):
            sel = np.flatnonzero((dy == oy) & (dx == ox))
            if len(sel):
                out[sel] = padded[sel, oy:oy + h, ox:ox + w]
    return out


def flip_translate(x, rng, shift: int = 2) -> np.ndarray:
    """:func:`random_flip` then :func:`random_translate`: the standard CIFAR-10 augmentation."""
    return random_translate(random_flip(x, rng), rng, shift)


class FlipTranslate:
    """The augmentation as a picklable callable ``(x, rng) -> x`` for :func:`helpers.train.fit`.

    >>> FlipTranslate(shift=4)
    FlipTranslate(shift=4)
    """

    def __init__(self, shift: int = 2):
        self.shift = int(shift)
        if self.shift < 0:
            raise ValueError(f"shift must be >= 0 pixels, got {shift!r}")

    def __call__(self, x, rng):
        return flip_translate(x, rng, self.shift)

    def __repr__(self):
        return f"FlipTranslate(shift={self.shift})"


__all__ = ["FlipTranslate", "flip_translate", "random_flip", "random_translate"]
