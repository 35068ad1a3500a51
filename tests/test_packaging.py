"""The package's promises about itself: fast, light import; consistent environment files."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("tensorflow", "keras", "matplotlib", "ipywidgets")


def test_import_helpers_loads_no_heavy_library():
    code = ("import sys, helpers; "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_core_names_are_importable_from_helpers():
    import helpers

    for name in ("output_size", "same_padding", "pad2d", "pool2d", "conv2d", "receptive_field",
                 "load_mnist", "load_cifar10", "quick_mode", "seed_everything"):
        assert callable(getattr(helpers, name)), name


def test_unknown_attribute_says_so():
    import helpers

    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        helpers.nonexistent  # noqa: B018


def _pyproject_pins():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = meta["dependencies"] + meta["optional-dependencies"]["lab"] + meta["optional-dependencies"]["dev"]
    pins = {}
    for req in reqs:
        m = re.match(r"([A-Za-z0-9_.-]+)(\[[^]]*\])?\s*([^;]*)", req)
        pins[m.group(1).lower()] = m.group(3).strip()
    return pins


def _conda_pins(path):
    pins = {}
    for line in path.read_text().splitlines():
        m = re.match(r"\s*-\s+([A-Za-z0-9_.-]+)\s*([<>=!].*)?$", line)
        if m and m.group(1) not in ("conda-forge", "pip"):
            pins[m.group(1).lower()] = (m.group(2) or "").strip()
    return pins


@pytest.mark.parametrize("env_file", ["environment.yml", "binder/environment.yml"])
def test_conda_environments_agree_with_pyproject(env_file):
    pins, conda = _pyproject_pins(), _conda_pins(ROOT / env_file)
    assert conda, f"no packages read from {env_file}"
    for name, spec in conda.items():
        if name == "python":
            assert spec.startswith(("=3.11", ">=3.11")), f"{env_file}: python {spec}"
            continue
        assert name in pins, f"{env_file} lists {name}, which pyproject.toml does not"
        assert spec == pins[name], f"{env_file}: {name}{spec} but pyproject.toml says {name}{pins[name]}"


def test_environment_yml_installs_the_project_itself():
    assert re.search(r"^\s*-\s+-e \.\[dev\]\s*$", (ROOT / "environment.yml").read_text(), re.M)
    assert "pip install --no-cache-dir -e ." in (ROOT / "binder/postBuild").read_text()


def _module_map_entries(text: str) -> set[str]:
    """The module paths a module map names at the start of its lines (``plots/models.py    ...``)."""
    return set(re.findall(r"^\s*((?:\w+/)?\w+\.py)\s", text, flags=re.MULTILINE))


def test_module_maps_name_every_module_of_helpers():
    """The docstring of helpers/__init__.py and docs/design.md each list every module, one line each."""
    import helpers

    modules = {str(p.relative_to(ROOT / "helpers")) for p in (ROOT / "helpers").rglob("*.py")}
    assert {"experiments.py", "_checks.py", "config.py", "plots/models.py", "widgets/_base.py"} <= modules
    for where, text in [("helpers/__init__.py", helpers.__doc__),
                        ("docs/design.md", (ROOT / "docs" / "design.md").read_text(encoding="utf-8"))]:
        named = _module_map_entries(text)
        missing, unknown = modules - named - {"__init__.py"}, named - modules  # the package's own front may go unnamed
        assert not missing and not unknown, (where, "missing:", sorted(missing), "not a module:", sorted(unknown))
