"""The reporting-status page (报送情况): every district × month against the deadline, and per month which
indicators each district reported, which were not due or not applicable, and when."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.render import home, reporting
from site_builder.render.base import Page
from site_builder.render.context import SiteContext
from tests.conftest import DUE_AND_NA, all_quarterly
from tests.render.helpers import FOLDERS, assert_links, context, context_of


def _rows(body: str, caption: str) -> dict[str, str]:
    """The body rows of the table whose caption is `caption`, by their district's name."""
    table = body.split(f"<caption>{caption}</caption>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<tr[^>]*><th scope="row"><a href="[^"]*">([^<]*)</a></th>(.*?)</tr>', table)
    return dict(rows)


@pytest.mark.parametrize("name", FOLDERS)
def test_every_district_and_month_is_on_the_page(name: str) -> None:
    ctx = context(name)
    page = reporting.pages(ctx)[0]
    assert page.path == "reporting.md"
    assert page.body.startswith("# 报送情况\n")
    assert_links(page, ctx)
    term = ctx.dataset.programme.region_term
    summary = _rows(page.body, f"{ctx.year}年各{term}逐月报送情况")
    assert list(summary) == [r.name for r in ctx.dataset.regions]
    assert all(cells.count("<td") == len(ctx.months) for cells in summary.values())
    for month in ctx.months:
        label = f"{int(month[:4])}年{int(month[5:7])}月"
        assert f"## {label} {{ #m{month} }}" in page.body
        detail = _rows(page.body, f"{label}各{term}报送明细")
        assert list(detail) == [r.name for r in ctx.dataset.regions]
        # status, date, reported count, then one cell per indicator
        assert all(cells.count("<td") == 3 + len(ctx.dataset.indicators) for cells in detail.values())
    # newest month first below the summary
    headings = re.findall(r"^## .* \{ #m(\d{4}-\d{2}) \}$", page.body, re.MULTILINE)
    assert headings == list(reversed(ctx.months))
    assert "入库日期</th>" not in page.body  # the examples are read without their history


def test_late_and_on_time_against_the_deadline() -> None:
    ctx = context("fixture")  # deadline day 30; hill filed February's report on 2011-03-02
    body = reporting.pages(ctx)[0].body
    assert "报送要求：每月 30 日前报送当月累计进度。" in body
    summary = _rows(body, "2011年各区县逐月报送情况")
    name = ctx.regions["hill"].name
    hill = summary[name]
    assert 'title="报送日期 2011-01-25">按时</td>' in hill
    assert 'title="报送日期 2011-03-02">迟2天</td>' in hill
    detail = _rows(body, "2011年2月各区县报送明细")
    row = detail[name]
    assert '<td class="filing">迟报 2 天</td><td class="num">2011-03-02</td><td class="num">3/3</td>' in row
    assert "截止日期 2011-02-28：按时 2 个，迟报 1 个，未报 0 个。" in body


def test_not_due_and_not_applicable_cells_are_told_apart(tmp_path: Path) -> None:
    ctx = context_of(DUE_AND_NA)  # screening quarterly (not due in January), east has no pilot
    body = reporting.pages(ctx)[0].body
    detail = _rows(body, "2011年1月各区县报送明细")
    east = detail[ctx.regions["east"].name]
    assert '<td class="num">2/2</td>' in east  # participation and cost growth owed and reported
    assert '<td class="rc cell-not_due" title="筛查人数：未到报送期">–</td>' in east
    assert '<td class="rc cell-not_applicable" title="试点进度：不适用">／</td>' in east
    assert '<td class="rc cell-reported">✓</td>' in east  # a plain 已报, on the district's date: no title
    # a month in which nothing is due from anyone
    quarterly = context_of(all_quarterly(tmp_path / "data"))
    months = reporting.months(quarterly)
    assert all(f.status == "not_due" and f.standing == "无需报送" for m in months for f in m.filings)
    assert "无需报送" in reporting.pages(quarterly)[0].body


def test_first_seen_dates_get_their_own_column() -> None:
    ctx = context("fixture")
    region = ctx.dataset.regions[0]
    seen = {("2011-02", region.id): "2011-03-01"}
    months = reporting.months(ctx, seen)
    assert [f.first_seen for f in months[1].filings] == ["2011-03-01", None, None]
    page = reporting._page(ctx, Page(reporting.PATH, "报送情况"), first_seen=seen)
    assert '<th scope="col">入库日期</th>' in page.body
    assert '<td class="num">2011-03-01</td>' in page.body


def test_linked_from_the_home_page() -> None:
    ctx: SiteContext = context("data")
    [page] = home.pages(ctx)
    assert 'href="reporting/">报送情况</a>' in page.body
