"""Time helpers.shape_trace on the paper's AlexNet (60,965,224 parameters, no weights allocated).

Run from the repository root:  .venv/bin/python benchmarks/bench_trace.py

Target: well under 1 s per trace, so that the shape-trace explorer of lesson 05 (and the
``alexnet()`` size check, which traces before building) stays interactive. This was a timed
assertion in tests/test_trace.py until issue 18: durations are measured here, never asserted
in the tests. Widget update times (padding and shape-trace explorers) are in bench_widgets.py.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import helpers  # noqa: E402
from helpers.alexnet_model import alexnet_layers  # noqa: E402

TARGET_S = 1.0


def main(repeats: int = 5) -> int:
    start = time.perf_counter()
    helpers.shape_trace(alexnet_layers("paper"), (227, 227, 3))  # first call: Keras' first uses included
    first = time.perf_counter() - start
    layers = alexnet_layers("paper")
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        trace = helpers.shape_trace(layers, (227, 227, 3))
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(f"shape_trace(alexnet 'paper', 227x227x3): {trace.total_params:,} parameters, "
          f"first call {first * 1e3:.0f} ms, then median {median * 1e3:.1f} ms over {repeats} runs "
          f"(target < {TARGET_S * 1e3:.0f} ms)")
    return 0 if max(first, median) < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
