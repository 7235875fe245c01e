"""Leader pages (领导专页): one page per person with 联系点 or 包保 districts, and their index.

A leader's page opens with a key block meant to fit one phone screen: each of their districts' light
and rank this month, how many indicators are red or flagged by the early warning (预警), and one line each
on explanations, missing reports, the leading group's meetings that summon their districts and the
supervision rounds to come. The details follow: what is red or at risk and since when, the explanations,
the missing figures, the meetings and the rounds. "This month" is the latest month with reports; a round
is to come when it ends on or after the first day of that month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from site_builder.compute import RankRow
from site_builder.core.documents import Meeting, SupervisionRound
from site_builder.model import Indicator, Person, Region
from site_builder.render import early_warning
from site_builder.render.base import Page
from site_builder.render.context import SiteContext, latest_ranks, leader_path
from site_builder.render.early_warning import Alert
from site_builder.render.labels import month_label, t
from site_builder.render.responsibility import LEADER_KINDS, Responsibility, kind_key, responsibilities

INDEX = "leaders/index.md"
MEETINGS = "meetings.md"
Row = dict[str, Any]


def round_path(round_id: str) -> str:
    return f"supervision/{round_id}.md"


@dataclass(frozen=True)
class District:
    """One of the leader's districts this month."""

    region: Region
    kinds: list[str]  # 联系点, 包保
    standing: RankRow | None
    red: int  # indicators red this month
    warnings: int  # indicators flagged 预警 this month
    watches: int  # indicators flagged 关注 this month


@dataclass(frozen=True)
class Concern:
    """An indicator of a district that is red, or flagged by the early warning, this month."""

    region: Region
    indicator: Indicator
    light: str
    red_since: str | None  # the first month of the unbroken run of red lights
    alert: Alert | None


@dataclass(frozen=True)
class Leader:
    person: Person
    districts: list[District]
    concerns: list[Concern] = field(default_factory=list)
    explanations: list[Row] = field(default_factory=list)  # this month's progress rows with an explanation
    missing: list[Row] = field(default_factory=list)  # this month's progress rows due and not reported
    unfiled: list[Region] = field(default_factory=list)  # districts whose report file is missing
    meetings: list[tuple[Meeting, list[Region]]] = field(default_factory=list)  # newest first
    proposed: list[Region] = field(default_factory=list)  # districts the ranking proposes to summon
    rounds: list[tuple[SupervisionRound, list[Region], bool]] = field(default_factory=list)  # bool: to come

    @property
    def earliest(self) -> str | None:
        """The earliest month from which something listed has been red or flagged without a break."""
        months = [c.red_since for c in self.concerns if c.red_since]
        months += [c.alert.since for c in self.concerns if c.alert is not None]
        return min(months) if months else None

    @property
    def next_round(self) -> SupervisionRound | None:
        """The soonest round to come (rounds are listed newest first)."""
        coming = [round_ for round_, _, to_come in self.rounds if to_come]
        return coming[-1] if coming else None


def leaders_of(ctx: SiteContext) -> dict[str, list[Responsibility]]:
    """Every person with a 联系点 or 包保 district: their assignments, in the order of people.csv."""
    duties: dict[str, list[Responsibility]] = {}
    for duty in sorted(responsibilities(ctx.dataset), key=kind_key):
        if duty.kind in LEADER_KINDS and duty.person_id in ctx.people and duty.region_id in ctx.regions:
            duties.setdefault(duty.person_id, []).append(duty)
    return {p.id: duties[p.id] for p in ctx.dataset.people if p.id in duties}


def _runs(ctx: SiteContext, month: str) -> dict[tuple[str, str], str]:
    """(region, indicator) → the first month of the unbroken run of red lights that reaches `month`."""
    lights: dict[tuple[str, str], dict[str, str]] = {}
    frame = ctx.results.progress.select("month", "region_id", "indicator_id", "light")
    for m, region, indicator, light in frame.iter_rows():
        lights.setdefault((region, indicator), {})[m] = light
    months = [m for m in ctx.months if m <= month]
    runs = {}
    for key, by_month in lights.items():
        first = None
        for m in reversed(months):
            if by_month.get(m) != "red":
                break
            first = m
        if first is not None:
            runs[key] = first
    return runs


@dataclass(frozen=True)
class _Latest:
    """The latest month's progress rows per district and its unfiled districts, read once for all leaders."""

    rows: dict[str, list[tuple[int, Row]]]  # district → (position in the month's rows, row)
    unfiled: frozenset[str]

    @classmethod
    def of(cls, ctx: SiteContext) -> _Latest:
        rows: dict[str, list[tuple[int, Row]]] = {}
        if ctx.latest is None:
            return cls(rows, frozenset())
        for n, row in enumerate(ctx.progress(month=ctx.latest).iter_rows(named=True)):
            rows.setdefault(row["region_id"], []).append((n, row))
        filed = ctx.results.compliance
        found = filed.filter((filed["month"] == ctx.latest) & (filed["status"] == "missing"))["region_id"]
        return cls(rows, frozenset(found.to_list()))


