"""Each status of a district × indicator cell as readers see it, on a small programme with a quarterly
indicator, a not-applicable cell, a lower-is-better level without a city figure (tests/fixtures/due_and_na)
and two months added here: March, when the quarterly indicator is due, and April, when it is carried."""

from __future__ import annotations

import functools
import io
import shutil
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from site_builder.files.descriptor import set_report_paths
from site_builder.render import bulletins, downloads, indicators, organization, rank, regions
from site_builder.render.base import Page
from site_builder.render.bulletin_record import xlsx_path
from site_builder.render.context import SiteContext
from tests.conftest import FIXTURES
from tests.render.helpers import assert_links, by_path, context, context_of

DUE_AND_NA = FIXTURES / "due_and_na"
HEADER = "month,region_id,indicator_id,value,numerator,denominator,submitted_on,corrected_on,explanation"
# (region, indicator) -> the figures of March and April; screening is quarterly: none in April
FIGURES = {
    "2011-03": {
        "east": ["participation,,97,100", "screening,320,,", "cost_growth,4,,"],
        "west": ["participation,,96,100", "screening,310,,", "pilot,2,,", "cost_growth,4.5,,"],
        "hill": ["participation,,95,100", "screening,330,,", "pilot,2,,", "cost_growth,-2.5,,"],
    },
    "2011-04": {
        "east": ["participation,,98,100", "cost_growth,3.9,,"],
        "west": ["participation,,97,100", "pilot,2,,", "cost_growth,4.4,,"],
        "hill": ["participation,,96,100", "pilot,2,,", "cost_growth,-2.6,,"],
    },
}


def with_two_months(target: Path) -> Path:
    """The fixture with March and April reported (April without the quarterly indicator)."""
    shutil.copytree(DUE_AND_NA, target)
    added = []
    for month, by_region in FIGURES.items():
        for region, lines in by_region.items():
            path = f"reports/{month}/{region}.csv"
            rows = [f"{month},{region},{line},{month}-25,," for line in lines]
            (target / path).parent.mkdir(exist_ok=True)
            (target / path).write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
            added.append(path)
    descriptor = target / "datapackage.yaml"
    listed = sorted({*(str(p.relative_to(target)) for p in (target / "reports").glob("*/*.csv")), *added})
    descriptor.write_text(set_report_paths(descriptor.read_text(encoding="utf-8"), listed), encoding="utf-8")
    return target


@functools.cache
def _context(folder: str) -> SiteContext:
    return context_of(with_two_months(Path(folder) / "data"))


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> SiteContext:
    return _context(str(tmp_path_factory.mktemp("statuses")))


@pytest.fixture(scope="module")
def pages(ctx: SiteContext) -> dict[str, Page]:
    found = [*bulletins.pages(ctx), *regions.pages(ctx), *indicators.pages(ctx), *organization.pages(ctx)]
    return by_path(found)


def _row(body: str, start: str) -> str:
    """The table row of `body` that starts with the cell `start` (a district's or indicator's name)."""
    return next(line for line in body.splitlines() if start in line and line.startswith("<tr"))


def test_the_statuses_are_computed_as_the_fixture_means(ctx: SiteContext) -> None:
    progress = ctx.results.progress
    status = {(r["month"], r["region_id"], r["indicator_id"]): r["status"] for r in progress.iter_rows(named=True)}
    assert status[("2011-02", "east", "pilot")] == "not_applicable"
    assert status[("2011-02", "west", "screening")] == "not_due"
    assert status[("2011-02", "west", "pilot")] == "missing"
    assert status[("2011-03", "west", "screening")] == "reported"
    assert status[("2011-04", "west", "screening")] == "carried"


def test_a_bulletin_shows_not_applicable_not_due_and_no_city_figure(ctx: SiteContext, pages: dict[str, Page]) -> None:
    body = pages["bulletins/2011-02.md"].body
    assert_links(pages["bulletins/2011-02.md"], ctx)
    group = body.split("### （一）", 1)[1].split("###", 1)[0]
    east = _row(group, ">东区</a></th>")
    assert '<span class="status-na status-not_applicable">不适用</span>' in east
    assert '<span class="light-chip light-na" title="3 试点进度：不适用">－</span>' in east
    assert "达标程度 " in east  # the lower-is-better level's completion
    west = _row(group, ">西区</a></th>")
    assert '<span class="light-chip light-grey" title="3 试点进度：未报数值">灰</span>' in west  # missing stays grey
    city = _row(group, "bulletin-city")
    assert '—<span class="city-none">不汇总</span>' in city
    screening = body.split("### （二）", 1)[1].split("##", 1)[0]
    assert screening.count('未到报送期</span> <span class="light-chip light-na"') == 3
    overview = _row(body, ">筛查人数</a></th><td>人</td>")
    assert "light-na" in overview
    assert "未到报送期" in overview
    assert '<td class="num">0</td>' not in overview
    assert "“不适用”为该地区没有此项任务" in body
    ranking = _row(body, '>东区</a></th><td class="num">')
    assert 'title="2 筛查人数：未到报送期">－' in ranking
    assert 'title="3 试点进度：不适用">－' in ranking


