"""Convolution and pooling arithmetic: output sizes, padding splits, receptive fields.

Plain Python, no NumPy: everything here is a formula, checked in ``tests/test_arith.py``
against TensorFlow/Keras layers and against the worked examples of Dumoulin & Visin (2016),
"A guide to convolution arithmetic for deep learning" (arXiv:1603.07285).

The one formula behind it all, for one spatial axis of size ``n``, kernel ``k``,
stride ``s``, dilation ``d`` and ``p_before + p_after`` cells of padding::

    out = floor((n + p_before + p_after - d*(k - 1) - 1) / s) + 1

>>> output_size(28, 5)              # LeNet-5's C1 on a 28x28 digit, "valid"
24
>>> output_size(227, 11, stride=4)  # AlexNet's conv1
55
>>> same_padding(6, 2, stride=2)    # TensorFlow pads nothing here...
(0, 0)
>>> same_padding(5, 2, stride=2)    # ...but here the extra cell goes after (bottom/right)
(0, 1)
"""

from __future__ import annotations

from typing import NamedTuple

from ._checks import check_bool, non_negative_int, one_of, positive_int

PADDING_NAMES = ("valid", "same")


def effective_kernel(kernel: int, dilation: int = 1) -> int:
    """Span of a dilated kernel: ``d*(k-1) + 1``.

    >>> effective_kernel(3, dilation=2)
    5
    """
    kernel = positive_int("kernel", kernel)
    dilation = positive_int("dilation", dilation)
    return dilation * (kernel - 1) + 1


