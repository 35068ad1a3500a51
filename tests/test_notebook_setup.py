"""Every notebook starts with the same set-up cell, built from helpers.config.REPOSITORY."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers.config import REPOSITORY, SETUP_CELL

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def _code_cells(path):
    return [c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_cell_is_the_shared_setup_cell(path):
    first = "".join(_code_cells(path)[0]["source"])
    assert first == SETUP_CELL, f"{path.name}: run `make setup-cells` to restore the shared set-up cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_as_one_clean_run_without_widget_state(path):
    nb = json.loads(path.read_text())
    counts = [c["execution_count"] for c in _code_cells(path) if "".join(c["source"]).strip()]
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: execution counts {counts}"
    assert "widgets" not in nb["metadata"], f"{path.name}: widget state stored (GitHub cannot render it)"


def test_setup_cell_installs_from_the_repository_only_on_colab():
    assert REPOSITORY in SETUP_CELL and '"google.colab" in sys.modules' in SETUP_CELL
    assert "--no-deps" in SETUP_CELL  # Colab already has TensorFlow, Keras, matplotlib and ipywidgets
