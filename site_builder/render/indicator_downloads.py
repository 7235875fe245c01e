"""One indicator's figures as downloads: every district × month of the programme year, as CSV and XLSX
with Chinese headers and words (灯 as 绿灯/黄灯/红灯, a cell's status as 已报/沿用X月/未报/不适用/未到报送期).

Shared by the indicator pages (which link them) and the downloads family (which makes the files). The
CSV is UTF-8 with a byte order mark and CRLF line ends; text a spreadsheet would take for a formula gets
a leading apostrophe (`text.neutralise`). The XLSX is written through `files/workbook.py`'s Book, dated
from the data (the indicator's latest submission or correction), so the same data give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from site_builder.compute.ranking import due_date
from site_builder.core.text import neutralise
from site_builder.files.workbook import Book, made
from site_builder.model import Indicator
from site_builder.render.base import number, percent
from site_builder.render.cells import actual_title, carried_month, completion_title, neutral, status_of, status_word
from site_builder.render.context import SiteContext
from site_builder.render.labels import month_label, t

Cell = str | float | None


def csv_path(indicator_id: str, year: int) -> str:
    return f"downloads/indicators/{indicator_id}-{year}.csv"


def xlsx_path(indicator_id: str, year: int) -> str:
    return f"downloads/indicators/{indicator_id}-{year}.xlsx"


def headers(ctx: SiteContext, indicator: Indicator) -> list[str]:
    return [
        t("month"),
        ctx.dataset.programme.region_term,
        f"{actual_title(indicator)}（{indicator.unit}）" if indicator.unit else actual_title(indicator),
        f"{t('target')}（{indicator.unit}）" if indicator.unit else t("target"),
        completion_title(indicator),
        t("expected"),
        t("light"),
        t("status"),
        t("explanation"),
    ]


def last_updated(ctx: SiteContext, indicator: Indicator) -> dt.date | None:
    """The latest submission or correction date of the indicator's reports, None without reports."""
    rows = ctx.progress(indicator_id=indicator.id)
    dates = [d for column in ("submitted_on", "corrected_on") if column in rows.columns for d in rows[column]]
    known = [d for d in dates if isinstance(d, dt.date)]
    return max(known) if known else None


def _status(row: dict[str, object]) -> str:
    status = status_of(row)
    month = carried_month(row)
    if status == "carried" and month is not None:
        return t("carried_note").format(month=month)
    return status_word(status)


def rows(ctx: SiteContext, indicator: Indicator) -> list[list[Cell]]:
    """Every district × month of the year that has reports, month by month, districts in their order."""
    frame = ctx.progress(indicator_id=indicator.id).sort("month", "region_order")
    out: list[list[Cell]] = []
    for row in frame.iter_rows(named=True):
        region = ctx.regions.get(row["region_id"])
        blank = neutral(row)
        light = "—" if blank else t(str(row["light"] or "grey"))
        out.append(
            [
                month_label(row["month"]),
                region.name if region is not None else row["region_id"],
                None if blank else row["actual"],
                row["target"],
                None if blank else row["completion"],
                None if blank else row["expected"],
                light,
                _status(row),
                row["explanation"] or "",
            ]
        )
    return out


def _text(value: Cell, column: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if column in (4, 5):  # completion and expected progress, as Excel reads them: 95.1%
        return percent(value, 2)
    return number(value, 6).replace(",", "")


def csv_bytes(columns: list[str], table: list[list[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(c) for c in columns])
    for row in table:
        writer.writerow([_text(value, x) for x, value in enumerate(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


FORMATS = (None, None, "#,##0.##", "#,##0.##", "0.0%", "0.0%", None, None, None)
WIDTHS = (12, 14, 14, 14, 10, 10, 10, 22, 40)


def workbook(ctx: SiteContext, indicator: Indicator, columns: list[str], table: list[list[Cell]]) -> bytes:
    year = ctx.dataset.programme.year
    day = last_updated(ctx, indicator) or (due_date(ctx.dataset, ctx.latest) if ctx.latest else dt.date(year, 1, 1))
    title, author = f"{indicator.name}（{year}年）", ctx.dataset.programme.bulletin.issuer
    return made(("indicator", title, author, day, columns, table), lambda: _made(title, author, day, columns, table))


def _made(title: str, author: str, day: dt.date, columns: list[str], table: list[list[Cell]]) -> bytes:
    book = Book(title=title, author=author, day=day)
    sheet = book.sheet("逐月完成情况")
    for x, (heading, width) in enumerate(zip(columns, WIDTHS, strict=True)):
        sheet.set_column(x, x, width)
        book.write(sheet, 0, x, heading, bold=True)
    for y, row in enumerate(table, start=1):
        for x, (value, shown) in enumerate(zip(row, FORMATS, strict=True)):
            if value is not None:
                book.write(
                    sheet, y, x, value, **({"num_format": shown} if shown and not isinstance(value, str) else {})
                )
    sheet.freeze_panes("C2")
    sheet.autofilter(0, 0, len(table), len(columns) - 1)
    return book.finish()


def files(ctx: SiteContext) -> dict[str, bytes]:
    """Each indicator's CSV and XLSX of the current programme year, by docs-relative path."""
    year = ctx.dataset.programme.year
    out: dict[str, bytes] = {}
    if ctx.results.progress.is_empty():
        return out
    for indicator in ctx.dataset.indicators:
        columns, table = headers(ctx, indicator), rows(ctx, indicator)
        out[csv_path(indicator.id, year)] = csv_bytes(columns, table)
        out[xlsx_path(indicator.id, year)] = workbook(ctx, indicator, columns, table)
    return out