def test_a_carried_figure_is_marked_with_its_month(ctx: SiteContext, pages: dict[str, Page]) -> None:
    body = pages["bulletins/2011-04.md"].body
    screening = body.split("### （二）", 1)[1].split("##", 1)[0]
    west = _row(screening, ">西区</a></th>")
    assert '<sup class="carried-mark" title="本月不是报送月，沿用3月数据">沿用3月</sup>' in west
    assert "light-yellow" in west  # 310 of 1200 against April's expected 1/3: the light is April's
    assert "标有“沿用X月”的数字" in body
    overview = _row(body, ">筛查人数</a></th><td>人</td>")
    assert "（沿用3）" in overview  # three districts carried
    region = pages["regions/west.md"].body  # the latest month, April
    assert '310人<sup class="carried-mark"' in region
    league = _row(pages["indicators/screening.md"].body.split("## 各地区排名", 1)[1], ">西区</a></th>")
    assert '310人<sup class="carried-mark"' in league


def test_a_district_page_shows_not_applicable_apart_from_missing(pages: dict[str, Page]) -> None:
    body = pages["regions/east.md"].body
    table = body.split("## 各指标进展", 1)[1].split("</table>", 1)[0]
    pilot = table.split(">试点进度</a></th>", 1)[1].split("</tr>", 1)[0]
    assert '<span class="status-na status-not_applicable">不适用</span>' in pilot
    assert '<span class="light light-na" title="不适用">' in pilot
    assert "value-missing" not in pilot
    assert "未报" not in pilot
    cost = table.split(">门诊费用增长率</a></th>", 1)[1].split("</tr>", 1)[0]
    assert "3.9%" in cost
    assert "达标程度 " in cost
    hill = pages["regions/hill.md"].body
    assert "-2.6%" in hill  # a level keeps its sign and unit


def test_an_indicator_page_names_its_figures_by_kind_and_direction(pages: dict[str, Page]) -> None:
    cost = pages["indicators/cost_growth.md"].body
    assert '<th scope="col">本期值</th>' in cost
    assert '<th scope="col">达标程度</th>' in cost
    assert "累计完成" not in cost.split("## 各地区排名", 1)[1].split("</table>", 1)[0]
    assert '—<span class="city-none">不汇总</span>' in cost
    pilot = _row(pages["indicators/pilot.md"].body, ">东区</a></th>")
    assert "不适用" in pilot
    assert "light-na" in pilot
    index = pages["indicators/index.md"].body
    assert '—<span class="city-none">不汇总</span>' in _row(index, ">门诊费用增长率</a></th>")


def test_a_task_group_page_shows_statuses(pages: dict[str, Page]) -> None:
    body = pages["org/insurance.md"].body
    east = body.split(">东区</a></th>", 1)[1].split("</tr>", 1)[0]
    assert '<span class="light light-na" title="不适用">' in east


def test_downloads_carry_the_status(ctx: SiteContext) -> None:
    tables = downloads.tables(ctx)
    progress = tables["downloads/progress-2011.csv"]
    assert {"cell_status", "carried_from"} <= set(progress.columns)
    carried = progress.filter(pl.col("cell_status") == "carried")
    assert set(carried["indicator_id"]) == {"screening"}
    assert set(carried["carried_from"]) == {"2011-03"}
    assert set(progress.filter(pl.col("cell_status") == "not_applicable")["region_id"]) == {"east"}
    text = downloads.csv_bytes(progress).decode("utf-8-sig")
    assert "not_due" in text
    city = tables["downloads/city-2011.csv"]
    assert city.filter(pl.col("indicator_id") == "cost_growth")["city_rule"].to_list() == ["none"] * 4
    book = load_workbook(io.BytesIO(downloads.files(ctx)[xlsx_path("2011-04")]))
    sheet = book["各指标完成情况"]
    header = [c.value for c in sheet[1]]
    assert header[5] == "完成率（越低越好的指标为达标程度）"
    assert header[8] == "状态"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    west = next(r for r in rows if r[:2] == ["西区", "筛查人数"])
    assert west[8] == "本月不是报送月，沿用3月数据"
    east = next(r for r in rows if r[:2] == ["东区", "试点进度"])
    assert (east[7], east[8]) == ("—", "不适用")
    city_row = next(r for r in rows if r[:2] == ["全市", "门诊费用增长率"])
    assert city_row[7] == "不汇总"
    page = downloads.pages(ctx)[0].body
    assert "cell_status" in page
    assert "<code>level</code> 水平值" in page


def test_bulletin_rank_marks_cells_without_a_light(ctx: SiteContext) -> None:
    text = rank.as_text(ctx.dataset, "2011-02", ctx.rankings["2011-02"])
    east = next(line for line in text.splitlines() if "东区" in line)
    assert "绿－－绿" in east


def test_a_programme_without_such_cells_keeps_its_download_columns() -> None:
    tables = downloads.tables(context("fixture"))
    assert list(tables["downloads/progress-2011.csv"].columns) == downloads.PROGRESS_COLUMNS
    assert list(tables["downloads/city-2011.csv"].columns) == downloads.CITY_COLUMNS
