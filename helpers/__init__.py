"""cnn-classics helpers: the code behind the lessons, tested so the notebooks can stay short.

Every module, one line each, in alphabetical order (``docs/design.md`` says how they are layered:
each imports only from the layers below it):

- __init__.py: this package's front: NumPy-level names imported at once, every other name on first use
- _checks.py: argument checks: errors that name the argument, the value and what is valid
- alexnet_model.py: alexnet(variant) ("paper", "seed", "cifar-classic", "cifar"), figure1_net, LocalResponseNormalization: layers and builders only
- arith.py: output sizes, TensorFlow's "same" split, receptive fields (plain Python)
- augment.py: random flips and translations of uint8 batches (NumPy; the moving is preprocessing.shift)
- cifar.py: lesson 06's CIFAR-10 recipes ("class", "long"), the validation split, whitened conv1, schedule, flip TTA, bfloat16
- config.py: quick mode, seeds, a quiet Keras import, the set-up cell, PACKAGE, the environment report
- data.py: MNIST / CIFAR-10 loaders (CNN_DATA_DIR, then Keras' cache, then a download)
- exercises/__init__.py: the shared verdict: "✔ Right" or "✘ Not yet" with a hint, never the answer
- exercises/alexnet.py: self-checks for lesson 05's exercises
- exercises/cifar.py: self-checks for lesson 06's exercises
- exercises/lenet.py: self-checks for lessons 03-04's exercises
- exercises/own_cnn.py: self-checks for lesson 07's exercises
- exercises/padding.py: self-checks for lesson 02's exercises
- exercises/pooling.py: self-checks for lesson 01's exercises
- experiments.py: lessons 05-06's small seeded CPU experiments: the ReLU/tanh race, set-ups compared, LRN at the paper's scale
- geometry.py: where windows go: window layouts, coverage maps, depth tables, pooling corners (NumPy)
- gradients.py: per-layer gradient norms (lesson 02's vanishing-gradient test)
- images.py: sample images, shifted crops, shift measurements (NumPy)
- layers.py: generic Keras layers (MinPooling2D), keras + keras.ops only
- lenet_model.py: lenet5(variant) and LeNet-5's own layers (scaled tanh, subsampling, C3, RBF)
- ops.py: NumPy reference ops: pad2d, pool2d, conv2d, lrn_reference, and the mode names
- plots/__init__.py: show(fig): a figure as a sharp 2x PNG; the shared axes helper; every plot function
- plots/alexnet.py: lesson 05's figures: error curves of the small experiments, layer shares
- plots/cifar.py: lesson 06's figures: image grids, augmentation, RGB filters, the schedule
- plots/models.py: lessons 03-04's figures for any Keras CNN, the confusion matrix among them
- plots/padding.py: lesson 02's figures: padding modes, coverage, depth, the arithmetic picture
- plots/pooling.py: lesson 01's figures: the pooling board, pooled images, shift curves
- preprocessing.py: data transforms (NumPy): shift (the one shift), scale_digits, to_lenet_input, channel standardisation
- trace.py: shape_trace of any Keras model: shapes, parameters, multiply-adds; where it breaks
- train.py: the fit recipe: quick mode, uint8 batches, augmentation, compact progress
- widgets/__init__.py: pooling, padding, shape-trace and activation explorers (imported on first use)
- widgets/_base.py: what every explorer shares: a figure built once, controls, a status line, a PNG
- widgets/activations.py: activation_explorer: any CNN's feature maps, receptive field and top-5 for an image
- widgets/padding.py: lesson 02's padding explorer: padding, stride and dilation
- widgets/pooling.py: lesson 01's pooling explorer: mode, window, stride, padding, a shifted input
- widgets/trace.py: shape-trace explorer: an AlexNet variant's sizes, or any Keras model's

``import helpers`` loads only ``arith``, ``geometry``, ``ops``, ``data``, ``config`` and ``_checks`` (NumPy at most); every name
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
from .geometry import WindowLayout, coverage_map, depth_table, framework_splits, window_layout, window_origins
from .ops import PAD_MODES, POOL_MODES, conv2d, pad2d, pool2d

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
    "preprocessing": None,
    "experiments": None,
    "cifar": None,
}


_NEEDS_KERAS = ("layers", "trace", "lenet_model", "alexnet_model", "train", "cifar", "experiments")


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
    "PAD_MODES",
    "POOL_MODES",
    "QUICK_ENV",
    "ReceptiveField",
    "WindowLayout",
    "conv2d",
    "coverage_map",
    "data_status",
    "depth_table",
    "describe_output_size",
    "effective_kernel",
    "framework_splits",
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
    "window_layout",
    "window_origins",
    *_LAZY,
]
