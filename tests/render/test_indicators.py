"""Indicator pages on the real examples and the fixture."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from site_builder.render import indicators
from site_builder.render.base import page_url
from site_builder.render.charts_indicators import count_ticks, funnel_chart
from site_builder.render.context import (
    group_path,
    indicator_path,
)
from site_builder.render.indicator_overview import points_text
from site_builder.render.labels import chinese_number, t
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
            assert points["mode"] == "markers"  # names in the hover label and the table: never printed over
            assert len(funnel.rows) == len(points["x"]) == len(points["y"]) == len(points["text"])
            assert all(re.fullmatch(r"[\d,]+万?", tick) for tick in funnel.figure["layout"]["xaxis"]["ticktext"])
            assert "z" not in funnel.columns
            assert "漏斗图位置" in pages[indicator_path(indicator.id)].body  # the flags are in the league table
        assert trend.figure["layout"]["xaxis"]["ticktext"] == [f"{int(m[5:])}月" for m in ctx.months]


def test_funnel_limits_widened_when_most_districts_fall_outside() -> None:
    ctx = context("data")
    chart = funnel_chart(ctx, ctx.indicators["ncms_enrolment"], "2011-09", t)
    assert chart is not None
    funnel = ctx.results.funnels[("ncms_enrolment", "2011-09")]
    z = funnel.z[~np.isnan(funnel.z)] * math.sqrt(funnel.phi)  # back to the binomial z-scores
    assert 2 * np.sum(np.abs(z) > 3) > z.size  # most districts beyond the binomial 3 SD limits …
    assert funnel.adjusted  # … so the limits are widened by √φ
    assert funnel.phi > 1
    limits = [trace for trace in chart.figure["data"] if trace.get("legendgroup") == "sd3"]
    assert all(f"φ = {funnel.phi:.2f}" in trace["name"] for trace in limits)
    assert all("已按过度离散调整" in trace["name"] for trace in chart.figure["data"][:4])
    assert "已按过度离散调整" in chart.columns[4]
    flags = [row[-1] for row in chart.rows]
    assert flags.count(t("within")) > len(flags) / 2  # the funnel now tells districts apart


def test_count_ticks() -> None:
    assert count_ticks(11_000, 270_000) == {
        "tickmode": "array",
        "tickvals": [20_000, 50_000, 100_000, 200_000],
        "ticktext": ["2万", "5万", "10万", "20万"],
    }
    assert count_ticks(800, 12_000)["ticktext"] == ["1,000", "2,000", "5,000", "1万"]
    assert count_ticks(30, 40)["tickvals"] == [30, 40]


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
