"""The downloads page and its files: CSV tables of every month, and each bulletin's tables as XLSX.

Everything is built in memory. CSV files are UTF-8 with a byte order mark, so that Excel opens the
Chinese text correctly. Text from the data that a spreadsheet would read as a formula (starting with
=, +, -, @, also after spaces, or with a tab or carriage return: `text.formula_like`) is neutralized: in
CSV with a leading apostrophe (`text.neutralise_expr`), in XLSX as a string cell with Excel's quote
prefix, never as a formula. Workbooks carry a fixed timestamp (the bulletin's
issue date or cut-off), so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from site_builder.compute.ranking import due_date
from site_builder.core.text import neutralise_expr
from site_builder.files.workbook import Book, made
from site_builder.render.base import Page
from site_builder.render.bulletin_record import bulletin_for, manifest_json, manifest_path, xlsx_path
from site_builder.render.charts_indicators import month_text
from site_builder.render.context import SiteContext
from site_builder.render.labels import t
from site_builder.render.rank import COMPLIANCE_WORDS

PATH = "downloads.md"
DATA_PACKAGE = "downloads/data-package.zip"  # written by the build, listed here
MAX_WIDTH = 60
WIDTH_SAMPLE = 2000  # rows looked at for column widths
YES_NO = {True: "是", False: "否"}


def _words(text: str) -> list[str]:
    return text.split()


PROGRESS_COLUMNS = _words(
    "month region_id region_name indicator_id indicator_name kind unit weight value numerator denominator actual "
    "target completion expected gap ratio increment light missing submitted_on corrected_on explanation file line"
)
STATUS_COLUMNS = ["cell_status", "carried_from"]
CITY_COLUMNS = _words(
    "month indicator_id indicator_name kind unit reported regions actual target completion expected gap light benchmark"
)
STANDINGS_COLUMNS = _words(
    "month region_id region_name score rank rank_change rank_low rank_median rank_high bottom_share robust light "
    "red_streak bottom summoned missing_values year_score year_rank commend penalize year_end"
)
COMPLIANCE_COLUMNS = _words("month region_id region_name due submitted_on status days_late file")


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """A frame as CSV: UTF-8 with BOM, CRLF line ends, numbers to 6 decimals, empty for missing, and text
    that a spreadsheet would take for a formula prefixed with an apostrophe."""
    text = [c for c, kind in frame.schema.items() if kind == pl.Utf8]
    floats = [c for c, kind in frame.schema.items() if kind.is_float()]
    cleaned = frame.with_columns(
        *(neutralise_expr(pl.col(c)).alias(c) for c in text),
        *(pl.when(pl.col(c).is_finite()).then(pl.col(c).round(6) + 0.0).alias(c) for c in floats),
    )
    buffer = io.BytesIO()
    cleaned.write_csv(buffer, include_bom=True, line_terminator="\r\n")
    return buffer.getvalue()


@dataclass(frozen=True)
class Download:
    path: str
    title: str
    kind: str  # which description the page shows: progress, city, standings, compliance, bulletin, package
    format: str


def _names(ctx: SiteContext) -> tuple[pl.DataFrame, pl.DataFrame]:
    regions = pl.DataFrame(
        {"region_id": [r.id for r in ctx.dataset.regions], "region_name": [r.name for r in ctx.dataset.regions]}
    )
    indicators = pl.DataFrame(
        {
            "indicator_id": [i.id for i in ctx.dataset.indicators],
            "indicator_name": [i.name for i in ctx.dataset.indicators],
            "unit": [i.unit for i in ctx.dataset.indicators],
        }
    )
    return regions, indicators


def extended(ctx: SiteContext) -> bool:
    """Whether a cell of the programme can be other than reported or missing: an indicator not reported
    every month, or a district and indicator marked not applicable. Its progress table then has the
    cells' status (`cell_status`, `carried_from`); other programmes' tables keep their columns."""
    dataset = ctx.dataset
    if any(i.frequency != "monthly" for i in dataset.indicators):
        return True
    return "not_applicable" in dataset.targets.columns and dataset.targets["not_applicable"].is_not_null().any()


def _city_extra(ctx: SiteContext, city: pl.DataFrame) -> list[str]:
    """The city table's rule (`city_rule`: none = no city figure) and carried districts, for a programme
    that has such rules or cells; other programmes' tables keep their columns."""
    if extended(ctx) or any(i.city == "none" for i in ctx.dataset.indicators):
        return [c for c in ("city_rule", "carried") if c in city.columns]
    return []


