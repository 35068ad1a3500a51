"""The small, seeded CPU experiments of lesson 05 (AlexNet's innovations), as reusable functions.

- :func:`cifar_arrays`: a CIFAR-10 subset as float32 in [0, 1]; :func:`center` subtracts the training
  set's mean pixel (per channel), as the paper did (Sec. 2).
- :func:`train_and_record`: train one model with SGD + momentum (or Adam), recording its error rates
  (:func:`error_rate`, in inference mode) every few iterations; :func:`steps_to_error` reads off when
  a record first reached a target error.
- :func:`learning_rate_race`: the paper's Figure 1 at CPU scale: for each activation, train one net
  per learning rate until the training error reaches a target, recording it every few iterations.
- :func:`fastest`: each activation's fastest run of a race (its learning rate tuned, as in the paper).
- :func:`compare_setups`: train one network per set-up (and seed) on the same data; :func:`gap_rows`
  and :func:`format_gap_table` turn the results into train error, test error and their gap.
- :func:`lrn_strength`: how far each LRN layer of a trained model is from a constant rescaling.
- Lesson 06: :func:`normalisation_comparison` trains ``alexnet("cifar")`` with batch norm, LRN or no
  normalisation (:func:`normalisation_net`) on inputs at the paper's 0–255 scale (:func:`scaled_input`);
  :func:`lrn_factors` and :func:`lrn_factor_table` measure how much LRN's factor varies at each input scale.

The models come from :mod:`helpers.alexnet_model` (``alexnet``, ``figure1_net``); the evaluation
loop is :func:`helpers.train.evaluate`.

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
from keras import ops

from ._checks import check_bool, check_real, int_sequence, non_negative_int, one_of, positive_int
from .alexnet_model import LocalResponseNormalization, alexnet, figure1_net
from .train import evaluate


# --------------------------------------------------------------------------- argument checks
def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _images(name: str, value) -> np.ndarray:
    try:
        x = np.asarray(value)
    except (TypeError, ValueError):
        x = np.asarray(None)
    if x.ndim < 2 or x.dtype.kind not in "iuf" or len(x) == 0:
        raise ValueError(f"{name} must be a non-empty array of images (N, H, W, C) of numbers, got {_short(value)}")
    return x


def _labels(name: str, value, n: int) -> np.ndarray:
    try:
        y = np.asarray(value)
    except (TypeError, ValueError):
        y = np.asarray(None)
    if y.dtype.kind not in "iu" or y.ndim == 0 or y.size != n or np.any(y < 0):
        raise ValueError(f"{name} must hold one class index (an integer >= 0) for each of the {n} images, "
                         f"got {_short(value)}")
    return y


def _pair(name: str, value, labels: bool = True):
    """``(x, y)``: images and as many labels (``labels=False``: ``y`` is only passed on)."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ValueError(f"{name} must be a pair (x, y) of images and their labels, got {_short(value)}")
    x = _images(f"{name}[0]", value[0])
    if labels:
        _labels(f"{name}[1]", value[1], len(x))
    return value


def _model(name: str, value):
    if not isinstance(value, keras.Model):
        raise TypeError(f"{name} must be a Keras model, got {_short(value)}")
    return value


def _record(name: str, value, *keys):
    keys = keys or ("train_error",)
    if not isinstance(value, dict) or any(not isinstance(value.get(k), (list, tuple)) for k in keys):
        raise ValueError(f"{name} must be a record of train_and_record: a dict with lists {', '.join(map(repr, keys))}; "
                         f"got {_short(value)}")
    for k in keys:
        if not value[k] or any(not isinstance(e, (int, float)) or isinstance(e, bool) for e in value[k]):
            raise ValueError(f"{name}[{k!r}] must be a non-empty list of error rates, got {_short(value[k])}")
    return value


def _optional(check, name: str, value):
    return None if value is None else check(name, value)


def _build(value):
    if value is not None and not callable(value):
        raise TypeError(f"build must be None or a function that returns a fresh model, got {_short(value)}")
    return value