def _leader(
    ctx: SiteContext, person: Person, duties: list[Responsibility], runs: dict[tuple[str, str], str], latest: _Latest
) -> Leader:
    month = ctx.latest
    standings = latest_ranks(ctx)
    kinds: dict[str, list[str]] = {}
    for duty in duties:
        labels = kinds.setdefault(duty.region_id, [])
        if duty.kind_label not in labels:
            labels.append(duty.kind_label)
    ids = [r.id for r in ctx.dataset.regions if r.id in kinds]
    cells: dict[tuple[str, str], Row] = {}
    for _, row in sorted(
        (p for r in kinds for p in latest.rows.get(r, [])), key=lambda p: p[0]
    ):  # in the month's order
        cells[(row["region_id"], row["indicator_id"])] = row
    flagged = {(a.region.id, a.indicator.id): a for a in early_warning.alerts(ctx, month, ids)}
    districts, concerns = [], []
    for region_id in ids:
        region = ctx.regions[region_id]
        own = [cells.get((region_id, i.id)) for i in ctx.dataset.indicators]
        alerts = [flagged.get((region_id, i.id)) for i in ctx.dataset.indicators]
        districts.append(
            District(
                region,
                kinds[region_id],
                standings.get(region_id),
                sum(1 for row in own if row is not None and row["light"] == "red"),
                sum(1 for a in alerts if a is not None and a.row["forecast"] == "warning"),
                sum(1 for a in alerts if a is not None and a.row["forecast"] == "watch"),
            )
        )
        for indicator, cell, alert in zip(ctx.dataset.indicators, own, alerts, strict=True):
            light = cell["light"] if cell is not None else "grey"
            if light == "red" or alert is not None:
                red_since = runs.get((region_id, indicator.id)) if light == "red" else None
                concerns.append(Concern(region, indicator, light, red_since, alert))
    concerns.sort(key=lambda c: 0 if c.alert and c.alert.row["forecast"] == "warning" else 1 if c.light == "red" else 2)
    return Leader(
        person,
        districts,
        concerns,
        explanations=[row for row in cells.values() if row["explanation"]],
        missing=[row for row in cells.values() if row["status"] == "missing"],
        unfiled=[ctx.regions[r] for r in ids if r in latest.unfiled],
        meetings=_meetings(ctx, ids),
        proposed=[ctx.regions[r] for r in ids if (s := standings.get(r)) is not None and s.summoned],
        rounds=_rounds(ctx, ids),
    )


def _meetings(ctx: SiteContext, ids: list[str]) -> list[tuple[Meeting, list[Region]]]:
    found = []
    for meeting in sorted(ctx.dataset.meetings, key=lambda m: m.month, reverse=True):
        summoned = [ctx.regions[r] for r in ids if r in meeting.summoned]
        if summoned:
            found.append((meeting, summoned))
    return found


def _rounds(ctx: SiteContext, ids: list[str]) -> list[tuple[SupervisionRound, list[Region], bool]]:
    """Rounds with a group in the leader's districts, newest first; to come when they end on or after the
    first day of the latest month."""
    start = dt.date.fromisoformat(f"{ctx.latest}-01") if ctx.latest else None
    found = []
    for round_ in sorted(ctx.dataset.supervision, key=lambda r: (r.start, r.id), reverse=True):
        visited = {r for group in round_.groups for r in group.regions}
        regions = [ctx.regions[r] for r in ids if r in visited]
        if regions:
            found.append((round_, regions, start is None or round_.end >= start))
    return found


def pages(ctx: SiteContext) -> list[Page]:
    """leaders/index.md and leaders/<person>.md for every person with a 联系点 or 包保 district."""
    duties = leaders_of(ctx)
    runs = _runs(ctx, ctx.latest) if ctx.latest else {}
    latest_rows = _Latest.of(ctx)
    leaders = [_leader(ctx, ctx.people[p], d, runs, latest_rows) for p, d in duties.items()]
    latest = month_label(ctx.latest)
    region_term = ctx.dataset.programme.region_term
    index = Page(INDEX, "领导专页", nav=bool(leaders))
    common = {
        "t": t,
        "latest_label": latest,
        "region_term": region_term,
        "round_path": round_path,
        "meetings_path": MEETINGS,
        "word": early_warning.word,
        "badge": early_warning.badge,
        "level": early_warning.level_text(),
        "month_label": month_label,
        "indicators": ctx.indicators,
        "figure": early_warning.figure,
        "ranked": sum(1 for row in latest_ranks(ctx).values() if row.rank is not None),
    }
    index.body = ctx.render("leaders/index.md.j2", index, leaders=leaders, **common)
    result = [index]
    for leader in leaders:
        page = Page(leader_path(leader.person.id), f"{leader.person.name}：联系和包保的{region_term}", nav=False)
        page.body = ctx.render("leaders/leader.md.j2", page, leader=leader, **common)
        result.append(page)
    return result
