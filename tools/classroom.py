"""Classroom edition of the lessons: slide metadata, reveal.js decks, student copies, HTML handouts.

    .venv/bin/python tools/classroom.py mark notebooks/*.ipynb        # set slide metadata (idempotent)
    .venv/bin/python tools/classroom.py mark --check notebooks/*.ipynb  # exit 1 if a notebook needs marking
    .venv/bin/python tools/classroom.py audit notebooks/*.ipynb       # exercises without a solution cell
    .venv/bin/python tools/classroom.py slides notebooks/*.ipynb --out slides
    .venv/bin/python tools/classroom.py student notebooks/*.ipynb --out student
    .venv/bin/python tools/classroom.py handouts notebooks/*.ipynb --out handouts

``mark`` does two things, both idempotent (running it twice changes nothing):

1. It folds every solution away behind a click (see :func:`fold_solutions`): a collapsed
   ``#### Solution`` heading cell goes right before each solution cell, and the exercise after it
   starts with a ``#### Exercise N`` heading so that the fold ends there. JupyterLab (and Notebook 7)
   read the heading's ``jp-MarkdownHeadingCollapsed`` metadata; Colab reads the notebook's
   ``colab.collapsed_sections`` list of heading ids. The solution cells still run (nbval, "Run all"),
   and GitHub and nbviewer, which cannot fold, show them in place under their exercise.
2. It sets every cell's slide type (``metadata.slideshow.slide_type``). Code cells, their sources and
   stored outputs stay byte for byte, so nbval sees the same notebook. The slide types follow from
   the cells alone (never from metadata already there):

- the shared set-up cell is ``skip``;
- a markdown cell starting with ``#`` or ``##`` starts a ``slide``, one starting with ``###`` a
  ``subslide``;
- a long cell (more than 15 source lines, or taller than about 500 px with its outputs) is a ``subslide``,
  and so is each exercise (a markdown cell starting ``**N.**``);
- a solution (its heading and code cell, both tagged ``solution``) is a ``fragment``: it appears on
  the next click, below its exercise (a ``subslide`` when the slide is full);
- any other cell stays on the current slide (``-``) while the slide has room (about 640 of reveal.js'
  700 px); a text cell and the code cell right after it move together to a new ``subslide`` when they
  do not fit, so a code cell and its figure stay with the sentence that introduces them.

The decks, student copies and handouts are all made by nbconvert: ``SlidesExporter`` (reveal.js),
``NotebookExporter`` with ``TagRemovePreprocessor(remove_cell_tags={"solution"})``, and
``HTMLExporter`` (lab template). An explorer's stored output holds a PNG beside the widget view; the
notebooks store no widget state, so nbconvert's HTML exporters render that PNG.
"""

from __future__ import annotations

import argparse
import base64
import math
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_TAG = "solution"

# Slide geometry: nbconvert's reveal.js decks are 960 × 700 px.
SLIDE_BUDGET_PX = 640
CELL_MARGIN_PX = 20
LONG_CELL_PX = 500
LONG_CELL_LINES = 15
TEXT_WIDTH_CHARS = 100

# reveal.js as nbconvert 7 links it, the two scripts its template loads, and MathJax 2 (the version
# nbconvert's templates configure) for offline decks, fetched once with npm.
VENDOR_PACKAGES = {"reveal.js": "reveal.js@4.0.2", "requirejs": "requirejs@2.3.6", "jquery": "jquery@3.5.1",
                   "mathjax": "mathjax@2.7.7"}
VENDOR_FILES = {"reveal.js": "dist/reveal.js", "requirejs": "require.js", "jquery": "dist/jquery.min.js",
                "mathjax": "MathJax.js"}
VENDOR_DIR = "_vendor"
# MathJax.js itself (not nbconvert's default latest.js, which asks the CDN for the newest 2.x), with the
# configuration nbconvert's own URL names.
MATHJAX_LOCAL = f"{VENDOR_DIR}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"


# --------------------------------------------------------------------------------------------
# Slide metadata
# --------------------------------------------------------------------------------------------

def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


def _png_size(data: str) -> tuple[int, int]:
    head = base64.b64decode(_text(data).replace("\n", "")[:64])
    return struct.unpack(">II", head[16:24])