def _as_float32(batch):
    return np.asarray(batch, dtype="float32")


# --------------------------------------------------------------------------- data
def cifar_arrays(subset):
    """CIFAR-10 ``subset`` (see :func:`helpers.load_cifar10`) as float32 in [0, 1] and flat int labels."""
    from .data import load_cifar10

    (xtr, ytr), (xte, yte) = load_cifar10(subset=subset)
    return ((xtr.astype("float32") / 255.0, ytr.reshape(-1).astype("int32")),
            (xte.astype("float32") / 255.0, yte.reshape(-1).astype("int32")))


def center(train, *others):
    """Subtract the per-channel mean of the training images from every set (train first).

    Sets are ``(x, y)`` pairs; ``y`` is passed through. Returns a tuple of the centred pairs.

    >>> x = np.ones((2, 1, 1, 3), "float32"); x[1] = 3
    >>> (xc, _), = center((x, [0, 1]))
    >>> xc[:, 0, 0, 0].tolist()
    [-1.0, 1.0]
    """
    _pair("train", train, labels=False)
    for i, other in enumerate(others):
        _pair(f"others[{i}]", other, labels=False)
        if np.shape(other[0])[-1] != np.shape(train[0])[-1]:
            raise ValueError(f"others[{i}] must have the channels of train ({np.shape(train[0])[-1]}), "
                             f"got shape {np.shape(other[0])}")
    mean = np.asarray(train[0], dtype=np.float32).mean(axis=tuple(range(np.ndim(train[0]) - 1)))
    return tuple((np.asarray(x, dtype=np.float32) - mean, y) for x, y in (train, *others))


