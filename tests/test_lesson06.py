"""Lesson 06's own helpers: the exercise checks (helpers.exercises.cifar), the normalisation comparison and LRN
factors (helpers.experiments), and the mistakes gallery's titles (no overlap)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.exercises import cifar as ex


# ------------------------------------------------------------------ exercise checks
def test_conv2_multiply_adds_equals_the_shape_trace(capsys):
    from helpers import shape_trace
    from helpers.alexnet_model import alexnet_layers

    trace = shape_trace(alexnet_layers("cifar"), (32, 32, 3))
    right = next(row for row in trace.rows if row.name == "conv2").multiply_adds
    assert ex.check_conv2_multiply_adds(right) is True
    assert ex.check_conv2_multiply_adds(float(right)) is True
    for wrong in (3 * 3 * 54 * 64, 30 * 30 * 64 * 3 * 3 * 54, right + 1, None, True, "31850496"):
        assert ex.check_conv2_multiply_adds(wrong) is False
    out = capsys.readouterr().out
    assert f"{right:,}" not in out.split("✔")[0] or "✔" in out   # the hint never states the number


def test_smoothing_floor_is_the_entropy_of_the_targets():
    t = np.array([0.82] + [0.02] * 9)
    right = float(-(t * np.log(t)).sum())
    assert ex.check_smoothing_floor(right) is True
    assert ex.check_smoothing_floor(np.float32(right)) is True
    # numerically: cross-entropy against the smoothed target is smallest at p = t
    rng = np.random.default_rng(0)
    for _ in range(50):
        p = rng.dirichlet(np.ones(10))
        assert -(t * np.log(p)).sum() >= right - 1e-12
    for wrong in (0, -math.log(0.82), right + 0.05, None, float("nan")):
        assert ex.check_smoothing_floor(wrong) is False


def test_lrn_factor_matches_the_layer():
    from helpers.alexnet_model import LocalResponseNormalization

    a = np.full((1, 1, 1, 5), ex.LRN_ACTIVATION, "float32")
    factor = float(np.asarray(LocalResponseNormalization()(a))[0, 0, 0, 2] / ex.LRN_ACTIVATION)   # the middle channel
    assert ex.check_lrn_factor(factor) is True
    for wrong in (2 ** -0.75, (2 + 1e-4 * 100 ** 2) ** -0.75, 1.0, None):
        assert ex.check_lrn_factor(wrong) is False


def test_confused_pair():
    names = ["a", "b", "c"]
    counts = np.array([[50, 7, 1], [2, 40, 3], [0, 9, 30]])
    assert ex.check_confused_pair(("c", "b"), counts, names) is True
    assert ex.check_confused_pair(["c", "b"], counts, names) is True
    assert ex.check_confused_pair(("b", "c"), counts, names) is False     # wrong way round
    assert ex.check_confused_pair(("a", "b"), counts, names) is False
    assert ex.check_confused_pair(("a", "a"), counts, names) is False     # the diagonal
    assert ex.check_confused_pair(None, counts, names) is False
    assert ex.check_confused_pair(("c", "zebra"), counts, names) is False
    with pytest.raises(ValueError, match="counts"):
        ex.check_confused_pair(("a", "b"), counts[:2], names)


# ------------------------------------------------------------------ LRN at the paper's scale
def test_scaled_input():
    from helpers.experiments import scaled_input

    x = np.random.default_rng(0).integers(0, 256, (20, 4, 4, 3)).astype("uint8")
    mean = x.reshape(-1, 3).mean(axis=0)
    np.testing.assert_allclose(scaled_input(x, 255)(x), x - mean, atol=1e-3)
    np.testing.assert_allclose(scaled_input(x, 1)(x), (x - mean) / 255, atol=1e-5)
    for bad in (0, -1, True, "255"):
        with pytest.raises(ValueError, match="scale"):
            scaled_input(x, bad)


def test_normalisation_nets_differ_only_in_their_normalisation():
    from helpers.experiments import normalisation_net

    kinds = {}
    for kind in ("batch norm", "LRN", "none"):
        kinds[kind] = [type(layer).__name__ for layer in normalisation_net(kind).layers]
    assert kinds["batch norm"].count("BatchNormalization") == 4 and "LocalResponseNormalization" not in kinds["batch norm"]
    assert kinds["LRN"].count("LocalResponseNormalization") == 4 and "BatchNormalization" not in kinds["LRN"]
    assert "LocalResponseNormalization" not in kinds["none"] and "BatchNormalization" not in kinds["none"]
    strip = lambda names: [n for n in names if n not in ("BatchNormalization", "LocalResponseNormalization")]
    assert strip(kinds["batch norm"]) == strip(kinds["LRN"]) == kinds["none"]
    with pytest.raises(ValueError, match="kind"):
        normalisation_net("layer norm")


def test_lrn_factors_equal_the_papers_formula():
    import keras

    from helpers.alexnet_model import lrn_reference
    from helpers.experiments import lrn_factors, lrn_factor_table, normalisation_net

    keras.utils.set_random_seed(0)
    model = normalisation_net("LRN", width=0.25)
    x = np.random.default_rng(0).normal(0, 60, (4, 32, 32, 3)).astype("float32")
    factors = lrn_factors(model, x)
    assert list(factors) == ["lrn2", "lrn3", "lrn4", "lrn5"]
    layer = model.get_layer("lrn2")
    a = np.asarray(keras.Model(model.inputs[0], layer.input)(x))
    expected = lrn_reference(a) / np.where(a == 0, 1, a)
    np.testing.assert_allclose(factors["lrn2"][a.ravel() != 0], expected.ravel()[a.ravel() != 0], rtol=1e-4)
    assert np.all(factors["lrn2"] <= 2 ** -0.75 + 1e-9)
    # LRN's effect depends on the input scale: at scale 1 the factor is nearly constant, at 255 it spreads
    images = np.random.default_rng(1).integers(0, 256, (8, 32, 32, 3)).astype("uint8")
    rows = {(scale, name): (lo, hi) for scale, name, lo, _, hi in lrn_factor_table(model, images, images)}
    assert rows[(1, "lrn2")][1] - rows[(1, "lrn2")][0] < 0.01
    assert rows[(255, "lrn2")][1] - rows[(255, "lrn2")][0] > 10 * (rows[(1, "lrn2")][1] - rows[(1, "lrn2")][0])


def test_normalisation_comparison_runs_each_kind(monkeypatch):
    from helpers.experiments import normalisation_comparison

    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (96, 32, 32, 3)).astype("uint8")
    y = rng.integers(0, 10, (96, 1)).astype("uint8")
    runs = normalisation_comparison((x[:64], y[:64]), (x[64:], y[64:]), epochs=1, width=0.125, batch_size=32,
                                    quick=False)
    assert list(runs) == ["batch norm", "LRN", "none"]
    for r in runs.values():
        assert len(r.history["val_accuracy"]) == 1 and r.n_train == 64


# ------------------------------------------------------------------ the mistakes gallery
def test_gallery_titles_do_not_overlap():
    from helpers.plots.models import misclassified

    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    y = np.array([1, 9, 0, 8, 3, 5, 2, 4] * 2)
    pred = np.array([9, 1, 8, 0, 5, 3, 4, 2] * 2)
    probs = np.full((16, 10), 0.1)
    fig = misclassified(np.zeros((16, 32, 32, 3), "uint8"), y, pred, probs, n=16, cols=8, class_names=names)
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    if renderer is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering() if hasattr(fig, "draw_without_rendering") else None
    boxes = [ax.title.get_window_extent(renderer) for ax in fig.axes if ax.get_title()]
    assert len(boxes) == 16
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "two titles of the mistakes gallery overlap"
