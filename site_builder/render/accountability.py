"""Accountability pages: the leading group's monthly meetings (领导小组例会) and year-end
commendations and penalties (年终奖惩).

`meetings.md` sets, month by month, the districts the published rule proposes to summon (连续红灯,
from `results.standings`) beside what the meeting recorded, and marks every month where the two
differ, so that a departure from the rule is visible rather than silent. A meeting of month M is the
one that takes up the bulletin of month M.

`accountability.md` shows the year-to-date standing after the latest month with its commendation and
penalty candidates, and the decisions recorded for the programme's year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import polars as pl

from site_builder.core.documents import Accountability, Meeting, RegionDecision, Reporting
from site_builder.model import Person, Region
from site_builder.render.base import Page
from site_builder.render.context import SiteContext, accountability_year_path
from site_builder.render.labels import date_text, month_label, t

MEETINGS = "meetings.md"
ACCOUNTABILITY = "accountability.md"


def proposed_summons(ctx: SiteContext) -> dict[str, list[str]]:
    """month → the districts the rule proposes to summon, in the regions' order."""
    standings = ctx.results.standings
    if standings.is_empty() or "summoned" not in standings.columns:
        return {}
    proposed: dict[str, list[str]] = defaultdict(list)
    rows = standings.filter(pl.col("summoned")).sort("month", "region_order").select("month", "region_id")
    for month, region_id in rows.iter_rows():
        proposed[month].append(region_id)
    return dict(proposed)


def bulletin_months(ctx: SiteContext) -> list[str]:
    """The months with a bulletin page: the current year's and every past year's."""
    return [*ctx.months, *(m for year_ctx in ctx.past_years() for m in year_ctx.months)]


@dataclass(frozen=True)
class MonthMeeting:
    """One month: the rule's proposal and, when recorded, the meeting."""

    month: str
    proposed: list[Region]
    meeting: Meeting | None
    chair: Person | None
    recorded: list[Region]
    missing: list[Region]  # proposed but not summoned
    extra: list[Region]  # summoned but not proposed

    @property
    def compared(self) -> bool:
        """A meeting's list is compared once it is held or names districts; a planned meeting with
        no list yet is not a departure."""
        return self.meeting is not None and (self.meeting.status == "held" or bool(self.meeting.summoned))

    @property
    def differs(self) -> bool:
        return self.compared and bool(self.missing or self.extra)


def _regions(ctx: SiteContext, ids: list[str]) -> list[Region]:
    return [ctx.regions[i] for i in ids if i in ctx.regions]


def month_meetings(ctx: SiteContext) -> list[MonthMeeting]:
    """Every month with data or a recorded meeting, the latest first; a past year's months with that year's
    proposals."""
    proposed: dict[str, list[str]] = {}
    for year_ctx in [*ctx.past_years(), ctx]:
        proposed.update(proposed_summons(year_ctx))
    meetings = {meeting.month: meeting for meeting in ctx.dataset.meetings}
    result = []
    for month in sorted(set(bulletin_months(ctx)) | set(meetings), reverse=True):
        meeting = meetings.get(month)
        rule = proposed.get(month, [])
        recorded = list(meeting.summoned) if meeting else []
        result.append(
            MonthMeeting(
                month=month,
                proposed=_regions(ctx, rule),
                meeting=meeting,
                chair=ctx.people.get(meeting.chair) if meeting and meeting.chair else None,
                recorded=_regions(ctx, recorded),
                missing=_regions(ctx, [r for r in rule if r not in recorded]),
                extra=_regions(ctx, [r for r in recorded if r not in rule]),
            )
        )
    return result


@dataclass(frozen=True)
class YearLine:
    region: Region
    rank: int | None
    mean_score: float | None
    months: int
    commend: bool
    penalize: bool


