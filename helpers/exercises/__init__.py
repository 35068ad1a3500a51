"""Self-checks for the lessons' exercises: each says right or wrong, with a hint when wrong.

Each lesson has a module here (``pooling``, ``padding``, ...) whose ``check_*`` functions take the
learner's answer, print a one-line verdict and return ``True``/``False``. They never reveal the
solution, so they keep working in the student copies where solution cells are removed.

>>> verdict(True, "the window fits 3 times")
✔ Right: the window fits 3 times
True
"""

from __future__ import annotations

import importlib


def verdict(ok: bool, right: str, hint: str = "") -> bool:
    """Print ``✔ Right: ...`` or ``✘ Not yet: <hint>`` and return ``ok``."""
    print(f"✔ Right: {right}" if ok else f"✘ Not yet: {hint}")
    return bool(ok)


def __getattr__(name: str):
    """A lesson's module of checks, imported on first use: ``exercises.pooling.check_max_pool_grid(answer)``."""
    if not name.startswith("_"):
        try:
            return importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":  # the module exists but one of its own imports failed
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
