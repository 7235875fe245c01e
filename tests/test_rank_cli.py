"""`bulletin rank`: golden output for both examples, identical bytes run to run, clean errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.cli import main
from tests.conftest import REPO, build_fixture

CASES = [("data", "2011-09"), ("examples/zaozhuang", "2011-09"), ("data", "2011-05")]


@pytest.mark.parametrize(("folder", "month"), CASES)
@pytest.mark.parametrize("form", ["text", "json", "csv"])
def test_rank_matches_its_golden_file(
    folder: str, month: str, form: str, capsys: pytest.CaptureFixture[str], golden: Callable[[str, str], None]
) -> None:
    status = main(["rank", month, "--data", str(REPO / folder), "--format", form])
    out = capsys.readouterr().out
    assert status == 0
    golden(f"rank/{folder.replace('/', '-')}-{month}.{'txt' if form == 'text' else form}", out)
    assert main(["rank", month, "--data", str(REPO / folder), "--format", form]) == 0
    assert capsys.readouterr().out == out  # the same data gives the same bytes


def test_rank_of_invalid_data_prints_the_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    build_fixture("cell-type", data)
    assert main(["rank", "2011-02", "--data", str(data)]) == 1
    assert "[cell-type]" in capsys.readouterr().err


@pytest.mark.parametrize("month", ["2011-13", "May", "2012-01"])
def test_rank_of_an_unknown_month_is_a_usage_error(month: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", month, "--data", str(REPO / "tests/fixtures/valid")]) == 2
    assert "bulletin: error:" in capsys.readouterr().err
