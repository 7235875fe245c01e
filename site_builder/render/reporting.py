"""The reporting-status page (报送情况): for every month of the year, which district reported which
indicators and when, against the city's deadline (programme.yaml's `reporting`).

At the top a districts × months summary (按时, 迟报 N 天, 未报, 无需报送); below it one compact matrix per
month, newest first: each district's standing, the date its report declares (`submitted_on`), how
many of the indicators it owed it reported, and one narrow cell per indicator (已报, 沿用, 未报, 未到报送期,
不适用). A past programme year has its own page, reporting/<year>.md, linked from the current one.

Statuses are compute's: a district's month is compute/ranking.py's `compliance` (only the reports due and
applicable count), a cell's is compute/progress.py's `status`. The date a report was first seen in the
repository (timeliness from git history) is the `first_seen` field of each filing, from render/first_seen.py's
`Record` when the build read a full history (the 入库日期 column appears only then); `Record.note` says
under the page's lead where the dates come from or why they were not checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from site_builder.render.base import Page
from site_builder.render.context import SiteContext, reporting_year_path
from site_builder.render.first_seen import LABEL, Record
from site_builder.render.labels import deadline_text, month_label, t

PATH = "reporting.md"
FirstSeen = Mapping[tuple[str, str], str]  # (month, region_id) → first-seen date, ISO

# A cell of the per-month matrix: its one-character mark and the word it stands for.
MARKS = {
    "reported": "✓",
    "carried": "沿",
    "missing": "缺",
    "not_due": "–",
    "not_applicable": "／",
}


@dataclass(frozen=True)
class Cell:
    status: str  # compute/progress.py's status of one district × indicator × month
    mark: str
    word: str
    submitted_on: dt.date | None


NOT_DUE = Cell("not_due", MARKS["not_due"], t("status_not_due"), None)  # a cell compute has no row for


@dataclass(frozen=True)
class Filing:
    """One district's report for one month."""

    region_id: str
    name: str
    status: str  # on_time, late, missing, not_due (compute/ranking.py's compliance)
    submitted_on: dt.date | None  # as the report declares it
    days_late: int
    first_seen: str | None  # when the report first appeared in the repository (ISO); None: unknown
    owed: int  # indicators due and applicable
    reported: int  # of those, with figures
    cells: tuple[Cell, ...]

    @property
    def standing(self) -> str:
        """按时, 迟报 3 天, 未报, 无需报送."""
        if self.status == "late":
            return f"{t('late')} {self.days_late} 天"
        if self.status == "not_due":
            return "无需报送"
        return t(self.status)

    @property
    def short(self) -> str:
        """The summary matrix's word: 按时, 迟3天, 未报, –."""
        if self.status == "late":
            return f"迟{self.days_late}天"
        if self.status == "not_due":
            return "–"
        return t(self.status)


@dataclass(frozen=True)
class Month:
    month: str
    label: str
    due: dt.date | None
    filings: tuple[Filing, ...]

    def count(self, status: str) -> int:
        return sum(1 for f in self.filings if f.status == status)

    @property
    def owing(self) -> int:
        """Districts that owed a report this month."""
        return sum(1 for f in self.filings if f.status != "not_due")


def _cells(ctx: SiteContext, month: str) -> dict[str, dict[str, Cell]]:
    """Per district, per indicator: the cell's status and the date its row declares."""
    rows = ctx.results.progress.filter(pl.col("month") == month)
    cells: dict[str, dict[str, Cell]] = {}
    for row in rows.iter_rows(named=True):
        status = str(row["status"])
        cell = Cell(status, MARKS.get(status, "?"), t(f"status_{status}"), row["submitted_on"])
        cells.setdefault(row["region_id"], {})[row["indicator_id"]] = cell
    return cells


def months(ctx: SiteContext, first_seen: FirstSeen | None = None) -> list[Month]:
    """Every month of `ctx`'s year, oldest first, with every district's filing."""
    seen = first_seen or {}
    out = []
    for month in ctx.months:
        rows = ctx.results.compliance.filter(pl.col("month") == month).sort("region_order")
        cells = _cells(ctx, month)
        filings = []
        for row in rows.iter_rows(named=True):
            found = cells.get(row["region_id"], {})
            own = tuple(found.get(i.id, NOT_DUE) for i in ctx.dataset.indicators)
            owed = [c for c in own if c.status in ("reported", "missing")]
            filings.append(
                Filing(
                    region_id=row["region_id"],
                    name=ctx.regions[row["region_id"]].name,
                    status=str(row["status"]),
                    submitted_on=row["submitted_on"],
                    days_late=int(row["days_late"] or 0),
                    first_seen=seen.get((month, row["region_id"])),
                    owed=len(owed),
                    reported=sum(1 for c in owed if c.status == "reported"),
                    cells=own,
                )
            )
        due = rows["due"][0] if len(rows) else None
        out.append(Month(month, month_label(month), due, tuple(filings)))
    return out


def _page(
    ctx: SiteContext, page: Page, *, current: SiteContext | None = None, first_seen: FirstSeen | None = None
) -> Page:
    """The reporting status of `ctx`'s year; `current` is the current year's context when `ctx` is a past year's.
    `first_seen` defaults to the history the build read, when it read a full one."""
    record = Record.of(ctx)
    if first_seen is None and record.shown:
        first_seen = record.by_report()
    found = months(ctx, first_seen)
    regions = [(r.id, r.name) for r in ctx.dataset.regions]
    filed: dict[str, dict[str, Filing]] = {}  # district → month → filing, read once (not once per district)
    for m in found:
        for f in m.filings:
            filed.setdefault(f.region_id, {})[m.month] = f
    summary = [(rid, name, filed.get(rid, {})) for rid, name in regions]
    past = (current or ctx).past_years()
    page.body = ctx.render(
        "reporting/reporting.md.j2",
        page,
        title=page.title,
        year=ctx.year,
        region_term=ctx.dataset.programme.region_term,
        deadline=deadline_text(ctx.dataset.programme.reporting),
        months=found,
        newest_first=list(reversed(found)),
        summary=summary,
        indicators=list(enumerate(ctx.dataset.indicators, start=1)),
        marks=[(mark, t(f"status_{status}")) for status, mark in MARKS.items()],
        first_seen=first_seen is not None,
        first_seen_label=LABEL,
        record_note=record.note(ctx.dataset.programme.region_term),
        current=(PATH, (current or ctx).year) if current is not None else None,
        years=[(reporting_year_path(y.year), y.year) for y in past if y.year != ctx.year],
    )
    return page


def pages(ctx: SiteContext) -> list[Page]:
    """reporting.md, and reporting/<year>.md for every past programme year (linked from it, not in the nav)."""
    out = [_page(ctx, Page(PATH, t("reporting_status")))]
    for year_ctx in ctx.past_years():
        page = Page(reporting_year_path(year_ctx.year), f"{year_ctx.year}年{t('reporting_status')}", nav=False)
        out.append(_page(year_ctx, page, current=ctx))
    return out
