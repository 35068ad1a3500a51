"""The Colab-like environment: Python 3.13 with Colab's package versions (``pins.txt``), the project
installed with ``pip install --no-deps`` as Colab's set-up cell does.

Built on first use into ``.venv-colab/`` at the repository root (git-ignored) and reused while
``pins.txt`` and the interpreter stay the same; the project itself is reinstalled (non-editable) on
every use, so the run sees the working tree's ``helpers``. Used by ``tests/colab/test_colab_like.py``
and by the classic Notebook 6.5 browser test.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PINS = Path(__file__).with_name("pins.txt")
VENV = ROOT / ".venv-colab"
BIN = VENV / "bin"
PYTHON = (3, 13)  # Colab's, 2026-08


def _version(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True,
                             text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = out.stdout.split()
    return (int(parts[0]), int(parts[1])) if out.returncode == 0 and len(parts) == 2 else None


def find_python() -> str | None:
    """A Python 3.13: ``$COLAB_PYTHON``, ``python3.13`` on the PATH, or one of pyenv's versions."""
    candidates = [os.environ.get("COLAB_PYTHON"), shutil.which(f"python{PYTHON[0]}.{PYTHON[1]}")]
    roots = [os.environ.get("PYENV_ROOT")]
    if shutil.which("pyenv"):
        roots.append(subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip())
    roots.append(str(Path.home() / ".pyenv"))
    for root in filter(None, roots):
        candidates += sorted(glob.glob(f"{root}/versions/{PYTHON[0]}.{PYTHON[1]}*/bin/python{PYTHON[0]}.{PYTHON[1]}"),
                             reverse=True)
    for candidate in filter(None, candidates):
        if _version(candidate) == PYTHON:
            return candidate
    return None


def unavailable() -> str | None:
    """None if the Colab-like environment can be built here, else why not."""
    if find_python() is None:
        return (f"no Python {PYTHON[0]}.{PYTHON[1]} found (Colab's version): set COLAB_PYTHON, put "
                f"python{PYTHON[0]}.{PYTHON[1]} on the PATH or install it with pyenv")
    return None


def _stamp(python: str) -> str:
    return hashlib.sha256(PINS.read_bytes() + os.path.realpath(python).encode()).hexdigest()


_READY: list[Path] = []  # built and the project installed, in this process


def build(log=print) -> Path:
    """Create (or reuse) ``.venv-colab`` with the pins, install the project with ``--no-deps``; return its python.

    The project is installed once per process (the Colab-like test and the classic Notebook test share it).
    """
    if _READY:
        return _READY[0]
    python = find_python()
    if python is None:
        raise RuntimeError(unavailable())
    stamp = VENV / ".pins-sha256"
    if not (stamp.exists() and stamp.read_text() == _stamp(python) and (BIN / "python").exists()):
        log(f"building {VENV.name} with {python} and {PINS.relative_to(ROOT)} (a few minutes, once)")
        shutil.rmtree(VENV, ignore_errors=True)
        _run([python, "-m", "venv", str(VENV)])
        # --no-compile: modules are compiled when first imported, only those used (saves CPU time in CI)
        _run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--no-compile", "-r", str(PINS)])
        stamp.write_text(_stamp(python))
    # as Colab's set-up cell: the project alone, no dependency resolution (so nothing is upgraded)
    _run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
          "--force-reinstall", str(ROOT)])
    _READY.append(BIN / "python")
    return BIN / "python"


def _run(cmd) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-3000:]}\n"
                           f"{result.stderr[-3000:]}")