def year_lines(ctx: SiteContext) -> tuple[str | None, bool, list[YearLine]]:
    """The year-to-date standing after the latest month: (month, year end?, lines in rank order)."""
    year = ctx.results.year
    if year.is_empty() or "month" not in year.columns:
        return None, False, []
    month = str(year["month"].max())
    rows = year.filter(pl.col("month") == month).sort(pl.col("rank").is_null(), "rank", "region_order")
    lines = [
        YearLine(
            ctx.regions[row["region_id"]],
            row["rank"],
            row["mean_score"],
            int(row["months"] or 0),
            bool(row["commend"]),
            bool(row["penalize"]),
        )
        for row in rows.iter_rows(named=True)
        if row["region_id"] in ctx.regions
    ]
    return month, bool(rows["year_end"].any()), lines


@dataclass(frozen=True)
class Decision:
    region: Region | None
    region_id: str
    reason: str
    candidate: bool  # whether the standing names the district a candidate of the same kind


def decisions(ctx: SiteContext, items: list[RegionDecision], candidates: set[str]) -> list[Decision]:
    return [Decision(ctx.regions.get(d.region), d.region, d.reason, d.region in candidates) for d in items]


def december_due(year: int, reporting: Reporting) -> dt.date:
    """The deadline of December's reports, after which the year-end ranking is made."""
    if reporting.deadline_month_offset:
        return dt.date(year + 1, 1, reporting.deadline_day)
    return dt.date(year, 12, reporting.deadline_day)


def _meetings_page(ctx: SiteContext) -> Page:
    months = month_meetings(ctx)
    page = Page(MEETINGS, t("meetings"), nav=bool(months))  # no month and no meeting: out of the navigation
    programme = ctx.dataset.programme
    leading = ctx.dataset.organization.leading_group
    page.body = ctx.render(
        "accountability/meetings.md.j2",
        page,
        t=t,
        months=months,
        unrecorded=sum(1 for item in months if item.meeting is None),
        bulletins=set(bulletin_months(ctx)),
        month_label=month_label,
        region_term=programme.region_term,
        red_months=programme.ranking.summon_after_red_months,
        leading_group=leading.name if leading is not None else t("leading_group"),
    )
    return page


def _accountability_page(ctx: SiteContext, page: Page, years: list[tuple[str, int]]) -> Page:
    """The year-end page of `ctx`'s year; `years` links the other years' pages."""
    programme = ctx.dataset.programme
    month, year_end, lines = year_lines(ctx)
    recorded: Accountability | None = next((a for a in ctx.dataset.accountability if a.year == programme.year), None)
    commend = {line.region.id for line in lines if line.commend}
    penalize = {line.region.id for line in lines if line.penalize}
    page.body = ctx.render(
        "accountability/accountability.md.j2",
        page,
        t=t,
        month=month,
        month_text=month_label(month),
        year_end=year_end,
        lines=lines,
        recorded=recorded,
        decided_on=recorded.decided_on if recorded else None,
        commended=decisions(ctx, recorded.commended, commend) if recorded else [],
        penalized=decisions(ctx, recorded.penalized, penalize) if recorded else [],
        year=programme.year,
        ranking=programme.ranking,
        region_term=programme.region_term,
        years=years,
        december_due=date_text(december_due(programme.year, programme.reporting)),
    )
    return page


def pages(ctx: SiteContext) -> list[Page]:
    """meetings.md and accountability.md; accountability/<year>.md for every past programme year whose
    year-end decisions are recorded (accountability/<year>.yaml), linked from it, not in the nav."""
    recorded = {a.year for a in ctx.dataset.accountability}
    past = [y for y in ctx.past_years() if y.year in recorded]
    links = [(accountability_year_path(y.year), y.year) for y in past]
    # no standing and no decision: the page says what will appear, out of the navigation
    shown = not ctx.results.year.is_empty() or ctx.dataset.programme.year in recorded
    current = Page(ACCOUNTABILITY, t("accountability"), nav=shown)
    out = [_meetings_page(ctx), _accountability_page(ctx, current, links)]
    for year_ctx in past:
        page = Page(accountability_year_path(year_ctx.year), f"{year_ctx.year}年{t('accountability')}", nav=False)
        others = [(ACCOUNTABILITY, ctx.year)] + [link for link in links if link[1] != year_ctx.year]
        out.append(_accountability_page(year_ctx, page, others))
    return out
