"""No finding code can crash or garble its own message: every {field} its templates name is given.

Two ways: every finding each fixture yields is checked against its templates (in
tests/validate/test_fixtures.py, on the one validation of each fixture there), and here every call site in
the package that makes a finding of a literal code is read (with `ast`) for the parameters it passes.
`Finding.message` also never raises on a missing field (it shows the field as written), which is why
this test, not an exception, is what catches a producer that forgets one.
"""

from __future__ import annotations

import ast

import pytest

from site_builder.core.catalog import CATALOG
from site_builder.core.findings import Finding
from tests.conftest import REPO
from tests.validate.templates import template_fields

PACKAGE = REPO / "site_builder"
# helpers that make findings: name -> (position of the code argument, parameters they always give)
CELL_HELPERS = {"_cell": (3, {"field", "title"}), "cell": (1, {"field", "title"})}
FIXED_HELPERS = {"truncated": (1, {"count", "limit"}), "too_deep": (None, {"limit"})}


def _dict_keys(node: ast.expr | None, known: dict[str, set[str] | None]) -> set[str] | None:
    """The keys a params expression certainly holds, or None when they cannot be read from the code."""
    if isinstance(node, ast.Dict):
        keys: set[str] = set()
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # {**spread}
                spread = _dict_keys(value, known)
                if spread is None:
                    return None
                keys |= spread
            elif isinstance(key, ast.Constant) and isinstance(key.value, str):
                keys.add(key.value)
            else:
                return None
        return keys
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return known.get(node.func.id + "()")
    return None


def _known_dicts(tree: ast.Module) -> dict[str, set[str] | None]:
    """Names assigned a dict literal (None when assigned differing ones), and functions returning one."""
    known: dict[str, set[str] | None] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            returns = [r.value for r in ast.walk(node) if isinstance(r, ast.Return) and isinstance(r.value, ast.Dict)]
            if len(returns) == 1:
                known[node.name + "()"] = _dict_keys(returns[0], {})
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            keys = _dict_keys(node.value, known) if isinstance(node.value, ast.Dict) else None
            known[name] = keys if name not in known or known[name] == keys else None
    return known


def _code(call: ast.Call, position: int | None) -> str | None:
    if position is None:
        return None
    argument = call.args[position] if len(call.args) > position else None
    if isinstance(argument, ast.Constant) and argument.value in CATALOG:
        return str(argument.value)
    return None


def producers() -> list[tuple[str, str, set[str]]]:
    """(code, where, parameters given) for every call site whose code and parameters can be read."""
    found: list[tuple[str, str, set[str]]] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        known = _known_dicts(tree)
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
            where = f"{path.relative_to(REPO)}:{call.lineno}"
            keywords = {k.arg: k.value for k in call.keywords}
            if name == "Finding":
                code = _code(call, 0)
                params = keywords.get("params", call.args[5] if len(call.args) > 5 else None)
                keys = set() if params is None and "params" not in keywords else _dict_keys(params, known)
                if code is not None and keys is not None:
                    found.append((code, where, keys))
            elif name in CELL_HELPERS and None not in keywords:
                position, always = CELL_HELPERS[name]
                code = _code(call, position)
                if code is not None:
                    found.append((code, where, always | {str(k) for k in keywords}))
    return found


def test_the_call_sites_are_read() -> None:
    # the reading must reach many codes, or the next test would pass without checking anything; codes chosen
    # at run time (Finding(code, …)) are checked through the fixtures below, the import's in tests/test_forms.py
    assert len({code for code, _, _ in producers()}) >= len(CATALOG) // 2


@pytest.mark.parametrize(("code", "where", "given"), producers(), ids=lambda v: v if isinstance(v, str) else "")
def test_each_call_site_gives_every_field_of_its_templates(code: str, where: str, given: set[str]) -> None:
    missing = template_fields(code) - given
    assert not missing, f"{where}: Finding {code!r} lacks {sorted(missing)} that its messages name"


def test_a_missing_field_shows_as_written_and_never_raises() -> None:
    finding = Finding("file-too-large", "reports/2011-02/east.csv", params={"size": 40_000_000})
    assert finding.message() == "文件过大（40000000 {unit_zh}，上限 {limit} {unit_zh}）。"
    assert "{limit}" in finding.message("en")
