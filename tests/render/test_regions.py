"""District pages on real data: both examples and the valid fixture, plus an injected copy."""

from __future__ import annotations

import json
import re

import pytest

from site_builder.render import regions
from site_builder.render.base import Page
from site_builder.render.charts_regions import month_axis, shared_range
from tests.render.helpers import (
    FOLDERS,
    as_html,
    assert_inert,
    assert_links_resolve,
    context,
    injected_pages,
    pages_under,
)


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    return injected_pages(tmp_path_factory)


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_a_page_for_every_region(name: str) -> None:
    ctx = context(name)
    pages = pages_under(name, "regions/")
    assert set(pages) == {"regions/index.md"} | {f"regions/{r.id}.md" for r in ctx.dataset.regions}
    index = pages["regions/index.md"].body
    for region in ctx.dataset.regions:
        page = pages[f"regions/{region.id}.md"]
        assert page.title == region.name
        assert page.body.startswith("# ")
        assert f'href="{region.id}/">{region.name}</a>' in index


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_links_resolve(name: str) -> None:
    assert_links_resolve(name, pages_under(name, "regions/"))


def test_manzhouli_lists_its_liaison_leader() -> None:
    body = pages_under("data", "regions/")["regions/manzhouli.md"].body
    leaders = body.split('<dl class="region-leaders">')[1].split("</dl>")[0]
    assert re.search(r"<dt>联系点</dt>\s*<dd><a href=\"../../people/tian_xiaochuan/\">田晓川</a>", leaders)
    assert "市卫生局局长" in leaders


def test_zaozhuang_shows_contract_and_supervision_leaders() -> None:
    body = pages_under("zaozhuang", "regions/")["regions/yicheng.md"].body
    assert "<dt>包保</dt>" in body
    assert "钱继伟" in body
    assert "<dt>督导组长</dt>" in body
    assert "古新芳" in body


def test_region_page_shows_explanations_missing_values_and_timeliness() -> None:
    body = pages_under("fixture", "regions/")["regions/west.md"].body
    for text in ("筛查车检修，已租用替代车辆。", "试点方案待市里批复，数值下月补报。", "受春节影响，筛查推迟到下月。"):
        assert f"<p>{text}</p>" in body
    explanations = body.split("## 说明")[1]
    assert explanations.index("2011年2月") < explanations.index("2011年1月")  # latest month first
    latest = body.split("## 各指标进展")[1].split("</table>")[0]
    pilot = latest.split("indicators/pilot/")[1].split("</tr>")[0]
    assert '<span class="value-missing">未报</span>' in pilot  # never imputed
    assert "light-grey" in pilot
    hill = pages_under("fixture", "regions/")["regions/hill.md"].body
    assert "compliance-late" in hill.split("## 报送情况")[1]


def test_region_summary_shows_latest_standing() -> None:
    ctx = context("data")
    latest = ctx.latest
    assert latest is not None
    for row in ctx.rankings[latest]:
        body = pages_under("data", "regions/")[f"regions/{row.region_id}.md"].body
        summary = body.split('<dl class="region-summary">')[1].split("</dl>")[0]
        assert f"<strong>{row.rank}</strong> / 13" in summary
        assert f"light-{row.light}" in summary
        assert f"{row.red_streak}个月" in summary


def test_charts_carry_their_numbers() -> None:
    ctx = context("data")
    ids: set[str] = set()
    for path, page in pages_under("data", "regions/").items():
        if path == "regions/index.md":
            assert page.charts == []
            continue
        region_id = path.removeprefix("regions/").removesuffix(".md")
        assert [c.id for c in page.charts] == [f"region-{region_id}-progress", f"region-{region_id}-rank"]
        progress, rank = page.charts
        assert len(progress.rows) == len(ctx.dataset.indicators) * len(ctx.months)
        assert len(rank.rows) == len(ctx.months)
        assert rank.figure["layout"]["yaxis"]["range"][0] > rank.figure["layout"]["yaxis"]["range"][1]  # 1 on top
        assert len(progress.figure["data"]) == 2 * len(ctx.dataset.indicators)
        json.dumps(progress.figure)  # plain data
        ids.update(c.id for c in page.charts)
    assert len(ids) == 2 * len(ctx.dataset.regions)


