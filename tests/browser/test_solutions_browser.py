"""Solutions stay folded until a learner clicks, in a real JupyterLab (headless Chromium, Playwright).

``tools/classroom.py mark`` puts each solution under a collapsed ``#### Solution`` heading
(``jp-MarkdownHeadingCollapsed``). This opens lesson 01 as stored, checks that no solution's code is
visible, clicks the first heading's "1 cell hidden" button, and checks that exactly that solution appears while
the next exercise (its own heading) was never hidden. Colab reads the same notebook's
``colab.collapsed_sections`` (it cannot be driven from here; see docs/where-it-runs.md).
"""

from __future__ import annotations

import pytest

from .labdriver import ROOT, browser_page

pytestmark = pytest.mark.browser
OUT = ROOT / "test-output" / "browser"
FIRST_SOLUTION = "answer = helpers.output_size(13, 3, stride=2)"
SECOND_SOLUTION = "answer = [[5, 7], [8, 9]]"


def test_solutions_are_folded_until_clicked(lab):
    OUT.mkdir(parents=True, exist_ok=True)
    with browser_page() as (page, console_errors):
        page.goto(lab.url("01_pooling.ipynb"))
        page.wait_for_load_state("networkidle", timeout=120_000)
        cells = page.locator(".jp-NotebookPanel .jp-Cell")
        cells.first.wait_for(timeout=60_000)
        first = page.locator(".jp-CodeCell", has_text=FIRST_SOLUTION).first
        second = page.locator(".jp-CodeCell", has_text=SECOND_SOLUTION).first
        exercise2 = page.locator(".jp-MarkdownCell", has_text="Exercise 2").first
        first.wait_for(state="attached", timeout=60_000)
        # JupyterLab folds the headings right after rendering the cells: wait for the folds to show
        page.locator(".jp-showHiddenCellsButton").first.wait_for(state="visible", timeout=60_000)
        first.wait_for(state="hidden", timeout=20_000)
        assert not first.is_visible() and not second.is_visible(), "a solution is visible before any click"
        exercise2.scroll_into_view_if_needed()
        assert exercise2.is_visible(), "the exercise after a solution was folded away with it"
        heading = page.locator(".jp-MarkdownCell", has_text="Try the exercise first").first
        heading.scroll_into_view_if_needed()
        page.screenshot(path=str(OUT / "solutions_folded.png"))
        heading.locator(".jp-showHiddenCellsButton").first.click()  # "+ 1 cell hidden"
        first.wait_for(state="visible", timeout=20_000)
        assert "✔" in first.inner_text(), "the unfolded solution shows its ✔"
        assert not second.is_visible(), "unfolding one solution unfolded another"
        first.scroll_into_view_if_needed()
        page.screenshot(path=str(OUT / "solutions_unfolded.png"))
        assert console_errors == [], f"browser console errors: {console_errors}"
