"""helpers.config: quick mode and seeds (the set-up cell and the Colab badges: test_notebook_setup.py)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from helpers import config


def test_quick_mode_reads_the_environment(monkeypatch):
    for value, quick in (("1", True), ("yes", True), ("", False), ("0", False), ("false", False)):
        monkeypatch.setenv(config.QUICK_ENV, value)
        assert config.quick_mode() is quick


def test_seed_everything_repeats_python_and_numpy_draws():
    config.seed_everything(7, keras=False)
    first = (random.random(), np.random.rand())
    config.seed_everything(7, keras=False)
    assert (random.random(), np.random.rand()) == first


@pytest.mark.parametrize("kwargs, name", [
    (dict(seed=-1), "seed"), (dict(seed=2**32), "seed"), (dict(seed=1.5), "seed"), (dict(seed=True), "seed"),
    (dict(keras="no"), "keras"),
])
def test_seed_everything_names_a_bad_argument(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        config.seed_everything(**{"keras": False, **kwargs})
