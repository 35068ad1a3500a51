"""helpers.train: the recipe on tiny synthetic data (seconds)."""

from __future__ import annotations

import io

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from helpers import train  # noqa: E402
from helpers.augment import FlipTranslate  # noqa: E402
from helpers.config import QUICK_ENV  # noqa: E402

pytestmark = pytest.mark.tf


def _data(n=96, n_test=32):
    """Two classes: a bright bar on the left or on the right of a 12x12 image (uint8)."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, n + n_test)
    x = rng.integers(0, 40, (n + n_test, 12, 12)).astype("uint8")
    for i, label in enumerate(y):
        x[i, :, 1:4] += np.uint8(200 * (label == 0))
        x[i, :, 8:11] += np.uint8(200 * (label == 1))
    return (x[:n], y[:n]), (x[n:], y[n:])


def _tiny():
    L = keras.layers
    return keras.Sequential([keras.Input((12, 12, 1)), L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(2),
                             L.Flatten(), L.Dense(2, activation="softmax")])


def test_fit_records_history_and_times_and_learns(capsys):
    run = train.fit(_tiny(), _data(), epochs=3, batch_size=16, learning_rate=0.01, quick=False, verbose="epoch")
    assert set(run.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(run.epoch_times) == len(run.epoch_wall_times) == 3 == len(run.history["loss"])
    assert all(t > 0 for t in run.epoch_times) and run.total_time == pytest.approx(sum(run.epoch_times))
    assert run.history["val_accuracy"][-1] >= 0.9
    assert run.time_to(0.0) == pytest.approx(run.epoch_times[0])
    assert run.time_to(2.0) is None
    out = capsys.readouterr().out
    assert out.count("\n") == 3 and "epoch 3/3" in out


def test_fit_is_repeatable_with_a_seed():
    a = train.fit(_tiny, _data(), epochs=2, batch_size=16, quick=False, verbose=None, seed=7)
    b = train.fit(_tiny, _data(), epochs=2, batch_size=16, quick=False, verbose=None, seed=7)
    np.testing.assert_allclose(a.history["loss"], b.history["loss"], rtol=1e-5)


def test_quick_mode_caps_epochs_and_subset(monkeypatch):
    monkeypatch.setenv(QUICK_ENV, "1")
    run = train.fit(_tiny(), _data(), epochs=5, batch_size=16, verbose=None, quick_subset=(40, 10))
    assert run.quick and len(run.epoch) == train.QUICK_EPOCHS and run.n_train == 40


def test_progress_bar_is_one_line_per_epoch():
    stream = io.StringIO()
    timer = train.EpochTimer()
    run = train.fit(_tiny(), _data(), epochs=2, batch_size=8, quick=False, verbose=None,
                    callbacks=[train.CompactProgress(2, 12, timer, stream=stream), timer])
    text = stream.getvalue()
    assert text.count("\n") == 2 and "\r" in text and "[" in text
    assert len(run.epoch) == 2


def test_strategy_needs_a_builder_and_builds_in_scope():
    import tensorflow as tf

    strategy = tf.distribute.get_strategy()
    with pytest.raises(ValueError, match="function that builds"):
        train.fit(_tiny(), _data(), strategy=strategy, quick=False, verbose=None)
    run = train.fit(_tiny, _data(), epochs=1, strategy=strategy, quick=False, verbose=None)
    assert isinstance(run.model, keras.Model)


def test_batches_keep_uint8_and_convert_per_batch():
    (x, y), _ = _data()
    batches = train.Batches(x, y, batch_size=32, preprocess=train.default_preprocess(_tiny()), shuffle=True, seed=1)
    assert len(batches) == 3 and batches.x.dtype == np.uint8
    xb, yb = batches[0]
    assert xb.dtype == np.float32 and xb.shape == (32, 12, 12, 1) and 0 <= xb.min() and xb.max() <= 1
    seen = np.concatenate([batches[i][1] for i in range(len(batches))])
    assert sorted(seen) == sorted(y)


def test_batches_smooth_one_hot_targets_and_augment():
    x = np.zeros((10, 4, 4, 3), "uint8")
    y = np.arange(10) % 4
    calls = []

    def augment(batch, rng):
        calls.append(len(batch))
        return batch + 1

    b = train.Batches(x, y, batch_size=4, augment=augment, num_classes=4, label_smoothing=0.2)
    xb, yb = b[0]
    assert calls == [4] and np.all(xb == 1)
    np.testing.assert_allclose(yb.sum(axis=1), 1.0)
    np.testing.assert_allclose(yb[np.arange(4), y[:4]], 0.85)            # 1 - 0.2 + 0.2/4
    np.testing.assert_allclose(np.sort(yb[0])[:3], 0.05)


def test_batches_give_alternating_flips_the_index_and_epoch():
    x = np.zeros((10, 4, 4, 3), "uint8")
    x[:, :, 0] = 255                                                 # a bright left column shows mirroring
    aug = FlipTranslate(shift=0, flips="alternating")
    assert aug.needs_index and not FlipTranslate().needs_index and "alternating" in repr(aug)
    b = train.Batches(x, np.zeros(10), batch_size=10, augment=aug, shuffle=True)
    epochs = []
    for _ in range(3):
        xb, _ = b[0]
        epochs.append(xb[:, 0, -1, 0] == 255)                        # mirrored images
        b.on_epoch_end()
    assert np.array_equal(epochs[1], ~epochs[0]) and np.array_equal(epochs[2], epochs[0])
    with pytest.raises(ValueError, match="flips must be"):
        FlipTranslate(flips="sometimes")


def test_fit_passes_each_epoch_to_an_indexed_augmentation():
    seen = []

    class Record:
        needs_index = True

        def __call__(self, x, rng, index=None, epoch=None):
            seen.append((epoch, tuple(index)))
            return x

    x = np.zeros((8, 4, 4, 1), "uint8")
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(2, activation="softmax")])
    train.fit(model, (x, np.zeros(8)), epochs=3, batch_size=4, quick=False, verbose=None, augment=Record(),
        preprocess=lambda b: b.astype("float32"))
    epochs = sorted({e for e, _ in seen})
    assert epochs[:3] == [0, 1, 2] and len(epochs) <= 4    # tf.data may prefetch one more epoch at the end
    for e in epochs:                                     # every image once per epoch
        assert sorted(i for ep, idx in seen if ep == e for i in idx) == list(range(8))


def test_default_preprocess_pads_to_the_model_input():
    model = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Flatten()])
    out = train.default_preprocess(model)(np.full((1, 12, 12), 255, "uint8"))
    assert out.shape == (1, 16, 16, 1) and out[0, 0, 0, 0] == 0 and out[0, 2, 2, 0] == 1


def test_evaluate_and_bad_arguments():
    run = train.fit(_tiny(), _data(), epochs=2, batch_size=16, learning_rate=0.01, quick=False, verbose=None)
    _, test = _data()
    res = train.evaluate(run.model, test, batch_size=10)
    assert res["predicted"].shape == (32,) and res["probabilities"].shape == (32, 2)
    assert res["accuracy"] == pytest.approx(1 - res["error"])
    with pytest.raises(ValueError, match="verbose"):
        train.fit(_tiny(), _data(), verbose="loud")
    with pytest.raises(ValueError, match="epochs"):
        train.fit(_tiny(), _data(), epochs=0)
    with pytest.raises(ValueError, match="data must be"):
        train.fit(_tiny(), "mnist")


def test_cosine_schedule_warms_up_then_decays_to_zero():
    s = train.cosine_schedule(1e-2, total_steps=100, warmup_steps=10)
    lr = [float(s(i)) for i in range(101)]
    assert lr[0] == pytest.approx(1e-3) and lr[10] == pytest.approx(1e-2)
    assert all(a < b for a, b in zip(lr[:10], lr[1:11]))               # linear warm-up
    assert all(a >= b for a, b in zip(lr[10:], lr[11:]))               # then only decreasing
    assert lr[100] == pytest.approx(0.0, abs=1e-9)
    assert float(train.cosine_schedule(1.0, 10)(0)) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="warmup_steps"):
        train.cosine_schedule(1e-3, total_steps=10, warmup_steps=10)
    with pytest.raises(ValueError, match="peak"):
        train.cosine_schedule(0, total_steps=10)


def test_fit_with_cosine_schedule_learns_and_rejects_unknown_schedules():
    run = train.fit(_tiny(), _data(), epochs=3, batch_size=16, learning_rate=0.01, schedule="cosine",
                    warmup_epochs=1, quick=False, verbose=None)
    assert run.history["val_accuracy"][-1] >= 0.9
    lr = run.model.optimizer.learning_rate
    assert float(lr) == pytest.approx(0.0, abs=1e-6)                  # decayed to 0 after the last step
    with pytest.raises(ValueError, match="schedule"):
        train.fit(_tiny(), _data(), epochs=1, schedule="step", quick=False, verbose=None)


def test_batches_and_fit_refuse_what_they_used_to_misread():
    x = np.zeros((4, 12, 12), "uint8")
    with pytest.raises(ValueError, match="num_classes"):
        train.Batches(x, np.zeros(4), label_smoothing=0.1)        # before: smoothing silently ignored
    with pytest.raises(ValueError, match="one label per example"):
        train.Batches(x, np.zeros((4, 3)))                        # before: column 0 of one-hot rows kept
    with pytest.raises(ValueError, match="seed"):
        train.Batches(x, np.zeros(4), seed=-1)
    with pytest.raises(TypeError, match="callbacks"):
        train.fit(_tiny(), _data(), callbacks=True, quick=False, verbose=None)
    with pytest.raises(ValueError, match="optimizer"):
        train.fit(_tiny(), _data(), optimizer="adamm", quick=False, verbose=None)
    with pytest.raises(TypeError, match="model"):
        train.predict("lenet", x)


class _Recording(train.Batches):
    """Batches that note a fingerprint of every batch they hand out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = []

    def __getitem__(self, i):
        x, y = super().__getitem__(i)
        self.seen.append((i, float(np.asarray(x, "float64").sum()), float(np.asarray(y, "float64").sum())))
        return x, y


