"""helpers.exercises.own_cnn: lesson 07's self-checks accept the right answers, counted here with the
shape trace of a real Keras layer and by walking the receptive field down the stack by hand, and answer
typical mistakes with a hint that does not give them away."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import own_cnn as ex

RIGHT = {
    "check_first_layer_multiply_adds": 589_824,      # 64·64 positions × 16 filters × 3·3·1 weights
    "check_receptive_field": 20,                     # 3, 5, 6, 10, 12, 20 (jumps 1, 1, 2, 2, 4, 4)
}



@pytest.mark.parametrize("name", RIGHT)
def test_the_right_answer_is_accepted(name, verdict):
    ok, out = verdict(getattr(ex, name), RIGHT[name])
    assert ok is True and out.startswith("✔ Right")


@pytest.mark.tf
def test_multiply_adds_agree_with_the_shape_trace():
    keras = pytest.importorskip("keras")
    import helpers

    spec = ex.FIRST_LAYER
    layer = keras.layers.Conv2D(spec["filters"], spec["kernel"], padding="same")
    assert helpers.shape_trace([layer], spec["input"]).rows[0].multiply_adds == RIGHT["check_first_layer_multiply_adds"]


def test_receptive_field_walked_down_by_hand():
    first, last = 0, 0                                  # input span seen by output unit 0, top layer first
    for k, s in reversed(ex.RF_STACK):
        first, last = first * s, last * s + k - 1
    assert last - first + 1 == RIGHT["check_receptive_field"]


def test_typical_mistakes_get_their_hint(verdict):
    h, w, c = ex.FIRST_LAYER["input"]
    k, f = ex.FIRST_LAYER["kernel"], ex.FIRST_LAYER["filters"]
    for fn, wrong, words in [(ex.check_first_layer_multiply_adds, h * w * f, "output values"),
                             (ex.check_first_layer_multiply_adds, (h - 2) * (w - 2) * f * k * k * c, "'same'"),
                             (ex.check_first_layer_multiply_adds, k * k * c * f + f, "parameter count"),
                             (ex.check_receptive_field, 11, "ignores the pooling")]:
        ok, out = verdict(fn, wrong)
        assert not ok and words in out, (wrong, out)


@pytest.mark.parametrize("name", RIGHT)
def test_no_hint_gives_the_answer_away(name, verdict):
    right = RIGHT[name]
    for wrong in (None, 0, 11, 65_536, 160, 553_536, 3.5):
        ok, out = verdict(getattr(ex, name), wrong)
        hint = out.replace("✘ Not yet: ", "")
        assert not ok and str(right) not in hint and f"{right:,}" not in hint, (wrong, out)


def test_whole_floats_and_numpy_integers_count(capsys):
    assert ex.check_receptive_field(np.int64(20)) and ex.check_receptive_field(20.0)
    assert not ex.check_receptive_field(20.5) and not ex.check_receptive_field(True)
