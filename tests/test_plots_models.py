"""helpers.plots.models: every figure works on LeNet-5 and on a learner's own small CNN."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")
pytest.importorskip("matplotlib")

from helpers import lenet5  # noqa: E402
from helpers.plots import models as pm  # noqa: E402

pytestmark = pytest.mark.tf


def _mine():
    L = keras.layers
    return keras.Sequential([keras.Input((20, 20, 1)), L.Conv2D(3, 3, activation="relu", name="c"),
                             L.MaxPooling2D(2, name="p"), L.Flatten(), L.Dense(4, activation="softmax")], name="mine")


@pytest.mark.parametrize("build", [_mine, lambda: lenet5("paper"), lambda: lenet5("seed")])
def test_diagram_table_maps_filters_on_any_cnn(build):
    model = build()
    fig = pm.network_diagram(model)
    assert len(fig.axes[0].patches) >= len(model.layers)
    table = pm.layer_table(model)
    assert table.ok and table.total_params == sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    x = np.random.default_rng(0).uniform(size=model.input_shape[1:]).astype("float32")
    fig = pm.feature_maps(model, x, max_maps=4, title="maps of one input")
    n4d = sum(len(layer.output.shape) == 4 for layer in model.layers)
    assert len(fig.axes) == n4d * 6  # the input column, 4 maps and a colour bar per layer
    assert fig._suptitle.get_text() == "maps of one input"
    # the maps of one layer share one colour scale
    first_row = [ax.images[0].get_clim() for ax in fig.axes[1:5] if ax.images]
    assert len(set(first_row)) == 1
    first_conv = next(layer for layer in model.layers if "Conv" in type(layer).__name__)
    fig = pm.conv_filters(first_conv)
    assert len(fig.axes) == first_conv.kernel.shape[-1] + 1  # one panel per filter, and the colour bar
    assert fig.axes[-1].get_ylabel() == "weight"


def test_feature_maps_and_filters_reject_what_they_cannot_show():
    dense_only = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="feature maps"):
        pm.feature_maps(dense_only, np.zeros(4, "float32"))
    with pytest.raises(ValueError, match="no 2-D convolution kernel"):
        pm.conv_filters(_mine(), "p")


def test_evaluation_figures():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 10, 200)
    pred = np.where(rng.uniform(size=200) < 0.9, y, (y + 1) % 10)
    counts = pm.confusion_counts(y, pred, 10)
    assert counts.sum() == 200 and np.trace(counts) == np.sum(y == pred)
    assert pm.confusion_matrix(y, pred, 10).axes
    imgs = rng.integers(0, 255, (200, 28, 28)).astype("uint8")
    probs = np.full((200, 10), 0.1)
    fig = pm.misclassified(imgs, y, pred, probs, n=8, cols=4)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert len(titles) == min(8, int(np.sum(y != pred))) and "→" in titles[0]
    assert pm.per_class_accuracy(y, {"a": pred, "b": y}).axes
    # long class names (CIFAR-10's) are tilted so that they do not overlap; digits stay upright
    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    for fig in (pm.confusion_matrix(y, pred, 10, class_names=names), pm.per_class_accuracy(y, {"a": pred}, names)):
        fig.canvas.draw()
        ticks = fig.axes[0].get_xticklabels()
        assert [t.get_text() for t in ticks] == names and ticks[0].get_rotation() == 35
        # parallel slanted lines of text: neighbours are dx·sin(35°) apart across the text, which must exceed its height
        dx = np.diff([t.get_window_extent().x1 for t in ticks]).min()
        height = ticks[0].get_fontsize() * fig.dpi / 72
        assert dx * np.sin(np.radians(35)) > height
    assert pm.confusion_matrix(y, pred, 10).axes[0].get_xticklabels()[0].get_rotation() == 0
    hist = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6], "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}
    fig = pm.learning_curves({"run": hist})
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 2


def test_a_branching_model_is_refused_by_the_chain_diagram_with_the_layer_named():
    import keras

    from helpers.plots import models as figs

    x = keras.Input((8, 8, 2))
    y = keras.layers.Conv2D(2, 3, padding="same", name="c")(x)
    model = keras.Model(x, keras.layers.Add(name="skip")([x, y]))
    with pytest.raises(ValueError, match="'skip'"):
        figs.network_diagram(model)
    chain = keras.Model(x, keras.layers.Conv2D(2, 3, name="c2")(x))
    assert figs.network_diagram(chain) is not None  # a chain-shaped functional model still draws


def test_conv_filters_refuses_a_dense_layer_and_a_bad_channel():
    import keras

    from helpers.plots import models as figs

    model = keras.Sequential([keras.Input((6, 6, 2)), keras.layers.Conv2D(3, 3, name="c"),
                              keras.layers.Flatten(), keras.layers.Dense(2, name="d")])
    with pytest.raises(ValueError, match="'d' \\(Dense\\)"):
        figs.conv_filters(model, "d")
    with pytest.raises(ValueError, match="channel"):
        figs.conv_filters(model, "c", channel=2)
    assert figs.conv_filters(model, "c", channel=1) is not None


def test_feature_maps_draws_only_the_layers_asked_for():
    model = lenet5("paper")
    x = np.zeros(model.input_shape[1:], "float32")
    fig = pm.feature_maps(model, x, max_maps=2, layers=["C1", "S2"])
    assert len(fig.axes) == 2 * 4
    assert model.name in fig._suptitle.get_text()


def test_rbf_prototypes_draws_each_class_with_a_colour_bar():
    from helpers.lenet_model import digit_prototypes

    fig = pm.rbf_prototypes(digit_prototypes())
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == 10 and len(fig.axes) == 11
    np.testing.assert_array_equal(panels[3].images[0].get_array(), digit_prototypes()[:, 3].reshape(12, 7))
    assert panels[0].images[0].get_clim() == (-1, 1)
    assert "series" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="prototypes"):
        pm.rbf_prototypes(np.ones((80, 10)))


def test_accuracy_under_transforms_one_panel_per_transform_lines_differ_in_style():
    panels = {"shift right (pixels)": ([0, 1, 2], {"all": [0.9, 0.8, 0.7], "kept ink": [0.9, 0.8, 0.6]}),
              "zoom factor": ([0.8, 1.0], {"all": [0.7, 0.9]})}
    fig = pm.accuracy_under_transforms(panels, title="LeNet-5 on moved digits")
    assert len(fig.axes) == 2 and fig._suptitle.get_text() == "LeNet-5 on moved digits"
    lines = fig.axes[0].get_lines()
    assert [line.get_linestyle() for line in lines] == ["-", "--"]
    np.testing.assert_allclose(lines[1].get_ydata(), [0.9, 0.8, 0.6])
    assert fig.axes[1].get_xlabel() == "zoom factor" and fig.axes[1].get_ylabel() == "test accuracy"
    with pytest.raises(ValueError, match="one per amount"):
        pm.accuracy_under_transforms({"zoom": ([1.0, 2.0], {"all": [0.5]})})
    with pytest.raises(ValueError, match="non-empty dict"):
        pm.accuracy_under_transforms({})


def test_confusion_matrix_is_legible_and_has_a_colour_bar():
    """It was 288×259 px with 7-point numbers; now it is shown at about 530×450 px, with 10-point numbers
    and class names, and a colour bar for its log colour scale."""
    rng = np.random.default_rng(2)
    y = rng.integers(0, 10, 1000)
    pred = np.where(rng.uniform(size=1000) < 0.9, y, (y + 3) % 10)
    fig = pm.confusion_matrix(y, pred, 10, title="a model on MNIST")
    width, height = fig.get_size_inches() * fig.dpi
    assert width >= 500 and height >= 430
    ax, bar = fig.axes
    assert bar.get_ylabel() == "count (log scale)"
    assert min(t.get_fontsize() for t in ax.texts) >= 10 and ax.get_xticklabels()[0].get_fontsize() >= 10
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class" and ax.get_title()
    counts = pm.confusion_counts(y, pred, 10)
    assert sorted(int(t.get_text()) for t in ax.texts) == sorted(counts[counts > 0].tolist())


def test_figures_are_titled_labelled_and_tell_lines_apart_without_colour():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 10, 300)
    pred = np.where(rng.uniform(size=300) < 0.8, y, (y + 3) % 10)
    hist = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]}
    fig = pm.learning_curves({"a": hist, "b": hist, "c": hist}, metrics=("loss",), title="LeNet-5",
                             val_label="validation")
    ax = fig.axes[0]
    assert ax.get_title() == "LeNet-5: loss" and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    # runs differ in marker, train and held-out curves in line style, not only in colour
    assert len({line.get_marker() for line in ax.lines}) == 3
    assert {line.get_linestyle() for line in ax.lines} == {"--", "-"}
    assert "a (validation)" in [t.get_text() for t in ax.get_legend().get_texts()]
    fig = pm.confusion_matrix(y, pred, 10, title="model X")
    main, bar = fig.axes
    assert main.get_title() == "model X" and main.get_xlabel() == "predicted class" and "count" in bar.get_ylabel()
    fig = pm.per_class_accuracy(y, {"a": pred, "b": y}, title="per class")
    ax = fig.axes[0]
    assert ax.get_title() == "per class" and ax.get_xlabel() and ax.get_ylabel() == "accuracy"
    assert len({bar.get_hatch() for bar in ax.patches}) == 2
    fig = pm.misclassified(rng.integers(0, 255, (300, 28, 28)), y, pred, n=4, title="model X")
    assert fig._suptitle.get_text().startswith("model X: the first 4 of")


def test_evaluation_figures_check_their_arguments():
    y = np.array([0, 1, 2, 1])
    with pytest.raises(ValueError, match="predictions\\['m'\\] must hold one label per example"):
        pm.per_class_accuracy(y, {"m": [0, 1]})
    with pytest.raises(ValueError, match="class_names must name every class up to 2"):
        pm.per_class_accuracy(y, {"m": y}, class_names=["a", "b"])
    with pytest.raises(TypeError, match="metrics must be a list"):
        pm.learning_curves({"run": {"loss": [1.0]}}, metrics="loss")   # before: four panels 'l', 'o', 's', 's'
    with pytest.raises(ValueError, match="cols must be at most"):
        pm.misclassified(np.zeros((4, 8, 8)), y, y[::-1], cols=10**6)
    with pytest.raises(ValueError, match="layers names no layer"):
        pm.feature_maps(_mine(), np.zeros((20, 20, 1), "float32"), layers=["nope"])   # before: ignored


def test_gallery_titles_do_not_overlap():
    from helpers.plots.models import misclassified

    names = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
    y = np.array([1, 9, 0, 8, 3, 5, 2, 4] * 2)
    pred = np.array([9, 1, 8, 0, 5, 3, 4, 2] * 2)
    probs = np.full((16, 10), 0.1)
    fig = misclassified(np.zeros((16, 32, 32, 3), "uint8"), y, pred, probs, n=16, cols=8, class_names=names)
    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    if renderer is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw_without_rendering() if hasattr(fig, "draw_without_rendering") else None
    boxes = [ax.title.get_window_extent(renderer) for ax in fig.axes if ax.get_title()]
    assert len(boxes) == 16
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), "two titles of the mistakes gallery overlap"
