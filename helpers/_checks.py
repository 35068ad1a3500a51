"""Argument checks shared by every layer of ``helpers``.

Each check raises :class:`ValueError` with a message that names the argument,
the value it got and what would be valid, so that a learner who mistypes a
widget value or a function argument reads a sentence instead of a traceback
from deep inside NumPy.
"""

from __future__ import annotations

import numbers


def positive_int(name: str, value) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= 1.

    >>> positive_int("stride", 2)
    2
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be a positive integer (>= 1), got {value}")
    return int(value)


def non_negative_int(name: str, value) -> int:
    """Return ``value`` as an int, or raise if it is not an integer >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer (>= 0), got {value}")
    return int(value)


def pair(name: str, value, check=positive_int) -> tuple[int, int]:
    """Return an ``(a, b)`` pair from an int or a 2-sequence, each item checked.

    >>> pair("size", 3)
    (3, 3)
    >>> pair("stride", (2, 1))
    (2, 1)
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return check(f"{name}[0]", value[0]), check(f"{name}[1]", value[1])
    v = check(name, value)
    return v, v


def one_of(name: str, value, valid) -> str:
    """Return ``value`` if it is one of ``valid``, else raise listing them."""
    if value not in valid:
        listed = ", ".join(repr(v) for v in valid)
        raise ValueError(f"{name} must be one of {listed}; got {value!r}")
    return value
