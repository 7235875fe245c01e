"""The rankings page: bump chart, rank history table, and the year-to-date or year-end standings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from site_builder.render import rankings
from tests.conftest import VALID
from tests.render.helpers import FOLDERS, assert_chart, assert_links, context, context_of, edit_csv


@pytest.mark.parametrize("name", FOLDERS)
def test_bump_chart_and_rank_table(name: str) -> None:
    ctx = context(name)
    [page] = rankings.pages(ctx)
    assert page.path == "rankings.md"
    assert page.body.startswith("# 排名变化\n")
    assert_links(page, ctx)
    [chart] = page.charts
    assert_chart(chart)
    traces = chart.figure["data"]
    assert chart.figure["layout"]["yaxis"]["autorange"] == "reversed"
    assert len(traces) == len(chart.rows) == len(ctx.dataset.regions)
    short_names = {r.short_name for r in ctx.dataset.regions}
    assert {trace["name"] for trace in traces} == short_names
    standings = ctx.results.standings
    for trace, row in zip(traces, chart.rows, strict=True):
        assert len(trace["x"]) == len(trace["y"]) == len(ctx.months) == len(row) - 1
        region = next(r for r in ctx.dataset.regions if r.short_name == trace["name"])
        expected = standings.filter(pl.col("region_id") == region.id).sort("month")["rank"].to_list()
        assert trace["y"] == expected
        assert row[0] == region.name
    # the visible table: one row per district, one cell per month
    table = page.body.split('<div class="rank-history">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", table)
    assert len(rows) == len(ctx.dataset.regions)
    assert all(row.count("<td") == len(ctx.months) for row in rows)


def test_year_to_date_standings_of_the_example() -> None:
    ctx = context("data")
    body = rankings.pages(ctx)[0].body
    assert "## 年度至今排名（2011年1月至2011年9月）" in body
    assert "年终排名（" not in body
    year = ctx.results.year.filter(pl.col("month") == "2011-09")
    assert body.count("<td>表彰候选</td>") == int(year["commend"].sum()) == 3
    assert body.count("<td>惩戒候选</td>") == int(year["penalize"].sum()) == 3
    first = year.sort("rank").row(0, named=True)
    assert body.index(ctx.regions[first["region_id"]].name, body.index("年度至今排名（"))


def test_year_end_after_december(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    (folder / "reports" / "2011-02").rename(folder / "reports" / "2011-12")
    package = folder / "datapackage.yaml"
    package.write_text(package.read_text(encoding="utf-8").replace("2011-02", "2011-12"), encoding="utf-8")
    for report in (folder / "reports" / "2011-12").glob("*.csv"):
        edit_csv(report, {"month": "2011-12", "submitted_on": "2011-12-25"})
        edit_csv(report, {"explanation": "年底集中推进。"}, where={"explanation": ""})
    ctx = context_of(folder)
    body = rankings.pages(ctx)[0].body
    assert "## 年终排名（2011年1月至2011年12月）" in body
    assert "这是 12 月之后的年终排名" in body
