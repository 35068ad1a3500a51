"""helpers.config: quick mode, seeds, the quiet Keras import and lesson 00's environment report.
(The set-up cell and the Colab badges: test_notebook_setup.py.)"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import config

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("value, on", [("1", True), ("yes", True), ("true", True), (" 1 ", True),
                                       ("", False), ("0", False), ("false", False), ("No", False)])
def test_quick_mode_reads_cnn_quick(monkeypatch, value, on):
    monkeypatch.setenv(config.QUICK_ENV, value)
    assert config.quick_mode() is on


def test_quick_mode_is_off_when_unset(monkeypatch):
    monkeypatch.delenv(config.QUICK_ENV, raising=False)
    assert config.quick_mode() is False


def test_seed_everything_repeats_python_numpy_and_keras():
    keras = pytest.importorskip("keras")

    def draw():
        return (random.random(), np.random.rand(), float(keras.random.uniform(())),
                float(keras.ops.convert_to_numpy(keras.layers.Dense(1)(np.ones((1, 3), "float32"))[0, 0])))

    assert config.seed_everything(7) == 7
    first = draw()
    config.seed_everything(7)
    assert draw() == first
    config.seed_everything(8)
    assert draw() != first
    assert config.seed_everything() == config.DEFAULT_SEED == 1998


def test_seed_everything_without_keras_imports_no_keras():
    code = ("import sys, random; from helpers.config import seed_everything; seed_everything(3, keras=False); "
            "a = random.random(); seed_everything(3, keras=False); print(random.random() == a, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["True", "False"]


def test_stderr_is_silenced_only_inside(capfd):
    with config._stderr_fd_silenced():
        os.write(2, b"oneDNN custom operations are on\n")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


@pytest.mark.tf
def test_import_keras_prints_nothing_and_returns_keras():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    code = "from helpers.config import import_keras; k = import_keras(); print(k.__name__, k is import_keras())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    assert out.stdout.strip() == "keras True" and out.stderr == ""


@pytest.mark.tf
def test_environment_report_names_versions_devices_quick_mode_and_data(monkeypatch):
    pytest.importorskip("tensorflow")
    monkeypatch.setenv(config.QUICK_ENV, "1")
    report = config.environment_report()
    assert report["python"] == ".".join(map(str, sys.version_info[:3]))
    assert report["numpy"] == np.__version__ and "keras" in report
    assert report["quick mode"] == "on (CNN_QUICK=1)"
    assert report["accelerators"]
    assert {"data mnist", "data cifar10"} <= set(report)


@pytest.mark.parametrize("kwargs, name", [
    (dict(seed=-1), "seed"), (dict(seed=2**32), "seed"), (dict(seed=1.5), "seed"), (dict(seed=True), "seed"),
    (dict(keras="no"), "keras"),
])
def test_seed_everything_names_a_bad_argument(kwargs, name):
    with pytest.raises((ValueError, TypeError), match=name):
        config.seed_everything(**{"keras": False, **kwargs})