def _markdown_height(text: str) -> float:
    height = 0.0
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            height += 12
        elif stripped.startswith("# "):
            height += 70
        elif stripped.startswith("## "):
            height += 55
        elif stripped.startswith("###"):
            height += 45
        elif stripped.startswith("|"):
            height += 34
        else:
            height += 30 * math.ceil(len(stripped) / TEXT_WIDTH_CHARS)
    return height


def _output_height(output) -> float:
    kind = output.get("output_type")
    if kind == "stream":
        lines = _text(output.get("text")).splitlines()
        return 8 + 20 * sum(max(1, math.ceil(len(line) / 110)) for line in lines)
    if kind == "error":
        return 200
    data = output.get("data", {})
    if "image/png" in data:
        width, height = _png_size(data["image/png"])
        shown = output.get("metadata", {}).get("image/png", {})  # a 2x PNG (helpers.plots.show) is shown at
        width, height = shown.get("width", width), shown.get("height", height)  # the size in its metadata
        return 10 + height * min(1.0, 900 / max(width, 1))
    if "text/markdown" in data:
        return _markdown_height(_text(data["text/markdown"]))
    if "text/html" in data:
        return 22 * len(_text(data["text/html"]).splitlines())
    return 8 + 20 * len(_text(data.get("text/plain")).splitlines())


def cell_height(cell) -> float:
    """A rough height in reveal.js pixels of a cell with its stored outputs."""
    source = _text(cell.get("source"))
    if cell.get("cell_type") == "markdown":
        return CELL_MARGIN_PX + _markdown_height(source)
    return CELL_MARGIN_PX + 30 + 22 * len(source.splitlines()) + sum(_output_height(o) for o in cell.get("outputs", []))


def _is_setup(cell) -> bool:
    return cell.get("cell_type") == "code" and _text(cell.get("source")).startswith("# Setup:")


def _heading(cell) -> int:
    """The level of the heading a markdown cell starts with (0 if none)."""
    if cell.get("cell_type") != "markdown":
        return 0
    match = re.match(r"(#{1,6})\s", _text(cell.get("source")).lstrip())
    return len(match.group(1)) if match else 0


def _is_long(cell) -> bool:
    return (len(_text(cell.get("source")).splitlines()) > LONG_CELL_LINES
            or cell_height(cell) > LONG_CELL_PX)


_EXERCISE = re.compile(r"\*\*\d+\.\*\*|#### Exercise \d+\b")  # "**2.** ..." or "#### Exercise 2" opens one


def slide_types(cells) -> list[str]:
    """The reveal.js slide type of every cell (see the module docstring for the rules)."""
    types: list[str] = []
    used = 0.0
    for index, cell in enumerate(cells):
        height = cell_height(cell)
        level = _heading(cell)
        if _is_setup(cell):
            types.append("skip")
            continue
        if level in (1, 2):
            kind, used = "slide", height
        elif SOLUTION_TAG in _tags(cell) and cell.get("cell_type") == "markdown":
            # the folded "Solution" heading: revealed on the next click, below the exercise it
            # answers, together with the solution code after it (or on its own slide when full)
            following = cells[index + 1] if index + 1 < len(cells) else {}
            kind = "fragment" if used + height + cell_height(following) <= SLIDE_BUDGET_PX else "subslide"
            used = used + height if kind == "fragment" else height
        elif SOLUTION_TAG in _tags(cell):
            previous = cells[index - 1] if index else {}
            if _is_solution_heading(previous):
                kind, used = "-", used + height  # part of the fragment its heading opened
            else:
                # revealed on the next click, below the exercise it answers (or on its own when full)
                kind = "fragment" if used + height <= SLIDE_BUDGET_PX else "subslide"
                used = used + height if kind == "fragment" else height
        elif level >= 3 or _is_long(cell) or _EXERCISE.match(_text(cell.get("source")).lstrip()):
            kind, used = "subslide", height
        else:
            need = height
            following = cells[index + 1] if index + 1 < len(cells) else None
            if (cell.get("cell_type") == "markdown" and following is not None
                    and following.get("cell_type") == "code" and not _is_long(following)
                    and not _is_setup(following)):
                need += cell_height(following)  # the text moves together with the code it introduces
            if used > 0 and used + need > SLIDE_BUDGET_PX:
                kind, used = "subslide", height
            else:
                kind, used = "-", used + height
        types.append(kind)
    if types and all(t == "skip" for t in types):
        raise ValueError("every cell would be skipped")
    return types


