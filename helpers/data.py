"""MNIST and CIFAR-10 loaders that work offline, fail fast and say what to do.

Look-up order for each data set:

1. ``$CNN_DATA_DIR``: ``mnist.npz`` / ``cifar10.npz`` (Keras' keys and shapes), or the official
   ``cifar-10-batches-py`` folder;
2. Keras' own cache (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``);
3. Keras' normal download, with a short network time-out so that a machine without internet
   gets a clear error in seconds instead of a hang.

Arrays come back as ``uint8`` in Keras' shapes; convert a batch to float only when it is used.
Labels are checked to lie in 0–9.

No code runs from a data file: ``.npz`` files are read with ``allow_pickle=False``, and the
official CIFAR-10 batches (Python pickles) through :class:`_CifarUnpickler` (private), which admits only
the NumPy array reconstruction those files need and refuses anything else (e.g. a pickle that
calls ``open`` or ``os.system``) with a :class:`DataFileError` before it runs.

The loading examples are not run by the doctests (``# doctest: +SKIP``): they need MNIST, which
may mean an 11 MB download.

>>> (x_train, y_train), (x_test, y_test) = load_mnist(subset=100)    # doctest: +SKIP
>>> x_train.shape, x_train.dtype                                     # doctest: +SKIP
((100, 28, 28), dtype('uint8'))
"""

from __future__ import annotations

import io
import os
import pickle
import socket
import threading
from pathlib import Path

import numpy as np

DATA_ENV = "CNN_DATA_DIR"
#: Seconds the download may wait for each network step, name lookup included.
NETWORK_TIMEOUT_S = 5.0
#: Where Keras downloads each data set from (resolved first, under NETWORK_TIMEOUT_S).
DOWNLOAD_HOSTS = {"mnist": "storage.googleapis.com", "cifar10": "www.cs.toronto.edu"}
NUM_CLASSES = 10


class DataNotFoundError(FileNotFoundError):
    """No copy of a data set could be found or downloaded; the message says where to put one."""


class DataFileError(ValueError):
    """A data file exists but is corrupt or has the wrong arrays; the message names the file."""


# name -> (file name in CNN_DATA_DIR, expected shapes, Keras cache paths, keras loader)
_SPECS = {
    "mnist": {
        "file": "mnist.npz",
        "shapes": {"x_train": (60000, 28, 28), "y_train": (60000,),
                   "x_test": (10000, 28, 28), "y_test": (10000,)},
        "cache": ["mnist.npz"],
        "keras": "mnist",
    },
    "cifar10": {
        "file": "cifar10.npz",
        "shapes": {"x_train": (50000, 32, 32, 3), "y_train": (50000, 1),
                   "x_test": (10000, 32, 32, 3), "y_test": (10000, 1)},
        "cache": ["cifar-10-batches-py-target/cifar-10-batches-py", "cifar-10-batches-py"],
        "keras": "cifar10",
    },
}


def keras_cache_dir() -> Path:
    """Where Keras keeps downloaded data sets (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``)."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "datasets"


def _candidates(name: str) -> list[tuple[str, Path]]:
    spec = _SPECS[name]
    found = []
    data_dir = os.environ.get(DATA_ENV)
    if data_dir:
        found.append((DATA_ENV, Path(data_dir) / spec["file"]))
        if name == "cifar10":
            found.append((DATA_ENV, Path(data_dir) / "cifar-10-batches-py"))
    for rel in spec["cache"]:
        found.append(("Keras cache", keras_cache_dir() / rel))
    return found


def find_data(name: str) -> tuple[str, Path] | None:
    """Return ``(source, path)`` of the first local copy of ``name``, or None. Never downloads.

    >>> find_data("imagenet")
    Traceback (most recent call last):
    ...
    ValueError: name must be one of 'mnist', 'cifar10'; got 'imagenet'
    """
    if not isinstance(name, str) or name not in _SPECS:
        raise ValueError(f"name must be one of {', '.join(map(repr, _SPECS))}; got {name!r}")
    for source, path in _candidates(name):
        if path.exists():
            return source, path
    return None


def _short(source: str, path: Path) -> str:
    """``path`` written relative to ``$CNN_DATA_DIR`` or ``~``, so reports reveal no machine's layout."""
    if source == DATA_ENV:
        return f"${DATA_ENV}/{path.name}"
    home = Path(os.path.expanduser("~"))
    try:
        return f"~/{path.relative_to(home)}"
    except ValueError:
        return str(path)