# --------------------------------------------------------------------------- one training run
def train_and_record(model, train, test=None, *, epochs: int | None = None, batch_size: int = 64,
                     learning_rate: float = 0.01, momentum: float = 0.9, optimizer: str = "sgd", seed: int = 1998,
                     eval_train: int | None = None, stop_at: float | None = None, eval_every: int | None = None,
                     max_steps: int | None = None) -> dict:
    """Compile with SGD + momentum (the paper's optimiser; ``optimizer="adam"`` for Adam), fit, and
    record error rates as training goes.

    Returns ``{"steps": [...], "train_error": [...], "test_error": [...], "steps_per_epoch": int}``:
    after every ``eval_every`` mini-batch iterations (default: every epoch) the error of the model in
    inference mode on (the first ``eval_train`` of) the training set, and on ``test`` if given (else
    ``test_error`` stays empty). Inference mode makes the training error comparable between models
    with and without dropout. ``stop_at``: stop once the training error is at or below it (a race to
    a target error); ``max_steps``: stop after that many iterations (default ``epochs`` epochs).

    Why not :func:`helpers.train.fit`: this loop records errors every few *iterations* and stops at a
    target error, and it trains on float arrays with Keras' own shuffling; ``fit`` converts uint8
    batches in its own seeded order (``helpers.train.Batches``) and records once per epoch. Training
    through ``fit`` would draw other mini-batches, so lesson 05's stored numbers would change; this
    function keeps them and shares the evaluation (:func:`error_rate` runs :func:`helpers.train.evaluate`).

    >>> rec = train_and_record(model, (x, y), epochs=2, eval_every=5)   # doctest: +SKIP
    >>> rec["steps"]                                                     # doctest: +SKIP
    [5, 10, ...]
    """
    _model("model", model)
    (xtr, ytr) = _pair("train", train)
    if test is not None:
        _pair("test", test)
    batch_size = positive_int("batch_size", batch_size)
    epochs = _optional(positive_int, "epochs", epochs)
    max_steps = _optional(positive_int, "max_steps", max_steps)
    eval_every = _optional(positive_int, "eval_every", eval_every)
    eval_train = _optional(positive_int, "eval_train", eval_train)
    check_real("learning_rate", learning_rate, low=0, low_open=True)
    momentum = check_real("momentum", momentum, low=0)
    if not momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
    one_of("optimizer", optimizer, ("sgd", "adam"))
    seed = non_negative_int("seed", seed)
    stop_at = _optional(lambda n, v: check_real(n, v, low=0, high=1), "stop_at", stop_at)
    steps_per_epoch = -(-len(xtr) // batch_size)
    if max_steps is None and epochs is None:
        raise ValueError("give epochs or max_steps (how long to train), got neither")
    max_steps = max_steps if max_steps is not None else epochs * steps_per_epoch
    every = eval_every if eval_every is not None else steps_per_epoch
    keras.utils.set_random_seed(seed)
    opt = (keras.optimizers.SGD(learning_rate, momentum=momentum) if optimizer == "sgd"
           else keras.optimizers.Adam(learning_rate))
    model.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
    xe, ye = (xtr, ytr) if eval_train is None else (xtr[:eval_train], ytr[:eval_train])
    record = {"steps": [], "train_error": [], "test_error": [], "steps_per_epoch": steps_per_epoch}

    class _Errors(keras.callbacks.Callback):
        step = 0

        def on_train_batch_end(self, batch, logs=None):
            self.step += 1
            if self.step % every and self.step < max_steps:
                return
            record["steps"].append(self.step)
            record["train_error"].append(error_rate(self.model, xe, ye))
            if test is not None:
                record["test_error"].append(error_rate(self.model, *test))
            if self.step >= max_steps or (stop_at is not None and record["train_error"][-1] <= stop_at):
                self.model.stop_training = True

    model.fit(xtr, ytr, epochs=-(-max_steps // steps_per_epoch), batch_size=batch_size, shuffle=True, verbose=0,
              callbacks=[_Errors()])
    return record


def error_rate(model, x, y, batch_size: int = 500) -> float:
    """Share of ``x`` (float images, fed as they are) that ``model`` in inference mode classifies
    differently from the labels ``y``: :func:`helpers.train.evaluate`, counted as wrong / all.

    >>> error_rate(model, x_test, y_test)          # doctest: +SKIP
    0.4105
    """
    _model("model", model)
    x = _images("x", x)
    y = _labels("y", y, len(x))
    batch_size = positive_int("batch_size", batch_size)
    predicted = evaluate(model, (x, y), preprocess=_as_float32, batch_size=batch_size)["predicted"]
    return float(np.mean(predicted != y.reshape(-1)))


def steps_to_error(record: dict, target: float = 0.25):
    """Training iterations until the recorded training error first reaches ``target``, or None if it
    never did. Uses ``record["steps"]`` when present, else one record per epoch.

    >>> steps_to_error({"steps": [10, 20, 30], "train_error": [0.6, 0.3, 0.2]}, 0.25)
    30
    """
    target = check_real("target", target, low=0)
    _record("record", record)
    steps = record.get("steps")
    if steps:
        steps = int_sequence("record['steps']", steps)
        if len(steps) != len(record["train_error"]):
            raise ValueError(f"record['steps'] must have one entry per record['train_error'], got {len(steps)} "
                             f"and {len(record['train_error'])}")
    else:
        per_epoch = positive_int("record['steps_per_epoch']", record.get("steps_per_epoch"))
        steps = [e * per_epoch for e in range(1, len(record["train_error"]) + 1)]
    for step, err in zip(steps, record["train_error"]):
        if err <= target:
            return step
    return None


# --------------------------------------------------------------------------- experiments
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
    _pair("train", train)
    if not isinstance(learning_rates, dict):
        raise TypeError(f"learning_rates must map each activation to the learning rates to try, "
                        f"e.g. {{'relu': (0.01, 0.03)}}; got {_short(learning_rates)}")
    for activation, rates in learning_rates.items():
        if not isinstance(activation, str):
            raise TypeError(f"learning_rates must be keyed by activation names such as 'relu', got {activation!r}")
        if not isinstance(rates, (tuple, list)) or not rates:
            raise ValueError(f"learning_rates[{activation!r}] must be a non-empty sequence of learning rates, "
                             f"got {_short(rates)}")
        for lr in rates:
            check_real(f"learning_rates[{activation!r}]", lr, low=0, low_open=True)
    target = check_real("target", target, low=0)
    max_steps = positive_int("max_steps", max_steps)
    eval_every = positive_int("eval_every", eval_every)
    batch_size = positive_int("batch_size", batch_size)
    seed = non_negative_int("seed", seed)
    stop_losers = check_bool("stop_losers", stop_losers)
    build = _build(build) or figure1_net
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
    target = check_real("target", target, low=0)
    if not isinstance(race, dict):
        raise TypeError(f"race must be the dict that learning_rate_race returns, got {_short(race)}")
    for key, rec in race.items():
        if not isinstance(key, tuple) or len(key) != 2:
            raise ValueError(f"race must be keyed by (activation, learning rate), got key {_short(key)}")
        _record(f"race[{key!r}]", rec)
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
    ``"model"`` (for a closer look, e.g. :func:`lrn_strength`).
    """
    if not isinstance(setups, dict) or any(not isinstance(k, str) or not isinstance(v, dict)
                                           for k, v in setups.items()):
        raise TypeError(f"setups must map each set-up's name to keyword arguments of build, e.g. "
                        f"{{'baseline': {{}}, 'no LRN': {{'lrn': False}}}}; got {_short(setups)}")
    _pair("train", train)
    _pair("test", test)
    epochs = positive_int("epochs", epochs)
    seeds = int_sequence("seeds", seeds)
    for i, seed in enumerate(seeds):
        non_negative_int(f"seeds[{i}]", seed)
    check_real("learning_rate", learning_rate, low=0, low_open=True)
    one_of("optimizer", optimizer, ("sgd", "adam"))
    batch_size = positive_int("batch_size", batch_size)
    eval_train = _optional(positive_int, "eval_train", eval_train)
    eval_every = _optional(positive_int, "eval_every", eval_every)
    keep_models = check_bool("keep_models", keep_models)
    build = _build(build) or (lambda **kw: alexnet("cifar-classic", **{"width": 0.5, "kernel_initializer": "he_normal", **kw}))
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
    if not isinstance(runs, dict):
        raise TypeError(f"runs must be the dict that compare_setups returns, got {_short(runs)}")
    for name, rec in runs.items():
        if not isinstance(name, str):
            raise TypeError(f"runs must be keyed by set-up names (strings), got {name!r}")
        _record(f"runs[{name!r}]", rec, "train_error", "test_error")
    return [(name, rec["train_error"][-1], rec["test_error"][-1], rec["test_error"][-1] - rec["train_error"][-1])
            for name, rec in runs.items()]


def format_gap_table(runs: dict) -> str:
    """:func:`gap_rows` as an aligned text table (errors to 3 decimals).

    >>> print(format_gap_table({"a": {"train_error": [0.1], "test_error": [0.4]}}))
    set-up                 train error  test error    gap
    a                            0.100       0.400  0.300
    """
    rows = gap_rows(runs)
    width = max([20] + [len(name) for name in runs])
    lines = [f"{'set-up':{width}s} {'train error':>13s} {'test error':>11s} {'gap':>6s}"]
    lines += [f"{name:{width}s} {tr:13.3f} {te:11.3f} {gap:6.3f}" for name, tr, te, gap in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------- a closer look
def lrn_strength(model, x) -> dict:
    """For each LRN layer of ``model`` on inputs ``x``: how far its divisor is from a constant.

    Returns ``{layer name: (mean, max)}`` of ``alpha * sum(a**2) / bias`` over all positions: when
    these are tiny, ``(bias + alpha * sum) ** beta`` is about ``bias ** beta`` everywhere and the
    layer only rescales by the constant ``bias ** -beta`` (0.59 for the paper's k=2, β=0.75).

    >>> lrn_strength(runs["baseline"]["model"], x_test[:200])   # doctest: +SKIP
    {'lrn1': (0.0004, 0.01), 'lrn2': (0.002, 0.03)}
    """
    _model("model", model)
    x = _images("x", x)
    expected = tuple(model.inputs[0].shape[1:]) if getattr(model, "inputs", None) else None
    if expected is not None and (len(expected) != x.ndim - 1 or any(
            e is not None and e != s for e, s in zip(expected, x.shape[1:]))):
        raise ValueError(f"x must be a batch of the model's inputs, shape (N, {', '.join(map(str, expected))}); "
                         f"got shape {x.shape}")
    out = {}
    for layer in model.layers:
        if isinstance(layer, LocalResponseNormalization):
            probe = keras.Model(model.inputs[0], layer.input)
            # a direct call, not predict(): no tf.function is traced per probe (TensorFlow warns
            # about retracing when several probes run in one cell)
            a = np.asarray(ops.convert_to_numpy(probe(np.asarray(x), training=False)), dtype=np.float64)
            r = layer.depth_radius
            sq = np.pad(a ** 2, [(0, 0)] * (a.ndim - 1) + [(r, r)])
            total = sum(sq[..., i:i + a.shape[-1]] for i in range(2 * r + 1))
            ratio = layer.alpha * total / layer.bias
            out[layer.name] = (float(ratio.mean()), float(ratio.max()))
    return out


__all__ = ["cifar_arrays", "center", "train_and_record", "error_rate", "steps_to_error", "learning_rate_race", "fastest",
           "compare_setups", "gap_rows", "format_gap_table", "lrn_strength"]


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
    from .preprocessing import channel_stats, normalizer

    if isinstance(scale, bool) or not isinstance(scale, (int, float, np.integer, np.floating)) or not scale > 0:
        raise ValueError(f"scale must be a positive number (1: inputs /255, 255: the paper's 0–255), got {scale!r}")
    x_train = _images("x_train", x_train)
    if x_train.ndim != 4:
        raise ValueError(f"x_train must be images (N, H, W, C), got shape {x_train.shape}")
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

    one_of("kind", kind, NORMALISATIONS)
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

    _pair("train", train)
    _pair("val", val)
    if isinstance(kinds, str) or not isinstance(kinds, (list, tuple)) or not kinds:
        raise TypeError(f"kinds must be a non-empty list of {NORMALISATIONS}; got {_short(kinds)}")
    for i, kind in enumerate(kinds):
        one_of(f"kinds[{i}]", kind, NORMALISATIONS)
    epochs, batch_size = positive_int("epochs", epochs), positive_int("batch_size", batch_size)
    learning_rate = check_real("learning_rate", learning_rate, low=0, low_open=True)
    check_real("scale", scale, low=0, low_open=True)
    check_real("width", width, low=1 / 64, high=64)
    if quick is not None:
        check_bool("quick", quick)
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

    _model("model", model)
    x = _images("x", x)
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
    _model("model", model)
    x_uint8 = _images("x_uint8", x_uint8)
    if isinstance(scales, str) or not isinstance(scales, (list, tuple)) or not scales:
        raise TypeError(f"scales must be a non-empty list of positive numbers; got {_short(scales)}")
    for i, scale in enumerate(scales):
        check_real(f"scales[{i}]", scale, low=0, low_open=True)
    if isinstance(quantiles, str) or not isinstance(quantiles, (list, tuple)) or not quantiles:
        raise TypeError(f"quantiles must be a non-empty list of numbers in [0, 1]; got {_short(quantiles)}")
    for i, q in enumerate(quantiles):
        check_real(f"quantiles[{i}]", q, low=0, high=1)
    rows = []
    for scale in scales:
        factors = lrn_factors(model, scaled_input(x_train, scale)(x_uint8))
        for name, values in factors.items():
            rows.append((scale, name, *np.quantile(values, quantiles).tolist()))
    return rows


__all__ += ["NORMALISATIONS", "scaled_input", "normalisation_net", "normalisation_comparison", "lrn_factors",
            "lrn_factor_table"]
