"""AlexNet variants and local response normalisation (helpers/alexnet_model.py)."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
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
    smallest_input,
)
from helpers.ops import lrn_reference  # noqa: E402

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


def test_paper_224_input_is_whole_only_with_3_pixels_of_padding_or_227():
    # the lesson's arithmetic: 224 gives 54.25 (floor 54); 227, or 224 padded 1 + 2, gives exactly 55;
    # 2 pixels on each side give 55.25, which only the floor turns into 55
    assert (224 - 11) / 4 + 1 == 54.25 and helpers.output_size(224, 11, 4) == 54
    assert (227 - 11) / 4 + 1 == (224 + 3 - 11) / 4 + 1 == 55
    assert helpers.output_size(227, 11, 4) == helpers.output_size(224, 11, 4, padding=(1, 2)) == 55
    assert (224 + 4 - 11) / 4 + 1 == 55.25 and helpers.output_size(224, 11, 4, padding=2) == 55


def test_paper_model_builds_with_the_traced_count():  # one build of the 60M model, ~1 s
    model = alexnet("paper")
    assert model.count_params() == PAPER_PARAMS
    assert model.output_shape == (None, 1000)


def _tagged_cell(notebook: Path, tag: str) -> str:
    """The source of the one code cell of ``notebook`` tagged ``tag``."""
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"]
             if c["cell_type"] == "code" and tag in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{notebook.name}: {len(cells)} code cells tagged {tag!r}, expected 1"
    return "".join(cells[0]["source"])


def test_lesson_05_model_code_cell_builds_the_same_model_as_helpers():
    """Lesson 05 shows the paper's AlexNet as plain Keras code (the cell tagged ``model-code``): run that
    cell on its own and compare its model with ``helpers.alexnet("paper")`` layer by layer, then give both
    the same weights and compare their outputs on one small batch."""
    source = _tagged_cell(ROOT / "notebooks" / "05_alexnet.ipynb", "model-code")
    namespace: dict = {"helpers": helpers}    # the set-up cell's `import helpers`, which the cell calls through
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, "05_alexnet.ipynb[model-code]", "exec"), namespace)  # noqa: S102 - our own notebook
    ours, theirs = namespace["model"], alexnet("paper")
    assert "60,965,224 parameters" in printed.getvalue()
    assert ours.count_params() == theirs.count_params() == PAPER_PARAMS == 60_965_224

    def layers(model):
        return [(l.name, type(l), tuple(l.output.shape), l.count_params()) for l in model.layers]

    assert layers(ours) == layers(theirs)
    assert ours.output_shape == theirs.output_shape == (None, 1000)
    for a, b in zip(ours.layers, theirs.layers):  # what shapes and counts do not show: activations, rates
        for key in ("activation", "rate", "groups", "depth_radius", "bias", "alpha", "beta"):
            assert a.get_config().get(key) == b.get_config().get(key), (a.name, key)

    theirs.set_weights(ours.get_weights())
    x = np.random.default_rng(0).normal(size=(2, 227, 227, 3)).astype("float32")
    for name in ("fc7", "fc8"):  # fc7: before the softmax can hide differences
        outputs = [keras.ops.convert_to_numpy(keras.Model(m.inputs[0], m.get_layer(name).output)(x, training=False))
                   for m in (ours, theirs)]
        assert np.ptp(outputs[0]) > 0
        np.testing.assert_allclose(outputs[0], outputs[1], rtol=1e-5, atol=1e-7)


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
    # the wording varies: "would be zero or negative" (Keras 3.15, at pool2), "would be negative" (3.13, at pool5)
    with pytest.raises(ValueError, match=r"output size would be (zero or )?negative"):
        keras.Sequential([keras.Input((32, 32, 3))] + alexnet_layers("seed"))


def test_seed_builds_at_its_smallest_input_and_not_one_below():
    assert smallest_input("seed") == 67
    assert alexnet("seed", input_shape=(67, 67, 3)).output_shape == (None, 10)
    with pytest.raises(ValueError, match="at least 67×67"):
        alexnet("seed", input_shape=(66, 66, 3))
    assert helpers.shape_trace(alexnet_layers("seed"), (67, 67, 3)).spatial_sizes[-1] == 1


def _configs(layers):
    return [(type(layer).__name__, layer.get_config()) for layer in layers]


def test_each_variant_has_its_own_builder_in_one_table():
    from helpers.alexnet_model import _BUILDERS

    assert set(_BUILDERS) == set(helpers.alexnet_model.VARIANTS)
    assert len(set(_BUILDERS.values())) == len(_BUILDERS)


def test_seed_is_the_paper_without_groups_lrn_or_imagenet_classes():
    # "paper" and "seed" share one writing-down of the 2012 stack (_krizhevsky_layers); this is the only difference
    assert _configs(alexnet_layers("seed")) == _configs(alexnet_layers("paper", grouped=False, lrn=False, num_classes=10))
    assert _configs(alexnet_layers("seed", lrn=True, dropout=0.0)) == _configs(
        alexnet_layers("paper", grouped=False, lrn=True, dropout=0.0, num_classes=10))
    assert "drop6" in [layer.name for layer in alexnet_layers("paper", dropout=0.0)]   # the 2012 stack keeps
    assert "drop6" not in [layer.name for layer in alexnet_layers("cifar", dropout=0.0)]  # its dropout layers


# --- errors -----------------------------------------------------------------------------------
def test_unknown_variant_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'paper', 'seed', 'cifar', 'cifar-classic'; got 'vgg'"):
        alexnet("vgg")


def test_too_small_input_names_the_layer():
    with pytest.raises(ValueError, match=r"'paper'.*layer 'conv1'.*at least 67×67"):
        alexnet("paper", input_shape=(10, 10, 3))
    with pytest.raises(ValueError, match="input_shape"):
        alexnet("cifar", input_shape=(32, 32))
    with pytest.raises(ValueError, match="activation"):
        alexnet("cifar", activation="softsign")


# --- the CIFAR variant: runs, saves, loads --------------------------------------------------
def test_cifar_classic_model_runs_and_is_small():
    model = alexnet("cifar-classic")
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
    plain = helpers.shape_trace(alexnet_layers("cifar-classic"), (32, 32, 3))
    nonover = helpers.shape_trace(alexnet_layers("cifar-classic", pool_size=2), (32, 32, 3))
    assert plain.spatial_sizes == nonover.spatial_sizes  # equal map sizes, as in the paper's comparison
    assert not any(isinstance(l, LocalResponseNormalization) for l in alexnet_layers("cifar-classic", lrn=False))
    assert not any(isinstance(l, keras.layers.Dropout) for l in alexnet_layers("cifar-classic", dropout=0))
    assert all(l.activation.__name__ == "tanh" for l in alexnet_layers("cifar-classic", activation="tanh")[:-1]
               if hasattr(l, "activation"))


@pytest.mark.parametrize("variant, shape", [("cifar", (32, 32, 3)), ("cifar-classic", (32, 32, 3)),
                                            ("seed", (67, 67, 3))])
def test_save_load_round_trip(tmp_path, variant, shape):
    model = alexnet(variant, input_shape=shape, **({"width": 0.25} if variant.startswith("cifar") else {}))
    x = np.random.default_rng(2).random((2, *shape), dtype="float32")
    path = tmp_path / f"{variant}.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x)), keras.ops.convert_to_numpy(model(x)),
                               rtol=1e-6, atol=1e-7)
    assert any(isinstance(l, LocalResponseNormalization) for l in loaded.layers) == (variant == "cifar-classic")


def test_paper_model_config_round_trip_without_weights():
    layers = alexnet_layers("paper", width=1 / 32, num_classes=10)   # same structure, tiny
    model = keras.Sequential([keras.Input((227, 227, 3))] + layers)
    clone = keras.Sequential.from_config(model.get_config())
    assert [type(l).__name__ for l in clone.layers] == [type(l).__name__ for l in model.layers]
    assert [getattr(l, "groups", None) for l in clone.layers] == [getattr(l, "groups", None) for l in model.layers]
    assert clone.count_params() == model.count_params()


def test_figure1_net_has_four_weight_layers_and_the_activations_own_init():
    from helpers.alexnet_model import figure1_net

    relu, tanh = figure1_net("relu"), figure1_net("tanh")
    for model, act, init in ((relu, "relu", "HeNormal"), (tanh, "tanh", "GlorotUniform")):
        weighted = [l for l in model.layers if l.weights]
        assert [type(l).__name__ for l in weighted] == ["Conv2D"] * 3 + ["Dense"]
        assert all(l.activation.__name__ == act for l in weighted[:3])
        assert all(type(l.kernel_initializer).__name__ == init for l in weighted)
        assert not any(isinstance(l, (keras.layers.Dropout, LocalResponseNormalization)) for l in model.layers)
    assert relu.count_params() == tanh.count_params() == 44_810
    assert relu.output_shape == (None, 10)
    same = figure1_net("tanh", kernel_initializer="he_normal")
    assert type(same.layers[0].kernel_initializer).__name__ == "HeNormal"
    with pytest.raises(ValueError, match="widths"):
        figure1_net(widths=(8, 8))
    with pytest.raises(ValueError, match="widths"):
        figure1_net(widths=(8, 0, 8))
    with pytest.raises(ValueError, match="input_shape"):
        figure1_net(input_shape=(32, 32))
    with pytest.raises(ValueError, match="input_shape"):
        figure1_net(input_shape=(2**20, 2**20, 3))                      # refused before any weight exists
    with pytest.raises(ValueError, match="kernel_initializer"):
        figure1_net(kernel_initializer="")


def test_figure1_net_checking_its_initializer_leaves_the_initial_weights_alone():
    """figure1_net validates kernel_initializer by making one, which draws a seed from Python's random;
    the state is put back, so a seeded build gives the weights an unchecked build gives."""
    from helpers.alexnet_model import figure1_net

    def weights(build):
        keras.utils.set_random_seed(7)
        return build().get_weights()

    def unchecked():  # the same layers, built without figure1_net's checks
        L = keras.layers
        layers = [keras.Input((32, 32, 3))]
        for i, filters in enumerate((16, 32, 32), start=1):
            layers += [L.Conv2D(filters, 5, padding="same", activation="relu", kernel_initializer="he_normal"),
                       L.MaxPooling2D(3, 2, padding="same")]
        return keras.Sequential(layers + [L.Flatten(), L.Dense(10, activation="softmax", kernel_initializer="he_normal")])

    for ours, plain in zip(weights(lambda: figure1_net("relu")), weights(unchecked)):
        np.testing.assert_array_equal(ours, plain)


# --- another Keras backend ----------------------------------------------------------------
OTHER_BACKENDS = [b for b, mod in (("jax", "jax"), ("torch", "torch")) if importlib.util.find_spec(mod)]


@pytest.mark.skipif(not OTHER_BACKENDS, reason="neither JAX nor PyTorch is installed")
def test_models_build_and_run_under_another_backend():
    script = textwrap.dedent("""
        import numpy as np, keras
        from helpers.alexnet_model import alexnet, alexnet_layers, LocalResponseNormalization
        from helpers.ops import lrn_reference
        assert keras.backend.backend() != "tensorflow", keras.backend.backend()
        x = np.random.default_rng(0).normal(size=(2, 4, 4, 9)).astype("float32")
        y = keras.ops.convert_to_numpy(LocalResponseNormalization(2, 2.0, 1e-2, 0.75)(x))
        np.testing.assert_allclose(y, lrn_reference(x, 2.0, 5, 1e-2, 0.75), rtol=1e-5, atol=1e-6)
        for variant, shape, kw in (("cifar", (32, 32, 3), {}), ("cifar-classic", (32, 32, 3), {}),
                                   ("seed", (67, 67, 3), {}),
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
