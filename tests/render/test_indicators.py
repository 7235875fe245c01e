"""Indicator pages on the real examples and the fixture."""

from __future__ import annotations

import pytest

from site_builder.render import indicators
from site_builder.render.base import page_url
from site_builder.render.context import (
    group_path,
    indicator_path,
)
from site_builder.render.indicator_overview import points_text
from site_builder.render.labels import chinese_number
from tests.render.helpers import FOLDERS, assert_chart, assert_links, by_path, context


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
    assert [chinese_number(n) for n in (1, 10, 11, 20, 35)] == ["一", "十", "十一", "二十", "三十五"]
    assert points_text(1.234) == "高 1.23 个百分点"
    assert points_text(-0.5) == "低 0.5 个百分点"
    assert points_text(0.001) == "持平"
