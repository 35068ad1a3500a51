"""helpers.exercises: the shared verdict, and the promises every self-check of every lesson keeps.

Each ``check_*`` prints exactly one line (``✔ Right: ...`` or ``✘ Not yet: <hint>``) and returns a bool;
an unanswered exercise (``answer = None``) or an answer of the wrong kind gets a hint, never a traceback.
The right answers of each lesson's checks are tested in ``test_exercises_<lesson>.py``.
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest

import helpers
from helpers.exercises import alexnet, lenet, own_cnn, padding, pooling, verdict

LESSONS = ("pooling", "padding", "lenet", "alexnet", "own_cnn")
CHECKS = [(lesson, name) for lesson in LESSONS
          for name, fn in vars(importlib.import_module(f"helpers.exercises.{lesson}")).items()
          if name.startswith("check_") and inspect.isfunction(fn)]
#: answers of the wrong kind a learner might type
JUNK = [None, "three", "", [], [1, 2, 3], {"a": 1}, float("nan"), float("inf"), -1, True, object()]


def _call(lesson, name, answer):
    fn = getattr(importlib.import_module(f"helpers.exercises.{lesson}"), name)
    extra = {"accuracy": 0.99} if "accuracy" in inspect.signature(fn).parameters else {}
    return fn(answer, **extra)


def test_verdict_prints_one_line_and_returns_a_bool(capsys):
    assert verdict(True, "3 positions", "count them") is True
    assert capsys.readouterr().out == "✔ Right: 3 positions\n"
    assert verdict(False, "3 positions", "count them") is False
    assert capsys.readouterr().out == "✘ Not yet: count them\n"      # the right text is not shown
    result = verdict(np.bool_(True), "x")
    assert result is True and type(result) is bool


def test_every_lesson_has_checks():
    assert {lesson for lesson, _ in CHECKS} == set(LESSONS)
    assert len(CHECKS) >= 20


@pytest.mark.parametrize("lesson, name", CHECKS)
def test_an_unanswered_exercise_gets_a_hint(lesson, name, capsys):
    assert _call(lesson, name, None) is False
    out = capsys.readouterr().out
    assert out.startswith("✘ Not yet: ") and out.count("\n") == 1 and len(out) > len("✘ Not yet: ") + 10


@pytest.mark.parametrize("lesson, name", CHECKS)
def test_answers_of_the_wrong_kind_get_a_verdict_not_a_traceback(lesson, name, capsys):
    for answer in JUNK:
        assert _call(lesson, name, answer) is False, answer
        out = capsys.readouterr().out
        assert out.startswith("✘ Not yet: ") and out.count("\n") == 1, (answer, out)


# --- answers of any numeric type (issue 15): np.int64(3) and a whole float 3.0 count as the integer 3 ----
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
    assert padding.check_same_split(tuple(np.int64(v) for v in (1, 2))) is True
    assert padding.check_same_split((1.5, 1.5)) is False  # not truncated to (1, 1)


@pytest.mark.parametrize("kwargs, name", [(dict(accuracy=1.5), "accuracy"), (dict(accuracy="0.99"), "accuracy"),
                                          (dict(accuracy=0.99, n_test=0), "n_test")])
def test_error_from_accuracy_names_a_bad_argument(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        lenet.check_error_from_accuracy(100, **kwargs)
