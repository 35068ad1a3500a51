"""Lesson 05's small seeded CPU experiments (helpers/experiments.py), on tiny data."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from helpers.alexnet_model import alexnet, figure1_net  # noqa: E402
from helpers.experiments import (  # noqa: E402
    center,
    compare_setups,
    error_rate,
    fastest,
    format_gap_table,
    gap_rows,
    learning_rate_race,
    lrn_strength,
    steps_to_error,
    train_and_record,
)

pytestmark = pytest.mark.tf


def _separable_data(n=96, seed=0):
    """Two classes a tiny net can learn in a few steps: bright vs dark images."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n).astype("int32")
    x = (rng.random((n, 32, 32, 3)) * 0.2 + 0.4 + 0.3 * (2 * y[:, None, None, None] - 1)).astype("float32")
    return x, y


def test_steps_to_error():
    record = {"train_error": [0.6, 0.3, 0.24, 0.1], "steps_per_epoch": 10}
    assert steps_to_error(record, 0.25) == 30
    assert steps_to_error(record, 0.05) is None
    assert steps_to_error({"steps": [16, 32, 40], "train_error": [0.5, 0.25, 0.1], "steps_per_epoch": 32}) == 32
    with pytest.raises(ValueError, match="record"):
        steps_to_error({"step": [1], "train_error": [0.1]})          # neither steps nor steps_per_epoch
    with pytest.raises(ValueError, match="target"):
        steps_to_error(record, "0.25")


def test_error_rate_is_the_share_of_wrong_predictions_in_inference_mode():
    x, y = _separable_data(40)
    keras.utils.set_random_seed(0)
    model = figure1_net("relu", widths=(4, 4, 4), num_classes=2)
    by_hand = float(np.mean(np.argmax(keras.ops.convert_to_numpy(model(x, training=False)), -1) != y))
    assert error_rate(model, x, y, batch_size=16) == by_hand
    with pytest.raises(TypeError, match="model"):
        error_rate("model", x, y)
    with pytest.raises(ValueError, match="y must hold one class index"):
        error_rate(model, x, y[:3])


def test_error_rate_runs_train_evaluate(monkeypatch):
    """One evaluation loop in the package: error_rate goes through helpers.train.evaluate."""
    import helpers.experiments as experiments

    calls = []
    real = experiments.evaluate

    def spy(model, data, preprocess=None, batch_size=512):
        calls.append(batch_size)
        return real(model, data, preprocess, batch_size)

    monkeypatch.setattr(experiments, "evaluate", spy)
    x, y = _separable_data(8)
    error_rate(figure1_net("tanh", widths=(2, 2, 2), num_classes=2), x, y, batch_size=4)
    assert calls == [4]


def test_train_and_record_every_few_steps_and_stops():
    x, y = _separable_data()
    rec = train_and_record(figure1_net("relu", widths=(4, 4, 4), num_classes=2), (x, y), (x[:32], y[:32]),
                           max_steps=7, eval_every=3, batch_size=32)
    assert rec["steps"] == [3, 6, 7] and rec["steps_per_epoch"] == 3      # every 3 steps, and at the end
    assert len(rec["train_error"]) == len(rec["test_error"]) == 3
    model = figure1_net("tanh", widths=(4, 4, 4), num_classes=2)
    rec = train_and_record(model, (x, y), max_steps=60, eval_every=2, batch_size=32, learning_rate=0.05,
                           stop_at=0.1)
    assert rec["test_error"] == [] and rec["train_error"][-1] <= 0.1 and rec["steps"][-1] < 60
    assert error_rate(model, x, y) == pytest.approx(rec["train_error"][-1])
    with pytest.raises(ValueError, match="epochs or max_steps"):
        train_and_record(model, (x, y))
    with pytest.raises(ValueError, match="train"):
        train_and_record(model, x, epochs=1)
    with pytest.raises(ValueError, match="optimizer"):
        train_and_record(model, (x, y), epochs=1, optimizer="rmsprop")


