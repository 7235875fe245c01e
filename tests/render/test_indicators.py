"""Indicator pages on the real examples and the fixture."""

from __future__ import annotations

import csv
import dataclasses
import io
import math
import re

import numpy as np
import openpyxl
import polars as pl
import pytest

from site_builder.core.documents import GeoMap
from site_builder.render import indicator_downloads, indicators
from site_builder.render.base import Page, page_url
from site_builder.render.charts_indicators import count_ticks, funnel_chart
from site_builder.render.context import (
    SiteContext,
    group_path,
    indicator_path,
)
from site_builder.render.indicator_overview import points_text
from site_builder.render.labels import chinese_number, t
from tests.render.helpers import FOLDERS, assert_chart, assert_links, by_path, context, context_of, square
from tests.render.test_statuses import with_two_months


@pytest.mark.parametrize("name", FOLDERS)
def test_a_page_for_every_indicator(name: str) -> None:
    ctx = context(name)
    pages = _pages(ctx)
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
    pages = _pages(ctx)
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
    page = _page(ctx, "ncms_enrolment")
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
    body = _pages(ctx)["indicators/index.md"].body
    assert "## 局人事科（牵头单位）" in body
    assert "## 局医改办（牵头单位）" in body
    assert "org/" not in body


def test_helpers() -> None:
    assert [chinese_number(n) for n in (1, 10, 11, 20, 35)] == ["一", "十", "十一", "二十", "三十五"]
    assert points_text(1.234) == "高 1.23 个百分点"
    assert points_text(-0.5) == "低 0.5 个百分点"
    assert points_text(0.001) == "持平"


# Tabs, every month, metadata and the indicator's own downloads (issue 14, item 5)

TAB = re.compile(r'<input type="radio" name="indicator-view" id="view-(\w+)" class="tab-switch"( checked)?>')


_RENDERED: dict[int, tuple[SiteContext, dict[str, Page]]] = {}


def _pages(ctx: SiteContext) -> dict[str, Page]:
    """The indicator pages of a context by path, rendered once per context for this module (its tests only
    read them); the context is kept with them, so that its id stays its own."""
    if id(ctx) not in _RENDERED:
        _RENDERED[id(ctx)] = (ctx, by_path(indicators.pages(ctx)))
    return _RENDERED[id(ctx)][1]


def _page(ctx: SiteContext, indicator_id: str) -> Page:
    return _pages(ctx)[indicator_path(indicator_id)]


@pytest.mark.parametrize("name", FOLDERS)
def test_chart_and_table_tabs_without_script_and_every_month(name: str) -> None:
    ctx = context(name)
    for indicator in ctx.dataset.indicators:
        body = _page(ctx, indicator.id).body
        assert [(m.group(1), bool(m.group(2))) for m in TAB.finditer(body)] == [("chart", True), ("table", False)]
        for view in ("chart", "table"):
            assert f'<label for="view-{view}" class="tab-label">' in body
            assert f'<div class="tab-panel" id="panel-{view}">' in body
        assert "<script" not in body
        chart_panel = body.split('id="panel-chart">', 1)[1].split('id="panel-table">', 1)[0]
        assert f"indicator-{indicator.id}-trend.json" in chart_panel
        months = body.split('<div class="indicator-months">', 1)[1].split("</table>", 1)[0]
        header = months.split("</thead>", 1)[0]
        assert re.findall(r'<th scope="col">(\d+)月</th>', header) == [str(int(m[5:])) for m in ctx.months]
        rows = months.split("<tbody>", 1)[1].split("</tr>")[:-1]
        assert len(rows) == len(ctx.dataset.regions) + (indicator.city != "none")
        for region, row in zip(ctx.dataset.regions, rows, strict=False):
            assert f">{region.name}</a></th>" in row
            assert row.count("<td") == len(ctx.months)
        assert 'id="view-map"' not in body  # no boundaries in these programmes


@pytest.fixture(scope="module")
def statuses(tmp_path_factory: pytest.TempPathFactory) -> SiteContext:
    """The fixture with a quarterly indicator (not due, carried) and a not-applicable cell, through April."""
    return context_of(with_two_months(tmp_path_factory.mktemp("statuses") / "data"))


def test_month_table_shows_lights_carried_and_neutral_cells(statuses: SiteContext) -> None:
    ctx = statuses
    body = _page(ctx, "screening").body
    assert "<dt>报送频次</dt>\n<dd>每季度（3、6、9、12月）</dd>" in body
    months = body.split('<div class="indicator-months">', 1)[1].split("</table>", 1)[0]
    west = next(row for row in months.split("</tr>") if ">西区</a></th>" in row)
    assert "未到报送期" in west  # before the first due month
    assert '<sup class="carried-mark" title="本月不是报送月，沿用3月数据">沿用3月</sup>' in west
    assert "light-text" in west


@pytest.mark.parametrize("name", FOLDERS)
def test_metadata_source_frequency_last_update_responsible_unit_and_group(name: str) -> None:
    ctx = context(name)
    for indicator in ctx.dataset.indicators:
        card = _page(ctx, indicator.id).body.split("</dl>", 1)[0]
        rows = ctx.progress(indicator_id=indicator.id)
        latest = max(d for column in ("submitted_on", "corrected_on") for d in rows[column] if d is not None)
        assert f"<dt>最近更新</dt>\n<dd>{latest.year}年{latest.month}月{latest.day}日</dd>" in card
        assert f"<dt>报送频次</dt>\n<dd>{indicators.FREQUENCY_WORDS[indicator.frequency]}</dd>" in card
        lead = ctx.units[indicator.lead_unit_id].name
        assert f"<dd>{lead}</dd>" in card  # the responsible unit
        assert f"月报，{lead}汇总</dd>" in card  # the source
        if indicator.group_id:
            group = next(g for g in ctx.dataset.organization.task_groups if g.id == indicator.group_id)
            assert f">{group.name}</a></dd>" in card


