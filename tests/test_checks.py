"""helpers._checks: each check accepts what it promises and otherwise raises an error whose message
names the argument, the value it got and what would be valid."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from helpers import _checks as c


@pytest.mark.parametrize("value, is_int, is_whole, is_number", [
    (3, True, True, True), (np.int64(3), True, True, True), (3.0, False, True, True),
    (np.float32(3), False, True, True), (3.5, False, False, True), (Fraction(1, 2), False, False, True),
    (True, False, False, False), (np.bool_(True), False, False, False), ("3", False, False, False),
    (float("nan"), False, False, False), (float("inf"), False, False, False), (None, False, False, False),
])
def test_what_counts_as_an_integer_and_a_number(value, is_int, is_whole, is_number):
    assert (c.is_int(value), c.is_whole(value), c.is_number(value)) == (is_int, is_whole, is_number)


def test_positive_and_non_negative_ints():
    assert c.positive_int("stride", np.int32(2)) == 2 and type(c.positive_int("stride", np.int32(2))) is int
    assert c.non_negative_int("padding", 0) == 0
    for bad in (0, -1):
        with pytest.raises(ValueError, match=rf"stride must be a positive integer \(>= 1\), got {bad}"):
            c.positive_int("stride", bad)
    for bad in (2.0, True, "2", None):
        with pytest.raises(ValueError, match=rf"stride must be a positive integer, got {bad!r}"):
            c.positive_int("stride", bad)
    with pytest.raises(ValueError, match=r"padding must be a non-negative integer \(>= 0\), got -1"):
        c.non_negative_int("padding", -1)


def test_check_bool_and_check_real():
    assert c.check_bool("ceil_mode", np.bool_(False)) is False
    with pytest.raises(TypeError, match="ceil_mode must be True or False, got 1"):
        c.check_bool("ceil_mode", 1)
    assert c.check_real("beta", 1, low=0, high=1) == 1.0
    with pytest.raises(ValueError, match="beta must be > 0, got 0"):
        c.check_real("beta", 0, low=0, low_open=True)
    with pytest.raises(ValueError, match="beta must be <= 1, got 1.5"):
        c.check_real("beta", 1.5, high=1)
    with pytest.raises(ValueError, match="beta must be a finite real number, got nan"):
        c.check_real("beta", float("nan"))


def test_sequences_and_pairs():
    assert c.int_sequence("starts", np.array([0, 2])) == [0, 2] and c.int_sequence("starts", [], empty=True) == []
    with pytest.raises(ValueError, match="starts must hold at least one integer"):
        c.int_sequence("starts", [])
    with pytest.raises(TypeError, match=r"starts\[1\] must be an integer, got 2.5"):
        c.int_sequence("starts", [0, 2.5])
    with pytest.raises(TypeError, match="starts must be a sequence of integers, got '02'"):
        c.int_sequence("starts", "02")
    assert c.real_sequence("errors", (0.5, np.float32(0.25))) == [0.5, 0.25]
    with pytest.raises(TypeError, match=r"errors\[0\] must be a finite number, got inf"):
        c.real_sequence("errors", [float("inf")])
    assert c.pair("size", 3) == (3, 3) and c.pair("padding", (0, 2), c.non_negative_int) == (0, 2)
    with pytest.raises(ValueError, match=r"size\[1\] must be a positive integer"):
        c.pair("size", (2, 0))
    with pytest.raises(ValueError, match=r"size must be an int or a pair of ints, got \(1, 2, 3\)"):
        c.pair("size", (1, 2, 3))


def test_one_of_lists_what_is_valid():
    assert c.one_of("mode", "max", ("max", "avg")) == "max"
    with pytest.raises(ValueError, match="mode must be one of 'max', 'avg'; got 'mean'"):
        c.one_of("mode", "mean", ("max", "avg"))


def test_the_size_guard_refuses_before_allocating():
    c.check_size("padding", "the padded input", c.MAX_BYTES)                       # at the limit: allowed
    with pytest.raises(ValueError, match=r"padding: the padded input would need 1\.0 GiB, above .* use a smaller padding"):
        c.check_size("padding", "the padded input", c.MAX_BYTES + 1)
    c.check_size("depth", "a depth table", layers=c.MAX_LAYERS)
    with pytest.raises(ValueError, match=r"depth: a depth table would need 10,001 layers"):
        c.check_size("depth", "a depth table", layers=c.MAX_LAYERS + 1)


def test_real_array_refuses_bools_text_ragged_and_non_finite_naming_the_argument():
    from helpers._checks import real_array

    assert real_array("image", [[1, 2], [3, 4]]).dtype == np.float64
    for bad in (None, "abc", [[1, 2], [3]], np.ones((2, 2), bool), np.zeros((0, 3)), np.ones(3), [[np.nan]]):
        with pytest.raises((ValueError, TypeError), match="image"):
            real_array("image", bad)


def test_keras_initializer_names_the_argument():
    pytest.importorskip("keras")
    from helpers._checks import keras_initializer

    assert keras_initializer("kernel_initializer", "he_normal") == "he_normal"
    for bad in ("bogus", 3, None):
        with pytest.raises((ValueError, TypeError), match="kernel_initializer"):
            keras_initializer("kernel_initializer", bad)