def data_status() -> dict[str, str | None]:
    """Where each data set would be read from (e.g. ``"$CNN_DATA_DIR/mnist.npz"``), or None.

    Never downloads.
    """
    return {name: (_short(*hit) if (hit := find_data(name)) else None) for name in _SPECS}


def _check_arrays(name: str, path: Path, arrays: dict) -> tuple:
    spec = _SPECS[name]["shapes"]
    missing = sorted(set(spec) - set(arrays))
    if missing:
        raise DataFileError(f"{path}: missing arrays {missing}; a {name} file needs {sorted(spec)}")
    for key, shape in spec.items():
        a = arrays[key]
        if not isinstance(a, np.ndarray):
            raise DataFileError(f"{path}: member {key!r} is not a NumPy .npy array (got {type(a).__name__}); "
                                f"expected shape {shape} and dtype uint8")
        if a.shape != shape or a.dtype != np.uint8:
            raise DataFileError(
                f"{path}: array {key!r} has shape {a.shape} and dtype {a.dtype}; "
                f"expected shape {shape} and dtype uint8"
            )
        if key.startswith("y_") and a.size and int(a.max()) >= NUM_CLASSES:
            raise DataFileError(f"{path}: array {key!r} holds label {int(a.max())}; "
                                f"labels must be 0 to {NUM_CLASSES - 1}")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _read_npz(name: str, path: Path) -> tuple:
    try:
        with np.load(path, allow_pickle=False) as d:
            arrays = {k: d[k] for k in d.files}
    except Exception as err:  # noqa: BLE001 - zip, pickle-refusal and truncation errors alike
        raise DataFileError(f"{path}: cannot be read as a {name} .npz file ({err})") from None
    return _check_arrays(name, path, arrays)


class _CifarUnpickler(pickle.Unpickler):
    """A pickle reader that admits only what the official CIFAR-10 batches need.

    The batches are dicts of bytes, ints, lists and one NumPy array; rebuilding the array needs
    ``numpy.core.multiarray._reconstruct`` (``numpy._core`` in NumPy 2), ``numpy.ndarray`` and
    ``numpy.dtype``, and files re-saved by Python 3 at protocol 2 also use ``_codecs.encode``.
    Any other global (``builtins.open``, ``os.system``, ...) is refused before it is called.
    """

    ALLOWED = frozenset({
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"), ("numpy", "dtype"), ("_codecs", "encode"),
    })

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            allowed = ", ".join(sorted(f"{m}.{n}" for m, n in self.ALLOWED))
            raise pickle.UnpicklingError(
                f"refused to load {module}.{name}: a CIFAR-10 batch may only use {allowed}")
        return super().find_class(module, name)


