"""Meetings and year-end accountability on real data: the proposed summons are the computed ones,
a recorded list that departs from them is marked, the year standing is the latest month's, and
recorded decisions appear with their reasons."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from site_builder.commands.check import compute_folder
from site_builder.core.documents import Accountability, Meeting, RegionDecision
from site_builder.render import accountability
from site_builder.render.base import Page, number
from site_builder.render.context import SiteContext
from tests.conftest import TODAY
from tests.render.helpers import FOLDERS, as_html, assert_inert, context, known_targets, resolve

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
MARKER = "⚠ 实际列席与规则建议不一致"


def pages_of(ctx: SiteContext) -> dict[str, Page]:
    pages = {page.path: page for page in accountability.pages(ctx)}
    assert list(pages) == ["meetings.md", "accountability.md"]
    return pages


def month_block(body: str, month: str) -> str:
    heading = f"## {int(month[:4])}年{int(month[5:7])}月\n"
    return body.split(heading)[1].split("\n## ", maxsplit=1)[0]


def linked_regions(html: str) -> list[str]:
    return re.findall(r'href="\.\./regions/([^/]+)/"', html)


def with_(ctx: SiteContext, **changes: Any) -> SiteContext:
    return SiteContext(dataclasses.replace(ctx.dataset, **changes), ctx.results)


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_proposed_summons_are_the_computed_ones(name: str) -> None:
    ctx = context(name)
    assert all(page.nav for page in pages_of(ctx).values())  # both examples have data: both in the navigation
    body = pages_of(ctx)["meetings.md"].body
    standings = ctx.results.standings
    for month in ctx.months:
        expected = standings.filter((pl.col("month") == month) & pl.col("summoned")).sort("region_order")
        block = month_block(body, month)
        proposed = block.split("<dt>按规则建议列席</dt><dd>")[1].split("</dd>")[0]
        assert linked_regions(proposed) == expected["region_id"].to_list(), month


def test_hulunbuir_recorded_meetings_and_the_marker() -> None:
    ctx = context("data")
    body = pages_of(ctx)["meetings.md"].body
    july, august, september = (month_block(body, m) for m in ("2011-07", "2011-08", "2011-09"))
    assert MARKER not in july
    assert "与规则建议一致" in july
    assert MARKER in august
    assert 'class="meeting meeting-differs"' in august
    missing = august.split("建议列席但未列席：")[1]
    assert linked_regions(missing) == ["molidawa"]
    assert "召开日期 2011-09-06" in august
    assert '<a href="../people/tian_xiaochuan/">田晓川</a>' in august
    assert "<li><p>各推进组对“两癌”检查" in august
    assert MARKER not in september
    assert "尚未确定" in september
    assert "未记录例会" in month_block(body, "2011-06")
    assert body.index("## 2011年9月") < body.index("## 2011年1月")  # the latest first


def test_a_meeting_that_summons_other_districts_is_marked() -> None:
    ctx = context("zaozhuang")
    month = ctx.months[-1]
    proposed = ctx.results.standings.filter((pl.col("month") == month) & pl.col("summoned"))["region_id"].to_list()
    assert proposed
    other = next(r.id for r in ctx.dataset.regions if r.id not in proposed)
    meeting = Meeting(month, "例会", "held", dt.date(2011, 10, 8), None, [proposed[0], other], ["决定一"])
    block = month_block(pages_of(with_(ctx, meetings=(meeting,)))["meetings.md"].body, month)
    assert MARKER in block
    assert linked_regions(block.split("列席但不在建议之列：")[1]) == [other]
    assert linked_regions(block.split("建议列席但未列席：")[1].split("；")[0]) == proposed[1:]
    same = dataclasses.replace(meeting, summoned=list(reversed(proposed)))
    block = month_block(pages_of(with_(ctx, meetings=(same,)))["meetings.md"].body, month)
    assert MARKER not in block  # the same districts in another order are not a departure


def test_a_meeting_for_a_month_without_data_is_listed() -> None:
    ctx = context("fixture")
    meeting = Meeting("2011-05", "五月例会", "planned")
    body = pages_of(with_(ctx, meetings=(meeting,)))["meetings.md"].body
    block = month_block(body, "2011-05")
    assert "五月例会" in block
    assert "计划召开" in block
    assert "bulletins/2011-05" not in block  # no bulletin of that month to link


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_year_standing_is_the_latest_months(name: str) -> None:
    ctx = context(name)
    body = pages_of(ctx)["accountability.md"].body
    year = ctx.results.year.filter(pl.col("month") == ctx.months[-1])
    assert "## 年度至今排名" in body  # no example reaches December
    for row in year.iter_rows(named=True):
        line = body.split(f'<a href="../regions/{row["region_id"]}/">')[1].split("</tr>")[0]
        before = body.split(f'<a href="../regions/{row["region_id"]}/">')[0].rsplit("<tr", 1)[1]
        assert f"<td>{row['rank']}</td>" in before
        assert f"<td>{number(row['mean_score'], 3)}</td>" in line
        assert ("表彰候选" in line) == row["commend"]
        assert ("惩戒候选" in line) == row["penalize"]
    assert "尚未记录本年度的奖惩决定。" in body
    # what will appear and when: after December's reports, due on the programme's deadline day
    day = ctx.dataset.programme.reporting.deadline_day
    assert f"年终奖惩在2011年12月的月报报齐（报送截止日为2011年12月{day}日）" in body
    assert "在此公布表彰和惩戒的" in body


def test_december_deadline_follows_the_reporting_rule() -> None:
    reporting = context("fixture").dataset.programme.reporting
    this_month = dataclasses.replace(reporting, deadline_day=31, deadline_month_offset=0)
    next_month = dataclasses.replace(reporting, deadline_day=10, deadline_month_offset=1)
    assert accountability.december_due(2011, this_month) == dt.date(2011, 12, 31)
    assert accountability.december_due(2011, next_month) == dt.date(2012, 1, 10)


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_months_without_a_meeting_say_what_will_appear(name: str) -> None:
    ctx = context(name)
    body = pages_of(ctx)["meetings.md"].body
    recorded = {meeting.month for meeting in ctx.dataset.meetings}
    unrecorded = [month for month in ctx.months if month not in recorded]
    if not unrecorded:
        assert '<p class="note">' not in body
        return
    note = body.split('<p class="note">')[1].split("</p>")[0]
    if recorded:
        assert note.startswith(f"{len(unrecorded)}个月份未记录例会，")
    else:
        assert note.startswith("尚未记录例会，")  # 枣庄 records no meeting
    assert "例会召开后，在该月份下公布会议状态、召开日期、主持人、实际列席和决定事项" in note
    for month in unrecorded:
        assert "未记录例会" in month_block(body, month)


def test_year_end_when_december_is_in() -> None:
    ctx = context("fixture")
    year = ctx.results.year.with_columns(pl.lit("2011-12").alias("month"), pl.lit(True).alias("year_end"))
    results = dataclasses.replace(ctx.results, year=year)
    body = pages_of(SiteContext(ctx.dataset, results))["accountability.md"].body
    assert "## 年终排名" in body
    assert "年度至今" not in body.split("## 年终排名")[1]


def test_recorded_decisions_with_reasons() -> None:
    ctx = context("fixture")
    decision = Accountability(
        2011,
        dt.date(2012, 1, 20),
        "医改领导小组〔2012〕1号",
        commended=[RegionDecision("east", "*全年*各项指标完成较好。")],
        penalized=[RegionDecision("hill", "")],
        # another year's decision is not this programme's
    )
    other = Accountability(2010, None, "旧文件", commended=[RegionDecision("west", "旧")])
    body = pages_of(with_(ctx, accountability=(other, decision)))["accountability.md"].body
    decided = body.split("## 2011年度奖惩决定")[1]
    assert "<dt>决定日期</dt><dd>2012-01-20</dd>" in decided
    assert "医改领导小组〔2012〕1号" in decided
    assert "旧文件" not in decided
    commended = decided.split("表彰的区县</caption>")[1].split("</table>")[0]
    assert '<a href="../regions/east/">东区</a>' in commended
    assert "<p><em>全年</em>各项指标完成较好。</p>" in commended
    assert "<td>是</td>" in commended  # east is the commendation candidate
    penalized = decided.split("惩戒的区县</caption>")[1].split("</table>")[0]
    assert '<a href="../regions/hill/">山县</a>' in penalized
    assert '<span class="candidate-departure">否</span>' in penalized  # hill is not a penalty candidate


def test_empty_results_say_so() -> None:
    ctx = context("fixture")
    empty = dataclasses.replace(ctx.results, months=(), standings=pl.DataFrame(), year=pl.DataFrame())
    pages = pages_of(SiteContext(ctx.dataset, empty))
    assert "暂无月报数据。首月月报汇总后，在此按月列出按规则建议列席的" in pages["meetings.md"].body
    assert "暂无月报数据。首月月报汇总后，在此列出2011年的年度至今排名" in pages["accountability.md"].body
    assert not pages["accountability.md"].nav  # nothing to show: out of the navigation
    assert pages["meetings.md"].nav == bool(ctx.dataset.meetings)
    no_meetings = dataclasses.replace(ctx.dataset, meetings=())
    assert not pages_of(SiteContext(no_meetings, empty))["meetings.md"].nav


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_links_resolve(name: str) -> None:
    targets = known_targets(name)
    for page in pages_of(context(name)).values():
        for href in re.findall(r'\shref="([^"]*)"', page.body):
            assert resolve(href, page.path) in targets, f"{page.path}: {href}"


def test_payloads_stay_text() -> None:
    ctx = context("fixture")
    meeting = Meeting(
        "2011-02", f"例会{SCRIPT}", "held", dt.date(2011, 3, 5), "zhao", ["west"], [SCRIPT, f"{LINK} {IMAGE}"]
    )
    decision = Accountability(
        2011,
        None,
        f"文件{IMAGE}",
        commended=[RegionDecision("east", f"{LINK}{SCRIPT}")],
        penalized=[RegionDecision("nowhere", f"# heading {IMAGE}")],
    )
    people = tuple(dataclasses.replace(p, name=p.name + SCRIPT) for p in ctx.dataset.people)
    regions = tuple(dataclasses.replace(r, name=r.name + IMAGE) for r in ctx.dataset.regions)
    changed = with_(ctx, meetings=(meeting,), accountability=(decision,), people=people, regions=regions)
    for page in pages_of(changed).values():
        assert_inert(page.body, page.path)
        assert_inert(as_html(page.body), f"{page.path} (as HTML)")
    meetings = pages_of(changed)["meetings.md"].body
    assert "<li><p>&lt;script&gt;alert(1)&lt;/script&gt;</p></li>" in meetings
    assert "例会&lt;script&gt;alert(1)&lt;/script&gt;" in meetings


def test_payloads_from_yaml_files_stay_text(valid_copy: Path) -> None:
    """The same through the loader: meeting and decision files with payloads in every text field."""
    (valid_copy / "meetings").mkdir()
    (valid_copy / "meetings" / "2011-02.yaml").write_text(
        f'month: "2011-02"\ntitle: "例会{SCRIPT}"\nstatus: held\nheld_on: 2011-03-05\nchair: zhao\n'
        f'summoned: [hill]\ndecisions: ["{LINK} {IMAGE}", "# heading"]\n',
        encoding="utf-8",
    )
    (valid_copy / "accountability").mkdir()
    (valid_copy / "accountability" / "2011.yaml").write_text(
        f'year: 2011\ndocument: "文件{SCRIPT}"\ncommended:\n  - {{region: east, reason: "{IMAGE}"}}\n',
        encoding="utf-8",
    )
    computed = compute_folder(valid_copy, TODAY)
    assert computed.dataset is not None, computed.validated.findings
    assert computed.results is not None
    pages = pages_of(SiteContext(computed.dataset, computed.results))
    for page in pages.values():
        assert_inert(page.body, page.path)
        assert_inert(as_html(page.body), f"{page.path} (as HTML)")
    assert "例会&lt;script&gt;alert(1)&lt;/script&gt;" in pages["meetings.md"].body
    assert MARKER in month_block(pages["meetings.md"].body, "2011-02")
    assert "文件&lt;script&gt;alert(1)&lt;/script&gt;" in pages["accountability.md"].body
