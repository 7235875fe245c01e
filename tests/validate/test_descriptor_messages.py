"""`datapackage-invalid` speaks the reader's language, details included, and points a new city at the data
contract and `bulletin upgrade`, not at this repository's example; the required tables and files the code
checks are the ones the documentation lists (facilities included)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.commands.check import check
from site_builder.core.contract import REQUIRED_COLUMNS
from tests.conftest import REPO, TODAY

ASCII_WORDS = re.compile(r"[A-Za-z_]{4,}")
# Names that stay as written in a Chinese message: they are what the reader types in datapackage.yaml.
NAMES = {"datapackage", "yaml", "resources", "name", "schema", "fields", "primaryKey", "foreignKeys", "reference"}
NAMES |= {"constraints", "maxLength", "path", "tile_row", "string", "number", "integer", "date", "bulletin"}
NAMES |= {"upgrade", "facilities", "units", "regions", "lead_unit_id", "kind"}


def _descriptor(folder: Path, old: str, new: str, count: int = 1) -> None:
    path = folder / "datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


BROKEN = {
    "type": ("name: tile_row, title: 示意图行, type: integer", "name: tile_row, title: 示意图行, type: int"),
    "max_length": ("maxLength: 64", "maxLength: -1"),
    "constraints": (
        "{name: name, title: 名称, type: string, constraints: {required: true}}",
        "{name: name, constraints: 7}",
    ),
    "primary_key": ("primaryKey: [id]", "primaryKey: [code]"),
    "missing_field": ("        - {name: kind, title: 类型, type: string, constraints: {required: true}}\n", ""),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_message_is_chinese_with_zh_and_english_with_en(case: str, valid_copy: Path) -> None:
    _descriptor(valid_copy, *BROKEN[case])
    found = [f for f in check(valid_copy, TODAY).findings if f.code == "datapackage-invalid"]
    assert found
    for finding in found:
        zh = finding.message("zh") + finding.hint("zh")
        assert set(ASCII_WORDS.findall(zh)) <= NAMES, zh  # no English sentence left in the Chinese text
        assert "bulletin upgrade" in finding.hint("zh")
        assert "数据规范" in finding.hint("zh")
        assert "仓库中的示例" not in finding.hint("zh")  # a new city's repository has no example to copy
        en = finding.message("en")
        assert not re.search(r"[\u4e00-\u9fff]", en), en
        assert "bulletin upgrade" in finding.hint("en")


def test_a_missing_facilities_table_is_named_in_chinese(valid_copy: Path) -> None:
    path = valid_copy / "datapackage.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - name: facilities\n")
    end = text.index("  - name: reports\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    found = [f for f in check(valid_copy, TODAY).findings if f.code == "datapackage-invalid"]
    assert [f.message() for f in found] == ["datapackage.yaml 的表结构定义有误：缺少必需的表 facilities。"]
    assert (
        found[0].message("en")
        == "datapackage.yaml has an invalid table description: the resource facilities is missing."
    )


def test_facilities_csv_is_required_like_the_other_tables(valid_copy: Path) -> None:
    (valid_copy / "facilities.csv").unlink()
    assert [(f.code, f.file) for f in check(valid_copy, TODAY).findings] == [("file-missing", "facilities.csv")]


def test_the_docs_list_every_required_table_and_file() -> None:
    findings = (REPO / "docs" / "reference" / "findings.md").read_text(encoding="utf-8")
    section = findings.split("### `datapackage-invalid`")[1].split("\n### ")[0]
    listed = re.search(r"缺少某张必需的表（([^）]*)）", section)
    assert listed is not None
    assert set(re.findall(r"`([a-z_]+)`", listed.group(1))) == set(REQUIRED_COLUMNS)
    contract = (REPO / "docs" / "reference" / "data-contract.md").read_text(encoding="utf-8")
    required = next(line for line in contract.splitlines() if line.startswith("| `regions.csv`"))
    tables = {name for name in REQUIRED_COLUMNS if name != "reports"}
    assert set(re.findall(r"`([a-z_]+)\.csv`", required)) == tables
    for name in tables:
        assert re.search(rf"^├── {name}\.csv .*（必需", contract, flags=re.MULTILINE), name
