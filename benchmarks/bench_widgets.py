"""Widget latency in the kernel: time from a control change to the figure being re-rendered.

For each explorer with its default inputs, a control is moved back and forth (as a learner
dragging a slider would) and the time of each full update (``Explorer.set`` → artists updated →
PNG rendered into the Image widget) is recorded. Prints the median and 90th percentile per
control, and per explorer; the lessons' target is a median under 100 ms.

    .venv/bin/python benchmarks/bench_widgets.py

    .venv/bin/python benchmarks/bench_widgets.py --browser   # also in JupyterLab + Chromium

With ``--browser`` the same controls are moved in a real browser (JupyterLab in headless Chromium,
driven by Playwright through ``tests/browser/labdriver.py``), and the time from the key press or
click to the repainted picture is measured there: kernel round trip, PNG transfer and rendering.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

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


def browser_latencies(repeats: int = 5) -> int:
    """Move each explorer's stride/kernel/size/padding controls in JupyterLab; print median latency."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
    import labdriver as ld

    reason = ld.browser_unavailable()
    if reason:
        print(f"browser latency not measured: {reason}")
        return 1
    server = ld.LabServer(quick=True)
    print("\n| notebook (browser) | control changed | median (ms) | max (ms) |")
    print("|---|---|---:|---:|")
    try:
        with ld.browser_page() as (page, _errors):
            for path in ld.widget_notebooks():
                ld.open_and_run_all(page, server, path.name)
                explorer = page.locator(ld.EXPLORER).first
                explorer.wait_for(timeout=60_000)
                explorer.scroll_into_view_if_needed()
                for label, kind, box in ld.explorer_controls(explorer):
                    times = []
                    for _ in range(repeats):
                        before = ld.explorer_state(explorer)
                        ld.move_control(box, kind, label)
                        times.append(ld.wait_changed(page, explorer, before)[0] * 1000)
                    print(f"| {path.stem} | {label} | {statistics.median(times):.0f} | {max(times):.0f} |", flush=True)
    finally:
        server.close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--browser", action="store_true", help="also measure in JupyterLab + Chromium")
    args = parser.parse_args()
    print("| explorer | control changed | median (ms) | p90 (ms) |")
    print("|---|---|---:|---:|")
    worst = 0.0
    for name in ("pooling_explorer", "padding_explorer", "shape_trace_explorer"):
        try:
            rows = time_explorer(name)
        except (AttributeError, ImportError) as err:
            print(f"| {name} | not available: {err} | | |")
            continue
        for cname, med, p90 in rows:
            print(f"| {name} | {cname} | {med:.1f} | {p90:.1f} |")
        worst = max(worst, rows[-1][1])
    print(f"\nworst explorer median: {worst:.1f} ms (target: under 100 ms)")
    return browser_latencies() if args.browser else 0


if __name__ == "__main__":
    sys.exit(main())
