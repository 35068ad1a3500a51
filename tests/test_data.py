"""Data loaders: look-up order, validation of files, offline behaviour, subsets."""

from __future__ import annotations

import pickle
import socket

import numpy as np
import pytest

from helpers import data


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No CNN_DATA_DIR and an empty Keras cache: nothing can be found locally."""
    monkeypatch.delenv("CNN_DATA_DIR", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    return tmp_path


def _write_mnist(path, **override):
    arrays = {"x_train": np.zeros((60000, 28, 28), np.uint8), "y_train": np.zeros(60000, np.uint8),
              "x_test": np.zeros((10000, 28, 28), np.uint8), "y_test": (np.arange(10000) % 10).astype(np.uint8)}  # labels 0-9
    arrays.update(override)
    np.savez(path, **arrays)


def test_unknown_dataset_is_rejected_with_the_valid_names():
    with pytest.raises(ValueError, match=r"name must be one of 'mnist', 'cifar10'; got 'imagenet'"):
        data.find_data("imagenet")


def test_nothing_found_locally(isolated):
    assert data.data_status() == {"mnist": None, "cifar10": None}
    with pytest.raises(data.DataNotFoundError, match="download=False"):
        data.load_mnist(download=False)


def test_cnn_data_dir_comes_first(isolated, monkeypatch):
    folder = isolated / "data"
    folder.mkdir()
    _write_mnist(folder / "mnist.npz")
    cache = isolated / "keras_home" / "datasets"
    cache.mkdir(parents=True)
    (cache / "mnist.npz").write_bytes(b"not read")
    monkeypatch.setenv("CNN_DATA_DIR", str(folder))
    assert data.find_data("mnist") == ("CNN_DATA_DIR", folder / "mnist.npz")
    assert data.data_status()["mnist"] == "$CNN_DATA_DIR/mnist.npz"  # no machine's absolute path
    (x, y), (xt, yt) = data.load_mnist()
    assert x.shape == (60000, 28, 28) and x.dtype == np.uint8 and yt[7] == 7


def test_keras_cache_is_used_when_cnn_data_dir_lacks_the_file(isolated, monkeypatch):
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated))
    cache = isolated / "keras_home" / "datasets"
    cache.mkdir(parents=True)
    _write_mnist(cache / "mnist.npz")
    source, path = data.find_data("mnist")
    assert source == "Keras cache" and path == cache / "mnist.npz"


def test_corrupt_file_error_names_the_file(isolated, monkeypatch):
    (isolated / "mnist.npz").write_bytes(b"this is not a zip file")
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated))
    with pytest.raises(data.DataFileError, match=r"mnist\.npz: cannot be read as a mnist \.npz file"):
        data.load_mnist()


def test_wrong_shape_error_names_file_array_and_expected_shape(isolated, monkeypatch):
    _write_mnist(isolated / "mnist.npz", x_train=np.zeros((100, 28, 28), np.uint8))
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated))
    with pytest.raises(data.DataFileError,
                       match=r"mnist\.npz: array 'x_train' has shape \(100, 28, 28\).*expected shape \(60000, 28, 28\)"):
        data.load_mnist()


def test_missing_array_error(isolated, monkeypatch):
    np.savez(isolated / "mnist.npz", x_train=np.zeros((60000, 28, 28), np.uint8))
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated))
    with pytest.raises(data.DataFileError, match=r"missing arrays \['x_test', 'y_test', 'y_train'\]"):
        data.load_mnist()


def test_official_cifar_batches_folder_is_read(isolated, monkeypatch):
    folder = isolated / "cifar-10-batches-py"
    folder.mkdir()
    rng = np.random.default_rng(0)
    first = rng.integers(0, 256, (10000, 3072), dtype=np.uint8)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {b"data": first if name == "data_batch_1" else np.zeros((10000, 3072), np.uint8),
                 b"labels": [i % 10 for i in range(10000)]}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f)
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated))
    (x, y), (xt, yt) = data.load_cifar10()
    assert x.shape == (50000, 32, 32, 3) and y.shape == (50000, 1) and xt.shape == (10000, 32, 32, 3)
    # The official rows are channel-major (1024 red, 1024 green, 1024 blue): check the transpose.
    assert x[0, 0, 1, 0] == first[0, 1] and x[0, 0, 0, 2] == first[0, 2048]
    assert y[:3, 0].tolist() == [0, 1, 2]


def test_offline_download_fails_fast_with_instructions(isolated, monkeypatch):
    """With no local copy the Keras download runs under a short socket time-out and its
    failure becomes a DataNotFoundError saying which file to put where."""
    keras = pytest.importorskip("keras")
    seen = {}

    def fake_load_data():
        seen["timeout"] = socket.getdefaulttimeout()
        raise OSError("Name or service not known")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", fake_load_data)
    monkeypatch.setattr(data, "_resolves", lambda host, timeout: True)  # the name lookup succeeds
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated / "mine"))
    with pytest.raises(data.DataNotFoundError) as err:
        data.load_mnist()
    assert seen["timeout"] == data.NETWORK_TIMEOUT_S
    assert socket.getdefaulttimeout() is None  # restored afterwards
    message = str(err.value)
    assert "mnist.npz" in message and "CNN_DATA_DIR" in message and str(isolated / "mine") in message


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_bad_subset_is_rejected(isolated, monkeypatch, bad):
    _write_mnist(isolated / "mnist.npz")
    monkeypatch.setenv("CNN_DATA_DIR", str(isolated))
    with pytest.raises(ValueError, match=r"subset \(train\) must be a positive integer or None, got"):
        data.load_mnist(subset=bad)


@pytest.mark.data
def test_real_mnist_subset(mnist_subset):
    (x, y), (xt, yt) = mnist_subset
    assert x.shape == (512, 28, 28) and xt.shape == (128, 28, 28)
    assert x.dtype == np.uint8 and set(np.unique(y)) == set(range(10))
    assert y[:5].tolist() == [5, 0, 4, 1, 9]  # the original MNIST order


@pytest.mark.data
def test_real_cifar10_subset(cifar10_subset):
    (x, y), (xt, yt) = cifar10_subset
    assert x.shape == (512, 32, 32, 3) and y.shape == (512, 1) and x.dtype == np.uint8
    assert set(np.unique(y)) == set(range(10))
