"""Execute notebooks in the Colab-like environment (run with ``.venv-colab/bin/python``).

    run_notebook.py [--probe] OUT_DIR NOTEBOOK...

Each notebook is executed from its own folder (a copy outside the repository, as Colab runs from
``/content``) with the interpreter's own kernel, and written executed to ``OUT_DIR``. With ``--probe``,
first a probe notebook records which Python the kernel runs and where ``helpers`` is imported from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

PROBE = """import sys, json, helpers, ipywidgets, keras, IPython
print(json.dumps({"executable": sys.executable, "helpers": helpers.__file__, "ipywidgets": ipywidgets.__version__,
                  "keras": keras.__version__, "ipython": IPython.__version__, "python": sys.version.split()[0]}))"""


def execute(nb, folder: Path):
    client = NotebookClient(nb, timeout=1200, kernel_name="python3", resources={"metadata": {"path": str(folder)}},
                            store_widget_state=False)
    client.execute()
    return nb


def main(*args: str) -> None:
    probe = args[0] == "--probe"
    out_dir, *paths = args[1:] if probe else args
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if probe:
        folder = Path(paths[0]).resolve().parent if paths else Path.cwd()
        ran = execute(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)]), folder)
        (out / "probe.json").write_text(ran.cells[0].outputs[0]["text"])
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        try:
            execute(nb, path.resolve().parent)
        except Exception as err:  # the cell's error output is in the notebook; the test reads it from there
            print(f"{path.name}: {type(err).__name__}: {str(err)[:300]}", file=sys.stderr)
        nbformat.write(nb, out / path.name)
    print(json.dumps({"executed": [Path(p).name for p in paths]}))


if __name__ == "__main__":
    main(*sys.argv[1:])
