"""Widget latency in the kernel: time from a control change to the figure being re-rendered.

For each explorer with its default inputs, a control is moved back and forth (as a learner
dragging a slider would) and the time of each full update (``Explorer.set`` → artists updated →
PNG rendered into the Image widget) is recorded. Prints the median and 90th percentile per
control, and per explorer; the lessons' target is a median under 100 ms.

    .venv/bin/python benchmarks/bench_widgets.py

The browser side (control change to repainted image in Chromium) is measured by the browser
test suite, see tests/browser/.
"""

from __future__ import annotations

import statistics
import sys
import time

import matplotlib

matplotlib.use("agg")

import helpers.widgets as hw  # noqa: E402


def _alternatives(control):
    """Two values to flip a control between: its current value and a different valid one."""
    value = control.value
    options = getattr(control, "options", None)
    if options:
        labels = [o[1] if isinstance(o, tuple) else o for o in options]
        other = next(o for o in labels if o != value)
        return value, other
    if isinstance(value, bool):
        return value, not value
    if isinstance(value, (int, float)):
        step = getattr(control, "step", 1) or 1
        hi = getattr(control, "max", value + step)
        lo = getattr(control, "min", value - step)
        other = value + step if value + step <= hi else value - step
        return value, type(value)(max(lo, other))
    return None


def time_explorer(name: str, repeats: int = 15) -> list[tuple[str, float, float]]:
    explorer = getattr(hw, name)()
    rows = []
    all_times = []
    for cname, control in explorer.controls.items():
        pair = _alternatives(control)
        if pair is None:
            continue
        times = []
        for i in range(repeats):
            value = pair[(i + 1) % 2]
            t0 = time.perf_counter()
            explorer.set(**{cname: value})
            times.append((time.perf_counter() - t0) * 1000)
        explorer.set(**{cname: pair[0]})
        all_times += times
        rows.append((cname, statistics.median(times), statistics.quantiles(times, n=10)[-1]))
    rows.append(("(all controls)", statistics.median(all_times), statistics.quantiles(all_times, n=10)[-1]))
    return rows


def main() -> int:
    print("| explorer | control changed | median (ms) | p90 (ms) |")
    print("|---|---|---:|---:|")
    worst = 0.0
    for name in ("pooling_explorer", "padding_explorer"):
        try:
            rows = time_explorer(name)
        except (AttributeError, ImportError) as err:
            print(f"| {name} | not available: {err} | | |")
            continue
        for cname, med, p90 in rows:
            print(f"| {name} | {cname} | {med:.1f} | {p90:.1f} |")
        worst = max(worst, rows[-1][1])
    print(f"\nworst explorer median: {worst:.1f} ms (target: under 100 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
