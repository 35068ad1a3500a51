"""The contract of every public function and class of ``helpers`` (issue 18), checked with hypothesis.

For each public callable, one argument at a time is replaced by a generated bad value (wrong
type, bool for an int, non-whole or non-finite float, negative, zero, huge, empty, ragged, text)
while the others keep valid, cheap values. The call may succeed (the value happened to be
valid) or raise; the contract is that

* the only exceptions are ``ValueError`` or ``TypeError`` whose message names the argument
  (``layers[0] kernel`` names ``layers``), and
* no call allocates more than the shared size guard allows (``helpers._checks.MAX_BYTES``,
  measured with ``tracemalloc``, which sees every NumPy array).

What is covered is enumerated, not listed: every name in ``helpers.__all__`` and in the
``__all__`` (or, without one, the public definitions) of every public submodule. A new function
is therefore covered the moment it is exported. If its required arguments are not all in
:data:`VALID` (valid values by parameter name), the test fails and says what to add:

    SPECS["helpers.module.function"] = Spec(kwargs={"arg": <a small valid value>})

Work that valid arguments would start (Keras ``fit``/``predict``/``evaluate``, a data download)
is replaced by a stop signal: reaching it means the arguments were accepted, which is all this
test needs to know, so the whole run takes seconds, not a training run per example.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import inspect
import pkgutil
import re
import signal
import tracemalloc

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import helpers  # noqa: E402
from helpers import _checks  # noqa: E402

keras = pytest.importorskip("keras")

SECONDS_PER_CALL = 120  # a hang guard, not a timing: every call here takes well under a second


class _Reached(Exception):
    """Raised in place of expensive work: the call got past its argument checks."""


# --------------------------------------------------------------------------- what is public

def _public_callables() -> dict[str, object]:
    found: dict[str, object] = {}

    def add(module_name, name, obj):
        if name.startswith("_") or inspect.ismodule(obj) or not callable(obj):
            return
        if inspect.isclass(obj) and (issubclass(obj, BaseException) or hasattr(obj, "_fields")):
            return  # exceptions and NamedTuple records are data that helpers returns or raises, not functions
        key = f"{getattr(obj, '__module__', module_name)}.{getattr(obj, '__qualname__', name)}"
        found.setdefault(key, obj)

    for name in helpers.__all__:
        add("helpers", name, getattr(helpers, name))
    for info in pkgutil.walk_packages(helpers.__path__, "helpers."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n, o in vars(module).items() if getattr(o, "__module__", None) == module.__name__]
        for name in names:
            add(info.name, name, getattr(module, name))
    return found


PUBLIC = _public_callables()


# --------------------------------------------------------------------------- valid arguments

def _tiny_model():
    return keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(2, 3, name="conv"),
                             keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")])


def _trace():
    return helpers.shape_trace(_tiny_model(), (8, 8, 1))


def _history():
    history = keras.callbacks.History()
    history.history, history.epoch = {"loss": [1.0, 0.5]}, [0, 1]
    return history


def _timer():
    timer = helpers.train.EpochTimer()
    timer.train_times, timer.wall_times = [1.0, 1.0], [1.2, 1.2]
    return timer


def _cifar_data():
    rng = np.random.default_rng(0)
    return ((rng.integers(0, 256, (8, 32, 32, 3), np.uint8), np.arange(8) % 10),
            (rng.integers(0, 256, (4, 32, 32, 3), np.uint8), np.arange(4) % 10))


# Valid, cheap values by parameter name, used for every function whose parameter has this name
# and no default (a default is used as it is). SPECS below overrides them per function.
VALID = {
    "x": lambda: np.arange(16.0).reshape(4, 4), "kernel": lambda: 3, "size": lambda: 4, "pad": lambda: 1,
    "image": lambda: np.linspace(0, 1, 64).reshape(8, 8), "answer": lambda: None, "layers": lambda: [(3, 1), (2, 2)],
    "input_size": lambda: 8, "input_shape": lambda: (8, 8, 1), "model": _tiny_model, "model_or_layer": _tiny_model,
    "model_or_layers": _tiny_model, "layer": lambda: keras.layers.Conv2D(2, 3), "name": lambda: "mnist",
    "padding": lambda: "valid", "variant": lambda: "paper", "total": lambda: 3, "shape": lambda: (5, 5),
    "y_true": lambda: [0, 1, 1], "y_pred": lambda: [0, 1, 0], "before": lambda: np.ones(4), "after": lambda: np.ones(4),
    "a": lambda: np.ones((1, 2, 2, 4), np.float32), "depth": lambda: 2, "shift": lambda: 1, "dy": lambda: 1,
    "dx": lambda: 1, "factor": lambda: 1.0, "rng": lambda: np.random.default_rng(0), "index": lambda: np.arange(2),
    "epoch": lambda: 0, "trace": _trace, "records": lambda: {"a": {"step": [0, 1], "train_error": [0.5, 0.4]}},
    "table": lambda: {"max": [0.0, 0.1]}, "shifts": lambda: [0, 1], "runs": lambda: {}, "race": lambda: {},
    "record": lambda: {"step": [0, 1], "train_error": [0.5, 0.2]}, "text": lambda: "valid", "ok": lambda: True,
    "right": lambda: "r", "paths": lambda: [], "accuracy": lambda: 0.99, "mean": lambda: np.zeros(3),
    "std": lambda: np.ones(3), "precision": lambda: "float32", "learning_rate": lambda: 0.01, "peak": lambda: 0.1,
    "total_steps": lambda: 10, "steps_per_epoch": lambda: 2, "epochs": lambda: 1, "schedule": lambda: 0.1,
    "images": lambda: np.zeros((2, 8, 8, 3), np.uint8), "augment": lambda: (lambda x, rng: x),
    "setups": lambda: {}, "train": lambda: (np.zeros((4, 8, 8, 1), np.float32), np.zeros(4, int)),
    "test": lambda: (np.zeros((4, 8, 8, 1), np.float32), np.zeros(4, int)), "learning_rates": lambda: {},
    "data": lambda: ((np.zeros((4, 8, 8, 1), np.float32), np.zeros(4, int)),
                     (np.zeros((4, 8, 8, 1), np.float32), np.zeros(4, int))),
    "predictions": lambda: {"m": [0, 1, 0]}, "subset": lambda: 4, "y": lambda: np.zeros(4, int),
    "filters": lambda: 2, "kernel_size": lambda: 3, "connections": lambda: [[0], [0]], "preprocess": lambda: None,
    "controls": lambda: {}, "rows": lambda: [], "result": lambda: None, "history": lambda: None,
    "timer": lambda: None, "quick": lambda: True, "n_train": lambda: 4, "batch_size": lambda: 2,
    "steps": lambda: 2, "test_accuracy": lambda: 0.5, "tta_accuracy": lambda: 0.5, "probabilities": lambda: None,
    "settings": lambda: {}, "eval_seconds": lambda: 1.0, "file": lambda: None, "jump": lambda: 1,
    "start": lambda: 0.0, "output": lambda: 1, "stride": lambda: 1, "dilation": lambda: 1, "kind": lambda: "Conv2D",
    "output_shape": lambda: (1,), "params": lambda: 0, "multiply_adds": lambda: 0, "activation_bytes": lambda: 4,
    "spatial": lambda: True, "after_": lambda: 0, "fig": lambda: None,
}


@dataclasses.dataclass
class Spec:
    """How to call one public callable: valid baseline arguments, and what its checks may meet."""

    kwargs: dict = dataclasses.field(default_factory=dict)  # valid values (callables are called for a fresh copy)
    fuzz: tuple | None = None      # the parameters to replace with bad values (default: every named one)
    accepted: tuple = ()           # other exceptions meaning "the arguments were accepted" (e.g. data not found)
    examples: int = int(os.environ.get("CNN_CONTRACT_EXAMPLES", "6"))  # generated calls per callable


_CIFAR = lambda: np.zeros((2, 32, 32, 3), np.uint8)  # noqa: E731
SPECS: dict[str, Spec] = {
    "helpers.data.load": Spec(accepted=(helpers.DataNotFoundError,)),
    "helpers.data.load_mnist": Spec(accepted=(helpers.DataNotFoundError,)),
    "helpers.data.load_cifar10": Spec(accepted=(helpers.DataNotFoundError,)),
    "helpers.experiments.cifar_arrays": Spec(accepted=(helpers.DataNotFoundError,)),
    "helpers.experiments.scaled_input": Spec(kwargs={"x_train": lambda: np.zeros((2, 4, 4, 3), np.uint8)}),
    "helpers.experiments.normalisation_net": Spec(kwargs={"kind": lambda: "none", "width": lambda: 0.125}),
    "helpers.experiments.lrn_factors": Spec(kwargs={"model": lambda: helpers.experiments.normalisation_net("LRN", width=0.125),
                                                    "x": lambda: np.zeros((2, 32, 32, 3), np.float32)}),
    "helpers.experiments.lrn_factor_table": Spec(kwargs={
        "model": lambda: helpers.experiments.normalisation_net("LRN", width=0.125),
        "x_uint8": lambda: np.zeros((2, 32, 32, 3), np.uint8), "x_train": lambda: np.zeros((2, 32, 32, 3), np.uint8)}),
    "helpers.experiments.normalisation_comparison": Spec(kwargs={
        "train": lambda: (np.zeros((8, 32, 32, 3), np.uint8), np.arange(8) % 2),
        "val": lambda: (np.zeros((4, 32, 32, 3), np.uint8), np.arange(4) % 2),
        "kinds": lambda: ("none",), "epochs": lambda: 1, "width": lambda: 0.125, "quick": lambda: False}),
    "helpers.exercises.cifar.check_confused_pair": Spec(kwargs={
        "counts": lambda: np.eye(10, dtype=int) * 90 + 1, "class_names": lambda: list(helpers.data.CIFAR10_CLASSES)}),
    "helpers.preprocessing.channel_stats": Spec(kwargs={"x": _CIFAR}),
    "helpers.cifar.whitening_kernel": Spec(kwargs={"x": _CIFAR}),
    "helpers.preprocessing.shift": Spec(kwargs={"images": _CIFAR}),
    "helpers.cifar.predict_tta": Spec(kwargs={"x": _CIFAR, "preprocess": lambda: (lambda v: v)}),
    "helpers.augment.random_flip": Spec(kwargs={"x": _CIFAR}),
    "helpers.augment.random_translate": Spec(kwargs={"x": _CIFAR}),
    "helpers.augment.flip_translate": Spec(kwargs={"x": _CIFAR}),
    "helpers.augment.alternating_flip": Spec(kwargs={"x": _CIFAR}),
    "helpers.preprocessing.scale_digits": Spec(kwargs={"x": lambda: np.zeros((2, 28, 28), np.uint8)}),
    "helpers.preprocessing.to_lenet_input": Spec(kwargs={"x": lambda: np.zeros((2, 28, 28), np.uint8)}),
    "helpers.lenet_model.scaled_tanh": Spec(kwargs={"x": lambda: np.zeros(3, np.float32)}),
    "helpers.preprocessing.preprocessor": Spec(kwargs={"variant": lambda: "paper"}),
    "helpers.lenet_model.connections": Spec(kwargs={"layer": lambda: keras.layers.Conv2D(2, 3),
                                                    "input_shape": lambda: (8, 8, 1)}),
    "helpers.lenet_model.SparseConv2D": Spec(kwargs={"connections": lambda: [[0], [0]]}),
    "helpers.cifar.whiten_conv1": Spec(kwargs={"model": lambda: helpers.alexnet("cifar", width=0.125),
                                               "kernel": lambda: np.zeros((3, 3, 3, 54), np.float32)}),
    "helpers.geometry.window_origins": Spec(kwargs={"size": lambda: 2}),
    "helpers.geometry.depth_table": Spec(kwargs={"layers": lambda: 3}),
    "helpers.plots.png_bytes": Spec(kwargs={"fig": lambda: __import__("matplotlib.figure", fromlist=["F"]).Figure((1, 1))}),
    "helpers.plots.show": Spec(kwargs={"fig": lambda: __import__("matplotlib.figure", fromlist=["F"]).Figure((1, 1))}),
    "helpers.plots.padding.ArithmeticDrawing": Spec(kwargs={
        "fig": lambda: __import__("matplotlib.figure", fromlist=["Figure"]).Figure(figsize=(7.5, 4.0))}),
    "helpers.plots.padding.plot_padding_modes": Spec(kwargs={"pad": lambda: 2}),
    "helpers.plots.padding.plot_responses": Spec(kwargs={"kernel": lambda: np.ones((3, 3)) / 9}),
    "helpers.plots.cifar.augmented_examples": Spec(kwargs={"image": lambda: np.zeros((32, 32, 3), np.uint8)}),
    "helpers.plots.cifar.image_grid": Spec(kwargs={"images": _CIFAR}),
    "helpers.plots.cifar.rgb_filters": Spec(kwargs={"kernel": lambda: np.zeros((3, 3, 3, 4), np.float32)}),
    "helpers.plots.models.misclassified": Spec(kwargs={"images": lambda: np.zeros((3, 8, 8), np.uint8)}),
    "helpers.plots.models.feature_maps": Spec(kwargs={"x": lambda: np.zeros((8, 8, 1), np.float32)}),
    "helpers.experiments.error_rate": Spec(kwargs={"x": lambda: np.zeros((4, 8, 8, 1), np.float32)}),
    "helpers.experiments.lrn_strength": Spec(kwargs={"x": lambda: np.zeros((4, 8, 8, 1), np.float32)}),
    "helpers.experiments.train_and_record": Spec(kwargs={"epochs": lambda: 1}),
    "helpers.experiments.steps_to_error": Spec(kwargs={"record": lambda: {"steps": [8, 16], "train_error": [0.5, 0.2]}}),
    "helpers.experiments.fastest": Spec(kwargs={"race": lambda: {("relu", 0.1): {"steps": [8], "train_error": [0.2]}}}),
    "helpers.experiments.gap_rows": Spec(kwargs={"runs": lambda: {"a": {"train_error": [0.1], "test_error": [0.3]}}}),
    "helpers.experiments.format_gap_table": Spec(kwargs={
        "runs": lambda: {"a": {"train_error": [0.1], "test_error": [0.3]}}}),
    "helpers.images.shift_change": Spec(kwargs={"image": lambda: np.linspace(0, 1, 144).reshape(12, 12)}),
    "helpers.train.predict": Spec(kwargs={"x": lambda: np.zeros((4, 8, 8, 1), np.float32)}),
    "helpers.train.Batches": Spec(kwargs={"x": lambda: np.zeros((4, 8, 8, 1), np.float32)}),
    "helpers.train.default_preprocess": Spec(),
    "helpers.train.evaluate": Spec(kwargs={"data": lambda: (np.zeros((4, 8, 8, 1), np.float32), np.zeros(4, int))}),
    "helpers.train.TrainResult": Spec(kwargs={"history": lambda: _history(), "timer": lambda: _timer(),
                                              "preprocess": lambda: (lambda b: b)}),
    "helpers.cifar.CifarRun": Spec(kwargs={"result": lambda: helpers.train.TrainResult(
        _tiny_model(), _history(), _timer(), False, 4, 2, lambda b: b)}),
    "helpers.cifar.train_cifar": Spec(kwargs={"data": lambda: _cifar_data()}),
    "helpers.plots.models.conv_filters": Spec(kwargs={"layer": lambda: "conv"}),
    "helpers.plots.alexnet.plot_error_curves": Spec(kwargs={"records": lambda: {
        "relu": {"train_error": [0.8, 0.5], "test_error": [0.8, 0.6], "steps_per_epoch": 10}}}),
    "helpers.exercises.lenet.check_error_from_accuracy": Spec(kwargs={"answer": lambda: 100}),
    "helpers.exercises.verdict": Spec(),
    "helpers.widgets.padding.parse_padding": Spec(),
    "helpers.ops.conv2d": Spec(kwargs={"kernel": lambda: np.ones((3, 3))}),
    "helpers.config.colab_url": Spec(kwargs={"notebook": lambda: "notebooks/01_pooling.ipynb"}),
    "helpers.config.colab_badge": Spec(kwargs={"notebook": lambda: "notebooks/01_pooling.ipynb"}),
    "helpers.geometry.unread": Spec(kwargs={"starts": lambda: [0, 2], "size": lambda: 2, "n": lambda: 5}),
    "helpers.widgets.pooling.window_edges": Spec(kwargs={"rows": lambda: [0, 2], "cols": lambda: [0, 2],
                                                         "size": lambda: 2}),
    "helpers.plots.models.accuracy_under_transforms": Spec(kwargs={
        "panels": lambda: {"shift (pixels)": ([0, 1], {"all": [0.9, 0.8]})}}),
    "helpers.plots.models.rbf_prototypes": Spec(kwargs={
        "prototypes": lambda: __import__("helpers.lenet_model", fromlist=["x"]).digit_prototypes()}),
    "helpers.widgets.activations.activation_explorer": Spec(kwargs={
        "images": lambda: np.zeros((2, 8, 8, 1), np.float32)}),
    "helpers.widgets.activations.ActivationExplorer": Spec(kwargs={
        "images": lambda: np.zeros((2, 8, 8, 1), np.float32)}),
}

# Objects that a function only passes on (a figure or axes to draw into, an output stream, a
# tf.distribute strategy): not argument checks of helpers, so not fuzzed.
PASS_THROUGH = {"fig", "ax", "axes", "stream", "strategy", "kwargs", "args", "others", "options"}


def _parameters(obj) -> list[inspect.Parameter]:
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return []
    return [p for p in sig.parameters.values() if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def _baseline(qualname: str, obj) -> dict | None:
    """Valid keyword arguments for ``obj``, or None if a required one has no known value."""
    spec = SPECS.get(qualname, Spec())
    kwargs = {}
    for p in _parameters(obj):
        if p.name in spec.kwargs:
            kwargs[p.name] = spec.kwargs[p.name]
        elif p.default is inspect.Parameter.empty:
            if p.name not in VALID:
                return None
            kwargs[p.name] = VALID[p.name]
    return kwargs


def _fresh(kwargs: dict) -> dict:
    return {k: v() for k, v in kwargs.items()}  # every registered value is a factory: a fresh copy per call


def test_every_public_callable_has_valid_arguments():
    """A new public function whose required arguments are unknown fails here, saying what to add."""
    missing = {name: [p.name for p in _parameters(obj) if p.default is inspect.Parameter.empty
                      and p.name not in VALID and p.name not in SPECS.get(name, Spec()).kwargs]
               for name, obj in PUBLIC.items() if _baseline(name, obj) is None}
    assert not missing, (
        "The contract test (tests/test_contract.py) needs valid values for these new public callables' "
        "required arguments:\n" + "\n".join(f"  {n}: {args}" for n, args in sorted(missing.items())) +
        "\nRegister each: SPECS['helpers.module.function'] = Spec(kwargs={'arg': lambda: <small valid value>}),"
        " or add a value by parameter name to VALID.")


def test_enumeration_sees_the_whole_package():
    assert len(PUBLIC) > 100
    for name in ("helpers.ops.conv2d", "helpers.arith.output_size", "helpers.alexnet_model.alexnet",
                 "helpers.plots.padding.plot_depth", "helpers.widgets.pooling.pooling_explorer"):
        assert name in PUBLIC


# --------------------------------------------------------------------------- bad values

BAD = st.one_of(
    st.sampled_from([None, True, False, "bogus", "", b"x", [], (), {}, [[1, 2], [3]], (1,), (1, 2, 3, 4, 5),
                     float("nan"), float("inf"), -1.0, 2.5, 0, -1, -(10**6), 10**12, 2**40, np.int64(-3),
                     np.float16(6e4), np.ones((2, 2), bool), np.full((3, 3), 200, np.uint8), np.zeros((0, 4)),
                     np.array(["a", "b"]), object()]),
    st.integers(min_value=-3, max_value=6),
    st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.text(max_size=3),
)


def _names(message: str, param: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(param)}(?![A-Za-z0-9_])", message) is not None


@pytest.fixture(autouse=True)
def _no_expensive_work(monkeypatch, tmp_path):
    """Stop at Keras' training/inference entry points and at any download; no real data is read."""

    def reached(*args, **kwargs):
        raise _Reached()

    for method in ("fit", "predict", "evaluate", "predict_on_batch", "train_on_batch"):
        monkeypatch.setattr(keras.Model, method, reached)
    monkeypatch.setattr(helpers.data, "_download", reached)
    monkeypatch.setenv("CNN_DATA_DIR", str(tmp_path / "no-data"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))