def mark(paths, check: bool = False) -> list[str]:
    """Fold the solutions and set every cell's slide type; return the paths that changed (or would).

    Code cells never change; a notebook is written only when something differs from the stored one,
    with nbformat's own writer (the format ``make notebooks`` stores).
    """
    import nbformat

    changed = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        dirty = fold_solutions(nb, where=str(path))
        for cell, kind in zip(nb.cells, slide_types(nb.cells)):
            if cell.metadata.get("slideshow") != {"slide_type": kind}:
                cell.metadata["slideshow"] = {"slide_type": kind}
                dirty = True
        if dirty:
            changed.append(str(path))
            if not check:
                nbformat.write(nb, path)
    return changed


# --------------------------------------------------------------------------------------------
# Exercises and solutions
# --------------------------------------------------------------------------------------------

_CHECK_CALL = re.compile(r"\b(?:ex|exercises\.\w+)\.(check_\w+)\(")


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def exercise_report(cells) -> list[str]:
    """Problems with a notebook's exercises: a check cell without a solution, or the other way round.

    An exercise is a code cell, not tagged ``solution``, that calls a ``check_*`` function with the
    placeholder ``answer = None``; its solution is the next cell, tagged ``solution``, calling the
    same check.
    """
    problems = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        source = _text(cell.get("source"))
        checks = _CHECK_CALL.findall(source)
        nxt = cells[index + 1] if index + 1 < len(cells) else {}
        if SOLUTION_TAG in _tags(cell):
            back = index - 1
            while back > 0 and _is_solution_heading(cells[back]):
                back -= 1
            prev = cells[back] if index else {}
            if not checks or not set(checks) & set(_CHECK_CALL.findall(_text(prev.get("source")))):
                problems.append(f"cell {index}: solution cell without the exercise check cell before it")
        elif checks and re.search(r"^answer\s*=\s*None\b", source, re.M):
            if _is_solution_heading(nxt):
                nxt = cells[index + 2] if index + 2 < len(cells) else {}
            if SOLUTION_TAG not in _tags(nxt) or not set(checks) & set(_CHECK_CALL.findall(_text(nxt.get("source")))):
                problems.append(f"cell {index}: exercise {', '.join(checks)} has no solution cell after it "
                                f"tagged {SOLUTION_TAG!r}")
    return problems


#: The folded heading put before every solution cell. Its text stays visible while the solution is
#: folded, so it says how to unfold it in each front end.
SOLUTION_HEADING = ("#### Solution\n\n"
                    "Try the exercise first. The solution and its ✔ are folded under this heading: "
                    "click **1 cell hidden** below to show them.")
_EXERCISE_BOLD = re.compile(r"\*\*(\d+)\.\*\*\s*")
#: put after a solution that sits inside a section, so that the fold ends there and the lesson's own
#: text after the exercise is never folded away with the solution
FOLD_END = "#### Back to the lesson"


def _is_solution_heading(cell) -> bool:
    return cell.get("cell_type") == "markdown" and SOLUTION_TAG in _tags(cell) and _heading(cell) == 4


