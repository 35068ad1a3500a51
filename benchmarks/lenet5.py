"""Benchmark: train each LeNet-5 variant on the full MNIST and report test accuracy and wall time.

Run from the repository root (data from CNN_DATA_DIR, else Keras' cache)::

    CNN_DATA_DIR=/path/to/data .venv/bin/python benchmarks/lenet5.py [--epochs 20] [--variants paper,modern]

The reference is the seed script's recipe: its model ("seed"), 10 epochs, batch 64, Adam. The other
variants use this script's recipe (--epochs, --batch). For each run it prints the test accuracy, the
training time per epoch, and the cumulative training time at which the test accuracy first reached 99.0%
(evaluated after every epoch; evaluation time excluded). Targets (issue 4): "paper" <= 0.95% test error;
"modern" >= 99.2% and reaching 99.0% at least 4x faster than the seed recipe on the same machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=20, help="epochs for paper and modern (default 20)")
    ap.add_argument("--batch", type=int, default=128, help="batch size for paper and modern (default 128)")
    ap.add_argument("--variants", default="seed,modern,paper")
    ap.add_argument("--target", type=float, default=0.99)
    args = ap.parse_args(argv)
    os.environ.pop("CNN_QUICK", None)

    import helpers
    from helpers import lenet_model, train

    helpers.seed_everything()
    data = helpers.load_mnist()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs; keras "
          f"{helpers.import_keras().__version__}")
    results = {}
    for variant in args.variants.split(","):
        epochs, batch = (10, 64) if variant == "seed" else (args.epochs, args.batch)
        print(f"--- {variant}: {epochs} epochs, batch {batch}, Adam(1e-3) ---", flush=True)
        run = train.fit(lambda v=variant: helpers.lenet5(v), data, epochs=epochs, batch_size=batch,
                        preprocess=lenet_model.preprocessor(variant), quick=False, verbose="epoch")
        acc = train.evaluate(run.model, data[1], run.preprocess)["accuracy"]
        results[variant] = (acc, run)
    print("\n| variant | epochs | batch | test accuracy | test error | s/epoch | total s | time to "
          f"{args.target:.1%} |\n|---|---:|---:|---:|---:|---:|---:|---:|")
    for v, (acc, run) in results.items():
        t = run.time_to(args.target)
        print(f"| {v} | {len(run.epoch)} | {run.batch_size} | {acc:.2%} | {1 - acc:.2%} | {run.time_per_epoch:.1f} | "
              f"{run.total_time:.0f} | {'not reached' if t is None else f'{t:.0f} s'} |")
    if "seed" in results and "modern" in results:
        ts, tm = results["seed"][1].time_to(args.target), results["modern"][1].time_to(args.target)
        if ts and tm:
            print(f"\nmodern reaches {args.target:.1%} {ts / tm:.1f}x faster than the seed recipe")
        else:
            print(f"\nspeed-up to {args.target:.1%} undefined: seed {ts}, modern {tm}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
