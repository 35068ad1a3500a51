"""The activation explorer in a real browser (JupyterLab + headless Chromium, Playwright).

Opens lesson 07, runs it (quick mode), and in the activation explorer switches the layer (dropdown)
and picks another image (slider, keyboard), checking each time that the status line, the picture
and the top-5 predictions change, with no error in the console or the notebook. Screenshots go to
``test-output/browser/``.
"""

from __future__ import annotations

import pytest

from conftest import missing_data, skip_reason

from .labdriver import (EXPLORER, ROOT, browser_page, explorer_state,
                        notebook_errors, open_and_run_all, wait_changed)

pytestmark = pytest.mark.browser
OUT = ROOT / "test-output" / "browser"


def _top5(explorer) -> str:
    return explorer.locator(".widget-html-content").first.inner_text().split("top-5:")[-1]


def test_activation_explorer_switches_layer_and_image(lab):
    missing = missing_data(["mnist"])
    if missing:
        pytest.skip(skip_reason(missing))
    OUT.mkdir(parents=True, exist_ok=True)
    with browser_page() as (page, console_errors):
        open_and_run_all(page, lab, "07_your_own_cnn.ipynb")
        assert notebook_errors(page) == [], "the notebook shows an error output"
        explorer = page.locator(EXPLORER).filter(has=page.locator(".widget-dropdown", has_text="layer")).first
        explorer.wait_for(timeout=60_000)
        explorer.scroll_into_view_if_needed()
        assert "conv1" in explorer_state(explorer)[0]

        before = explorer_state(explorer)
        explorer.locator(".widget-dropdown", has_text="layer").locator("select").select_option("conv3")
        _, after = wait_changed(page, explorer, before)
        assert "conv3" in after[0] and "⚠" not in after[0]
        explorer.screenshot(path=str(OUT / "activations_layer_conv3.png"))

        before, top_before = explorer_state(explorer), _top5(explorer)
        image = explorer.locator(".widget-slider", has_text="image").locator(".noUi-handle").first
        image.focus()
        image.press("ArrowRight")
        _, after = wait_changed(page, explorer, before)
        assert _top5(explorer) != top_before, "another image, the same predictions"
        explorer.screenshot(path=str(OUT / "activations_image_1.png"))
        assert console_errors == [], f"browser console errors: {console_errors}"
        assert notebook_errors(page) == []
