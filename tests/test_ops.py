"""helpers.ops: the NumPy reference ops against numpy.pad and the Keras layers they model.

Keras tests are marked ``tf`` and skipped cleanly when TensorFlow is not installed; layers
are called directly on small NumPy inputs, which runs them eagerly.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers.arith import effective_kernel, output_size, same_padding
from helpers.ops import conv2d, pad2d, pool2d

TF_SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NP_SETTINGS = settings(max_examples=150, deadline=None)


def onednn_conv_bug(n: int, out_hw, stride) -> bool:
    """Where TensorFlow's oneDNN conv2d (x86, TF 2.20 and 2.21 at least) is wrong: two or more images,
    vertical stride 1, horizontal stride above 1, an output one column wide and more than one row high.

    It then returns values from uninitialised memory for every image after the first (e.g. 3.7e21), found by
    :func:`test_conv2d_matches_keras`; with ``TF_ENABLE_ONEDNN_OPTS=0`` TensorFlow is right. In a grid of small
    shapes, strides and dilations the predicate held for all 210 wrong cases (and for 570 right ones);
    docs/testing.md, "A TensorFlow bug the property tests found".
    """
    return n >= 2 and stride[0] == 1 and stride[1] > 1 and out_hw[1] == 1 and out_hw[0] > 1


@pytest.fixture(scope="module")
def keras():
    pytest.importorskip("tensorflow")
    return pytest.importorskip("keras")


def _draw_pool_case(data, max_hw=12):
    n, c = data.draw(st.integers(1, 2), "n"), data.draw(st.integers(1, 3), "c")
    h, w = data.draw(st.integers(1, max_hw), "h"), data.draw(st.integers(1, max_hw), "w")
    padding = data.draw(st.sampled_from(["valid", "same"]), "padding")
    top = (h, w) if padding == "valid" else (5, 5)
    ph, pw = data.draw(st.integers(1, min(top[0], 5)), "ph"), data.draw(st.integers(1, min(top[1], 5)), "pw")
    strides = data.draw(st.none() | st.tuples(st.integers(1, 4), st.integers(1, 4)), "strides")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), "seed"))
    x = rng.standard_normal((n, h, w, c)).astype(np.float32)
    return x, (ph, pw), strides, padding


# --------------------------------------------------------------------------- pool2d vs Keras

@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_max_pool_matches_keras(keras, data):
    x, size, strides, padding = _draw_pool_case(data)
    expected = np.asarray(keras.layers.MaxPooling2D(size, strides=strides, padding=padding)(x))
    got = pool2d(x, size, stride=strides, padding=padding, mode="max")
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, expected)


@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_avg_pool_matches_keras(keras, data):
    # "same" checks that padded cells are left out of the count, as TF does.
    x, size, strides, padding = _draw_pool_case(data)
    expected = np.asarray(keras.layers.AveragePooling2D(size, strides=strides, padding=padding)(x))
    got = pool2d(x, size, stride=strides, padding=padding, mode="avg")
    assert got.dtype == np.float32 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_min_pool_is_minus_keras_max_pool_of_minus_x(keras, data):
    x, size, strides, padding = _draw_pool_case(data)
    expected = -np.asarray(keras.layers.MaxPooling2D(size, strides=strides, padding=padding)(-x))
    np.testing.assert_array_equal(pool2d(x, size, stride=strides, padding=padding, mode="min"), expected)


@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_integer_padding_pool_matches_keras_on_explicitly_padded_input(keras, data):
    # PyTorch semantics: max/min ignore padded cells (pad with -inf), avg counts them as zeros.
    x, size, strides, _ = _draw_pool_case(data, max_hw=10)
    pad = ((data.draw(st.integers(0, size[0] - 1), "t"), data.draw(st.integers(0, size[0] - 1), "b")),
           (data.draw(st.integers(0, size[1] - 1), "l"), data.draw(st.integers(0, size[1] - 1), "r")))
    hp, wp = x.shape[1] + sum(pad[0]), x.shape[2] + sum(pad[1])
    assume(size[0] <= hp and size[1] <= wp)
    stride = strides or size
    # A window wholly in the padding is rejected for max/min; keep to windows that see x.
    assume(all((output_size(n, k, s, p) - 1) * s < p[0] + n
               for n, k, s, p in zip(x.shape[1:3], size, stride, pad)))
    full = ((0, 0), *pad, (0, 0))
    neg_inf = np.pad(x, full, constant_values=-np.inf)
    zeros = np.pad(x, full)
    max_pool = keras.layers.MaxPooling2D(size, strides=strides, padding="valid")
    avg_pool = keras.layers.AveragePooling2D(size, strides=strides, padding="valid")
    np.testing.assert_array_equal(pool2d(x, size, strides, pad, "max"), np.asarray(max_pool(neg_inf)))
    np.testing.assert_array_equal(pool2d(x, size, strides, pad, "min"), -np.asarray(max_pool(-np.pad(
        x, full, constant_values=np.inf))))
    np.testing.assert_allclose(pool2d(x, size, strides, pad, "avg"), np.asarray(avg_pool(zeros)),
                               rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- pool2d, NumPy only

def _naive_pool(x, size, stride, pads, reduce):
    """Loop-over-windows reference on a pre-padded 2-D array (tests only)."""
    xp = np.pad(x, pads, constant_values=np.nan)
    oh = (xp.shape[0] - size[0]) // stride[0] + 1
    ow = (xp.shape[1] - size[1]) // stride[1] + 1
    out = np.empty((oh, ow))
    for i in range(oh):
        for j in range(ow):
            win = xp[i * stride[0]:i * stride[0] + size[0], j * stride[1]:j * stride[1] + size[1]]
            out[i, j] = reduce(win)
    return out


@NP_SETTINGS
@given(h=st.integers(1, 9), w=st.integers(1, 9), k=st.tuples(st.integers(1, 4), st.integers(1, 4)),
       s=st.tuples(st.integers(1, 3), st.integers(1, 3)), seed=st.integers(0, 2**32 - 1))
def test_same_pooling_against_a_loop_reference(h, w, k, s, seed):
    x = np.random.default_rng(seed).standard_normal((h, w))
    pads = (same_padding(h, k[0], s[0]), same_padding(w, k[1], s[1]))
    np.testing.assert_array_equal(pool2d(x, k, s, "same", "max"), _naive_pool(x, k, s, pads, np.nanmax))
    np.testing.assert_array_equal(pool2d(x, k, s, "same", "min"), _naive_pool(x, k, s, pads, np.nanmin))
    np.testing.assert_allclose(pool2d(x, k, s, "same", "avg"), _naive_pool(x, k, s, pads, np.nanmean))


@NP_SETTINGS
@given(h=st.integers(1, 9), w=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3),
       p=st.integers(0, 3), seed=st.integers(0, 2**32 - 1))
def test_integer_padding_avg_counts_padded_zeros(h, w, k, s, p, seed):
    assume(k <= h + 2 * p and k <= w + 2 * p)
    x = np.random.default_rng(seed).standard_normal((h, w))
    expected = _naive_pool(np.pad(x, p), (k, k), (s, s), 0, np.mean)
    got = pool2d(x, k, s, p, "avg")
    assert got.shape == (output_size(h, k, s, p), output_size(w, k, s, p))
    np.testing.assert_allclose(got, expected)


def test_pool2d_keeps_the_rank_of_x():
    rng = np.random.default_rng(0)
    x4 = rng.standard_normal((2, 7, 6, 3))
    for mode in ("max", "avg", "min"):
        full = pool2d(x4, 3, 2, "same", mode)
        assert full.shape == (2, 4, 3, 3)
        np.testing.assert_array_equal(pool2d(x4[0], 3, 2, "same", mode), full[0])
        np.testing.assert_array_equal(pool2d(x4[0, :, :, 1], 3, 2, "same", mode), full[0, :, :, 1])


def test_pool2d_hand_example_and_default_stride():
    x = np.arange(16).reshape(4, 4)
    np.testing.assert_array_equal(pool2d(x, 2), [[5, 7], [13, 15]])           # stride = size
    np.testing.assert_array_equal(pool2d(x, 2, mode="min"), [[0, 2], [8, 10]])
    np.testing.assert_array_equal(pool2d(x, 2, mode="avg"), [[2.5, 4.5], [10.5, 12.5]])
    np.testing.assert_array_equal(pool2d(x, (1, 4)), [[3], [7], [11], [15]])  # rectangular window
    assert pool2d(x, 3, stride=1).shape == (2, 2)


def test_pool2d_dtypes():
    x = np.array([[1, 200], [3, 4]], dtype=np.uint8)
    # max/min keep the dtype; padded cells never win, even for unsigned ints.
    assert pool2d(x, 2, stride=1, padding=1, mode="max").dtype == np.uint8
    np.testing.assert_array_equal(pool2d(x, 2, stride=1, padding=1, mode="min"),
                                  [[1, 1, 200], [1, 1, 4], [3, 3, 4]])
    np.testing.assert_array_equal(pool2d(x, 2, stride=1, padding=1, mode="max"),
                                  [[1, 200, 200], [3, 200, 200], [3, 4, 4]])
    avg = pool2d(x, 2, mode="avg")
    assert avg.dtype == np.float64 and avg[0, 0] == 52.0  # no uint8 overflow
    assert pool2d(x.astype(np.float16), 2, mode="avg").dtype == np.float16
    mask = np.array([[True, False], [False, False]])
    np.testing.assert_array_equal(pool2d(mask, 2, stride=1, padding="same"), [[True, False], [False, False]])


# --------------------------------------------------------------------------- conv2d vs Keras

@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_conv2d_matches_keras(keras, data):
    n, cin, cout = data.draw(st.integers(1, 2), "n"), data.draw(st.integers(1, 3), "cin"), data.draw(
        st.integers(1, 3), "cout")
    h, w = data.draw(st.integers(1, 12), "h"), data.draw(st.integers(1, 12), "w")
    kh, kw = data.draw(st.integers(1, 4), "kh"), data.draw(st.integers(1, 4), "kw")
    padding = data.draw(st.sampled_from(["valid", "same"]), "padding")
    # TensorFlow refuses stride > 1 together with dilation > 1: draw one or the other.
    if data.draw(st.booleans(), "dilated"):
        stride, dilation = (1, 1), (data.draw(st.integers(1, 3), "dh"), data.draw(st.integers(1, 3), "dw"))
    else:
        stride, dilation = (data.draw(st.integers(1, 3), "sh"), data.draw(st.integers(1, 3), "sw")), (1, 1)
    if padding == "valid":
        assume(effective_kernel(kh, dilation[0]) <= h and effective_kernel(kw, dilation[1]) <= w)
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), "seed"))
    x = rng.standard_normal((n, h, w, cin)).astype(np.float32)
    kernel = rng.standard_normal((kh, kw, cin, cout)).astype(np.float32)
    got = conv2d(x, kernel, stride=stride, padding=padding, dilation=dilation)
    assume(not onednn_conv_bug(n, got.shape[1:3], stride))   # checked without oneDNN in the test below
    layer = keras.layers.Conv2D(cout, (kh, kw), strides=stride, padding=padding, dilation_rate=dilation,
                                use_bias=False)
    layer.build((None, h, w, cin))
    layer.set_weights([kernel])
    expected = np.asarray(layer(x))
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)


@pytest.mark.tf
def test_conv2d_matches_tensorflow_without_onednn_where_onednn_is_wrong(keras):
    """The cases :func:`test_conv2d_matches_keras` leaves out, against TensorFlow's own kernels: oneDNN is
    switched off in a subprocess (it can only be chosen before TensorFlow is imported)."""
    script = textwrap.dedent("""
        import itertools, numpy as np, tensorflow as tf
        from helpers.ops import conv2d
        rng = np.random.default_rng(0)
        checked = 0
        for n, h, w, kh, kw, cin, sw, padding in itertools.product(
                (2, 3), (2, 3, 5), (1, 2, 3, 5), (1, 2, 3), (1, 2, 3), (1, 2), (2, 3), ("same", "valid")):
            if padding == "valid" and (kh > h or kw > w):
                continue
            x = rng.standard_normal((n, h, w, cin)).astype(np.float32)
            k = rng.standard_normal((kh, kw, cin, 2)).astype(np.float32)
            got = conv2d(x, k, stride=(1, sw), padding=padding)
            if got.shape[2] != 1:
                continue
            expected = tf.nn.conv2d(x, k, strides=(1, sw), padding=padding.upper()).numpy()
            np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4, err_msg=str((n, h, w, kh, kw, cin, sw, padding)))
            checked += 1
        print("checked", checked)
    """)
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "3"}
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=root, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.split()[-1]) > 300


@pytest.mark.tf
@TF_SETTINGS
@given(data=st.data())
def test_conv2d_integer_padding_matches_keras_on_zero_padded_input(keras, data):
    h, w = data.draw(st.integers(1, 10), "h"), data.draw(st.integers(1, 10), "w")
    k = data.draw(st.integers(1, 4), "k")
    s = data.draw(st.integers(1, 3), "s")
    pad = ((data.draw(st.integers(0, 3), "t"), data.draw(st.integers(0, 3), "b")),
           (data.draw(st.integers(0, 3), "l"), data.draw(st.integers(0, 3), "r")))
    assume(k <= h + sum(pad[0]) and k <= w + sum(pad[1]))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), "seed"))
    x = rng.standard_normal((1, h, w, 2)).astype(np.float32)
    kernel = rng.standard_normal((k, k, 2, 2)).astype(np.float32)
    layer = keras.layers.Conv2D(2, k, strides=s, use_bias=False)
    layer.build((None, None, None, 2))
    layer.set_weights([kernel])
    expected = np.asarray(layer(np.pad(x, ((0, 0), *pad, (0, 0)))))
    np.testing.assert_allclose(conv2d(x, kernel, s, pad), expected, rtol=1e-4, atol=1e-4)
    if pad[0][0] == pad[0][1] == pad[1][0] == pad[1][1]:
        np.testing.assert_allclose(conv2d(x, kernel, s, pad[0][0]), expected, rtol=1e-4, atol=1e-4)


# --------------------------------------------------------------------------- conv2d, NumPy only

def test_conv2d_is_cross_correlation_not_convolution():
    x = np.zeros((3, 3))
    x[1, 1] = 1.0
    kernel = np.arange(1.0, 10.0).reshape(3, 3)
    # An impulse picks out the kernel flipped (as any cross-correlation does)...
    np.testing.assert_array_equal(conv2d(x, kernel, padding="same"), kernel[::-1, ::-1])
    # ...and a window equal to the kernel gives the sum of squares.
    assert conv2d(kernel, kernel)[0, 0] == float((kernel ** 2).sum())


def test_conv2d_output_shape_rule():
    x2 = np.ones((6, 5))
    assert conv2d(x2, np.ones((3, 3))).shape == (4, 3)                  # 2-D kernel: 2-D out
    assert conv2d(x2, np.ones((3, 3, 1, 4))).shape == (4, 3, 4)         # 4-D kernel: channel axis
    assert conv2d(x2, np.ones((3, 3, 1, 1))).shape == (4, 3, 1)
    assert conv2d(np.ones((6, 5, 2)), np.ones((3, 3, 2, 4))).shape == (4, 3, 4)
    assert conv2d(np.ones((2, 6, 5, 2)), np.ones((3, 3, 2, 4)), stride=2, padding="same").shape == (2, 3, 3, 4)
    np.testing.assert_array_equal(conv2d(x2, np.ones((3, 3))), conv2d(x2, np.ones((3, 3, 1, 1)))[:, :, 0])
    # Same numbers whatever the rank of x.
    x4 = np.random.default_rng(1).standard_normal((1, 6, 5, 2))
    k = np.random.default_rng(2).standard_normal((2, 3, 2, 3))
    np.testing.assert_allclose(conv2d(x4[0], k), conv2d(x4, k)[0])


@NP_SETTINGS
@given(h=st.integers(1, 9), w=st.integers(1, 9), k=st.integers(1, 3), s=st.integers(1, 3),
       d=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
def test_conv2d_stride_and_dilation_together_against_a_loop_reference(h, w, k, s, d, seed):
    # TensorFlow cannot check this combination; a plain loop can.
    span = effective_kernel(k, d)
    assume(span <= h and span <= w)
    rng = np.random.default_rng(seed)
    x, kernel = rng.standard_normal((h, w)), rng.standard_normal((k, k))
    oh, ow = output_size(h, k, s, 0, d), output_size(w, k, s, 0, d)
    expected = np.array([[np.sum(x[i * s:i * s + span:d, j * s:j * s + span:d] * kernel) for j in range(ow)]
                         for i in range(oh)])
    np.testing.assert_allclose(conv2d(x, kernel, stride=s, dilation=d), expected)


# --------------------------------------------------------------------------- pad2d vs numpy.pad

@NP_SETTINGS
@given(data=st.data())
def test_pad2d_matches_numpy_pad_on_spatial_axes(data):
    rank = data.draw(st.sampled_from([2, 3, 4]), "rank")
    h, w = data.draw(st.integers(1, 6), "h"), data.draw(st.integers(1, 6), "w")
    shape = {2: (h, w), 3: (h, w, 2), 4: (2, h, w, 3)}[rank]
    mode = data.draw(st.sampled_from(["constant", "reflect", "symmetric", "edge", "wrap"]), "mode")
    limit = (h - 1, w - 1) if mode == "reflect" else (8, 8)
    pad = ((data.draw(st.integers(0, limit[0]), "t"), data.draw(st.integers(0, limit[0]), "b")),
           (data.draw(st.integers(0, limit[1]), "l"), data.draw(st.integers(0, limit[1]), "r")))
    x = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), "seed")).integers(-50, 50, shape)
    spatial = (0, 1) if rank < 4 else (1, 2)
    widths = [(0, 0)] * rank
    widths[spatial[0]], widths[spatial[1]] = pad
    if mode == "constant":
        value = data.draw(st.integers(-9, 9), "value")
        expected = np.pad(x, widths, mode="constant", constant_values=value)
        got = pad2d(x, pad, mode=mode, value=value)
    else:
        expected = np.pad(x, widths, mode=mode)
        got = pad2d(x, pad, mode=mode)
    assert got.dtype == x.dtype
    np.testing.assert_array_equal(got, expected)
    if pad[0][0] == pad[0][1] == pad[1][0] == pad[1][1]:
        np.testing.assert_array_equal(pad2d(x, pad[0][0], mode=mode, **({"value": value} if mode == "constant" else {})),
                                      expected)


def test_pad2d_modes_by_hand():
    row = np.array([[1, 2, 3]])
    lr = ((0, 0), (2, 2))
    assert pad2d(row, lr, "reflect").tolist() == [[3, 2, 1, 2, 3, 2, 1]]
    assert pad2d(row, lr, "symmetric").tolist() == [[2, 1, 1, 2, 3, 3, 2]]
    assert pad2d(row, lr, "edge").tolist() == [[1, 1, 1, 2, 3, 3, 3]]
    assert pad2d(row, lr, "wrap").tolist() == [[2, 3, 1, 2, 3, 1, 2]]
    assert pad2d(row, lr, value=-1).tolist() == [[-1, -1, 1, 2, 3, -1, -1]]


# --------------------------------------------------------------------------- bad input

BAD_RANKS = [np.zeros(5), np.zeros((1, 2, 3, 4, 5))]


@pytest.mark.parametrize("x", BAD_RANKS, ids=["1-D", "5-D"])
@pytest.mark.parametrize("call", [
    lambda x: pad2d(x, 1), lambda x: pool2d(x, 2), lambda x: conv2d(x, np.ones((1, 1, 1, 1))),
], ids=["pad2d", "pool2d", "conv2d"])
def test_wrong_rank_names_x_its_shape_and_the_valid_ranks(x, call):
    shape = str(x.shape).replace("(", r"\(").replace(")", r"\)")
    with pytest.raises(ValueError, match=rf"x must have 2 \(H, W\), 3 \(H, W, C\) or 4 \(N, H, W, C\) "
                                         rf"dimensions; got shape {shape}"):
        call(x)


@pytest.mark.parametrize(("call", "message"), [
    # pad2d
    (lambda: pad2d(np.ones((3, 3)), -1), r"pad must be a non-negative integer \(>= 0\), got -1"),
    (lambda: pad2d(np.ones((3, 3)), ((0, 1), (2, -3))), r"pad\[1\]\[1\] must be a non-negative integer.*got -3"),
    (lambda: pad2d(np.ones((3, 3)), (1, 2)), r"pad must be an int >= 0 or \(\(top, bottom\), \(left, right\)\).*"
                                            r"got \(1, 2\)"),
    (lambda: pad2d(np.ones((3, 3)), 1, mode="mirror"),
     r"mode must be one of 'constant', 'reflect', 'symmetric', 'edge', 'wrap'; got 'mirror'"),
    (lambda: pad2d(np.ones((3, 5)), 3, mode="reflect"),
     r"pad=3 is too large for mode='reflect' along the height: each pad must be smaller than the axis size 3"),
    (lambda: pad2d(np.ones((1, 5)), ((0, 1), (0, 0)), mode="reflect"),
     r"too large for mode='reflect' along the height.*axis size 1"),
    (lambda: pad2d(np.ones((3, 3)), 1, mode="edge", value=5), r"value=5 only applies to mode='constant'"),
    (lambda: pad2d(np.ones((3, 3), int), 1, value=0.5), r"value=0\.5 cannot fill an integer array"),
    (lambda: pad2d(np.ones((3, 3), np.uint8), 1, value=-1), r"value=-1 does not fit x's dtype uint8"),
    (lambda: pad2d(np.ones((3, 3), complex), 1), r"x must hold real numbers .*got dtype complex128"),
    # pool2d
    (lambda: pool2d(np.ones((4, 4)), 0), r"size must be a positive integer \(>= 1\), got 0"),
    (lambda: pool2d(np.ones((4, 4)), (2, -1)), r"size\[1\] must be a positive integer \(>= 1\), got -1"),
    (lambda: pool2d(np.ones((4, 4)), 2, stride=0), r"stride must be a positive integer \(>= 1\), got 0"),
    (lambda: pool2d(np.ones((4, 4)), 2, stride=1.5), r"stride must be a positive integer, got 1\.5"),
    (lambda: pool2d(np.ones((4, 4)), 2, mode="mean"), r"mode must be one of 'max', 'avg', 'min'; got 'mean'"),
    (lambda: pool2d(np.ones((4, 4)), 2, padding="full"), r"padding must be one of 'valid', 'same'.*got 'full'"),
    (lambda: pool2d(np.ones((4, 4)), 2, padding=-1), r"padding must be a non-negative integer.*got -1"),
    (lambda: pool2d(np.ones((4, 4)), 2, padding=((0, 0), (-1, 0))), r"padding\[1\]\[0\] must be a non-negative.*-1"),
    (lambda: pool2d(np.ones((4, 4)), 2, padding=(1, 1)),
     r"padding must be 'valid', 'same', an int >= 0 or \(\(top, bottom\), \(left, right\)\).*got \(1, 1\)"),
    (lambda: pool2d(np.ones((4, 4)), 2, padding=2, mode="max"),
     r"padding=2 is too large for max pooling with size \(2, 2\) along the height.*at most 1"),
    (lambda: pool2d(np.ones((0, 4)), 2), r"x must have a height and width of at least 1; got shape \(0, 4\)"),
    # conv2d
    (lambda: conv2d(np.ones((4, 4)), np.ones((2, 2)), stride=0), r"stride must be a positive integer.*got 0"),
    (lambda: conv2d(np.ones((4, 4)), np.ones((2, 2)), dilation=(1, 0)), r"dilation\[1\] must be a positive.*got 0"),
    (lambda: conv2d(np.ones((4, 4)), np.ones((2, 2)), padding="full"), r"padding must be one of.*got 'full'"),
    (lambda: conv2d(np.ones((4, 4, 3)), np.ones((2, 2, 1, 8))),
     r"kernel has 1 input channel\(s\) \(kernel shape \(2, 2, 1, 8\)\) but x has 3 \(x shape \(4, 4, 3\)\)"),
    (lambda: conv2d(np.ones((4, 4, 3)), np.ones((2, 2))),
     r"kernel must have shape \(kh, kw, in_channels, out_channels\) for x of shape \(4, 4, 3\); "
     r"got kernel shape \(2, 2\)"),
    (lambda: conv2d(np.ones((4, 4)), np.ones((2, 2, 1))),
     r"kernel must have shape \(kh, kw\) or \(kh, kw, 1, out\) for x of shape \(4, 4\); got kernel shape \(2, 2, 1\)"),
    (lambda: conv2d(np.ones((4, 4)), np.ones((0, 2))), r"kernel must have every dimension >= 1; got.*\(0, 2\)"),
])
def test_bad_input_names_the_argument_and_the_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_window_larger_than_padded_input_says_both_sizes():
    with pytest.raises(ValueError, match=r"kernel 5 is larger than the padded input 4 \(size 4 \+ padding 0\+0\)"):
        output_size(4, 5)
    with pytest.raises(ValueError, match=r"size=\(2, 5\) \(with padding='valid'\) does not fit x of shape \(6, 4\) "
                                         r"along the width: kernel 5 is larger than the padded input 4"):
        pool2d(np.ones((6, 4)), (2, 5), padding="valid")
    with pytest.raises(ValueError, match=r"size=7 \(with padding=1\) does not fit x of shape \(1, 4, 4, 2\) along "
                                         r"the height: kernel 7 is larger than the padded input 6 "
                                         r"\(size 4 \+ padding 1\+1\)"):
        pool2d(np.ones((1, 4, 4, 2)), 7, padding=1, mode="avg")
    with pytest.raises(ValueError, match=r"kernel of shape \(5, 5\) .* does not fit x of shape \(4, 4\) along the "
                                         r"height: kernel 5 is larger than the padded input 4"):
        conv2d(np.ones((4, 4)), np.ones((5, 5)))
    with pytest.raises(ValueError, match=r"kernel of shape \(3, 3, 1, 1\).*dilated kernel 5 \(kernel 3, dilation 2\) "
                                         r"is larger than the padded input 4"):
        conv2d(np.ones((4, 4, 1)), np.ones((3, 3, 1, 1)), dilation=2)
    # "same" always fits, as in Keras.
    assert pool2d(np.ones((2, 2)), 5, padding="same").shape == (1, 1)
    assert conv2d(np.ones((2, 2)), np.ones((5, 5)), padding="same").shape == (2, 2)


# --- lrn_reference ----------------------------------------------------------------------------
def test_lrn_reference_by_hand_and_its_two_conventions():
    from helpers.ops import lrn_reference

    a = np.array([[1.0, 2.0, 3.0]])                       # one position, three channels
    # channel 0 sums channels 0..1 with n = 3 (radius 1): 1 + 4 = 5
    expected0 = 1.0 / (2 + 0.1 * 5) ** 0.75
    assert lrn_reference(a, k=2, n=3, alpha=0.1, beta=0.75)[0, 0] == pytest.approx(expected0, rel=1e-12)
    # Caffe's and PyTorch's alpha is divided by n
    np.testing.assert_allclose(lrn_reference(a, n=3, alpha=0.3, alpha_over_n=True),
                               lrn_reference(a, n=3, alpha=0.1), rtol=1e-12)
    # integer input is computed in float64: no wrap-around
    big = np.full((1, 3), 200, np.uint8)
    np.testing.assert_allclose(lrn_reference(big, alpha=1.0, beta=1.0),
                               lrn_reference(big.astype(float), alpha=1.0, beta=1.0), rtol=1e-12)


@pytest.mark.parametrize("kwargs, name", [
    ({"a": None}, "a"), ({"a": np.zeros((2, 0))}, "a"), ({"k": 0}, "k"), ({"n": 0}, "n"), ({"n": 2.5}, "n"),
    ({"alpha": -1}, "alpha"), ({"beta": float("nan")}, "beta"), ({"alpha_over_n": "yes"}, "alpha_over_n"),
])
def test_lrn_reference_refuses_bad_arguments_by_name(kwargs, name):
    from helpers.ops import lrn_reference

    args = {"a": np.ones((2, 4)), **kwargs}
    with pytest.raises((ValueError, TypeError), match=name):
        lrn_reference(**args)
