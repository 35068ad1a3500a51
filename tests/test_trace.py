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
