"""Shared fixture of the browser tests: a JupyterLab server per test module (skipped without a browser)."""

from __future__ import annotations

import pytest

from .labdriver import LabServer, browser_unavailable


@pytest.fixture(scope="module")
def lab():
    """A JupyterLab server on a free loopback port, serving a temporary copy of ``notebooks/`` in quick mode."""
    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
    server = LabServer(quick=True)
    yield server
    server.close()
