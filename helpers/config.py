"""Run-wide switches: quick mode and seeds.

Quick mode is one environment variable, ``CNN_QUICK``: set to ``1`` (as ``make test`` and CI
do) the training lessons use a small subset and few epochs so the whole series runs in
minutes; unset (the default for learners) they run the full recipe.

>>> import os; os.environ["CNN_QUICK"] = "1"
>>> quick_mode()
True
>>> del os.environ["CNN_QUICK"]
"""

from __future__ import annotations

import contextlib
import os
import random
import sys

from ._checks import check_bool, non_negative_int

QUICK_ENV = "CNN_QUICK"

#: The distribution's name (``pip install cnn_classics``), and the package under which every custom
#: Keras layer, initialiser and activation of ``helpers`` is registered for ``.keras`` saving.
PACKAGE = "cnn_classics"

#: Where the series lives. Colab's set-up cell installs from here and the "Open in Colab" badges
#: point here. Every notebook's first cell must be exactly :data:`SETUP_CELL` and its first Markdown
#: cell must carry :func:`colab_badge` under the title (``tests/test_notebook_setup.py`` checks), so a
#: fork changes these two lines and runs ``make setup-cells`` (``tools/sync_notebooks.py``).
REPOSITORY = "https://github.com/cnn-classics/cnn-classics"
BRANCH = "main"

SETUP_CELL = f"""# Setup: on Colab, install the series (elsewhere this does nothing); then seed everything.
import sys
REPOSITORY = "{REPOSITORY}"  # helpers.config.REPOSITORY; `make setup-cells` keeps it in step
if "google.colab" in sys.modules:
    import importlib, subprocess
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "git+" + REPOSITORY],
                         capture_output=True, text=True)
    if pip.returncode:  # one clear message, not pip's log followed by a ModuleNotFoundError
        reason = (pip.stderr.strip().splitlines() or ["pip gave no reason"])[-1]
        raise SystemExit(f"Could not install the series from {{REPOSITORY}}: {{reason}}\\n"
                         "Check that the runtime is connected and that this address opens in a browser, "
                         "then run this cell again.")
    importlib.invalidate_caches()
import helpers
SEED = helpers.seed_everything()"""


def colab_url(notebook: str, repository: str = REPOSITORY, branch: str = BRANCH) -> str:
    """The address that opens ``notebook`` (a path inside the repository) from GitHub in Colab.

    >>> colab_url("notebooks/01_pooling.ipynb")
    'https://colab.research.google.com/github/cnn-classics/cnn-classics/blob/main/notebooks/01_pooling.ipynb'
    """
    for name, value in (("notebook", notebook), ("repository", repository), ("branch", branch)):
        if not isinstance(value, str) or not value:
            raise TypeError(f"{name} must be a non-empty string, got {value!r}")
    prefix = "https://github.com/"
    if not repository.startswith(prefix) or repository.rstrip("/").count("/") != 4:
        raise ValueError(f"repository must be a GitHub address like https://github.com/OWNER/NAME, got {repository!r}")
    slug = repository.rstrip("/")[len(prefix):].removesuffix(".git")
    return f"https://colab.research.google.com/github/{slug}/blob/{branch}/{notebook}"


def colab_badge(notebook: str, repository: str = REPOSITORY, branch: str = BRANCH) -> str:
    """The Markdown "Open in Colab" badge for ``notebook`` (a path inside the repository)."""
    return ("[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({colab_url(notebook, repository, branch)})")


DEFAULT_SEED = 1998  # LeNet-5's year


def quick_mode() -> bool:
    """True when ``CNN_QUICK`` is set to something other than ``""``, ``0``, ``false`` or ``no``."""
    return os.environ.get(QUICK_ENV, "").strip().lower() not in ("", "0", "false", "no")


def seed_everything(seed: int = DEFAULT_SEED, keras: bool = True) -> int:
    """Seed Python, NumPy and Keras/TensorFlow; return the seed.

    With ``keras=True`` (the lessons' set-up cell) Keras is imported, quietly (see
    :func:`import_keras`), if it is installed; ``keras=False`` seeds only what is loaded.
    """
    import importlib.util
    import sys

    import numpy as np

    seed = non_negative_int("seed", seed)
    if seed >= 2**32:  # NumPy's legacy seed takes 32 bits; a larger one would fail halfway through seeding
        raise ValueError(f"seed must be an integer in 0..2**32 - 1 (NumPy's limit), got {seed}")
    keras = check_bool("keras", keras)
    random.seed(seed)
    np.random.seed(seed)
    if keras and "keras" not in sys.modules and importlib.util.find_spec("keras") is not None:
        import_keras()
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)
    return seed


@contextlib.contextmanager
def _stderr_fd_silenced():
    """Point file descriptor 2 at /dev/null for the duration (C++ libraries write there directly)."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_keras():
    """Import and return Keras without TensorFlow's C++ start-up lines on stderr.

    TensorFlow's native libraries print a few informational lines (oneDNN, CPU features) straight
    to file descriptor 2 when they load, whatever ``TF_CPP_MIN_LOG_LEVEL`` says inside a Jupyter
    kernel; in a notebook they would be stored as noise with a time stamp. Errors are not hidden:
    an import failure still raises.
    """
    if "keras" in sys.modules:
        return sys.modules["keras"]
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with _stderr_fd_silenced():
        import keras
    return keras


def environment_report() -> dict[str, str]:
    """Versions, data location and devices, for the environment check of lesson 00.

    Imports TensorFlow (to list devices), so call it from a notebook, not at import time.
    """
    import importlib.metadata as md
    import platform

    from .data import data_status

    report = {"python": platform.python_version(), "platform": f"{platform.system()} {platform.machine()}",
              "cpu cores": str(os.cpu_count())}
    for dist in ("numpy", "tensorflow", "tensorflow-cpu", "keras", "matplotlib", "ipywidgets", "jupyterlab"):
        try:
            report[dist] = md.version(dist)
        except md.PackageNotFoundError:
            pass
    try:
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        report["accelerators"] = ", ".join(d.name for d in gpus) or "none (CPU only)"
    except ImportError:
        report["accelerators"] = "TensorFlow not installed"
    report["quick mode"] = f"on ({QUICK_ENV}=1)" if quick_mode() else f"off (set {QUICK_ENV}=1 for quick mode)"
    for name, where in data_status().items():
        report[f"data {name}"] = where or "not found locally (Keras will try to download it on first use)"
    return report
