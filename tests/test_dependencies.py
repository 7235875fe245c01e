"""Dependencies are declared as the code imports them, and the lock files are in step with pyproject.toml.

Runtime: every third-party module that site_builder/ imports (or locates with `importlib.util.find_spec`)
is a distribution in [project].dependencies, and every one declared there is used. Dev: whatever tests/,
benchmarks/ and scripts/ import besides is in the dev extra, and every dev dependency is imported or is a
tool named in DEV_TOOLS. The locks (`make lock`) pin every pyproject pin at the same version, with hashes.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
RUNTIME_CODE = ("site_builder",)
DEV_CODE = ("tests", "benchmarks", "scripts")
RUNTIME_LOCK = REPO / "requirements" / "runtime.txt"
DEV_LOCK = REPO / "requirements" / "dev.txt"

# Runtime dependencies that no import or find_spec of ours names (a theme or plugin MkDocs loads by name).
RUNTIME_BY_NAME: dict[str, str] = {}

# Dev dependencies used as commands or loaded by another tool, never imported.
DEV_TOOLS = {
    "mypy": "make typecheck",
    "ruff": "make lint and make format",
    "zizmor": "make lint: audits .github/workflows",
    "pre-commit": "runs the checks of .pre-commit-config.yaml before a commit",
    "pytest-xdist": "pytest plugin behind `pytest -n 2` (make pytest)",
    "types-markdown": "type stubs that mypy reads for markdown",
    "types-pyyaml": "type stubs that mypy reads for yaml",
    "uv": "make lock: resolves pyproject.toml into requirements/*.txt",
}

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def normalize(name: str) -> str:
    """A distribution name as the index compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pin(requirement: str) -> tuple[str, str]:
    match = _PIN.match(requirement)
    assert match, f"not pinned with ==: {requirement}"
    return normalize(match[1]), match[2]


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project


def declared_runtime() -> dict[str, str]:
    return dict(_pin(r) for r in _project()["dependencies"])


def declared_dev() -> dict[str, str]:
    return dict(_pin(r) for r in _project()["optional-dependencies"]["dev"])


def _python_files(folder: str) -> Iterator[Path]:
    return (path for path in sorted((REPO / folder).rglob("*.py")) if ".venv" not in path.parts)


def _is_local(name: str, source: Path) -> bool:
    """The project's own modules: a sibling of the importing file, or a folder or module at the top."""
    return any((where / name).is_dir() or (where / f"{name}.py").is_file() for where in (source.parent, REPO))


def imported_modules(folders: tuple[str, ...]) -> dict[str, set[str]]:
    """Top-level third-party module → files that import it (or find it with importlib.util.find_spec)."""
    found: dict[str, set[str]] = {}
    for folder in folders:
        for path in _python_files(folder):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                names: list[str] = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("find_spec", "import_module")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    names = [node.args[0].value]
                for name in names:
                    top = name.split(".")[0]
                    if top in sys.stdlib_module_names or top == "__future__" or _is_local(top, path):
                        continue
                    found.setdefault(top, set()).add(path.relative_to(REPO).as_posix())
    return found


