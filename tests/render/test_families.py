"""The page families: the modules render/site.py lists in FAMILIES. Each has a callable `pages`, and
none imports another family; what two families share lives in a shared render module (labels,
context, responsibility, indicator_overview, bulletin_record ...)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from site_builder.render import site

RENDER = Path(site.__file__).parent
PACKAGE = "site_builder.render"


def _families() -> list[str]:
    """The names in site.py's FAMILIES tuple, read from the source (not from a copy here)."""
    tree = ast.parse((RENDER / "site.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            targets: list[ast.expr] = [node.target]
        elif isinstance(node, ast.Assign):
            targets = node.targets
        else:
            continue
        if any(isinstance(target, ast.Name) and target.id == "FAMILIES" for target in targets):
            assert isinstance(node.value, ast.Tuple)
            names = [element.id for element in node.value.elts if isinstance(element, ast.Name)]
            assert len(names) == len(node.value.elts), "FAMILIES holds the family modules by name"
            return names
    raise AssertionError("render/site.py has no FAMILIES tuple")


FAMILIES = _families()


def _imported(path: Path) -> set[str]:
    """The site_builder.render modules a module imports, by their last name, wherever the import is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + "."):
                    found.add(alias.name.split(".")[2])
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:  # from . import x / from .x import y
                module = f"{PACKAGE}.{module}" if module else PACKAGE
            if module == PACKAGE:
                found |= {alias.name for alias in node.names}
            elif module.startswith(PACKAGE + "."):
                found.add(module.split(".")[2])
    return found


def test_families_are_the_modules_site_imports() -> None:
    assert len(FAMILIES) == len(set(FAMILIES)) > 0
    assert [family.__name__ for family in site.FAMILIES] == [f"{PACKAGE}.{name}" for name in FAMILIES]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", FAMILIES)
def test_family_imports_no_other_family(name: str) -> None:
    others = set(FAMILIES) - {name}
    assert _imported(RENDER / f"{name}.py") & others == set()


@pytest.mark.parametrize("name", FAMILIES)
def test_family_has_pages(name: str) -> None:
    module = importlib.import_module(f"{PACKAGE}.{name}")
    assert callable(getattr(module, "pages", None))
    assert not hasattr(module, "files") or callable(module.files)
