"""Fixtures shared by the test files."""

import pytest


@pytest.fixture
def verdict(capsys):
    """``verdict(check, answer, **kw) -> (ok, printed)``: run an exercise check and capture the verdict it prints."""
    def run(check, answer, **kw):
        ok = check(answer, **kw)
        return ok, capsys.readouterr().out
    return run
