"""One invalid fixture per finding code: each yields exactly its code, where the fixture says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.commands.check import check
from site_builder.core.catalog import CATALOG, IMPORT_CODES, REVIEW_CODES
from site_builder.validate import Validated
from tests.conftest import TODAY, VALID, build_fixture, invalid_codes
from tests.validate.templates import template_fields


def test_the_valid_base_has_no_findings() -> None:
    assert check(VALID, TODAY).findings == []


def test_every_code_has_exactly_one_fixture() -> None:
    # the Excel import's codes are exercised with real forms in tests/test_forms.py, check-authors' with real
    # pull requests' commits in tests/test_codeowners.py
    assert invalid_codes() == sorted(set(CATALOG) - set(IMPORT_CODES) - set(REVIEW_CODES))


@pytest.mark.parametrize("code", invalid_codes())
def test_fixture_yields_exactly_its_code_and_the_cli_exit_code_follows_severity(
    code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    meta = build_fixture(code, data)
    checked: list[Validated] = []

    def check_on_today(data_dir: Path, today: dt.date | None = None) -> Validated:
        """`check` as `bulletin validate` calls it, on the fixed TODAY, the result kept: one validation."""
        checked.append(check(data_dir, TODAY))
        return checked[-1]

    monkeypatch.setattr("site_builder.commands.check.check", check_on_today)  # where `bulletin validate` calls it
    status = main(["validate", "--data", str(data)])
    output = capsys.readouterr()
    (validated,) = checked
    findings = validated.findings
    for finding in findings:  # every {field} of its messages given (see test_finding_params.py)
        missing = template_fields(finding.code) - set(finding.params)
        assert not missing, f"{finding.code} at {finding.file}:{finding.line} lacks {sorted(missing)}"
    # `with:` names the codes a fixture cannot go without (findings-truncated sums up others)
    assert {f.code for f in findings} == {code, *_companions(meta)}
    expect = meta["expect"]
    assert isinstance(expect, dict)
    first = next(f for f in findings if f.code == code)
    assert first.file == expect["file"]
    assert first.line == expect.get("line")
    for lang in ("zh", "en"):
        shown = first.as_dict(lang)
        assert shown["message"]
        assert shown["hint"]
        assert "{" not in str(shown["message"]) + str(shown["hint"])
    assert "Traceback" not in output.out + output.err
    assert status == (1 if any(CATALOG[c].severity == "error" for c in (code, *_companions(meta))) else 0)
    assert f"[{code}]" in output.out


def _companions(meta: dict[str, object]) -> list[str]:
    companions = meta.get("with") or []
    assert isinstance(companions, list)
    return [str(c) for c in companions]


def test_a_table_with_a_header_and_no_rows_is_valid(valid_copy: Path) -> None:
    (valid_copy / "benchmarks.csv").write_text("month,indicator_id,value,source\n", encoding="utf-8")
    assert check(valid_copy, TODAY).findings == []


def test_a_report_with_only_a_header_is_not_yet_submitted(valid_copy: Path) -> None:
    report = valid_copy / "reports/2011-02/east.csv"
    report.write_text(report.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert [(f.code, f.file) for f in check(valid_copy, TODAY).findings] == [
        ("report-not-submitted", "reports/2011-02/east.csv")
    ]


def test_an_impossible_or_quoted_date_in_yaml(valid_copy: Path) -> None:
    bulletin = valid_copy / "bulletins" / "2011-02.yaml"
    bulletin.parent.mkdir()
    bulletin.write_text(
        'month: "2011-02"\ntitle: 二月\nissued_on: 2011-02-30\ncutoff: "2011-02-28"\n', encoding="utf-8"
    )
    findings = check(valid_copy, TODAY).findings
    assert [(f.code, f.line, f.value) for f in findings] == [("date-invalid", 3, "2011-02-30")]


def test_free_text_may_hold_full_width_spaces(valid_copy: Path) -> None:
    indicators = valid_copy / "indicators.csv"
    text = indicators.read_text(encoding="utf-8").replace("年内完成筛查的人数。", "\u3000\u3000年内完成筛查的人数。")
    indicators.write_text(text, encoding="utf-8")
    assert check(valid_copy, TODAY).findings == []


def test_duplicates_across_files_name_the_first_file(valid_copy: Path) -> None:
    source = valid_copy / "reports/2011-02/east.csv"
    copy = valid_copy / "reports/2011-02/zz.csv"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    findings = [f for f in check(valid_copy, TODAY).findings if f.code == "row-duplicate"]
    assert findings
    assert findings[0].file == "reports/2011-02/zz.csv"
    assert "reports/2011-02/east.csv:2" in findings[0].message()
