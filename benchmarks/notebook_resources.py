"""Peak memory and wall time of every notebook, run as a learner would (full mode by default).

Each notebook is executed in a fresh process with its own kernel (nbclient), on a copy, so the
stored notebooks are untouched. Peak memory is the kernel's maximum resident set size as the
operating system accounts it (``getrusage(RUSAGE_CHILDREN)`` after the kernel has exited).

    .venv/bin/python benchmarks/notebook_resources.py            # full mode, every notebook
    .venv/bin/python benchmarks/notebook_resources.py --quick    # CNN_QUICK=1
    .venv/bin/python benchmarks/notebook_resources.py notebooks/01_pooling.ipynb
    .venv/bin/python benchmarks/notebook_resources.py --store notebooks/06_alexnet_training.ipynb

``--store`` writes each successfully executed notebook back in place (what ``make notebooks-full`` does),
so that one long full-mode run both refreshes the stored outputs and measures them.

Prints a Markdown table (the one in docs/benchmarks.md) and exits non-zero if a notebook fails or
exceeds the 2 GiB budget (Binder's usual limit).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MIB = 2048


def run_one(path: str, store: bool = False) -> dict:
    """Execute one notebook in this process's child kernel; report wall time and kernel peak RSS."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=3600, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(Path(path).parent)}})
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except Exception as err:  # noqa: BLE001 - report, don't crash the table
        error = f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"
    wall = time.perf_counter() - start
    if store and error is None:
        nbformat.write(nb, path)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: KiB
    return {"notebook": Path(path).name, "wall_s": round(wall, 1), "peak_mib": round(peak_kib / 1024),
            "error": error}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--quick", action="store_true", help="set CNN_QUICK=1 (the tests' mode)")
    parser.add_argument("--store", action="store_true", help="write each executed notebook back in place")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.store)))
        return 0
    paths = args.notebooks or sorted(str(p) for p in (ROOT / "notebooks").glob("*.ipynb"))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONHASHSEED="0")
    env.pop("CNN_QUICK", None)
    if args.quick:
        env["CNN_QUICK"] = "1"
    mode = "quick" if args.quick else "full"
    print(f"| notebook | mode | wall time (s) | kernel peak memory (MiB) | status |")
    print("|---|---|---:|---:|---|")
    failed = False
    for path in paths:
        out = subprocess.run([sys.executable, __file__, "--one", path] + (["--store"] if args.store else []), env=env,
                             capture_output=True, text=True)
        try:
            row = json.loads(out.stdout.strip().splitlines()[-1])
        except (IndexError, json.JSONDecodeError):
            row = {"notebook": Path(path).name, "wall_s": float("nan"), "peak_mib": 0,
                   "error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "no output"}
        status = "ok" if not row["error"] else row["error"]
        if row["peak_mib"] > BUDGET_MIB:
            status = f"over the {BUDGET_MIB} MiB budget"
        failed |= status != "ok"
        print(f"| {row['notebook']} | {mode} | {row['wall_s']} | {row['peak_mib']} | {status} |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
