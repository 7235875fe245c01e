"""Leader pages (render/leaders.py) and the early warning on the district, indicator and bulletin pages, on
both examples and the fixture: a page for every person with 联系点 or 包保 districts, their districts'
lights and ranks as computed, what is red or flagged and since when, linked from people and liaison."""

from __future__ import annotations

import re

import polars as pl
import pytest

from site_builder.render import bulletins, indicators, leaders, liaison, people, regions
from site_builder.render.base import Page, page_url
from site_builder.render.context import SiteContext, latest_ranks, leader_path
from site_builder.render.early_warning import WORDS
from tests.render.helpers import FOLDERS, as_html, assert_inert, context, link_targets


def _pages(ctx: SiteContext) -> dict[str, Page]:
    return {page.path: page for page in leaders.pages(ctx)}


def _leader_ids(ctx: SiteContext) -> list[str]:
    chosen = {a.person_id for a in ctx.dataset.assignments if a.kind in ("liaison", "contract")}
    return [p.id for p in ctx.dataset.people if p.id in chosen]


def _key_block(body: str) -> str:
    return body[body.index('<section class="leader-key"') : body.index("</section>")]


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_a_leader_page_for_every_person_with_liaison_or_contract_districts(name: str) -> None:
    ctx = context(name)
    pages = _pages(ctx)
    ids = _leader_ids(ctx)
    assert ids, "every example has leaders"
    assert set(pages) == {"leaders/index.md"} | {leader_path(p) for p in ids}
    index = pages["leaders/index.md"].body
    assert re.findall(r'<th scope="row"><a href="([a-z_]+)/">', index) == ids
    for page in pages.values():
        assert_inert(as_html(page.body), page.path)


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_the_key_block_shows_each_district_s_light_rank_red_and_warnings(name: str) -> None:
    ctx = context(name)
    pages = _pages(ctx)
    standings = latest_ranks(ctx)
    ranked = sum(1 for row in standings.values() if row.rank is not None)
    latest = ctx.latest
    assert latest is not None
    progress = ctx.results.progress.filter(pl.col("month") == latest)
    forecast = ctx.results.forecast.filter(pl.col("month") == latest)
    for person_id in _leader_ids(ctx):
        block = _key_block(pages[leader_path(person_id)].body)
        districts = [
            a.region_id
            for a in ctx.dataset.assignments
            if a.person_id == person_id and a.kind in ("liaison", "contract")
        ]
        rows = re.findall(r'<tr><th scope="row"><a href="\.\./\.\./regions/([a-z_]+)/".*?</tr>', block)
        assert sorted(rows) == sorted(set(districts))
        for region_id in set(districts):
            row = re.search(rf'regions/{region_id}/".*?</tr>', block)
            assert row is not None
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0))
            standing = standings[region_id]
            assert f"light-{standing.light}" in cells[0]
            assert cells[1] == (f"{standing.rank}/{ranked}" if standing.rank is not None else "—")
            red = progress.filter((pl.col("region_id") == region_id) & (pl.col("light") == "red")).height
            warned = forecast.filter((pl.col("region_id") == region_id) & (pl.col("forecast") == "warning")).height
            assert cells[2:4] == [str(red), str(warned)]
        for line in ("红灯和预警", "说明", "未报", "例会", "督导"):
            assert f"<strong>{line}</strong>" in block


