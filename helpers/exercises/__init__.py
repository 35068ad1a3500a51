"""Self-checks for the lessons' exercises: each says right or wrong, with a hint when wrong.

Each lesson has a module here (``pooling``, ``padding``, ...) whose ``check_*`` functions take the
learner's answer, print a one-line verdict and return ``True``/``False``. They never reveal the
solution, so they keep working in the student copies where solution cells are removed.

>>> verdict(True, "the window fits 3 times")
✔ Right: the window fits 3 times
True
"""

from __future__ import annotations


def verdict(ok: bool, right: str, hint: str = "") -> bool:
    """Print ``✔ Right: ...`` or ``✘ Not yet: <hint>`` and return ``ok``."""
    print(f"✔ Right: {right}" if ok else f"✘ Not yet: {hint}")
    return bool(ok)
