"""The small, seeded CPU experiments of lesson 05 (AlexNet's innovations), as reusable functions.

- :func:`center`: subtract the training set's mean pixel (per channel), as the paper did (Sec. 2).
- :func:`learning_rate_race`: the paper's Figure 1 at CPU scale: for each activation, train one net
  per learning rate until the training error reaches a target, recording it every few iterations.
- :func:`fastest`: each activation's fastest run of a race (its learning rate tuned, as in the paper).
- :func:`compare_setups`: train one network per set-up (and seed) on the same data; :func:`gap_rows`
  and :func:`format_gap_table` turn the results into train error, test error and their gap.

The models come from :mod:`helpers.alexnet_model`; training is
:func:`helpers.alexnet_model.train_and_record` (SGD with momentum, errors in inference mode).

A race in miniature (64 random images, 4 iterations per run; the lesson runs hundreds on CIFAR-10):

>>> rng = np.random.default_rng(0)
>>> x, y = rng.random((64, 32, 32, 3), dtype="float32"), rng.integers(0, 10, 64)
>>> (xtr, ytr), (xte, yte) = center((x[:48], y[:48]), (x[48:], y[48:]))
>>> race = learning_rate_race((xtr, ytr), {"relu": (0.01, 0.03)}, max_steps=4, eval_every=2, batch_size=16)
>>> sorted(race), race["relu", 0.01]["steps"]
([('relu', 0.01), ('relu', 0.03)], [2, 4])
>>> list(fastest(race))
['relu']
"""

from __future__ import annotations

import math

import keras
import numpy as np

from .alexnet_model import alexnet, figure1_net, steps_to_error, train_and_record


def center(train, *others):
    """Subtract the per-channel mean of the training images from every set (train first).

    Sets are ``(x, y)`` pairs; ``y`` is passed through. Returns a tuple of the centred pairs.

    >>> x = np.ones((2, 1, 1, 3), "float32"); x[1] = 3
    >>> (xc, _), = center((x, [0, 1]))
    >>> xc[:, 0, 0, 0].tolist()
    [-1.0, 1.0]
    """
    mean = np.asarray(train[0], dtype=np.float32).mean(axis=tuple(range(np.ndim(train[0]) - 1)))
    return tuple((np.asarray(x, dtype=np.float32) - mean, y) for x, y in (train, *others))


def learning_rate_race(train, learning_rates: dict, *, target: float = 0.25, max_steps: int = 600,
                       eval_every: int = 16, batch_size: int = 64, seed: int = 1998, build=None,
                       stop_losers: bool = True) -> dict:
    """Train one network per (activation, learning rate) until its training error reaches ``target``.

    ``learning_rates`` maps activation -> learning rates to try, e.g. ``{"relu": (0.01, 0.03),
    "tanh": (0.01, 0.03)}``. ``build(activation)`` makes a fresh model (default
    :func:`helpers.alexnet_model.figure1_net`, each activation with its own initialisation). Every
    run sees the same images in the same order (``seed``) and is measured every ``eval_every``
    iterations on the whole training set; it stops at ``target`` or after ``max_steps``. With
    ``stop_losers`` a run also stops once it has used as many iterations as the fastest run of its
    activation so far without reaching ``target``: it can no longer be the fastest, so the rest of
    its curve would cost CPU time and change nothing.
    Returns ``{(activation, learning_rate): record}`` (see ``train_and_record``).
    """
    build = build or figure1_net
    race = {}
    for activation, rates in learning_rates.items():
        limit = max_steps
        for lr in rates:
            keras.utils.set_random_seed(seed)   # same initial weights for every learning rate
            rec = train_and_record(build(activation), train, learning_rate=lr, seed=seed, batch_size=batch_size,
                                   stop_at=target, eval_every=eval_every, max_steps=limit)
            race[(activation, lr)] = rec
            if stop_losers and steps_to_error(rec, target):
                limit = min(limit, steps_to_error(rec, target))
    return race


