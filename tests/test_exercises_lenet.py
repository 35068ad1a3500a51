"""helpers.exercises.lenet: lessons 03-04's self-checks accept the right answers, counted here with
Keras' own layers (or by hand), and answer typical mistakes with a hint that does not give them away."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import lenet as ex

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.tf
L = keras.layers

RIGHT = {
    "check_full_c3_params": 2_416,             # 16 · (6 · 25 + 1)
    "check_c3_size_on_48": 18,                 # 48 → 44 → 22 → 18
    "check_f6_params_on_48": 252_084,          # C5 is 5×5×120: 3,000 · 84 + 84
    "check_seed_f6_params": 161_364,           # 4·4·120 · 84 + 84
    "check_c5_multiply_adds_ratio": 7.84,      # 196 window cells on real inputs / 25
}


@pytest.mark.parametrize("name", RIGHT)
def test_the_right_answer_is_accepted(name, verdict):
    ok, out = verdict(getattr(ex, name), RIGHT[name])
    assert ok is True and out.startswith("✔ Right")


def test_parameter_counts_agree_with_keras():
    c3 = keras.Sequential([keras.Input((14, 14, 6)), L.Conv2D(16, 5)])
    assert c3.count_params() == RIGHT["check_full_c3_params"]
    net48 = keras.Sequential([keras.Input((48, 48, 1)), L.Conv2D(6, 5), L.AveragePooling2D(2), L.Conv2D(16, 5),
                              L.AveragePooling2D(2), L.Conv2D(120, 5), L.Flatten(), L.Dense(84)])
    assert net48.layers[2].output.shape[1] == RIGHT["check_c3_size_on_48"]
    assert net48.layers[-1].count_params() == RIGHT["check_f6_params_on_48"]
    seed_f6 = keras.Sequential([keras.Input((4, 4, 120)), L.Flatten(), L.Dense(84)])
    assert seed_f6.count_params() == RIGHT["check_seed_f6_params"]


def test_c5_ratio_counted_window_by_window():
    padded = np.pad(np.ones((4, 4)), 2)                                 # 'same' 5x5 on the 4x4 C5 input
    inside = sum(padded[i:i + 5, j:j + 5].sum() for i in range(4) for j in range(4))
    assert inside == 196 and inside / 25 == pytest.approx(RIGHT["check_c5_multiply_adds_ratio"])


def test_error_count_from_accuracy(verdict):
    ok, out = verdict(ex.check_error_from_accuracy, 88, accuracy=0.9912)
    assert ok and "88" in out
    assert ex.check_error_from_accuracy(87, 0.9912) and ex.check_error_from_accuracy(89, 0.9912)   # ±1: rounding
    ok, out = verdict(ex.check_error_from_accuracy, 9912, accuracy=0.9912)
    assert not ok and "error rate" in out
    assert ex.check_error_from_accuracy(50, 0.99, n_test=5_000)


def test_typical_mistakes_get_their_hint(verdict):
    for fn, wrong, words in [(ex.check_full_c3_params, 2_400, "bias"), (ex.check_full_c3_params, 1_516, "sparse C3"),
                             (ex.check_c3_size_on_48, 44, "C1's height"), (ex.check_c3_size_on_48, 22, "S2's height"),
                             (ex.check_f6_params_on_48, 10_164, "32x32 network"),
                             (ex.check_seed_f6_params, 10_164, "LeNet-5's F6"),
                             (ex.check_c5_multiply_adds_ratio, 16, "padding zeros")]:
        ok, out = verdict(fn, wrong)
        assert not ok and words in out, (fn.__name__, wrong, out)


@pytest.mark.parametrize("name", RIGHT)
def test_no_hint_gives_the_answer_away(name, verdict):
    right = RIGHT[name]
    for wrong in (None, 0, 44, 2_400, 1_516, 10_164, 16):
        ok, out = verdict(getattr(ex, name), wrong)
        hint = out.replace("✘ Not yet: ", "")
        assert not ok and str(right) not in hint and f"{right:,}" not in hint, (wrong, out)
