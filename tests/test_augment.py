"""Random flips and translations of uint8 batches (helpers/augment.py); NumPy only."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.augment import FlipTranslate, alternating_flip, flip_translate, random_flip, random_translate
from helpers.preprocessing import shift


def test_random_flip_mirrors_about_half_of_the_images():
    x = np.random.default_rng(0).integers(0, 256, (400, 5, 6, 3), dtype="uint8")
    out = random_flip(x, np.random.default_rng(1))
    same = np.all(out == x, axis=(1, 2, 3))
    mirrored = np.all(out == x[:, :, ::-1], axis=(1, 2, 3))
    assert np.all(same | mirrored) and 150 < mirrored.sum() < 250
    assert out.dtype == x.dtype and x is not out


def test_random_translate_moves_content_by_at_most_shift():
    x = np.zeros((300, 9, 9, 1), "uint8")
    x[:, 4, 4] = 255                                               # one bright pixel in the middle
    out = random_translate(x, np.random.default_rng(2), shift=2)
    positions = np.argwhere(out[..., 0] == 255)[:, 1:]
    assert len(positions) == 300                                    # the pixel is never lost (2 < 4)
    offsets = positions - 4
    assert np.abs(offsets).max() == 2 and len({tuple(o) for o in offsets}) == 25   # all 5×5 shifts occur
    assert np.array_equal(random_translate(x, np.random.default_rng(0), shift=0), x)


def test_random_translate_is_the_one_shift_at_the_offsets_it_draws():
    """Each image equals preprocessing.shift by its own drawn offset, with a reflected border."""
    x = np.random.default_rng(5).integers(0, 256, (40, 6, 7, 3), dtype="uint8")
    out = random_translate(x, np.random.default_rng(9), shift=2)
    draws = np.random.default_rng(9)
    dy, dx = draws.integers(0, 5, 40), draws.integers(0, 5, 40)      # the same draws, in the same order
    for i in range(40):
        np.testing.assert_array_equal(out[i], shift(x[i:i + 1], 2 - dy[i], 2 - dx[i], fill="reflect")[0])


def test_translate_reflects_at_the_border():
    x = np.arange(16, dtype="uint8").reshape(1, 4, 4, 1)

    class Fixed:  # always picks the largest offset: content moves up-left by `shift`
        def integers(self, lo, hi, n):
            return np.full(n, hi - 1)

    out = random_translate(x, Fixed(), shift=1)[0, ..., 0]
    np.testing.assert_array_equal(out[:3, :3], x[0, 1:, 1:, 0])
    np.testing.assert_array_equal(out[3, :3], x[0, 2, 1:, 0])        # reflected row


def test_alternating_flip_mirrors_each_image_in_every_other_epoch():
    x = np.random.default_rng(0).integers(0, 256, (1000, 3, 4, 1), dtype="uint8")
    index = np.arange(1000)
    seen = [np.all(alternating_flip(x, index, e) == x[:, :, ::-1], axis=(1, 2, 3)) for e in range(4)]
    assert 430 < seen[0].sum() < 570                                  # a pseudo-random half in epoch 0
    assert np.array_equal(seen[1], ~seen[0]) and np.array_equal(seen[2], seen[0])
    assert not np.array_equal(seen[0], np.all(alternating_flip(x, index, 0, seed=1) == x[:, :, ::-1], axis=(1, 2, 3)))
    # the decision belongs to the image, not to its place in the batch
    part = alternating_flip(x[[7, 3]], index[[7, 3]], 0)
    assert np.array_equal(part, alternating_flip(x, index, 0)[[7, 3]])
    with pytest.raises(ValueError, match="one integer per image"):
        alternating_flip(x, index[:5], 0)


def test_augmentation_errors_name_the_argument_and_repr():
    x = np.zeros((2, 4, 4, 3), "uint8")
    with pytest.raises(ValueError, match="shift must be a non-negative integer"):
        random_translate(x, np.random.default_rng(0), shift=-1)
    with pytest.raises(ValueError, match="smaller than the image"):
        random_translate(x, np.random.default_rng(0), shift=4)
    with pytest.raises(ValueError, match="shift must be a non-negative integer"):
        FlipTranslate(-2)
    with pytest.raises(ValueError, match="flips must be"):
        FlipTranslate(flips="sometimes")
    with pytest.raises(TypeError, match="rng"):
        random_flip(x, 0)
    with pytest.raises(ValueError, match="x must be a batch"):
        flip_translate(x[0, 0], np.random.default_rng(0))
    with pytest.raises(ValueError, match="index"):
        alternating_flip(x, [-1, 0], 0)
    with pytest.raises(ValueError, match="epoch"):
        alternating_flip(x, [0, 1], -1)
    with pytest.raises(ValueError, match="seed"):
        FlipTranslate(seed=-1)
    assert flip_translate(x, np.random.default_rng(0)).shape == x.shape
    assert repr(FlipTranslate(shift=4)) == "FlipTranslate(shift=4)"
    assert FlipTranslate(flips="alternating").needs_index and not FlipTranslate().needs_index