def tables(ctx: SiteContext) -> dict[str, pl.DataFrame]:
    """The CSV downloads, by docs-relative path: progress, city, standings, compliance."""
    year = ctx.dataset.programme.year
    regions, indicators = _names(ctx)
    results = ctx.results
    progress = results.progress.join(regions, on="region_id", how="left").join(
        indicators, on="indicator_id", how="left"
    )
    city = results.city.join(indicators, on="indicator_id", how="left")
    standings = results.standings
    if not standings.is_empty():
        year_columns = results.year.select(
            "month", "region_id", "commend", "penalize", "year_end", year_score="mean_score", year_rank="rank"
        )
        standings = (
            standings.join(regions, on="region_id", how="left")
            .join(year_columns, on=["month", "region_id"], how="left")
            .sort("month", "region_order")
            .select(STANDINGS_COLUMNS)
        )
    compliance = results.compliance.join(regions, on="region_id", how="left")
    chosen = PROGRESS_COLUMNS
    if extended(ctx):  # the cells' status, for a programme where a cell can be carried, not due or not applicable
        progress = with_status(progress).rename({"status": "cell_status"})
        cut = PROGRESS_COLUMNS.index("missing") + 1
        chosen = [*PROGRESS_COLUMNS[:cut], *STATUS_COLUMNS, *PROGRESS_COLUMNS[cut:]]
    return {
        f"downloads/progress-{year}.csv": progress.select(chosen),
        f"downloads/city-{year}.csv": city.select(CITY_COLUMNS + _city_extra(ctx, city)),
        f"downloads/standings-{year}.csv": standings,
        f"downloads/compliance-{year}.csv": compliance.select(COMPLIANCE_COLUMNS),
    }


# XLSX


@dataclass(frozen=True)
class Column:
    title: str
    number_format: str | None = None


def _width(text: str) -> int:
    """Display width in Latin characters: a CJK character (3 bytes in UTF-8) counts 2."""
    return (len(text.encode("utf-8")) + len(text)) // 2


def write_sheet(
    book: Book, title: str, columns: Sequence[Column], rows: Sequence[Sequence[object]], freeze: str
) -> None:
    """A worksheet: a bold header row, the rows, frozen panes, a filter, column widths from the content."""
    sheet = book.sheet(title)
    widths = [_width(c.title) for c in columns]
    for row in rows[:WIDTH_SAMPLE]:
        widths = [max(w, _width(v) if isinstance(v, str) else 10) for w, v in zip(widths, row, strict=True)]
    for x, (column, width) in enumerate(zip(columns, widths, strict=True)):
        sheet.set_column(x, x, min(width + 2, MAX_WIDTH))
        book.write(sheet, 0, x, column.title, bold=True)
    formats = [{"num_format": c.number_format} if c.number_format else {} for c in columns]
    for y, row in enumerate(rows, start=1):
        for x, (value, shown) in enumerate(zip(row, formats, strict=True)):
            if value is not None:
                book.write(sheet, y, x, value, **({} if isinstance(value, str) else shown))
    sheet.freeze_panes(freeze)
    sheet.autofilter(0, 0, len(rows), len(columns) - 1)


def _ranking_sheet(ctx: SiteContext, month: str) -> tuple[list[Column], list[list[object]]]:
    columns = [
        Column(t("rank")),
        Column(ctx.dataset.programme.region_term),
        Column(t("score"), "0.000"),
        Column(t("rank_change")),
        Column("排名区间下限"),
        Column("中位名次"),
        Column("排名区间上限"),
        Column("落入末位比例", "0%"),
        Column("末位判断稳健"),
        Column(t("light")),
        Column(t("red_streak")),
        Column(t("bottom")),
        Column(t("summoned")),
        Column("缺报数值个数"),
        Column(t("compliance")),
        Column(t("submitted_on"), "yyyy-mm-dd"),
        Column(t("days_late")),
    ]
    rows: list[list[object]] = [
        [
            r.rank,
            r.name,
            r.score,
            r.rank_change,
            r.rank_low,
            r.rank_median,
            r.rank_high,
            r.bottom_share,
            YES_NO[r.robust],
            t(r.light),
            r.red_streak,
            YES_NO[r.bottom],
            YES_NO[r.summoned],
            r.missing_values,
            COMPLIANCE_WORDS[r.compliance],
            dt.date.fromisoformat(r.submitted_on) if r.submitted_on else None,
            r.days_late,
        ]
        for r in ctx.rankings[month]
    ]
    return columns, rows


