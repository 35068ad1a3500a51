"""helpers.plots.alexnet: lesson 05's error curves and layer shares draw the numbers they are given."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("matplotlib")
keras = pytest.importorskip("keras")

import helpers  # noqa: E402
from helpers.alexnet_model import alexnet_layers  # noqa: E402
from helpers.plots.alexnet import plot_error_curves, plot_layer_shares  # noqa: E402

pytestmark = pytest.mark.tf


def test_plot_error_curves_uses_the_recorded_steps():
    fig = plot_error_curves({f"run {i}": {"steps": [16, 32, 40], "train_error": [0.6, 0.3, 0.2]} for i in range(7)},
                            target=0.25)
    lines = fig.axes[0].get_lines()
    assert list(lines[0].get_xdata()) == [16, 32, 40] and len(lines) == 8   # 7 runs + the target line
    # told apart by style as well as colour: the first six runs differ in both colour and marker
    assert len({(l.get_color(), l.get_marker()) for l in lines[:6]}) == 6 == len({l.get_marker() for l in lines[:6]})


def test_plot_error_curves_falls_back_to_epochs_and_dashes_the_test_error():
    rec = {"train_error": [0.8, 0.5, 0.2], "test_error": [0.8, 0.6, 0.5], "steps_per_epoch": 10}
    ax = plot_error_curves({"relu": rec}, keys=("train_error", "test_error"), title="Figure 1 at CPU scale").axes[0]
    train, test = ax.get_lines()
    assert list(train.get_xdata()) == [10, 20, 30] and list(test.get_ydata()) == [0.8, 0.6, 0.5]
    assert (train.get_linestyle(), test.get_linestyle()) == ("-", "--")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["relu (train)", "relu (test)"]
    assert ax.get_ylim() == (0, 1) and ax.get_xlabel() and ax.get_ylabel() == "error rate"


def test_plot_layer_shares_labels_both_axes():
    ax = plot_layer_shares(helpers.shape_trace(alexnet_layers("paper"), (227, 227, 3)), title="AlexNet").axes[0]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() == "AlexNet"
    assert [t.get_text() for t in ax.get_xticklabels()][-3:] == ["fc6", "fc7", "fc8"]


def test_plot_layer_shares_bars_are_the_traces_shares():
    trace = helpers.shape_trace(alexnet_layers("paper"), (227, 227, 3))
    ax = plot_layer_shares(trace).axes[0]
    heights = np.array([bar.get_height() for bar in ax.patches])
    params, macs = heights[:len(heights) // 2], heights[len(heights) // 2:]
    assert params.sum() == pytest.approx(1) and macs.sum() == pytest.approx(1)
    weighted = [r for r in trace.rows if r.params or r.multiply_adds]
    assert params == pytest.approx([r.params / trace.total_params for r in weighted])
    names = [r.name for r in weighted]
    assert params[names.index("fc6")] > 0.5 > macs[names.index("fc6")]       # fc6: most weights, little arithmetic
