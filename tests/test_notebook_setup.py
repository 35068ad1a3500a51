"""Every notebook starts with the same set-up cell and its own Colab badge, built from helpers.config.REPOSITORY."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from helpers.config import REPOSITORY, SETUP_CELL, colab_badge, colab_url

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT))
from tools import sync_notebooks  # noqa: E402


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_colab_badge_is_the_line_under_the_title(path):
    intro = next(c for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown")
    lines = "".join(intro["source"]).split("\n")
    assert lines[0].startswith("# ")
    assert lines[1] == colab_badge(f"notebooks/{path.name}"), f"{path.name}: run `make setup-cells`"
    assert len(lines) == 2 or lines[2] == "", f"{path.name}: the badge needs a blank line after it"


def test_everything_is_in_step_with_helpers_config():
    """`make setup-cells` (tools/sync_notebooks.py) has nothing to change: notebooks and README."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "sync_notebooks.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert colab_badge("notebooks/00_start_here.ipynb") in (ROOT / "README.md").read_text().split("\n")


def test_badges_point_at_the_repository():
    assert colab_url("notebooks/01_pooling.ipynb", "https://github.com/someone/fork", "dev") == (
        "https://colab.research.google.com/github/someone/fork/blob/dev/notebooks/01_pooling.ipynb")
    assert REPOSITORY.removeprefix("https://github.com/") in colab_badge("notebooks/x.ipynb")
    with pytest.raises(ValueError, match="repository must be a GitHub address"):
        colab_url("notebooks/x.ipynb", "https://gitlab.com/someone/fork")


def _notebook(tmp_path, intro, setup="print('old')"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(intro), nbformat.v4.new_code_cell(setup),
                nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output("stream", text="kept\n")])]
    path = tmp_path / "07_test.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.parametrize("intro", ["# Title\n\nText.", "# Title\nText right under it.", "# Title",
                                   "# Title\n[![Open In Colab](https://x)](https://old/link)\n\nText."])
def test_sync_is_idempotent_and_touches_only_its_cells(tmp_path, intro):
    path = _notebook(tmp_path, intro)
    assert sync_notebooks.sync_notebook(path) == ["set-up cell", "Colab badge"]
    once = path.read_text()
    assert sync_notebooks.sync_notebook(path) == [] and path.read_text() == once
    nb = nbformat.read(path, as_version=4)
    lines = nb.cells[0].source.split("\n")
    assert lines[:2] == ["# Title", colab_badge("notebooks/07_test.ipynb")]
    assert nb.cells[0].source.count("Open In Colab") == 1
    assert lines[2:] in ([], ["", "Text."], ["", "Text right under it."])
    assert nb.cells[1].source == SETUP_CELL and nb.cells[1].outputs == []
    assert nb.cells[2].source == "x = 1" and nb.cells[2].outputs[0]["text"] == "kept\n"


def test_sync_readme_replaces_another_repositorys_badge(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n[![Binder](https://mybinder.org/badge_logo.svg)](b)\n"
                      "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](old)\n\nText\n")
    assert sync_notebooks.sync_readme(readme) == ["Colab badge"]
    assert sync_notebooks.sync_readme(readme) == []
    lines = readme.read_text().split("\n")
    assert lines[3] == colab_badge("notebooks/00_start_here.ipynb") and lines[4:] == ["", "Text", ""]


def _run_setup_cell(tmp_path, repository):
    """The set-up cell as Colab runs it (google.colab imported), installing from ``repository``."""
    cell = SETUP_CELL.replace(f'REPOSITORY = "{REPOSITORY}"', f"REPOSITORY = {repository!r}")
    (tmp_path / "google").mkdir()
    (tmp_path / "google" / "__init__.py").write_text("")
    (tmp_path / "google" / "colab.py").write_text("")
    script = "import google.colab\n" + cell
    return subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin", "PIP_NO_INDEX": "1",
                               "HOME": str(tmp_path)}, timeout=300)


def test_setup_cell_stops_with_one_clear_message_when_the_install_fails(tmp_path):
    missing = (tmp_path / "no-such-repository").as_uri()
    result = _run_setup_cell(tmp_path, missing)
    assert result.returncode != 0
    message = result.stderr.strip()
    assert f"Could not install the series from {missing}" in message, message
    assert "run this cell again" in message
    assert "Traceback" not in message and "ModuleNotFoundError" not in message, message
    assert textwrap.dedent(result.stdout).strip() == ""
