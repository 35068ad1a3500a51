"""Argument checks shared by every layer of ``helpers``.

Each check raises :class:`ValueError` with a message that names the argument,
the value it got and what would be valid, so that a learner who mistypes a
widget value or a function argument reads a sentence instead of a traceback
from deep inside NumPy.
"""

from __future__ import annotations

import math
import numbers
import sys

#: The size guard's limit for one array (an op's input after padding, its output, a window
#: buffer) or for one model's weights: 1 GiB. Larger requests are refused before allocating.
MAX_BYTES = 2**30
#: The size guard's limit on the number of layers in a depth plot or table.
MAX_LAYERS = 10_000


def is_int(value) -> bool:
    """True for Python and NumPy integers, False for bools (and everything else).

    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_whole(value) -> bool:
    """True for an integer (not a bool) or a finite float equal to an integer (``3.0``).

    This is what an exercise check accepts as an integer answer: ``3``, ``np.int64(3)``,
    ``3.0`` and ``np.float32(3)`` all count; ``True``, ``3.5`` and ``"3"`` do not.

    >>> is_whole(3.0), is_whole(3.5), is_whole(False)
    (True, False, False)
    """
    if is_int(value):
        return True
    if isinstance(value, numbers.Real) and not isinstance(value, bool) and type(value).__name__ != "bool_":
        try:
            return math.isfinite(value) and float(value).is_integer()
        except (TypeError, ValueError, OverflowError):
            return False
    return False


def is_number(value) -> bool:
    """True for a finite real number that is not a bool (Python or NumPy)."""
    return (isinstance(value, numbers.Real) and not isinstance(value, bool) and type(value).__name__ != "bool_"
            and math.isfinite(value))


def check_bool(name: str, value) -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (or a NumPy bool), else raise TypeError.

    >>> check_bool("ceil_mode", "no")
    Traceback (most recent call last):
    ...
    TypeError: ceil_mode must be True or False, got 'no'
    """
    if isinstance(value, bool) or (type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_")):
        return bool(value)  # NumPy 2 names its bool type "bool", NumPy 1 "bool_"
    raise TypeError(f"{name} must be True or False, got {value!r}")


def check_real(name: str, value, *, low=None, high=None, low_open: bool = False) -> float:
    """Return ``value`` as a float if it is a finite real number (not a bool) within the bounds."""
    if not is_number(value):  # ValueError, like positive_int, whatever the wrong value's type
        raise ValueError(f"{name} must be a finite real number, got {value!r}")
    v = float(value)
    if low is not None and (v <= low if low_open else v < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value!r}")
    if high is not None and v > high:
        raise ValueError(f"{name} must be <= {high}, got {value!r}")
    return v


def _human(n_bytes: float) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n_bytes >= size:
            return f"{n_bytes / size:,.1f} {unit}"
    return f"{int(n_bytes)} bytes"


def check_size(name: str, what: str, n_bytes=None, *, layers=None) -> None:
    """The one size guard of ``helpers``: refuse a request above :data:`MAX_BYTES` or :data:`MAX_LAYERS`.

    Call it with the size a request *would* need, before allocating anything. ``name`` is
    the argument that made the request so large; ``what`` says what would be allocated.

    >>> check_size("padding", "the padded input (20004×20004 float64)", 20004 * 20004 * 8)
    Traceback (most recent call last):
    ...
    ValueError: padding: the padded input (20004×20004 float64) would need 3.0 GiB, above helpers' limit of 1.0 GiB (helpers._checks.MAX_BYTES); use a smaller padding
    """
    if n_bytes is not None and n_bytes > MAX_BYTES:
        raise ValueError(
            f"{name}: {what} would need {_human(n_bytes)}, above helpers' limit of {_human(MAX_BYTES)} "
            f"(helpers._checks.MAX_BYTES); use a smaller {name}")
    if layers is not None and layers > MAX_LAYERS:
        raise ValueError(
            f"{name}: {what} would need {layers:,} layers, above helpers' limit of {MAX_LAYERS:,} "
            f"(helpers._checks.MAX_LAYERS); use a smaller {name}")


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


def real_sequence(name: str, value) -> list[float]:
    """Return ``value`` as a non-empty list of finite floats (bools refused), or raise naming ``name``."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a sequence of numbers, got {value!r}")
    items = list(value)
    if not items:
        raise ValueError(f"{name} must hold at least one number, got {value!r}")
    for i, item in enumerate(items):
        if not is_number(item) or item != item or item in (float("inf"), float("-inf")):
            raise TypeError(f"{name}[{i}] must be a finite number, got {item!r}")
    return [float(item) for item in items]


def int_sequence(name: str, value, *, empty: bool = False) -> list[int]:
    """Return ``value`` as a list of ints, or raise if it is not a sequence of integers (bools refused).

    >>> int_sequence("starts", (0, 2, 4))
    [0, 2, 4]
    """
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a sequence of integers, got {value!r}")
    items = list(value)
    if not items and not empty:
        raise ValueError(f"{name} must hold at least one integer, got {value!r}")
    for i, item in enumerate(items):
        if not is_int(item):
            raise TypeError(f"{name}[{i}] must be an integer, got {item!r}")
    return [int(item) for item in items]


def real_array(name: str, value, ndims=(2,)):
    """Return ``value`` as a float64 NumPy array of one of ``ndims`` dimensions, non-empty and finite
    (bools, text and objects refused), or raise naming ``name``.

    >>> real_array("image", [[1, 2], [3, 4]]).dtype
    dtype('float64')
    """
    import numpy as np  # here, not at the top: arith, which uses the other checks, stays plain Python

    try:
        arr = np.asarray(value) if not isinstance(value, (str, bytes)) else np.asarray(None)
    except (ValueError, TypeError):  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers, got {_short(value)}") from None
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of numbers, got {_short(value)}")
    dims = " or ".join(str(d) for d in ndims)
    if arr.ndim not in ndims or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty {dims}-D array, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must hold finite numbers only (no NaN or infinity)")
    return arr


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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


def keras_initializer(name: str, value):
    """Return ``value`` if Keras reads it as an initialiser (a name such as ``"he_normal"`` or an
    initialiser object), else raise naming ``name``. Imports Keras: call it from Keras-level code only.

    Keras' initializer factory draws a seed from Python's random generator, so this check is part of a seeded
    build's sequence of draws: removing it, or calling it once more, changes the initial weights that
    ``keras.utils.set_random_seed`` gives (the stored lessons 04-06 were run with it in place)."""
    if not isinstance(value, (str, dict)) and not callable(value):
        raise TypeError(f"{name} must be a Keras initializer or its name; got {value!r}")
    import keras

    try:
        keras.initializers.get(value)
    except (ValueError, TypeError) as err:
        raise ValueError(f"{name}={value!r} is not a Keras initializer: {err}") from None
    return value


def one_of(name: str, value, valid) -> str:
    """Return ``value`` if it is one of ``valid``, else raise listing them.

    A bool never stands for ``0`` or ``1``, and a value that cannot be compared (an array, a list)
    gets the same message as any other wrong value.

    >>> one_of("mode", "max", ("max", "avg"))
    'max'
    >>> one_of("axis", True, (0, 1))
    Traceback (most recent call last):
    ...
    ValueError: axis must be one of 0, 1; got True
    """
    try:
        found = bool(value in valid)
    except Exception:  # noqa: BLE001 - an array's ambiguous truth value, an unhashable key
        found = False
    if found and _is_bool(value):
        found = any(v is value or (_is_bool(v) and bool(v) == bool(value)) for v in valid)
    if not found:
        listed = ", ".join(repr(v) for v in valid)
        raise ValueError(f"{name} must be one of {listed}; got {_shown(value)}")
    return value


def image_batch(name: str, value, ndims=(3, 4), *, empty: bool = True, single: bool = False):
    """Return ``value`` as a NumPy array of images ``(N, H, W)`` or ``(N, H, W, C)`` (the ranks in
    ``ndims``) of numbers or bools, or raise naming ``name``. ``empty=False`` also refuses an array
    without pixels; ``single=True`` reads ``ndims`` as one image, ``(H, W)`` or ``(H, W, C)``.

    >>> image_batch("images", [[1, 2]]).shape
    Traceback (most recent call last):
    ...
    ValueError: images must be a batch of images, an array of shape (N, H, W) or (N, H, W, C), got shape (1, 2)
    """
    import numpy as np  # here, not at the top: arith imports this module and stays plain Python

    names = {2: "(H, W)", 3: "(H, W, C)"} if single else {3: "(N, H, W)", 4: "(N, H, W, C)"}
    shapes = " or ".join(names.get(n, f"{n}-D") for n in ndims)
    what = "an image" if single else "a batch of images"
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):  # ragged nesting
        raise ValueError(f"{name} must be {what}, an array of shape {shapes}, got {value!r}") from None
    if array.ndim not in ndims:
        raise ValueError(f"{name} must be {what}, an array of shape {shapes}, got shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers (uint8 pixels or floats), got dtype {array.dtype}")
    if not empty and 0 in array.shape:
        raise ValueError(f"{name} must hold at least one pixel, got shape {array.shape}")
    return array


def _is_bool(value) -> bool:
    return isinstance(value, bool) or type(value).__name__ == "bool_"


def _shown(value, limit: int = 80) -> str:
    """``repr(value)``, or for an array or a long value its type and shape, short enough for a message."""
    shape = getattr(value, "shape", None)
    if shape is not None and getattr(value, "dtype", None) is not None and len(shape):
        return f"a {type(value).__name__} of shape {tuple(shape)} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit - 5]} ...{text[-1]}"


def check_text(name: str, value, *, optional: bool = True):
    """Return ``value`` if it is a string (or ``None`` when ``optional``), else raise TypeError.

    >>> check_text("title", 3)
    Traceback (most recent call last):
    ...
    TypeError: title must be text (a str) or None; got 3
    """
    if isinstance(value, str) or (optional and value is None):
        return value
    raise TypeError(f"{name} must be text (a str){' or None' if optional else ''}; got {_shown(value)}")


def check_callable(name: str, value, what: str = "a function", *, optional: bool = False):
    """Return ``value`` if it can be called (or is ``None`` when ``optional``), else raise TypeError.

    >>> check_callable("preprocess", True, "a function of a batch", optional=True)
    Traceback (most recent call last):
    ...
    TypeError: preprocess must be a function of a batch or None; got True
    """
    if (optional and value is None) or callable(value):
        return value
    raise TypeError(f"{name} must be {what}{' or None' if optional else ''}; got {_shown(value)}")


def check_model(name: str, value):
    """Return ``value`` if it is a Keras model (``keras.Model``), else raise TypeError.

    Keras is not imported here: a value can only be a Keras model once Keras is loaded, so this
    module stays importable without TensorFlow.
    """
    keras = sys.modules.get("keras")
    if keras is None or not isinstance(value, keras.Model):
        raise TypeError(f"{name} must be a Keras model (keras.Model); got {_shown(value)}")
    return value


def check_layer(name: str, value):
    """Return ``value`` if it is a Keras layer or model (``keras.layers.Layer``), else raise TypeError."""
    keras = sys.modules.get("keras")
    if keras is None or not isinstance(value, keras.layers.Layer):
        raise TypeError(f"{name} must be a Keras layer or model; got {_shown(value)}")
    return value


def check_seed(name: str, value) -> int:
    """Return ``value`` as an int if it is a random seed Keras and NumPy accept: an integer in 0..2**32 - 1.

    >>> check_seed("seed", -1)
    Traceback (most recent call last):
    ...
    ValueError: seed must be an integer from 0 to 4294967295 (2**32 - 1); got -1
    """
    if not is_int(value) or not 0 <= value < 2**32:
        raise ValueError(f"{name} must be an integer from 0 to {2**32 - 1} (2**32 - 1); got {_shown(value)}")
    return int(value)


def check_array(name: str, value, *, ndim=None, kinds: str = "iuf", empty: bool = True):
    """Return ``value`` as a NumPy array of numbers, or raise naming ``name``.

    ``ndim``: the number of axes required (an int, or a tuple of the allowed numbers);
    ``kinds``: the allowed dtype kinds (``"i"`` signed, ``"u"`` unsigned integers, ``"f"`` floats,
    ``"b"`` bools; bools are refused unless asked for); ``empty=False`` refuses an array without
    elements. A ragged list, text or an object that is not numbers is a ``TypeError``.

    >>> check_array("x", [[1, 2], [3]])
    Traceback (most recent call last):
    ...
    TypeError: x must be an array of numbers; got [[1, 2], [3]] (a ragged or non-numeric value)
    >>> check_array("x", [1.0, 2.0], ndim=2)
    Traceback (most recent call last):
    ...
    ValueError: x must be a 2-D array; got shape (2,)
    """
    import numpy as np  # here, so that the module's import stays free of NumPy's start-up cost

    try:
        a = np.asarray(value)
    except Exception:  # noqa: BLE001 - ragged lists and the like
        a = None
    if a is None or a.dtype.kind not in kinds:
        valid = {"i": "integers", "u": "integers", "f": "floats", "b": "bools"}
        what = sorted({valid[k] for k in kinds if k in valid})
        if a is None or a.dtype.kind in "OUSV":
            raise TypeError(f"{name} must be an array of numbers; got {_shown(value)} "
                            "(a ragged or non-numeric value)")
        raise TypeError(f"{name} must be an array of {' or '.join(what)}; got dtype {a.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if a.ndim not in allowed:
            wanted = " or ".join(f"{n}-D" for n in allowed)
            raise ValueError(f"{name} must be a {wanted} array; got shape {a.shape}")
    if not empty and a.size == 0:
        raise ValueError(f"{name} must hold at least one value; got shape {a.shape}")
    return a


def class_labels(name: str, value):
    """Class labels as a 1-D int64 array: whole numbers >= 0 only, never truncated or wrapped.

    >>> class_labels("y", [[1], [0]]).tolist()
    [1, 0]
    >>> class_labels("y", [0.5])
    Traceback (most recent call last):
    ...
    ValueError: y must hold whole class labels; got 0.5
    """
    import numpy as np

    try:
        a = np.asarray(value)
    except Exception as err:  # noqa: BLE001 - ragged lists and the like
        raise ValueError(f"{name} must be a sequence of class labels (ints >= 0); got {_shown(value)} "
                         f"({err})") from None
    if a.dtype.kind not in "iuf" or a.ndim == 0:
        raise ValueError(f"{name} must be a sequence of class labels (ints >= 0); got dtype {a.dtype}, "
                         f"shape {a.shape}")
    a = a.reshape(-1)
    if a.dtype.kind == "f" and not (np.isfinite(a).all() and (a == np.round(a)).all()):
        raise ValueError(f"{name} must hold whole class labels; got {a[~(np.isfinite(a) & (a == np.round(a)))][0].item()!r}")
    if a.size and a.min() < 0:
        raise ValueError(f"{name} must hold class labels >= 0; got {a.min().item()!r}")
    return a.astype(np.int64)


def check_cmap(name: str, value):
    """Return ``value`` if it is a Matplotlib colour map or the name of one, else raise.

    >>> check_cmap("cmap", "grey_r2")
    Traceback (most recent call last):
    ...
    ValueError: cmap must be a Matplotlib colour map or its name ('gray', 'Blues', 'RdBu_r', ...); got 'grey_r2'
    """
    from matplotlib import colormaps  # here: only the plotting functions call this check
    from matplotlib.colors import Colormap

    if isinstance(value, Colormap) or (isinstance(value, str) and value in colormaps):
        return value
    error = ValueError if isinstance(value, str) else TypeError
    raise error(f"{name} must be a Matplotlib colour map or its name ('gray', 'Blues', 'RdBu_r', ...); "
                f"got {_shown(value)}")


def check_names(name: str, value, count: int, what: str = "class") -> list:
    """Return ``value`` as a list of at least ``count`` strings (e.g. class names indexed by label), or raise.

    >>> check_names("class_names", ["cat"], 2)
    Traceback (most recent call last):
    ...
    ValueError: class_names must name every class up to 1: a list of at least 2 names; got 1
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list of {what} names; got {_shown(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"{name}[{i}] must be a name (a str); got {_shown(item)}")
    if len(value) < count:
        raise ValueError(f"{name} must name every {what} up to {count - 1}: a list of at least {count} names; "
                         f"got {len(value)}")
    return list(value)


def check_figsize(name: str, value) -> tuple[float, float]:
    """Return ``(width, height)`` in inches: two finite numbers above 0, at most 100 (a figure's size).

    >>> check_figsize("figsize", (8, 4))
    (8.0, 4.0)
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, (tuple, list)) or len(value) != 2:
        raise TypeError(f"{name} must be (width, height) in inches; got {_shown(value)}")
    return (check_real(f"{name}[0]", value[0], low=0, low_open=True, high=100),
            check_real(f"{name}[1]", value[1], low=0, low_open=True, high=100))
