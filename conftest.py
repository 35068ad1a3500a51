"""Shared pytest set-up for unit tests and nbval.

Notebooks declare the data sets they need in their metadata
(``"cnn_classics": {"needs_data": ["mnist"]}``). When one is missing, every cell of that
notebook is skipped with one reason that says how to provide the data; nothing fails or hangs.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def missing_data(names) -> list[str]:
    """The data sets among ``names`` that have no local copy (never downloads)."""
    from helpers.data import find_data

    return [n for n in names if find_data(n) is None]


def skip_reason(missing) -> str:
    return (f"data set(s) {', '.join(missing)} not found: set CNN_DATA_DIR to a folder holding "
            f"{', '.join(n + '.npz' for n in missing)}"
            " (or let Keras download them once)")


def pytest_collection_modifyitems(config, items):
    cache: dict[str, list[str]] = {}
    for item in items:
        nb = getattr(item.parent, "nb", None)
        if nb is None:
            continue
        key = str(item.parent.path)
        if key not in cache:
            cache[key] = missing_data(nb.metadata.get("cnn_classics", {}).get("needs_data", []))
        if cache[key]:
            item.add_marker(pytest.mark.skip(reason=skip_reason(cache[key])))


def _subset_or_skip(name):
    missing = missing_data([name])
    if missing:
        pytest.skip(skip_reason(missing))
    from helpers.data import load

    return load(name, subset=(512, 128), download=False)


@pytest.fixture(scope="session")
def mnist_subset():
    """A small MNIST subset (512 train, 128 test), or a skip with the reason when no copy is present."""
    return _subset_or_skip("mnist")


@pytest.fixture(scope="session")
def cifar10_subset():
    """A small CIFAR-10 subset (512 train, 128 test), or a skip with the reason."""
    return _subset_or_skip("cifar10")


@pytest.fixture(autouse=True)
def _doctest_environment(request, doctest_namespace):
    """For the docstring examples of ``helpers`` (``--doctest-modules``): ``np`` is at hand, and an
    example that sets an environment variable (``CNN_QUICK`` in ``helpers.config``) leaves the run's
    own environment as it found it."""
    if not isinstance(request.node, pytest.DoctestItem):
        yield
        return
    import numpy as np

    doctest_namespace.setdefault("np", np)
    saved = dict(os.environ)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture
def verdict(capsys):
    """``verdict(check, answer, **kw) -> (ok, printed)``: run an exercise check and capture the verdict it prints."""
    def run(check, answer, **kw):
        ok = check(answer, **kw)
        return ok, capsys.readouterr().out
    return run