def fold_solutions(nb, where: str = "notebook") -> bool:
    """Put every solution behind a click in JupyterLab, Notebook 7 and Colab; return True if ``nb`` changed.

    For each code cell tagged ``solution``:

    - a Markdown cell :data:`SOLUTION_HEADING` (tagged ``solution`` too, so student copies drop it)
      goes right before it, with ``jp-MarkdownHeadingCollapsed`` (JupyterLab's folded heading) and a
      stable ``metadata.id`` that the notebook's ``colab.collapsed_sections`` lists (Colab's);
    - the cell after it must start a heading of level 4 or higher, where the fold ends: an exercise
      written ``**N.** text`` becomes ``#### Exercise N`` + text, and before any other cell (an
      exercise inside a section, followed by more of the lesson) a :data:`FOLD_END` heading is
      inserted, so no lesson text is ever folded away with a solution.
    """
    import nbformat

    changed = False
    cells = nb.cells
    index, number = 0, 0
    while index < len(cells):
        cell = cells[index]
        if cell.cell_type != "code" or SOLUTION_TAG not in _tags(cell):
            index += 1
            continue
        number += 1
        ident = f"solution-{number}"
        previous = cells[index - 1] if index else None
        if previous is None or not _is_solution_heading(previous):
            heading = nbformat.v4.new_markdown_cell(SOLUTION_HEADING)
            heading.metadata["tags"] = [SOLUTION_TAG]
            cells.insert(index, heading)
            index += 1
            changed = True
        heading = cells[index - 1]
        wanted = {"jp-MarkdownHeadingCollapsed": True, "id": ident}
        if heading.source != SOLUTION_HEADING:
            heading.source = SOLUTION_HEADING
            changed = True
        for key, value in wanted.items():
            if heading.metadata.get(key) != value:
                heading.metadata[key] = value
                changed = True
        if getattr(heading, "id", ident) != ident:
            heading.id = ident
            changed = True
        following = cells[index + 1] if index + 1 < len(cells) else None
        if following is not None and not 1 <= _heading(following) <= 4:
            match = _EXERCISE_BOLD.match(following.source.lstrip()) if following.cell_type == "markdown" else None
            if match is not None:
                following.source = (f"#### Exercise {match.group(1)}\n\n"
                                    + following.source.lstrip()[match.end():])
            else:
                # an exercise inside a section: the lesson goes on after it, under a heading that ends the fold
                cells.insert(index + 1, nbformat.v4.new_markdown_cell(FOLD_END))
            changed = True
        index += 1
    ids = [c.metadata["id"] for c in cells if _is_solution_heading(c)]
    colab = nb.metadata.setdefault("colab", {})
    if colab.get("collapsed_sections") != ids:
        colab["collapsed_sections"] = ids
        changed = True
    return changed


# --------------------------------------------------------------------------------------------
# Building: decks, student copies, handouts
# --------------------------------------------------------------------------------------------

def vendor_reveal(out: Path) -> Path:
    """Put reveal.js, require.js, jQuery and MathJax under ``out/_vendor`` (from npm, once) for offline decks."""
    vendor = Path(out) / VENDOR_DIR
    if all((vendor / name / rel).exists() for name, rel in VENDOR_FILES.items()):
        return vendor
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("offline decks need npm to fetch reveal.js, require.js, jQuery and MathJax once")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([npm, "pack", "--silent", *VENDOR_PACKAGES.values()], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        for name, spec in VENDOR_PACKAGES.items():
            version = spec.rsplit("@", 1)[1]
            tarball = Path(tmp) / f"{name}-{version}.tgz"
            target = vendor / name
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(tarball) as tar:
                tar.extractall(Path(tmp) / name, filter="data")
            shutil.move(str(Path(tmp) / name / "package"), target)
    return vendor


def _no_mermaid(out: Path, paths) -> str:
    """A local no-op stand-in for Mermaid, which nbconvert's template imports from a CDN on every deck.

    No lesson holds a Mermaid diagram (checked here), so offline decks need none of Mermaid's 3 MB;
    a lesson that adds one gets a clear error instead of a diagram that silently fails offline.
    """
    import nbformat

    for path in paths:
        for cell in nbformat.read(path, as_version=4).cells:
            if "```mermaid" in _text(cell.get("source")) or any(
                    "text/vnd.mermaid" in o.get("data", {}) for o in cell.get("outputs", [])):
                raise ValueError(f"{path}: holds a Mermaid diagram; offline decks would need Mermaid vendored too")
    stub = Path(out) / VENDOR_DIR / "mermaid-none.mjs"
    stub.parent.mkdir(parents=True, exist_ok=True)
    stub.write_text("// No lesson draws a Mermaid diagram; offline decks link this instead of the CDN.\n"
                    "export default { initialize() {} };\n")
    return f"{VENDOR_DIR}/mermaid-none.mjs"


def build_slides(paths, out, offline: bool = False, reveal_url_prefix: str | None = None) -> list[Path]:
    """Render each notebook as a reveal.js deck ``out/<name>.slides.html`` (nbconvert's SlidesExporter)."""
    import nbformat
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.SlidesExporter.reveal_scroll = True  # a slide taller than the screen scrolls, never clips
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    if offline:
        vendor_reveal(out)
        config.SlidesExporter.reveal_url_prefix = f"{VENDOR_DIR}/reveal.js"
        config.SlidesExporter.require_js_url = f"{VENDOR_DIR}/requirejs/require.js"
        config.SlidesExporter.jquery_url = f"{VENDOR_DIR}/jquery/dist/jquery.min.js"
        config.SlidesExporter.mathjax_url = MATHJAX_LOCAL
    elif reveal_url_prefix:
        config.SlidesExporter.reveal_url_prefix = reveal_url_prefix
    exporter = SlidesExporter(config=config)
    if offline:
        exporter.mermaid_js_url = _no_mermaid(out, paths)  # a trait, though not a configurable one
    written = []
    for path in paths:
        path = Path(path)
        nb = nbformat.read(path, as_version=4)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def build_student(paths, out) -> list[Path]:
    """Write student copies ``out/<name>.ipynb`` without the cells tagged ``solution``.

    nbconvert's ``TagRemovePreprocessor`` removes them; everything else (the check cells with their
    placeholder answers, stored outputs, metadata) stays as in the lesson.
    """
    from nbconvert import NotebookExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = NotebookExporter()
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}), enabled=True)
    written = []
    for path in paths:
        path = Path(path)
        body, _ = exporter.from_filename(str(path))
        target = out / path.name
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


