"""Lesson 06's CIFAR-10 AlexNet, its augmentation and its training recipe (helpers.cifar)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import keras
import numpy as np
import pytest

import helpers
from helpers.alexnet_model import LocalResponseNormalization, alexnet, alexnet_layers
from helpers.augment import FlipTranslate
from helpers.cifar import RECIPES, precision_policy, split_validation, train_cifar, whiten_conv1, whitening_kernel
from helpers.preprocessing import channel_stats, normalizer

ROOT = Path(__file__).resolve().parents[1]


# --- the model ---------------------------------------------------------------------------------
def test_cifar_model_keeps_alexnets_character():
    model = alexnet("cifar")
    convs = [l for l in model.layers if isinstance(l, keras.layers.Conv2D)]
    pools = [l for l in model.layers if isinstance(l, keras.layers.MaxPooling2D)]
    dense = [l for l in model.layers if isinstance(l, keras.layers.Dense)]
    assert [l.name for l in convs] == ["conv1", "conv2", "conv3", "conv4", "conv5"]
    assert [p.name for p in pools] == ["pool2", "pool3", "pool5"]
    assert all(p.pool_size == (3, 3) and p.strides == (2, 2) for p in pools)        # overlapping pooling
    assert [l.name for l in dense] == ["fc6", "fc7", "fc8"]
    assert sum(isinstance(l, keras.layers.Dropout) for l in model.layers) == 2
    acts = [l.activation.__name__ for l in model.layers if isinstance(l, keras.layers.Activation)]
    assert acts == ["relu"] * 5
    assert sum(isinstance(l, keras.layers.BatchNormalization) for l in model.layers) == 4
    assert convs[0].filters == 2 * 3 * 3 * 3          # one filter per sign of each whitening direction
    y = keras.ops.convert_to_numpy(model(np.zeros((2, 32, 32, 3), "float32")))
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-5)


def test_cifar_map_sizes_and_parameters():
    trace = helpers.shape_trace(alexnet_layers("cifar"), (32, 32, 3))
    assert trace.ok and trace.spatial_sizes == [32, 32, 32, 16, 16, 8, 8, 8, 4]
    model = alexnet("cifar")
    # conv1 1458, conv2 31104, conv3 147456, conv4/conv5 589824 each, BN offsets 64+3·256,
    # fc6 4096·512+512, fc7 512·512+512, fc8 5130
    expected = 1458 + 31104 + 147456 + 2 * 589824 + 64 + 3 * 256 + (4096 * 512 + 512) + (512 * 512 + 512) + 5130
    assert model.count_params() - sum(np.prod(w.shape) for w in model.non_trainable_weights) == expected


def test_lrn_instead_of_batch_norm():
    layers = alexnet_layers("cifar", lrn=True)
    assert sum(isinstance(l, LocalResponseNormalization) for l in layers) == 4
    assert not any(isinstance(l, keras.layers.BatchNormalization) for l in layers)
    assert all(l.use_bias for l in layers if isinstance(l, keras.layers.Conv2D) and l.name != "conv1")


def test_mixed_bfloat16_model_outputs_float32_probabilities():
    model = alexnet("cifar", width=0.25, dtype="mixed_bfloat16")
    assert model.get_layer("conv2").compute_dtype == "bfloat16"
    assert model.get_layer("conv2").kernel.dtype == "float32"         # weights stay float32
    y = model(np.zeros((1, 32, 32, 3), "float32"))
    assert keras.backend.standardize_dtype(y.dtype) == "float32"


def test_cifar_inputs_it_takes_and_those_it_cannot():
    # "same" convs and pools never shrink a map to zero, so any image size builds (fc6 grows with it) ...
    assert alexnet("cifar", input_shape=(64, 64, 3), width=0.125).get_layer("flatten").output.shape[-1] == 8 * 8 * 32
    # ... but not a shape without channels, or of the wrong kind
    for bad in ((32, 32), (32, 32, 0), (32.0, 32, 3)):
        with pytest.raises(ValueError, match="input_shape must be"):
            alexnet("cifar", input_shape=bad)


# --- whitening ---------------------------------------------------------------------------------
def _correlated_images(n=400, seed=0):
    rng = np.random.default_rng(seed)
    base = rng.normal(size=(n, 10, 10, 1))
    smooth = (base + np.roll(base, 1, axis=1) + np.roll(base, 1, axis=2)) / 3        # neighbours correlate
    return np.concatenate([smooth, 0.5 * smooth + 0.1 * rng.normal(size=smooth.shape), rng.normal(size=smooth.shape)],
                          axis=-1)


def test_whitening_kernel_makes_patches_uncorrelated_with_unit_variance():
    x = _correlated_images()
    kernel = whitening_kernel(x, size=3, eps=0.0)
    assert kernel.shape == (3, 3, 3, 54)
    np.testing.assert_allclose(kernel[..., 27:], -kernel[..., :27])
    patches = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(1, 2)).transpose(0, 1, 2, 4, 5, 3)
    patches = patches.reshape(-1, 27)
    out = patches @ kernel[..., :27].reshape(27, 27)
    np.testing.assert_allclose(out.T @ out / len(out), np.eye(27), atol=1e-3)


def test_whitening_kernel_and_conv1_errors():
    with pytest.raises(ValueError, match="at least 3×3"):
        whitening_kernel(np.zeros((2, 2, 2, 3)))
    model = alexnet("cifar", width=0.25)
    with pytest.raises(ValueError, match=r"conv1's kernel has shape \(3, 3, 3, 54\)"):
        whiten_conv1(model, np.zeros((2, 2, 3, 24), "float32"))


def test_whitened_conv1_is_frozen_and_survives_saving(tmp_path):
    model = alexnet("cifar", width=0.25)
    kernel = whitening_kernel(_correlated_images(), size=3)
    whiten_conv1(model, kernel)
    assert not model.get_layer("conv1").trainable
    assert all("conv1" not in v.path for v in model.trainable_variables)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert not loaded.get_layer("conv1").trainable
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded.get_layer("conv1").kernel), kernel)


def test_precision_policy_choices():
    for name in ("float32", "mixed_bfloat16", "mixed_float16"):
        assert precision_policy(name) == name
    assert precision_policy("auto") in ("float32", "mixed_bfloat16", "mixed_float16")
    with pytest.raises(ValueError, match="precision must be 'auto'"):
        precision_policy("float16")


@pytest.mark.parametrize("gpus, cpu_flags, expected", [
    ([(8, 0)], "", "mixed_bfloat16"),                   # A100: bf16 in hardware
    ([(9, 0), (8, 9)], "", "mixed_bfloat16"),           # H100 + L4
    ([(7, 5)], "avx512_bf16", "mixed_float16"),         # Colab's T4: float16 tensor cores, no bf16; the GPU decides
    ([(7, 0)], "", "mixed_float16"),                    # V100
    ([(8, 6), (7, 5)], "", "mixed_float16"),            # the weakest GPU decides
    ([(6, 1)], "", "float32"),                          # P100-class: no tensor cores
    ([None], "", "float32"),                            # compute capability not reported
    ([], "flags : fpu avx512_bf16 amx_tile", "mixed_bfloat16"),  # CPU with bf16 instructions
    ([], "flags : fpu avx2 fma", "float32"),            # this machine's kind of CPU
])
def test_precision_policy_auto_from_faked_devices(monkeypatch, gpus, cpu_flags, expected):
    import helpers.cifar as cifar

    monkeypatch.setattr(cifar, "_gpu_capabilities", lambda: gpus)
    monkeypatch.setattr(cifar, "_cpu_flags", lambda: cpu_flags)
    assert precision_policy("auto") == expected


def test_gpu_capabilities_read_from_tensorflow(monkeypatch):
    import tensorflow as tf

    import helpers.cifar as cifar

    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind: ["gpu0", "gpu1"] if kind == "GPU" else [])
    details = {"gpu0": {"compute_capability": (7, 5), "device_name": "Tesla T4"}, "gpu1": {}}
    monkeypatch.setattr(tf.config.experimental, "get_device_details", lambda d: details[d])
    assert cifar._gpu_capabilities() == [(7, 5), None]


def test_train_cifar_scales_the_loss_under_float16():
    run = train_cifar(_tiny_cifar(), build=lambda dropout, dtype: alexnet("cifar", width=0.125, dropout=dropout,
                                                                        dtype=dtype),
                      epochs=1, batch_size=32, quick=False, verbose=None, precision="mixed_float16", validation=32)
    assert run.settings["precision"] == "mixed_float16"
    assert isinstance(run.model.optimizer, keras.optimizers.LossScaleOptimizer)
    assert run.model.get_layer("conv2").compute_dtype == "float16"
    assert np.isfinite(run.history["loss"][-1])




# --- training ----------------------------------------------------------------------------------
def _tiny_cifar(n=256, seed=0):
    """Two easy classes (bright vs dark images), shaped like CIFAR-10."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = np.clip(rng.normal(80 + 100 * y[:, None, None, None], 30, (n, 32, 32, 3)), 0, 255).astype("uint8")
    return (x, y.reshape(-1, 1)), (x[:64], y[:64].reshape(-1, 1))


