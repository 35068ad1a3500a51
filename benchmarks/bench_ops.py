"""Time the NumPy reference ops of helpers.ops; prints a markdown table.

Run from the repository root:  .venv/bin/python benchmarks/bench_ops.py

The target: pool2d on a 512x512x3 float32 image well under 50 ms per call (every mode).
Times are the median over repeats of the per-call time (timeit-style: each repeat runs the
call enough times to last about 0.05 s).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.ops import conv2d, pad2d, pool2d  # noqa: E402

POOL_BUDGET_MS = 50.0
REPEATS = 7


def median_ms(fn) -> float:
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()          # calls per repeat so one repeat takes >= 0.2 s
    number = max(1, number // 4)           # ...trimmed to about 0.05 s
    times = timer.repeat(repeat=REPEATS, number=number)
    return statistics.median(times) / number * 1e3


def main() -> int:
    rng = np.random.default_rng(0)
    image = rng.random((512, 512, 3), dtype=np.float32)
    rows: list[tuple[str, str, float, str]] = []
    slow = []

    for mode in ("max", "avg", "min"):
        for label, kwargs in (("2x2, stride 2, valid", dict(size=2)),
                              ("3x3, stride 2, same", dict(size=3, stride=2, padding="same"))):
            ms = median_ms(lambda: pool2d(image, mode=mode, **kwargs))
            ok = ms < POOL_BUDGET_MS
            if not ok:
                slow.append(f"pool2d {mode} {label}")
            rows.append((f"pool2d {mode}", f"512x512x3 f32, {label}", ms, "yes" if ok else "NO"))

    lenet_x = rng.random((1, 32, 32, 1), dtype=np.float32)
    lenet_k = rng.random((5, 5, 1, 6), dtype=np.float32)
    rows.append(("conv2d", "1x32x32x1, 5x5x1x6, valid (LeNet-5 C1)", median_ms(lambda: conv2d(lenet_x, lenet_k)), "-"))
    alex_x = rng.random((1, 227, 227, 3), dtype=np.float32)
    alex_k = rng.random((11, 11, 3, 96), dtype=np.float32)
    rows.append(("conv2d", "1x227x227x3, 11x11x3x96, stride 4 (AlexNet conv1)",
                 median_ms(lambda: conv2d(alex_x, alex_k, stride=4)), "-"))
    feat_x = rng.random((1, 64, 64, 16), dtype=np.float32)
    feat_k = rng.random((3, 3, 16, 32), dtype=np.float32)
    rows.append(("conv2d", "1x64x64x16, 3x3x16x32, same, dilation 2",
                 median_ms(lambda: conv2d(feat_x, feat_k, padding="same", dilation=2)), "-"))

    for mode in ("constant", "reflect", "wrap"):
        rows.append((f"pad2d {mode}", "512x512x3 f32, pad 2", median_ms(lambda: pad2d(image, 2, mode=mode)), "-"))

    print(f"helpers.ops benchmark: NumPy {np.__version__}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPU core(s), median of {REPEATS} repeats\n")
    print(f"| op | input | median ms | < {POOL_BUDGET_MS:g} ms |")
    print("|---|---|---:|:---:|")
    for op, what, ms, ok in rows:
        print(f"| {op} | {what} | {ms:.2f} | {ok} |")
    if slow:
        print(f"\nOver budget: {', '.join(slow)}")
        return 1
    print(f"\nAll pool2d modes are under {POOL_BUDGET_MS:g} ms.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
