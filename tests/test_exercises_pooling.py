"""helpers.exercises.pooling: lesson 01's self-checks accept the right answers, computed here
independently (by hand and with Keras' own layers), and answer typical mistakes with a hint that does
not give the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import pooling as ex

RIGHT = {
    "check_alexnet_pool_size": 6,                  # floor((13 - 3) / 2) + 1
    "check_max_pool_grid": [[5, 7], [8, 9]],
    "check_dense_params_saved": 47_040,            # (28·28 − 14·14)·8·10 weights; the 10 biases stay
    "check_receptive_field": 10,                   # 3, 5, 6 (pool), then + 2·2
    "check_same_average": 1.0,
}



@pytest.mark.parametrize("name", RIGHT)
def test_the_right_answer_is_accepted(name, verdict):
    ok, out = verdict(getattr(ex, name), RIGHT[name])
    assert ok is True and out.startswith("✔ Right")


def test_alexnet_pool_size_agrees_with_keras():
    keras = pytest.importorskip("keras")
    out = keras.layers.MaxPooling2D(3, strides=2, padding="valid").compute_output_shape((None, 13, 13, 256))
    assert out[1] == RIGHT["check_alexnet_pool_size"]


def test_same_average_agrees_with_keras():
    keras = pytest.importorskip("keras")
    y = keras.ops.convert_to_numpy(keras.layers.AveragePooling2D(2, 2, padding="same")(np.ones((1, 3, 3, 1), "float32")))
    assert y[0, -1, -1, 0] == RIGHT["check_same_average"]


def test_max_pool_grid_by_hand_and_its_mistakes(verdict):
    windows = ex.EXERCISE_GRID.reshape(2, 2, 2, 2).swapaxes(1, 2)        # [row block, col block, 2, 2]
    assert windows.max(axis=(2, 3)).tolist() == RIGHT["check_max_pool_grid"]
    ok, out = verdict(ex.check_max_pool_grid, windows.min(axis=(2, 3)))
    assert not ok and "min pooling" in out
    ok, out = verdict(ex.check_max_pool_grid, [[5, 7], [8, 0]])
    assert not ok and "1 of the 4 values differ" in out
    ok, out = verdict(ex.check_max_pool_grid, [5, 7, 8, 9])
    assert not ok and "2x2 array" in out


def test_dense_params_saved_by_hand_and_its_mistakes(verdict):
    before, after = 28 * 28 * 8 * 10 + 10, 14 * 14 * 8 * 10 + 10
    assert before - after == RIGHT["check_dense_params_saved"]
    for wrong in (before, after):
        ok, out = verdict(ex.check_dense_params_saved, wrong)
        assert not ok and "subtract" in out


def test_typical_mistakes_get_their_hint(verdict):
    ok, out = verdict(ex.check_alexnet_pool_size, 7)              # ceil(13 / 2): the 'same' size
    assert not ok and "'same'" in out
    ok, out = verdict(ex.check_receptive_field, 7)                 # 1 + sum(k - 1): strides ignored
    assert not ok and "counts double" in out
    ok, out = verdict(ex.check_same_average, 0.25)                 # padded zeros counted
    assert not ok and "Keras' 'same' does not" in out


@pytest.mark.parametrize("name", RIGHT)
def test_no_hint_gives_the_answer_away(name, verdict):
    right = RIGHT[name]
    for wrong in (None, 0, 7, 3, 0.25, [[0, 0], [0, 0]]):
        if wrong == right:
            continue
        ok, out = verdict(getattr(ex, name), wrong)
        assert not ok and str(right) not in out.replace("✘ Not yet: ", ""), (wrong, out)


def test_whole_floats_and_numpy_integers_count_as_integers(capsys):
    assert ex.check_alexnet_pool_size(np.int64(6)) and ex.check_alexnet_pool_size(6.0)
    assert not ex.check_alexnet_pool_size(6.5)
