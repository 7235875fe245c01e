"""The packages of `site_builder` are layers: each imports only from itself and the layers below it.

The order is the pipeline's (docs/maintainers/architecture.md draws it): shared vocabulary and file
helpers first, then load → validate → model → compute, the Excel forms, render, the MkDocs site,
the commands that chain the stages, and the command line on top. A module that imports a higher
layer (render importing a command, compute importing render) fails here with the line to change.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"
LAYERS = (
    "core",
    "files",
    "load",
    "issuing",
    "validate",
    "model",
    "compute",
    "forms",
    "render",
    "site",
    "commands",
    "cli",
)
TOP_LEVEL = {"__init__", "__main__"}  # the version, and `python -m site_builder`
NO_IO = ("compute", "render")  # stages that take values and return values
IO_MODULES = ("os", "shutil", "subprocess", "socket", "tempfile", "pathlib", "sys")  # io.StringIO is memory


def _modules() -> list[Path]:
    # starter/ holds files `bulletin init` writes into a city's repository (its CI scripts), not modules
    return sorted(p for p in PACKAGE.rglob("*.py") if "starter" not in p.relative_to(PACKAGE).parts[:1])


def _layer(module: str) -> str | None:
    """`site_builder.compute.errata` → `compute`; None for modules outside the package."""
    parts = module.split(".")
    if parts[0] != "site_builder":
        return None
    return parts[1] if len(parts) > 1 and not parts[1].startswith("__") else "__init__"  # __version__


def _imports(path: Path, root: Path = PACKAGE.parent) -> list[tuple[int, str]]:
    """Every `site_builder` module a file imports, with the line (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("site_builder")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            if base == "site_builder":  # `from site_builder import cli`: the name is the module
                out += [(node.lineno, f"site_builder.{alias.name}") for alias in node.names]
            elif base.startswith("site_builder"):
                out.append((node.lineno, base))
    return out


def test_every_package_is_a_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(LAYERS), "add the new package to LAYERS (and to architecture.md's drawing)"
    flat = {p.stem for p in PACKAGE.glob("*.py")} - TOP_LEVEL
    assert not flat, f"modules outside the layers: {sorted(flat)}; move each into the package of its stage"


def test_no_module_imports_a_higher_layer() -> None:
    wrong = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        own = rel.split("/")[0] if "/" in rel else path.stem
        if own in TOP_LEVEL:
            continue
        for line, module in _imports(path):
            target = _layer(module)
            if target is None or target in TOP_LEVEL:
                continue
            if LAYERS.index(target) > LAYERS.index(own):
                wrong.append(f"site_builder/{rel}:{line} ({own}) imports {module} ({target}, a higher layer)")
    assert not wrong, "\n".join(wrong)


def test_forms_and_render_are_side_by_side() -> None:
    """Both turn computed figures into a document (a workbook, a page): neither builds on the other."""
    wrong = []
    for own, other in (("forms", "render"), ("render", "forms")):
        for path in sorted((PACKAGE / own).rglob("*.py")):
            wrong += [
                f"{path.relative_to(PACKAGE)}:{line} imports {m}" for line, m in _imports(path) if _layer(m) == other
            ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("stage", NO_IO)
def test_compute_and_render_do_no_io(stage: str) -> None:
    wrong = []
    for path in sorted((PACKAGE / stage).rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module.split(".")[0]]
            wrong += [f"{rel}:{getattr(node, 'lineno', 0)} imports {n}" for n in names if n in IO_MODULES]
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("open", "print"):
                wrong.append(f"{rel}:{node.lineno} calls {node.func.id}()")
    assert not wrong, "\n".join(wrong)


def test_only_the_cli_prints_or_exits() -> None:
    wrong = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("cli/") or rel == "__main__.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in ("print", "exit", "quit"):
                    wrong.append(f"{rel}:{node.lineno} calls {func.id}()")
                elif (
                    isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name)
                    and (func.value.id, func.attr) in {("sys", "exit"), ("os", "_exit")}
                ):
                    wrong.append(f"{rel}:{node.lineno} calls {func.value.id}.{func.attr}()")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in {("sys", "stdout"), ("sys", "stderr")}
            ):
                wrong.append(f"{rel}:{node.lineno} uses sys.{node.attr}")
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    """The import walk itself: a render module importing a command is found, relative imports resolved."""
    module = tmp_path / "site_builder" / "render" / "page.py"
    module.parent.mkdir(parents=True)
    module.write_text("from site_builder.commands.build import build\nfrom ..commands import serve\n")
    found = _imports(module, root=tmp_path)
    assert found == [(1, "site_builder.commands.build"), (2, "site_builder.commands")]
    assert all(LAYERS.index(str(_layer(m))) > LAYERS.index("render") for _, m in found)
