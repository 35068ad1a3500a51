"""The shape-trace explorer: live layer table and size bars, no Keras model built."""

from __future__ import annotations

import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")
keras = pytest.importorskip("keras")

import helpers  # noqa: E402
from helpers.alexnet_model import alexnet_layers  # noqa: E402
from helpers.widgets.trace import ShapeTraceExplorer, shape_trace_explorer  # noqa: E402

pytestmark = pytest.mark.tf


@pytest.fixture(scope="module")
def explorer():
    return shape_trace_explorer()


def test_default_shows_where_the_seed_breaks(explorer):
    explorer.set(variant="seed", input_size=32, kernel=11, stride=4)
    assert isinstance(explorer, ShapeTraceExplorer) and explorer.error is None
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    text = explorer.status_text
    assert "Cannot build" in text and "32 → 6 → 2 → 2 → 0" in text and "pool2" in text
    assert explorer.trace.failed_layer == "pool2"
    heights = [b.get_height() for b in explorer.bars if b.get_visible()]
    assert heights[:5] == [32, 6, 2, 2, 0]
    assert explorer.cross.get_xdata()[0] == 4
    assert "Cannot build" in explorer._repr_mimebundle_()[0]["text/plain"]
    assert helpers.widgets.shape_trace_explorer is shape_trace_explorer


def test_table_rows_match_shape_trace(explorer):
    explorer.set(variant="seed", input_size=67, kernel=11, stride=4)
    want = helpers.shape_trace(alexnet_layers("seed"), (67, 67, 3))
    assert want.ok and explorer.trace.total_params == want.total_params
    text = explorer.status_text
    assert "Builds" in text and f"{want.total_params:,}" in text
    for row in want.rows:
        assert f"{row.name} {row.kind} {'×'.join(map(str, row.output_shape))} {row.params:,}" in text


def test_kernel_and_stride_change_only_the_first_layer(explorer):
    explorer.set(variant="seed", input_size=32, kernel=3, stride=1)
    assert explorer.trace.ok                       # 32 -> 30 -> 14 -> 14 -> 6
    assert explorer.trace.spatial_sizes[:3] == [32, 30, 14]
    layers_a = explorer.layers_for("seed", 3, 1)
    layers_b = explorer.layers_for("seed", 5, 2)
    assert layers_a[1:] == layers_b[1:] and layers_a[1] is layers_b[1]   # same objects, reused
    assert layers_b[0].kernel_size == (5, 5) and layers_b[0].strides == (2, 2)
    assert not any(l.weights for l in layers_a + layers_b)              # nothing built


def test_each_control_changes_status_and_picture():
    e = shape_trace_explorer()
    for control, value in (("input_size", 100), ("kernel", 7), ("stride", 2)):
        status, png = e.status_text, bytes(e.image.value)
        e.controls[control].value = value            # through the observer, like a click
        assert e.error is None and e.status_text != status and bytes(e.image.value) != png


def test_choosing_a_variant_resets_its_own_input_and_first_layer():
    e = shape_trace_explorer()
    e.controls["variant"].value = "paper"
    assert e.values == {"variant": "paper", "input_size": 227, "kernel": 11, "stride": 4}
    assert e.trace.ok and e.trace.total_params == 60_965_224
    assert "60,965,224" in e.status_text
    e.controls["variant"].value = "cifar"
    assert (e.values["input_size"], e.values["kernel"], e.values["stride"]) == (32, 3, 1)
    assert e.trace.ok


def test_paper_at_224_still_builds_but_at_small_sizes_breaks(explorer):
    explorer.set(variant="paper", input_size=224, kernel=11, stride=4)
    assert explorer.trace.spatial_sizes[1] == 54          # floor((224 - 11) / 4) + 1
    explorer.set(input_size=40)
    assert not explorer.trace.ok and explorer.trace.failed_layer in ("pool2", "pool5", "pool1")


def test_bad_variant():
    with pytest.raises(ValueError, match="'seed'"):
        shape_trace_explorer("vgg")


# ------------------------------------------------------------------ the learner's own model

def _own_model(size=None):
    x = keras.Input((size, size, 3))
    y = keras.layers.Conv2D(8, 3, name="conv1")(x)
    y = keras.layers.MaxPooling2D(2, name="pool1")(y)
    z = keras.layers.Conv2D(8, 3, padding="same", name="conv2")(y)
    y = keras.layers.Add(name="skip")([y, z])
    y = keras.layers.MaxPooling2D(2, name="pool2")(y)
    return keras.Model(x, keras.layers.Dense(10, name="fc")(keras.layers.GlobalAveragePooling2D(name="gap")(y)),
                       name="mine")


def test_any_model_with_a_variable_input_gets_an_input_side_slider():
    explorer = shape_trace_explorer(_own_model())
    assert list(explorer.controls) == ["input_size"]
    explorer.set(input_size=32)
    assert explorer.trace.ok and explorer.trace.spatial_sizes == [32, 30, 15, 15, 7]
    before = (explorer.status_text, bytes(explorer.image.value))
    explorer.set(input_size=5)          # 5 -> 3 -> 1 -> 1 -> pool2 gets 0
    assert not explorer.trace.ok and explorer.trace.failed_layer == "pool2"
    text = explorer.status_text
    assert "Cannot build" in text and "pool2" in text and text != before[0]
    assert bytes(explorer.image.value) != before[1]
    assert "skip" in text and "Add" in text  # the merge is a row of the table


def test_a_fixed_size_model_has_no_controls_and_refuses_another_size():
    model = _own_model(28)
    explorer = shape_trace_explorer(model)
    assert explorer.controls == {} and explorer.trace.ok
    assert explorer.trace.total_weights == model.count_params()
    with pytest.raises(ValueError, match="input_size"):
        shape_trace_explorer(model, input_size=64)
    with pytest.raises(ValueError, match="kernel"):
        shape_trace_explorer(model, kernel=3)
    with pytest.raises(TypeError, match="variant"):
        shape_trace_explorer(["seed"])
