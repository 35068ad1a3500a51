"""benchmarks/tfdata_teardown.py in a second's form (the real run reads each iterator for 45 s): it reads and
deletes iterators with autotuning on and off and prints one table row per iterator."""

import importlib.util
import sys
from pathlib import Path

import pytest

pytest.importorskip("tensorflow")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bench(monkeypatch):
    """The benchmark module; sys.path (which the script extends, for its sibling's cpu_flags) is put back after."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    spec = importlib.util.spec_from_file_location("bench_tfdata_teardown", ROOT / "benchmarks" / "tfdata_teardown.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_prints_flags_and_one_row_per_iterator(bench, capsys):
    assert bench.main(["--seconds", "0.3", "--repeats", "1"]) == 0
    out = capsys.readouterr().out
    assert "avx512_bf16" in out and "tensorflow" in out
    rows = [line for line in out.splitlines() if line.startswith("| on |") or line.startswith("| off |")]
    assert [r.split("|")[1].strip() for r in rows] == ["on", "off"]
    assert all(int(r.split("|")[2]) > 0 and float(r.split("|")[3]) >= 0 for r in rows)   # batches were read


def test_rejects_a_run_of_no_length(bench, capsys):
    with pytest.raises(SystemExit):
        bench.main(["--seconds", "0"])
    assert "--seconds must be > 0" in capsys.readouterr().err
