"""Every lesson runs in a Colab-like environment, and every explorer displays there.

The environment (``tests/colab/env.py``): Python 3.13 with Colab's package versions from
``tests/colab/pins.txt`` (ipywidgets 7.7.1, IPython 7.34, Keras 3.13.2, ...), the project installed
with ``pip install --no-deps`` as Colab's set-up cell does, the notebooks copied to a folder outside
the repository (Colab runs them from ``/content``) and executed there with ``CNN_QUICK=1`` (so lesson
06, and the training lessons 04 and 05, take their quick path) and the data from ``CNN_DATA_DIR``.

Fails on any error output, any traceback and any stderr output, and when a cell that shows an
explorer in the stored notebook does not display a widget view (with its model id) and its PNG.
Skipped with the reason where no Python 3.13 exists. The executed copies are kept in
``test-output/colab/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import missing_data, skip_reason

from . import env

ROOT = env.ROOT
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
OUT = ROOT / "test-output" / "colab"
VIEW = "application/vnd.jupyter.widget-view+json"


def _needs(path: Path) -> list[str]:
    return json.loads(path.read_text()).get("metadata", {}).get("cnn_classics", {}).get("needs_data", [])


@pytest.fixture(scope="module")
def executed():
    reason = env.unavailable()
    if reason:
        pytest.skip(reason)
    python = env.build()
    runnable = [p for p in NOTEBOOKS if not missing_data(_needs(p))]
    content = Path(tempfile.mkdtemp(prefix="colab-content-"))  # outside the repository, like /content
    try:
        assert not content.resolve().is_relative_to(ROOT)
        for path in runnable:
            shutil.copy(path, content / path.name)
        shutil.rmtree(OUT, ignore_errors=True)
        environ = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        environ.update(CNN_QUICK="1", TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0",
                       JUPYTER_DATA_DIR=str(content / ".jupyter-data"), JUPYTER_CONFIG_DIR=str(content / ".jupyter"),
                       PATH=f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}")
        # Two runners side by side, each with its own kernel, on the 2-core CI machine: lesson 06 (the
        # longest) and the probe in one, the other lessons in the other. A lesson's kernel often uses less
        # than both cores (Python between small TensorFlow steps, plotting), so this shortens CI.
        longest = [p for p in runnable if p.stem.startswith("06")]
        rest = [p for p in runnable if p not in longest]
        runner = str(Path(env.__file__).with_name("run_notebook.py"))
        commands = [[str(python), runner, "--probe", str(OUT), *(str(content / p.name) for p in longest)]]
        if rest:
            commands.append([str(python), runner, str(OUT), *(str(content / p.name) for p in rest)])
        logs = [content / f"runner{i}.log" for i in range(len(commands))]  # files: no pipe can fill up
        procs = []
        for cmd, log in zip(commands, logs):
            with open(log, "wb") as sink:
                procs.append(subprocess.Popen(cmd, cwd=content, env=environ, stdout=sink, stderr=subprocess.STDOUT))
        codes = [proc.wait(timeout=3000) for proc in procs]
        logs = [log.read_text(errors="replace") for log in logs]
        assert codes == [0] * len(procs), "\n".join(log[-3000:] for log in logs)
        yield json.loads((OUT / "probe.json").read_text()), "".join(logs)
    finally:
        shutil.rmtree(content, ignore_errors=True)


def test_the_kernel_is_colabs_versions_with_helpers_installed(executed):
    probe, _ = executed
    assert probe["python"].startswith("3.13") and probe["ipywidgets"] == "7.7.1"
    assert probe["keras"] == "3.13.2" and probe["ipython"] == "7.34.0"
    assert Path(probe["executable"]).is_relative_to(env.VENV), probe
    # helpers comes from the installed package, not from the repository's working tree
    assert Path(probe["helpers"]).is_relative_to(env.VENV) and "site-packages" in probe["helpers"], probe


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_runs_without_errors_and_shows_its_explorers(executed, path):
    missing = missing_data(_needs(path))
    if missing:
        pytest.skip(skip_reason(missing))
    _, runner_log = executed  # the runners' own output (the kernels' stderr is in the cells)
    stored = json.loads(path.read_text())["cells"]
    ran = json.loads((OUT / path.name).read_text())["cells"]
    assert len(ran) == len(stored)
    problems = []
    for i, (before, after) in enumerate(zip(stored, ran)):
        if after["cell_type"] != "code" or not "".join(after["source"]).strip():
            continue
        if after.get("execution_count") is None:
            problems.append(f"cell {i} did not run (an earlier cell stopped the run)")
            break
        for out in after.get("outputs", []):
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            if out["output_type"] == "error":
                problems.append(f"cell {i}: {out['ename']}: {out['evalue'][:300]}")
            elif out.get("name") == "stderr":
                problems.append(f"cell {i} wrote to stderr: {text[:300]!r}")
            elif "Traceback (most recent call last)" in text:
                problems.append(f"cell {i} printed a traceback: {text[:300]!r}")
        if any(VIEW in o.get("data", {}) for o in before.get("outputs", [])):
            views = [o["data"] for o in after["outputs"] if VIEW in o.get("data", {})]
            if not views:
                problems.append(f"cell {i}: explorer shows no widget view: "
                                f"{[o.get('data', {}).get('text/plain', o.get('text', ''))[:200] for o in after['outputs']]}")
            elif not (views[0][VIEW].get("model_id") and views[0].get("image/png")):
                problems.append(f"cell {i}: widget view without model id or PNG: {views[0][VIEW]}")
    assert not problems, "\n".join(problems) + (f"\nrunner: {runner_log[-1000:]}" if runner_log else "")


def test_every_explorer_lesson_was_checked():
    with_views = [p.stem for p in NOTEBOOKS
                  if any(VIEW in o.get("data", {}) for c in json.loads(p.read_text())["cells"]
                         for o in c.get("outputs", []))]
    assert {"01_pooling", "02_padding", "05_alexnet"} <= set(with_views), with_views
