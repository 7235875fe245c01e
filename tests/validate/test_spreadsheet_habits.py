"""Excel habits become findings with the value to write instead, never crashes or silent fixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.commands.check import check
from site_builder.validate.values import iso_suggestion, number_problem
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("text", "code", "suggestion"),
    [
        ("85%", "cell-percent", "85"),
        ("1,234", "cell-thousands", "1234"),
        ("1,234,567.5", "cell-thousands", "1234567.5"),
        ("８５", "cell-fullwidth", "85"),
        ("85人", "cell-type", ""),
    ],
)
def test_number_problems(text: str, code: str, suggestion: str) -> None:
    assert number_problem(text) == (code, suggestion)


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2011/5/1", "2011-05-01"), ("2011.5.1", "2011-05-01"), ("2011年5月1日", "2011-05-01"), ("2011/2/30", "")],
)
def test_date_suggestions(text: str, iso: str) -> None:
    assert iso_suggestion(text) == iso


def test_a_report_saved_from_excel_reports_each_habit_at_its_cell(valid_copy: Path) -> None:
    report = valid_copy / "reports/2011-02/west.csv"
    report.write_text(
        "month,region_id,indicator_id,value,numerator,denominator,submitted_on,corrected_on,explanation,,\r\n"
        "2011-02,west,participation,,９３,100,2011/2/25,,,,\r\n"
        '2011-02,west,screening,"1,180",,,2011-02-25,,,,\r\n'
        "2011-02,west\u3000,pilot,100%,,,2011-02-25,,,,\r\n",
        encoding="utf-8-sig",
    )
    found = {(f.code, f.line, f.column, f.value) for f in check(valid_copy, TODAY).findings}
    assert found == {
        ("header-blank-column", 1, 96, None),
        ("header-blank-column", 1, 97, None),
        ("cell-fullwidth", 2, 29, "９３"),
        ("date-format", 2, 36, "2011/2/25"),
        ("cell-thousands", 3, 24, "1,180"),  # the cell starts at its opening quote
        ("cell-whitespace", 4, 9, "west\u3000"),
        ("cell-percent", 4, 21, "100%"),
    }
