"""helpers.lenet_model: LeNet-5's layers and variants against the paper's numbers and NumPy references."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import helpers  # noqa: E402
from helpers import lenet_model as lm  # noqa: E402
from helpers.lenet_model import (  # noqa: E402
    C3_CONNECTIONS, EuclideanRBF, ScaledTanh, SparseConv2D, TrainableSubsampling, lenet5)

pytestmark = pytest.mark.tf


def _per_layer(model):
    return {layer.name: lm.trainable_params(layer) for layer in model.layers}


def test_paper_params_per_layer_match_the_paper():
    got = _per_layer(lenet5("paper"))
    for name, numbers in lm.PAPER_NUMBERS.items():
        assert got[name] == numbers["params"], name
    assert lm.trainable_params(lenet5("paper")) == 60_000


def test_paper_connections_match_the_paper():
    rows = {r["layer"]: r for r in lm.compare_with_paper()}
    for name, numbers in lm.PAPER_NUMBERS.items():
        assert rows[name]["connections"] == numbers["connections"], name
        assert rows[name]["params"] == numbers["params"], name
    assert "✔" in lm.compare_with_paper_markdown()
    # the output layer: 10 RBF units reading 84 inputs each, no bias, as many connections as multiply-adds
    assert rows["output"]["connections"] == 840 == lm.lenet5("paper").get_layer("output").multiply_adds((84,))
    assert rows["output"]["params"] == 0


@pytest.mark.parametrize("variant, params, shape", [("modern", 61_706, (32, 32, 1)), ("seed", 212_906, (28, 28, 1))])
def test_modern_and_seed_param_counts(variant, params, shape):
    model = lenet5(variant)
    assert model.count_params() == params == lm.trainable_params(model)
    assert tuple(model.input_shape[1:]) == shape


def test_seed_c5_keeps_4x4_maps():
    model = lenet5("seed")
    assert tuple(model.get_layer("C5").output.shape[1:]) == (4, 4, 120)


def test_unknown_variant_and_bad_input_shape_list_what_is_valid():
    with pytest.raises(ValueError, match="'paper', 'modern', 'seed'"):
        lenet5("lenet1")
    with pytest.raises(ValueError, match=r"\(32, 32, channels\)"):
        lenet5("paper", input_shape=(64, 64, 1))
    with pytest.raises(ValueError, match="Valid input shapes"):
        lenet5("modern", input_shape=(28, 28, 1))
    with pytest.raises(ValueError, match="num_classes"):
        lenet5("paper", num_classes=5)
    assert lenet5("modern", input_shape=(32, 32, 3)).count_params() == 61_706 + 2 * 25 * 6


def test_each_variant_has_its_own_builder_and_modern_is_lenet5_like_relu_max():
    assert set(lm._BUILDERS) == set(lm.VARIANTS)

    def configs(model):
        return [(type(layer).__name__, layer.get_config()) for layer in model.layers]

    assert configs(lenet5("modern")) == configs(lm.lenet5_like("relu", "max"))


@pytest.mark.parametrize("call, name", [
    (lambda: lenet5("modern", input_shape=32), "input_shape"),
    (lambda: lenet5("modern", num_classes=2**40), "num_classes"),
    (lambda: lenet5("modern", kernel_initializer="bogus"), "kernel_initializer"),
    (lambda: lm.lenet5_like(num_classes=0), "num_classes"),
    (lambda: lm.lenet5_like(name=3), "name"),
    (lambda: lm.connections(None, (8, 8, 1)), "layer"),
    (lambda: lm.connections(keras.layers.Conv2D(2, 5), (3, 3, 1)), "input_shape"),
    (lambda: lm.connections(keras.layers.Conv2D(2, 5), (8, -8, 1)), "input_shape"),
    (lambda: lm.compare_with_paper("lenet"), "model"),
    (lambda: lm.compare_with_paper(keras.Sequential([keras.layers.Dense(2)])), "model"),
    (lambda: lm.compare_with_paper_markdown(3), "model"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_c3_table_is_the_papers_table_one():
    counts = [len(c) for c in C3_CONNECTIONS]
    assert counts == [3] * 6 + [4] * 9 + [6]
    assert sum(counts) == 60
    mask = SparseConv2D(16, 5, C3_CONNECTIONS).mask(6)
    # row 0 of Table I: S2 map 0 feeds C3 maps 0, 4, 5, 6, 9, 10, 11, 12, 14, 15
    assert list(np.flatnonzero(mask[0])) == [0, 4, 5, 6, 9, 10, 11, 12, 14, 15]
    # first six columns: contiguous triples, wrapping round from map 5 to map 0 (as lesson 03 says)
    for j in range(6):
        assert set(np.flatnonzero(mask[:, j])) == {j % 6, (j + 1) % 6, (j + 2) % 6}
    # next six: contiguous fours, wrapping round; next three: fours that are not contiguous; last: all six
    for j in range(6):
        assert set(np.flatnonzero(mask[:, 6 + j])) == {(j + k) % 6 for k in range(4)}
    cyclic_fours = [{(j + k) % 6 for k in range(4)} for j in range(6)]
    for j in range(12, 15):
        assert mask[:, j].sum() == 4 and set(np.flatnonzero(mask[:, j])) not in cyclic_fours
    assert [set(np.flatnonzero(mask[:, j])) for j in range(12, 15)] == [{0, 1, 3, 4}, {1, 2, 4, 5}, {0, 2, 3, 5}]
    assert mask[:, 15].sum() == 6


def test_sparse_conv_equals_full_conv_with_masked_kernel():
    layer = SparseConv2D(16, 5, C3_CONNECTIONS)
    x = np.random.default_rng(0).normal(size=(2, 14, 14, 6)).astype("float32")
    y = np.asarray(layer(x))
    kernel = np.asarray(layer.kernel)
    mask = layer.mask(6)
    assert np.all(kernel[:, :, mask == 0] == 0)
    full = keras.layers.Conv2D(16, 5)
    full.build(x.shape)
    full.set_weights([kernel, np.asarray(layer.bias)])
    np.testing.assert_allclose(y, np.asarray(full(x)), rtol=1e-5, atol=1e-5)
    assert lm.trainable_params(layer) == 1_516
    assert layer.multiply_adds((14, 14, 6)) == 150_000


def test_sparse_conv_rejects_bad_connections():
    with pytest.raises(ValueError, match="connections"):
        SparseConv2D(2, 3, [(0,)])
    with pytest.raises(ValueError, match="input maps"):
        SparseConv2D(1, 3, [(0, 4)])(np.zeros((1, 5, 5, 2), "float32"))


def test_trainable_subsampling_is_coefficient_times_window_sum_plus_bias():
    layer = TrainableSubsampling(2)
    x = np.random.default_rng(1).normal(size=(2, 6, 4, 3)).astype("float32")
    layer.build(x.shape)
    coef, bias = np.array([0.5, -1.0, 2.0], "float32"), np.array([0.1, 0.0, -0.3], "float32")
    layer.set_weights([coef, bias])
    want = x.reshape(2, 3, 2, 2, 2, 3).sum(axis=(2, 4)) * coef + bias
    np.testing.assert_allclose(np.asarray(layer(x)), want, rtol=1e-5, atol=1e-5)
    assert lm.trainable_params(layer) == 6
    assert layer.compute_output_shape((None, 6, 4, 3)) == (None, 3, 2, 3)


def test_scaled_tanh_values():
    y = np.asarray(ScaledTanh()(np.array([-1.0, 0.0, 1.0, 50.0], "float32")))
    np.testing.assert_allclose(y, [-1.0, 0.0, 1.0, 1.7159], atol=1e-4)
    np.testing.assert_allclose(np.asarray(lm.scaled_tanh(np.float32(1.0))), 1.0, atol=1e-4)


def test_rbf_penalties_and_probabilities():
    protos = lm.digit_prototypes()
    assert protos.shape == (84, 10) and set(np.unique(protos)) == {-1.0, 1.0}
    assert len({tuple(c) for c in protos.T}) == 10
    x = np.random.default_rng(2).uniform(-1.7, 1.7, size=(3, 84)).astype("float32")
    pen = np.asarray(EuclideanRBF(output="penalty")(x))
    want = ((x[:, :, None] - protos[None]) ** 2).sum(axis=1)
    np.testing.assert_allclose(pen, want, rtol=1e-4)
    probs = np.asarray(EuclideanRBF()(x))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)
    assert list(probs.argmax(1)) == list(want.argmin(1))
    layer = EuclideanRBF()
    layer.build((None, 84))
    assert lm.trainable_params(layer) == 0
    # a prototype itself has penalty 0 for its own class
    assert np.asarray(EuclideanRBF(output="penalty")(protos.T))[np.arange(10), np.arange(10)].max() < 1e-4


@pytest.mark.parametrize("variant", ["paper", "modern", "seed"])
def test_saved_model_loads_back_with_identical_predictions(variant, tmp_path):
    helpers.seed_everything(0)
    model = lenet5(variant)
    x = np.random.default_rng(3).uniform(size=(4, *model.input_shape[1:])).astype("float32")
    path = tmp_path / f"{variant}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    assert [type(a).__name__ for a in model.layers] == [type(b).__name__ for b in loaded.layers]


def test_shape_trace_counts_custom_layers():
    trace = helpers.shape_trace(lenet5("paper"), (32, 32, 1))
    by = {r.name: r for r in trace.rows}
    assert by["C3"].multiply_adds == 150_000 and by["S2"].multiply_adds == 14 * 14 * 6
    assert trace.total_params == 60_000
    big = helpers.shape_trace(lenet5("paper"), (64, 64, 1))
    assert {r.name: r.output_shape for r in big.rows}["C5"] == (9, 9, 120)


_SECOND_BACKEND = next((b for b, mod in (("jax", "jax"), ("torch", "torch")) if importlib.util.find_spec(mod)), None)


@pytest.mark.skipif(_SECOND_BACKEND is None, reason="neither JAX nor PyTorch is installed")
def test_variants_build_and_run_under_a_second_backend():
    code = ("import numpy as np, keras; from helpers.lenet_model import lenet5\n"
            "assert keras.backend.backend() == %r\n"
            "for v in ('paper', 'modern', 'seed'):\n"
            "    m = lenet5(v); x = np.zeros((2, *m.input_shape[1:]), 'float32')\n"
            "    assert m.predict(x, verbose=0).shape == (2, 10)\n") % _SECOND_BACKEND
    env = {**os.environ, "KERAS_BACKEND": _SECOND_BACKEND}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_lenet5_like():
    assert lm.lenet5_like("relu", "max").count_params() == 61_706
    assert lm.trainable_params(lm.lenet5_like("scaled_tanh", "trainable")) == 61_706 + 12 + 32
    with pytest.raises(ValueError, match="activation"):
        lm.lenet5_like("gelu")


def test_paper_weights_start_uniform_in_sqrt_3_over_fan_in_per_map():
    """C1, C3 (per map: 25 x its 3, 4 or 6 inputs), C5, F6: uniform in +-sqrt(3/F_in), variance 1/F_in."""
    keras.utils.set_random_seed(0)
    model = lenet5("paper")
    fan_ins = {"C1": 25, "C5": 400, "F6": 120}
    for name, fan in fan_ins.items():
        w = np.asarray(model.get_layer(name).kernel)
        limit = np.sqrt(3.0 / fan)
        assert np.abs(w).max() <= limit + 1e-6, name
        assert np.abs(w).max() > 0.9 * limit, name                   # fills the range
        assert np.var(w) == pytest.approx(1.0 / fan, rel=0.15), name
    c3 = model.get_layer("C3")
    kernel = np.asarray(c3.kernel)                                    # (5, 5, 6, 16), zeros off Table I
    for j, inputs in enumerate(C3_CONNECTIONS):
        w = kernel[:, :, list(inputs), j]
        limit = np.sqrt(3.0 / (25 * len(inputs)))
        assert np.abs(w).max() <= limit + 1e-6 and np.abs(w).max() > 0.8 * limit, j


def test_paper_signal_keeps_its_spread_to_f6_at_initialisation():
    """The cause of the slow training fixed in issue 4: with Glorot (or the paper's +-2.4/F_in) weights the
    weighted sums shrink layer by layer and F6 starts near 0, far from the +-1 RBF prototypes."""
    keras.utils.set_random_seed(0)
    model = lenet5("paper")
    x = np.random.default_rng(0).choice(np.array([-0.1, 1.175], "float32"), size=(64, 32, 32, 1), p=[0.8, 0.2])
    def f6_spread(model):
        return float(np.std(np.asarray(keras.Model(model.inputs, model.get_layer("F6").output)(x))))

    assert f6_spread(model) > 0.3
    assert f6_spread(lenet5("paper", kernel_initializer="glorot_uniform")) < 0.15
    assert f6_spread(lenet5("paper", kernel_initializer=lm.FanInUniform(2.4))) < 0.05


def test_fan_in_uniform_is_the_papers_literal_rule():
    w = np.asarray(lm.FanInUniform(2.4, seed=0)((5, 5, 6, 16)))
    assert np.abs(w).max() <= 2.4 / 150 and np.abs(w).max() > 0.9 * 2.4 / 150
    assert lm.FanInUniform.from_config(lm.FanInUniform(1.0).get_config()).limit == 1.0
