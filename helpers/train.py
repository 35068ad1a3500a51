"""One training recipe for the lessons: compile, fit with compact progress, time every epoch.

:func:`fit` keeps the data set as uint8 and converts one batch at a time to the model's float input
(a ``keras.utils.PyDataset``), so MNIST costs 47 MB of memory instead of 250 MB of float32. It honours
quick mode (:func:`helpers.quick_mode`: a small subset and at most ``quick_epochs`` epochs), seeds
Keras, NumPy and the shuffling, records the wall time of each epoch, and shows one progress line per
epoch (updated in place in a notebook; a ``\\r`` bar in a terminal). It accepts a
``tf.distribute`` strategy: pass a function that builds the model, and it is built and compiled inside
``strategy.scope()``.

On MNIST (not run by the doctests, ``# doctest: +SKIP``: it needs the data set and trains for about
80 s; the times are from a busy 2-core machine):

>>> import helpers
>>> data = helpers.load_mnist()                                           # doctest: +SKIP
>>> run = fit(helpers.lenet5("modern"), data, epochs=5)                   # doctest: +SKIP
epoch 1/5 [==============================] 469/469  accuracy 0.9111  loss 0.3046  val_accuracy 0.9721  val_loss 0.0900  22.7 s
...
>>> round(run.history["val_accuracy"][-1], 4), len(run.epoch_times)      # doctest: +SKIP
(0.9879, 5)

The same call on 64 blank digits, silent, runs in a few seconds:

>>> import numpy as np
>>> x, y = np.zeros((64, 28, 28), "uint8"), np.arange(64) % 10
>>> run = fit(helpers.lenet5("modern"), (x, y), epochs=2, quick=False, verbose=None)
>>> len(run.epoch_times), run.n_train, sorted(run.history)
(2, 64, ['accuracy', 'loss'])
"""

from __future__ import annotations

import math
import sys
import time

import keras
import numpy as np

from ._checks import (check_array, check_bool, check_callable, check_model, check_real, check_seed, class_labels,
                      is_int, non_negative_int, positive_int)
from .config import DEFAULT_SEED, quick_mode

#: quick mode (CNN_QUICK=1): training and test examples kept, and the most epochs run
QUICK_SUBSET = (2000, 500)
QUICK_EPOCHS = 2