@pytest.mark.parametrize("name", FOLDERS)
def test_every_indicator_links_its_csv_and_xlsx(name: str) -> None:
    ctx = context(name)
    files = indicators.files(ctx)
    assert set(files) == {
        f"downloads/indicators/{i.id}-{ctx.year}.{ext}" for i in ctx.dataset.indicators for ext in ("csv", "xlsx")
    }
    for indicator in ctx.dataset.indicators:
        page = _page(ctx, indicator.id)
        for path in (
            indicator_downloads.csv_path(indicator.id, ctx.year),
            indicator_downloads.xlsx_path(indicator.id, ctx.year),
        ):
            assert f'href="{page_url(path, page.path)}" download>' in page.body


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


HEADERS = ["月份", "旗市区", "累计完成（%）", "年度目标（%）", "完成率", "序时进度", "灯", "状态", "说明"]


def test_indicator_csv_has_chinese_headers_and_every_district_and_month() -> None:
    ctx = context("data")
    rows = _read_csv(indicators.files(ctx)[indicator_downloads.csv_path("ncms_enrolment", 2011)])
    assert rows[0] == HEADERS
    assert len(rows) == 1 + len(ctx.months) * len(ctx.dataset.regions)
    assert [r[0] for r in rows[1:]][:: len(ctx.dataset.regions)] == [f"2011年{int(m[5:])}月" for m in ctx.months]
    assert {r[6] for r in rows[1:]} <= {"绿灯", "黄灯", "红灯", "未报数值"}
    assert not any(re.search(r"[a-z]{3,}", cell) for row in rows for cell in row)  # no English values
    last = [r for r in rows if r[0] == "2011年9月"]
    assert [r[1] for r in last] == [region.name for region in ctx.dataset.regions]
    assert all(re.fullmatch(r"\d+\.\d\d%", r[4]) for r in last)


def _hostile(ctx: SiteContext) -> SiteContext:
    """The fixture with a formula as a district's explanation."""
    progress = ctx.results.progress.with_columns(pl.lit('=HYPERLINK("http://x.invalid","点击")').alias("explanation"))
    return SiteContext(ctx.dataset, dataclasses.replace(ctx.results, progress=progress))


def test_indicator_downloads_keep_formulas_as_text_and_are_reproducible(statuses: SiteContext) -> None:
    ctx = _hostile(statuses)
    files = indicators.files(ctx)
    assert files == indicators.files(ctx)  # the same data, the same bytes
    rows = _read_csv(files[indicator_downloads.csv_path("screening", ctx.year)])
    assert rows[0][:2] == ["月份", "区县"]
    assert {r[8] for r in rows[1:]} == {'\'=HYPERLINK("http://x.invalid","点击")'}
    words = {r[7] for r in rows[1:]}
    assert {"未到报送期", "本月不是报送月，沿用3月数据"} <= words
    assert all(r[6] == "—" for r in rows[1:] if r[7] in ("未到报送期", "不适用"))
    book = openpyxl.load_workbook(io.BytesIO(files[indicator_downloads.xlsx_path("screening", ctx.year)]))
    sheet = book["逐月完成情况"]
    assert [c.value for c in sheet[1]] == rows[0]
    assert sheet.max_row == len(rows)
    for row in sheet.iter_rows(min_row=2):
        assert row[8].data_type == "s"
        assert row[8].quotePrefix
        assert row[4].value is None or isinstance(row[4].value, float)
    assert book.properties.created is not None
    latest = indicator_downloads.last_updated(ctx, ctx.indicators["screening"])
    assert latest is not None
    assert book.properties.created.date() == latest


def test_map_tab_only_with_boundaries(statuses: SiteContext) -> None:
    ctx = statuses
    features = [
        {
            "type": "Feature",
            "properties": {"region_id": region.id},
            "geometry": {"type": "Polygon", "coordinates": [square(120.0 + index, 49.0)]},
        }
        for index, region in enumerate(ctx.dataset.regions)
    ]
    geo = {"type": "FeatureCollection", "features": features}
    programme = dataclasses.replace(
        ctx.dataset.programme, map=GeoMap("geo/regions.geojson", "region_id", "测试测绘院", "GS（2011）1234号")
    )
    mapped = SiteContext(dataclasses.replace(ctx.dataset, geo=geo, programme=programme), ctx.results)
    body = _page(mapped, "pilot").body
    assert [m.group(1) for m in TAB.finditer(body)] == ["chart", "table", "map"]
    panel = body.split('id="panel-map">', 1)[1].split("</figure>", 1)[0]
    svg = panel.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<path ") == len(ctx.dataset.regions)
    assert 'class="geo-light-na"' in svg  # a district without this task
    assert "<title>东区：不适用</title>" in svg
    assert "地图来源：测试测绘院；审图号：GS（2011）1234号" in panel
    assert_links(_page(mapped, "pilot"), mapped)
    no_entry = SiteContext(dataclasses.replace(ctx.dataset, geo=geo), ctx.results)
    assert 'id="view-map"' not in _page(no_entry, "pilot").body
