"""The documentation keeps up with the code: every finding code, command, column and YAML field."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest
import yaml

from site_builder.cli import COMMANDS
from site_builder.core import documents
from site_builder.core.catalog import CATALOG
from site_builder.core.contract import parse_contract
from tests.conftest import REPO

DOCS = REPO / "docs"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_finding_code_has_a_section_in_catalog_order() -> None:
    headings = re.findall(r"^### `([a-z0-9-]+)`$", _read("reference/findings.md"), flags=re.MULTILINE)
    assert headings == list(CATALOG)


def test_every_command_is_documented() -> None:
    text = _read("reference/commands.md")
    for command in COMMANDS:
        assert f"## `bulletin {command}`" in text


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    following = re.search(r"^#{1,3} ", text[start + len(heading) :], flags=re.MULTILINE)
    return text[start : start + len(heading) + (following.start() if following else len(text))]


def test_every_column_of_every_table_is_documented_in_its_section() -> None:
    text = _read("reference/data-contract.md")
    descriptor = yaml.safe_load((REPO / "data" / "datapackage.yaml").read_text(encoding="utf-8"))
    contract, problems = parse_contract(descriptor, {})
    assert problems == []
    for table in contract.tables.values():
        path = table.paths[0] if table.name != "reports" else "reports/"
        heading = next(h for h in re.findall(r"^### .*$", text, flags=re.MULTILINE) if path in h)
        section = _section(text, heading)
        for name in table.field_names:
            assert f"| `{name}` |" in section, (table.name, name)


# Every YAML document model, with the sections of data-contract.md that document its fields (the map of
# programme.yaml is described with the GeoJSON it points to).
MODELS: dict[type, tuple[str, ...]] = {
    documents.Programme: ("programme.yaml", "geo/"),
    documents.Organization: ("organization.yaml",),
    documents.SupervisionRound: ("supervision/",),
    documents.Meeting: ("meetings/",),
    documents.Accountability: ("accountability/",),
    documents.Bulletin: ("bulletins/",),
}


def _nested(model: type) -> set[type]:
    """The dataclasses a model's fields hold (directly, in a list or dict, or optionally)."""
    hints = typing.get_type_hints(model)
    found: set[type] = set()
    for field in dataclasses.fields(model):
        for inner in [hints[field.name], *typing.get_args(hints[field.name])]:
            for candidate in [inner, *typing.get_args(inner)]:
                if dataclasses.is_dataclass(candidate) and isinstance(candidate, type):
                    found.add(candidate)
    return found


def _fields(model: type) -> set[str]:
    names = {field.name for field in dataclasses.fields(model)}
    for inner in _nested(model):
        names |= _fields(inner)
    return names


def _file_section(text: str, prefix: str) -> str:
    """The `## <prefix>…` section of the data contract, up to the next `## ` heading."""
    start = re.search(rf"^## {re.escape(prefix)}", text, flags=re.MULTILINE)
    assert start is not None, prefix
    following = re.search(r"^## ", text[start.end() :], flags=re.MULTILINE)
    return text[start.start() : start.end() + (following.start() if following else len(text))]


def test_every_yaml_document_model_is_checked() -> None:
    models = {
        value
        for value in vars(documents).values()
        if isinstance(value, type) and value.__module__ == documents.__name__ and dataclasses.is_dataclass(value)
    }
    nested = set().union(*(_nested(model) for model in models))
    assert models - nested == set(MODELS)  # a new YAML document must be added to MODELS


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_yaml_field_is_documented(model: type) -> None:
    text = _read("reference/data-contract.md")
    sections = "".join(_file_section(text, prefix) for prefix in MODELS[model])
    missing = sorted(name for name in _fields(model) if f"`{name}`" not in sections)
    assert missing == []


def test_the_documentation_site_builds_strictly(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