def test_train_cifar_learns_an_easy_task_and_reports_throughput():
    run = train_cifar(_tiny_cifar(n=320), build=lambda dropout, dtype: alexnet("cifar", width=0.125, dropout=dropout,
                                                                        dtype=dtype),
                      epochs=3, batch_size=32, learning_rate=0.05, quick=False, verbose=None, precision="float32",
                      validation=64)
    assert run.settings["epochs"] == 3 and run.settings["precision"] == "float32"
    assert len(run.history["val_accuracy"]) == 3 and run.images_per_second > 0
    assert run.tta_accuracy >= 0.9 and run.test_accuracy >= 0.9
    assert run.probabilities.shape == (64, 10)
    assert not run.model.get_layer("conv1").trainable
    # validation accuracy without and with each test-time augmentation: the recipe's "tta" is chosen there
    assert set(run.validation_tta) == {"plain", "six", "ten"}
    assert run.validation_tta["plain"] == pytest.approx(run.history["val_accuracy"][-1], abs=1e-6)


def test_train_cifar_whitens_patches_of_conv1s_own_size():
    data = _tiny_cifar()
    run = train_cifar(data, build=lambda dropout, dtype: alexnet("cifar", width=0.125, first_kernel=2,
                                                                 dropout=dropout, dtype=dtype),
                      epochs=1, batch_size=32, quick=False, verbose=None, precision="float32", validation=32)
    conv1 = run.model.get_layer("conv1")
    x = data[0][0][:-32]    # the whitening is computed on the training part only, never on validation
    expected = whitening_kernel(normalizer(*channel_stats(x))(x), size=2)
    assert tuple(conv1.kernel.shape) == (2, 2, 3, 24) and not conv1.trainable
    np.testing.assert_allclose(np.asarray(conv1.kernel), expected, rtol=1e-5, atol=1e-5)


