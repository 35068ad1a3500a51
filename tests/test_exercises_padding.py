"""helpers.exercises.padding: lesson 02's self-checks accept the right answers, worked out here by
hand and checked against Keras' convolution where it has one, and answer typical mistakes with a hint
that does not give the answer away."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import padding as ex

RIGHT = {
    "check_output_size": 8,                    # floor((15 + 2·1 − 3) / 2) + 1
    "check_same_split": (1, 2),                # ceil(9 / 2) = 5 rows need (5 − 1)·2 + 4 − 9 = 3; the odd one after
    "check_valid_depth": 10,                   # 64 − 6·10 = 4 < 7
    "check_unused_rows": [3, 7, 8, 9],         # windows cover rows 0–2 and 4–6
    "check_same_padding_dilated": 3,           # span 3·(3 − 1) + 1 = 7
}



@pytest.mark.parametrize("name", RIGHT)
def test_the_right_answer_is_accepted(name, verdict):
    ok, out = verdict(getattr(ex, name), RIGHT[name])
    assert ok is True and out.startswith("✔ Right")


def test_output_size_and_same_split_agree_with_keras():
    keras = pytest.importorskip("keras")
    L = keras.layers
    assert L.Conv2D(1, 3, strides=2).compute_output_shape((None, 15 + 2, 15 + 2, 1))[1] == RIGHT["check_output_size"]
    # TensorFlow's "same" equals explicit zero padding of (1, 2) rows: same numbers, not just the same size
    x = np.arange(81, dtype="float32").reshape(1, 9, 9, 1)
    conv = L.Conv2D(1, 4, strides=2, padding="same", use_bias=False, kernel_initializer="glorot_uniform")
    same = keras.ops.convert_to_numpy(conv(x))
    before, after = RIGHT["check_same_split"]
    explicit = keras.ops.convert_to_numpy(
        keras.ops.conv(np.pad(x, ((0, 0), (before, after), (before, after), (0, 0))), conv.kernel, strides=2))
    np.testing.assert_allclose(same, explicit, rtol=1e-6)


def test_valid_depth_and_unused_rows_by_hand():
    sizes = [64]
    while sizes[-1] >= 7:
        sizes.append(sizes[-1] - 6)
    assert len(sizes) - 1 == RIGHT["check_valid_depth"]
    starts = range(0, 10 - 3 + 1, 4)
    covered = {r for s in starts for r in range(s, s + 3)}
    assert sorted(set(range(10)) - covered) == RIGHT["check_unused_rows"]


def test_dilated_padding_keeps_the_size_in_keras():
    keras = pytest.importorskip("keras")
    p = RIGHT["check_same_padding_dilated"]
    conv = keras.layers.Conv2D(1, 3, dilation_rate=3)
    assert conv.compute_output_shape((None, 13 + 2 * p, 13 + 2 * p, 1))[1:3] == (13, 13)


def test_typical_mistakes_get_their_hint(verdict):
    ok, out = verdict(ex.check_same_split, (2, 1))
    assert not ok and "wrong side" in out
    ok, out = verdict(ex.check_unused_rows, [7, 8, 9])
    assert not ok and "between the windows" in out
    ok, out = verdict(ex.check_same_split, "1, 2")
    assert not ok and "pair" in out


@pytest.mark.parametrize("name", RIGHT)
def test_no_hint_gives_the_answer_away(name, verdict):
    right = RIGHT[name]
    for wrong in (None, 0, 5, (1, 1), [0, 1], 2.5):
        ok, out = verdict(getattr(ex, name), wrong)
        hint = out.replace("✘ Not yet: ", "")
        assert not ok and str(right) not in hint and str(tuple(right) if isinstance(right, list) else right) not in hint


def test_answers_in_any_order_and_numpy_types(capsys):
    assert ex.check_unused_rows(np.array([9, 3, 8, 7]))
    assert ex.check_same_split(np.array([1, 2]))
    assert ex.check_output_size(np.int32(8)) and ex.check_output_size(8.0)
