"""cnn-classics helpers: the code behind the lessons, tested so the notebooks can stay short.

Layers, each importing only from the ones below it::

    widgets/  interactive explorers (ipywidgets + matplotlib)
    plots     figures for the lessons
    layers    Keras layers (keras + keras.ops only)
    data      MNIST / CIFAR-10 loaders (CNN_DATA_DIR, then Keras' cache)
    ops       NumPy reference ops: pad2d, pool2d, conv2d
    arith     output sizes, TensorFlow's "same" split, receptive fields (plain Python)

``import helpers`` loads only ``arith``, ``ops`` and ``data`` (NumPy at most); every name
that needs TensorFlow, matplotlib or ipywidgets is imported on first use, so the core
starts fast and works where those are missing.

>>> import helpers
>>> helpers.output_size(32, 5, stride=1, padding="valid")
28
"""

from __future__ import annotations

import importlib

from .arith import (
    ReceptiveField,
    describe_output_size,
    effective_kernel,
    output_size,
    padding_pair,
    receptive_field,
    same_padding,
    sizes_through,
)
from .config import QUICK_ENV, import_keras, quick_mode, seed_everything
from .data import DataNotFoundError, data_status, load_cifar10, load_mnist
from .ops import conv2d, pad2d, pool2d

__version__ = "0.1.0"

# name -> submodule that defines it; imported on first attribute access (PEP 562).
_LAZY = {
    "MinPooling2D": "layers",
    "shape_trace": "trace",
    "lenet5": "lenet_model",
    "ScaledTanh": "lenet_model",
    "TrainableSubsampling": "lenet_model",
    "SparseConv2D": "lenet_model",
    "EuclideanRBF": "lenet_model",
    "alexnet": "alexnet_model",
    "LocalResponseNormalization": "alexnet_model",
    "widgets": None,
    "plots": None,
    "layers": None,
    "trace": None,
    "lenet_model": None,
    "alexnet_model": None,
    "train": None,
    "exercises": None,
    "images": None,
    "augment": None,
    "cifar": None,
}


_NEEDS_KERAS = ("layers", "trace", "lenet_model", "alexnet_model", "train", "cifar")


def __getattr__(name: str):
    if name in _LAZY:
        target = _LAZY[name]
        if target is None:
            if name in _NEEDS_KERAS:
                import_keras()
            value = importlib.import_module(f".{name}", __name__)
        else:
            if target in _NEEDS_KERAS:
                import_keras()  # quietly, before TensorFlow's native libraries print their banner
            value = getattr(importlib.import_module(f".{target}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "DataNotFoundError",
    "QUICK_ENV",
    "ReceptiveField",
    "conv2d",
    "data_status",
    "describe_output_size",
    "effective_kernel",
    "load_cifar10",
    "load_mnist",
    "output_size",
    "pad2d",
    "padding_pair",
    "pool2d",
    "quick_mode",
    "receptive_field",
    "same_padding",
    "seed_everything",
    "sizes_through",
    *_LAZY,
]
