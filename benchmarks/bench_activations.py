"""Activation explorer latency on a trained LeNet-5: time from a layer or image change to the new picture.

Trains LeNet-5 "modern" for one epoch on MNIST (about 98% test accuracy; enough for maps that mean
something), builds ``helpers.widgets.activation_explorer`` on 200 test digits, then switches the layer
and the image as a learner would and times each full update in the kernel (``Explorer.set`` → artists
updated → PNG rendered into the Image widget). Issue 17's target: a median under 150 ms.

    CNN_DATA_DIR=/path/to/data .venv/bin/python benchmarks/bench_activations.py

Prints the CPU's relevant flags with the figures, since the machine matters.
"""

from __future__ import annotations

import os
import platform
import statistics
import time

import matplotlib

matplotlib.use("agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import helpers  # noqa: E402
from helpers import preprocessing, train  # noqa: E402


def cpu_flags() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), [])
    except OSError:
        flags = []
    wanted = ("avx2", "avx512f", "avx512_bf16", "amx_bf16")
    return ", ".join(f"{w} {'yes' if w in flags else 'no'}" for w in wanted)


def main(repeats: int = 20) -> int:
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs; {cpu_flags()}")
    (x_train, y_train), (x_test, y_test) = data = helpers.load_mnist()
    run = train.fit(lambda: helpers.lenet5("modern"), data, epochs=1, batch_size=128, quick=False,
                    preprocess=preprocessing.preprocessor("modern"), verbose=None)
    print(f"LeNet-5 modern after 1 epoch: {train.evaluate(run.model, (x_test, y_test), run.preprocess)['accuracy']:.2%}")
    images = run.preprocess(x_test[:200])
    explorer = helpers.widgets.activation_explorer(run.model, images, y_test[:200])
    layers = list(explorer.controls["layer"].options)
    for i in range(5):  # first visits of each image compute its activations once (cached afterwards)
        explorer.set(image=i)
    rows = {}
    for what, changes in (("layer", [dict(layer=layers[i % len(layers)]) for i in range(1, repeats + 1)]),
                          ("image (cached)", [dict(image=i % 5) for i in range(1, repeats + 1)]),
                          ("image (first visit)", [dict(image=10 + i) for i in range(repeats)])):
        times = []
        for change in changes:
            t0 = time.perf_counter()
            explorer.set(**change)
            times.append((time.perf_counter() - t0) * 1000)
        rows[what] = (statistics.median(times), max(times))
    print("\n| change | median (ms) | max (ms) |\n|---|---:|---:|")
    for what, (med, worst) in rows.items():
        print(f"| {what} | {med:.0f} | {worst:.0f} |")
    print(f"\ntarget: median under 150 ms for a layer or image switch; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
