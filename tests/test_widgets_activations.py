"""The activation explorer: any Keras CNN, an image, a layer; maps, receptive field, top-5."""

from __future__ import annotations

import io

import numpy as np
import pytest

pytest.importorskip("ipywidgets")
pytest.importorskip("matplotlib")
keras = pytest.importorskip("keras")

import helpers  # noqa: E402
from helpers.widgets.activations import ActivationExplorer, _decode_upload, activation_explorer  # noqa: E402

pytestmark = pytest.mark.tf


@pytest.fixture(scope="module")
def lenet():
    model = helpers.lenet5("modern")
    images = np.random.default_rng(0).uniform(size=(4, 32, 32, 1)).astype("float32")
    return model, images


def _state(explorer):
    return explorer.status_text, bytes(explorer.image.value)


def test_layer_and_image_change_the_maps_and_the_predictions(lenet):
    model, images = lenet
    explorer = activation_explorer(model, images, labels=[3, 1, 4, 1])
    assert isinstance(explorer, ActivationExplorer) and explorer.error is None
    assert list(explorer.controls["layer"].options) == ["C1", "S2", "C3", "S4", "C5"]
    assert helpers.widgets.activation_explorer is activation_explorer
    first = _state(explorer)
    explorer.set(layer="C3")
    assert explorer.error is None and "C3: 10×10×16" in explorer.status_text
    assert (explorer.controls["row"].max, explorer.controls["col"].max) == (9, 9)
    second = _state(explorer)
    assert second[0] != first[0] and second[1] != first[1]
    explorer.set(image=2)
    third = _state(explorer)
    assert third[1] != second[1] and "top-5" in third[0]
    # the top-5 agree with the model itself
    probs = np.asarray(model(images[2:3]))[0]
    best = int(np.argmax(probs))
    assert explorer.status_text.split("top-5: ")[1].startswith(f"{best} {probs[best]:.1%}")


def test_receptive_field_box_matches_the_recurrence(lenet):
    model, images = lenet
    explorer = activation_explorer(model, images)
    explorer.set(layer="S2", row=3, col=5)
    # C1 5×5 valid then S2 2×2/2: a unit sees 6×6 pixels, starting at 2·row (2·col)
    x, y = explorer.field.get_xy()
    assert (explorer.field.get_width(), explorer.field.get_height()) == (6, 6)
    assert (x + 0.5, y + 0.5) == (10, 6)
    assert "sees a 6×6 input patch (rows 6 to 11, columns 10 to 15)" in explorer.status_text
    explorer.set(maps="all")
    assert "6 of 6 maps" in explorer.status_text


def test_the_paper_lenet_and_a_branching_model_work_too():
    paper = helpers.lenet5("paper")
    explorer = activation_explorer(paper, np.zeros((2, 32, 32, 1), "float32"))
    explorer.set(layer="C3")
    assert explorer.error is None
    x = keras.Input((12, 12, 3))
    y = keras.layers.Conv2D(4, 3, padding="same", name="a")(x)
    y = keras.layers.Add(name="skip")([y, keras.layers.Conv2D(4, 1, name="b")(x)])
    out = keras.layers.Dense(3, activation="softmax")(keras.layers.GlobalAveragePooling2D()(y))
    mine = keras.Model(x, out, name="mine")
    explorer = activation_explorer(mine, np.ones((1, 12, 12, 3), "float32"), class_names=["cat", "dog", "fox"])
    explorer.set(layer="skip")
    assert explorer.error is None and "not a plain chain" in explorer.status_text
    assert not explorer.field.get_visible()
    assert any(name in explorer.status_text for name in ("cat", "dog", "fox"))


def test_an_uploaded_picture_is_resized_with_a_note(lenet):
    model, images = lenet
    explorer = activation_explorer(model, images, preprocess=lambda x: 1.0 - x)
    picture = (np.random.default_rng(1).uniform(size=(50, 40, 3)) * 255).astype("uint8")
    explorer.use_image(picture, name="cat.png")
    assert "cat.png: resized from 50×40 to the model's 32×32, grey" in explorer.status_text
    assert "preprocessed" in explorer.status_text and explorer.uploaded.shape == (32, 32, 1)
    # what a FileUpload delivers, under ipywidgets 7 (a dict) and 8 (a tuple of dicts)
    from matplotlib.image import imsave

    buf = io.BytesIO()
    imsave(buf, picture, format="png")
    for value in ({"cat.png": {"content": buf.getvalue(), "metadata": {}}},
                  ({"name": "cat.png", "content": memoryview(buf.getvalue())},)):
        assert _decode_upload(value)[0] == "cat.png" and _decode_upload(value)[1] == buf.getvalue()
    explorer._on_upload({"new": ({"name": "junk.png", "content": b"not an image"},)})
    assert "could not read junk.png" in explorer.status.value
    explorer.show_dataset_image()
    assert "resized" not in explorer.status_text


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(images=np.zeros((2, 28, 28, 1))), ValueError, "images"),
    (dict(images=np.zeros((2, 32, 32, 1)), labels=[1]), ValueError, "labels"),
    (dict(images=np.zeros((2, 32, 32, 1)), preprocess="grey"), TypeError, "preprocess"),
])
def test_bad_arguments_name_themselves(lenet, kwargs, error, match):
    with pytest.raises(error, match=match):
        activation_explorer(lenet[0], **kwargs)
    with pytest.raises(TypeError, match="model"):
        activation_explorer("lenet", np.zeros((1, 32, 32, 1)))


def test_a_model_for_any_size_is_explored_at_the_images_size():
    x = keras.Input((None, None, 1))
    y = keras.layers.MaxPooling2D(2, name="pool")(keras.layers.Conv2D(3, 3, padding="same", name="conv")(x))
    model = keras.Model(x, keras.layers.Dense(2, activation="softmax")(keras.layers.GlobalAveragePooling2D()(y)))
    explorer = activation_explorer(model, np.zeros((2, 20, 20, 1), "float32"))
    assert explorer.input_shape == (20, 20, 1) and explorer.map_shapes["pool"] == (10, 10, 3)
    explorer.set(layer="pool", row=9, col=9)
    assert explorer.error is None and "2×2 input patch (rows 18 to 19, columns 18 to 19)" not in explorer.status_text
    assert "4×4 input patch" in explorer.status_text
    with pytest.raises(ValueError, match="images"):
        activation_explorer(model, np.zeros((2, 20, 20, 3), "float32"))
