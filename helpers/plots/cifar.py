"""Figures for lesson 06 (AlexNet on CIFAR-10): image grids, augmentation, RGB filters, the schedule.

Every function returns a matplotlib ``Figure`` (object API, no pyplot state).

>>> import numpy as np
>>> fig = image_grid(np.zeros((8, 32, 32, 3), "uint8"), labels=[0] * 8)
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._checks import (check_array, check_callable, check_names, check_real, check_seed, check_text, class_labels,
                       is_number, positive_int)
from .models import DPI, MAX_COLUMNS

#: the most images one grid shows (each is a panel of its own)
MAX_IMAGES = 400
#: the most learning-rate values :func:`schedule_curve` evaluates (one per training step)
MAX_STEPS = 100_000


def _columns(cols) -> int:
    cols = positive_int("cols", cols)
    if cols > MAX_COLUMNS:
        raise ValueError(f"cols must be at most {MAX_COLUMNS} (the columns of one figure); got {cols}")
    return cols


def _grid(n, cols, cell=1.0, title_space=0.25):
    rows = max(1, int(np.ceil(n / cols)))
    fig = Figure(figsize=(cell * cols, (cell + title_space) * rows), dpi=DPI, layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes:
        ax.set_axis_off()
    return fig, axes


def image_grid(images, labels=None, class_names=None, cols: int = 10, titles=None):
    """Images in a grid, each titled with its class name (or ``titles``).

    ``images``: ``(N, H, W)`` or ``(N, H, W, 1 | 3)``, at most :data:`MAX_IMAGES`; ``labels``: one class per
    image, ``class_names[label]`` its title; ``titles``: one text per image instead.
    """
    images = check_array("images", images, ndim=(3, 4))
    if images.ndim == 4 and images.shape[-1] not in (1, 3):
        raise ValueError(f"images must be (N, H, W) or (N, H, W, 1 | 3); got shape {images.shape}")
    if len(images) > MAX_IMAGES:
        raise ValueError(f"images: a grid shows at most {MAX_IMAGES} images; got {len(images)}")
    cols = _columns(cols)
    if titles is not None:
        if isinstance(titles, (str, bytes)) or not isinstance(titles, (list, tuple)) or len(titles) != len(images):
            raise TypeError(f"titles must be None or a list of {len(images)} texts, one per image; got {titles!r}")
        for i, t in enumerate(titles):
            check_text(f"titles[{i}]", t, optional=False)
    if labels is not None:
        labels = class_labels("labels", labels)
        if len(labels) != len(images):
            raise ValueError(f"labels must hold one class per image ({len(images)}); got {len(labels)}")
        if class_names is not None:
            class_names = check_names("class_names", class_names, 1 + int(labels.max(initial=0)))
    elif class_names is not None:
        check_names("class_names", class_names, 0)
    fig, axes = _grid(len(images), cols)
    for i, (ax, img) in enumerate(zip(axes, images)):
        ax.imshow(img.squeeze(), cmap="gray" if img.ndim == 2 or img.shape[-1] == 1 else None,
                  interpolation="nearest")
        if titles is not None:
            ax.set_title(titles[i], fontsize=7)
        elif labels is not None:
            c = int(labels[i])
            ax.set_title(class_names[c] if class_names else str(c), fontsize=7)
    return fig


def augmented_examples(image, augment, n: int = 9, seed: int = 0):
    """``image`` and ``n - 1`` random augmentations of it (``augment(batch, rng)``, e.g. FlipTranslate);
    ``n`` from 2 to :data:`helpers.plots.models.MAX_COLUMNS`."""
    image = check_array("image", image, ndim=(2, 3), empty=False)
    check_callable("augment", augment, "a function augment(batch, rng), e.g. FlipTranslate(2)")
    n = positive_int("n", n)
    if not 2 <= n <= MAX_COLUMNS:
        raise ValueError(f"n must be from 2 to {MAX_COLUMNS} (the original and at least one augmentation); got {n}")
    rng = np.random.default_rng(check_seed("seed", seed))
    batch = np.repeat(image[None], n - 1, axis=0)
    augmented = np.asarray(augment(batch, rng))
    if augmented.shape != batch.shape:
        raise ValueError(f"augment must return a batch of the shape it gets, {batch.shape}; got {augmented.shape}")
    out = np.concatenate([image[None], augmented])
    return image_grid(out, titles=["original"] + [f"#{i}" for i in range(1, n)], cols=n)


def rgb_filters(kernel, cols: int = 9, title: str | None = None, cell: float = 0.6):
    """Conv kernels ``(k, k, 3, n)`` as small RGB images, each scaled to its own range (grey = 0);
    ``n`` at most :data:`MAX_IMAGES`, ``cell`` the side of each in inches (0 to 5)."""
    k = check_array("kernel", kernel, ndim=4).astype("float64")
    if k.shape[2] != 3 or not 1 <= k.shape[-1] <= MAX_IMAGES or not np.isfinite(k).all():
        raise ValueError(f"kernel must be (k, k, 3, n) of finite numbers with 1 <= n <= {MAX_IMAGES} for RGB "
                         f"display, got shape {k.shape}")
    cols = _columns(cols)
    check_text("title", title)
    cell = check_real("cell", cell, low=0, low_open=True, high=5)
    fig, axes = _grid(k.shape[-1], cols, cell=cell, title_space=0.0)
    for i, ax in enumerate(axes[:k.shape[-1]]):
        f = k[..., i]
        lim = np.abs(f).max() or 1.0
        ax.imshow(0.5 + 0.5 * f / lim, interpolation="nearest")
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def schedule_curve(schedule, steps_per_epoch: int, epochs: int, ax=None):
    """The learning rate of a Keras schedule over training, with the epochs on the x axis.

    ``schedule``: a Keras ``LearningRateSchedule`` (or any function of the step), or a number for a
    constant rate; at most :data:`MAX_STEPS` steps (``epochs × steps_per_epoch``).
    """
    steps_per_epoch = positive_int("steps_per_epoch", steps_per_epoch)
    epochs = positive_int("epochs", epochs)
    if epochs * steps_per_epoch > MAX_STEPS:
        raise ValueError(f"epochs × steps_per_epoch must be at most {MAX_STEPS:,} steps; got "
                         f"{epochs} × {steps_per_epoch} = {epochs * steps_per_epoch:,}")
    if is_number(schedule):
        rate = check_real("schedule", schedule, low=0)
        schedule = lambda step: rate  # noqa: E731 - a constant learning rate
    check_callable("schedule", schedule, "a Keras learning-rate schedule, a function of the step or a number")
    try:
        first = float(schedule(0))
    except Exception as err:  # noqa: BLE001 - whatever the learner's function raises
        raise TypeError(f"schedule must give a learning rate for a step; schedule(0) raised "
                        f"{type(err).__name__}: {err}") from None
    if not np.isfinite(first):
        raise ValueError(f"schedule must give finite learning rates; schedule(0) = {first}")
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
