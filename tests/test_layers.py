"""helpers.layers: Keras layers checked against the NumPy references of helpers.ops."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")
hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import helpers  # noqa: E402
from helpers.layers import MinPooling2D  # noqa: E402

pytestmark = pytest.mark.tf


@settings(max_examples=25, deadline=None)
@given(h=st.integers(3, 10), w=st.integers(3, 10), k=st.integers(1, 3), s=st.integers(1, 3),
       padding=st.sampled_from(["valid", "same"]), seed=st.integers(0, 2**16))
def test_min_pooling_matches_numpy_reference(h, w, k, s, padding, seed):
    x = np.random.default_rng(seed).normal(size=(2, h, w, 3)).astype("float32")
    got = np.asarray(MinPooling2D(k, strides=s, padding=padding)(x))
    want = helpers.pool2d(x, k, s, padding, mode="min")
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, np.asarray(want, dtype="float32"))


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("pool, strides", [((2, 2), None), ((3, 3), (2, 2)), ((2, 3), (1, 2))])
def test_min_pooling_is_minus_max_pooling_and_shapes_agree(pool, strides, padding):
    x = np.random.default_rng(0).normal(size=(1, 9, 8, 2)).astype("float32")
    layer = MinPooling2D(pool, strides=strides, padding=padding)
    want = -np.asarray(keras.layers.MaxPooling2D(pool, strides=strides, padding=padding)(-x))
    got = np.asarray(layer(x))
    np.testing.assert_array_equal(got, want)
    assert layer.compute_output_shape(x.shape) == got.shape
    assert layer.compute_output_shape((None, None, 8, 2))[:2] == (None, None)


def test_min_pooling_has_no_parameters_and_channels_first_works():
    x = np.random.default_rng(1).normal(size=(1, 2, 6, 6)).astype("float32")
    layer = MinPooling2D(2, data_format="channels_first")
    assert layer.count_params() == 0  # before any call, like keras.layers.MaxPooling2D
    out = np.asarray(layer(x))
    want = helpers.pool2d(np.moveaxis(x, 1, -1), 2, mode="min")
    np.testing.assert_array_equal(np.moveaxis(out, 1, -1), want)


def test_saved_model_loads_back(tmp_path):
    model = keras.Sequential([keras.Input((8, 8, 1)), MinPooling2D((3, 3), strides=2, padding="same", name="minpool")])
    path = tmp_path / "min.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    layer = loaded.get_layer("minpool")
    assert isinstance(layer, MinPooling2D)
    assert (layer.pool_size, layer.strides, layer.padding) == ((3, 3), (2, 2), "same")
    x = np.random.default_rng(2).random((2, 8, 8, 1)).astype("float32")
    np.testing.assert_array_equal(np.asarray(loaded(x)), np.asarray(model(x)))


def test_config_round_trip():
    layer = MinPooling2D(3, strides=(2, 1), padding="SAME")
    clone = MinPooling2D.from_config(layer.get_config())
    assert (clone.pool_size, clone.strides, clone.padding) == ((3, 3), (2, 1), "same")


def test_lazy_name_on_helpers():
    assert helpers.MinPooling2D is MinPooling2D


@pytest.mark.parametrize("kwargs, match", [
    ({"pool_size": 0}, "pool_size"),
    ({"pool_size": (2, 2, 2)}, "pool_size"),
    ({"pool_size": 2.5}, "pool_size"),
    ({"strides": -1}, "strides"),
    ({"padding": "full"}, "padding"),
    ({"padding": 1}, "padding"),
    ({"data_format": "NHWC"}, "data_format"),
])
def test_bad_arguments_raise_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MinPooling2D(**kwargs)