def _fed_batches(via_keras_input: bool):
    """The batches a 3-epoch fit feeds, through keras_input or as Keras' own PyDataset pipeline."""
    (x, y), (xv, yv) = _data()
    batches = _Recording(x, y, batch_size=16, preprocess=train.default_preprocess(_tiny()), shuffle=True, seed=3,
                         augment=FlipTranslate(2, "alternating"), num_classes=2, label_smoothing=0.1)
    keras.utils.set_random_seed(7)
    net = _tiny()
    net.compile(optimizer="sgd", loss="categorical_crossentropy")
    if via_keras_input:
        net.fit(train.keras_input(batches, shuffle=True), epochs=3, shuffle=False, verbose=0,
                callbacks=[train.EpochEnd(batches)])
    else:
        net.fit(batches, epochs=3, shuffle=True, verbose=0)
    return batches.seen


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="keras_input builds a tf.data pipeline")
def test_keras_input_feeds_the_batches_keras_own_pipeline_would():
    # fit hands Keras this pipeline to avoid tf.data's end-of-epoch stalls; it must not change what is learned
    ours, keras_own = _fed_batches(True), _fed_batches(False)
    assert len(ours) == 2 + 3 * 6                          # two read for the signature, then 3 epochs of 6
    assert ours == keras_own                               # same batches, same order, same augmentations
    assert sorted(i for i, *_ in ours[2:8]) == list(range(6)) and [i for i, *_ in ours[2:8]] != list(range(6))


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="keras_input builds a tf.data pipeline")
def test_keras_input_switches_off_autotuning_and_checks_its_argument():
    (x, y), _ = _data()
    ds = train.keras_input(train.Batches(x, y, batch_size=40))
    assert ds.options().autotune.enabled is False          # the autotune thread is what stalled the teardown
    assert int(ds.cardinality()) == 3
    assert [tuple(b[0].shape) for b in ds] == [(40, 12, 12), (40, 12, 12), (16, 12, 12)]
    with pytest.raises(TypeError, match="batches must be a helpers.train.Batches"):
        train.keras_input((x, y))
    with pytest.raises(TypeError, match="shuffle must be True or False, got 'yes'"):
        train.keras_input(train.Batches(x, y), shuffle="yes")