def build_handouts(paths, out) -> list[Path]:
    """Render each notebook with its stored outputs as one self-contained HTML page ``out/<name>.html``."""
    from nbconvert import HTMLExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter(template_name="lab")
    written = []
    for path in paths:
        path = Path(path)
        body, _ = exporter.from_filename(str(path))
        target = out / f"{path.stem}.html"
        target.write_text(body, encoding="utf-8")
        written.append(target)
    return written


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def _notebooks(given) -> list[Path]:
    return [Path(p) for p in given] if given else sorted((ROOT / "notebooks").glob("*.ipynb"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_mark = sub.add_parser("mark", help="set slide metadata in the notebooks (idempotent)")
    p_mark.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs marking")
    sub.add_parser("audit", help="list exercises without a solution cell (exit 1 if any)")
    p_slides = sub.add_parser("slides", help="reveal.js decks (nbconvert SlidesExporter)")
    p_slides.add_argument("--offline", action="store_true",
                          help="link a local copy of reveal.js, require.js, jQuery and MathJax (fetched once with npm)")
    p_slides.add_argument("--reveal-url-prefix", help="where reveal.js lives (default: nbconvert's CDN)")
    sub.add_parser("student", help="student copies without solution cells (TagRemovePreprocessor)")
    sub.add_parser("handouts", help="HTML handouts with stored outputs (HTMLExporter)")
    for p in sub.choices.values():
        p.add_argument("notebooks", nargs="*", help="notebooks (default: notebooks/*.ipynb)")
    for name, default in (("slides", "slides"), ("student", "student"), ("handouts", "handouts")):
        sub.choices[name].add_argument("--out", default=str(ROOT / default), help=f"folder (default: {default}/)")
    args = parser.parse_args(argv)
    paths = _notebooks(args.notebooks)

    if args.command == "mark":
        changed = mark(paths, check=args.check)
        verb = "needs marking" if args.check else "marked"
        for path in changed:
            print(f"{verb}: {path}")
        print(f"{len(changed)} of {len(paths)} notebook(s) {verb}" if changed
              else f"all {len(paths)} notebook(s) already marked")
        return 1 if (args.check and changed) else 0
    if args.command == "audit":
        import nbformat

        bad = 0
        for path in paths:
            problems = exercise_report(nbformat.read(path, as_version=4).cells)
            bad += len(problems)
            print(f"{path}: {'ok' if not problems else '; '.join(problems)}")
        return 1 if bad else 0
    if args.command == "slides":
        written = build_slides(paths, args.out, offline=args.offline, reveal_url_prefix=args.reveal_url_prefix)
    elif args.command == "student":
        written = build_student(paths, args.out)
    else:
        written = build_handouts(paths, args.out)
    for target in written:
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
