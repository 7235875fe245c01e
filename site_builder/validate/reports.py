"""Rules on the monthly reports beyond their schema: coverage, shape, rates, trend, progress, dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import polars as pl

from site_builder.core.documents import Programme
from site_builder.core.findings import Finding
from site_builder.core.method import expected_shares
from site_builder.validate.frames import FILE
from site_builder.validate.tables import Table

REPORT_PATH = re.compile(r"reports/([0-9]{4}-(?:0[1-9]|1[0-2]))/([a-z][a-z0-9_]*)\.csv")
KIND_WORDS = {"rate": ("率类指标", "rate"), "count": ("数量指标", "count"), "milestone": ("节点指标", "milestone")}


def check_reports(
    reports: Table, indicators: Table, targets: Table, programme: Programme | None, today: dt.date
) -> list[Finding]:
    findings = list(_check_paths(reports))
    pending = _pending_files(reports)
    findings += _not_submitted(reports, pending)
    rows = _rows_with_indicators(reports, indicators).filter(~pl.col(FILE).is_in(sorted(pending)))
    findings += _check_coverage(reports, indicators, pending)
    findings += _check_shape(reports, rows)
    findings += _check_rates(reports, rows)
    findings += _check_dates(reports, rows, today)
    findings += _check_decreases(reports, rows)
    if programme is not None:
        findings += _check_progress(reports, rows, targets, programme)
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


def _not_submitted(reports: Table, pending: set[int]) -> Iterator[Finding]:
    for index in sorted(pending):
        match = REPORT_PATH.fullmatch(reports.files[index].path)
        month = match.group(1) if match else "?"
        yield Finding("report-not-submitted", reports.files[index].path, 1, 1, params={"month": month})


def _rows_with_indicators(reports: Table, indicators: Table) -> pl.DataFrame:
    info = indicators.frame.select(
        pl.col("id").alias("indicator_id"),
        pl.col("name").alias("indicator_name"),
        "kind",
        "direction",
        "profile",
    ).drop_nulls("indicator_id")
    raw_flags = reports.raw.select(
        [(pl.col(c).fill_null("") == "").alias(f"{c}_empty") for c in ("value", "numerator", "denominator")]
    )
    frame = pl.concat([reports.frame.with_row_index("_row"), raw_flags], how="horizontal")
    return frame.join(info, on="indicator_id", how="inner").sort("_row")


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


def _check_coverage(reports: Table, indicators: Table, pending: set[int]) -> Iterator[Finding]:
    expected = indicators.frame.select(pl.col("id").alias("indicator_id"), pl.col("name")).drop_nulls("indicator_id")
    files = pl.DataFrame(
        {FILE: [i for i, f in enumerate(reports.files) if i not in pending and f.header]}, schema={FILE: pl.Int32}
    )
    present = reports.frame.select(FILE, "indicator_id").drop_nulls().unique()
    missing = files.join(expected, how="cross").join(present, on=[FILE, "indicator_id"], how="anti")
    for row in missing.sort(FILE).iter_rows(named=True):
        csv_file = reports.files[row[FILE]]
        match = REPORT_PATH.fullmatch(csv_file.path)
        month = match.group(1) if match else "?"
        line = (csv_file.lines[-1] + 1) if csv_file.lines else csv_file.header_line + 1
        yield Finding(
            "report-row-missing", csv_file.path, line, 1, row["indicator_id"], {"month": month, "name": row["name"]}
        )


def _check_shape(reports: Table, rows: pl.DataFrame) -> Iterator[Finding]:
    explained = pl.col("explanation").is_not_null()
    rate = pl.col("kind") == "rate"
    wrong_value = rows.filter(rate & ~pl.col("value_empty"))
    wrong_parts = rows.filter(~rate & ~(pl.col("numerator_empty") & pl.col("denominator_empty")))
    for frame, field, detail_zh, detail_en in (
        (
            wrong_value,
            "value",
            "value 应留空，请填写分子和分母",
            "value must stay empty; give numerator and denominator",
        ),
        (wrong_parts, "numerator", "不填写分子和分母，只填写 value", "give value only, no numerator or denominator"),
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
    missing_rate = rate & (pl.col("numerator_empty") | pl.col("denominator_empty"))
    missing_value = ~rate & pl.col("value_empty")
    for row in _only(reports, rows.filter((missing_rate | missing_value) & ~explained), "value-missing").iter_rows(
        named=True
    ):
        is_rate = row["kind"] == "rate"
        field = ("numerator" if row["numerator_empty"] else "denominator") if is_rate else "value"
        yield _at(
            reports,
            row["_row"],
            field,
            "value-missing",
            None,
            indicator=row["indicator_name"],
            what_zh="分子和分母" if is_rate else "累计完成值",
            what_en="numerator and denominator" if is_rate else "a cumulative value",
        )


def _check_rates(reports: Table, rows: pl.DataFrame) -> Iterator[Finding]:
    rates = rows.filter((pl.col("kind") == "rate") & pl.col("numerator").is_not_null())
    rates = rates.filter(pl.col("denominator").is_not_null())
    for row in _only(reports, rates.filter(pl.col("denominator") == 0), "denominator-zero").iter_rows(named=True):
        yield _at(reports, row["_row"], "denominator", "denominator-zero", 0)
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
    cumulative = rows.filter((pl.col("kind") != "rate") & pl.col("value").is_not_null() & pl.col("month").is_not_null())
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


def _check_progress(reports: Table, rows: pl.DataFrame, targets: Table, programme: Programme) -> Iterator[Finding]:
    year = str(programme.year)
    share_frame = expected_shares(programme.profiles).rename({"expected": "_expected"})
    goal = (
        targets.frame.filter(pl.col("year") == programme.year)
        .select("region_id", "indicator_id", "target")
        .unique(subset=["region_id", "indicator_id"], keep="first", maintain_order=True)
    )
    actual = (
        pl.when(pl.col("kind") == "rate")
        .then(pl.when(pl.col("denominator") > 0).then(100 * pl.col("numerator") / pl.col("denominator")))
        .otherwise(pl.col("value"))
    )
    frame = (
        rows.filter(pl.col("month").str.starts_with(year) & pl.col("explanation").is_null())
        .with_columns(actual.alias("_actual"), pl.col("month").str.slice(5, 2).cast(pl.Int64).alias("_m"))
        .join(goal.drop_nulls(), on=["region_id", "indicator_id"], how="inner")
        .join(share_frame, on=["profile", "_m"], how="inner")
        .filter(pl.col("_actual").is_not_null() & (pl.col("target") > 0))
    )
    completion = (
        pl.when(pl.col("direction") == "lower")
        .then(pl.when(pl.col("_actual") > 0).then(pl.col("target") / pl.col("_actual")).otherwise(None))
        .otherwise(pl.col("_actual") / pl.col("target"))
    )
    behind = frame.with_columns(completion.alias("_completion")).filter(
        pl.col("_completion") < pl.col("_expected") - 1e-9
    )
    for row in _only(reports, behind.sort("_row"), "behind-unexplained").iter_rows(named=True):
        field = "numerator" if row["kind"] == "rate" else "value"
        yield _at(
            reports,
            row["_row"],
            field,
            "behind-unexplained",
            row["_actual"],
            indicator=row["indicator_name"],
            completion=f"{row['_completion']:.1%}",
            expected=f"{row['_expected']:.1%}",
        )
