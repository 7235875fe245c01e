"""One invalid fixture per finding code: each yields exactly its code, where the fixture says."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.catalog import CATALOG
from site_builder.cli import main
from site_builder.pipeline import check
from tests.conftest import TODAY, VALID, build_fixture, invalid_codes


def test_the_valid_base_has_no_findings() -> None:
    assert check(VALID, TODAY).findings == []


def test_every_code_has_exactly_one_fixture() -> None:
    assert invalid_codes() == sorted(CATALOG)


@pytest.mark.parametrize("code", invalid_codes())
def test_fixture_yields_exactly_its_code(code: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    meta = build_fixture(code, data)
    findings = check(data, TODAY).findings
    assert {f.code for f in findings} == {code}
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


@pytest.mark.parametrize("code", invalid_codes())
def test_cli_exit_code_follows_severity(code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    build_fixture(code, data)
    status = main(["validate", "--data", str(data)])
    output = capsys.readouterr()
    assert "Traceback" not in output.out + output.err
    assert status == (1 if CATALOG[code].severity == "error" else 0)
    assert f"[{code}]" in output.out


def test_a_table_with_a_header_and_no_rows_is_valid(valid_copy: Path) -> None:
    (valid_copy / "benchmarks.csv").write_text("month,indicator_id,value,source\n", encoding="utf-8")
    assert check(valid_copy, TODAY).findings == []