def test_what_is_red_is_listed_with_the_month_its_run_of_red_began() -> None:
    ctx = context("data")
    latest = ctx.latest
    assert latest is not None
    progress = ctx.results.progress
    found = 0
    for person_id in _leader_ids(ctx):
        body = _pages(ctx)[leader_path(person_id)].body
        for item in re.findall(
            r"<li><strong><a href=\"\.\./\.\./regions/([a-z_]+)/\">.*?indicators/([a-z_]+)/.*?</li>", body
        ):
            region_id, indicator_id = item
            line = re.search(
                rf"regions/{region_id}/\">[^<]*</a> · <a href=\"\.\./\.\./indicators/{indicator_id}/.*?</li>", body
            )
            assert line is not None
            lights = dict(
                progress.filter((pl.col("region_id") == region_id) & (pl.col("indicator_id") == indicator_id))
                .select("month", "light")
                .iter_rows()
            )
            if lights[latest] != "red":
                continue
            first = latest
            for month in reversed(ctx.months):
                if lights[month] != "red":
                    break
                first = month
            assert f"红灯</span></span>（自{int(first[:4])}年{int(first[5:7])}月起）" in line.group(0)
            found += 1
    assert found > 0


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_people_and_liaison_pages_link_each_leader_page(name: str) -> None:
    ctx = context(name)
    persons = {page.path: page.body for page in people.pages(ctx)}
    matrix = liaison.pages(ctx)[0]
    for person_id in _leader_ids(ctx):
        target = leader_path(person_id)
        assert f'href="{page_url(target, f"people/{person_id}.md")}"' in persons[f"people/{person_id}.md"]
        assert f'href="{page_url(target, matrix.path)}"' in matrix.body
    others = [p.id for p in ctx.dataset.people if p.id not in _leader_ids(ctx)]
    for person_id in others:
        assert "leaders/" not in persons[f"people/{person_id}.md"]


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_leader_pages_link_only_to_pages_that_exist(name: str) -> None:
    ctx = context(name)
    targets = link_targets(ctx) | {"meetings.md", "leaders/index.md"}
    targets |= {f"supervision/{r.id}.md" for r in ctx.dataset.supervision}
    for page in _pages(ctx).values():
        allowed = {page_url(target, page.path) for target in targets}
        ids = set(re.findall(r"\{ ?#([\w-]+) ?\}", page.body))
        for href in re.findall(r'href="([^"]*)"', page.body):
            target, _, fragment = href.partition("#")
            assert (target in allowed) if target else (fragment in ids), f"{page.path}: {href}"


def _flagged(ctx: SiteContext, month: str, status: str) -> pl.DataFrame:
    return ctx.results.forecast.filter((pl.col("month") == month) & (pl.col("forecast") == status))


@pytest.mark.parametrize("name", ["data", "zaozhuang"])
def test_district_and_indicator_pages_list_their_warnings(name: str) -> None:
    ctx = context(name)
    latest = ctx.latest
    assert latest is not None
    warned = _flagged(ctx, latest, "warning")
    assert not warned.is_empty()
    district_pages = {page.path: page.body for page in regions.pages(ctx)}
    indicator_pages = {page.path: page.body for page in indicators.pages(ctx)}
    for region in ctx.dataset.regions:
        body = district_pages[f"regions/{region.id}.md"]
        listed = re.findall(rf'{WORDS["warning"]}</span> <a href="\.\./\.\./indicators/([a-z_]+)/"', body)
        assert listed == warned.filter(pl.col("region_id") == region.id)["indicator_id"].to_list()
    for indicator in ctx.dataset.indicators:
        body = indicator_pages[f"indicators/{indicator.id}.md"]
        listed = re.findall(rf'{WORDS["warning"]}</span> <a href="\.\./\.\./regions/([a-z_]+)/"', body)
        assert listed == warned.filter(pl.col("indicator_id") == indicator.id)["region_id"].to_list()


def test_each_bulletin_lists_the_warnings_as_of_its_own_month() -> None:
    ctx = context("zaozhuang")
    pages = {page.path: page.body for page in bulletins.pages(ctx)}
    for month in ctx.months:
        body = pages[f"bulletins/{month}.md"]
        section = body[body.index("### （五）年末预警") : body.index("## 五、")]
        issued = ctx.as_issued(month)
        warned = _flagged(issued, month, "warning")
        listed = re.findall(r'<a href="\.\./\.\./indicators/([a-z_]+)/">', section)
        assert len(listed) == warned.height, month
        assert sorted(listed) == sorted(warned["indicator_id"].to_list())
