"""helpers.images: the sample images are as promised; shifted crops, relative change and the shift
measurement of lesson 01 compute what their docstrings say."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.images import (IMAGE_NAMES, area_resize, random_relu_features, relative_change, sample_image,
                            shift_change, shifted_crops)


@pytest.mark.parametrize("name", IMAGE_NAMES)
def test_sample_images_are_float32_in_unit_range(name):
    img = sample_image(name)
    assert img.dtype == np.float32 and img.ndim == 2
    assert 0.0 <= img.min() and img.max() <= 1.0
    assert sample_image(name, size=(12, 10), gray=False).shape == (12, 10, 3)


def test_unknown_image_lists_valid_names():
    with pytest.raises(ValueError, match="photo"):
        sample_image("lena")


def test_shifted_crops_move_content_without_wrapping():
    x = np.arange(20.0).reshape(2, 10)
    x0, xs = shifted_crops(x, 3, max_shift=4)
    np.testing.assert_array_equal(xs[:, :-3], x0[:, 3:])
    assert shift_change(x, shifts=(0,), modes=("max",))["max"] == [0.0]



def test_shifted_crops_along_rows_and_their_limits():
    x = np.arange(30.0).reshape(6, 5)
    x0, xs = shifted_crops(x, 2, max_shift=2, axis=0)
    assert x0.shape == xs.shape == (4, 5)
    np.testing.assert_array_equal(xs, x[2:6])
    with pytest.raises(ValueError, match="shift must be at most max_shift=2"):
        shifted_crops(x, 3, max_shift=2)
    with pytest.raises(ValueError, match="needs more than max_shift=6"):
        shifted_crops(x, 1, max_shift=6, axis=0)


def test_area_resize_averages_each_cell_and_enlarges_by_repeating():
    x = np.arange(24.0).reshape(4, 6)
    small = area_resize(x, (2, 3))
    np.testing.assert_allclose(small, x.reshape(2, 2, 3, 2).mean(axis=(1, 3)))
    assert small.mean() == pytest.approx(x.mean())                  # shrinking keeps the mean brightness
    np.testing.assert_array_equal(area_resize(np.array([[1.0, 2.0]]), (2, 4)), [[1, 1, 2, 2], [1, 1, 2, 2]])
    rgb = np.random.default_rng(0).random((9, 7, 3))
    assert area_resize(rgb, 3).shape == (3, 3, 3)


def test_sample_photo_is_the_face_square_shrunk_by_area():
    full = sample_image("photo")
    assert full.shape == (512, 512)
    np.testing.assert_allclose(sample_image("photo", size=64), area_resize(full, 64), atol=1e-6)


def test_relative_change():
    a = np.array([1.0, -3.0])
    assert relative_change(a, a) == 0.0
    assert relative_change(a, 2 * a) == pytest.approx(1.0)
    assert relative_change(10 * a, 10 * a + 1) == pytest.approx(relative_change(a, a + 0.1))   # scale-free
    assert np.isnan(relative_change(np.zeros(3), np.ones(3)))


def test_shift_change_compares_the_crops_position_by_position():
    x = sample_image("edges", 32)
    table = shift_change(x, shifts=(0, 1, 3), size=2, modes=("none", "max"))
    assert table["none"][0] == table["max"][0] == 0.0
    x0, xs = shifted_crops(x, 3, max_shift=3)
    assert table["none"][2] == pytest.approx(relative_change(x0, xs))
    # a checkerboard of 4-pixel squares moved by a whole square inverts: every pixel changes
    checker = sample_image("checker", 32)
    assert shift_change(checker, shifts=(0, 4), modes=("none",))["none"][1] == pytest.approx(2.0)


def test_random_relu_features_are_a_seeded_relu_layer():
    x = sample_image("digit")
    f = random_relu_features(x, channels=4, seed=1)
    assert f.shape == (28, 28, 4) and f.min() == 0.0 and f.max() > 0
    np.testing.assert_array_equal(f, random_relu_features(x, channels=4, seed=1))
    assert not np.array_equal(f, random_relu_features(x, channels=4, seed=2))
    np.testing.assert_allclose(random_relu_features(3 * x, channels=4, seed=1), 3 * f, rtol=1e-5)   # no bias: ReLU(3z) = 3·ReLU(z)
