"""helpers.arith: output sizes, TensorFlow's "same" split and receptive fields.

Three kinds of evidence: worked examples of Dumoulin & Visin (2016), "A guide to
convolution arithmetic for deep learning" (arXiv:1603.07285; relationship numbers as in the
paper), hand-computed PyTorch ``ceil_mode`` cases, and property tests against the shapes
and values that TensorFlow/Keras actually produce (marked ``tf``; skipped without TF).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers.arith import (
    describe_output_size,
    effective_kernel,
    output_size,
    padding_pair,
    receptive_field,
    same_padding,
    sizes_through,
)

TF_SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FAST_SETTINGS = settings(max_examples=300, deadline=None)


@pytest.fixture(scope="module")
def tf():
    return pytest.importorskip("tensorflow")


@pytest.fixture(scope="module")
def keras(tf):
    return pytest.importorskip("keras")


# --------------------------------------------------------------------------- Dumoulin & Visin

@pytest.mark.parametrize(
    ("relationship", "i", "k", "s", "p", "o"),
    [
        # Relationship 1: no zero padding, unit strides: o = (i - k) + 1 (their Figure 2.1).
        (1, 4, 3, 1, 0, 2),
        # Relationship 2: zero padding, unit strides: o = (i - k) + 2p + 1 (Figure 2.2).
        (2, 5, 4, 1, 2, 6),
        # Relationship 3: half ("same") padding, k = 2n + 1, p = floor(k/2): o = i (Figure 2.3).
        (3, 5, 3, 1, 1, 5),
        # Relationship 4: full padding, p = k - 1: o = i + (k - 1) (Figure 2.4).
        (4, 5, 3, 1, 2, 7),
        # Relationship 5: no padding, non-unit strides: o = floor((i - k) / s) + 1 (Figure 2.5).
        (5, 5, 3, 2, 0, 2),
        # Relationship 6: padding and strides: o = floor((i + 2p - k) / s) + 1 (Figures 2.6, 2.7).
        (6, 5, 3, 2, 1, 3),
        (6, 6, 3, 2, 1, 3),
    ],
)
def test_dumoulin_visin_relationships_1_to_6(relationship, i, k, s, p, o):
    assert output_size(i, k, stride=s, padding=p) == o


def test_dumoulin_visin_relationship_3_half_padding_is_tf_same_for_odd_kernels():
    # Relationship 3 ("half padding") pads floor(k/2) on both sides: TF's "same" split for odd k.
    for k in (1, 3, 5, 7):
        assert same_padding(5, k) == (k // 2, k // 2)
        assert output_size(5, k, padding="same") == output_size(5, k, padding=k // 2) == 5


def test_dumoulin_visin_relationship_7_pooling():
    # Relationship 7 (pooling): o = floor((i - k) / s) + 1; their Figure 1.6, i=5, k=3, s=1 -> 3.
    assert output_size(5, 3, stride=1) == 3


def test_dumoulin_visin_relationship_15_dilation():
    # Relationship 15 (dilated convolution), Figure 5.1: i=7, k=3, d=2, s=1, p=0 -> o=3.
    assert effective_kernel(3, dilation=2) == 5  # k + (k - 1)(d - 1)
    assert output_size(7, 3, dilation=2) == 3


@FAST_SETTINGS
@given(n=st.integers(1, 80), k=st.integers(1, 9), s=st.integers(1, 5), p=st.integers(0, 5),
       d=st.integers(1, 4))
def test_integer_padding_matches_the_formula(n, k, s, p, d):
    # Relationship 15 in PyTorch's spelling: floor((n + 2p - d(k-1) - 1) / s) + 1.
    if n + 2 * p < d * (k - 1) + 1:
        with pytest.raises(ValueError, match="larger than the padded input"):
            output_size(n, k, stride=s, padding=p, dilation=d)
    else:
        assert output_size(n, k, stride=s, padding=p, dilation=d) == (n + 2 * p - d * (k - 1) - 1) // s + 1
        # A (before, after) pair with the same total and the symmetric int agree.
        assert output_size(n, k, stride=s, padding=(p, p), dilation=d) == output_size(n, k, s, p, d)


# --------------------------------------------------------------------------- ceil_mode (PyTorch)

@pytest.mark.parametrize(
    ("n", "k", "s", "p", "floor_out", "ceil_out"),
    [
        (6, 3, 2, 0, 2, 3),   # the docstring case: a partial last window is kept
        (5, 2, 2, 0, 2, 3),   # 5 // 2 vs ceil(5 / 2)
        (4, 2, 2, 0, 2, 2),   # exact fit: ceil changes nothing
        # The last window would start at padded index 6 = size 5 + left pad 1, i.e. in the
        # right padding: PyTorch drops it, so ceil_mode gives 3, not ceil(5/2) + 1 = 4.
        (5, 2, 2, 1, 3, 3),
        (4, 2, 2, 1, 3, 3),   # windows start at 0, 2, 4 (< 4 + 1): all kept, no extra one
        (7, 3, 2, 1, 4, 4),
        (8, 3, 2, 1, 4, 5),   # windows start at 0,2,4,6,8: 8 < 8 + 1, so the fifth stays
    ],
)
def test_ceil_mode_hand_computed_pytorch_cases(n, k, s, p, floor_out, ceil_out):
    assert output_size(n, k, stride=s, padding=p) == floor_out
    assert output_size(n, k, stride=s, padding=p, ceil_mode=True) == ceil_out


@FAST_SETTINGS
@given(n=st.integers(1, 60), k=st.integers(1, 6), s=st.integers(1, 5), p=st.integers(0, 3))
def test_ceil_mode_against_pytorch_rule(n, k, s, p):
    assume(p <= k // 2 and n + 2 * p >= k)  # PyTorch's own preconditions for pooling
    # PyTorch's pooling_output_shape, written out independently.
    out = (n + 2 * p - k + (s - 1)) // s + 1
    if (out - 1) * s >= n + p:
        out -= 1
    floor_out = output_size(n, k, stride=s, padding=p)
    assert output_size(n, k, stride=s, padding=p, ceil_mode=True) == out
    assert out in (floor_out, floor_out + 1)


def test_ceil_mode_with_string_padding_is_rejected():
    with pytest.raises(ValueError, match=r"ceil_mode applies to integer padding only; padding='same'"):
        output_size(7, 3, stride=2, padding="same", ceil_mode=True)


# --------------------------------------------------------------------------- same_padding

@pytest.mark.parametrize(
    ("size", "kernel", "stride", "dilation", "expected"),
    [
        (7, 3, 1, 1, (1, 1)),
        (8, 4, 1, 1, (1, 2)),   # odd total: the extra cell goes after
        (5, 2, 2, 1, (0, 1)),
        (6, 2, 2, 1, (0, 0)),
        (224, 11, 4, 1, (3, 4)),  # AlexNet conv1 on 224 with "same": out 56, total 7
        (7, 3, 1, 2, (2, 2)),   # dilated 3 -> span 5
        (3, 5, 1, 1, (2, 2)),   # kernel larger than the input still works with "same"
    ],
)
def test_same_padding_hand_cases(size, kernel, stride, dilation, expected):
    assert same_padding(size, kernel, stride, dilation) == expected
    assert output_size(size, kernel, stride, "same", dilation) == -(-size // stride)


@FAST_SETTINGS
@given(n=st.integers(1, 80), k=st.integers(1, 9), s=st.integers(1, 5), d=st.integers(1, 3))
def test_same_output_is_ceil_of_size_over_stride(n, k, s, d):
    before, after = same_padding(n, k, s, d)
    assert 0 <= after - before <= 1
    assert output_size(n, k, s, "same", d) == math.ceil(n / s)
    assert output_size(n, k, s, "SAME", d) == math.ceil(n / s)
    assert padding_pair("same", n, k, s, d) == (before, after)


@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_same_padding_split_matches_tensorflow_conv(tf, data):
    # conv(x, "SAME") == conv(pad(x, (before, after)), "VALID") with our split, on random data.
    h, w = data.draw(st.integers(1, 14), "h"), data.draw(st.integers(1, 14), "w")
    kh, kw = data.draw(st.integers(1, 6), "kh"), data.draw(st.integers(1, 6), "kw")
    sh, sw = data.draw(st.integers(1, 4), "sh"), data.draw(st.integers(1, 4), "sw")
    dh, dw = (1, 1) if max(sh, sw) > 1 else (data.draw(st.integers(1, 3), "dh"), data.draw(st.integers(1, 3), "dw"))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), "seed"))
    x = tf.constant(rng.standard_normal((1, h, w, 2)), tf.float32)
    kernel = tf.constant(rng.standard_normal((kh, kw, 2, 3)), tf.float32)
    (t, b), (l, r) = same_padding(h, kh, sh, dh), same_padding(w, kw, sw, dw)
    same = tf.nn.conv2d(x, kernel, strides=(sh, sw), padding="SAME", dilations=(dh, dw))
    explicit = tf.nn.conv2d(tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]]), kernel, strides=(sh, sw),
                            padding="VALID", dilations=(dh, dw))
    np.testing.assert_allclose(explicit.numpy(), same.numpy(), rtol=1e-4, atol=1e-4)


@pytest.mark.tf
def test_same_padding_puts_the_extra_cell_after_not_before(tf):
    # Has teeth: with an odd total, swapping the split gives a different result.
    x = tf.constant(np.arange(1.0, 9.0).reshape(1, 8, 1, 1), tf.float32)
    kernel = tf.constant(np.array([1.0, 10.0, 100.0, 1000.0]).reshape(4, 1, 1, 1), tf.float32)
    assert same_padding(8, 4) == (1, 2)
    same = tf.nn.conv2d(x, kernel, 1, "SAME").numpy().ravel()
    after = tf.nn.conv2d(tf.pad(x, [[0, 0], [1, 2], [0, 0], [0, 0]]), kernel, 1, "VALID").numpy().ravel()
    before = tf.nn.conv2d(tf.pad(x, [[0, 0], [2, 1], [0, 0], [0, 0]]), kernel, 1, "VALID").numpy().ravel()
    np.testing.assert_array_equal(same, after)
    assert not np.array_equal(same, before)


@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_same_padding_split_matches_tensorflow_max_pool(tf, data):
    h, w = data.draw(st.integers(1, 14), "h"), data.draw(st.integers(1, 14), "w")
    kh, kw = data.draw(st.integers(1, 5), "kh"), data.draw(st.integers(1, 5), "kw")
    sh, sw = data.draw(st.integers(1, 4), "sh"), data.draw(st.integers(1, 4), "sw")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), "seed"))
    x = tf.constant(rng.standard_normal((1, h, w, 1)), tf.float32)
    (t, b), (l, r) = same_padding(h, kh, sh), same_padding(w, kw, sw)
    same = tf.nn.max_pool2d(x, (kh, kw), (sh, sw), "SAME")
    padded = tf.pad(x, [[0, 0], [t, b], [l, r], [0, 0]], constant_values=-np.inf)
    explicit = tf.nn.max_pool2d(padded, (kh, kw), (sh, sw), "VALID")
    np.testing.assert_array_equal(explicit.numpy(), same.numpy())


# --------------------------------------------------------------------------- output_size vs Keras

@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_output_size_matches_keras_conv2d_shapes(keras, data):
    padding = data.draw(st.sampled_from(["valid", "same"]), "padding")
    h, w = data.draw(st.integers(1, 40), "h"), data.draw(st.integers(1, 40), "w")
    kh, kw = data.draw(st.integers(1, 7), "kh"), data.draw(st.integers(1, 7), "kw")
    if data.draw(st.booleans(), "dilated"):
        (sh, sw), (dh, dw) = (1, 1), (data.draw(st.integers(1, 4), "dh"), data.draw(st.integers(1, 4), "dw"))
    else:
        (sh, sw), (dh, dw) = (data.draw(st.integers(1, 5), "sh"), data.draw(st.integers(1, 5), "sw")), (1, 1)
    if padding == "valid":
        assume(effective_kernel(kh, dh) <= h and effective_kernel(kw, dw) <= w)
    layer = keras.layers.Conv2D(1, (kh, kw), strides=(sh, sw), padding=padding, dilation_rate=(dh, dw),
                                use_bias=False)
    shape = tuple(layer(np.zeros((1, h, w, 1), np.float32)).shape)
    assert shape == (1, output_size(h, kh, sh, padding, dh), output_size(w, kw, sw, padding, dw), 1)


@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_output_size_matches_keras_max_pooling_shapes(keras, data):
    padding = data.draw(st.sampled_from(["valid", "same"]), "padding")
    h, w = data.draw(st.integers(1, 40), "h"), data.draw(st.integers(1, 40), "w")
    kh, kw = data.draw(st.integers(1, 6), "kh"), data.draw(st.integers(1, 6), "kw")
    strides = data.draw(st.none() | st.tuples(st.integers(1, 5), st.integers(1, 5)), "strides")
    if padding == "valid":
        assume(kh <= h and kw <= w)
    layer = keras.layers.MaxPooling2D((kh, kw), strides=strides, padding=padding)
    sh, sw = strides or (kh, kw)  # Keras' default stride is the pool size
    shape = tuple(layer(np.zeros((1, h, w, 1), np.float32)).shape)
    assert shape == (1, output_size(h, kh, sh, padding), output_size(w, kw, sw, padding), 1)


# --------------------------------------------------------------------------- receptive_field

def test_receptive_field_lenet_like_stack():
    rows = receptive_field([(5, 1), (2, 2), (5, 1), (2, 2)], input_size=32)
    assert [r.size for r in rows] == [5, 6, 14, 16]
    assert [r.jump for r in rows] == [1, 2, 2, 4]
    # Centre of the first unit's field: 2, 2.5, 6.5, 7.5 (the last unit sees pixels 0..15).
    assert [r.start for r in rows] == [2.0, 2.5, 6.5, 7.5]
    assert [r.output for r in rows] == [28, 14, 10, 5]
    # Without an input size the fields are the same and outputs are unknown.
    assert [r.size for r in receptive_field([(5, 1), (2, 2), (5, 1), (2, 2)])] == [5, 6, 14, 16]
    assert all(r.output is None for r in receptive_field([(5, 1), (2, 2)]))


def test_receptive_field_padding_and_dilation_by_hand():
    rows = receptive_field([(3, 1, 1), (3, 1, 0, 2), {"name": "pool", "kernel": 2, "stride": 2}])
    assert [r.size for r in rows] == [3, 7, 8]         # 1+2, 3+2*2 (dilated span 5), 7+1
    assert [r.start for r in rows] == [0.0, 2.0, 2.5]  # padding 1 centres the first field on pixel 0
    assert [r.name for r in rows] == ["layer1", "layer2", "pool"]


def test_receptive_field_same_with_stride_needs_input_size():
    with pytest.raises(ValueError, match=r"layers\[1\] \(layer2\) uses padding 'same' with stride 2.*pass input_size"):
        receptive_field([(3, 1, "same"), (3, 2, "same")])
    # Stride 1 'same' is the same split at every size, so no input size is needed.
    assert receptive_field([(3, 1, "same")])[0].start == 0.0
    # With the size given, TF's split is used: 7 -> total 2, before 1, output 4.
    row = receptive_field([(3, 2, "same")], input_size=7)[0]
    assert (row.start, row.output) == (0.0, 4)
    row = receptive_field([(2, 2, "same")], input_size=5)[0]   # split (0, 1)
    assert (row.start, row.output) == (0.5, 3)


@pytest.mark.tf
def test_receptive_field_reads_keras_layers(keras):
    L = keras.layers
    layers = [L.Conv2D(6, 5, name="c1"), L.MaxPooling2D(2, name="s2"), L.Conv2D(16, 5, name="c3"),
              L.AveragePooling2D(2, name="s4")]
    rows = receptive_field(layers, input_size=32)
    assert [r.name for r in rows] == ["c1", "s2", "c3", "s4"]
    assert [(r.size, r.jump, r.output) for r in rows] == [(5, 1, 28), (6, 2, 14), (14, 2, 10), (16, 4, 5)]
    dilated = receptive_field([L.Conv2D(1, 3, dilation_rate=2, padding="same")])
    assert (dilated[0].size, dilated[0].start) == (5, 0.0)
    overlapping = receptive_field([L.MaxPooling2D(3, strides=2, padding="same")], input_size=7)
    assert (overlapping[0].size, overlapping[0].jump, overlapping[0].output) == (3, 2, 4)
    with pytest.raises(ValueError, match=r"layers\[0\].*'same' with stride 2.*input_size"):
        receptive_field([L.MaxPooling2D(3, strides=2, padding="same")])


def test_receptive_field_reports_the_layer_that_does_not_fit():
    with pytest.raises(ValueError, match=r"layers\[2\] \(layer3\): kernel 5 is larger than the padded input 3"):
        receptive_field([(3, 1), (2, 2), (5, 1)], input_size=8)


def test_sizes_through_stops_at_the_first_layer_that_does_not_fit():
    assert sizes_through([(3, 1)] * 4, 7) == [7, 5, 3, 1]
    assert sizes_through([(3, 1)] * 6, 7) == [7, 5, 3, 1]
    assert sizes_through([(11, 4), (3, 2), (5, 1, 2), (3, 2)], 227) == [227, 55, 27, 27, 13]  # AlexNet


@FAST_SETTINGS
@given(n=st.integers(1, 40), k=st.integers(1, 6), s=st.integers(1, 4),
       padding=st.sampled_from(["valid", "same", 0, 1, 2, (0, 1), (2, 1)]), d=st.integers(1, 3))
def test_describe_output_size_formula_evaluates_to_the_answer(n, k, s, padding, d):
    try:
        out = output_size(n, k, s, padding, d)
    except ValueError:
        return
    text = describe_output_size(n, k, s, padding, d)
    formula, _, answer = text.split("; ")[-1].rpartition(" = ")
    assert int(answer) == out
    assert eval(formula, {"floor": math.floor}) == out  # noqa: S307 - our own formula string


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(size=4, kernel=5), r"kernel 5 is larger than the padded input 4 \(size 4 \+ padding 0\+0\)"),
        (dict(size=4, kernel=3, padding=1, dilation=3),
         r"dilated kernel 7 \(kernel 3, dilation 3\) is larger than the padded input 6 \(size 4 \+ padding 1\+1\)"),
        (dict(size=0, kernel=3), r"size must be a positive integer \(>= 1\), got 0"),
        (dict(size=2.5, kernel=3), r"size must be a positive integer, got 2\.5"),
        (dict(size=8, kernel=0), r"kernel must be a positive integer \(>= 1\), got 0"),
        (dict(size=8, kernel=3, stride=0), r"stride must be a positive integer \(>= 1\), got 0"),
        (dict(size=8, kernel=3, stride=-2), r"stride must be a positive integer \(>= 1\), got -2"),
        (dict(size=8, kernel=3, dilation=0), r"dilation must be a positive integer \(>= 1\), got 0"),
        (dict(size=8, kernel=3, padding=-1), r"padding must be an int >= 0.*'valid' or 'same'; got -1"),
        (dict(size=8, kernel=3, padding="full"), r"padding must be one of 'valid', 'same'.*got 'full'"),
        (dict(size=8, kernel=3, padding=(1, -1)), r"padding\[1\] must be a non-negative integer.*got -1"),
        (dict(size=8, kernel=3, padding=(1, 2, 3)), r"padding must be an int.*got \(1, 2, 3\)"),
    ],
)
def test_output_size_rejects_bad_input_naming_argument_and_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        output_size(**kwargs)


def test_receptive_field_rejects_bad_layers():
    with pytest.raises(ValueError, match=r"input_size must be a positive integer \(>= 1\), got 0"):
        receptive_field([(3, 1)], input_size=0)
    with pytest.raises(ValueError, match=r"layers\[0\] stride must be a positive integer \(>= 1\), got 0"):
        receptive_field([(3, 0)])
    with pytest.raises(ValueError, match=r"layers\[1\] must be \(kernel, stride.*got \(3, 1, 0, 1, 9\)"):
        receptive_field([(3, 1), (3, 1, 0, 1, 9)])
    with pytest.raises(ValueError, match=r"layers\[0\] must have a 'kernel'.*got keys \['size'\]"):
        receptive_field([{"size": 3}])
    with pytest.raises(ValueError, match=r"layers\[0\] must be a \(kernel, stride\) tuple.*got 'conv'"):
        receptive_field(["conv"])
