"""Figures for lesson 06 (AlexNet on CIFAR-10): image grids, augmentation, RGB filters, the schedule.

Every function returns a matplotlib ``Figure`` (object API, no pyplot state).

>>> import numpy as np
>>> fig = image_grid(np.zeros((8, 32, 32, 3), "uint8"), labels=[0] * 8)
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .models import DPI


def _grid(n, cols, cell=1.0, title_space=0.25):
    rows = max(1, int(np.ceil(n / cols)))
    fig = Figure(figsize=(cell * cols, (cell + title_space) * rows), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes:
        ax.set_axis_off()
    return fig, axes


def image_grid(images, labels=None, class_names=None, cols: int = 10, titles=None):
    """Images in a grid, each titled with its class name (or ``titles``)."""
    images = np.asarray(images)
    fig, axes = _grid(len(images), cols)
    for i, (ax, img) in enumerate(zip(axes, images)):
        ax.imshow(img.squeeze(), cmap="gray" if img.ndim == 2 or img.shape[-1] == 1 else None,
                  interpolation="nearest")
        if titles is not None:
            ax.set_title(titles[i], fontsize=7)
        elif labels is not None:
            c = int(np.asarray(labels).reshape(-1)[i])
            ax.set_title(class_names[c] if class_names else str(c), fontsize=7)
    return fig


def augmented_examples(image, augment, n: int = 9, seed: int = 0):
    """``image`` and ``n - 1`` random augmentations of it (``augment(batch, rng)``, e.g. FlipTranslate)."""
    rng = np.random.default_rng(seed)
    batch = np.repeat(np.asarray(image)[None], n - 1, axis=0)
    out = np.concatenate([np.asarray(image)[None], augment(batch, rng)])
    return image_grid(out, titles=["original"] + [f"#{i}" for i in range(1, n)], cols=n)


def rgb_filters(kernel, cols: int = 9, title: str | None = None, cell: float = 0.6):
    """Conv kernels ``(k, k, 3, n)`` as small RGB images, each scaled to its own range (grey = 0)."""
    k = np.asarray(kernel, "float64")
    if k.ndim != 4 or k.shape[2] != 3:
        raise ValueError(f"kernel must be (k, k, 3, n) for RGB display, got shape {k.shape}")
    fig, axes = _grid(k.shape[-1], cols, cell=cell, title_space=0.0)
    for i, ax in enumerate(axes[:k.shape[-1]]):
        f = k[..., i]
        lim = np.abs(f).max() or 1.0
        ax.imshow(0.5 + 0.5 * f / lim, interpolation="nearest")
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def schedule_curve(schedule, steps_per_epoch: int, epochs: int, ax=None):
    """The learning rate of a Keras schedule over training, with the epochs on the x axis."""
    steps = np.arange(epochs * steps_per_epoch + 1)
    rates = [float(schedule(int(s))) for s in steps]
    if ax is None:
        fig = Figure(figsize=(5.0, 2.2), dpi=DPI, layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    ax.plot(steps / steps_per_epoch, rates)
    ax.set_xlabel("epoch")
    ax.set_ylabel("learning rate")
    ax.grid(alpha=0.3)
    return fig


__all__ = ["augmented_examples", "image_grid", "rgb_filters", "schedule_curve"]