# --------------------------------------------------------------------------- data
def default_preprocess(model):
    """uint8 batch -> float32 in [0, 1], with a channel axis, centre-padded to the model's input size
    (left as it is for a model built for any size, ``keras.Input((None, None, C))``)."""
    check_model("model", model)
    shape = model.input_shape
    if not isinstance(shape, tuple) or len(shape) not in (3, 4):
        raise ValueError(f"model: the default preprocessing feeds images to a model with one (height, width"
                         f"[, channels]) input; {model.name!r} takes {shape}. Pass preprocess= for this model")
    target = tuple(d or 0 for d in shape[1:3])

    def preprocess(x):
        x = np.asarray(x)
        if x.ndim not in (3, 4):
            raise ValueError(f"x must be a batch of images (N, H, W) or (N, H, W, C) for the default "
                             f"preprocessing; got shape {x.shape}. Pass preprocess= for other inputs")
        if x.ndim == 3:
            x = x[..., None]
        y = x.astype("float32") * np.float32(1 / 255)
        dh, dw = target[0] - y.shape[1], target[1] - y.shape[2]
        if dh > 0 or dw > 0:
            y = np.pad(y, ((0, 0), (dh // 2, dh - dh // 2), (dw // 2, dw - dw // 2), (0, 0)))
        return y

    return preprocess


class Batches(keras.utils.PyDataset):
    """Batches of ``(preprocess(x[i]), y[i])`` from arrays that stay as they are (uint8) in memory.

    With ``shuffle=True`` the order is a fresh permutation each epoch from a generator seeded by ``seed``.
    ``augment(x, rng)`` (e.g. :class:`helpers.augment.FlipTranslate`) transforms each uint8 batch first
    (an augmentation with a true ``needs_index`` is also given ``index=`` the images' positions in ``x`` and
    ``epoch=``, counted from 0; under :func:`fit`, as under Keras' ``fit``, training starts at epoch 1);
    ``num_classes`` turns the labels into one-hot rows, smoothed by ``label_smoothing``.
    """

    def __init__(self, x, y, batch_size=128, preprocess=None, shuffle=False, seed=DEFAULT_SEED,
                 augment=None, num_classes=None, label_smoothing=0.0):
        super().__init__()
        x = x if isinstance(x, np.ndarray) else check_array("x", x)  # an array stays as it is (no copy)
        if x.ndim < 2 or x.dtype.kind not in "iuf":
            raise ValueError(f"x must be an array of examples (N, ...) of numbers, e.g. uint8 images; got "
                             f"dtype {x.dtype}, shape {x.shape}")
        labels = class_labels("y", y)
        if len(labels) != len(x):
            raise ValueError(f"x and y must have one label per example; got {len(x)} examples and "
                             f"{len(labels)} labels (y of shape {np.shape(y)})")
        self.x, self.y = x, labels.astype("int32")
        self.batch_size = positive_int("batch_size", batch_size)
        self.preprocess = (check_callable("preprocess", preprocess, "a function of a batch", optional=True)
                           or (lambda b: np.asarray(b, dtype="float32")))
        self.shuffle = check_bool("shuffle", shuffle)
        seed = check_seed("seed", seed)
        self.augment = check_callable("augment", augment, "a function augment(x, rng)", optional=True)
        if num_classes is not None:
            num_classes = positive_int("num_classes", num_classes)
            if len(labels) and labels.max() >= num_classes:
                raise ValueError(f"num_classes={num_classes} allows labels 0 to {num_classes - 1}, but y holds "
                                 f"label {int(labels.max())}")
        self.num_classes = num_classes
        self.label_smoothing = _smoothing(label_smoothing)
        if self.label_smoothing and num_classes is None:
            raise ValueError(f"label_smoothing={label_smoothing!r} smooths one-hot targets: give num_classes too")
        self._rng = np.random.default_rng(seed)
        self._order = self._rng.permutation(len(x)) if shuffle else np.arange(len(x))
        self._aug_rng = np.random.default_rng([seed, 1])
        self.epoch = 0

    def __len__(self):
        return math.ceil(len(self.x) / self.batch_size)

    def __getitem__(self, i):
        idx = np.sort(self._order[i * self.batch_size:(i + 1) * self.batch_size])
        x, y = self.x[idx], self.y[idx]
        if self.augment is not None:
            if getattr(self.augment, "needs_index", False):
                x = self.augment(x, self._aug_rng, index=idx, epoch=self.epoch)
            else:
                x = self.augment(x, self._aug_rng)
        if self.num_classes:  # one-hot targets (for label smoothing), smoothed as Keras would
            target = np.full((len(y), self.num_classes), self.label_smoothing / self.num_classes, "float32")
            target[np.arange(len(y)), y] += 1.0 - self.label_smoothing
            y = target
        return self.preprocess(x), y

    def on_epoch_end(self):
        self.epoch += 1
        if self.shuffle:
            self._order = self._rng.permutation(len(self.x))


def keras_input(batches: Batches, shuffle: bool = False):
    """What :func:`fit` hands to Keras for ``batches``: under TensorFlow, the ``tf.data`` pipeline Keras itself
    would build for this ``PyDataset``, but with tf.data's autotuning switched off; under other backends,
    ``batches`` itself.

    Why: Keras builds a new input iterator every epoch, and tearing down the old one waits for tf.data's
    autotuning thread, which sleeps up to a minute between rounds. On this project's machine that left the
    process idle for 30-40 s at the end of many long epochs (``docs/benchmarks.md``). The pipeline is the
    same as Keras': the output signature is read from the first two batches, each epoch visits the batches
    in an order drawn with Python's ``random.shuffle`` when ``shuffle`` is true. Only the prefetching differs:
    one batch ahead, where Keras lets the autotuner size that buffer. So the images, their order and their
    augmentations are those Keras would feed (``tests/test_train.py`` checks it batch by batch). Keras calls
    ``batches.on_epoch_end()`` itself only for a ``PyDataset``, so :func:`fit` adds
    :class:`EpochEnd` (``batches``) to its callbacks.

    >>> import numpy as np
    >>> b = Batches(np.zeros((5, 2, 2), "uint8"), np.arange(5), batch_size=2)
    >>> [tuple(x.shape) for x, _ in keras_input(b)]
    [(2, 2, 2), (2, 2, 2), (1, 2, 2)]
    """
    if not isinstance(batches, Batches):
        raise TypeError(f"batches must be a helpers.train.Batches; got {type(batches).__name__}")
    shuffle = check_bool("shuffle", shuffle)
    if keras.backend.backend() != "tensorflow":
        return batches
    import random

    import tensorflow as tf

    first = [batches[i] for i in range(min(2, len(batches)))]   # as Keras reads its signature (same draws)
    if not first:
        raise ValueError("batches is empty: there is nothing to train on")
    spec = tuple(tf.TensorSpec((None,) + np.shape(a)[1:], tf.as_dtype(np.asarray(a).dtype)) for a in first[0])

    def batches_of_one_epoch():
        order = list(range(len(batches)))
        if shuffle:
            random.shuffle(order)
        for i in order:
            yield batches[i]

    options = tf.data.Options()
    options.autotune.enabled = False
    ds = tf.data.Dataset.from_generator(batches_of_one_epoch, output_signature=spec)
    ds = ds.apply(tf.data.experimental.assert_cardinality(len(batches))).prefetch(1)
    return ds.with_options(options)


class EpochEnd(keras.callbacks.Callback):
    """Calls ``batches.on_epoch_end()`` when training starts and after each training epoch, as Keras' ``fit``
    does for a ``PyDataset`` it is given itself (see :func:`keras_input`): Keras' epoch iterator ends an
    epoch once as ``fit`` starts, so the first epoch trains on the order (and ``epoch`` 1) that follows it."""

    def __init__(self, batches: Batches):
        super().__init__()
        self.batches = batches

    def on_train_begin(self, logs=None):
        self.batches.on_epoch_end()

    def on_epoch_end(self, epoch, logs=None):
        self.batches.on_epoch_end()


def _smoothing(value) -> float:
    value = check_real("label_smoothing", value, low=0)
    if value >= 1:
        raise ValueError(f"label_smoothing must be in [0, 1), got {value!r}")
    return value


def _pair_of_arrays(name: str, pair) -> tuple:
    """``(x, y)``: examples (an array, kept as it is) and one whole class label >= 0 for each."""
    if isinstance(pair, (str, bytes)) or not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError(f"{name} must be a pair (x, y) of examples and labels; got {type(pair).__name__}")
    x, y = pair
    x = x if isinstance(x, np.ndarray) else check_array(f"{name} x", x)
    if x.ndim < 2 or x.dtype.kind not in "iuf":
        raise ValueError(f"{name}: x must be an array of examples (N, ...) of numbers, e.g. uint8 images; got "
                         f"dtype {x.dtype}, shape {x.shape}")
    labels = class_labels(f"{name} y", y)
    if len(labels) != len(x):
        raise ValueError(f"{name}: x and y must have one label per example; got {len(x)} examples and "
                         f"{len(labels)} labels")
    return x, y


def _split(data):
    """((x, y), (x_val, y_val)) or (x, y) -> (x, y, x_val, y_val | None), each pair checked."""
    usage = ("data must be (x_train, y_train) or ((x_train, y_train), (x_test, y_test)), as "
             "helpers.load_mnist returns")
    if isinstance(data, (str, bytes)) or not isinstance(data, (tuple, list)) or len(data) != 2:
        raise ValueError(f"{usage}; got a {type(data).__name__}")
    if isinstance(data[0], (tuple, list)):
        x, y = _pair_of_arrays("data[0]", data[0])
        if data[1] is None:
            return x, y, None, None
        x_val, y_val = _pair_of_arrays("data[1]", data[1])
        return x, y, x_val, y_val
    x, y = _pair_of_arrays("data", data)
    return x, y, None, None


# --------------------------------------------------------------------------- progress and timing
def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class EpochTimer(keras.callbacks.Callback):
    """Records each epoch's training wall time (without validation) and its total wall time."""

    def __init__(self):
        super().__init__()
        self.train_times: list[float] = []
        self.wall_times: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._t0 = time.perf_counter()
        self._t_train = None

    def on_test_begin(self, logs=None):
        if getattr(self, "_t0", None) is not None and self._t_train is None:
            self._t_train = time.perf_counter() - self._t0

    def on_epoch_end(self, epoch, logs=None):
        wall = time.perf_counter() - self._t0
        self.train_times.append(self._t_train if self._t_train is not None else wall)
        self.wall_times.append(wall)
        self._t0 = None


class CompactProgress(keras.callbacks.Callback):
    """One line per epoch: a bar while it runs, then the epoch's metrics and time.

    ``mode="bar"`` updates the line in place (a display handle in Jupyter, ``\\r`` in a terminal);
    ``mode="epoch"`` prints only the finished line. ``timer`` (an :class:`EpochTimer`) supplies the time.
    """

    WIDTH = 30

    def __init__(self, epochs, steps, timer, mode="bar", stream=None):
        super().__init__()
        self.epochs, self.steps, self.timer, self.mode = epochs, steps, timer, mode
        self.stream = stream or sys.stdout
        self.every = max(1, steps // 20)
        self.notebook = _in_notebook() and stream is None
        self._handle = None

    def _show(self, text, final=False):
        if self.notebook:
            from IPython.display import Pretty, display

            if self._handle is None:
                self._handle = display(Pretty(text), display_id=True)
            else:
                self._handle.update(Pretty(text))
        else:
            self.stream.write(("\r" if self.mode == "bar" else "") + text + ("\n" if final else ""))
            self.stream.flush()

    def _bar(self, done):
        filled = round(self.WIDTH * done / self.steps)
        return f"epoch {self.epoch + 1}/{self.epochs} [{'=' * filled}{'.' * (self.WIDTH - filled)}] {done}/{self.steps}"

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch
        self._handle = None
        if self.mode == "bar":
            self._show(self._bar(0))

    def on_train_batch_end(self, batch, logs=None):
        if self.mode == "bar" and (batch + 1) % self.every == 0 and batch + 1 < self.steps:
            self._show(self._bar(batch + 1))

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        parts = [f"{k} {v:.4f}" for k, v in logs.items() if k in ("loss", "accuracy", "val_loss", "val_accuracy")]
        seconds = self.timer.train_times[-1] if self.timer.train_times else float("nan")
        self._show(f"{self._bar(self.steps)}  {'  '.join(parts)}  {seconds:.1f} s", final=True)


# --------------------------------------------------------------------------- the recipe
class TrainResult:
    """What :func:`fit` returns: like Keras' ``History`` (``.history``, ``.epoch``, ``.model``) plus times.

    ``epoch_times``: training wall time of each epoch in seconds (validation excluded);
    ``epoch_wall_times``: with validation; ``total_time``: sum of ``epoch_times``; ``quick``: whether
    quick mode shortened the run; ``n_train``: training examples used.
    """

    def __init__(self, model, history, timer, quick, n_train, batch_size, preprocess):
        self.model = check_model("model", model)
        if not isinstance(getattr(history, "history", None), dict) or not hasattr(history, "epoch"):
            raise TypeError(f"history must be what Keras' Model.fit returns (a History with .history and "
                            f".epoch); got {type(history).__name__}")
        if not isinstance(timer, EpochTimer):
            raise TypeError(f"timer must be the EpochTimer that timed the run; got {type(timer).__name__}")
        check_bool("quick", quick)
        non_negative_int("n_train", n_train)
        positive_int("batch_size", batch_size)
        check_callable("preprocess", preprocess, "the function that converted each batch")
        self.history = {k: [float(v) for v in vals] for k, vals in history.history.items()}
        self.epoch = list(history.epoch)
        self.epoch_times = list(timer.train_times)
        self.epoch_wall_times = list(timer.wall_times)
        self.quick = quick
        self.n_train = n_train
        self.batch_size = batch_size
        self.preprocess = preprocess

    @property
    def total_time(self) -> float:
        return float(sum(self.epoch_times))

    @property
    def time_per_epoch(self) -> float:
        """Median training time of an epoch (the first includes graph tracing, so the median is fairer)."""
        return float(np.median(self.epoch_times)) if self.epoch_times else float("nan")

    def time_to(self, value: float, metric: str = "val_accuracy"):
        """Cumulative training time (s) at the end of the first epoch whose ``metric`` reached ``value``;
        ``None`` if it never did."""
        total = 0.0
        for t, v in zip(self.epoch_times, self.history.get(metric, [])):
            total += t
            if v >= value:
                return total
        return None

    def __repr__(self):
        last = {k: round(v[-1], 4) for k, v in self.history.items()}
        return f"TrainResult(epochs={len(self.epoch)}, last={last}, total_time={self.total_time:.1f}s)"


def cosine_schedule(peak: float, total_steps: int, warmup_steps: int = 0, start_fraction: float = 0.1,
                    final_fraction: float = 0.0):
    """Learning rate: a linear warm-up from ``start_fraction * peak`` to ``peak`` over ``warmup_steps``,
    then a cosine decay to ``final_fraction * peak`` at ``total_steps`` (a "one-cycle"-like schedule).

    >>> s = cosine_schedule(1e-2, total_steps=100, warmup_steps=10)
    >>> round(float(s(0)), 6), round(float(s(10)), 6), round(float(s(100)), 6)
    (0.001, 0.01, 0.0)
    """
    peak = check_real("peak", peak, low=0, low_open=True)  # "peak must be > 0": a positive learning rate
    total_steps = positive_int("total_steps", total_steps)
    warmup_steps = non_negative_int("warmup_steps", warmup_steps)
    start_fraction = check_real("start_fraction", start_fraction, low=0, high=1)
    final_fraction = check_real("final_fraction", final_fraction, low=0, high=1)
    if not 0 <= warmup_steps < total_steps:
        raise ValueError(f"warmup_steps must be in 0..total_steps-1 = 0..{total_steps - 1}, got {warmup_steps!r}")
    if warmup_steps == 0:
        return keras.optimizers.schedules.CosineDecay(peak, total_steps, alpha=final_fraction)
    return keras.optimizers.schedules.CosineDecay(peak * start_fraction, total_steps - warmup_steps,
                                                  alpha=final_fraction, warmup_target=peak,
                                                  warmup_steps=warmup_steps)


def _make_optimizer(optimizer, learning_rate):
    if isinstance(optimizer, keras.optimizers.Optimizer):
        return optimizer
    if callable(optimizer):  # a factory, called inside a distribution strategy's scope
        return optimizer()
    opt = keras.optimizers.get(optimizer)
    if isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        return type(opt).from_config({**opt.get_config(), "learning_rate": learning_rate})
    if learning_rate is not None:
        opt.learning_rate = learning_rate
    return opt


# --------------------------------------------------------------------------- fit, in its steps
def _check_recipe(optimizer, learning_rate, seed, strategy, preprocess, verbose, callbacks, schedule,
                  warmup_epochs, augment) -> None:
    """The arguments of :func:`fit` that only pass on to Keras or to :class:`Batches`, checked up front."""
    if isinstance(optimizer, str):
        try:
            keras.optimizers.get(optimizer)
        except (ValueError, TypeError, KeyError):
            raise ValueError(f"optimizer must be the name of a Keras optimizer ('adam', 'sgd', 'rmsprop', ...), "
                             f"an optimizer or a function returning one; got {optimizer!r}") from None
    elif not isinstance(optimizer, keras.optimizers.Optimizer):
        check_callable("optimizer", optimizer, "a Keras optimizer, its name or a function returning one")
    if learning_rate is not None and not isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        check_real("learning_rate", learning_rate, low=0, low_open=True)
    check_seed("seed", seed)
    if strategy is not None and not callable(getattr(strategy, "scope", None)):
        raise TypeError(f"strategy must be a tf.distribute strategy (anything with scope()) or None; "
                        f"got {type(strategy).__name__}")
    check_callable("preprocess", preprocess, "a function of a batch", optional=True)
    if not (verbose is None or verbose is False or (is_int(verbose) and verbose == 0)
            or (isinstance(verbose, str) and verbose in ("bar", "epoch"))):
        raise ValueError(f"verbose must be one of 'bar', 'epoch', None; got {verbose!r}")
    if callbacks is not None and (not isinstance(callbacks, (list, tuple)) or not all(
            isinstance(c, keras.callbacks.Callback) for c in callbacks)):
        raise TypeError(f"callbacks must be None or a list of Keras callbacks; got {callbacks!r}")
    if not (schedule is None or (isinstance(schedule, str) and schedule == "cosine")):
        raise ValueError(f"schedule must be None or 'cosine'; got {schedule!r}")
    check_real("warmup_epochs", warmup_epochs, low=0)
    check_callable("augment", augment, "a function augment(x, rng)", optional=True)


def _run_length(data, epochs, quick, quick_subset, quick_epochs):
    """The epochs and the (train, validation) arrays to use: all of them, or quick mode's first few."""
    epochs = positive_int("epochs", 5 if epochs is None else epochs)
    quick_epochs = positive_int("quick_epochs", quick_epochs)
    if isinstance(quick_subset, (str, bytes)) or not isinstance(quick_subset, (tuple, list)) or len(quick_subset) != 2:
        raise TypeError(f"quick_subset must be a pair (training examples, test examples); got {quick_subset!r}")
    n_tr, n_te = positive_int("quick_subset[0]", quick_subset[0]), positive_int("quick_subset[1]", quick_subset[1])
    x, y, x_val, y_val = _split(data)
    if quick:
        epochs = min(epochs, quick_epochs)
        x, y = x[:n_tr], y[:n_tr]
        if x_val is not None:
            x_val, y_val = x_val[:n_te], y_val[:n_te]
    return epochs, x, y, x_val, y_val


def _compiled(model, building, strategy, optimizer, learning_rate, smooth):
    """``model`` (or the one ``model()`` builds, inside ``strategy.scope()`` if given), compiled."""

    def build_and_compile():
        m = check_model("model", model() if building else model)
        if smooth:
            loss, metrics = "categorical_crossentropy", [keras.metrics.CategoricalAccuracy(name="accuracy")]
        else:
            loss, metrics = "sparse_categorical_crossentropy", ["accuracy"]
        m.compile(optimizer=_make_optimizer(optimizer, learning_rate), loss=loss, metrics=metrics)
        return m

    if strategy is None:
        return build_and_compile()
    with strategy.scope():
        return build_and_compile()


def fit(model, data, epochs: int | None = None, batch_size: int = 128, optimizer="adam",
        learning_rate: float | None = None, seed: int = DEFAULT_SEED, quick: bool | None = None,
        strategy=None, preprocess=None, verbose="bar", callbacks=None, schedule: str | None = None,
        warmup_epochs: float = 1.0, augment=None, label_smoothing: float = 0.0,
        quick_subset=QUICK_SUBSET, quick_epochs: int = QUICK_EPOCHS) -> TrainResult:
    """Compile ``model`` (Adam, sparse categorical cross-entropy, accuracy) and train it on ``data``.

    Args:
        model: a Keras model that outputs class probabilities, or a function of no arguments that
            builds one (needed with ``strategy``, so that its weights are created in the strategy's scope).
        data: ``((x_train, y_train), (x_test, y_test))`` as :func:`helpers.load_mnist` returns (the
            second pair is used as validation data for the learning curves), or ``(x_train, y_train)``.
            Images stay uint8; ``preprocess`` converts each batch.
        epochs: default 5; in quick mode at most ``quick_epochs``.
        batch_size, optimizer, learning_rate: the recipe (Keras' optimizer names, an instance, or, with a
            ``strategy``, a function of no arguments returning one, so that it is created in the strategy's scope).
        schedule: ``None`` (constant ``learning_rate``) or ``"cosine"``: :func:`cosine_schedule` with
            ``learning_rate`` (default 1e-3) as the peak, reached after ``warmup_epochs`` epochs of
            linear warm-up, then a cosine decay to 0 at the end of the last epoch.
        seed: seeds Keras/NumPy (weights, dropout) and the shuffling, for a repeatable run.
        quick: ``None`` reads :func:`helpers.quick_mode`; ``True`` keeps the first ``quick_subset``
            (train, test) examples and at most ``quick_epochs`` epochs.
        strategy: a ``tf.distribute.Strategy`` (or anything with ``scope()``), e.g. MirroredStrategy.
        preprocess: uint8 batch -> float batch; default: scale to [0, 1], add the channel axis and
            centre-pad to the model's input size. For LeNet-5 use ``helpers.preprocessing.preprocessor(variant)``.
        verbose: ``"bar"`` (one line per epoch, updated in place), ``"epoch"`` (a line at the end of each
            epoch) or ``None``/``0`` (silent).
        callbacks: extra Keras callbacks.
        augment: ``augment(x, rng) -> x`` applied to every training batch (uint8), e.g.
            :class:`helpers.augment.FlipTranslate`; validation data is never augmented.
        label_smoothing: > 0 trains against smoothed one-hot targets (``1 - ε + ε/K`` for the true
            class, ``ε/K`` for the others; Szegedy et al. 2016) with categorical cross-entropy.

    Returns:
        :class:`TrainResult` with ``history``, ``epoch_times``, ``time_to(...)`` and the trained ``model``.
    """
    _check_recipe(optimizer, learning_rate, seed, strategy, preprocess, verbose, callbacks, schedule,
                  warmup_epochs, augment)
    quick = quick_mode() if quick is None else check_bool("quick", quick)
    batch_size = positive_int("batch_size", batch_size)
    epochs, x, y, x_val, y_val = _run_length(data, epochs, quick, quick_subset, quick_epochs)
    if preprocess is None and x.ndim not in (3, 4):
        raise ValueError(f"data: the default preprocessing takes images (N, H, W) or (N, H, W, C); got x of "
                         f"shape {x.shape}. Pass preprocess= for other inputs")
    if schedule == "cosine":
        steps = math.ceil(len(x) / batch_size)
        warmup = min(int(round(warmup_epochs * steps)), epochs * steps - 1)
        learning_rate = cosine_schedule(1e-3 if learning_rate is None else learning_rate, epochs * steps, warmup)
    building = not isinstance(model, keras.Model)
    if building:
        check_callable("model", model, "a Keras model or a function of no arguments that builds one")
    if strategy is not None and not building:
        raise ValueError("with a strategy, pass a function that builds the model (e.g. "
                         "lambda: helpers.lenet5('modern')), so that its weights are created inside "
                         "strategy.scope()")
    smooth = _smoothing(label_smoothing) > 0

    keras.utils.set_random_seed(seed)
    net = _compiled(model, building, strategy, optimizer, learning_rate, smooth)
    preprocess = preprocess or default_preprocess(net)
    classes = net.output_shape[-1] if smooth else None
    train = Batches(x, y, batch_size, preprocess, shuffle=True, seed=seed, augment=augment,
                    num_classes=classes, label_smoothing=label_smoothing)
    val = None if x_val is None else Batches(x_val, y_val, max(batch_size, 256), preprocess, num_classes=classes)
    timer = EpochTimer()
    cbs = [timer]
    if verbose:
        cbs.append(CompactProgress(epochs, len(train), timer, mode="bar" if verbose == "bar" else "epoch"))
    # under TensorFlow, Keras' own pipeline without tf.data's end-of-epoch stalls; other backends get the batches
    train_input, val_input = keras_input(train, shuffle=True), None if val is None else keras_input(val)
    if train_input is not train:
        cbs.append(EpochEnd(train))   # what Keras' epoch iterator does for a PyDataset it is given itself
    history = net.fit(train_input, validation_data=val_input, epochs=epochs, verbose=0,
                      shuffle=train_input is train,  # keras_input shuffles itself
                      callbacks=cbs + list(callbacks or []))
    return TrainResult(net, history, timer, quick, len(x), batch_size, preprocess)


def check_predictor(name: str, model):
    """Return ``model`` if :func:`predict` can use it: a Keras model, or any object with Keras'
    ``predict_on_batch`` and ``output_shape`` (a stand-in in a test); else raise TypeError."""
    if isinstance(model, keras.Model) or (callable(getattr(model, "predict_on_batch", None))
                                          and hasattr(model, "output_shape")):
        return model
    raise TypeError(f"{name} must be a Keras model (or an object with predict_on_batch and output_shape); "
                    f"got {type(model).__name__}")


def predict(model, x, preprocess=None, batch_size: int = 512) -> np.ndarray:
    """Class probabilities for uint8 images ``x``, converting one batch at a time."""
    check_predictor("model", model)
    x = x if isinstance(x, np.ndarray) else check_array("x", x)  # an array stays as it is (no copy)
    if x.ndim < 2 or x.dtype.kind not in "iuf":
        raise ValueError(f"x must be an array of examples (N, ...) of numbers, e.g. uint8 images; got "
                         f"dtype {x.dtype}, shape {x.shape}")
    check_callable("preprocess", preprocess, "a function of a batch", optional=True)
    batch_size = positive_int("batch_size", batch_size)
    preprocess = preprocess or default_preprocess(model)
    strategy = getattr(model, "distribute_strategy", None)
    if getattr(strategy, "num_replicas_in_sync", 1) > 1:  # predict_on_batch does not split over replicas
        def run(b):
            return model.predict(b, batch_size=len(b), verbose=0)
    else:
        run = model.predict_on_batch
    out = [np.asarray(run(preprocess(x[i:i + batch_size]))) for i in range(0, len(x), batch_size)]
    return np.concatenate(out) if out else np.zeros((0, model.output_shape[-1]), "float32")


def evaluate(model, data, preprocess=None, batch_size: int = 512) -> dict:
    """Accuracy and predictions of ``model`` on ``(x, y)``: ``{"accuracy", "error", "predicted", "probabilities"}``."""
    check_predictor("model", model)
    x, y = _pair_of_arrays("data", data)
    check_callable("preprocess", preprocess, "a function of a batch", optional=True)
    batch_size = positive_int("batch_size", batch_size)
    probs = predict(model, x, preprocess, batch_size)
    predicted = probs.argmax(axis=1)
    y = class_labels("data y", y)
    acc = float(np.mean(predicted == y)) if len(y) else float("nan")
    return {"accuracy": acc, "error": 1.0 - acc, "predicted": predicted, "probabilities": probs}


__all__ = ["Batches", "CompactProgress", "EpochTimer", "QUICK_EPOCHS", "QUICK_SUBSET", "TrainResult",
           "cosine_schedule", "default_preprocess", "evaluate", "fit", "predict"]
