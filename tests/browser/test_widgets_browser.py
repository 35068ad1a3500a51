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
import time
from pathlib import Path

import pytest

from conftest import missing_data, skip_reason

from .labdriver import ROOT, LabServer, browser_page, browser_unavailable, notebook_errors, open_and_run_all

pytestmark = pytest.mark.browser
OUT = ROOT / "test-output" / "browser"
CONTROL_LABELS = re.compile(r"stride|kernel|window|size|padding", re.I)


def widget_notebooks() -> list[Path]:
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        if any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
               for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell.get("outputs", [])):
            found.append(path)
    return found


@pytest.fixture(scope="module")
def lab():
    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
    server = LabServer(quick=True)
    yield server
    server.close()


def _state(explorer):
    return (explorer.locator(".widget-html-content").first.inner_text(),
            explorer.locator("img.widget-image").first.get_attribute("src"))


def _wait_changed(page, explorer, before, timeout_ms=20_000):
    """Wait until the explorer's status and picture both differ from ``before``; return seconds taken."""
    start = time.perf_counter()
    deadline = start + timeout_ms / 1000
    while time.perf_counter() < deadline:
        now = _state(explorer)
        if now[0] != before[0] and now[1] != before[1]:
            return time.perf_counter() - start, now
        page.wait_for_timeout(20)
    raise AssertionError(f"explorer did not update within {timeout_ms} ms; status still {_state(explorer)[0]!r}")


def _controls(explorer):
    """(label, kind, locator) of the controls to move: sliders, toggle buttons, dropdowns, text boxes."""
    found = []
    for box in explorer.locator(".widget-slider, .widget-toggle-buttons, .widget-dropdown, .widget-combobox, "
                                ".widget-text").all():
        label = box.locator(".widget-label").first.inner_text().strip()
        if not CONTROL_LABELS.search(label):
            continue
        cls = box.get_attribute("class") or ""
        kind = next(k for k in ("slider", "toggle-buttons", "dropdown", "combobox", "text") if f"widget-{k}" in cls)
        found.append((label, kind, box))
    return found


def _move(box, kind, label):
    """Change one control to another valid value, as a learner would. Returns a description."""
    if kind == "slider":
        handle = box.locator(".noUi-handle").first
        now, lo = float(handle.get_attribute("aria-valuenow")), float(handle.get_attribute("aria-valuemin"))
        handle.focus()
        key = "ArrowLeft" if now > lo else "ArrowRight"  # smaller kernels and strides always fit
        handle.press(key)
        return f"{label} slider {key}"
    if kind == "toggle-buttons":
        box.locator("button:not(.mod-active)").first.click()
        return f"{label} toggle"
    if kind == "dropdown":
        select = box.locator("select")
        options = select.locator("option").all_inner_texts()
        current = select.input_value()
        other = next(o for o in options if o != current)
        select.select_option(other)
        return f"{label} -> {other}"
    field = box.locator("input").first
    new = "same" if field.input_value().strip() != "same" else "valid"
    field.fill(new)
    field.press("Enter")
    return f"{label} -> {new}"


@pytest.mark.parametrize("notebook", widget_notebooks(), ids=lambda p: p.stem)
def test_explorers_respond_in_the_browser(lab, notebook):
    nb = json.loads(notebook.read_text())
    missing = missing_data(nb.get("metadata", {}).get("cnn_classics", {}).get("needs_data", []))
    if missing:
        pytest.skip(skip_reason(missing))
    OUT.mkdir(parents=True, exist_ok=True)
    latencies = {}
    with browser_page() as (page, console_errors):
        explorer = page.locator(".widget-vbox:has(> img.widget-image):has(.widget-html)").first
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
        controls = _controls(explorer)
        labels = {label.lower() for label, _, _ in controls}
        assert any("stride" in lab_ for lab_ in labels), f"no stride control among {labels}"
        for label, kind, box in controls:
            before = _state(explorer)
            action = _move(box, kind, label)
            seconds, after = _wait_changed(page, explorer, before)
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