def with_status(progress: pl.DataFrame) -> pl.DataFrame:
    """Progress rows with `status` and `carried_from` (compute/progress.py), derived from `missing` for
    rows computed without them."""
    if "status" not in progress.columns:
        status = pl.when(pl.col("missing")).then(pl.lit("missing")).otherwise(pl.lit("reported"))
        progress = progress.with_columns(status.alias("status"))
    if "carried_from" not in progress.columns:
        progress = progress.with_columns(pl.lit(None, pl.Utf8).alias("carried_from"))
    return progress.with_columns(pl.col("carried_from").cast(pl.Utf8))


def status_words() -> pl.Expr:
    """A cell's status as the bulletin says it: 已报, 沿用X月数据, 未报, 不适用, 未到报送期."""
    words = {status: t(f"status_{status}") for status in ("reported", "missing", "not_due", "not_applicable")}
    before, _, after = t("carried_note").partition("{month}")
    month = pl.col("carried_from").str.slice(5, 2).cast(pl.Int64, strict=False).cast(pl.Utf8)
    carried = pl.concat_str(pl.lit(before), month, pl.lit(after))
    return pl.when(pl.col("status") == "carried").then(carried).otherwise(pl.col("status").replace(words))


def _progress_sheet(ctx: SiteContext, month: str) -> tuple[list[Column], list[list[object]]]:
    lower = any(i.direction == "lower" for i in ctx.dataset.indicators)
    columns = [
        Column(ctx.dataset.programme.region_term),
        Column(t("indicator")),
        Column(t("measure_unit")),
        Column(t("actual"), "#,##0.##"),
        Column(t("target"), "#,##0.##"),
        Column(f"{t('completion')}（越低越好的指标为{t('attainment')}）" if lower else t("completion"), "0.0%"),
        Column(t("expected"), "0.0%"),
        Column(t("light")),
        Column(t("status")),
        Column(t("explanation")),
    ]
    regions, indicators = _names(ctx)
    lights = {light: t(light) for light in ("green", "yellow", "red", "grey", "na")}
    values: list[str | pl.Expr] = ["indicator_name", "unit", "actual", "target", "completion", "expected"]
    light = pl.col("light").replace(lights)
    none = [i.id for i in ctx.dataset.indicators if i.city == "none"]
    city = ctx.results.city.filter(pl.col("month") == month).join(indicators, on="indicator_id", how="left")
    summed = ~pl.col("indicator_id").is_in(none)
    city = city.select(
        pl.lit(t("city")).alias("region_name"),
        *values,
        pl.when(summed).then(light).otherwise(pl.lit(t("city_none"))).alias("light"),
        pl.lit(None, pl.Utf8).alias("status"),
        pl.lit(None, pl.Utf8).alias("explanation"),
    )
    districts = with_status(ctx.progress(month=month)).join(regions, on="region_id", how="left")
    neutral = pl.col("status").is_in(["not_due", "not_applicable"])
    districts = districts.join(indicators, on="indicator_id", how="left").select(
        "region_name",
        *values,
        pl.when(neutral).then(pl.lit("—")).otherwise(light).alias("light"),
        status_words().alias("status"),
        "explanation",
    )
    return columns, [list(row) for row in pl.concat([city, districts], how="vertical_relaxed").rows()]


