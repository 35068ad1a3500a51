"""helpers.gradients: the conv stacks of lesson 02's vanishing-gradient check and their per-layer
gradient RMS, checked against a case with a closed-form gradient."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from helpers.gradients import conv_stack, first_last_ratios, layer_gradient_norms  # noqa: E402

pytestmark = pytest.mark.tf


@pytest.mark.parametrize("padding, size", [("same", 16), ("valid", 10)])
def test_conv_stack_keeps_or_shrinks_the_size(padding, size):
    model = conv_stack(3, padding, 16, channels=4)
    assert [layer.name for layer in model.layers] == ["conv1", "conv2", "conv3"]
    assert model.output_shape == (None, size, size, 4)            # "valid" loses 2 rows per 3x3 layer


def test_conv_stack_initialises_for_its_activation():
    relu, tanh = conv_stack(1, "same", 8, activation="relu"), conv_stack(1, "same", 8, activation="tanh")
    assert type(relu.layers[0].kernel_initializer).__name__ == "HeNormal"
    assert type(tanh.layers[0].kernel_initializer).__name__ == "GlorotUniform"


def test_a_valid_stack_that_runs_out_of_pixels_says_where():
    with pytest.raises(ValueError, match="runs out of pixels after 15 layers"):
        conv_stack(16, "valid", 32)                                # 32 - 2·15 = 2, the 16th leaves 0
    with pytest.raises(ValueError, match="depth"):
        conv_stack(0, "same", 8)
    with pytest.raises(ValueError, match="padding"):
        conv_stack(2, "full", 8)


def test_gradient_of_a_single_linear_weight_has_its_closed_form():
    """One 1x1 linear conv: loss = mean((w·x)²), so d(loss)/dw = 2·w·mean(x²) (the bias starts at 0)."""
    seed, batch, n = 3, 2, 5
    w = float(keras.ops.convert_to_numpy(
        conv_stack(1, "same", n, channels=1, kernel=1, activation="linear", seed=seed).layers[0].kernel).item())
    x = np.random.default_rng(seed).standard_normal((batch, n, n, 1))
    (norm,) = layer_gradient_norms(depth=1, padding="same", input_size=n, channels=1, kernel=1,
                                   activation="linear", batch=batch, seed=seed)
    assert norm == pytest.approx(abs(2 * w * np.mean(x ** 2)), rel=1e-5)


def test_norms_are_one_per_layer_positive_and_repeatable():
    a = layer_gradient_norms(depth=4, input_size=8, channels=2, batch=2, seed=1)
    b = layer_gradient_norms(depth=4, input_size=8, channels=2, batch=2, seed=1)
    assert len(a) == 4 and all(v > 0 for v in a) and a == b
    assert layer_gradient_norms(depth=4, input_size=8, channels=2, batch=2, seed=2) != a


def test_first_last_ratios_are_the_norm_ratios_of_each_seed():
    kw = dict(depth=3, padding="valid", input_size=10, channels=2, batch=2)
    ratios = first_last_ratios(seeds=(0, 1), **kw)
    expected = [(lambda v: v[0] / v[-1])(layer_gradient_norms(seed=s, **kw)) for s in (0, 1)]
    assert ratios == pytest.approx(expected)
