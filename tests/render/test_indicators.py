"""Indicator pages on the real examples and the fixture; also the helpers the other render tests share."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from site_builder.pipeline import compute_folder
from site_builder.render import indicators
from site_builder.render.base import Chart, Page, page_url
from site_builder.render.bulletins import xlsx_path
from site_builder.render.context import (
    SiteContext,
    bulletin_path,
    group_path,
    indicator_path,
    person_path,
    region_path,
)
from site_builder.render.downloads import DATA_PACKAGE, tables
from tests.conftest import REPO, TODAY, VALID

FOLDERS = {"data": REPO / "data", "zaozhuang": REPO / "examples" / "zaozhuang", "fixture": VALID}
HREF = re.compile(r'href="([^"]*)"')


def context_of(folder: Path) -> SiteContext:
    computed = compute_folder(folder, TODAY)
    assert computed.results is not None, computed.validated.findings[:3]
    assert computed.dataset is not None
    return SiteContext(computed.dataset, computed.results)


@functools.cache
def context(name: str) -> SiteContext:
    """The context of a shipped example or the fixture, computed once per test session."""
    return context_of(FOLDERS[name])


def link_targets(ctx: SiteContext) -> set[str]:
    """Every docs path a generated page may link to: path-helper outputs, the family pages, downloads."""
    dataset = ctx.dataset
    targets = {"methodology.md", "downloads.md", "rankings.md", "bulletins/index.md", "indicators/index.md"}
    targets |= {region_path(r.id) for r in dataset.regions} | {person_path(p.id) for p in dataset.people}
    targets |= {indicator_path(i.id) for i in dataset.indicators} | {bulletin_path(m) for m in ctx.months}
    targets |= {group_path(g.id) for g in dataset.organization.task_groups}
    targets |= set(tables(ctx)) | {xlsx_path(m) for m in ctx.months} | {DATA_PACKAGE}
    return targets


def assert_links(page: Page, ctx: SiteContext) -> None:
    allowed = {page_url(target, page.path) for target in link_targets(ctx)}
    for href in HREF.findall(page.body):
        assert href in allowed, f"{page.path}: unexpected link {href}"


def assert_chart(chart: Chart) -> None:
    """A chart is plain JSON data (no NaN), and its table is rectangular with no empty cells."""
    json.dumps(chart.figure, allow_nan=False)
    assert chart.rows, chart.id
    for row in chart.rows:
        assert len(row) == len(chart.columns), chart.id
        assert all(cell is not None for cell in row), chart.id


def by_path(pages: list[Page]) -> dict[str, Page]:
    return {page.path: page for page in pages}


@pytest.mark.parametrize("name", FOLDERS)
def test_a_page_for_every_indicator(name: str) -> None:
    ctx = context(name)
    pages = by_path(indicators.pages(ctx))
    assert set(pages) == {"indicators/index.md"} | {indicator_path(i.id) for i in ctx.dataset.indicators}
    for indicator in ctx.dataset.indicators:
        page = pages[indicator_path(indicator.id)]
        assert page.body.startswith("# ")
        assert page.title == indicator.name
        link = page_url(indicator_path(indicator.id), "indicators/index.md")
        assert f'href="{link}"' in pages["indicators/index.md"].body
    for page in pages.values():
        assert_links(page, ctx)


@pytest.mark.parametrize("name", FOLDERS)
def test_funnel_only_for_rates_and_charts_carry_their_points(name: str) -> None:
    ctx = context(name)
    pages = by_path(indicators.pages(ctx))
    for indicator in ctx.dataset.indicators:
        charts = {chart.id: chart for chart in pages[indicator_path(indicator.id)].charts}
        funnel = charts.get(f"indicator-{indicator.id}-funnel")
        assert (funnel is not None) == (indicator.kind == "rate"), indicator.id
        trend = charts[f"indicator-{indicator.id}-trend"]
        assert_chart(trend)
        assert len(trend.rows) == len(ctx.months)
        assert all(len(trace["x"]) == len(trace["y"]) == len(ctx.months) for trace in trend.figure["data"])
        if funnel is not None:
            assert_chart(funnel)
            points = funnel.figure["data"][-1]
            assert points["mode"] == "markers+text"
            assert len(funnel.rows) == len(points["x"]) == len(points["y"]) == len(points["text"])
            assert "漏斗图位置" in pages[indicator_path(indicator.id)].body  # the flags are in the league table


def test_enrolment_page_of_the_example() -> None:
    ctx = context("data")
    page = by_path(indicators.pages(ctx))[indicator_path("ncms_enrolment")]
    body = page.body
    assert body.startswith("# 新农合参合率\n")
    for region in ctx.dataset.regions:
        assert f">{region.name}</a>" in body
    assert "全区" in body
    assert "95.1%" in body
    assert "101.9%" in body  # the city's pooled completion in 2011-09
    assert f'href="{page_url(group_path("basic_medical_insurance"), page.path)}"' in body
    assert "当年参加新农合的农牧业人口数（人）" in body  # numerator of a rate
    assert 'href="../../methodology/"' in body


def test_league_ranks_by_completion_with_ties_and_missing_last() -> None:
    ctx = context("data")
    indicator = ctx.indicators["ncms_funds"]
    rows = indicators.league(ctx, indicator, ctx.progress(month="2011-09", indicator_id="ncms_funds"))
    completions = [row["completion"] for row in rows]
    assert completions == sorted(completions, reverse=True)
    for row in rows:
        assert row["league_rank"] == 1 + sum(c > row["completion"] for c in completions)


def test_programme_without_task_groups_groups_by_lead_unit() -> None:
    ctx = context("zaozhuang")
    body = by_path(indicators.pages(ctx))["indicators/index.md"].body
    assert "## 局人事科（牵头单位）" in body
    assert "## 局医改办（牵头单位）" in body
    assert "org/" not in body


def test_helpers() -> None:
    assert [indicators.chinese_number(n) for n in (1, 10, 11, 20, 35)] == ["一", "十", "十一", "二十", "三十五"]
    assert indicators.points_text(1.234) == "高 1.23 个百分点"
    assert indicators.points_text(-0.5) == "低 0.5 个百分点"
    assert indicators.points_text(0.001) == "持平"