def _compliance_sheet(ctx: SiteContext, month: str) -> tuple[list[Column], list[list[object]]]:
    columns = [
        Column(ctx.dataset.programme.region_term),
        Column(t("due"), "yyyy-mm-dd"),
        Column(t("submitted_on"), "yyyy-mm-dd"),
        Column(t("compliance")),
        Column(t("days_late")),
    ]
    rows: list[list[object]] = [
        [ctx.regions[r["region_id"]].name, r["due"], r["submitted_on"], COMPLIANCE_WORDS[r["status"]], r["days_late"]]
        for r in ctx.results.compliance.filter(pl.col("month") == month).iter_rows(named=True)
    ]
    return columns, rows


SHEETS = (
    ("综合排名", _ranking_sheet, "C2"),
    ("各指标完成情况", _progress_sheet, "C2"),
    ("报送情况", _compliance_sheet, "B2"),
)


def workbook(ctx: SiteContext, month: str) -> bytes:
    """The month's bulletin tables as an XLSX workbook, built in memory with a fixed timestamp."""
    bulletin = bulletin_for(ctx, month)
    day = bulletin.issued_on or bulletin.cutoff or due_date(ctx.dataset, month)
    issued = ctx.as_issued(month)  # a corrected bulletin's tables as issued, like its page
    sheets = [(title, *build(issued, month), freeze) for title, build, freeze in SHEETS]
    author = ctx.dataset.programme.bulletin.issuer

    def make() -> bytes:
        book = Book(title=bulletin.title, author=author, day=day)
        for title, columns, rows, freeze in sheets:
            write_sheet(book, title, columns, rows, freeze)
        return book.finish()

    return made(("bulletin", bulletin.title, author, day, sheets), make)  # the same tables: the same bytes


def _year_downloads(ctx: SiteContext, prefix: str = "") -> list[Download]:
    """A programme year's tables and its bulletins' workbooks; `prefix` names a past year."""
    year = ctx.dataset.programme.year
    items = [
        Download(f"downloads/progress-{year}.csv", f"{prefix}各地区各指标逐月进展", "progress", "CSV"),
        Download(f"downloads/city-{year}.csv", f"{prefix}全市逐月汇总", "city", "CSV"),
        Download(f"downloads/standings-{year}.csv", f"{prefix}逐月综合排名", "standings", "CSV"),
        Download(f"downloads/compliance-{year}.csv", f"{prefix}逐月报送情况", "compliance", "CSV"),
    ]
    return items + [
        Download(xlsx_path(m), f"{month_text(m)}通报数据表", "bulletin", "XLSX") for m in reversed(ctx.months)
    ]


def downloads(ctx: SiteContext) -> list[Download]:
    """Every download the page lists, in order: the current year's, then each past year's."""
    items = _year_downloads(ctx)
    for year_ctx in ctx.past_years():
        items += _year_downloads(year_ctx, f"{year_ctx.year}年：")
    items += [
        Download(manifest_path(b.month), f"{month_text(b.month)}通报（第{b.number}期）封存清单", "manifest", "JSON")
        for b in sorted(ctx.dataset.bulletins, key=lambda b: b.month, reverse=True)
        if b.published and b.manifest is not None
    ]
    items.append(Download(DATA_PACKAGE, "数据包", "package", "ZIP"))
    return items


def files(ctx: SiteContext) -> dict[str, bytes]:
    """The CSV and XLSX downloads, by docs-relative path (the data package is added by the build)."""
    out: dict[str, bytes] = {}
    for year_ctx in [ctx, *ctx.past_years()]:  # a past year's tables and workbooks stay downloadable
        out.update({path: csv_bytes(frame) for path, frame in tables(year_ctx).items()})
        for month in year_ctx.months:
            out[xlsx_path(month)] = workbook(year_ctx, month)
    for bulletin in ctx.dataset.bulletins:
        if bulletin.published and bulletin.manifest is not None:
            out[manifest_path(bulletin.month)] = manifest_json(bulletin)
    return out


def pages(ctx: SiteContext) -> list[Page]:
    """downloads.md."""
    page = Page(PATH, t("downloads"))
    page.body = ctx.render(
        "downloads/downloads.md.j2",
        page,
        t=t,
        title=page.title,
        items=downloads(ctx),
        columns=[(path, frame.columns) for path, frame in tables(ctx).items()],
        extended=extended(ctx),
        levels=any(i.kind == "level" for i in ctx.dataset.indicators),
        simulated=ctx.dataset.programme.simulated,
    )
    return [page]
