"""benchmarks/alexnet_cifar10.py end to end on a tiny stand-in for CIFAR-10 (the real runs take minutes to an hour):
the validation run prints its curve, ``--final`` trains on every training image and prints none."""

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers.cifar import VALIDATION
from helpers.config import DEFAULT_SEED

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench(monkeypatch):
    """The benchmark module, with ``bench.use(n_train)``: load_cifar10 then returns random images."""
    spec = importlib.util.spec_from_file_location("bench_alexnet_cifar10", ROOT / "benchmarks" / "alexnet_cifar10.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def use(n_train):
        rng = np.random.default_rng(0)
        data = ((rng.integers(0, 256, (n_train, 32, 32, 3), dtype="uint8"), rng.integers(0, 10, n_train)),
                (rng.integers(0, 256, (64, 32, 32, 3), dtype="uint8"), rng.integers(0, 10, 64)))
        monkeypatch.setattr(helpers, "load_cifar10", lambda: data)

    module.use = use
    return module


def _run(bench, tmp_path, capsys, *extra):
    out = tmp_path / "run.json"
    assert bench.main(["--recipe", "class", "--epochs", "1", "--set", "width=0.125", "--set", "batch_size=128",
                       "--json", str(out), *extra]) == 0
    return json.loads(out.read_text()), capsys.readouterr().out


def test_validation_run_prints_the_curve_and_the_verdict(bench, tmp_path, capsys):
    bench.use(VALIDATION + 256)                      # 256 training images left after the validation split
    results, printed = _run(bench, tmp_path, capsys)
    assert results["training_images"] == 256 and results["final_fit"] is False
    assert len(results["val_accuracy_per_epoch"]) == 1
    assert results["settings"]["validation"] == VALIDATION and results["settings"]["width"] == 0.125
    assert results["seed"] == DEFAULT_SEED and f"seed {DEFAULT_SEED}" in printed
    assert "flags:" in printed and "validation accuracy per epoch:" in printed
    assert "target 85% test accuracy" in printed and "NOT met" in printed          # random labels: chance level
    assert "PROJECTED training time of the whole recipe" in printed                # 1 of the recipe's 12 epochs


def test_the_benchmark_trains_in_full_and_leaves_quick_mode_as_it_was(bench, tmp_path, capsys, monkeypatch):
    """The tests run with CNN_QUICK=1: the benchmark ignores it (a full run on all 2,100 images, not quick mode's
    first 2,000) and puts it back, so that later tests and notebooks still run in quick mode."""
    monkeypatch.setenv("CNN_QUICK", "1")
    bench.use(2100)
    results, _ = _run(bench, tmp_path, capsys, "--final")
    assert results["training_images"] == 2100
    assert os.environ.get("CNN_QUICK") == "1"


def test_final_fit_trains_on_every_training_image(bench, tmp_path, capsys):
    bench.use(300)                                   # fewer than VALIDATION: nothing is held out
    results, printed = _run(bench, tmp_path, capsys, "--final", "--seed", "7")
    assert results["final_fit"] is True and results["training_images"] == 300
    assert results["val_accuracy_per_epoch"] is None and results["settings"]["validation"] == 0
    assert "final fit on all 300 training images: no validation curve" in printed
    assert "validation accuracy per epoch" not in printed
    assert results["seed"] == 7 and "seed 7" in printed