def _call(qualname, obj, param, bad):
    kwargs = _fresh(_baseline(qualname, obj))
    kwargs[param] = bad
    spec = SPECS.get(qualname, Spec())

    def too_long(*_):
        raise TimeoutError(f"{qualname}({param}={bad!r}) ran over {SECONDS_PER_CALL} s")

    old = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(SECONDS_PER_CALL)
    tracemalloc.start()
    try:
        result = obj(**kwargs)
        if hasattr(result, "savefig"):  # a Figure: draw it, the costly part of a plot
            result.savefig(__import__("io").BytesIO(), format="png", dpi=20)
    except (ValueError, TypeError) as err:
        assert _names(str(err), param), (
            f"{qualname}({param}={bad!r}) raised {type(err).__name__} without naming {param!r}: {err}")
    except (_Reached, *spec.accepted):
        pass
    except Exception as err:  # noqa: BLE001 - the point of the test
        pytest.fail(f"{qualname}({param}={bad!r}) raised {type(err).__name__}: {err}; the contract allows only "
                    f"ValueError or TypeError naming {param!r}")
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert peak <= _checks.MAX_BYTES, f"{qualname}({param}={bad!r}) allocated {peak / 2**30:.2f} GiB"


def _cases():
    for qualname, obj in sorted(PUBLIC.items()):
        if _baseline(qualname, obj) is None:
            continue  # reported by test_every_public_callable_has_valid_arguments
        spec = SPECS.get(qualname, Spec())
        params = [p.name for p in _parameters(obj) if p.name not in PASS_THROUGH]
        params = [p for p in params if spec.fuzz is None or p in spec.fuzz]
        if params:
            yield pytest.param(qualname, params, id=qualname.removeprefix("helpers."))


