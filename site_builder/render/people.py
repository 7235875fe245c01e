"""People pages: everyone with title and unit, and one page per person with roles and districts.

A person's roles come from the organization (leading group, office, task groups) and from the
supervision rounds' groups; the districts they answer for come from the assignments (联系点, 包保)
and the supervision groups, each with the district's latest rank and light.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from site_builder.compute import RankRow
from site_builder.model import Person, Region
from site_builder.render.base import Page
from site_builder.render.context import SiteContext, group_path, latest_ranks, person_path
from site_builder.render.labels import label, month_label
from site_builder.render.responsibility import (
    SECRETARY,
    Responsibility,
    kind_key,
    responsibilities,
    with_leader_page,
)

ORG_INDEX = "org/index.md"


@dataclass(frozen=True)
class Role:
    """A position in the reform organization: the body, the role in it, and its page if it has one."""

    body: str
    role: str
    link: str | None


def roles_by_person(ctx: SiteContext) -> dict[str, list[Role]]:
    """Every person's positions: leading group, office, task groups, supervision groups, in that order."""
    roles: dict[str, list[Role]] = defaultdict(list)
    organization = ctx.dataset.organization
    if organization.leading_group is not None:
        for member in organization.leading_group.members:
            roles[member.person].append(Role(organization.leading_group.name, label(member.role), ORG_INDEX))
    office = organization.office
    if office is not None and office.director:
        director = label("director") + (label("concurrent") if office.concurrent else "")
        roles[office.director].append(Role(office.name, director, ORG_INDEX))
    for group in organization.task_groups:
        for member in group.members:
            roles[member.person].append(Role(group.name, label(member.role), group_path(group.id)))
    for round_ in sorted(ctx.dataset.supervision, key=lambda r: (r.start, r.id)):
        for number, supervision_group in enumerate(round_.groups, start=1):
            body = f"{round_.name}第{number}组"
            roles[supervision_group.leader].append(Role(body, label("leader"), None))
            if supervision_group.secretary:
                roles[supervision_group.secretary].append(Role(body, SECRETARY, None))
    return dict(roles)


@dataclass(frozen=True)
class Listing:
    """One person's line on the people index."""

    person: Person
    unit: str
    roles: list[Role]


@dataclass(frozen=True)
class Charge:
    """A district a person answers for, with its latest standing."""

    duty: Responsibility
    region: Region
    standing: RankRow | None


def _unit(ctx: SiteContext, person: Person) -> str:
    if person.unit_id is None:
        return ""
    unit = ctx.units.get(person.unit_id)
    return unit.name if unit is not None else person.unit_id


def _sections(ctx: SiteContext, roles: dict[str, list[Role]]) -> list[tuple[str, list[Listing]]]:
    """The leading group in the order of its document, then everyone else in the order of people.csv."""
    leading = ctx.dataset.organization.leading_group
    first: list[str] = []
    if leading is not None:
        for member in leading.members:
            if member.person in ctx.people and member.person not in first:
                first.append(member.person)
    seen = set(first)
    rest = [p.id for p in ctx.dataset.people if p.id not in seen]

    def listing(person_id: str) -> Listing:
        person = ctx.people[person_id]
        return Listing(person, _unit(ctx, person), roles.get(person_id, []))

    sections = []
    if first:
        sections.append((label("leading_group"), [listing(p) for p in first]))
    if rest:
        sections.append(("其他人员" if first else label("people"), [listing(p) for p in rest]))
    return sections


def _charges(ctx: SiteContext, standings: dict[str, RankRow]) -> dict[str, list[Charge]]:
    charges: dict[str, list[Charge]] = defaultdict(list)
    for duty in sorted(responsibilities(ctx.dataset), key=kind_key):
        region = ctx.regions.get(duty.region_id)
        if region is not None:
            charges[duty.person_id].append(Charge(duty, region, standings.get(region.id)))
    return dict(charges)


def pages(ctx: SiteContext) -> list[Page]:
    """people/index.md and people/<id>.md for every person."""
    roles = roles_by_person(ctx)
    standings = latest_ranks(ctx)
    charges = _charges(ctx, standings)
    latest = month_label(ctx.latest)
    leaders = with_leader_page(ctx.dataset)
    index = Page("people/index.md", label("people"))
    index.body = ctx.render("people/index.md.j2", index, sections=_sections(ctx, roles))
    result = [index]
    for person in ctx.dataset.people:
        page = Page(person_path(person.id), person.name)
        page.body = ctx.render(
            "people/person.md.j2",
            page,
            person=person,
            unit=_unit(ctx, person),
            roles=roles.get(person.id, []),
            charges=charges.get(person.id, []),
            latest_label=latest,
            region_term=ctx.dataset.programme.region_term,
            leader_page=person.id in leaders,
        )
        result.append(page)
    return result
