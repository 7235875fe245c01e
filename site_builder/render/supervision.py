"""Supervision pages (督导): the index of rounds, and one page per round.

A round's page carries what its plan says (document, period, methods, the content checklist, the
survey forms, the sampling rule in words, the groups) and what happened (the recorded random draw of
facilities, each group's report: due, submitted or not, on time or late, and its findings). The draw
is shown with the command that recomputes it, so that anyone can check it was not chosen by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from site_builder.core.documents import SamplingRule, SupervisionGroup, SupervisionRound
from site_builder.model import Facility, Person, Region
from site_builder.render.base import Page
from site_builder.render.context import SiteContext, unit_name
from site_builder.render.labels import chinese_number, kind_name, period_text, t

REPORT_DAYS = 7  # the plan: a report within a week of the end, unless the round sets report_due
INDEX = "supervision/index.md"

MEASURE_WORDS = {"village_clinic": "个"}  # 村卫生室 2 个; hospitals and centres are counted in 所


def kind_label(kind: str) -> str:
    """乡镇卫生院, 社区卫生服务机构, 村卫生室; a kind the city names itself (卫生院分院) as written."""
    return kind_name(kind)


def round_path(round_id: str) -> str:
    return f"supervision/{round_id}.md"


def report_due(round_: SupervisionRound) -> dt.date:
    """The report deadline: the round's own, else a week after its end (the plan's 一周内)."""
    return round_.report_due or round_.end + dt.timedelta(days=REPORT_DAYS)


def report_status(due: dt.date, submitted: dt.date | None) -> tuple[str, int]:
    """(not_submitted | on_time | late, days late)."""
    if submitted is None:
        return "not_submitted", 0
    late = (submitted - due).days
    return ("late", late) if late > 0 else ("on_time", 0)


def rule_text(rule: SamplingRule) -> str:
    """'社区卫生服务机构、乡镇卫生院 2–3 所' or '村卫生室 2 个'."""
    kinds = "、".join(kind_label(kind) for kind in rule.kinds)
    word = (
        MEASURE_WORDS.get(rule.kinds[0], "所") if rule.kinds and all(k == rule.kinds[0] for k in rule.kinds) else "所"
    )
    count = str(rule.min) if rule.min == rule.max else f"{rule.min}–{rule.max}"
    return f"{kinds} {count} {word}"


def sampling_text(rules: list[SamplingRule], region_term: str) -> str:
    """The sampling rules in words: 每个区（市）随机抽取社区卫生服务机构、乡镇卫生院 2–3 所，村卫生室 2 个。"""
    if not rules:
        return ""
    return f"每个{region_term}随机抽取" + "，".join(rule_text(rule) for rule in rules) + "。"


def sample_command(round_id: str, seed: int | None = None) -> str:
    """The command that draws a round's sample (no seed yet: the seed is chosen in public and given
    as 种子), or recomputes the recorded draw and compares (with the recorded seed)."""
    if seed is None:
        return f"bulletin sample {round_id} --seed 种子"
    return f"bulletin sample {round_id} --seed {seed} --check"


@dataclass(frozen=True)
class GroupView:
    number: int
    group: SupervisionGroup
    leader: Person | None
    secretary: Person | None
    regions: list[Region]
    due: dt.date
    status: str  # not_submitted | on_time | late
    days_late: int

    @property
    def name(self) -> str:
        return f"第{self.number}组"


@dataclass(frozen=True)
class DrawnFacility:
    id: str
    name: str
    kind: str  # the kind's label, or "" when the registry does not know the facility


@dataclass(frozen=True)
class DrawnRegion:
    region_id: str
    name: str
    facilities: list[DrawnFacility]


def group_views(ctx: SiteContext, round_: SupervisionRound) -> list[GroupView]:
    due = report_due(round_)
    views = []
    for number, group in enumerate(round_.groups, start=1):
        status, days = report_status(due, group.report_submitted_on)
        views.append(
            GroupView(
                number,
                group,
                ctx.people.get(group.leader),
                ctx.people.get(group.secretary) if group.secretary else None,
                [ctx.regions[r] for r in group.regions if r in ctx.regions],
                due,
                status,
                days,
            )
        )
    return views


def drawn_regions(ctx: SiteContext, round_: SupervisionRound, facilities: dict[str, Facility]) -> list[DrawnRegion]:
    """The recorded draw, district by district in the regions' order, with facility names and kinds."""
    if round_.draw is None:
        return []
    order = {region.id: index for index, region in enumerate(ctx.dataset.regions)}
    result = []
    for entry in sorted(round_.draw.result, key=lambda e: (order.get(e.region, len(order)), e.region)):
        region = ctx.regions.get(entry.region)
        items = []
        for facility_id in entry.facilities:
            facility = facilities.get(facility_id)
            if facility is None:
                items.append(DrawnFacility(facility_id, facility_id, ""))
            else:
                items.append(DrawnFacility(facility.id, facility.name, kind_label(facility.kind)))
        result.append(DrawnRegion(entry.region, region.name if region else entry.region, items))
    return result


@dataclass(frozen=True)
class RoundRow:
    """One round's line on the index."""

    round: SupervisionRound
    period: str
    regions: int
    submitted: int


def _round_page(ctx: SiteContext, round_: SupervisionRound, facilities: dict[str, Facility]) -> Page:
    page = Page(round_path(round_.id), round_.name)
    region_term = ctx.dataset.programme.region_term
    page.body = ctx.render(
        "supervision/round.md.j2",
        page,
        t=t,
        round=round_,
        period=period_text(round_.start, round_.end),
        due=report_due(round_),
        due_is_default=round_.report_due is None,
        report_to=[unit_name(ctx, unit) for unit in round_.report_to],
        sampling=sampling_text(round_.sampling, region_term),
        groups=group_views(ctx, round_),
        drawn=drawn_regions(ctx, round_, facilities),
        draw_command=sample_command(round_.id),
        check_command=sample_command(round_.id, round_.draw.seed) if round_.draw else "",
        region_term=region_term,
        responsible=t("responsible_regions").format(term=region_term),
        report_days=REPORT_DAYS,
        chinese_number=chinese_number,
    )
    return page


def pages(ctx: SiteContext) -> list[Page]:
    """supervision/index.md and supervision/<round_id>.md for every round (latest first on the index); without
    a round the index is out of the navigation."""
    rounds = sorted(ctx.dataset.supervision, key=lambda r: (r.start, r.id), reverse=True)
    facilities = {f.id: f for f in ctx.dataset.facilities}
    # no round recorded: the page says what will appear, and stays out of the navigation
    index = Page(INDEX, t("supervision_rounds"), nav=bool(rounds))
    rows = [
        RoundRow(
            r,
            period_text(r.start, r.end),
            len({region for group in r.groups for region in group.regions}),
            sum(1 for group in r.groups if group.report_submitted_on is not None),
        )
        for r in rounds
    ]
    index.body = ctx.render(
        "supervision/index.md.j2",
        index,
        t=t,
        rows=rows,
        round_path=round_path,
        region_term=ctx.dataset.programme.region_term,
    )
    return [index, *(_round_page(ctx, r, facilities) for r in rounds)]
