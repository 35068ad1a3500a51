"""Issue 18, case by case: no code runs from a data file, no silent wrong number, no huge
allocation, no silently replaced argument, errors of the right kind, DNS under the time-out.

Each test names the numbered finding it covers. The generated bad arguments over every public
name are in ``tests/test_contract.py``.
"""

from __future__ import annotations

import pickle
import socket
import threading

import numpy as np
import pytest

import helpers
from helpers import _checks, data
from helpers.ops import conv2d, pad2d, pool2d

X44 = np.arange(16.0).reshape(4, 4)
K33 = np.ones((3, 3))


# --------------------------------------------------------------------------- 1. pickles run no code

class _Hostile:
    """Unpickling this calls ``open(marker, "w")``: a file that appears means code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def _official_like_batches(folder, hostile_marker=None):
    folder.mkdir(parents=True)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {b"batch_label": b"x", b"data": np.zeros((10000, 3072), np.uint8),
                 b"labels": [i % 10 for i in range(10000)], b"filenames": [b"f.png"] * 2}
        if hostile_marker is not None and name == "data_batch_1":
            batch[b"labels"] = _Hostile(hostile_marker)
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f, protocol=2)


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    monkeypatch.delenv("CNN_DATA_DIR", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    return tmp_path


@pytest.mark.parametrize("place", ["CNN_DATA_DIR", "Keras cache"])
def test_1_hostile_cifar_batch_runs_nothing(isolated, monkeypatch, place):
    marker = isolated / "marker"
    if place == "CNN_DATA_DIR":
        _official_like_batches(isolated / "data" / "cifar-10-batches-py", marker)
        monkeypatch.setenv("CNN_DATA_DIR", str(isolated / "data"))
    else:
        _official_like_batches(isolated / "keras_home" / "datasets" / "cifar-10-batches-py", marker)
    with pytest.raises(data.DataFileError, match=r"data_batch_1.*refused to load (io|builtins)\.open"):
        data.load_cifar10(download=False)
    assert not marker.exists()


def test_1_official_layout_still_loads_through_the_restricted_unpickler(isolated, monkeypatch):
    _official_like_batches(isolated / "data" / "cifar-10-batches-py")
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated / "data"))
    (x, y), (xt, yt) = data.load_cifar10(download=False)
    assert x.shape == (50000, 32, 32, 3) and y[:3, 0].tolist() == [0, 1, 2]


# --------------------------------------------------------------------------- 2. integer, bool, float16

def test_2_uint8_conv_does_not_wrap():
    y = conv2d(np.full((4, 4), 200, np.uint8), np.ones((3, 3), np.uint8))
    assert (y == 1800).all()


def test_2_int8_conv_does_not_wrap():
    y = conv2d(np.full((4, 4), 100, np.int8), np.ones((3, 3), np.int8))
    assert (y == 900).all()


def test_2_bool_conv_counts():
    y = conv2d(np.ones((4, 4), bool), np.ones((3, 3), bool))
    assert (y == 9).all() and y.dtype.kind == "i"


def test_2_int64_conv_that_could_overflow_is_refused():
    x = np.full((4, 4), 2**62, np.int64)
    with pytest.raises(ValueError, match="x"):
        conv2d(x, np.ones((3, 3), np.int64))


def test_2_float16_pad_value_that_overflows_is_refused():
    with pytest.raises(ValueError, match="value"):
        pad2d(np.ones((4, 4), np.float16), 2, value=1e6)


def test_2_float16_conv_result_stays_finite_or_is_refused():
    x = np.full((4, 4), 60000, np.float16)
    with pytest.raises(ValueError, match="float16"):
        conv2d(x, np.ones((3, 3), np.float16))


def test_2_bool_pad_value_must_be_a_bool():
    with pytest.raises(ValueError, match="value"):
        pad2d(np.ones((2, 2), bool), 1, value=5)


# --------------------------------------------------------------------------- 3. the size guard

@pytest.mark.parametrize("call", [
    lambda: pool2d(X44, 2, padding=10**4, mode="avg"),
    lambda: conv2d(X44, K33, padding="same", dilation=10**4),
    lambda: pad2d(X44, 10**4),
], ids=["pool2d-padding", "conv2d-dilation", "pad2d-pad"])
def test_3_ops_refuse_huge_arrays_before_allocating(call):
    import tracemalloc

    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"would need .*GiB.*limit of 1\.0 GiB"):
            call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20


def test_3_alexnet_weights_over_the_guard_are_refused():
    pytest.importorskip("keras")
    with pytest.raises(ValueError, match=r"input_shape.*would need .*GiB"):
        helpers.alexnet("cifar-classic", input_shape=(4096, 4096, 3))


def test_3_plot_depth_refuses_too_many_layers():
    from helpers.geometry import depth_table
    from helpers.plots.padding import plot_depth

    with pytest.raises(ValueError, match=r"layers.*10,000,000 layers.*10,000"):
        plot_depth(layers=10**7)
    with pytest.raises(ValueError, match="layers"):
        depth_table(9, 3, 10**7)


def test_3_the_guard_is_one_shared_check():
    assert _checks.MAX_BYTES == 2**30 and _checks.MAX_LAYERS == 10_000
    with pytest.raises(ValueError, match="size: the thing would need 2.0 GiB"):
        _checks.check_size("size", "the thing", 2**31)


# --------------------------------------------------------------------------- 4. nothing replaced silently

@pytest.mark.parametrize("kwargs, name", [
    (dict(num_classes=0), "num_classes"), (dict(first_kernel=0), "first_kernel"),
    (dict(num_classes=True), "num_classes"), (dict(first_stride=0), "first_stride"),
    (dict(grouped="no"), "grouped"), (dict(dropout=False), "dropout"),
])
def test_4_alexnet_arguments_are_not_replaced(kwargs, name):
    pytest.importorskip("keras")
    from helpers.alexnet_model import alexnet_layers

    with pytest.raises((ValueError, TypeError), match=name):
        alexnet_layers("paper", **kwargs)


def test_4_ceil_mode_must_be_a_bool():
    with pytest.raises(TypeError, match="ceil_mode"):
        helpers.output_size(6, 3, 2, ceil_mode="no")


def test_4_sizes_through_rejects_a_bad_layer_instead_of_stopping():
    with pytest.raises(ValueError, match=r"layers\[0\] kernel"):
        helpers.sizes_through([(0, 1)], 7)
    assert helpers.sizes_through([(9, 1)], 7) == [7]  # a layer that does not fit still ends the list


def test_4_depth_table_rejects_kernel_0():
    from helpers.geometry import depth_table

    with pytest.raises(ValueError, match="kernel"):
        depth_table(9, 0, 5)


def test_4_shape_trace_does_not_truncate_a_float_size():
    pytest.importorskip("keras")
    import keras

    with pytest.raises((ValueError, TypeError), match="input_shape"):
        helpers.shape_trace([keras.layers.Flatten()], (28.7, 28, 1))


def test_4_confusion_counts_rejects_negative_labels():
    from helpers.plots.models import confusion_counts

    with pytest.raises(ValueError, match="y_true"):
        confusion_counts([-1, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match="y_pred"):
        confusion_counts([0, 1, 1], [0, 1, 2.5])
    with pytest.raises(ValueError, match="n_classes"):
        confusion_counts([0, 1, 5], [0, 1, 1], n_classes=3)


@pytest.mark.parametrize("kwargs", [dict(bias=-1), dict(bias=0), dict(alpha=-1e-4), dict(beta=float("nan"))])
def test_4_lrn_parameters_that_give_nan_are_refused(kwargs):
    pytest.importorskip("keras")
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        helpers.LocalResponseNormalization(**kwargs)


def test_4_labels_out_of_range_in_a_data_file_are_refused(isolated, monkeypatch):
    arrays = {"x_train": np.zeros((60000, 28, 28), np.uint8), "y_train": np.full(60000, 200, np.uint8),
              "x_test": np.zeros((10000, 28, 28), np.uint8), "y_test": np.zeros(10000, np.uint8)}
    np.savez(isolated / "mnist.npz", **arrays)
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated))
    with pytest.raises(data.DataFileError, match=r"y_train.*200.*0 to 9"):
        data.load_mnist()


# --------------------------------------------------------------------------- 5. errors of the right kind

def test_5_npz_member_that_is_not_npy(isolated, monkeypatch):
    import zipfile

    arrays = {"x_train": np.zeros((60000, 28, 28), np.uint8), "y_train": np.zeros(60000, np.uint8),
              "x_test": np.zeros((10000, 28, 28), np.uint8)}
    np.savez(isolated / "mnist.npz", **arrays)
    with zipfile.ZipFile(isolated / "mnist.npz", "a") as z:
        z.writestr("y_test", b"not an npy file")
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated))
    with pytest.raises(data.DataFileError, match="y_test"):
        data.load_mnist()


def test_5_subset_of_one_item():
    with pytest.raises(ValueError, match="subset"):
        data.load_mnist(subset=(5,))


def test_5_unhashable_variant():
    pytest.importorskip("keras")
    with pytest.raises((ValueError, TypeError), match="variant"):
        helpers.alexnet(variant=["paper"])


def test_5_shape_trace_of_non_layers():
    pytest.importorskip("keras")
    with pytest.raises(TypeError, match="model_or_layers"):
        helpers.shape_trace([1, 2], (28, 28, 1))


def test_5_receptive_field_of_none():
    with pytest.raises(TypeError, match="layers"):
        helpers.receptive_field(None)


def test_5_pooling_board_window_out_of_range():
    from helpers.plots.pooling import pooling_board

    with pytest.raises(ValueError, match="windows"):
        pooling_board(np.arange(16).reshape(4, 4), windows=[(99, 99)])


@pytest.mark.parametrize("values, name", [(dict(size="abc"), "size"), (dict(mode="bogus"), "mode"),
                                          (dict(stride=0), "stride")])
def test_5_explorer_setters_raise_value_error_naming_the_control(values, name):
    from helpers.widgets import pooling_explorer

    explorer = pooling_explorer()
    before = explorer.values
    with pytest.raises(ValueError, match=name):
        explorer.set(**values)
    assert explorer.values == before  # nothing was changed or clamped


# --------------------------------------------------------------------------- 6. name lookup is timed out

def test_6_stalled_name_lookup_skips_the_download(isolated, monkeypatch):
    keras = pytest.importorskip("keras")
    release = threading.Event()
    called = []

    def stalled_getaddrinfo(*args, **kwargs):
        release.wait(20)  # a DNS stall; released when the test ends
        raise socket.gaierror("stalled")

    def fake_load_data():  # what Keras would do: resolve the host first
        called.append(True)
        socket.getaddrinfo("storage.googleapis.com", 443)
        raise OSError("no network")

    monkeypatch.setattr(socket, "getaddrinfo", stalled_getaddrinfo)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", fake_load_data)
    monkeypatch.setattr(data, "NETWORK_TIMEOUT_S", 0.2)
    try:
        with pytest.raises(data.DataNotFoundError, match=r"could not be resolved within 0\.2 s"):
            data.load_mnist()
    finally:
        release.set()
    assert not called  # the download was skipped, not left to wait for the stall
