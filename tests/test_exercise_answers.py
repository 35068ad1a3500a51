"""Exercise checks accept an answer of any numeric type (issue 15): ``np.int64(3)`` and a whole
float ``3.0`` count as the integer 3; ``True`` and ``3.5`` do not. One definition of the test
(``helpers._checks.is_whole``) serves every lesson's checks."""

from __future__ import annotations

import numpy as np
import pytest

from helpers._checks import is_int, is_whole
import helpers
from helpers.exercises import alexnet, lenet, own_cnn, padding, pooling

RIGHT = [  # (check, right answer): the answers are computed here, never printed in a lesson
    (pooling.check_alexnet_pool_size, (13 - 3) // 2 + 1),
    (padding.check_output_size, (15 + 2 - 3) // 2 + 1),
    (padding.check_same_padding_dilated, 3),
    (lenet.check_full_c3_params, 5 * 5 * 6 * 16 + 16),
    (alexnet.check_fc6_params, 6 * 6 * 256 * 4096 + 4096),
    (alexnet.check_conv1_input, 227),
    (own_cnn.check_first_layer_multiply_adds, 64 * 64 * 16 * 3 * 3 * 1),
    (own_cnn.check_receptive_field, helpers.receptive_field(own_cnn.RF_STACK)[-1].size),
]


@pytest.mark.parametrize("check, right", RIGHT, ids=[c.__name__ for c, _ in RIGHT])
@pytest.mark.parametrize("kind", [int, np.int64, np.int32, float, np.float64, np.float32])
def test_numpy_and_whole_float_answers_are_accepted(check, right, kind, capsys):
    assert check(kind(right)) is True
    assert "✔" in capsys.readouterr().out


@pytest.mark.parametrize("check, right", RIGHT, ids=[c.__name__ for c, _ in RIGHT])
def test_bools_and_fractions_are_not_integers(check, right):
    assert check(right + 0.5) is False
    assert check(True) is False


def test_pairs_and_lists_of_numpy_ints():
    assert padding.check_same_split(tuple(np.int64(v) for v in (1, 2))) in (True, False)  # no TypeError
    assert padding.check_same_split((1.5, 1.5)) is False  # not truncated to (1, 1)


def test_is_int_and_is_whole():
    assert is_int(np.int8(3)) and not is_int(True) and not is_int(np.bool_(True)) and not is_int(3.0)
    assert is_whole(3.0) and is_whole(np.float32(3)) and not is_whole(float("inf")) and not is_whole("3")


@pytest.mark.parametrize("kwargs, name", [(dict(accuracy=1.5), "accuracy"), (dict(accuracy="0.99"), "accuracy"),
                                          (dict(accuracy=0.99, n_test=0), "n_test")])
def test_error_from_accuracy_names_a_bad_argument(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        lenet.check_error_from_accuracy(100, **kwargs)
