"""Lesson 04 shows the modern LeNet-5 as plain Keras code (the cell tagged ``model-code``); the lesson trains
that code. These tests run the cell as stored and prove that it builds the same model as
``helpers.lenet5("modern")``: the same layers, output shapes and parameters, the same outputs for the same
weights, and, from the same seed, the same initial weights (so the lesson's numbers hold for either)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")
nbformat = pytest.importorskip("nbformat")

import helpers  # noqa: E402
from helpers import lenet_model  # noqa: E402

pytestmark = pytest.mark.tf

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "04_lenet5_training.ipynb"


def _model_code() -> str:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "code" and "model-code" in c.metadata.get("tags", [])]
    assert len(cells) == 1, f"expected one code cell tagged 'model-code' in {NOTEBOOK.name}, found {len(cells)}"
    return cells[0].source


def _run_model_code() -> dict:
    namespace: dict = {}
    exec(compile(_model_code(), f"{NOTEBOOK.name}:model-code", "exec"), namespace)  # noqa: S102
    return namespace


def _describe(model):
    """What makes two sequential models the same computation: per layer its type, output shape, weight
    shapes and the settings that change what it computes."""
    rows = []
    for layer in model.layers:
        cfg = layer.get_config()
        settings = {k: cfg.get(k) for k in ("filters", "kernel_size", "strides", "padding", "pool_size",
                                             "units", "dilation_rate", "use_bias", "data_format") if k in cfg}
        act = cfg.get("activation")
        settings["activation"] = act if isinstance(act, str) else getattr(act, "__name__", act)
        rows.append((type(layer).__name__, tuple(layer.output.shape[1:]),
                     [tuple(w.shape) for w in layer.weights], layer.count_params(), settings))
    return tuple(model.input_shape[1:]), rows


def _same_model(mine, reference, rng):
    """Assert that ``mine`` is ``reference``'s computation: structure, then outputs for copied weights."""
    assert _describe(mine) == _describe(reference)
    assert mine.count_params() == reference.count_params()
    weights = [rng.normal(0.0, 0.3, w.shape).astype("float32") for w in reference.get_weights()]
    reference.set_weights(weights)
    mine.set_weights(weights)
    x = rng.uniform(0.0, 1.0, (16, *reference.input_shape[1:])).astype("float32")
    np.testing.assert_allclose(np.asarray(mine(x)), np.asarray(reference(x)), rtol=1e-5, atol=1e-6)


def test_the_cell_defines_the_builder_and_shows_a_model():
    ns = _run_model_code()
    assert callable(ns.get("modern_lenet5")), "the model-code cell must define modern_lenet5()"
    assert isinstance(ns.get("model"), keras.Model)
    assert ns["model"].count_params() == 61_706
    assert len(_model_code().splitlines()) <= 25, "the model code is meant to be read: keep it short"


def test_notebook_code_is_helpers_lenet5_modern():
    ns = _run_model_code()
    _same_model(ns["modern_lenet5"](), helpers.lenet5("modern"), np.random.default_rng(0))


def test_same_seed_gives_the_same_initial_weights():
    """The lesson trains the notebook's builder for "modern"; from one seed it starts where helpers' would."""
    ns = _run_model_code()
    keras.utils.set_random_seed(1998)
    mine = ns["modern_lenet5"]()
    keras.utils.set_random_seed(1998)
    reference = helpers.lenet5("modern")
    for a, b in zip(mine.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_comparison_can_fail():
    """The check above is not vacuous: one changed layer (average instead of max pooling) is caught, and so
    are different outputs from the same structure."""
    rng = np.random.default_rng(1)
    with pytest.raises(AssertionError):
        _same_model(lenet_model.lenet5_like("relu", "avg"), helpers.lenet5("modern"), rng)
    ns = _run_model_code()
    mine, reference = ns["modern_lenet5"](), helpers.lenet5("modern")
    assert _describe(mine) == _describe(reference)
    reference.set_weights([rng.normal(0.0, 0.3, w.shape).astype("float32") for w in reference.get_weights()])
    mine.set_weights([rng.normal(0.0, 0.3, w.shape).astype("float32") for w in mine.get_weights()])
    x = rng.uniform(0.0, 1.0, (4, 32, 32, 1)).astype("float32")
    assert not np.allclose(np.asarray(mine(x)), np.asarray(reference(x)), atol=1e-6)