def distributions(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    """Distribution (normalized) → files that use it; a module no installed distribution provides fails."""
    providers = importlib.metadata.packages_distributions()
    used: dict[str, set[str]] = {}
    for module, files in modules.items():
        assert module in providers, f"{module} (imported by {sorted(files)}) is not installed: add it to pyproject.toml"
        for dist in providers[module]:
            used.setdefault(normalize(dist), set()).update(files)
    return used


def _lock_lines(lock: Path) -> Iterator[str]:
    lines = lock.read_text(encoding="utf-8").splitlines()
    return (line for line in lines if line and not line[0].isspace() and not line.startswith("#"))


def lock_pins(lock: Path) -> dict[str, set[str]]:
    """Distribution → the versions a lock pins (two when a version depends on an environment marker)."""
    pins: dict[str, set[str]] = {}
    for line in _lock_lines(lock):
        name, version = _pin(line)
        pins.setdefault(name, set()).add(version)
    return pins


def unconditional(lock: Path) -> set[str]:
    """Distributions a lock pins with no environment marker: installed everywhere."""
    return {_pin(line)[0] for line in _lock_lines(lock) if ";" not in line}


def test_the_import_walk_sees_what_it_must() -> None:
    runtime = imported_modules(RUNTIME_CODE)
    assert {"polars", "yaml", "markdown", "markupsafe", "material"} <= set(runtime)
    assert "site_builder" not in runtime
    assert "tests" not in imported_modules(DEV_CODE)
    assert "issue_history" not in imported_modules(DEV_CODE)  # scripts/issue_history.py, imported by simulate.py
    assert distributions({"yaml": {"x.py"}}) == {"pyyaml": {"x.py"}}


def test_every_runtime_import_is_a_runtime_dependency() -> None:
    used = distributions(imported_modules(RUNTIME_CODE))
    declared = declared_runtime()
    missing = {dist: sorted(files) for dist, files in used.items() if dist not in declared}
    assert not missing, f"imported by site_builder but not in [project].dependencies: {missing}"
    unused = set(declared) - set(used) - set(RUNTIME_BY_NAME)
    assert not unused, f"in [project].dependencies but never imported by site_builder: {sorted(unused)}"
    assert not set(RUNTIME_BY_NAME) & set(used), "an allow-listed dependency is imported: drop it from the list"


def test_every_dev_import_is_declared_and_every_dev_dependency_used() -> None:
    runtime, dev = declared_runtime(), declared_dev()
    assert not set(runtime) & set(dev), "a dependency is declared twice"
    used = distributions(imported_modules(DEV_CODE))
    missing = {dist: sorted(files) for dist, files in used.items() if dist not in runtime and dist not in dev}
    assert not missing, f"imported by tests, benchmarks or scripts but not declared (dev extra): {missing}"
    unused = set(dev) - set(used) - set(DEV_TOOLS)
    assert not unused, f"in the dev extra but neither imported nor a tool in DEV_TOOLS: {sorted(unused)}"
    assert set(DEV_TOOLS) <= set(dev), f"DEV_TOOLS names what is not declared: {sorted(set(DEV_TOOLS) - set(dev))}"
    assert not set(DEV_TOOLS) & set(used), "a tool in DEV_TOOLS is imported: drop it from the list"


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_the_lock_pins_what_pyproject_pins(lock: Path) -> None:
    declared = declared_runtime() if lock == RUNTIME_LOCK else {**declared_runtime(), **declared_dev()}
    pins = lock_pins(lock)
    stale = {name: (version, sorted(pins.get(name, ()))) for name, version in declared.items()}
    stale = {name: pair for name, pair in stale.items() if pair[1] != [pair[0]]}
    assert not stale, f"{lock.name} is out of step with pyproject.toml (pin, lock): {stale}; run `make lock`"


def test_the_runtime_lock_is_the_dev_lock_less_the_dev_tools() -> None:
    runtime, dev = lock_pins(RUNTIME_LOCK), lock_pins(DEV_LOCK)
    differ = {name: (versions, dev.get(name)) for name, versions in runtime.items() if dev.get(name) != versions}
    assert not differ, f"runtime.txt and dev.txt pin different versions: {differ}; run `make lock`"
    assert "pytest" not in runtime
    assert "uv" in dev


@pytest.mark.parametrize("lock", [RUNTIME_LOCK, DEV_LOCK], ids=["runtime", "dev"])
def test_the_lock_has_a_hash_for_every_pin_and_names_no_index(lock: Path) -> None:
    text = lock.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]
    assert "://" not in text
    assert not re.search(r"^\s*--(extra-)?index-url|^\s*--find-links", text, re.MULTILINE)
    assert text.startswith("# This file was autogenerated by uv via the following command:\n#    make lock\n")


def test_the_environment_is_installed_from_the_dev_lock() -> None:
    """`make setup` installs requirements/dev.txt: every package it pins is installed at a version it pins."""
    wrong: dict[str, tuple[str | None, list[str]]] = {}
    everywhere = unconditional(DEV_LOCK)
    for name, versions in lock_pins(DEV_LOCK).items():
        try:
            installed: str | None = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            installed = None  # fine only where an environment marker leaves it out
        if installed not in versions and (installed is not None or name in everywhere):
            wrong[name] = (installed, sorted(versions))
    assert not wrong, f"installed versions differ from requirements/dev.txt: {wrong}; run `make setup`"
