"""AlexNet variants and local response normalisation (helpers/alexnet_model.py)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")

import helpers  # noqa: E402
from helpers.alexnet_model import (  # noqa: E402
    PAPER_PARAMS,
    PAPER_PARAMS_UNGROUPED,
    LocalResponseNormalization,
    alexnet,
    alexnet_layers,
    lrn_reference,
    smallest_input,
    steps_to_error,
)

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.tf


# --- local response normalisation ----------------------------------------------------------
@pytest.mark.parametrize("shape, radius, bias, alpha, beta", [
    ((2, 5, 5, 16), 2, 2.0, 1e-4, 0.75),      # the paper's constants
    ((3, 4, 4, 7), 1, 1.0, 0.5, 0.5),         # strong normalisation, few channels
    ((1, 3, 3, 3), 4, 2.0, 1e-2, 0.75),       # window wider than the channel count
    ((4, 6), 2, 2.0, 0.1, 0.75),              # rank 2 (after Flatten)
])
def test_lrn_equals_tensorflow(shape, radius, bias, alpha, beta):
    tf = pytest.importorskip("tensorflow")
    x = np.random.default_rng(0).normal(scale=5.0, size=shape).astype("float32")
    ours = keras.ops.convert_to_numpy(LocalResponseNormalization(radius, bias, alpha, beta)(x))
    if len(shape) == 4:
        want = tf.nn.local_response_normalization(x, radius, bias, alpha, beta).numpy()
    else:  # TF's op wants rank 4: put the vector in the channel axis
        want = tf.nn.local_response_normalization(x[:, None, None, :], radius, bias, alpha, beta).numpy()[:, 0, 0]
    np.testing.assert_allclose(ours, want, rtol=1e-5, atol=1e-5)


def test_lrn_equals_the_papers_formula_and_the_alpha_over_n_convention():
    x = np.random.default_rng(1).normal(scale=20.0, size=(2, 3, 3, 12)).astype("float32")
    ours = keras.ops.convert_to_numpy(LocalResponseNormalization()(x))
    paper = lrn_reference(x, k=2, n=5, alpha=1e-4, beta=0.75)
    np.testing.assert_allclose(ours, paper, rtol=1e-5, atol=1e-6)
    # Caffe / PyTorch divide alpha by n: their alpha = 5e-4 is the paper's 1e-4 ...
    np.testing.assert_allclose(lrn_reference(x, n=5, alpha=5e-4, alpha_over_n=True), paper, rtol=1e-12)
    # ... and their alpha = 1e-4 is a different (five times weaker) normalisation
    weaker = lrn_reference(x, n=5, alpha=1e-4, alpha_over_n=True)
    assert not np.allclose(weaker, paper, rtol=1e-4)
    np.testing.assert_allclose(weaker, lrn_reference(x, n=5, alpha=2e-5), rtol=1e-12)


def test_lrn_scalar_value_by_hand():
    y = keras.ops.convert_to_numpy(LocalResponseNormalization()(np.ones((1, 1, 1, 1), "float32")))
    assert y[0, 0, 0, 0] == pytest.approx(1 / (2 + 1e-4) ** 0.75, rel=1e-6)


def test_lrn_serialises_and_rejects_bad_arguments():
    layer = LocalResponseNormalization(depth_radius=3, bias=1.0, alpha=2e-4, beta=0.5, name="n")
    clone = keras.layers.deserialize(keras.layers.serialize(layer))
    assert isinstance(clone, LocalResponseNormalization)
    assert (clone.depth_radius, clone.bias, clone.alpha, clone.beta) == (3, 1.0, 2e-4, 0.5)
    with pytest.raises(ValueError, match="depth_radius"):
        LocalResponseNormalization(depth_radius=-1)
    with pytest.raises(ValueError, match="alpha"):
        LocalResponseNormalization(alpha="big")


# --- the paper's model (traced, not built: 240 MB of weights) -------------------------------
def test_paper_parameter_counts_and_sizes():
    trace = helpers.shape_trace(alexnet_layers("paper"), (227, 227, 3))
    assert trace.ok and trace.total_params == PAPER_PARAMS == 60_965_224
    assert sorted(set(trace.spatial_sizes), reverse=True) == [227, 55, 27, 13, 6]
    assert [r.output_shape for r in trace.rows if r.name.startswith("pool")] == [(27, 27, 96), (13, 13, 256),
                                                                                 (6, 6, 256)]
    assert trace.rows[-1].output_shape == (1000,)
    ungrouped = helpers.shape_trace(alexnet_layers("paper", grouped=False), (227, 227, 3))
    assert ungrouped.total_params == PAPER_PARAMS_UNGROUPED == 62_378_344
    per_layer = {r.name: r.params for r in trace.rows if r.params}
    assert per_layer == {"conv1": 34_944, "conv2": 307_456, "conv3": 885_120, "conv4": 663_936,
                         "conv5": 442_624, "fc6": 37_752_832, "fc7": 16_781_312, "fc8": 4_097_000}


def test_paper_224_input_does_not_fit_the_stride_and_padding_two_fixes_it():
    assert (224 - 11) / 4 + 1 == 54.25
    assert helpers.output_size(224, 11, 4) == 54
    assert helpers.output_size(224, 11, 4, padding=2) == helpers.output_size(227, 11, 4) == 55


def test_paper_model_builds_with_the_traced_count():  # one build of the 60M model, ~1 s
    model = alexnet("paper")
    assert model.count_params() == PAPER_PARAMS
    assert model.output_shape == (None, 1000)


# --- the seed's model -----------------------------------------------------------------------
SEED_LAYERS = [("Conv2D", 96, 11, 4, "valid"), ("MaxPooling2D", None, 3, 2, "valid"),
               ("Conv2D", 256, 5, 1, "same"), ("MaxPooling2D", None, 3, 2, "valid"),
               ("Conv2D", 384, 3, 1, "same"), ("Conv2D", 384, 3, 1, "same"), ("Conv2D", 256, 3, 1, "same"),
               ("MaxPooling2D", None, 3, 2, "valid")]


def test_seed_layers_are_the_source_scripts():
    layers = alexnet_layers("seed")
    windowed = [(type(l).__name__, getattr(l, "filters", None), (getattr(l, "kernel_size", None) or l.pool_size)[0],
                 l.strides[0], l.padding) for l in layers if hasattr(l, "strides")]
    assert windowed == SEED_LAYERS
    tail = [(type(l).__name__, getattr(l, "units", None)) for l in layers if not hasattr(l, "strides")]
    assert tail == [("Flatten", None), ("Dense", 4096), ("Dropout", None), ("Dense", 4096), ("Dropout", None),
                    ("Dense", 10)]
    assert layers[-1].activation.__name__ == "softmax"


def test_seed_trace_and_error():
    trace = helpers.shape_trace(alexnet_layers("seed"), (32, 32, 3))
    assert trace.spatial_sizes == [32, 6, 2, 2, 0]
    assert trace.failed_layer == "pool2"
    with pytest.raises(ValueError, match=r"Keras cannot build .*pooling output reaches zero at layer 'pool2'") as err:
        alexnet("seed")
    assert "32 → 6 → 2 → 2 → 0" in str(err.value) and "at least 67×67" in str(err.value)


def test_keras_itself_raises_when_building_the_seed_directly():
    with pytest.raises(ValueError, match="zero or negative"):
        keras.Sequential([keras.Input((32, 32, 3))] + alexnet_layers("seed"))


def test_seed_builds_at_its_smallest_input_and_not_one_below():
    assert smallest_input("seed") == 67
    assert alexnet("seed", input_shape=(67, 67, 3)).output_shape == (None, 10)
    with pytest.raises(ValueError, match="at least 67×67"):
        alexnet("seed", input_shape=(66, 66, 3))
    assert helpers.shape_trace(alexnet_layers("seed"), (67, 67, 3)).spatial_sizes[-1] == 1


# --- errors -----------------------------------------------------------------------------------
def test_unknown_variant_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'paper', 'seed', 'cifar'; got 'vgg'"):
        alexnet("vgg")


def test_too_small_input_names_the_layer():
    with pytest.raises(ValueError, match=r"'paper'.*layer 'conv1'.*at least 67×67"):
        alexnet("paper", input_shape=(10, 10, 3))
    with pytest.raises(ValueError, match="input_shape"):
        alexnet("cifar", input_shape=(32, 32))
    with pytest.raises(ValueError, match="activation"):
        alexnet("cifar", activation="softsign")


# --- the CIFAR variant: runs, saves, loads --------------------------------------------------
def test_cifar_model_runs_and_is_small():
    model = alexnet("cifar")
    assert model.output_shape == (None, 10)
    assert model.count_params() < 1_000_000
    convs = [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]
    pools = [l for l in model.layers if isinstance(l, keras.layers.MaxPooling2D)]
    assert len(convs) == 5 and all(l.activation.__name__ == "relu" for l in convs)
    assert len(pools) == 3 and all(p.pool_size == (3, 3) and p.strides == (2, 2) for p in pools)
    assert sum(isinstance(l, keras.layers.Dropout) for l in model.layers) == 2
    y = keras.ops.convert_to_numpy(model(np.zeros((2, 32, 32, 3), "float32")))
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)


def test_options_change_what_they_say():
    plain = helpers.shape_trace(alexnet_layers("cifar"), (32, 32, 3))
    nonover = helpers.shape_trace(alexnet_layers("cifar", pool_size=2), (32, 32, 3))
    assert plain.spatial_sizes == nonover.spatial_sizes  # equal map sizes, as in the paper's comparison
    assert not any(isinstance(l, LocalResponseNormalization) for l in alexnet_layers("cifar", lrn=False))
    assert not any(isinstance(l, keras.layers.Dropout) for l in alexnet_layers("cifar", dropout=0))
    assert all(l.activation.__name__ == "tanh" for l in alexnet_layers("cifar", activation="tanh")[:-1]
               if hasattr(l, "activation"))


@pytest.mark.parametrize("variant, shape", [("cifar", (32, 32, 3)), ("seed", (67, 67, 3))])
def test_save_load_round_trip(tmp_path, variant, shape):
    model = alexnet(variant, input_shape=shape, **({"width": 0.25} if variant == "cifar" else {}))
    x = np.random.default_rng(2).random((2, *shape), dtype="float32")
    path = tmp_path / f"{variant}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x)), keras.ops.convert_to_numpy(model(x)),
                               rtol=1e-6, atol=1e-7)
    assert any(isinstance(l, LocalResponseNormalization) for l in loaded.layers) == (variant == "cifar")


def test_paper_model_config_round_trip_without_weights():
    layers = alexnet_layers("paper", width=1 / 32, num_classes=10)   # same structure, tiny
    model = keras.Sequential([keras.Input((227, 227, 3))] + layers)
    clone = keras.Sequential.from_config(model.get_config())
    assert [type(l).__name__ for l in clone.layers] == [type(l).__name__ for l in model.layers]
    assert [getattr(l, "groups", None) for l in clone.layers] == [getattr(l, "groups", None) for l in model.layers]
    assert clone.count_params() == model.count_params()


def test_steps_to_error():
    record = {"train_error": [0.6, 0.3, 0.24, 0.1], "steps_per_epoch": 10}
    assert steps_to_error(record, 0.25) == 30
    assert steps_to_error(record, 0.05) is None


# --- another Keras backend ----------------------------------------------------------------
OTHER_BACKENDS = [b for b, mod in (("jax", "jax"), ("torch", "torch")) if importlib.util.find_spec(mod)]


@pytest.mark.skipif(not OTHER_BACKENDS, reason="neither JAX nor PyTorch is installed")
def test_models_build_and_run_under_another_backend():
    script = textwrap.dedent("""
        import numpy as np, keras
        from helpers.alexnet_model import alexnet, alexnet_layers, LocalResponseNormalization, lrn_reference
        assert keras.backend.backend() != "tensorflow", keras.backend.backend()
        x = np.random.default_rng(0).normal(size=(2, 4, 4, 9)).astype("float32")
        y = keras.ops.convert_to_numpy(LocalResponseNormalization(2, 2.0, 1e-2, 0.75)(x))
        np.testing.assert_allclose(y, lrn_reference(x, 2.0, 5, 1e-2, 0.75), rtol=1e-5, atol=1e-6)
        for variant, shape, kw in (("cifar", (32, 32, 3), {}), ("seed", (67, 67, 3), {}),
                                   ("paper", (227, 227, 3), {"width": 1 / 32})):
            model = alexnet(variant, input_shape=shape, **kw)
            out = keras.ops.convert_to_numpy(model(np.zeros((1, *shape), "float32")))
            assert out.shape[0] == 1 and abs(out.sum() - 1) < 1e-4, (variant, out.shape)
        try:
            alexnet("seed")
        except ValueError as e:
            assert "pool2" in str(e)
        else:
            raise AssertionError("seed built")
        print("OK", keras.backend.backend())
    """)
    env = dict(os.environ, KERAS_BACKEND=OTHER_BACKENDS[0], PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"OK {OTHER_BACKENDS[0]}" in done.stdout


def test_train_and_record_and_lrn_strength_on_a_tiny_run():
    from helpers.alexnet_model import lrn_strength, train_and_record

    rng = np.random.default_rng(3)
    x = rng.random((64, 32, 32, 3), dtype="float32")
    y = rng.integers(0, 10, 64).astype("int32")
    model = alexnet("cifar", width=0.125)
    record = train_and_record(model, (x, y), (x[:16], y[:16]), epochs=3, batch_size=32, stop_at=1.0)
    assert record["steps_per_epoch"] == 2
    assert len(record["train_error"]) == len(record["test_error"]) == 1     # stopped after epoch 1
    assert 0.0 <= record["train_error"][0] <= 1.0
    strength = lrn_strength(model, x[:8])
    assert set(strength) == {"lrn1", "lrn2"} and all(0 <= m <= worst for m, worst in strength.values())
