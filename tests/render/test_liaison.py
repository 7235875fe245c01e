"""The liaison page on real data: the matrix is complete, the tile map places every district, the
SVG map appears only with boundaries and a map entry, and nothing from the data becomes markup."""

from __future__ import annotations

import colorsys
import dataclasses
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from site_builder.core.documents import GeoMap
from site_builder.model import Dataset
from site_builder.render import liaison
from site_builder.render.base import Page
from site_builder.render.context import SiteContext
from site_builder.render.labels import label
from site_builder.render.responsibility import responsibilities
from tests.conftest import REPO
from tests.render.helpers import FOLDERS, as_html, assert_inert, context, known_targets, resolve, square

SCRIPT = "<script>alert(1)</script>"


def page_of(ctx: SiteContext) -> Page:
    pages = liaison.pages(ctx)
    assert [p.path for p in pages] == ["liaison.md"]
    return pages[0]


class _Table(HTMLParser):
    """The first table's rows: each cell as (tag, text, hrefs)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[tuple[str, str, list[str]]]] = []
        self.cell: tuple[str, list[str], list[str]] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "tr":
            self.rows.append([])
        elif tag in ("th", "td"):
            self.cell = (tag, [], [])
        elif tag == "a" and self.cell is not None:
            self.cell[2].append(dict(attrs).get("href") or "")
        elif tag == "br" and self.cell is not None:
            self.cell[1].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.done:
            return
        if tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append((self.cell[0], "".join(self.cell[1]), self.cell[2]))
            self.cell = None
        elif tag == "table":
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.done:
            self.cell[1].append(data)


def matrix(body: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    """(column region ids, person id → region id → cell text) of the page's matrix."""
    parser = _Table()
    parser.feed(body.split('<div class="liaison-matrix">')[1])
    head, *rows = parser.rows
    assert head[0][0] == "th"
    columns = [re.sub(r"^\.\./regions/([^/]+)/$", r"\1", cell[2][0]) for cell in head[1:]]
    cells: dict[str, dict[str, str]] = {}
    for row in rows:
        assert row[0][0] == "th"
        assert all(cell[0] == "td" for cell in row[1:])
        person = re.sub(r"^\.\./people/([^/]+)/$", r"\1", row[0][2][0])
        cells[person] = {region: cell[1] for region, cell in zip(columns, row[1:], strict=True)}
    return columns, cells


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_every_assignment_is_a_cell_of_its_kind(name: str) -> None:
    ctx = context(name)
    columns, cells = matrix(page_of(ctx).body)
    assert columns == [r.id for r in ctx.dataset.regions]
    for assignment in ctx.dataset.assignments:
        text = cells[assignment.person_id][assignment.region_id]
        assert label(assignment.kind) in text
        assert assignment.start.isoformat() in text
    for duty in responsibilities(ctx.dataset):
        assert duty.kind_label in cells[duty.person_id][duty.region_id]
    involved = {d.person_id for d in responsibilities(ctx.dataset)}
    assert set(cells) == involved
    for person_id, row in cells.items():  # a cell is empty exactly when the person has no duty there
        for region_id, text in row.items():
            has = any(d.person_id == person_id and d.region_id == region_id for d in responsibilities(ctx.dataset))
            assert (text != "—") == has, (person_id, region_id, text)


def test_hulunbuir_has_all_13_districts_as_columns() -> None:
    body = page_of(context("data")).body
    columns, cells = matrix(body)
    assert len(columns) == 13
    head = body.split("<thead>")[1].split("</thead>")[0]
    for region in context("data").dataset.regions:
        assert f'title="{region.name}">{region.short_name}</a></th>' in head
    assert cells["tian_xiaochuan"]["manzhouli"] == "联系点2010-07-01起"
    assert '<th scope="col">' in head
    assert '<th scope="row">' in body
    assert "<caption>" in body


def test_zaozhuang_shows_contract_leaders_and_supervision() -> None:
    ctx = context("zaozhuang")
    _, cells = matrix(page_of(ctx).body)
    leaders = ["zhang_linggang", "qian_jiwei", "ren_yichun", "shen_xiangsheng", "zhang_zhiming"]
    assert list(cells)[:5] == leaders  # the order of the leading group
    contracted = {(a.person_id, a.region_id) for a in ctx.dataset.assignments if a.kind == "contract"}
    assert {p for p, _ in contracted} == set(leaders)
    for person_id, region_id in contracted:
        assert "包保" in cells[person_id][region_id]
        assert "督导组长" in cells[person_id][region_id]  # the same leader heads the supervision group
    assert "督导秘书" in cells["gu_xinfang"]["yicheng"]
    assert "2011-07-25—2011-07-31" in cells["gu_xinfang"]["taierzhuang"]


TILE = re.compile(
    r'<li class="tile[^"]*" style="grid-row: (\d+); grid-column: (\d+);"[^>]*>'
    r'<a class="tile-name" href="\.\./regions/([^/]+)/"[^>]*>([^<]*)</a>(.*?)</li>'
)


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_every_positioned_district_has_its_tile(name: str) -> None:
    ctx = context(name)
    body = page_of(ctx).body
    tiles = {m.group(3): m for m in TILE.finditer(body)}
    for region in ctx.dataset.regions:
        assert region.tile_row is not None
        assert region.tile_col is not None
        tile = tiles[region.id]
        assert (int(tile.group(1)), int(tile.group(2))) == (region.tile_row + 1, region.tile_col + 1)
        assert tile.group(4) == region.short_name
        leaders = {
            d.person_id for d in responsibilities(ctx.dataset) if d.region_id == region.id and d.role != "secretary"
        }
        for person_id in leaders:
            assert ctx.people[person_id].name in tile.group(5)  # the leader's name, not only a colour
        assert "light-text" in tile.group(5)
    assert "示意图（非实际地理位置）" in body
    assert "<script" not in body.lower()
    assert "plotly" not in body.lower()
    assert page_of(ctx).charts == []