# Violations this test found on its first run (issue 18) that are not fixed yet: each raises
# some other exception (AttributeError, IndexError, KeyError, a Keras error, an unnamed
# TypeError...) for at least one generated bad argument. They run as xfail with 2 examples, so
# they stay visible in every report; remove a name once its function checks its arguments
# (the test then runs it with the full number of examples and must pass). Functions fixed and
# verified in issue 18: ops, arith, data, trace.shape_trace, alexnet, plot_depth, the explorers; in
# issue 19: geometry, plots.padding, config, alexnet_layers, lenet5, lenet5_like, connections, compare_with_paper*.
KNOWN = frozenset({
})


@pytest.mark.parametrize("qualname, params", list(_cases()))
def test_bad_arguments_get_a_named_value_or_type_error(qualname, params, request):
    obj = PUBLIC[qualname]
    spec = SPECS.get(qualname, Spec())
    examples = spec.examples
    if qualname in KNOWN:
        request.applymarker(pytest.mark.xfail(reason="known violation of the argument contract (issue 18), "
                                                     "not fixed yet", strict=False))
        examples = min(examples, 2)

    # derandomize: the same examples on every run (CI never flips); no shrinking, to stay fast: the
    # failure message already names the function, the argument and the value.
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck))
    @given(param=st.sampled_from(params), bad=BAD)
    def check(param, bad):
        _call(qualname, obj, param, bad)

    check()
