"""helpers.shape_trace: shapes, parameters, multiply-adds, memory, and where a CNN stops fitting."""

from __future__ import annotations

import math

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import helpers  # noqa: E402
from helpers.trace import ShapeTrace  # noqa: E402

pytestmark = pytest.mark.tf
L = keras.layers


def lenet_like():
    return [L.Conv2D(6, 5, activation="tanh", name="c1"), L.AveragePooling2D(2, name="s2"),
            L.Conv2D(16, 5, activation="tanh", name="c3"), L.AveragePooling2D(2, name="s4"),
            L.Flatten(name="flat"), L.Dense(120, name="f5"), L.Dense(10, name="out")]


def test_rows_match_keras_on_a_built_model():
    layers = lenet_like()
    model = keras.Sequential([keras.Input((32, 32, 1))] + layers)
    trace = helpers.shape_trace(model, (32, 32, 1))
    assert isinstance(trace, ShapeTrace) and trace.ok
    assert [r.output_shape for r in trace.rows] == [tuple(l.output.shape[1:]) for l in model.layers]
    assert [r.params for r in trace.rows] == [l.count_params() for l in model.layers]
    assert trace.total_params == model.count_params() == 156 + 2_416 + 400 * 120 + 120 + 1_210
    assert trace.spatial_sizes == [32, 28, 14, 10, 5]


def test_unbuilt_layers_are_counted_without_building_them():
    layers = lenet_like()
    trace = helpers.shape_trace(layers, (32, 32, 1))
    assert not any(l.built and l.weights for l in layers)   # nothing was built
    model = keras.Sequential([keras.Input((32, 32, 1))] + lenet_like())
    assert trace.total_params == model.count_params()


def test_multiply_adds_and_memory_by_hand():
    trace = helpers.shape_trace([L.Conv2D(8, 3, padding="same", name="c"), L.MaxPooling2D(2, name="p"),
                                 L.Flatten(name="f"), L.Dense(5, name="d")], (10, 10, 4))
    c, p, f, d = trace.rows
    assert c.multiply_adds == 10 * 10 * 8 * 3 * 3 * 4
    assert c.params == 3 * 3 * 4 * 8 + 8
    assert p.multiply_adds == 0 and p.output_shape == (5, 5, 8)
    assert d.multiply_adds == 200 * 5 and d.params == 200 * 5 + 5
    assert c.activation_bytes == 10 * 10 * 8 * 4
    assert trace.total_multiply_adds == c.multiply_adds + d.multiply_adds


def test_grouped_convolution_counts():
    trace = helpers.shape_trace([L.Conv2D(256, 5, padding="same", groups=2, name="g")], (27, 27, 96))
    row = trace.rows[0]
    assert row.params == 5 * 5 * 48 * 256 + 256 == 307_456
    assert row.multiply_adds == 27 * 27 * 256 * 5 * 5 * 48
    built = L.Conv2D(256, 5, padding="same", groups=2)
    built.build((None, 27, 27, 96))
    assert built.count_params() == row.params


def test_dilation_stride_and_same_padding_agree_with_output_size():
    for k, s, d, pad in [(3, 2, 1, "same"), (3, 1, 2, "valid"), (5, 3, 1, "same"), (2, 1, 3, "same")]:
        layer = L.Conv2D(2, k, strides=s, dilation_rate=d, padding=pad)
        row = helpers.shape_trace([layer], (17, 17, 1)).rows[0]
        assert row.output_shape[0] == helpers.output_size(17, k, s, pad, d)


def test_failure_stops_the_trace_and_names_the_layer():
    layers = [L.Conv2D(4, 11, strides=4, name="conv1"), L.MaxPooling2D(3, 2, name="pool1"),
              L.MaxPooling2D(3, 2, name="pool2"), L.Flatten(name="flat")]
    trace = helpers.shape_trace(layers, (32, 32, 3))
    assert not trace.ok
    assert trace.failed_layer == "pool2" and trace.failed_size == 0
    assert trace.spatial_sizes == [32, 6, 2, 0]
    assert [r.name for r in trace.rows] == ["conv1", "pool1"]
    assert "pool2" in trace.failure and "window 3 does not fit" in trace.failure
    assert "Cannot build" in trace.to_markdown() and "CANNOT BUILD" in str(trace)


def test_keras_agrees_that_the_failing_chain_cannot_be_built():
    layers = [L.Conv2D(4, 11, strides=4), L.MaxPooling2D(3, 2), L.MaxPooling2D(3, 2)]
    assert not helpers.shape_trace(layers, (32, 32, 3)).ok
    with pytest.raises(ValueError, match="zero or negative"):
        keras.Sequential([keras.Input((32, 32, 3))] + layers)


