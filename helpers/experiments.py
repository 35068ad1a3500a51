"""The small, seeded CPU experiments of lesson 05 (AlexNet's innovations), as reusable functions.

- :func:`center`: subtract the training set's mean pixel (per channel), as the paper did (Sec. 2).
- :func:`learning_rate_race`: the paper's Figure 1 at CPU scale: for each activation, train one net
  per learning rate until the training error reaches a target, recording it every few iterations.
- :func:`fastest`: each activation's fastest run of a race (its learning rate tuned, as in the paper).
- :func:`compare_setups`: train one network per set-up (and seed) on the same data; :func:`gap_rows`
  and :func:`format_gap_table` turn the results into train error, test error and their gap.
- Lesson 06: :func:`normalisation_comparison` trains ``alexnet("cifar")`` with batch norm, LRN or no
  normalisation (:func:`normalisation_net`) on inputs at the paper's 0–255 scale (:func:`scaled_input`);
  :func:`lrn_factors` and :func:`lrn_factor_table` measure how much LRN's factor varies at each input scale.

The models come from :mod:`helpers.alexnet_model`; training is
:func:`helpers.alexnet_model.train_and_record` (SGD with momentum, errors in inference mode).

>>> (xtr, ytr), (xte, yte) = center((xtr, ytr), (xte, yte))                 # doctest: +SKIP
>>> race = learning_rate_race((xtr, ytr), {"relu": (0.01, 0.03)}, max_steps=300)  # doctest: +SKIP
>>> fastest(race)                                                            # doctest: +SKIP
{'relu': ('relu', 0.03)}
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


# --------------------------------------------------------------------------------------------
# Lesson 06: batch norm, LRN and no normalisation, with LRN at the paper's scale
# --------------------------------------------------------------------------------------------
#: the three normalisations :func:`normalisation_net` builds
NORMALISATIONS = ("batch norm", "LRN", "none")


def scaled_input(x_train, scale: float = 255.0):
    """A preprocess function ``uint8 batch -> (x/255 - mean) * scale`` (float32), ``mean`` the per-channel
    mean of ``x_train`` on the 0–1 scale. ``scale=255`` gives the paper's input: mean-subtracted pixel
    values of 0–255 (Krizhevsky et al. 2012, Sec. 2); ``scale=1`` the same images divided by 255.

    >>> f = scaled_input(np.array([[[[0, 0, 0]]], [[[255, 255, 255]]]], "uint8"), scale=255)
    >>> np.round(f(np.array([[[[255, 0, 128]]]], "uint8")), 3).tolist()
    [[[[127.5, -127.5, 0.5]]]]
    """
    from .cifar import channel_stats, normalizer

    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number (1: inputs /255, 255: the paper's 0–255), got {scale!r}")
    mean, _ = channel_stats(x_train)
    return normalizer(mean, np.full(len(mean), 1.0 / float(scale), "float32"))


def normalisation_net(kind: str, *, width: float = 0.5, dropout: float = 0.25, dtype=None):
    """``alexnet("cifar")`` with ``kind`` after conv2–conv5: ``"batch norm"`` (the lesson's net), ``"LRN"``
    (the paper's constants, k = 2, n = 5, α = 1e-4, β = 0.75, in batch norm's place) or ``"none"`` (the LRN
    net with its LRN layers removed). conv1 is an ordinary learned 3×3 convolution (not whitened), as in the
    paper. Returns an uncompiled, built ``Sequential`` model for 32×32×3 input.

    >>> [l.name for l in normalisation_net("none").layers if "lrn" in l.name or "bn" in l.name]  # doctest: +SKIP
    []
    """
    from .alexnet_model import LocalResponseNormalization, alexnet_layers

    if kind not in NORMALISATIONS:
        raise ValueError(f"kind must be one of {NORMALISATIONS}, got {kind!r}")
    layers = alexnet_layers("cifar", lrn=kind != "batch norm", width=width, dropout=dropout, dtype=dtype)
    if kind == "none":
        layers = [layer for layer in layers if not isinstance(layer, LocalResponseNormalization)]
    name = "alexnet_cifar_" + kind.replace(" ", "_")
    return keras.Sequential([keras.Input((32, 32, 3))] + layers, name=name)


def normalisation_comparison(train, val, kinds=NORMALISATIONS, *, scale: float = 255.0, epochs: int = 3,
                             width: float = 0.5, learning_rate: float = 0.01, batch_size: int = 256,
                             seed: int = 1998, dtype=None, quick: bool | None = None, verbose=None) -> dict:
    """Train :func:`normalisation_net` once per ``kind`` on the same data, in the same order, from the same seed.

    ``train`` and ``val`` are ``(x, y)`` uint8 pairs; every image is fed as ``scaled_input(train[0], scale)``
    makes it (default: the paper's mean-subtracted 0–255 values). Each net gets the same recipe: SGD with
    Nesterov momentum 0.9, ``learning_rate`` reached after one epoch of warm-up, then a cosine decay to 0; no
    augmentation, no weight decay, no label smoothing. ``quick`` as in :func:`helpers.train.fit`.
    Returns ``{kind: TrainResult}`` (``.history["val_accuracy"]`` per epoch, ``.model``, ``.preprocess``).
    """
    from .config import quick_mode
    from .train import QUICK_EPOCHS, QUICK_SUBSET, cosine_schedule, fit

    if quick if quick is not None else quick_mode():   # the first 2,000 / 500 images, at most 2 epochs
        train, val = tuple(a[:QUICK_SUBSET[0]] for a in train), tuple(a[:QUICK_SUBSET[1]] for a in val)
        epochs = min(epochs, QUICK_EPOCHS)
    preprocess = scaled_input(train[0], scale)
    steps = math.ceil(len(train[0]) / batch_size)
    runs = {}
    for kind in kinds:
        keras.utils.set_random_seed(seed)       # same initial weights where the layers agree
        model = normalisation_net(kind, width=width, dtype=dtype)
        warmup = min(steps, epochs * steps - 1)   # one epoch, or less in a one-epoch run
        optimizer = keras.optimizers.SGD(cosine_schedule(learning_rate, epochs * steps, warmup), momentum=0.9,
                                         nesterov=True)
        runs[kind] = fit(model, (train, val), epochs=epochs, batch_size=batch_size, optimizer=optimizer, seed=seed,
                         quick=False, preprocess=preprocess, verbose=verbose)
    return runs


def lrn_factors(model, x) -> dict:
    """For each LRN layer of ``model`` on the (already preprocessed) inputs ``x``: the factor
    ``1 / (k + α Σ a²)^β`` by which it multiplies each activation, one value per position and channel.

    Returns ``{layer name: 1-D float64 array}``. A spread of factors means LRN lets strong responses
    suppress their neighbours; a single value (``k^-β`` = 0.59 for the paper's constants) means it only
    rescales everything, which the next layer's weights absorb.
    """
    from .alexnet_model import LocalResponseNormalization

    out = {}
    for layer in model.layers:
        if isinstance(layer, LocalResponseNormalization):
            probe = keras.Model(model.inputs[0], layer.input)
            a = np.asarray(keras.ops.convert_to_numpy(probe(np.asarray(x), training=False)), dtype=np.float64)
            r = layer.depth_radius
            sq = np.pad(a ** 2, [(0, 0)] * (a.ndim - 1) + [(r, r)])
            total = sum(sq[..., i:i + a.shape[-1]] for i in range(2 * r + 1))
            out[layer.name] = ((layer.bias + layer.alpha * total) ** -layer.beta).ravel()
    return out


def lrn_factor_table(model, x_uint8, x_train, scales=(1, 255), quantiles=(0.01, 0.5, 0.99)) -> list:
    """Rows ``(scale, layer, q1, q2, q3)``: quantiles of :func:`lrn_factors` of ``model`` on the uint8 images
    ``x_uint8``, fed at each input ``scale`` (:func:`scaled_input` with ``x_train``'s mean).

    >>> rows = lrn_factor_table(normalisation_net("LRN"), x[:100], x_train)   # doctest: +SKIP
    """
    rows = []
    for scale in scales:
        factors = lrn_factors(model, scaled_input(x_train, scale)(x_uint8))
        for name, values in factors.items():
            rows.append((scale, name, *np.quantile(values, quantiles).tolist()))
    return rows


__all__ += ["NORMALISATIONS", "scaled_input", "normalisation_net", "normalisation_comparison", "lrn_factors",
            "lrn_factor_table"]
