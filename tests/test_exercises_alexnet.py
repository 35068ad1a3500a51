"""helpers.exercises.alexnet: lesson 05's self-checks accept the right answers, derived here from
Keras' layers, the shape trace and the LRN layer, and answer typical mistakes with a hint that does not
give them away."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.exercises import alexnet as ex

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.tf

RIGHT = {
    "check_conv1_input": 227,
    "check_fc6_params": 37_752_832,            # 6·6·256 · 4096 + 4096
    "check_seed_smallest_input": 67,
    "check_pytorch_alpha": 5e-4,               # PyTorch divides its alpha by size = 5
}



@pytest.mark.parametrize("name", RIGHT)
def test_the_right_answer_is_accepted(name, verdict):
    ok, out = verdict(getattr(ex, name), RIGHT[name])
    assert ok is True and out.startswith("✔ Right")


def test_conv1_input_is_the_smallest_that_gives_55():
    conv1 = keras.layers.Conv2D(96, 11, strides=4)
    sides = [n for n in range(200, 240) if conv1.compute_output_shape((None, n, n, 3))[1] == 55]
    assert min(sides) == RIGHT["check_conv1_input"]


def test_fc6_count_and_its_share_of_the_paper_network(capsys):
    import helpers
    from helpers.alexnet_model import alexnet_layers

    trace = helpers.shape_trace(alexnet_layers("paper"), (227, 227, 3))
    fc6 = next(r for r in trace.rows if r.name == "fc6")
    assert fc6.params == RIGHT["check_fc6_params"]
    ex.check_fc6_params(RIGHT["check_fc6_params"])
    share = round(100 * fc6.params / trace.total_params)
    assert f"{share}% of the whole network" in capsys.readouterr().out          # the verdict's claim holds


def test_seed_smallest_input_is_where_the_trace_starts_to_build():
    import helpers
    from helpers.alexnet_model import alexnet_layers

    right = RIGHT["check_seed_smallest_input"]
    assert helpers.shape_trace(alexnet_layers("seed"), (right, right, 3)).ok
    assert helpers.shape_trace(alexnet_layers("seed"), (right - 1, right - 1, 3)).ok is False


def test_pytorch_alpha_reproduces_the_papers_lrn():
    from helpers.alexnet_model import LocalResponseNormalization

    x = np.random.default_rng(0).normal(size=(1, 2, 2, 8)).astype("float32") * 30
    ours = keras.ops.convert_to_numpy(LocalResponseNormalization()(x))        # the paper's α = 1e-4
    size, alpha, beta, k = 5, RIGHT["check_pytorch_alpha"], 0.75, 2.0          # PyTorch's LocalResponseNorm
    sq = np.pad(x.astype("float64") ** 2, ((0, 0), (0, 0), (0, 0), (size // 2, (size - 1) // 2)))
    window = sum(sq[..., i:i + x.shape[-1]] for i in range(size))
    torch_style = x / (k + alpha / size * window) ** beta
    np.testing.assert_allclose(ours, torch_style, rtol=1e-5)


def test_typical_mistakes_get_their_hint(verdict):
    for fn, wrong, words in [(ex.check_conv1_input, 224, "gives 54"), (ex.check_conv1_input, 228, "smaller side"),
                             (ex.check_conv1_input, 5, "must fit"),
                             (ex.check_fc6_params, 6 * 6 * 256 * 4096, "bias"),
                             (ex.check_fc6_params, 13 * 13 * 256 * 4096 + 4096, "pool5"),
                             (ex.check_seed_smallest_input, 66, "too small"),
                             (ex.check_seed_smallest_input, 227, "smaller input fits too"),
                             (ex.check_pytorch_alpha, 1e-4, "divides its alpha"),
                             (ex.check_pytorch_alpha, 2e-5, "the other way round")]:
        ok, out = verdict(fn, wrong)
        assert not ok and words in out, (fn.__name__, wrong, out)


@pytest.mark.parametrize("name", RIGHT)
def test_no_hint_gives_the_answer_away(name, verdict):
    right = RIGHT[name]
    for wrong in (None, 0, 5, 66, 224, 228, 1e-4, 2e-5, 6 * 6 * 256 * 4096):
        ok, out = verdict(getattr(ex, name), wrong)
        hint = out.replace("✘ Not yet: ", "")
        assert not ok and str(right) not in hint and f"{right:,}" not in hint, (wrong, out)