def test_legend_names_every_tile_colour() -> None:
    body = page_of(context("data")).body
    legend = body.split('<ul class="tile-legend"')[1].split("</ul>")[0]
    swatches = dict(re.findall(r'tile-colour-(\d+)" aria-hidden="true"></span>([^<]+)</li>', legend))
    for match in TILE.finditer(body):
        tile = re.search(r"tile-colour-(\d+)", match.group(0))
        assert tile is not None
        first_leader = re.search(r'<span class="tile-leader">([^<]+)<', match.group(5))
        assert first_leader is not None
        assert swatches[tile.group(1)] == first_leader.group(1)


def _with(ctx: SiteContext, **changes: Any) -> SiteContext:
    return SiteContext(dataclasses.replace(ctx.dataset, **changes), ctx.results)


def test_leader_colours_are_not_traffic_light_colours() -> None:
    css = (REPO / "site_builder" / "assets" / "css" / "liaison.css").read_text(encoding="utf-8")
    colours = dict(re.findall(r"\.tile-colour-(\d+) \{ --tile-colour: #([0-9a-f]{6});", css))
    assert sorted(map(int, colours)) == list(range(liaison.PALETTE_SIZE))
    for index, hex_colour in colours.items():
        red, green, blue = (int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
        hue, _, saturation = colorsys.rgb_to_hls(red, green, blue)
        degrees = hue * 360
        # red, orange, yellow and green (0–170°, above 340°) are the lights' colours; a grey of any hue is not
        assert saturation < 0.15 or 170 < degrees < 340, (index, hex_colour, round(degrees))


def test_districts_without_a_position_are_listed_below_the_grid() -> None:
    ctx = context("fixture")
    regions = tuple(
        dataclasses.replace(r, tile_row=None, tile_col=None) if r.id == "hill" else r for r in ctx.dataset.regions
    )
    body = page_of(_with(ctx, regions=regions)).body
    assert {m.group(3) for m in TILE.finditer(body)} == {"east", "west"}
    unplaced = body.split('<ul class="tile-unplaced">')[1].split("</ul>")[0]
    assert '<a href="../regions/hill/">山县</a>' in unplaced
    assert "孙三（包保）" in unplaced


def _geo(dataset: Dataset) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "properties": {"region_id": region.id},
            "geometry": {"type": "Polygon", "coordinates": [square(120.0 + index, 49.0)]},
        }
        for index, region in enumerate(dataset.regions)
    ]
    return {"type": "FeatureCollection", "features": features}


def test_a_real_map_only_with_boundaries_and_a_map_entry() -> None:
    ctx = context("fixture")
    assert "<svg" not in page_of(ctx).body
    geo_map = GeoMap("geo/regions.geojson", "region_id", "测试测绘院", "GS（2011）1234号")
    assert "<svg" not in page_of(_with(ctx, geo=_geo(ctx.dataset))).body  # boundaries without a map entry
    programme = dataclasses.replace(ctx.dataset.programme, map=geo_map)
    page = page_of(_with(ctx, geo=_geo(ctx.dataset), programme=programme))
    svg = page.body.split("<svg")[1].split("</svg>")[0]
    assert svg.count("<path ") == 3
    for region in ctx.dataset.regions:
        assert f"<title>{region.name}：" in svg
    assert "地图来源：测试测绘院；审图号：GS（2011）1234号" in page.body
    assert "http" not in svg
    html = as_html(page.body)
    assert "<svg" in html
    assert "<path" in html


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_links_resolve(name: str) -> None:
    page = page_of(context(name))
    targets = known_targets(name)
    for href in re.findall(r'\shref="([^"]*)"', page.body):
        assert resolve(href, page.path) in targets, href


def test_payloads_stay_text() -> None:
    ctx = context("fixture")
    people = tuple(
        dataclasses.replace(p, name=p.name + SCRIPT, title="<img src=x onerror=alert(1)>") for p in ctx.dataset.people
    )
    regions = tuple(
        dataclasses.replace(r, name=r.name + SCRIPT, short_name=f"[x](javascript:alert(1)){SCRIPT}")
        for r in ctx.dataset.regions
    )
    geo_map = GeoMap("geo/regions.geojson", "region_id", f"来源{SCRIPT}", "审图号<img src=x onerror=alert(1)>")
    programme = dataclasses.replace(ctx.dataset.programme, map=geo_map, region_term=f"区{SCRIPT}")
    changed = _with(ctx, people=people, regions=regions, programme=programme, geo=_geo(ctx.dataset))
    body = page_of(changed).body
    assert_inert(body, "liaison.md")
    assert_inert(as_html(body), "liaison.md (as HTML)")
    assert "赵一&lt;script&gt;alert(1)&lt;/script&gt;" in body