def test_train_cifar_rejects_unknown_settings():
    with pytest.raises(ValueError, match=r"unknown recipe settings \['lr'\]"):
        train_cifar(_tiny_cifar(), lr=0.1)
    for recipe in RECIPES.values():
        assert set(recipe) >= {"epochs", "batch_size", "learning_rate", "label_smoothing", "shift", "whiten", "width"}
    with pytest.raises(ValueError, match=r"recipe must be one of \['class', 'long'\]; got 'fast'"):
        train_cifar(_tiny_cifar(), recipe="fast")
    with pytest.raises(ValueError, match="epochs"):
        train_cifar(_tiny_cifar(), epochs=0)


def test_train_cifar_tests_with_the_recipes_test_time_views():
    """tta="ten": the test probabilities are the paper's ten views (centre and four corners, each mirrored), and a
    final fit (validation=0) has no validation accuracies."""
    from helpers.cifar import TEN_VIEWS, TTA_VIEW_SETS, predict_tta
    from helpers.train import predict

    assert len(TEN_VIEWS) == 10 and sum(w for w, *_ in TEN_VIEWS) == pytest.approx(1.0)
    assert {(flip, dy, dx) for _, flip, dy, dx in TEN_VIEWS} == {
        (flip, dy, dx) for flip in (False, True) for dy, dx in ((0, 0), (2, 2), (2, -2), (-2, 2), (-2, -2))}
    assert TTA_VIEW_SETS["six"] is not TTA_VIEW_SETS["ten"]
    (x, y), test = _tiny_cifar(n=96)
    run = train_cifar(((x, y), test), build=lambda dropout, dtype: alexnet("cifar", width=0.125, dropout=dropout,
                                                                         dtype=dtype),
                      epochs=1, batch_size=32, quick=False, verbose=None, precision="float32", validation=0, tta="ten")
    assert run.validation_tta is None and run.settings["tta"] == "ten"
    preprocess = normalizer(*channel_stats(x))
    np.testing.assert_allclose(run.probabilities, predict_tta(run.model, test[0], preprocess, views=TEN_VIEWS),
                               rtol=1e-5, atol=1e-6)
    assert run.test_accuracy == pytest.approx(np.mean(predict(run.model, test[0], preprocess).argmax(1) == test[1][:, 0]))
    for bad in ("nine", 10, None):
        with pytest.raises(ValueError, match=r"tta must be one of \['six', 'ten'\]"):
            train_cifar(((x, y), test), tta=bad)