def same_padding(size: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """Padding ``(before, after)`` that TensorFlow's ``padding="same"`` adds on one axis.

    TensorFlow makes the output ``ceil(size / stride)`` long and pads just enough for that;
    when the total is odd the extra cell goes *after* (bottom or right). PyTorch's integer
    padding can only be symmetric, and some textbooks put the extra cell first: see lesson 02.

    >>> same_padding(7, 3)
    (1, 1)
    >>> same_padding(8, 4)   # even kernel, stride 1: 3 cells, 1 before and 2 after
    (1, 2)
    """
    size = positive_int("size", size)
    stride = positive_int("stride", stride)
    span = effective_kernel(kernel, dilation)
    out = -(-size // stride)  # ceil
    total = max((out - 1) * stride + span - size, 0)
    return total // 2, total - total // 2


def padding_pair(padding, size: int, kernel: int, stride: int = 1, dilation: int = 1) -> tuple[int, int]:
    """Resolve any padding spec (int, ``(before, after)``, ``"valid"``, ``"same"``) to a pair.

    >>> padding_pair(2, 10, 5)
    (2, 2)
    >>> padding_pair("same", 5, 2, stride=2)
    (0, 1)
    """
    if isinstance(padding, str):
        one_of("padding", padding.lower(), PADDING_NAMES + tuple(p.upper() for p in PADDING_NAMES))
        if padding.lower() == "valid":
            return 0, 0
        return same_padding(size, kernel, stride, dilation)
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(
                f"padding must be an int, a (before, after) pair, 'valid' or 'same'; got {padding!r}"
            )
        return non_negative_int("padding[0]", padding[0]), non_negative_int("padding[1]", padding[1])
    try:
        p = non_negative_int("padding", padding)
    except ValueError:
        raise ValueError(
            f"padding must be an int >= 0, a (before, after) pair, 'valid' or 'same'; got {padding!r}"
        ) from None
    return p, p


def output_size(size: int, kernel: int, stride: int = 1, padding=0, dilation: int = 1,
                ceil_mode: bool = False) -> int:
    """Number of positions a kernel takes along one axis.

    ``padding`` is an int (each side), a ``(before, after)`` pair, or ``"valid"``/``"same"``
    with TensorFlow's meaning. Integer padding follows PyTorch and the convolution-arithmetic
    guide: ``floor((n + 2p - d(k-1) - 1) / s) + 1``. With ``ceil_mode=True`` (PyTorch's pooling
    option) the floor becomes a ceiling, but the last window must still start inside the input
    or its left padding.

    Raises ``ValueError`` when the kernel does not fit in the padded input, naming both sizes.

    >>> output_size(32, 5, padding="same")
    32
    >>> output_size(7, 3, stride=2, padding=1)
    4
    >>> output_size(6, 3, stride=2, ceil_mode=True)   # floor would give 2
    3
    """
    size = positive_int("size", size)
    stride = positive_int("stride", stride)
    ceil_mode = check_bool("ceil_mode", ceil_mode)
    span = effective_kernel(kernel, dilation)
    before, after = padding_pair(padding, size, kernel, stride, dilation)
    if ceil_mode and isinstance(padding, str):
        raise ValueError(
            f"ceil_mode applies to integer padding only; padding={padding!r} already fixes the size"
        )
    padded = size + before + after
    if span > padded:
        what = f"kernel {kernel}" if span == kernel else f"dilated kernel {span} (kernel {kernel}, dilation {dilation})"
        raise ValueError(
            f"{what} is larger than the padded input {padded} (size {size} + padding {before}+{after}); "
            f"use a kernel of at most {padded} or more padding"
        )
    if not ceil_mode:
        return (padded - span) // stride + 1
    out = -(-(padded - span) // stride) + 1
    if (out - 1) * stride >= size + before:  # last window would start in the right padding
        out -= 1
    return out


class ReceptiveField(NamedTuple):
    """One row of :func:`receptive_field`: where a layer's units look in the input.

    ``size``: receptive-field width in input pixels; ``jump``: input pixels between two
    neighbouring units (the product of the strides so far); ``start``: input coordinate of
    the centre of the first unit's field (negative when padding pushes it outside);
    ``output``: the layer's output size, when an input size was given.
    """

    name: str
    kernel: int
    stride: int
    size: int
    jump: int
    start: float
    output: int | None


def _layer_spec(layer, index):
    """Read (name, kernel, stride, padding, dilation) from a tuple, dict or Keras-like layer."""
    if isinstance(layer, dict):
        unknown = set(layer) - {"name", "kernel", "stride", "padding", "dilation"}
        if unknown or "kernel" not in layer:
            raise ValueError(
                f"layers[{index}] must have a 'kernel' and only 'name', 'stride', 'padding', "
                f"'dilation'; got keys {sorted(layer)}"
            )
        return (layer.get("name", f"layer{index + 1}"), layer["kernel"], layer.get("stride", 1),
                layer.get("padding", 0), layer.get("dilation", 1))
    if isinstance(layer, (tuple, list)):
        if not 1 <= len(layer) <= 4:
            raise ValueError(
                f"layers[{index}] must be (kernel, stride[, padding[, dilation]]); got {layer!r}"
            )
        kernel, stride, padding, dilation = (*layer, *(1, 0, 1)[len(layer) - 1:])
        return f"layer{index + 1}", kernel, stride, padding, dilation
    # A Keras Conv2D / pooling layer, read by duck typing so this module never imports Keras.
    kernel = getattr(layer, "kernel_size", None) or getattr(layer, "pool_size", None)
    if kernel is None:
        raise ValueError(
            f"layers[{index}] must be a (kernel, stride) tuple, a dict or a conv/pool layer; got {layer!r}"
        )
    strides = getattr(layer, "strides", 1) or kernel
    dilation = getattr(layer, "dilation_rate", 1)
    first = lambda v: v[0] if isinstance(v, (tuple, list)) else v  # noqa: E731
    return (getattr(layer, "name", f"layer{index + 1}"), first(kernel), first(strides),
            getattr(layer, "padding", "valid"), first(dilation))


def _layer_list(layers) -> list:
    """``layers`` as a list, or a TypeError naming the argument (not "object is not iterable")."""
    if isinstance(layers, (str, bytes, dict)) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a list of (kernel, stride[, padding[, dilation]]) tuples, dicts "
                        f"or conv/pool layers; got {layers!r}")
    return list(layers)


def receptive_field(layers, input_size: int | None = None) -> list[ReceptiveField]:
    """Receptive field size, jump and start of each layer in a stack of conv/pool layers.

    ``layers`` holds ``(kernel, stride)`` or ``(kernel, stride, padding[, dilation])`` tuples,
    dicts with those keys (plus ``name``), or Keras conv/pool layers. Padding may be an int,
    a pair, ``"valid"`` or ``"same"``; ``"same"`` with a stride above 1 needs ``input_size``
    because TensorFlow's split depends on it. The recurrences are the usual ones
    (e.g. Araujo et al. 2019, "Computing receptive fields of convolutional neural networks")::

        jump_out  = jump_in * s
        size_out  = size_in + (d*(k-1)) * jump_in
        start_out = start_in + ((d*(k-1))/2 - p_before) * jump_in

    >>> [r.size for r in receptive_field([(3, 1), (3, 1), (2, 2)])]
    [3, 5, 6]
    >>> receptive_field([(5, 1), (2, 2)], input_size=32)[-1].output
    14
    """
    if input_size is not None:
        input_size = positive_int("input_size", input_size)
    layers = _layer_list(layers)
    rows: list[ReceptiveField] = []
    size, jump, start, n = 1, 1, 0.0, input_size
    for i, layer in enumerate(layers):
        name, kernel, stride, padding, dilation = _layer_spec(layer, i)
        kernel = positive_int(f"layers[{i}] kernel", kernel)
        stride = positive_int(f"layers[{i}] stride", stride)
        dilation = positive_int(f"layers[{i}] dilation", dilation)
        span = effective_kernel(kernel, dilation)
        if n is None:
            if isinstance(padding, str) and padding.lower() == "same":
                if stride > 1:
                    raise ValueError(
                        f"layers[{i}] ({name}) uses padding 'same' with stride {stride}: TensorFlow's "
                        "split then depends on the input size, so pass input_size"
                    )
                before = (span - 1) // 2
            else:
                before = padding_pair(padding, 1, 1)[0]
            out = None
        else:
            before = padding_pair(padding, n, kernel, stride, dilation)[0]
            try:
                out = output_size(n, kernel, stride, padding, dilation)
            except ValueError as err:
                raise ValueError(f"layers[{i}] ({name}): {err} (input_size={input_size} has shrunk to {n} here)") from None
        start = start + ((span - 1) / 2 - before) * jump
        size = size + (span - 1) * jump
        jump = jump * stride
        rows.append(ReceptiveField(name, kernel, stride, size, jump, start, out))
        n = out
    return rows


def sizes_through(layers, input_size: int) -> list[int]:
    """Spatial size after each layer, starting with ``input_size``; stops at the first failure.

    Returns the sizes reached; a layer that cannot fit ends the list (no exception), which
    is what the depth plots of lesson 02 need. A layer that is invalid in itself (kernel 0,
    stride 2.5, an unknown padding) is a ``ValueError`` naming it, not the end of the list.

    >>> sizes_through([(3, 1)] * 4, 7)
    [7, 5, 3, 1]
    """
    sizes = [positive_int("input_size", input_size)]
    for i, layer in enumerate(_layer_list(layers)):
        _, kernel, stride, padding, dilation = _layer_spec(layer, i)
        kernel = positive_int(f"layers[{i}] kernel", kernel)
        stride = positive_int(f"layers[{i}] stride", stride)
        dilation = positive_int(f"layers[{i}] dilation", dilation)
        if not isinstance(padding, str):
            padding_pair(padding, 1, 1)  # raises for a bad padding; "valid"/"same" are checked below
        else:
            one_of(f"layers[{i}] padding", padding.lower(), PADDING_NAMES)
        try:
            sizes.append(output_size(sizes[-1], kernel, stride, padding, dilation))
        except ValueError:
            break
    return sizes


def describe_output_size(size: int, kernel: int, stride: int = 1, padding=0, dilation: int = 1) -> str:
    """The output-size formula with the numbers substituted, as a widget or lesson prints it.

    >>> describe_output_size(7, 3, stride=2, padding="same")
    'same: (before, after) = (1, 1); floor((7 + 1 + 1 - 3) / 2) + 1 = 4'
    """
    before, after = padding_pair(padding, size, kernel, stride, dilation)
    out = output_size(size, kernel, stride, padding, dilation)
    kpart = f"{dilation}*({kernel} - 1) - 1" if dilation != 1 else f"{kernel}"
    lead = f"{padding.lower()}: (before, after) = ({before}, {after}); " if isinstance(padding, str) else ""
    return f"{lead}floor(({size} + {before} + {after} - {kpart}) / {stride}) + 1 = {out}"


__all__ = [
    "PADDING_NAMES",
    "ReceptiveField",
    "describe_output_size",
    "effective_kernel",
    "output_size",
    "padding_pair",
    "receptive_field",
    "same_padding",
    "sizes_through",
]