def fastest(race: dict, target: float = 0.25) -> dict:
    """For each activation, the key of its run that reached ``target`` in the fewest iterations
    (a run that never did counts as infinitely slow; ties go to the lower final error).

    >>> r = {("relu", 0.1): {"steps": [10, 20], "train_error": [0.5, 0.2]},
    ...      ("relu", 0.3): {"steps": [10, 20], "train_error": [0.9, 0.9]}}
    >>> fastest(r)
    {'relu': ('relu', 0.1)}
    """
    best = {}
    for key, rec in race.items():
        score = (steps_to_error(rec, target) or math.inf, rec["train_error"][-1])
        if key[0] not in best or score < best[key[0]][0]:
            best[key[0]] = (score, key)
    return {activation: key for activation, (_, key) in best.items()}


def compare_setups(setups: dict, train, test, *, epochs: int, seeds=(1998,), build=None, learning_rate: float = 0.01,
                   optimizer: str = "sgd",
                   batch_size: int = 64, eval_train: int | None = None, eval_every: int | None = None,
                   keep_models: bool = False) -> dict:
    """Train one network per set-up and seed on the same data, recording train and test error.

    ``setups`` maps a name to keyword arguments of ``build`` (default: the half-width, He-initialised
    ``alexnet("cifar-classic", ...)``), e.g. ``{"baseline": {}, "no LRN": {"lrn": False}}``. With several
    ``seeds`` each set-up is trained once per seed (new initial weights and batch order) and the
    results are keyed ``"name (seed s)"``, so the spread between seeds shows the noise level.
    Returns ``{name: record}``; with ``keep_models=True`` each record also holds its trained
    ``"model"`` (for a closer look, e.g. :func:`helpers.alexnet_model.lrn_strength`).
    """
    build = build or (lambda **kw: alexnet("cifar-classic", **{"width": 0.5, "kernel_initializer": "he_normal", **kw}))
    runs = {}
    for name, options in setups.items():
        for seed in seeds:
            label = name if len(seeds) == 1 else f"{name} (seed {seed})"
            keras.utils.set_random_seed(seed)   # the initial weights depend on the seed too
            model = build(**options)
            runs[label] = train_and_record(model, train, test, epochs=epochs, seed=seed,
                                           learning_rate=learning_rate, optimizer=optimizer, batch_size=batch_size,
                                           eval_train=eval_train, eval_every=eval_every)
            if keep_models:
                runs[label]["model"] = model
    return runs


def gap_rows(runs: dict) -> list:
    """``[(name, train error, test error, gap)]`` from the last record of each run of
    :func:`compare_setups` (gap = test error − train error: how much the net overfits).

    >>> gap_rows({"a": {"train_error": [0.5, 0.1], "test_error": [0.6, 0.4]}})
    [('a', 0.1, 0.4, 0.30000000000000004)]
    """
    return [(name, rec["train_error"][-1], rec["test_error"][-1], rec["test_error"][-1] - rec["train_error"][-1])
            for name, rec in runs.items()]


def format_gap_table(runs: dict) -> str:
    """:func:`gap_rows` as an aligned text table (errors to 3 decimals).

    >>> print(format_gap_table({"a": {"train_error": [0.1], "test_error": [0.4]}}))
    set-up                 train error  test error    gap
    a                            0.100       0.400  0.300
    """
    width = max([20] + [len(name) for name in runs])
    lines = [f"{'set-up':{width}s} {'train error':>13s} {'test error':>11s} {'gap':>6s}"]
    lines += [f"{name:{width}s} {tr:13.3f} {te:11.3f} {gap:6.3f}" for name, tr, te, gap in gap_rows(runs)]
    return "\n".join(lines)


__all__ = ["center", "learning_rate_race", "fastest", "compare_setups", "gap_rows", "format_gap_table"]
