"""Text another program could misread: formula starts in free text, invisible characters, keys compared
after removing them and NFKC normalisation. Real data folders, validated by the real pipeline."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest

from site_builder.commands.check import check
from site_builder.core.findings import Finding
from site_builder.core.text import comparable_expr, escape_invisible, formula_like, neutralise
from tests.conftest import TODAY
from tests.render.helpers import edit_csv

FORMULAS = ['=HYPERLINK("http://x.invalid","点击")', "@SUM(A1:A2)", "+1+1", "-2+3", "  =1+1", "\t=1+1", "\tx", "\rx"]
HARMLESS = ["-5", "+5", "3-4", "减少3户", "＝较上月", "－3户为外迁", "a=b", "电话 +86 10"]


def set_explanation(report: Path, indicator: str, text: str) -> None:
    """Write the explanation of one row, every cell quoted (so that a carriage return stays in its cell)."""
    rows = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8"), newline="")))
    for row in rows[1:]:
        if row[2] == indicator:
            row[-1] = text
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    report.write_text(out.getvalue(), encoding="utf-8", newline="")


def findings_of(folder: Path, code: str) -> list[Finding]:
    return [f for f in check(folder, TODAY).findings if f.code == code]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_starts(text: str) -> None:
    assert formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_harmless_starts(text: str) -> None:
    assert not formula_like(text)
    assert neutralise(text) == text


def test_a_formula_in_free_text_is_reported_and_left_as_written(valid_copy: Path) -> None:
    report = valid_copy / "reports/2011-02/west.csv"
    for formula in FORMULAS:
        set_explanation(report, "pilot", formula)
        before = report.read_bytes()
        found = findings_of(valid_copy, "cell-formula")
        assert [(f.file, f.value) for f in found] == [("reports/2011-02/west.csv", formula)], formula
        assert "sha256sum" in found[0].hint("zh")
        assert report.read_bytes() == before  # reported, never changed
    for text in HARMLESS:
        set_explanation(report, "pilot", text)
        assert findings_of(valid_copy, "cell-formula") == [], text


def test_names_are_free_text_too_but_coded_columns_are_not(valid_copy: Path) -> None:
    edit_csv(valid_copy / "regions.csv", {"name": "@东区"}, where={"id": "east"})
    edit_csv(valid_copy / "facilities.csv", {"note": "-"}, where={})
    found = check(valid_copy, TODAY).findings
    assert {(f.file, f.code) for f in found} >= {("regions.csv", "cell-formula"), ("facilities.csv", "cell-formula")}
    edit_csv(valid_copy / "regions.csv", {"name": "东区"}, where={"id": "east"})
    edit_csv(valid_copy / "facilities.csv", {"note": ""}, where={})
    edit_csv(valid_copy / "reports/2011-02/west.csv", {"region_id": "=west"})
    codes = {f.code for f in check(valid_copy, TODAY).findings}
    assert "cell-formula" not in codes  # a reference: it must equal a code, and says so
    assert "unknown-region" in codes


@pytest.mark.parametrize(
    ("character", "point"),
    [("\u200b", "U+200B"), ("\u202e", "U+202E"), ("\u2066", "U+2066"), ("\ufeff", "U+FEFF"), ("\x1b", "U+001B")],
)
def test_invisible_characters_in_a_name(valid_copy: Path, character: str, point: str) -> None:
    edit_csv(valid_copy / "regions.csv", {"name": f"山{character}县"}, where={"id": "hill"})
    (finding,) = check(valid_copy, TODAY).findings
    assert finding.code == "text-invisible"
    assert (finding.file, finding.line, finding.value) == ("regions.csv", 4, f"山{character}县")
    assert point in finding.message("zh")
    assert point in finding.message("en")


def test_line_breaks_and_tabs_are_allowed_in_free_text_only(valid_copy: Path) -> None:
    report = valid_copy / "reports/2011-02/west.csv"
    edit_csv(report, {"explanation": "筛查车检修，\n已租用替代车辆。\t（见附件）"}, where={"indicator_id": "screening"})
    assert check(valid_copy, TODAY).findings == []
    edit_csv(report, {"explanation": "筛查车检修\x1b[31m"}, where={"indicator_id": "screening"})
    (finding,) = findings_of(valid_copy, "text-invisible")
    assert "U+001B ESCAPE" in finding.message("en")
    edit_csv(report, {"explanation": "筛查车检修。"}, where={"indicator_id": "screening"})
    edit_csv(valid_copy / "regions.csv", {"name": "山\n县"}, where={"id": "hill"})
    (finding,) = check(valid_copy, TODAY).findings
    assert finding.code == "text-invisible"
    assert "U+000A" in finding.message("zh")


def test_a_code_with_an_invisible_character_is_reported_once(valid_copy: Path) -> None:
    edit_csv(valid_copy / "regions.csv", {"id": "hi\u200bll"}, where={"id": "hill"})
    found = [f for f in check(valid_copy, TODAY).findings if f.file == "regions.csv"]
    assert [f.code for f in found] == ["text-invisible"]  # not also cell-pattern


def test_names_that_differ_only_by_invisible_or_full_width_characters_repeat(valid_copy: Path) -> None:
    regions = valid_copy / "regions.csv"
    edit_csv(regions, {"name": "东\u200b区"}, where={"id": "hill"})
    codes = sorted(f.code for f in check(valid_copy, TODAY).findings)
    assert codes == ["cell-unique", "text-invisible"]
    edit_csv(regions, {"name": "ＡＢ区"}, where={"id": "east"})
    edit_csv(regions, {"name": "AB区"}, where={"id": "hill"})
    (finding,) = check(valid_copy, TODAY).findings
    assert (finding.code, finding.line, finding.value) == ("cell-unique", 4, "AB区")
    assert "regions.csv:2" in finding.message("zh")


def test_primary_keys_are_compared_the_same_way() -> None:
    frame = pl.DataFrame({"name": ["海\u200b拉尔", "海拉尔", "ＡＢ", "AB", "ab"]})
    compared = frame.select(comparable_expr(pl.col("name")))["name"].to_list()
    assert compared == ["海拉尔", "海拉尔", "AB", "AB", "ab"]


def test_yaml_documents_are_checked_at_the_string(valid_copy: Path) -> None:
    organization = valid_copy / "organization.yaml"
    text = organization.read_text(encoding="utf-8")
    organization.write_text(text.replace("name: 医疗保障推进组", 'name: "医疗保障\\u202E推进组"'), encoding="utf-8")
    (finding,) = check(valid_copy, TODAY).findings
    assert finding.code == "text-invisible"
    assert finding.file == "organization.yaml"
    line = 1 + text[: text.index("name: 医疗保障推进组")].count("\n")
    assert (finding.line, finding.value) == (line, "医疗保障\u202e推进组")
    assert "task_groups.0.name" in finding.message("zh")
    assert escape_invisible(finding.value or "") == "医疗保障\\u202e推进组"


def test_yaml_block_text_may_hold_line_breaks(valid_copy: Path) -> None:
    organization = valid_copy / "organization.yaml"
    text = organization.read_text(encoding="utf-8")
    organization.write_text(
        text.replace("duties: 统筹医改工作。", "duties: |\n    统筹医改工作。\n    第二行。"), encoding="utf-8"
    )
    assert check(valid_copy, TODAY).findings == []