def test_custom_layer_hook_for_multiply_adds():
    class Scale(L.Layer):
        def call(self, x):
            return x * 2.0

        def multiply_adds(self, input_shape):
            return math.prod(input_shape)

    trace = helpers.shape_trace([Scale(name="s")], (4, 4, 2))
    assert trace.rows[0].multiply_adds == 32 and trace.rows[0].params == 0


def test_tracing_at_another_size_changes_the_dense_weights():
    model = keras.Sequential([keras.Input((32, 32, 3)), L.Conv2D(4, 3, name="c"), L.Flatten(), L.Dense(2, name="d")])
    small, big = helpers.shape_trace(model, (32, 32, 3)), helpers.shape_trace(model, (34, 34, 3))
    assert small.total_params == model.count_params()
    assert big.rows[-1].params == 32 * 32 * 4 * 2 + 2


def test_markdown_and_text_tables():
    trace = helpers.shape_trace(lenet_like(), (32, 32, 1))
    md = trace.to_markdown()
    assert md.startswith("| layer |") and "| c1 | Conv2D | 28×28×6 | 156 |" in md
    assert trace._repr_markdown_() == md
    assert "total" in str(trace) and repr(trace) == str(trace)
    assert trace.table()[0]["name"] == "c1"


@pytest.mark.parametrize("bad", [(), (0, 32, 3), (-1, 4, 4)])
def test_bad_input_shape(bad):
    with pytest.raises(ValueError, match="input_shape"):
        helpers.shape_trace(lenet_like(), bad)


def test_trace_of_the_paper_alexnet_allocates_no_weights():
    """Memory only: its speed is measured in benchmarks/bench_trace.py (no timed assertions here)."""
    import tracemalloc

    from helpers.alexnet_model import alexnet_layers

    layers = alexnet_layers("paper")
    tracemalloc.start()
    trace = helpers.shape_trace(layers, (227, 227, 3))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert trace.total_params == 60_965_224
    assert peak < 20e6, peak          # the weights would be 244 MB
    assert np.isclose(trace.total_multiply_adds / 1e6, 724.4, atol=0.1)


# ------------------------------------------------------------------ any Keras model (the test zoo)

def _check_weights(trace, model):
    assert trace.ok, trace.failure
    assert trace.total_weights == model.count_params()
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    assert trace.total_params == trainable


def test_residual_block_with_add():
    x = keras.Input((16, 16, 8))
    y = L.Conv2D(8, 3, padding="same", name="c1")(x)
    y = L.Conv2D(8, 3, padding="same", name="c2")(y)
    y = L.Add(name="add")([x, y])
    out = L.Dense(10, name="fc")(L.GlobalAveragePooling2D(name="gap")(y))
    model = keras.Model(x, out)
    trace = helpers.shape_trace(model)
    _check_weights(trace, model)
    rows = {r.name: r for r in trace.rows}
    assert rows["add"].inputs == ("input", "c2") and rows["add"].multiply_adds == 0
    assert rows["add"].output_shape == (16, 16, 8) and rows["gap"].output_shape == (8,)
    assert rows["c1"].multiply_adds == 16 * 16 * 8 * 9 * 8 and rows["fc"].multiply_adds == 8 * 10
    assert trace.branches and "| from |" in trace.to_markdown() and "from" in str(trace)


def test_inception_like_concatenate():
    x = keras.Input((16, 16, 4))
    b1 = L.Conv2D(4, 1, name="b1")(x)
    b2 = L.Conv2D(6, 3, padding="same", name="b2")(x)
    b3 = L.Conv2D(2, 1, name="b3")(L.MaxPooling2D(3, strides=1, padding="same", name="pool")(x))
    y = L.Concatenate(name="cat")([b1, b2, b3])
    model = keras.Model(x, y)
    trace = helpers.shape_trace(model)
    _check_weights(trace, model)
    rows = {r.name: r for r in trace.rows}
    assert rows["cat"].output_shape == (16, 16, 12) and rows["cat"].inputs == ("b1", "b2", "b3")
    assert trace.total_multiply_adds == 256 * (4 * 4 + 6 * 9 * 4 + 2 * 4)


