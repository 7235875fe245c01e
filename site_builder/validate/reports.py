"""Rules on the monthly reports beyond their schema: coverage, shape, signs, rates, trend, dates.

Only the cells a report is owed for are asked for: an indicator reported quarterly is not missing in
January, and a cell targets.csv marks not applicable is never missing (a figure given there is ignored,
with a warning). Being behind expected progress is `validate.progress`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator

import polars as pl

from site_builder.core.documents import Programme
from site_builder.core.findings import Finding
from site_builder.core.method import ACCUMULATING, SIGNED
from site_builder.validate.cells import (
    PARTS,
    VALUE,
    WEIGHTED,
    indicator_info,
    month_parts,
    with_applicability,
    with_due,
)
from site_builder.validate.frames import FILE
from site_builder.validate.progress import check_progress
from site_builder.validate.tables import Table
from site_builder.validate.years import target_years

REPORT_PATH = re.compile(r"reports/([0-9]{4}-(?:0[1-9]|1[0-2]))/([a-z][a-z0-9_]*)\.csv")
KIND_WORDS = {
    "rate": ("率类指标", "rate"),
    "count": ("数量指标", "count"),
    "level": ("水平类指标", "level"),
    "milestone": ("节点指标", "milestone"),
}
FIGURES = ("value", "numerator", "denominator")


def check_reports(
    reports: Table, indicators: Table, targets: Table, programme: Programme | None, today: dt.date
) -> list[Finding]:
    findings = list(_check_paths(reports))
    info = indicator_info(indicators)
    pending = _pending_files(reports)
    owed = _owed(reports, info, targets)
    findings += _not_submitted(reports, pending, owed, bool(len(info)))
    rows = _rows_with_indicators(reports, info, targets).filter(~pl.col(FILE).is_in(sorted(pending)))
    findings += _check_coverage(reports, owed, pending)
    findings += _check_dates(reports, rows, today)
    findings += _check_not_applicable(reports, rows.filter(pl.col("_na")))
    rows = rows.filter(~pl.col("_na"))  # a figure where the district has no such task is not used
    findings += _check_shape(reports, rows)
    findings += _check_rates(reports, rows)
    negative = _negative(rows)
    findings += _check_negative(reports, negative)
    rows = rows.filter(~pl.col("_row").is_in(sorted({r for frame, _ in negative for r in frame["_row"].to_list()})))
    findings += _check_decreases(reports, rows)
    if programme is not None:  # behind expected progress, in the current year and every past year with reports
        for year in target_years(reports, programme):
            findings += check_progress(reports, rows, targets, dataclasses.replace(programme, year=year))
    return findings + reports.left_out()  # what the cap on findings per code and file left out, counted


def _check_paths(reports: Table) -> Iterator[Finding]:
    listed = set(reports.spec.paths)
    expected: list[tuple[int, str, str]] = []
    for index, csv_file in enumerate(reports.files):
        match = REPORT_PATH.fullmatch(csv_file.path)
        if csv_file.path not in listed:
            yield Finding("report-unlisted", csv_file.path, 1, 1, csv_file.path)
        if match is None:
            detail = "应为 reports/年-月/地区编码.csv，如 reports/2011-05/<地区编码>.csv"
            yield Finding("report-path", csv_file.path, 1, 1, csv_file.path, {"detail": detail})
        else:
            expected.append((index, match.group(1), match.group(2)))
    places = pl.DataFrame(expected, schema={FILE: pl.Int32, "_month": pl.Utf8, "_region": pl.Utf8}, orient="row")
    rows = reports.frame.with_row_index("_row").join(places, on=FILE, how="inner")
    for column, wanted in (("month", "_month"), ("region_id", "_region")):
        wrong = rows.filter(pl.col(column).is_not_null() & (pl.col(column) != pl.col(wanted)))
        for row in _only(reports, wrong.sort("_row"), "report-path").iter_rows(named=True):
            path, line, col = reports.locate(row["_row"], column)
            detail = f"{column} 为 {row[column]}，而文件位置表明应为 {row[wanted]}"
            yield Finding("report-path", path, line, col, str(row[column]), {"detail": detail})


def _pending_files(reports: Table) -> set[int]:
    """Files with no figure and no submission date: scaffolds not yet filled in."""
    raw = reports.raw
    filled = pl.any_horizontal(
        [(pl.col(c).fill_null("") != "") for c in ("value", "numerator", "denominator", "submitted_on")]
    )
    counts = raw.group_by(FILE).agg(filled.sum().alias("filled"))
    with_figures = set(counts.filter(pl.col("filled") > 0)[FILE].to_list())
    # a file with a header and no rows, or rows without any figure, is a scaffold not yet filled in
    return {i for i, f in enumerate(reports.files) if f.header and i not in with_figures}


def _owed(reports: Table, info: pl.DataFrame, targets: Table) -> pl.DataFrame:
    """(FILE, indicator_id, indicator_name): the rows each report file owes, that is the indicators due that
    month and applicable to that district; a file whose place is not a month and district owes every one."""
    placed: list[tuple[int, str, str]] = []
    unplaced: list[int] = []
    for index, csv_file in enumerate(reports.files):
        match = REPORT_PATH.fullmatch(csv_file.path)
        if not csv_file.header:
            continue
        if match is None:
            unplaced.append(index)
        else:
            placed.append((index, match.group(1), match.group(2)))
    names = info.select("indicator_id", "indicator_name", "frequency")
    files = pl.DataFrame(placed, schema={FILE: pl.Int32, "month": pl.Utf8, "region_id": pl.Utf8}, orient="row")
    cells = files.join(names, how="cross").with_columns(month_parts(pl.col("month")))
    cells = with_applicability(with_due(cells), targets).filter(pl.col("_due") & ~pl.col("_na"))
    others = pl.DataFrame({FILE: unplaced}, schema={FILE: pl.Int32}).join(names, how="cross")
    columns = [FILE, "indicator_id", "indicator_name"]
    return pl.concat([cells.select(columns), others.select(columns)]).sort(FILE, "indicator_id")


def _not_submitted(reports: Table, pending: set[int], owed: pl.DataFrame, any_indicator: bool) -> Iterator[Finding]:
    owing = set(owed[FILE].to_list())
    for index in sorted(pending):
        match = REPORT_PATH.fullmatch(reports.files[index].path)
        if match is not None and any_indicator and index not in owing:
            continue  # nothing was due from this district that month
        month = match.group(1) if match else "?"
        yield Finding("report-not-submitted", reports.files[index].path, 1, 1, params={"month": month})


def _rows_with_indicators(reports: Table, info: pl.DataFrame, targets: Table) -> pl.DataFrame:
    raw_flags = reports.raw.select([(pl.col(c).fill_null("") == "").alias(f"{c}_empty") for c in FIGURES])
    frame = pl.concat([reports.frame.with_row_index("_row"), raw_flags], how="horizontal")
    frame = frame.join(info, on="indicator_id", how="inner").with_columns(month_parts(pl.col("month")))
    return with_applicability(with_due(frame), targets).sort("_row")


def _only(reports: Table, frame: pl.DataFrame, code: str) -> pl.DataFrame:
    """The rows of `frame` that get a finding of `code`: at most MAX_FINDINGS_PER_CODE per file (Table.admitted)."""
    return frame.filter(pl.col("_row").is_in(reports.admitted(sorted(frame["_row"].to_list()), code)))


def _at(reports: Table, row: int, column_name: str, code: str, value: object, **params: object) -> Finding:
    path, line, column = reports.locate(row, column_name)
    return Finding(code, path, line, column, None if value is None else _fmt(value), params)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _check_coverage(reports: Table, owed: pl.DataFrame, pending: set[int]) -> Iterator[Finding]:
    present = reports.frame.select(FILE, "indicator_id").drop_nulls().unique()
    expected = owed.filter(~pl.col(FILE).is_in(sorted(pending)))
    missing = expected.join(present, on=[FILE, "indicator_id"], how="anti")
    for row in missing.sort(FILE, "indicator_id").iter_rows(named=True):
        csv_file = reports.files[row[FILE]]
        match = REPORT_PATH.fullmatch(csv_file.path)
        month = match.group(1) if match else "?"
        line = (csv_file.lines[-1] + 1) if csv_file.lines else csv_file.header_line + 1
        yield Finding(
            "report-row-missing",
            csv_file.path,
            line,
            1,
            row["indicator_id"],
            {"month": month, "name": row["indicator_name"]},
        )


def _check_not_applicable(reports: Table, rows: pl.DataFrame) -> Iterator[Finding]:
    """A figure in a cell targets.csv marks not applicable: ignored, said once per row."""
    given = rows.filter(~pl.all_horizontal([pl.col(f"{c}_empty") for c in FIGURES]))
    for row in _only(reports, given, "report-not-applicable").iter_rows(named=True):
        field = next(c for c in FIGURES if not row[f"{c}_empty"])
        yield _at(
            reports,
            row["_row"],
            field,
            "report-not-applicable",
            None,
            indicator=row["indicator_name"],
            year=row["_year"],
            reason=row["_reason"],
        )


def _check_shape(reports: Table, rows: pl.DataFrame) -> Iterator[Finding]:
    explained = pl.col("explanation").is_not_null()
    parts, weighted, value = (pl.col("form") == form for form in (PARTS, WEIGHTED, VALUE))
    empty = {c: pl.col(f"{c}_empty") for c in FIGURES}
    for frame, field, detail_zh, detail_en in (
        (
            rows.filter(parts & ~empty["value"]),
            "value",
            "value 应留空，请填写分子和分母",
            "value must stay empty; give numerator and denominator",
        ),
        (
            rows.filter(weighted & ~empty["numerator"]),
            "numerator",
            "numerator 应留空，请填写 value 和作为权重的分母（denominator）",
            "numerator must stay empty; give value and its weight as denominator",
        ),
        (
            rows.filter(value & ~(empty["numerator"] & empty["denominator"])),
            "numerator",
            "不填写分子和分母，只填写 value",
            "give value only, no numerator or denominator",
        ),
    ):
        for row in _only(reports, frame, "value-shape").iter_rows(named=True):
            zh, en = KIND_WORDS[row["kind"]]
            yield _at(
                reports,
                row["_row"],
                field,
                "value-shape",
                None,
                indicator=row["indicator_name"],
                kind_zh=zh,
                kind_en=en,
                detail_zh=detail_zh,
                detail_en=detail_en,
            )
    missing = (
        (parts & (empty["numerator"] | empty["denominator"]))
        | (weighted & (empty["value"] | empty["denominator"]))
        | (value & empty["value"])
    )
    for row in _only(reports, rows.filter(missing & ~explained & pl.col("_due")), "value-missing").iter_rows(
        named=True
    ):
        field, (what_zh, what_en) = _missing(row)
        yield _at(
            reports,
            row["_row"],
            field,
            "value-missing",
            None,
            indicator=row["indicator_name"],
            what_zh=what_zh,
            what_en=what_en,
        )


def _missing(row: dict[str, object]) -> tuple[str, tuple[str, str]]:
    """The first empty field a row owes, and what it owes in words."""
    if row["form"] == PARTS:
        return ("numerator" if row["numerator_empty"] else "denominator"), ("分子和分母", "numerator and denominator")
    if row["form"] == WEIGHTED:
        field = "value" if row["value_empty"] else "denominator"
        return field, ("完成值和作为权重的分母（denominator）", "a value and its weight (denominator)")
    if row["kind"] in ACCUMULATING:
        return "value", ("累计完成值", "a cumulative value")
    return "value", ("本期完成值", "a value for the period")


def _check_rates(reports: Table, rows: pl.DataFrame) -> Iterator[Finding]:
    parts = rows.filter((pl.col("form") == PARTS) & pl.col("numerator").is_not_null())
    parts = parts.filter(pl.col("denominator").is_not_null())
    for row in _only(reports, parts.filter(pl.col("denominator") == 0), "denominator-zero").iter_rows(named=True):
        yield _at(reports, row["_row"], "denominator", "denominator-zero", 0)
    rates = parts.filter(pl.col("kind") == "rate")  # a pooled level (an average cost) may exceed 1
    over = rates.filter((pl.col("denominator") > 0) & (pl.col("numerator") > pl.col("denominator")))
    for row in _only(reports, over, "numerator-exceeds-denominator").iter_rows(named=True):
        yield _at(
            reports,
            row["_row"],
            "numerator",
            "numerator-exceeds-denominator",
            row["numerator"],
            denominator=_fmt(row["denominator"]),
        )


def _negative(rows: pl.DataFrame) -> list[tuple[pl.DataFrame, str]]:
    """The rows with a figure that may not be negative, per field: a value of any kind but a level, and
    every numerator and denominator."""
    unsigned = rows.filter(~pl.col("kind").is_in(list(SIGNED)) & (pl.col("value") < 0))
    return [
        (unsigned, "value"),
        (rows.filter(pl.col("numerator") < 0), "numerator"),
        (rows.filter(pl.col("denominator") < 0), "denominator"),
    ]


def _check_negative(reports: Table, negative: list[tuple[pl.DataFrame, str]]) -> Iterator[Finding]:
    words = {"value": ("完成值", "value"), "numerator": ("分子", "numerator"), "denominator": ("分母", "denominator")}
    for frame, field in negative:
        for row in _only(reports, frame, "value-negative").iter_rows(named=True):
            what_zh, what_en = words[field]
            if field == "value":
                kind_zh, kind_en = KIND_WORDS[row["kind"]]
                detail_zh = f"指标 “{row['indicator_name']}” 是{kind_zh}，完成值不能为负数"
                detail_en = f"indicator '{row['indicator_name']}' is a {kind_en}, whose values cannot be negative"
            else:
                detail_zh, detail_en = "分子和分母不能为负数", "numerators and denominators cannot be negative"
            yield _at(
                reports,
                row["_row"],
                field,
                "value-negative",
                row[field],
                what_zh=what_zh,
                what_en=what_en,
                detail_zh=detail_zh,
                detail_en=detail_en,
            )


def _check_dates(reports: Table, rows: pl.DataFrame, today: dt.date) -> Iterator[Finding]:
    for field, title in (("submitted_on", "报送日期"), ("corrected_on", "更正日期")):
        for row in _only(reports, rows.filter(pl.col(field) > today), "date-future").iter_rows(named=True):
            yield _at(
                reports,
                row["_row"],
                field,
                "date-future",
                row[field],
                field=field,
                title=title,
                today=today.isoformat(),
            )
    early = rows.filter(pl.col("corrected_on") < pl.col("submitted_on"))
    for row in _only(reports, early, "date-order").iter_rows(named=True):
        yield _at(
            reports,
            row["_row"],
            "corrected_on",
            "date-order",
            row["corrected_on"],
            later_title="更正日期",
            earlier_title="报送日期",
            earlier=row["submitted_on"].isoformat(),
        )


def _check_decreases(reports: Table, rows: pl.DataFrame) -> Iterator[Finding]:
    running = pl.col("kind").is_in(list(ACCUMULATING))  # rates and levels may fall from month to month
    cumulative = rows.filter(running & pl.col("value").is_not_null() & pl.col("month").is_not_null())
    cumulative = cumulative.select("_row", "region_id", "indicator_id", "month", "value", "explanation")
    cumulative = cumulative.sort("region_id", "indicator_id", "month")
    same_series = (
        (pl.col("region_id") == pl.col("region_id").shift(1))
        & (pl.col("indicator_id") == pl.col("indicator_id").shift(1))
        & (pl.col("month").str.slice(0, 4) == pl.col("month").shift(1).str.slice(0, 4))
    )
    cumulative = cumulative.with_columns(
        pl.when(same_series).then(pl.col("value").shift(1)).alias("_previous"),
        pl.col("month").shift(1).alias("_previous_month"),
    )
    fell = cumulative.filter((pl.col("value") < pl.col("_previous")) & pl.col("explanation").is_null())
    for row in _only(reports, fell.sort("_row"), "cumulative-decrease").iter_rows(named=True):
        yield _at(
            reports,
            row["_row"],
            "value",
            "cumulative-decrease",
            row["value"],
            previous=_fmt(row["_previous"]),
            previous_month=row["_previous_month"],
        )