def test_center_subtracts_the_training_mean_per_channel():
    x = np.random.default_rng(4).random((10, 4, 4, 3), dtype="float32")
    (xc, yc), (tc, _) = center((x, np.arange(10)), (x[:2] + 1, None))
    np.testing.assert_allclose(xc.mean(axis=(0, 1, 2)), 0, atol=1e-6)
    np.testing.assert_allclose(tc, x[:2] + 1 - x.mean(axis=(0, 1, 2)), rtol=1e-6)
    assert list(yc) == list(range(10))
    with pytest.raises(ValueError, match="others"):
        center((x, None), (x[..., :2], None))


def test_learning_rate_race_and_fastest_on_tiny_data():
    x, y = _separable_data()
    build = lambda act: figure1_net(act, widths=(4, 4, 4), num_classes=2)  # noqa: E731
    race = learning_rate_race((x, y), {"relu": (1e-6, 0.05, 1e-7), "tanh": (0.05,)}, target=0.1, max_steps=40,
                              eval_every=2, batch_size=32, build=build)
    assert list(race) == [("relu", 1e-6), ("relu", 0.05), ("relu", 1e-7), ("tanh", 0.05)]
    assert steps_to_error(race[("relu", 1e-6)], 0.1) is None          # far too small a step
    assert race[("relu", 1e-6)]["steps"][-1] == 40                    # ran to max_steps: nothing faster yet
    winner = steps_to_error(race[("relu", 0.05)], 0.1)
    assert winner < 40 and race[("relu", 1e-7)]["steps"][-1] == winner  # stopped once it could not win
    assert fastest(race, 0.1) == {"relu": ("relu", 0.05), "tanh": ("tanh", 0.05)}
    with pytest.raises(ValueError, match="learning_rates"):
        learning_rate_race((x, y), {"relu": ()})
    with pytest.raises(ValueError, match="race"):
        fastest({("relu", 0.1): {"steps": [1]}})


def test_compare_setups_gap_table():
    x, y = _separable_data(64)
    runs = compare_setups({"base": {}, "no LRN": {"lrn": False}}, (x, y), (x[:16], y[:16]), epochs=1,
                          seeds=(1, 2), batch_size=32, keep_models=True,
                          build=lambda **kw: alexnet("cifar-classic", width=0.125, num_classes=2, **kw))
    assert list(runs) == ["base (seed 1)", "base (seed 2)", "no LRN (seed 1)", "no LRN (seed 2)"]
    rows = gap_rows(runs)
    assert all(gap == pytest.approx(te - tr) for _, tr, te, gap in rows)
    table = format_gap_table(runs).splitlines()
    assert len(table) == 5 and table[0].split()[:2] == ["set-up", "train"]
    assert runs["base (seed 1)"]["model"] is not runs["base (seed 2)"]["model"]
    with pytest.raises(ValueError, match="runs"):
        gap_rows({"a": {"train_error": [0.1]}})                        # no test error recorded
    with pytest.raises(TypeError, match="setups"):
        compare_setups(["base"], (x, y), (x, y), epochs=1)


def test_train_and_record_and_lrn_strength_on_a_tiny_run():
    rng = np.random.default_rng(3)
    x = rng.random((64, 32, 32, 3), dtype="float32")
    y = rng.integers(0, 10, 64).astype("int32")
    model = alexnet("cifar-classic", width=0.125)
    record = train_and_record(model, (x, y), (x[:16], y[:16]), epochs=3, batch_size=32, stop_at=1.0)
    assert record["steps_per_epoch"] == 2 and record["steps"] == [2]
    assert len(record["train_error"]) == len(record["test_error"]) == 1     # stopped after epoch 1
    assert 0.0 <= record["train_error"][0] <= 1.0
    strength = lrn_strength(model, x[:8])
    assert set(strength) == {"lrn1", "lrn2"} and all(0 <= m <= worst for m, worst in strength.values())
    with pytest.raises(ValueError, match="x must be a batch of the model's inputs"):
        lrn_strength(model, x[:8, :16])


# --- lesson 06: batch norm, LRN and none at the paper's input scale ----------------------------
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

    from helpers.ops import lrn_reference
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
