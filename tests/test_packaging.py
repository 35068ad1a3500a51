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


MODULES = sorted(p.relative_to(ROOT / "helpers").as_posix() for p in (ROOT / "helpers").rglob("*.py"))


def _module_map_entries(text: str) -> list[str]:
    """The module paths a module map's bullets name, in order (``- plots/models.py: ...`` or ``- `plots/models.py`: ...``)."""
    return re.findall(r"^\s*- `?((?:\w+/)?\w+\.py)`?:", text, flags=re.MULTILINE)


def test_module_maps_name_every_module_of_helpers_once_in_alphabetical_order():
    """The docstring of helpers/__init__.py and docs/design.md each list every module, one line each,
    sorted by path so that a newcomer finds a module at once and added lines merge cleanly."""
    import helpers

    assert {"__init__.py", "experiments.py", "_checks.py", "plots/models.py", "widgets/_base.py"} <= set(MODULES)
    for where, text in [("helpers/__init__.py", helpers.__doc__),
                        ("docs/design.md", (ROOT / "docs" / "design.md").read_text(encoding="utf-8"))]:
        named = _module_map_entries(text)
        missing, unknown = set(MODULES) - set(named), set(named) - set(MODULES)
        assert not missing and not unknown, (where, "missing:", sorted(missing), "not a module:", sorted(unknown))
        assert named == sorted(named) and len(named) == len(set(named)), (where, "not once each in order:", named)


def _test_file_for(module: str) -> str | None:
    """A module's test file: its path inside helpers/ with "/" as "_" and leading "_" dropped; a
    subpackage's __init__.py by the subpackage's name; None for the package's own front."""
    parts = module.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return "test_" + "_".join(part.lstrip("_") for part in parts) + ".py" if parts else None


def test_test_files_are_named_after_the_module_path():
    modules = ("plots/cifar.py", "exercises/__init__.py", "_checks.py", "widgets/_base.py", "__init__.py")
    assert [_test_file_for(m) for m in modules] == [
        "test_plots_cifar.py", "test_exercises.py", "test_checks.py", "test_widgets_base.py", None]


#: Modules whose tests still live in another module's file, until issue 19's moves land (tidy-a1 creates
#: test_augment.py and test_experiments.py); delete an entry when its file exists.
TESTED_ELSEWHERE = {"augment.py": "test_cifar.py", "experiments.py": "test_alexnet_model.py"}


def test_every_module_has_its_own_test_file():
    """Tests mirror the modules: helpers/<path>.py is tested in tests/test_<path with _>.py (the package's
    front, helpers/__init__.py, here in test_packaging.py)."""
    missing = []
    for module in MODULES:
        name = _test_file_for(module)
        if name is None:
            continue
        if (ROOT / "tests" / name).exists():
            assert module not in TESTED_ELSEWHERE, f"tests/{name} exists: remove {module} from TESTED_ELSEWHERE"
        elif module not in TESTED_ELSEWHERE:
            missing.append(f"{module} -> tests/{name}")
    assert not missing, missing
