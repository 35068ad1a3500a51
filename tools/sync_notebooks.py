"""Keep every notebook's set-up cell and "Open in Colab" badge in step with ``helpers.config``.

``helpers.config.REPOSITORY`` (and ``BRANCH``) say where the series lives. From them this tool writes

- each notebook's first code cell: exactly ``helpers.config.SETUP_CELL``, with no stored output
  (the cell prints nothing outside Colab);
- each notebook's first Markdown cell: the Colab badge of that notebook on a line of its own just
  under the title line (the first line), followed by a blank line;
- the README: the badge of ``notebooks/00_start_here.ipynb`` on the line after the Binder badge.

Every other cell, output and line stays as it is. Idempotent: a second run changes nothing, so it is
safe to re-run after merging edits to the notebooks. ``make setup-cells`` runs it.

    python tools/sync_notebooks.py            # rewrite what is out of step, list what changed
    python tools/sync_notebooks.py --check    # change nothing; exit 1 and list what is out of step
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.config import SETUP_CELL, colab_badge  # noqa: E402

BADGE_LINE = re.compile(r"^\[!\[Open In Colab\]\(")
README_START = "notebooks/00_start_here.ipynb"


def with_badge(markdown: str, badge: str) -> str:
    """``markdown`` (a cell whose first line is the title) with ``badge`` as its second line."""
    lines = markdown.split("\n")
    rest = lines[1:]
    if rest and BADGE_LINE.match(rest[0]):
        rest = rest[1:]
    if rest and rest[0].strip():
        rest = [""] + rest  # a blank line keeps the badge out of the paragraph below
    return "\n".join([lines[0], badge] + rest)


def sync_notebook(path: Path, write: bool = True) -> list[str]:
    """Bring one notebook in step; return what was (or, with ``write=False``, would be) changed."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changes = []
    setup = next((c for c in nb.cells if c.cell_type == "code"), None)
    if setup is None:
        raise ValueError(f"{path}: no code cell to hold the set-up cell")
    if setup.source != SETUP_CELL or setup.outputs:
        setup.source, setup.outputs = SETUP_CELL, []
        changes.append("set-up cell")
    intro = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if intro is None or not intro.source.startswith("# "):
        raise ValueError(f"{path}: the first Markdown cell must start with the title line ('# ...')")
    badged = with_badge(intro.source, colab_badge(f"notebooks/{path.name}"))
    if badged != intro.source:
        intro.source = badged
        changes.append("Colab badge")
    if changes and write:
        nbformat.write(nb, path)
    return changes


def sync_readme(path: Path, write: bool = True) -> list[str]:
    """Put the Colab badge of lesson 00 on the line after the README's Binder badge."""
    text = path.read_text()
    lines = text.split("\n")
    badge = colab_badge(README_START)
    if badge in lines:
        return []
    lines = [line for line in lines if not BADGE_LINE.match(line)]  # a badge for another repository
    binder = next((i for i, line in enumerate(lines) if "mybinder.org/badge" in line), None)
    if binder is None:
        raise ValueError(f"{path}: no Binder badge line to put the Colab badge after")
    lines.insert(binder + 1, badge)
    if write:
        path.write_text("\n".join(lines))
    return ["Colab badge"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if anything is out of step")
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb and README.md")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb")) + [ROOT / "README.md"]
    out_of_step = 0
    for path in paths:
        sync = sync_readme if path.suffix == ".md" else sync_notebook
        changes = sync(path, write=not args.check)
        if changes:
            out_of_step += 1
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                  f"{'out of step' if args.check else 'rewrote'} {', '.join(changes)}")
    if args.check and out_of_step:
        print("run `make setup-cells` to bring them in step", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
