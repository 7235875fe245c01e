"""Organization pages: the leading group as an org chart, its office, and one page per task group.

The chart is nested lists drawn by CSS (organization.css), with no script, so it prints as an
indented list and reads as one to a screen reader. A programme without a leading group, office or
task groups says so instead of drawing an empty chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from site_builder.core.documents import Member, TaskGroup
from site_builder.model import Indicator, Person
from site_builder.render.base import Page
from site_builder.render.context import SiteContext, group_path, unit_name
from site_builder.render.labels import label, month_label

ROLES = ("leader", "deputy", "member")


@dataclass(frozen=True)
class Tier:
    """The people of one role, in the order of the source document."""

    role: str
    people: list[Person]

    @property
    def heading(self) -> str:
        return label(self.role)


def tiers(ctx: SiteContext, members: list[Member]) -> list[Tier]:
    """Members grouped by role (组长, 副组长, 成员), each role in document order; empty roles left out."""
    found = []
    for role in ROLES:
        people = [ctx.people[m.person] for m in members if m.role == role and m.person in ctx.people]
        if people:
            found.append(Tier(role, people))
    return found


def owned_indicators(ctx: SiteContext, group: TaskGroup) -> list[Indicator]:
    return [i for i in ctx.dataset.indicators if i.group_id == group.id]


@dataclass(frozen=True)
class GroupRow:
    group: TaskGroup
    tiers: list[Tier]
    owned: int

    def role(self, role: str) -> list[Person]:
        return next((tier.people for tier in self.tiers if tier.role == role), [])


@dataclass(frozen=True)
class Cell:
    light: str
    completion: float | None
    missing: bool
    row: dict[str, Any]  # the progress row, for its status (cells.py)


def _standings(ctx: SiteContext, indicators: list[Indicator]) -> dict[tuple[str, str], Cell]:
    """(region, indicator) → the latest month's light and completion, for these indicators."""
    if ctx.latest is None or not indicators:
        return {}
    ids = [i.id for i in indicators]
    frame = ctx.results.progress.filter((pl.col("month") == ctx.latest) & pl.col("indicator_id").is_in(ids))
    cells = {}
    extra = [c for c in ("status", "carried_from") if c in frame.columns]
    columns = ("region_id", "indicator_id", "light", "completion", "missing", *extra)
    for row in frame.select(*columns).iter_rows(named=True):
        missing = bool(row["missing"])
        cells[(row["region_id"], row["indicator_id"])] = Cell(
            row["light"], None if missing else row["completion"], missing, row
        )
    return cells


def _group_page(ctx: SiteContext, group: TaskGroup) -> Page:
    page = Page(group_path(group.id), group.name)
    indicators = owned_indicators(ctx, group)
    page.body = ctx.render(
        "organization/group.md.j2",
        page,
        group=group,
        tiers=tiers(ctx, group.members),
        units=[unit_name(ctx, u) for u in group.units],
        indicators=indicators,
        cells=_standings(ctx, indicators),
        regions=ctx.dataset.regions,
        latest_label=month_label(ctx.latest),
        region_term=ctx.dataset.programme.region_term,
    )
    return page


def pages(ctx: SiteContext) -> list[Page]:
    """org/index.md and org/<group_id>.md for every task group."""
    organization = ctx.dataset.organization
    leading = organization.leading_group
    office = organization.office
    index = Page("org/index.md", label("organization"))
    index.body = ctx.render(
        "organization/index.md.j2",
        index,
        leading=leading,
        tiers=tiers(ctx, leading.members) if leading is not None else [],
        office=office,
        office_unit=unit_name(ctx, office.unit) if office is not None else "",
        director=ctx.people.get(office.director) if office is not None and office.director else None,
        groups=[GroupRow(g, tiers(ctx, g.members), len(owned_indicators(ctx, g))) for g in organization.task_groups],
        programme=ctx.dataset.programme,
    )
    return [index, *(_group_page(ctx, group) for group in organization.task_groups)]
