"""The liaison page (联系与包保): who answers for which district, by kind, in three views.

1. A matrix, leaders × districts, each cell naming the kinds (联系点, 包保, 督导) with their dates:
   the accessible view, a plain table with headers on both axes.
2. A schematic tile map: an HTML/CSS grid placing every district at its `tile_row`/`tile_col`, each
   tile naming the district, its leaders and its latest light, coloured by its first leader. It is
   labelled as a schematic, never a map; districts without a position are listed below it.
3. When the programme supplies boundaries (`programme.map` and the GeoJSON), a real map drawn as
   inline SVG (geo_svg.py), coloured by the latest light, with its source and 审图号.

No script anywhere: the page prints and reads the same without one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from markupsafe import Markup

from site_builder.model import Person, Region
from site_builder.render.base import Page, page_url
from site_builder.render.context import SiteContext, latest_ranks, region_path
from site_builder.render.geo_svg import Area, svg_map
from site_builder.render.labels import month_label, period_text, t
from site_builder.render.responsibility import Responsibility, kind_key, responsibilities, with_leader_page

PATH = "liaison.md"
PALETTE_SIZE = 10  # tile colours liaison.css defines: tile-colour-0 … tile-colour-9


@dataclass(frozen=True)
class Duty:
    """One kind of responsibility in one matrix cell, with its period."""

    kind: str  # liaison | contract | supervision
    label: str  # 联系点, 包保, 督导组长, 督导秘书
    period: str


def leader_order(ctx: SiteContext, duties: list[Responsibility]) -> list[Person]:
    """People with any responsibility: the leading group, the office director and the task groups
    in the order of their documents first, then everyone else in the order of people.csv."""
    involved = {duty.person_id for duty in duties if duty.person_id in ctx.people}
    organization = ctx.dataset.organization
    known: list[str] = []
    if organization.leading_group is not None:
        known += [m.person for m in organization.leading_group.members]
    if organization.office is not None and organization.office.director:
        known.append(organization.office.director)
    for group in organization.task_groups:
        known += [m.person for m in group.members]
    known += [p.id for p in ctx.dataset.people]
    ordered: list[str] = []
    for person_id in known:
        if person_id in involved and person_id not in ordered:
            ordered.append(person_id)
    return [ctx.people[p] for p in ordered]


def matrix(ctx: SiteContext, duties: list[Responsibility]) -> dict[tuple[str, str], list[Duty]]:
    """(person, region) → the kinds of responsibility, in kind order, without repeats."""
    cells: dict[tuple[str, str], list[Duty]] = defaultdict(list)
    for item in sorted(duties, key=kind_key):
        if item.person_id not in ctx.people or item.region_id not in ctx.regions:
            continue
        duty = Duty(item.kind, item.kind_label, period_text(item.start, item.end))
        cell = cells[(item.person_id, item.region_id)]
        if duty not in cell:
            cell.append(duty)
    return dict(cells)


@dataclass(frozen=True)
class TileLeader:
    person: Person
    kinds: list[str]  # kind labels: 包保, 督导组长 …


@dataclass(frozen=True)
class Tile:
    region: Region
    leaders: list[TileLeader]  # secretaries left out: the tile names who leads
    colour: int | None  # the palette index of the first leader; None without a leader
    light: str


def tiles(ctx: SiteContext, duties: list[Responsibility], order: list[Person]) -> tuple[list[Tile], dict[str, int]]:
    """Every district's tile, and the colour of each leader who is first on some tile, numbered in
    the leader order (the matrix's rows) and repeating after PALETTE_SIZE."""
    standings = latest_ranks(ctx)
    per_region: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for item in sorted(duties, key=kind_key):
        if item.role == "secretary" or item.person_id not in ctx.people:
            continue
        kinds = per_region[item.region_id].setdefault(item.person_id, [])
        if item.kind_label not in kinds:
            kinds.append(item.kind_label)
    firsts = {next(iter(people)) for people in per_region.values() if people}
    primaries = [person.id for person in order if person.id in firsts]
    colours = {person_id: index % PALETTE_SIZE for index, person_id in enumerate(primaries)}
    result = []
    for region in ctx.dataset.regions:
        leaders = [TileLeader(ctx.people[p], kinds) for p, kinds in per_region.get(region.id, {}).items()]
        standing = standings.get(region.id)
        colour = colours.get(leaders[0].person.id) if leaders else None
        result.append(Tile(region, leaders, colour, standing.light if standing else "grey"))
    return result, colours


@dataclass(frozen=True)
class Grid:
    rows: int
    columns: int
    placed: list[tuple[int, int, Tile]]  # 1-based grid row and column, in reading order
    unplaced: list[Tile]


def grid(items: list[Tile]) -> Grid:
    """Tiles at their positions; a tile without a position, or on a position already taken, is listed
    below the grid instead."""
    taken: dict[tuple[int, int], Tile] = {}
    unplaced = []
    for tile in items:
        row, column = tile.region.tile_row, tile.region.tile_col
        if row is None or column is None or row < 0 or column < 0 or (row, column) in taken:
            unplaced.append(tile)
            continue
        taken[(row, column)] = tile
    placed = [(row + 1, column + 1, tile) for (row, column), tile in sorted(taken.items())]
    rows = max((row for row, _ in taken), default=-1) + 1
    columns = max((column for _, column in taken), default=-1) + 1
    return Grid(rows, columns, placed, unplaced)


@dataclass(frozen=True)
class GeoFigure:
    svg: Markup
    source: str
    approval_number: str


def geo_figure(ctx: SiteContext, tiles_: list[Tile], title: str) -> GeoFigure | None:
    """The real map, when the programme supplies boundaries; None otherwise."""
    geo_map, collection = ctx.dataset.programme.map, ctx.dataset.geo
    if geo_map is None or collection is None:
        return None
    areas = [
        Area(
            tile.region.id,
            tile.region.name,
            tile.region.short_name,
            page_url(region_path(tile.region.id), PATH),
            tile.light,
            t(tile.light),
        )
        for tile in tiles_
    ]
    svg = svg_map(collection, geo_map.join_key, areas, title=title)
    if not svg:
        return None
    return GeoFigure(svg, geo_map.source, geo_map.approval_number)


def pages(ctx: SiteContext) -> list[Page]:
    """liaison.md: the matrix, the schematic tile map and, when boundaries are supplied, the map."""
    page = Page(PATH, t("liaison_page"))
    duties = responsibilities(ctx.dataset)
    order = leader_order(ctx, duties)
    items, colours = tiles(ctx, duties, order)
    latest = month_label(ctx.latest)
    region_term = ctx.dataset.programme.region_term
    page.body = ctx.render(
        "liaison/liaison.md.j2",
        page,
        t=t,
        leaders=order,
        regions=ctx.dataset.regions,
        cells=matrix(ctx, duties),
        grid=grid(items),
        colours=colours,
        legend=[ctx.people[p] for p in colours],
        geo=geo_figure(ctx, items, f"各{region_term}{latest}地区灯分布图"),
        latest_label=latest,
        region_term=region_term,
        organization=ctx.dataset.programme.organization,
        lights=("green", "yellow", "red", "grey"),
        leader_pages=with_leader_page(ctx.dataset),
    )
    return [page]
