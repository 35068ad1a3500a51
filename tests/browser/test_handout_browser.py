"""An HTML handout (``make handouts``) in a real browser: headless Chromium opens it from disk.

The handout of lesson 01 is built into a temporary folder with nbconvert (tools/classroom.py),
opened as a file:// page, checked (title, every figure decoded, the explorer shown as its static
PNG, no page error) and photographed into ``test-output/browser/handout_01_pooling.png``.
Skipped with a reason when Playwright or Chromium is missing.
"""

from __future__ import annotations

import pytest

from tools import classroom

from .labdriver import ROOT, browser_page, browser_unavailable

pytestmark = pytest.mark.browser
OUT = ROOT / "test-output" / "browser"


def test_handout_opens_with_every_figure_and_takes_a_screenshot(tmp_path):
    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
    (handout,) = classroom.build_handouts([ROOT / "notebooks" / "01_pooling.ipynb"], tmp_path)
    OUT.mkdir(parents=True, exist_ok=True)
    with browser_page(viewport=(1200, 900)) as (page, errors):
        page.goto(handout.as_uri())
        page.wait_for_load_state("load")
        assert "Pooling" in page.locator("h1").first.inner_text()
        # figures are embedded; remote images (the Colab badge) cannot load on an offline machine
        images = page.evaluate(
            """() => [...document.querySelectorAll('img')].filter(i => !/^https?:/.test(i.getAttribute('src')))
                     .map(i => [i.complete, i.naturalWidth])""")
        assert len(images) >= 9 and all(done and width > 0 for done, width in images), images
        # the explorer's stored output is shown as its PNG (no widget state is stored)
        assert page.locator(".jupyter-widgets").count() == 0
        page.screenshot(path=str(OUT / "handout_01_pooling.png"))
        page.locator("img").nth(2).scroll_into_view_if_needed()
        page.screenshot(path=str(OUT / "handout_01_pooling_figure.png"))
        # MathJax comes from a CDN: offline it is missing, which is not an error of the handout.
        own = [e for e in errors if "MathJax" not in e]
        assert not own, own
