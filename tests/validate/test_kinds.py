"""Indicator kinds, city rules, reporting frequencies and not-applicable cells, as `bulletin validate` checks them.

Each test edits a copy of the valid base (three districts, a rate, a count and a milestone, January and
February reported) and reads the findings of the real check.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from site_builder.commands.check import check
from site_builder.core.findings import Finding
from tests.conftest import TODAY, VALID

REGIONS = ("east", "hill", "west")
MONTHS = ("2011-01", "2011-02")


def _findings(folder: Path) -> list[tuple[str, str, int | None]]:
    return [(f.code, f.file, f.line) for f in check(folder, TODAY).findings]


def _all(folder: Path) -> list[Finding]:
    return check(folder, TODAY).findings


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def _add_level(
    folder: Path,
    *,
    city: str = "median",
    direction: str = "lower",
    frequency: str = "",
    parts: tuple[str, str] = ("", ""),
    target: str = "180",
    figures: dict[tuple[str, str], str] | None = None,
) -> None:
    """A level indicator `cost` (an average cost, lower is better, flat profile) with its targets and a report
    row per district and month: `figures[(month, region)]` is its "value,numerator,denominator" cells."""
    numerator, denominator = parts
    _append(
        folder / "indicators.csv",
        f"cost,次均费用,insurance,office,level,元,{direction},10,flat,次均费用。,{numerator},{denominator},{city},{frequency}",
    )
    for region in REGIONS:
        _append(folder / "targets.csv", f"2011,{region},cost,{target},")
    for month in MONTHS:
        for region in REGIONS:
            cells = (figures or {}).get((month, region), "170,,")
            _append(folder / "reports" / month / f"{region}.csv", f"{month},{region},cost,{cells},{month}-25,,")


def test_old_descriptors_without_the_new_columns_validate_as_before(valid_copy: Path) -> None:
    descriptor = valid_copy / "datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    text = re.sub(r"        - \{name: (city|frequency|not_applicable), .*\n", "", text)
    text = text.replace("enum: [count, rate, level, milestone]", "enum: [rate, count, milestone]")
    text = text.replace(
        "{name: target, title: 年度目标值, type: number}",
        "{name: target, title: 年度目标值, type: number, constraints: {required: true, minimum: 0}}",
    )
    text = text.replace(
        "{name: value, title: 累计完成值, type: number}",
        "{name: value, title: 累计完成值, type: number, constraints: {minimum: 0}}",
    )
    descriptor.write_text(text, encoding="utf-8")
    for name, drop in (("indicators.csv", ",city,frequency"), ("targets.csv", ",not_applicable")):
        lines = (valid_copy / name).read_text(encoding="utf-8").splitlines()
        kept = [lines[0].replace(drop, "")] + [line[: -drop.count(",")] for line in lines[1:]]
        (valid_copy / name).write_text("\n".join(kept) + "\n", encoding="utf-8")
    assert _findings(valid_copy) == []
    _edit(valid_copy / "reports/2011-01/east.csv", "2011-01,east,screening,120,", "2011-01,east,screening,-5,")
    _edit(valid_copy / "targets.csv", "2011,west,pilot,6", "2011,west,pilot,")
    assert sorted(f.code for f in _all(valid_copy)) == ["cell-range", "cell-required"]


def test_a_level_may_fall_and_be_negative_a_count_may_not(valid_copy: Path) -> None:
    figures = {(m, r): "-2,," for m in MONTHS for r in REGIONS} | {
        ("2011-01", "east"): "-1.5,,",
        ("2011-02", "east"): "-3,,",
    }
    _add_level(valid_copy, target="-1", figures=figures)
    assert _findings(valid_copy) == []
    _edit(valid_copy / "reports/2011-02/east.csv", "2011-02,east,screening,240,", "2011-02,east,screening,100,")
    assert ("cumulative-decrease", "reports/2011-02/east.csv", 3) in _findings(valid_copy)  # and behind


def test_rates_may_fall_without_a_cumulative_decrease(valid_copy: Path) -> None:
    _edit(valid_copy / "reports/2011-02/east.csv", "participation,,96,100", "participation,,91,100")
    assert _findings(valid_copy) == []


def test_negative_figures_that_are_not_a_levels_value(valid_copy: Path) -> None:
    _add_level(valid_copy, city="weighted", parts=("", "门诊人次"), figures={("2011-01", "hill"): "170,,-5"})
    _edit(valid_copy / "reports/2011-01/east.csv", "2011-01,east,pilot,1,", "2011-01,east,pilot,-1,")
    _edit(valid_copy / "targets.csv", "2011,hill,screening,1200,", "2011,hill,screening,-1200,")
    found = [f for f in _all(valid_copy) if f.code in ("value-negative", "cell-range")]
    assert [(f.code, f.file, f.line) for f in found] == [
        ("value-negative", "reports/2011-01/east.csv", 4),
        ("cell-range", "reports/2011-01/hill.csv", 5),  # the descriptor keeps numerators and denominators ≥ 0
        ("value-negative", "targets.csv", 9),
    ]
    assert "节点指标" in found[0].message()
    assert "越低越好的水平类指标" in found[2].message()


def test_only_a_lower_is_better_levels_target_may_be_negative(valid_copy: Path) -> None:
    _add_level(valid_copy, direction="higher", target="-1", figures={})
    assert {f.code for f in _all(valid_copy)} == {"value-negative"}


def test_city_rules_fit_the_kind(valid_copy: Path) -> None:
    _add_level(valid_copy, city="")
    findings = _all(valid_copy)
    assert [(f.code, f.file, f.line) for f in findings] == [("indicator-city-rule", "indicators.csv", 5)]
    assert "必须写明" in findings[0].message()
    _edit(valid_copy / "indicators.csv", "次均费用。,,,,", "次均费用。,,,pooled,")
    findings = _all(valid_copy)
    assert {f.code for f in findings} >= {"indicator-city-rule"}
    assert "分子（numerator）的定义" in next(f for f in findings if f.code == "indicator-city-rule").message()
    _edit(valid_copy / "indicators.csv", "次均费用。,,,pooled,", "次均费用。,,人次,weighted,")
    assert {f.code for f in _all(valid_copy)} == {"value-missing"}  # the rule fits; the reports lack the weights


def test_a_rate_cannot_be_summed(valid_copy: Path) -> None:
    _edit(valid_copy / "indicators.csv", "参合人数,农业人口数,,", "参合人数,农业人口数,sum,")
    findings = _all(valid_copy)
    assert [(f.code, f.line, f.value) for f in findings] == [("indicator-city-rule", 2, "sum")]
    assert "pooled" in findings[0].message()


def test_pooled_and_weighted_levels_are_reported_with_their_parts(valid_copy: Path) -> None:
    _add_level(valid_copy, city="pooled", parts=("费用总额", "人次"), figures={})
    assert {f.code for f in _all(valid_copy)} == {"value-shape", "value-missing"}  # value given, parts missing
    both = {(m, r): ",8500,50" for m in MONTHS for r in REGIONS}
    fresh = valid_copy.parent / "pooled"
    shutil.copytree(VALID, fresh)
    _add_level(fresh, city="pooled", parts=("费用总额", "人次"), figures=both)
    assert _findings(fresh) == []  # 170 a visit, under the ceiling of 180; more than 100 % is no rate


def test_a_weighted_level_needs_its_weight(valid_copy: Path) -> None:
    figures = {(m, r): "170,,50" for m in MONTHS for r in REGIONS}
    figures[("2011-02", "west")] = "170,,"
    _add_level(valid_copy, city="weighted", parts=("", "门诊人次"), figures=figures)
    findings = _all(valid_copy)
    assert [(f.code, f.file, f.line) for f in findings] == [("value-missing", "reports/2011-02/west.csv", 5)]
    assert "权重" in findings[0].message()


def test_lower_is_better_is_behind_above_its_ceiling_to_date(valid_copy: Path) -> None:
    _add_level(valid_copy, figures={("2011-02", "hill"): "186.5,,", ("2011-02", "east"): "180,,"})
    findings = _all(valid_copy)
    assert [(f.code, f.file, f.line) for f in findings] == [("behind-unexplained", "reports/2011-02/hill.csv", 5)]
    message = findings[0].message()
    assert "186.5 高于截至本月的控制目标 180" in message
    assert "完成 96.4%" in message


def test_a_ceiling_of_zero_is_a_real_target(valid_copy: Path) -> None:
    _add_level(valid_copy, target="0", figures={("2011-01", "east"): "0,,", ("2011-02", "east"): "-2,,"})
    findings = _all(valid_copy)
    assert {(f.code, f.file) for f in findings} == {
        ("behind-unexplained", f"reports/{m}/{r}.csv") for m in MONTHS for r in ("hill", "west")
    }


def test_a_quarterly_indicator_is_not_owed_before_march(valid_copy: Path) -> None:
    _add_level(valid_copy, frequency="quarterly", figures={("2011-02", "hill"): "999,,"})
    for month in MONTHS:
        for region in REGIONS:
            report = valid_copy / "reports" / month / f"{region}.csv"
            if (month, region) != ("2011-02", "hill"):  # Hill reported in February all the same: it is used
                lines = report.read_text(encoding="utf-8").splitlines()
                report.write_text("\n".join(line for line in lines if ",cost," not in line) + "\n", encoding="utf-8")
    assert _findings(valid_copy) == []  # not due: neither missing nor behind (999 is above the ceiling)


def test_a_blank_not_due_figure_is_not_missing(valid_copy: Path) -> None:
    _add_level(valid_copy, frequency="half_yearly", figures={("2011-01", "west"): ",,"})
    assert _findings(valid_copy) == []
    _edit(valid_copy / "indicators.csv", "次均费用。,,,median,half_yearly", "次均费用。,,,median,")
    assert _findings(valid_copy) == [("value-missing", "reports/2011-01/west.csv", 5)]


def test_a_month_with_nothing_due_is_not_a_missing_report(valid_copy: Path) -> None:
    text = (valid_copy / "indicators.csv").read_text(encoding="utf-8")
    (valid_copy / "indicators.csv").write_text(text.replace(",,\n", ",,quarterly\n"), encoding="utf-8")
    lines = (valid_copy / "indicators.csv").read_text(encoding="utf-8").splitlines()
    assert all(line.endswith((",quarterly", "frequency")) for line in lines)
    report = valid_copy / "reports/2011-02/east.csv"
    report.write_text(report.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert _findings(valid_copy) == []
    (valid_copy / "indicators.csv").write_text(text, encoding="utf-8")
    assert _findings(valid_copy) == [("report-not-submitted", "reports/2011-02/east.csv", 1)]


def test_a_not_applicable_cell_is_neither_missing_nor_checked(valid_copy: Path) -> None:
    _edit(valid_copy / "targets.csv", "2011,west,pilot,6,", "2011,west,pilot,,西区不承担试点任务")
    for month in MONTHS:
        report = valid_copy / "reports" / month / "west.csv"
        lines = report.read_text(encoding="utf-8").splitlines()
        report.write_text("\n".join(line for line in lines if ",pilot," not in line) + "\n", encoding="utf-8")
    assert _findings(valid_copy) == []
    _append(valid_copy / "reports/2011-02/west.csv", "2011-02,west,pilot,-3,5,,2011-02-25,,")  # ignored, said once
    findings = _all(valid_copy)
    assert [(f.code, f.line) for f in findings] == [("report-not-applicable", 4)]
    assert "西区不承担试点任务" in findings[0].message()


def test_a_target_row_has_a_target_or_a_reason(valid_copy: Path) -> None:
    _edit(valid_copy / "targets.csv", "2011,west,pilot,6,", "2011,west,pilot,,")
    _edit(valid_copy / "targets.csv", "2011,hill,pilot,6,", "2011,hill,pilot,6,山县无试点")
    findings = _all(valid_copy)
    assert [(f.code, f.line) for f in findings] == [("target-not-applicable", 7), ("target-not-applicable", 10)]
    assert "既没有年度目标" in findings[0].message()
    assert "又写了" in findings[1].message()


def test_a_zero_target_that_should_be_not_applicable(valid_copy: Path) -> None:
    _edit(valid_copy / "targets.csv", "2011,west,screening,1200,", "2011,west,screening,0,")
    findings = _all(valid_copy)
    assert [(f.code, f.severity, f.line) for f in findings] == [("target-zero", "warning", 6)]
    assert "不适用" in findings[0].hint()


def test_reports_of_an_indicator_whose_kind_is_written_wrong_are_not_judged(valid_copy: Path) -> None:
    _edit(
        valid_copy / "indicators.csv",
        "screening,筛查人数,public_health,cdc,count,",
        "screening,筛查人数,public_health,cdc,amount,",
    )
    _edit(valid_copy / "reports/2011-01/east.csv", "2011-01,east,screening,120,,", "2011-01,east,screening,-120,5,")
    assert _findings(valid_copy) == [("cell-enum", "indicators.csv", 3)]
