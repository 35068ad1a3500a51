"""Per-layer gradient norms of a plain stack of conv layers (lesson 02's vanishing-gradient check).

Keras is imported inside the function, so importing this module stays cheap.

>>> norms = layer_gradient_norms(depth=3, padding="same", input_size=8, channels=2, batch=2)
>>> len(norms)
3
"""

from __future__ import annotations

import numpy as np

from ._checks import check_seed, check_size, one_of, positive_int
from .arith import sizes_through


def conv_stack(depth: int, padding: str, input_size: int, channels: int = 8, kernel: int = 3,
               activation: str = "relu", seed: int = 0):
    """``depth`` Conv2D layers (``kernel`` x ``kernel``, stride 1, one padding) on a ``input_size`` square.

    He-normal initialisation for ReLU, Glorot-uniform otherwise; a ``ValueError`` names the depth at
    which "valid" runs out of pixels.
    """
    import keras

    depth = positive_int("depth", depth)
    check_size("depth", "the stack", layers=depth)
    one_of("padding", padding, ("valid", "same"))
    one_of("activation", activation, ("relu", "tanh", "linear"))
    input_size = positive_int("input_size", input_size)
    channels = positive_int("channels", channels)
    kernel = positive_int("kernel", kernel)
    seed = check_seed("seed", seed)
    check_size("channels", f"the weights of depth={depth} layers of channels={channels} kernels of "
               f"kernel={kernel} (float32)", 4 * depth * kernel * kernel * channels * channels)
    sizes = sizes_through([(kernel, 1, padding)] * depth, input_size)
    if len(sizes) <= depth:
        raise ValueError(f"{depth} {kernel}x{kernel} '{padding}' layers do not fit on a {input_size}x{input_size} "
                         f"input: it runs out of pixels after {len(sizes) - 1} layers (depth={depth}, "
                         f"kernel={kernel}, input_size={input_size})")
    keras.utils.set_random_seed(seed)
    init = "he_normal" if activation == "relu" else "glorot_uniform"
    layers = [keras.Input((input_size, input_size, 1))]
    layers += [keras.layers.Conv2D(channels, kernel, padding=padding, activation=activation,
                                   kernel_initializer=init, name=f"conv{i + 1}") for i in range(depth)]
    return keras.Sequential(layers)


def layer_gradient_norms(depth: int = 12, padding: str = "same", input_size: int = 32, channels: int = 8,
                         kernel: int = 3, activation: str = "relu", batch: int = 8, seed: int = 0) -> list[float]:
    """Root-mean-square of d(loss)/d(kernel) per weight, each conv layer, first to last, one fixed batch.

    Per weight (the L2 norm divided by the square root of the kernel's size), so the first layer,
    which has one input channel and so fewer weights, is not made to look small by its size. The loss is the mean square of the last layer's output (the same definition for every padding),
    so what changes between "valid" and "same" is only the padding.
    """
    import tensorflow as tf

    batch = positive_int("batch", batch)
    depth, size, maps = positive_int("depth", depth), positive_int("input_size", input_size), positive_int("channels", channels)
    check_size("depth", "the stack", layers=depth)
    check_size("batch", f"the activations of batch={batch} images of input_size={size} through depth={depth} "
               f"layers of channels={maps} maps (float32)", 4 * batch * size * size * maps * (depth + 1))
    model = conv_stack(depth, padding, input_size, channels, kernel, activation, seed)
    x = np.random.default_rng(seed).standard_normal((batch, input_size, input_size, 1))
    x = tf.constant(x, tf.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x)))
    kernels = [layer.kernel for layer in model.layers]
    grads = tape.gradient(loss, kernels)
    return [float(tf.sqrt(tf.reduce_mean(tf.square(g)))) for g in grads]



def first_last_ratios(depth: int = 14, padding: str = "same", input_size: int = 32, activation: str = "relu",
                      seeds=range(5), **kwargs) -> list[float]:
    """First-layer over last-layer gradient RMS (see :func:`layer_gradient_norms`), one value per seed.

    Below 1: the gradient shrinks on its way back to the first layer; far below 1: it vanishes.
    ``seeds``: a non-empty sequence of seeds (one network per seed); ``kwargs`` go to
    :func:`layer_gradient_norms`.
    """
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__len__") or not len(seeds):
        raise TypeError(f"seeds must be a non-empty sequence of random seeds, e.g. range(5); got {seeds!r}")
    for i, seed in enumerate(seeds):
        check_seed(f"seeds[{i}]", seed)
    ratios = []
    for seed in seeds:
        norms = layer_gradient_norms(depth, padding, input_size, activation=activation, seed=seed, **kwargs)
        ratios.append(norms[0] / norms[-1])
    return ratios


__all__ = ["conv_stack", "first_last_ratios", "layer_gradient_norms"]
