"""The classroom edition (tools/classroom.py): slide metadata, decks, student copies, handouts.

Decks and handouts are built into a temporary folder from the stored notebooks (a few seconds for
all of them); one student copy per data-free lesson is run top to bottom with nbclient in quick mode.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import nbformat
import pytest

from tools import classroom

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
IMG_PNG = re.compile(r'<img[^>]*src="data:image/png;base64,')
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _read(path):
    return nbformat.read(path, as_version=4)


def _png_outputs(nb) -> int:
    return sum("image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


def _widget_outputs(nb) -> int:
    return sum(WIDGET_VIEW in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
               for out in cell.get("outputs", []))


# ---------------------------------------------------------------------------------- slide metadata

def test_a_2x_png_counts_at_its_displayed_size():
    """helpers.plots.show stores PNGs with twice the pixels and their display size in the metadata; the
    slide budget must count the displayed size, or every figure would look twice as tall."""
    import base64

    from matplotlib.figure import Figure

    from helpers.plots import png_bytes

    png, width, height = png_bytes(Figure(figsize=(5, 4), dpi=72))  # shown 360 x 288, drawn 720 x 576
    data = {"image/png": base64.b64encode(png).decode()}
    at_1x = classroom.cell_height(nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data=data)]))
    shown = classroom.cell_height(nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data=data, metadata={"image/png": {"width": width, "height": height}})]))
    assert (width, height) == (360, 288)
    assert at_1x - shown == pytest.approx(576 - 288)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_cell_carries_slide_metadata_and_marking_again_changes_nothing(path):
    nb = _read(path)
    kinds = [cell.metadata.get("slideshow", {}).get("slide_type") for cell in nb.cells]
    missing = [i for i, kind in enumerate(kinds) if kind not in SLIDE_TYPES]
    assert not missing, (f"{path.name}: cells {missing} have no slide type; "
                         f"run `.venv/bin/python tools/classroom.py mark {path.relative_to(ROOT)}`")
    assert classroom.mark([path], check=True) == [], (
        f"{path.name}: slide metadata is stale; run `.venv/bin/python tools/classroom.py mark "
        f"{path.relative_to(ROOT)}`")
    assert kinds[0] == "slide" and kinds.count("skip") == 1  # title slide; only the set-up cell hidden


def test_slide_rules_headings_setup_long_cells_and_solutions():
    nb = _read(ROOT / "notebooks" / "02_padding.ipynb")
    kinds = classroom.slide_types(nb.cells)
    for cell, kind in zip(nb.cells, kinds):
        source = cell.source.lstrip()
        if cell.cell_type == "code" and source.startswith("# Setup:"):
            assert kind == "skip"
        elif cell.cell_type == "markdown" and re.match(r"##? ", source):
            assert kind == "slide"
        elif cell.cell_type == "markdown" and source.startswith("### "):
            assert kind == "subslide"
        elif len(cell.source.splitlines()) > classroom.LONG_CELL_LINES:
            assert kind == "subslide"
        elif "solution" in cell.metadata.get("tags", []) and cell.cell_type == "markdown":
            assert kind in {"fragment", "subslide"}  # the folded heading opens the fragment
        elif "solution" in cell.metadata.get("tags", []):
            assert kind in {"-", "subslide"}  # the solution code goes with its heading


def test_mark_changes_only_metadata_and_is_idempotent(tmp_path):
    source = ROOT / "notebooks" / "01_pooling.ipynb"
    nb = _read(source)
    for cell in nb.cells:
        cell.metadata.pop("slideshow", None)
    stripped = tmp_path / source.name
    nbformat.write(nb, stripped)
    assert classroom.mark([stripped]) == [str(stripped)]
    once = stripped.read_bytes()
    assert classroom.mark([stripped]) == [] and stripped.read_bytes() == once
    marked, original = json.loads(once), json.loads(source.read_text())
    for new, old in zip(marked["cells"], original["cells"]):
        assert new["source"] == old["source"] and new.get("outputs") == old.get("outputs")
        assert new.get("execution_count") == old.get("execution_count")
        assert {k: v for k, v in new["metadata"].items() if k != "slideshow"} == \
               {k: v for k, v in old["metadata"].items() if k != "slideshow"}


def _unfolded(nb):
    """``nb`` as it was before the solutions were folded: no Solution headings, exercises in bold."""
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if not classroom._is_solution_heading(c)]
    for cell in nb.cells:
        cell.metadata.pop("slideshow", None)
        if cell.cell_type == "markdown":
            cell.source = re.sub(r"^#### Exercise (\d+)\n\n", r"**\1.** ", cell.source)
    nb.metadata.pop("colab", None)
    return nb


def test_mark_folds_every_solution_and_leaves_code_cells_alone(tmp_path):
    source = ROOT / "notebooks" / "01_pooling.ipynb"
    plain = _unfolded(_read(source))
    path = tmp_path / source.name
    nbformat.write(plain, path)
    assert classroom.mark([path]) == [str(path)]
    folded = _read(path)
    assert classroom.mark([path]) == []  # idempotent
    code = lambda nb: [(c.source, c.outputs, c.metadata.get("tags")) for c in nb.cells if c.cell_type == "code"]
    assert code(folded) == code(plain)
    solutions = [i for i, c in enumerate(folded.cells) if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])]
    assert len(solutions) == 5
    ids = []
    for i in solutions:
        heading, after = folded.cells[i - 1], folded.cells[i + 1]
        assert heading.source.startswith("#### Solution\n") and heading.metadata["jp-MarkdownHeadingCollapsed"] is True
        ids.append(heading.metadata["id"])
        assert re.match(r"#{1,4} ", after.source), "the fold must end at the next heading"
    assert folded.metadata["colab"]["collapsed_sections"] == ids and len(set(ids)) == len(ids)


def test_fold_never_hides_the_lesson_text_after_a_solution():
    nb = _unfolded(_read(ROOT / "notebooks" / "01_pooling.ipynb"))
    first = next(i for i, c in enumerate(nb.cells) if "solution" in c.metadata.get("tags", []))
    nb.cells[first + 1].source = "Some lesson text that is not a heading."
    assert classroom.fold_solutions(nb) is True
    solution = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "solution" in c.metadata.get("tags", []))
    assert nb.cells[solution + 1].source == classroom.FOLD_END  # the fold ends here
    assert nb.cells[solution + 2].source == "Some lesson text that is not a heading."
    assert classroom.fold_solutions(nb) is False  # idempotent


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_solutions_are_folded(path):
    nb = _read(path)
    assert classroom.fold_solutions(copy.deepcopy(nb)) is False, (
        f"{path.name}: run `.venv/bin/python tools/classroom.py mark {path.relative_to(ROOT)}`")


# ---------------------------------------------------------------------------------- exercises

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_a_solution_cell(path):
    nb = _read(path)
    assert classroom.exercise_report(nb.cells) == []
    if any(c.cell_type == "markdown" and c.source.startswith("## Exercises") for c in nb.cells):
        numbered = sum(len(re.findall(r"^(?:\*\*\d+\.\*\*|#### Exercise \d+$)", c.source, re.M))
                       for c in nb.cells if c.cell_type == "markdown")
        solutions = sum("solution" in c.metadata.get("tags", []) for c in nb.cells if c.cell_type == "code")
        assert solutions == numbered > 0


def test_exercise_report_finds_a_missing_solution():
    nb = _read(ROOT / "notebooks" / "01_pooling.ipynb")
    cells = [c for c in copy.deepcopy(nb.cells)]
    first = next(i for i, c in enumerate(cells)
                 if c.cell_type == "code" and "solution" in c.metadata.get("tags", []))
    del cells[first]
    problems = classroom.exercise_report(cells)
    assert len(problems) == 1 and "check_alexnet_pool_size" in problems[0]


# ---------------------------------------------------------------------------------- decks, handouts

@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    return {p.name.removesuffix(".slides.html"): p.read_text() for p in classroom.build_slides(NOTEBOOKS, out)}


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    return {p.stem: p.read_text() for p in classroom.build_handouts(NOTEBOOKS, out)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_shows_every_stored_figure_and_widget_pngs(path, decks):
    nb, html = _read(path), decks[path.stem]
    assert "reveal" in html and html.count("<section") >= 2
    assert len(IMG_PNG.findall(html)) >= _png_outputs(nb)
    # No widget state is stored, so an explorer's output is its static PNG, not a dead widget view.
    assert f'type="{WIDGET_VIEW}"' not in html
    if _widget_outputs(nb):
        assert len(IMG_PNG.findall(html)) >= _widget_outputs(nb)


def test_deck_hides_the_setup_cell_and_keeps_slides_apart(decks):
    html = decks["01_pooling"]
    assert "google.colab" not in html  # the set-up cell is skipped
    nb = _read(ROOT / "notebooks" / "01_pooling.ipynb")
    slides = sum(c.metadata["slideshow"]["slide_type"] in {"slide", "subslide"} for c in nb.cells)
    assert html.count("<section") >= slides


def test_offline_deck_links_only_local_scripts_mathjax_included(tmp_path):
    # A vendor folder as `vendor_reveal` leaves it (the npm fetch itself is not repeated on CI).
    for name, rel in classroom.VENDOR_FILES.items():
        target = tmp_path / classroom.VENDOR_DIR / name / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("// vendored")
    (deck,) = classroom.build_slides([ROOT / "notebooks" / "02_padding.ipynb"], tmp_path, offline=True)
    html = deck.read_text()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', html) + re.findall(r"import \w+ from '([^']+)'", html)
    assert scripts and all(src.startswith(classroom.VENDOR_DIR + "/") for src in scripts), scripts
    assert classroom.MATHJAX_LOCAL in html and "cdnjs" not in html


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_handout_has_every_stored_output(path, handouts):
    nb, html = _read(path), handouts[path.stem]
    assert len(IMG_PNG.findall(html)) >= _png_outputs(nb)
    assert f'type="{WIDGET_VIEW}"' not in html
    first_heading = next(c.source.splitlines()[0].lstrip("# ") for c in nb.cells if c.cell_type == "markdown")
    assert first_heading.split(":")[0].split("·")[0].strip()[:10] in html


# ---------------------------------------------------------------------------------- student copies

def _solutions(nb):
    return [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]


@pytest.mark.tf
@pytest.mark.parametrize("name", ["01_pooling", "02_padding"])
def test_student_copy_has_no_solutions_and_its_checks_say_not_yet(name, tmp_path, monkeypatch):
    from nbclient import NotebookClient

    lesson = _read(ROOT / "notebooks" / f"{name}.ipynb")
    assert lesson.metadata.get("cnn_classics", {}).get("needs_data") == []
    (student_path,) = classroom.build_student([ROOT / "notebooks" / f"{name}.ipynb"], tmp_path)
    student = _read(student_path)

    assert not _solutions(student)
    assert len(student.cells) == len(lesson.cells) - len(_solutions(lesson))
    text = student_path.read_text()
    for cell in _solutions(lesson):
        assert json.dumps(cell.source)[1:-1] not in text, f"solution text left in the student copy: {cell.source!r}"
    answers = re.findall(r"^answer\s*=.*$", "\n".join(c.source for c in student.cells if c.cell_type == "code"), re.M)
    assert answers and all(re.match(r"answer\s*=\s*None\b", a) for a in answers), answers

    monkeypatch.setenv("CNN_QUICK", "1")
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    NotebookClient(student, timeout=300, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    checks = [c for c in student.cells if c.cell_type == "code" and "check_" in c.source]
    assert len(checks) == len([c for c in _solutions(lesson) if c.cell_type == "code"])
    assert "#### Solution" not in text  # the folded headings go with their solutions
    for cell in checks:
        said = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "✘" in said and "✔" not in said, f"{cell.source!r} printed {said!r}"
    assert not [o for c in student.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
