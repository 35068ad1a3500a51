"""Benchmark: training throughput (images/s) of ``alexnet("cifar")`` on this machine, by precision and batch.

    .venv/bin/python benchmarks/alexnet_throughput.py [--seconds 12]

Times ``train_on_batch`` on random 32×32×3 batches (no input pipeline, no evaluation) after three warm-up
steps, for float32 and bfloat16 mixed precision, batches of 256 and 512, and three variants (2×2
instead of 3×3 whitening in conv1, as in the long recipe; ``width=0.5``, as in the class recipe; LRN in batch
norm's place). Lesson 06's recipe picks bfloat16 where the processor has
native bf16 instructions (:func:`helpers.cifar.precision_policy`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CASES = [  # (label, precision, batch, alexnet options)
    ("float32, batch 256", "float32", 256, {}),
    ("bfloat16, batch 256", "mixed_bfloat16", 256, {}),
    ("bfloat16, batch 256, 2×2 whitening (the long recipe's net)", "mixed_bfloat16", 256, {"first_kernel": 2}),
    ("bfloat16, batch 256, width 0.5 (the class recipe's net)", "mixed_bfloat16", 256, {"width": 0.5}),
    ("bfloat16, batch 512", "mixed_bfloat16", 512, {}),
    ("bfloat16, batch 512, 2×2 whitening (24 conv1 filters)", "mixed_bfloat16", 512, {"first_kernel": 2}),
    ("bfloat16, batch 512, width 0.5", "mixed_bfloat16", 512, {"width": 0.5}),
    ("bfloat16, batch 512, LRN instead of BN", "mixed_bfloat16", 512, {"lrn": True}),
]


def throughput(precision, batch, options, seconds) -> float:
    import keras
    import numpy as np

    from helpers import alexnet
    from helpers.cifar import make_optimizer

    model = alexnet("cifar", dtype=precision, **options)
    model.compile(optimizer=make_optimizer(0.01), loss="sparse_categorical_crossentropy")
    x = np.random.default_rng(0).random((batch, 32, 32, 3), dtype="float32")
    y = np.random.default_rng(1).integers(0, 10, batch)
    for _ in range(3):
        model.train_on_batch(x, y)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        model.train_on_batch(x, y)
        n += batch
    keras.backend.clear_session()
    return n / (time.perf_counter() - start)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=12.0, help="timed seconds per case (default 12)")
    args = ap.parse_args(argv)
    import helpers

    keras = helpers.import_keras()
    from alexnet_cifar10 import cpu_flags, cpu_model  # noqa: E402  (the benchmark beside this one)

    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs; flags: {cpu_flags()}; keras {keras.__version__}")
    print("| case | training images/s |\n|---|---:|")
    for label, precision, batch, options in CASES:
        print(f"| {label} | {throughput(precision, batch, options, args.seconds):.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
