"""Benchmark: how long deleting a ``tf.data`` input iterator takes, with tf.data's autotuning on and off.

Why it exists: Keras' ``fit`` builds a new input iterator every epoch and deletes the previous one. On this
project's machine that deletion left the training process idle for 30-40 s at the end of many long epochs
(docs/benchmarks.md, "Slowed epochs"). This script shows the cause without training anything: a pipeline like the
one Keras builds for a ``PyDataset`` (``from_generator`` then ``prefetch(AUTOTUNE)``) is read for ``--seconds``
while the main thread works, then deleted and the deletion timed. With autotuning on, the deletion waits for the
autotuning thread, which sleeps between its rounds for a period that doubles up to a minute; with it off (what
``helpers.train.keras_input`` does), the deletion is immediate.

Run from the repository root::

    .venv/bin/python benchmarks/tfdata_teardown.py               # 45 s of reading per iterator, 2 iterators each
    .venv/bin/python benchmarks/tfdata_teardown.py --seconds 10  # shorter reads: shorter sleeps, shorter stalls
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def teardown_seconds(autotune: bool, seconds: float) -> tuple[int, float]:
    """Read one iterator for ``seconds`` (the main thread busy between batches), delete it; return
    (batches read, seconds the deletion took)."""
    import numpy as np
    import tensorflow as tf

    def batches():
        while True:
            yield np.zeros((256, 32, 32, 3), np.float32)

    ds = tf.data.Dataset.from_generator(batches, output_signature=tf.TensorSpec((256, 32, 32, 3), tf.float32))
    ds = ds.prefetch(tf.data.AUTOTUNE)
    if not autotune:
        options = tf.data.Options()
        options.autotune.enabled = False
        ds = ds.with_options(options)
    work = np.random.default_rng(0).random((200, 200))
    iterator, read, start = iter(ds), 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        next(iterator)
        read += 1
        np.linalg.svd(work)                         # the training step's stand-in
    before = time.perf_counter()
    del iterator
    return read, time.perf_counter() - before


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=45.0, help="seconds of reading per iterator (default 45)")
    ap.add_argument("--repeats", type=int, default=2, help="iterators per setting (default 2)")
    args = ap.parse_args(argv)
    if args.seconds <= 0 or args.repeats < 1:
        ap.error(f"--seconds must be > 0 and --repeats >= 1; got {args.seconds} and {args.repeats}")
    import tensorflow as tf

    from alexnet_cifar10 import cpu_flags, cpu_model  # noqa: E402  (the benchmark beside this one)

    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs; flags: {cpu_flags()}; tensorflow {tf.__version__}")
    print("| tf.data autotuning | batches read | seconds to delete the iterator |\n|---|---:|---:|")
    for autotune in (True, False):
        for _ in range(args.repeats):
            read, took = teardown_seconds(autotune, args.seconds)
            print(f"| {'on' if autotune else 'off'} | {read} | {took:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
