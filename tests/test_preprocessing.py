"""Data transforms (helpers/preprocessing.py): the one shift, digit zoom, LeNet-5's input, channel standardisation.

Everything here is NumPy: no test needs TensorFlow.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from helpers.preprocessing import (LENET_INPUT_RANGE, LENET_INPUT_SIZES, channel_stats, normalizer, preprocessor,
                                   scale_digits, shift, to_lenet_input)


# --- shift ---------------------------------------------------------------------------------------
def _by_hand(x, dy, dx, fill):
    """out[:, i, j] = x[:, i - dy, j - dx], read pixel by pixel (the definition in shift's docstring)."""
    h, w = x.shape[1:3]
    out = np.zeros_like(x)
    for i in range(h):
        for j in range(w):
            si, sj = i - dy, j - dx
            if fill == "reflect":  # NumPy's "reflect": mirror about the edge pixel, which is not repeated
                si = -si if si < 0 else 2 * (h - 1) - si if si >= h else si
                sj = -sj if sj < 0 else 2 * (w - 1) - sj if sj >= w else sj
            elif not (0 <= si < h and 0 <= sj < w):
                continue
            out[:, i, j] = x[:, si, sj]
    return out


@pytest.mark.parametrize("fill", ["zero", "reflect"])
@pytest.mark.parametrize("channels", [None, 3])
def test_shift_equals_its_definition_pixel_by_pixel(fill, channels):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (2, 5, 6) + ((channels,) if channels else ()), dtype="uint8")
    for dy in range(-4, 5):
        for dx in range(-5, 6):
            out = shift(x, dy, dx, fill=fill)
            np.testing.assert_array_equal(out, _by_hand(x, dy, dx, fill), err_msg=f"{fill} {dy} {dx}")
            assert out.dtype == x.dtype and out.shape == x.shape and out is not x


def test_shift_moves_down_right_and_back():
    x = np.arange(2 * 5 * 5 * 1, dtype="uint8").reshape(2, 5, 5, 1)
    np.testing.assert_array_equal(shift(x, 1, 1)[:, 1:, 1:], x[:, :-1, :-1])           # content moved down-right
    np.testing.assert_array_equal(shift(x, -1, -1, fill="reflect")[:, :-1, :-1], x[:, 1:, 1:])
    assert shift(x, 1, 1)[:, 0].sum() == 0                                               # zeros came in
    np.testing.assert_array_equal(shift(x, 0, 0, fill="reflect"), x)


def test_shift_by_the_whole_image_or_more_leaves_zeros():
    x = np.ones((1, 3, 4), "float32")
    assert shift(x, 3, 0).sum() == 0 and shift(x, 0, -40).sum() == 0 and shift(x, 10**12, 0).sum() == 0


def test_shift_refuses_bad_arguments_by_name():
    x = np.zeros((2, 4, 4), "uint8")
    with pytest.raises(ValueError, match="images"):
        shift(np.zeros((4, 4)), 1, 1)
    with pytest.raises(TypeError, match="dy"):
        shift(x, 1.5, 0)
    with pytest.raises(TypeError, match="dx"):
        shift(x, 0, True)
    with pytest.raises(ValueError, match="fill"):
        shift(x, 1, 1, fill="wrap")
    with pytest.raises(ValueError, match="dy must be between -3 and 3"):
        shift(x, 4, 0, fill="reflect")


def test_preprocessing_imports_without_tensorflow():
    code = ("import sys, helpers.preprocessing, helpers.augment, helpers.images\n"
            "assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules, 'TensorFlow was imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


# --- digits ----------------------------------------------------------------------------------------
def test_scale_digits_keeps_size_dtype_and_grows_the_ink():
    x = np.zeros((1, 6, 6), "uint8")
    x[0, 2, 3] = 200
    np.testing.assert_array_equal(scale_digits(x, 1.0), x)
    big = np.zeros((1, 9, 9), "uint8")
    big[0, 3:6, 3:6] = 255
    assert (scale_digits(big, 2.0) > 0).sum() > (big > 0).sum()
    assert (scale_digits(big, 0.5) > 0).sum() < (big > 0).sum()
    assert scale_digits(big, 1e-300).sum() <= 255                     # all but the centre comes from outside
    with pytest.raises(ValueError, match="factor"):
        scale_digits(x, 0)
    with pytest.raises(ValueError, match="x must be a batch"):
        scale_digits(np.zeros((1, 6, 6, 1), "uint8"), 2.0)


def test_to_lenet_input_pads_and_scales():
    x = np.zeros((2, 28, 28), "uint8")
    x[:, 10, 10] = 255
    paper = to_lenet_input(x, "paper")
    assert paper.shape == (2, 32, 32, 1) and paper.dtype == np.float32
    np.testing.assert_allclose([paper.min(), paper.max()], [-0.1, 1.175], atol=1e-6)
    assert paper[0, 12, 12, 0] == pytest.approx(1.175)
    seed = to_lenet_input(x, "seed")
    assert seed.shape == (2, 28, 28, 1) and seed.max() == 1.0
    assert to_lenet_input(x, "modern", dtype="float64").dtype == np.float64
    with pytest.raises(ValueError, match="larger"):
        to_lenet_input(np.zeros((1, 40, 40), "uint8"))
    with pytest.raises(ValueError, match="variant"):
        to_lenet_input(x, "lenet1")
    with pytest.raises(TypeError, match="dtype"):
        to_lenet_input(x, dtype="bogus")
    with pytest.raises(ValueError, match="dtype"):
        to_lenet_input(x, dtype="int32")


def test_preprocessor_is_to_lenet_input_and_the_sizes_are_the_models():
    pytest.importorskip("keras")
    from helpers.lenet_model import VARIANTS, lenet5

    x = np.random.default_rng(2).integers(0, 256, (3, 28, 28), dtype="uint8")
    assert tuple(LENET_INPUT_SIZES) == tuple(LENET_INPUT_RANGE) == VARIANTS
    for variant in VARIANTS:
        np.testing.assert_array_equal(preprocessor(variant)(x), to_lenet_input(x, variant))
        assert to_lenet_input(x, variant).shape[1:] == tuple(lenet5(variant).input_shape[1:])
    with pytest.raises(ValueError, match="variant"):
        preprocessor(np.zeros(3))


# --- per-channel standardisation -----------------------------------------------------------------
def test_channel_stats_and_normalizer():
    x = np.random.default_rng(1).integers(0, 256, (20, 4, 4, 3), dtype="uint8")
    mean, std = channel_stats(x)
    z = normalizer(mean, std)(x)
    assert z.dtype == np.float32
    np.testing.assert_allclose(z.reshape(-1, 3).mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(z.reshape(-1, 3).std(0), 1, atol=1e-4)
    with pytest.raises(ValueError, match="std must be positive"):
        normalizer([0, 0, 0], [1, 0, 1])
    with pytest.raises(ValueError, match="mean"):
        normalizer("bogus", [1, 1, 1])
    with pytest.raises(ValueError, match="x must hold at least one pixel"):
        channel_stats(np.zeros((0, 4, 4, 3), "uint8"))