def _read_cifar_batches(path: Path) -> tuple:
    def batch(fname):
        fpath = path / fname
        try:
            with open(fpath, "rb") as f:
                d = _CifarUnpickler(io.BufferedReader(f), encoding="bytes").load()
            labels = d[b"labels"]
            if not isinstance(labels, (list, np.ndarray)) or not isinstance(d[b"data"], np.ndarray):
                raise TypeError("b'data' must be an array and b'labels' a list")
            x = np.asarray(d[b"data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
            y = np.asarray(labels, dtype=np.int64).reshape(-1, 1)
            if y.size and not (0 <= y.min() and y.max() < NUM_CLASSES):
                raise ValueError(f"labels must be 0 to {NUM_CLASSES - 1}, found {int(y.min())} to {int(y.max())}")
            y = y.astype(np.uint8)
        except Exception as err:  # noqa: BLE001
            raise DataFileError(f"{fpath}: cannot be read as a CIFAR-10 batch ({type(err).__name__}: {err})") from None
        return x, y

    parts = [batch(f"data_batch_{i}") for i in range(1, 6)]
    x_test, y_test = batch("test_batch")
    arrays = {"x_train": np.concatenate([p[0] for p in parts]),
              "y_train": np.concatenate([p[1] for p in parts]),
              "x_test": np.ascontiguousarray(x_test), "y_test": y_test}
    return _check_arrays("cifar10", path, arrays)


def _read(name: str, path: Path) -> tuple:
    if path.is_dir():
        return _read_cifar_batches(path)
    return _read_npz(name, path)


def _download(name: str) -> tuple:
    """Keras' own download, with a network time-out so that an offline machine fails fast."""
    spec = _SPECS[name]
    where = os.environ.get(DATA_ENV)
    hint = (
        f"Put {spec['file']} (Keras' keys: x_train, y_train, x_test, y_test as uint8) in a folder and set "
        f"{DATA_ENV} to that folder"
        + (f" (now {DATA_ENV}={where}, which has no {spec['file']})" if where else "")
        + f", or let Keras download it once on a machine with internet into {keras_cache_dir()}."
    )
    try:
        import keras  # noqa: F401 - only the download path needs Keras
    except ImportError:
        raise DataNotFoundError(f"{name} was not found locally and Keras is not installed. {hint}") from None
    resolved = _resolves(DOWNLOAD_HOSTS[name], NETWORK_TIMEOUT_S)
    if resolved is not True:
        raise DataNotFoundError(
            f"{name} was not found locally, and the download was skipped: {resolved}. {hint}")
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(NETWORK_TIMEOUT_S)
    try:
        loader = getattr(keras.datasets, spec["keras"])
        (xtr, ytr), (xte, yte) = loader.load_data()
    except Exception as err:  # noqa: BLE001 - URLError, timeouts, HTTP errors, gaierror
        raise DataNotFoundError(
            f"{name} was not found locally and the download failed ({type(err).__name__}: {err}). {hint}"
        ) from None
    finally:
        socket.setdefaulttimeout(old)
    arrays = {"x_train": xtr, "y_train": ytr, "x_test": xte, "y_test": yte}
    return _check_arrays(name, Path(f"<Keras {name} download>"), arrays)


def _resolves(host: str, timeout: float):
    """True if ``host`` resolves within ``timeout`` seconds, else a sentence saying why not.

    ``socket.setdefaulttimeout`` does not cover name lookup (``getaddrinfo`` blocks for as long
    as the resolver likes), so the lookup runs in a daemon thread that is abandoned on time-out.
    """
    outcome: list = []

    def lookup():
        try:
            socket.getaddrinfo(host, 443)
            outcome.append(True)
        except OSError as err:
            outcome.append(f"the name {host} could not be resolved ({type(err).__name__}: {err})")

    worker = threading.Thread(target=lookup, name=f"resolve {host}", daemon=True)
    worker.start()
    worker.join(timeout)
    if not outcome:
        return f"the name {host} could not be resolved within {timeout:g} s"
    return outcome[0]


def _subset(data: tuple, subset) -> tuple:
    if subset is None:
        return data
    if isinstance(subset, (tuple, list)):
        if len(subset) != 2:
            raise ValueError(f"subset must be an int, a pair (n_train, n_test) or None; got {subset!r}")
        n_train, n_test = subset
    else:
        n_train = n_test = subset
    for label, n in (("subset (train)", n_train), ("subset (test)", n_test)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ValueError(f"{label} must be a positive integer or None, got {n!r}")
    (xtr, ytr), (xte, yte) = data
    return (xtr[:n_train], ytr[:n_train]), (xte[:n_test], yte[:n_test])


def load(name: str, subset=None, download: bool = True) -> tuple:
    """Load ``"mnist"`` or ``"cifar10"``; see :func:`load_mnist`."""
    if not isinstance(name, str):
        raise TypeError(f"name must be one of {', '.join(map(repr, _SPECS))}; got {name!r}")
    if not isinstance(download, bool):
        raise TypeError(f"download must be True or False, got {download!r}")
    _subset(((np.zeros(1), np.zeros(1)), (np.zeros(1), np.zeros(1))), subset)  # check subset before any reading
    hit = find_data(name)
    if hit is not None:
        data = _read(name, hit[1])
    elif download:
        data = _download(name)
    else:
        raise DataNotFoundError(
            f"{name} was not found in {DATA_ENV} or the Keras cache ({keras_cache_dir()}), and download=False"
        )
    return _subset(data, subset)


def load_mnist(subset=None, download: bool = True) -> tuple:
    """MNIST as ``(x_train, y_train), (x_test, y_test)``: uint8, shapes (N, 28, 28) and (N,).

    ``subset``: an int keeps the first n training and first n test images (quick mode);
    a pair ``(n_train, n_test)`` sets each. ``download=False`` never touches the network.

    Not run by the doctests (it needs MNIST, as the module's docstring says):

    >>> (x, y), _ = load_mnist(subset=(10, 5))   # doctest: +SKIP
    >>> x.shape, y[:3]                           # doctest: +SKIP
    ((10, 28, 28), array([5, 0, 4], dtype=uint8))
    """
    return load("mnist", subset, download)


def load_cifar10(subset=None, download: bool = True) -> tuple:
    """CIFAR-10 as ``(x_train, y_train), (x_test, y_test)``: uint8, (N, 32, 32, 3) and (N, 1).

    Same options as :func:`load_mnist`. Class names are in :data:`CIFAR10_CLASSES`.
    """
    return load("cifar10", subset, download)


CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
                   "dog", "frog", "horse", "ship", "truck")