def test_separable_and_depthwise_multiply_adds():
    # SeparableConv2D: a 3×3 depthwise per input channel, then a 1×1 over the channels
    # (the case issue 17 found: it was counted as a full 3×3 conv, 442,368)
    sep = helpers.shape_trace([L.SeparableConv2D(16, 3, padding="same", name="sep")], (32, 32, 3)).rows[0]
    positions = 32 * 32
    assert sep.output_shape == (32, 32, 16)
    assert sep.multiply_adds == positions * 3 * 9 + positions * 3 * 16 == 76_800
    assert sep.params == 9 * 3 + 3 * 16 + 16
    dw = helpers.shape_trace([L.DepthwiseConv2D(3, depth_multiplier=2, name="dw")], (8, 8, 4)).rows[0]
    assert dw.output_shape == (6, 6, 8) and dw.multiply_adds == 36 * 8 * 9 and dw.params == 9 * 8 + 8


def test_conv1d_with_groups_and_dilation_and_transposed_conv():
    c1 = helpers.shape_trace([L.Conv1D(4, 3, dilation_rate=2, groups=2, name="c")], (20, 8)).rows[0]
    assert c1.output_shape == (16, 4) and c1.windowed
    assert c1.multiply_adds == 16 * 4 * 3 * 8 // 2 and c1.params == 3 * 4 * 4 + 4
    t = helpers.shape_trace([L.Conv2DTranspose(4, 3, strides=2, name="up")], (5, 5, 2)).rows[0]
    assert t.output_shape == (11, 11, 4)
    assert t.multiply_adds == 25 * 9 * 2 * 4 and t.params == 9 * 2 * 4 + 4


def test_nested_model_batch_norm_dropout_reshape():
    inner = keras.Sequential([keras.Input((10, 10, 1)), L.Conv2D(4, 3, name="conv"),
                              L.BatchNormalization(name="bn"), L.ReLU(name="relu")], name="block")
    x = keras.Input((10, 10, 1))
    y = L.Reshape((8, 8 * 4), name="rows")(inner(x))
    y = L.Dropout(0.5, name="drop")(L.Flatten(name="flat")(y))
    model = keras.Model(x, L.Dense(3, name="fc")(y))
    trace = helpers.shape_trace(model)
    _check_weights(trace, model)
    names = [r.name for r in trace.rows]
    assert names[:3] == ["block/conv", "block/bn", "block/relu"]
    bn = trace.rows[1]
    assert bn.params == 2 * 4 and bn.weights == 4 * 4 and bn.multiply_adds == 0
    assert trace.total_weights - trace.total_params == 8  # the moving mean and variance
    assert trace.rows[names.index("rows")].output_shape == (8, 32)


def test_mobilenet_v2_matches_count_params_and_the_published_multiply_adds():
    model = keras.applications.MobileNetV2(weights=None)
    trace = helpers.shape_trace(model)
    _check_weights(trace, model)
    assert trace.not_counted == []
    # Sandler et al. (2018), Table 4: MobileNetV2 (1.0, 224×224) needs 300 M multiply-adds.
    assert 295e6 < trace.total_multiply_adds < 305e6, trace.total_multiply_adds
    small = helpers.shape_trace(model, (160, 160, 3))  # built for 224, traced at another size
    assert small.ok and small.rows[-1].output_shape == (1000,)


def test_unknown_layer_type_is_listed_as_not_counted():
    class Mystery(L.Layer):
        def call(self, x):
            return x * 2.0

    trace = helpers.shape_trace([L.Conv2D(2, 3, name="c"), Mystery(name="m")], (6, 6, 1))
    assert trace.rows[1].multiply_adds is None and trace.not_counted == ["m"]
    assert trace.total_multiply_adds == trace.rows[0].multiply_adds
    assert "not counted" in str(trace) and "not counted" in trace.to_markdown()


def test_a_size_that_runs_out_inside_a_nested_model_names_the_layer():
    inner = keras.Sequential([keras.Input((None, None, 3)), L.Conv2D(4, 5, name="conv"),
                              L.MaxPooling2D(4, name="pool")], name="stem")
    x = keras.Input((None, None, 3))
    model = keras.Model(x, L.GlobalAveragePooling2D(name="gap")(inner(x)))
    assert helpers.shape_trace(model, (32, 32, 3)).ok
    trace = helpers.shape_trace(model, (7, 7, 3))
    assert not trace.ok and trace.failed_layer == "stem/pool" and trace.failed_size == 0
    with pytest.raises(ValueError, match="input_shape is needed"):
        helpers.shape_trace(model)


@pytest.mark.parametrize("bad", [[1, 2], "model", None])
def test_not_a_model_is_a_type_error_naming_the_argument(bad):
    with pytest.raises(TypeError, match="model_or_layers"):
        helpers.shape_trace(bad, (8, 8, 1))


@pytest.mark.parametrize("bad", [(28.7, 28, 1), (True, 28, 1)])
def test_input_shape_must_be_whole_numbers(bad):
    with pytest.raises(ValueError, match="input_shape"):
        helpers.shape_trace(lenet_like(), bad)