def test_small_multiples_share_one_scale_and_month_ticks() -> None:
    ctx = context("data")
    progress, rank = pages_under("data", "regions/")["regions/genhe.md"].charts
    layout = progress.figure["layout"]
    y_axes = [v for k, v in layout.items() if k.startswith("yaxis")]
    x_axes = [v for k, v in layout.items() if k.startswith("xaxis")]
    assert len(y_axes) == len(x_axes) == len(ctx.dataset.indicators)
    plotted = [y for trace in progress.figure["data"] for y in trace["y"] if y is not None]
    ranges = {tuple(axis["range"]) for axis in y_axes}
    assert len(ranges) == 1  # one scale for every panel
    low, high = ranges.pop()
    assert low <= min(plotted)
    assert max(plotted) < high
    assert high % 10 == 0
    ticks = [f"{m}月" for m in range(1, 10)]
    for axis in [*x_axes, rank.figure["layout"]["xaxis"]]:
        assert axis["ticktext"] == ticks
        assert axis["tickvals"] == [f"2011年{m}月" for m in range(1, 10)]
    assert progress.figure["data"][0]["x"] == [f"2011年{m}月" for m in range(1, 10)]
    assert layout["meta"] == {"panels": len(ctx.dataset.indicators), "panel_height": 220}


def test_month_axis_names_the_year_where_it_changes() -> None:
    values, axis = month_axis(["2011-11", "2011-12", "2012-01", "2012-02"])
    assert values == ["2011年11月", "2011年12月", "2012年1月", "2012年2月"]
    assert axis["ticktext"] == ["11月", "12月", "2012年1月", "2月"]
    assert axis["tickvals"] == values
    assert shared_range([12.0, None, 96.0]) == [0, 110]
    assert shared_range([12.0, 131.2]) == [0, 140]
    assert shared_range([None]) is None


def test_a_missing_value_is_a_gap_not_a_number() -> None:
    page = pages_under("data", "regions/")["regions/genhe.md"]
    progress = page.charts[0]
    records = [row for row in progress.rows if row[0] == "居民健康档案规范化建档率" and row[1] == "2011年5月"]
    assert records == [["居民健康档案规范化建档率", "2011年5月", "—", "82.5%", "未报数值"]]
    trace = next(t for t in progress.figure["data"] if t["hovertemplate"].startswith("居民健康档案"))
    assert trace["y"][4] is None


def test_rendering_is_reproducible() -> None:
    first = {p.path: p.body for p in regions.pages(context("fixture"))}
    second = {p.path: p.body for p in regions.pages(context("fixture"))}
    assert first == second


def test_payloads_stay_text(injected: dict[str, Page]) -> None:
    for path, page in injected.items():
        assert_inert(page.body, path)
        assert_inert(as_html(page.body), f"{path} (as HTML)")
        for chart in page.charts:
            figure = json.dumps(chart.figure, ensure_ascii=False)
            assert "<script" not in figure, chart.id
            assert "<img" not in figure, chart.id
    west = injected["regions/west.md"].body
    assert west.splitlines()[0] == r"# \# heading 西区 \*emph\* \[x\]\(javascript:alert\(1\)\)"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;筛查车检修" in west  # an explanation
    assert "<em>emph</em> <a>x</a> &lt;img src=x onerror=alert(1)&gt;" in west  # narrative: emphasis kept, link dropped
    assert '<td class="explanation">heading 受春节影响</td>' in west  # a heading is outside the safe subset: text
    index = injected["regions/index.md"].body
    assert "东区&lt;img src=x onerror=alert(1)&gt;" in index
    assert "# heading 西区 *emph* [x](javascript:alert(1))" in index
    heading = as_html(injected["people/qian.md"].body).splitlines()[0]
    assert re.fullmatch(r'<h1 id="[^"]*"># heading 钱二 \{: onclick=alert\(1\)\}</h1>', heading)  # no attribute added
