"""Drive JupyterLab in a real browser: start a server, open a notebook, run it, move widgets.

Used by the browser tests (``tests/browser/test_widgets_browser.py``) and by the browser half of
the widget latency benchmark. Needs Playwright for Python (``pip install playwright``, no browser
download) and a system Chromium (Debian's ``chromium``); :func:`browser_unavailable` says why not.

The server runs on a free loopback port with a random token, in a temporary copy of the notebooks
(so autosave never touches the repository), with a temporary Jupyter config and home directory.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTROL_LABELS = re.compile(r"stride|kernel|window|size|padding", re.I)
EXPLORER = ".widget-vbox:has(> img.widget-image):has(.widget-html)"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
CHROMIUM_ARGS = ["--headless=new", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


def chromium_path() -> str | None:
    env = os.environ.get("CHROMIUM_PATH")
    if env and Path(env).exists():
        return env
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def browser_unavailable() -> str | None:
    """None if the browser tests can run here, else the reason they cannot."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright)"
    if chromium_path() is None:
        return ("no Chromium found (install Debian's 'chromium' package, or set CHROMIUM_PATH); "
                ".ci/run installs it on CI")
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A JupyterLab server on 127.0.0.1 serving a temporary copy of ``notebooks/``."""

    def __init__(self, quick: bool = True):
        self.tmp = Path(tempfile.mkdtemp(prefix="cnn-lab-"))
        self.root = self.tmp / "notebooks"
        shutil.copytree(ROOT / "notebooks", self.root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        env = dict(os.environ, JUPYTER_CONFIG_DIR=str(self.tmp / "config"), HOME=str(self.tmp / "home"),
                   JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"), TF_CPP_MIN_LOG_LEVEL="3")
        if quick:
            env["CNN_QUICK"] = "1"
        (self.tmp / "home").mkdir()
        self._write_settings(self.tmp / "config" / "lab" / "user-settings")
        self.log = open(self.tmp / "lab.log", "wb")
        self.proc = subprocess.Popen(self._command(), cwd=self.root, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self._wait_ready()

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                "--ServerApp.open_browser=False", "--LabApp.news_url=None",
                *(["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])]

    @staticmethod
    def _write_settings(folder: Path) -> None:
        """Render every cell (no windowing, so the DOM holds them all) and ask for no news pop-up."""
        settings = {
            "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
            "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                {"fetchNews": "false", "checkForUpdates": False},
        }
        for rel, value in settings.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))

    def _wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited early:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.base}/api/status?token={self.token}", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise TimeoutError(f"JupyterLab did not start in {timeout} s:\n{self.log_text()}")

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        return f"{self.base}/lab/tree/{notebook}?token={self.token}&reset"

    def log_text(self) -> str:
        self.log.flush()
        return (self.tmp / "lab.log").read_text(errors="replace")[-4000:]

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


@contextlib.contextmanager
def browser_page(viewport=(1400, 1000)):
    """A Playwright Chromium page; yields (page, console_errors list)."""
    from playwright.sync_api import sync_playwright

    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=args, headless=True)
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        page = context.new_page()
        errors: list[str] = []

        def on_console(msg):
            if msg.type == "error":
                url = (msg.location or {}).get("url", "")
                # The machine may be offline: failed fetches of outside resources are not our errors.
                if "Failed to load resource" in msg.text and not url.startswith("http://127.0.0.1"):
                    return
                errors.append(f"{msg.text} ({url})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
        try:
            yield page, errors
        finally:
            context.close()
            browser.close()


def menu_command(page, menu: str, item: str, done_js: str, tries: int = 3, timeout_ms: int = 20_000) -> None:
    """Choose ``menu`` → ``item`` until the page satisfies ``done_js``. On a cold first start (fresh
    environment, loaded machine) a click on JupyterLab's menu was once lost, so it is tried up to ``tries`` times."""
    for attempt in range(1, tries + 1):
        page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
        page.locator(".lm-Menu-itemLabel", has_text=item).first.click()
        try:
            page.wait_for_function(done_js, timeout=timeout_ms)
            return
        except Exception:
            if attempt == tries:
                raise
            page.keyboard.press("Escape")  # close a menu left open


def open_and_run_all(page, server: LabServer, notebook: str, timeout_s: float = 300) -> None:
    """Open ``notebook`` in JupyterLab, run all cells and wait until the kernel is idle again."""
    page.goto(server.url(notebook))
    page.wait_for_load_state("networkidle", timeout=120_000)  # every extension's code loaded
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
    page.locator(".jp-NotebookPanel-toolbar").first.wait_for(timeout=60_000)
    # Kernel ready: the toolbar's kernel name is shown and the status says idle.
    page.wait_for_function("() => document.querySelector('.jp-Notebook') !== null", timeout=60_000)
    # Clear the stored outputs first, so that every execution count seen afterwards is fresh.
    menu_command(page, "Edit", "Clear Outputs of All Cells",
                 """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                          .every(p => !/\\d/.test(p.textContent))""")
    # Started: some cell is queued or running ("[*]") or already done.
    menu_command(page, "Run", "Run All Cells",
                 """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                          .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""")
    # Every code cell gets an execution count when done; "[*]" while queued or running.
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }""",
        timeout=timeout_s * 1000, polling=500)


def notebook_errors(page) -> list[str]:
    """Error outputs (tracebacks) shown in the notebook."""
    return page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], '
                        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]').all_inner_texts()


def widget_notebooks() -> list[Path]:
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        if any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
               for cell in nb["cells"] if cell["cell_type"] == "code" for out in cell.get("outputs", [])):
            found.append(path)
    return found


def explorer_state(explorer):
    return (explorer.locator(".widget-html-content").first.inner_text(),
            explorer.locator("img.widget-image").first.get_attribute("src"))


def wait_changed(page, explorer, before, timeout_ms=20_000):
    """Wait until the explorer's status and picture both differ from ``before``; return seconds taken."""
    start = time.perf_counter()
    deadline = start + timeout_ms / 1000
    while time.perf_counter() < deadline:
        now = explorer_state(explorer)
        if now[0] != before[0] and now[1] != before[1]:
            return time.perf_counter() - start, now
        page.wait_for_timeout(20)
    raise AssertionError(f"explorer did not update within {timeout_ms} ms; status still {explorer_state(explorer)[0]!r}")


def explorer_controls(explorer):
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


def move_control(box, kind, label):
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
