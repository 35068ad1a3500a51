"""helpers.plots.cifar: lesson 06's figures show the images, augmentations, filters and schedule
they are given, titled and labelled."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from helpers.plots.cifar import augmented_examples, image_grid, rgb_filters, schedule_curve  # noqa: E402

NAMES = ["plane", "car", "bird"]


def _shown(fig):
    """The axes that show a picture, and their pictures' arrays."""
    axes = [ax for ax in fig.axes if ax.images]
    return axes, [np.asarray(ax.images[0].get_array()) for ax in axes]


def test_image_grid_shows_each_image_titled_with_its_class():
    images = np.random.default_rng(0).integers(0, 256, (5, 8, 8, 3), dtype=np.uint8)
    fig = image_grid(images, labels=np.array([[0], [2], [1], [1], [0]]), class_names=NAMES, cols=3)
    axes, shown = _shown(fig)
    assert len(axes) == 5 and len(fig.axes) == 6                  # 2 rows of 3; the sixth cell stays empty
    assert [ax.get_title() for ax in axes] == ["plane", "bird", "car", "car", "plane"]
    assert all(np.array_equal(s, img) for s, img in zip(shown, images))


def test_image_grid_grey_images_numbers_and_titles():
    grey = np.zeros((2, 6, 6, 1), np.uint8)
    axes, shown = _shown(image_grid(grey, labels=[3, 7]))
    assert [ax.get_title() for ax in axes] == ["3", "7"] and shown[0].shape == (6, 6)
    assert axes[0].images[0].get_cmap().name == "gray"
    axes, _ = _shown(image_grid(grey, titles=["a", "b"]))
    assert [ax.get_title() for ax in axes] == ["a", "b"]


def test_augmented_examples_show_the_original_then_what_augment_returns():
    image = np.arange(4 * 4 * 3, dtype=np.uint8).reshape(4, 4, 3)
    calls = []

    def mirror(batch, rng):
        calls.append((batch.shape, rng))
        return batch[:, :, ::-1]

    axes, shown = _shown(augmented_examples(image, mirror, n=4))
    assert len(calls) == 1 and calls[0][0] == (3, 4, 4, 3) and isinstance(calls[0][1], np.random.Generator)
    assert [ax.get_title() for ax in axes] == ["original", "#1", "#2", "#3"]
    assert np.array_equal(shown[0], image) and all(np.array_equal(s, image[:, ::-1]) for s in shown[1:])


def test_augmented_examples_are_repeatable_with_a_seed():
    image = np.zeros((4, 4, 3), np.uint8)

    def noise(batch, rng):
        return rng.integers(0, 256, batch.shape, dtype=np.uint8)

    first = _shown(augmented_examples(image, noise, n=3, seed=5))[1]
    again = _shown(augmented_examples(image, noise, n=3, seed=5))[1]
    other = _shown(augmented_examples(image, noise, n=3, seed=6))[1]
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[1], other[1])


def test_rgb_filters_scale_each_filter_to_its_own_range_with_grey_at_zero():
    kernel = np.zeros((3, 3, 3, 3))
    kernel[0, 0, 0, 0] = 2.0                 # filter 0: one strong positive red weight
    kernel[1, 1, :, 1] = -0.01               # filter 1: tiny negative weights, still full contrast
    fig = rgb_filters(kernel, cols=3, title="conv1 of AlexNet (CIFAR-10)")
    _, shown = _shown(fig)
    assert len(shown) == 3 and fig._suptitle.get_text() == "conv1 of AlexNet (CIFAR-10)"
    assert shown[0][0, 0, 0] == 1.0 and shown[0][1, 1, 0] == 0.5
    assert np.allclose(shown[1][1, 1], 0.0) and np.allclose(shown[2], 0.5)   # an all-zero filter is plain grey


def test_rgb_filters_refuse_a_kernel_that_is_not_rgb():
    with pytest.raises(ValueError, match=r"kernel must be \(k, k, 3, n\)"):
        rgb_filters(np.zeros((3, 3, 1, 4)))


def test_schedule_curve_plots_each_step_against_epochs():
    fig = schedule_curve(lambda step: 0.1 * step, steps_per_epoch=4, epochs=3)
    ax = fig.axes[0]
    (line,) = ax.get_lines()
    x, y = line.get_xdata(), line.get_ydata()
    assert len(x) == 13 and x[-1] == 3 and x[4] == 1                    # 3 epochs of 4 steps, epoch on the x axis
    assert np.allclose(y, 0.1 * np.arange(13))
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "learning rate"