def test_recipes_differ_only_in_size_length_and_whitening_size():
    """The class-length recipe is the long one made narrower and shorter; the whitening patches differ too (each
    size chosen on validation at its width, docs/benchmarks.md); every other choice is shared."""
    class_, long_ = RECIPES["class"], RECIPES["long"]
    assert {k for k in class_ if class_[k] != long_[k]} == {"epochs", "width", "first_kernel"}
    assert class_["width"] < long_["width"] and class_["epochs"] < long_["epochs"]
    assert (class_["first_kernel"], long_["first_kernel"]) == (3, 2)


def test_make_optimizer_decays_kernels_outside_the_momentum_and_leaves_biases_alone():
    """Keras' weight decay is decoupled: with no gradient a kernel shrinks by exactly (1 - lr·λ) per step, while
    the paper's rule (decay inside the momentum, Krizhevsky et al. 2012, Sec. 5) shrinks it about ten times as
    fast. Lesson 06 shows the same numbers (0.50% against 4.47% in 100 steps); biases are not decayed."""
    from helpers.cifar import make_optimizer
    kernel, bias = keras.Variable([1.0], name="kernel"), keras.Variable([1.0], name="bias")
    opt = make_optimizer(0.1, momentum=0.9, weight_decay=5e-4)
    for _ in range(100):
        opt.apply_gradients([(keras.ops.zeros(1), kernel), (keras.ops.zeros(1), bias)])
    np.testing.assert_allclose(kernel.numpy(), [(1 - 0.1 * 5e-4) ** 100], rtol=1e-6)
    assert float(bias.numpy()[0]) == 1.0
    v, w = 0.0, 1.0
    for _ in range(100):
        v = 0.9 * v - 5e-4 * 0.1 * w
        w += v
    assert round(1 - float(kernel.numpy()[0]), 4) == 0.0050 and round(1 - w, 4) == 0.0447
    assert 8.5 < (1 - w) / (1 - float(kernel.numpy()[0])) < 10


