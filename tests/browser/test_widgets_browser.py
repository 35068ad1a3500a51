"""The explorers in a real browser: JupyterLab + headless Chromium, driven by Playwright.

For every notebook whose stored outputs contain a widget: open it in JupyterLab, run all cells,
then in each explorer move the stride, kernel/window-size and padding controls and check that
the status text (output shape, formula) and the figure both change, with no error in the browser
console or the notebook. A screenshot of each explorer after each change goes to
``test-output/browser/``, and the measured browser latencies to ``latency.json`` there.

Skipped with a reason when Playwright or Chromium is missing (``.ci/run`` installs both), and for
notebooks whose data sets are absent.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import missing_data, skip_reason

from .labdriver import (EXPLORER, ROOT, browser_page, explorer_controls,
                        explorer_state, move_control, notebook_errors, open_and_run_all, wait_changed,
                        widget_notebooks)

pytestmark = pytest.mark.browser
OUT = ROOT / "test-output" / "browser"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: the explorers with stride, kernel/window and padding controls, which this test moves
STRIDE_EXPLORERS = {"PoolingExplorer", "PaddingExplorer", "ShapeTraceExplorer"}


@pytest.mark.parametrize("notebook", widget_notebooks(), ids=lambda p: p.stem)
def test_explorers_respond_in_the_browser(lab, notebook):
    nb = json.loads(notebook.read_text())
    kinds = {"".join(out["data"].get("text/plain", "")).split(":")[0] for cell in nb["cells"]
             if cell["cell_type"] == "code" for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})}
    if not kinds & STRIDE_EXPLORERS:
        pytest.skip(f"its explorers ({', '.join(sorted(kinds))}) have no stride control: "
                    "tests/browser/test_activations_browser.py drives the activation explorer")
    missing = missing_data(nb.get("metadata", {}).get("cnn_classics", {}).get("needs_data", []))
    if missing:
        pytest.skip(skip_reason(missing))
    OUT.mkdir(parents=True, exist_ok=True)
    latencies = {}
    with browser_page() as (page, console_errors):
        explorer = page.locator(EXPLORER).filter(has=page.locator(".widget-label", has_text="stride")).first
        for attempt in (1, 2):
            open_and_run_all(page, lab, notebook.name)
            assert notebook_errors(page) == [], "the notebook shows an error output"
            try:
                explorer.wait_for(timeout=60_000)  # widget views render shortly after their cell finishes
                break
            except Exception:
                # Seen once on a cold first start (fresh environment, loaded machine): the widget
                # extension was not ready when the cells ran. One fresh page load, then it must work.
                page.screenshot(path=str(OUT / f"{notebook.stem}_no_widget_{attempt}.png"), full_page=True)
                if attempt == 2:
                    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
                    raise AssertionError(f"no explorer rendered; widget cell outputs: "
                                         f"{[o[:200] for o in outputs if 'Explorer' in o]}") from None
        explorer.scroll_into_view_if_needed()
        controls = explorer_controls(explorer)
        labels = {label.lower() for label, _, _ in controls}
        assert any("stride" in lab_ for lab_ in labels), f"no stride control among {labels}"
        for label, kind, box in controls:
            before = explorer_state(explorer)
            action = move_control(box, kind, label)
            seconds, after = wait_changed(page, explorer, before)
            assert "⚠" not in after[0], f"{action}: the explorer reports an error: {after[0]}"
            latencies[action] = round(seconds * 1000, 1)
            slug = re.sub(r"\W+", "_", f"{notebook.stem}_{label}").strip("_")
            explorer.screenshot(path=str(OUT / f"{slug}.png"))
        assert console_errors == [], f"browser console errors: {console_errors}"
        assert notebook_errors(page) == []
    record = OUT / "latency.json"
    data = json.loads(record.read_text()) if record.exists() else {}
    data[notebook.stem] = latencies
    record.write_text(json.dumps(data, indent=2))
