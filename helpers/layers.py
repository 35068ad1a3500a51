"""Keras layers the lessons need and Keras lacks, written with ``keras`` and ``keras.ops`` only.

No TensorFlow-specific call is made here, so the layers run on any Keras 3 backend. Each layer
is registered with ``keras.saving.register_keras_serializable(package="cnn_classics")`` so a
model saved as ``.keras`` loads back without ``custom_objects``.

- :class:`MinPooling2D`: min pooling, ``-max_pool(-x)`` (lesson 01).

>>> import numpy as np, keras
>>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
>>> keras.ops.convert_to_numpy(MinPooling2D(2)(x))[0, :, :, 0].tolist()
[[0.0, 2.0], [8.0, 10.0]]
"""

from __future__ import annotations

import keras
from keras import ops

from ._checks import one_of, pair
from .arith import output_size
from .config import PACKAGE



def _data_format(data_format):
    if data_format is None:
        return keras.config.image_data_format()
    return one_of("data_format", data_format, ("channels_last", "channels_first"))


@keras.saving.register_keras_serializable(package=PACKAGE)
class MinPooling2D(keras.layers.Layer):
    """Min pooling over 2-D windows: each output is the smallest value in its window.

    Takes the same arguments as ``keras.layers.MaxPooling2D`` and is computed as
    ``-max_pool(-x)``. With ``padding="same"`` the padded cells never win (they behave like
    ``+inf``), just as they never win in max pooling; so min pooling of non-negative inputs
    (ReLU outputs) gives 0 wherever a window holds a single 0.

    Args:
        pool_size: int or (h, w): window size.
        strides: int, (h, w) or None (= ``pool_size``).
        padding: ``"valid"`` or ``"same"`` (TensorFlow's split: the extra cell after).
        data_format: ``"channels_last"`` (default from Keras' config) or ``"channels_first"``.

    >>> MinPooling2D(3, strides=2).compute_output_shape((None, 13, 13, 256))
    (None, 6, 6, 256)
    """

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = pair("pool_size", pool_size)
        self.strides = self.pool_size if strides is None else pair("strides", strides)
        if not isinstance(padding, str):
            raise ValueError(f"padding must be one of 'valid', 'same'; got {padding!r}")
        self.padding = one_of("padding", padding.lower(), ("valid", "same"))
        self.data_format = _data_format(data_format)
        self.input_spec = keras.layers.InputSpec(ndim=4)
        self.built = True  # no weights to create, as in Keras' own pooling layers

    def call(self, inputs):
        return ops.negative(ops.max_pool(ops.negative(inputs), self.pool_size, self.strides,
                                         self.padding, self.data_format))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        axes = (1, 2) if self.data_format == "channels_last" else (2, 3)
        out = list(input_shape)
        for i, axis in enumerate(axes):
            n = input_shape[axis]
            out[axis] = None if n is None else output_size(n, self.pool_size[i], self.strides[i], self.padding)
        return tuple(out)

    def get_config(self):
        config = super().get_config()
        config.update(pool_size=self.pool_size, strides=self.strides, padding=self.padding,
                      data_format=self.data_format)
        return config


__all__ = ["MinPooling2D"]