def test_split_validation_holds_out_the_last_images_of_the_training_set():
    (x, y), test = _tiny_cifar(n=100)
    (train, (x_val, y_val)), test2 = split_validation(((x, y), test), n=30)
    assert len(train[0]) == 70 and len(x_val) == 30 and test2 is test
    np.testing.assert_array_equal(x_val, x[70:])
    np.testing.assert_array_equal(np.concatenate([train[1], y_val]), y)
    for bad in (0, 100, 2.5, True):
        with pytest.raises((ValueError, TypeError), match="n"):
            split_validation(((x, y), test), n=bad)


def test_train_cifar_curves_use_validation_and_the_test_set_once():
    """history's val_* come from the held-out training images; the test set gives only the final accuracies."""
    (x, y), _ = _tiny_cifar(n=160)
    dark = np.zeros((64, 32, 32, 3), "uint8")             # a "test set" unlike the training data, labelled 1
    run = train_cifar(((x, y), (dark, np.ones((64, 1), int))), validation=48, epochs=2, batch_size=32,
                      learning_rate=0.05, quick=False, verbose=None, precision="float32",
                      build=lambda dropout, dtype: alexnet("cifar", width=0.125, dropout=dropout, dtype=dtype))
    assert run.settings["validation"] == 48 and len(run.history["val_accuracy"]) == 2
    assert run.probabilities.shape == (64, 10)
    # the curves are not the test set's: all-dark images are one class, the validation images are two
    from helpers.cifar import channel_stats, normalizer
    from helpers.train import predict
    on_validation = predict(run.model, x[-48:], normalizer(*channel_stats(x[:-48])), 48).argmax(1)
    assert np.mean(on_validation == y[-48:, 0]) == pytest.approx(run.history["val_accuracy"][-1], abs=1e-6)
    assert run.tta_accuracy == pytest.approx(np.mean(run.probabilities.argmax(1) == 1))   # TTA on the test set


def test_train_cifar_with_mirrored_strategy_over_two_cpus():
    script = textwrap.dedent("""
        import numpy as np, tensorflow as tf
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
        strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
        assert strategy.num_replicas_in_sync == 2
        from helpers.alexnet_model import alexnet
        from helpers.cifar import train_cifar
        rng = np.random.default_rng(0)
        y = rng.integers(0, 2, 128)
        x = np.clip(rng.normal(80 + 100 * y[:, None, None, None], 30, (128, 32, 32, 3)), 0, 255).astype("uint8")
        run = train_cifar(((x, y), (x[:32], y[:32])), epochs=2, batch_size=32, quick=False, verbose=None, validation=32,
                          precision="float32", strategy=strategy,
                          build=lambda dropout, dtype: alexnet("cifar", width=0.125, dropout=dropout, dtype=dtype))
        assert run.model.distribute_strategy is strategy
        kernel = run.model.get_layer("conv2").kernel.value        # the tf.Variable under Keras' Variable
        assert "Mirrored" in type(kernel).__name__, type(kernel)  # one copy per replica, kept in sync
        assert run.probabilities.shape == (32, 10)
        assert len(run.history["loss"]) == 2 and np.isfinite(run.history["loss"][-1])
        print("OK replicas", strategy.num_replicas_in_sync)
    """)
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "OK replicas 2" in done.stdout


def test_tta_views():
    from helpers.cifar import TTA_VIEWS, predict_tta

    assert sum(w for w, *_ in TTA_VIEWS) == pytest.approx(1.0)

    class Mean:  # a "model" whose class-1 probability is the mean pixel value: equal for every view here
        output_shape = (None, 2)

        def predict_on_batch(self, b):
            m = b.reshape(len(b), -1).mean(axis=1, keepdims=True)
            return np.concatenate([1 - m, m], axis=1)

    flat = np.full((3, 5, 5, 1), 0.25, "float32")
    np.testing.assert_allclose(predict_tta(Mean(), flat, lambda b: np.asarray(b, "float32")), [[0.75, 0.25]] * 3)
