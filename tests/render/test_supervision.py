"""Supervision pages on real data: the zaozhuang plan with its recorded draw, and rounds built by hand
on the valid fixture for the due dates, the empty states and the payloads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from site_builder.core.documents import (
    ContentSection,
    Draw,
    DrawnFacilities,
    SamplingRule,
    SupervisionGroup,
    SupervisionRound,
)
from site_builder.model import Facility
from site_builder.render import supervision
from site_builder.render.base import Page
from site_builder.render.context import SiteContext
from tests.render.helpers import FOLDERS, as_html, assert_inert, context, known_targets, resolve

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"


def pages_of(ctx: SiteContext) -> dict[str, Page]:
    return {page.path: page for page in supervision.pages(ctx)}


def with_rounds(
    ctx: SiteContext, *rounds: SupervisionRound, facilities: tuple[Facility, ...] | None = None
) -> SiteContext:
    dataset = dataclasses.replace(
        ctx.dataset,
        supervision=rounds,
        facilities=ctx.dataset.facilities if facilities is None else facilities,
    )
    return SiteContext(dataset, ctx.results)


def test_report_due_defaults_to_a_week_after_the_end() -> None:
    group = SupervisionGroup("g1", "zhao", ["east"])
    plain = SupervisionRound("r", "督导", dt.date(2011, 3, 20), dt.date(2011, 3, 31), [group])
    assert supervision.report_due(plain) == dt.date(2011, 4, 7)
    own = dataclasses.replace(plain, report_due=dt.date(2011, 4, 2))
    assert supervision.report_due(own) == dt.date(2011, 4, 2)
    due = dt.date(2011, 4, 7)
    assert supervision.report_status(due, None) == ("not_submitted", 0)
    assert supervision.report_status(due, due) == ("on_time", 0)
    assert supervision.report_status(due, dt.date(2011, 4, 9)) == ("late", 2)


def test_sampling_rule_in_words() -> None:
    ctx = context("zaozhuang")
    (round_,) = ctx.dataset.supervision
    text = supervision.sampling_text(round_.sampling, ctx.dataset.programme.region_term)
    assert text == "每个区（市）随机抽取社区卫生服务机构、乡镇卫生院 2–3 所，村卫生室 2 个。"
    assert supervision.sampling_text([], "区") == ""


def test_zaozhuang_round_shows_the_plan_and_the_draw() -> None:
    ctx = context("zaozhuang")
    (round_,) = ctx.dataset.supervision
    pages = pages_of(ctx)
    assert set(pages) == {"supervision/index.md", f"supervision/{round_.id}.md"}
    body = pages[f"supervision/{round_.id}.md"].body
    assert body.startswith(f"# {round_.name}\n")
    for method in ("召开座谈会", "实地检查", "填写调查表"):
        assert method in body
    assert "### （一）基层医疗卫生机构综合改革情况\n" in body
    assert "<li>公益性的管理体制</li>" in body
    assert "《全市卫生系统深化医改调研督导工作调查表》" in body
    assert "局人事科、局医改办" in body
    groups = body.split("## 督导分组")[1].split("</table>")[0]
    assert re.search(r'<th scope="row">第2组</th>\s*<td><a href="../../people/qian_jiwei/">钱继伟</a></td>', groups)
    assert '<a href="../../people/gu_xinfang/">古新芳</a>' in groups
    assert '<a href="../../regions/yicheng/">峄城区</a>、<a href="../../regions/taierzhuang/">台儿庄区</a>' in groups
    assert round_.draw is not None
    facilities = {f.id: f for f in ctx.dataset.facilities}
    drawn = body.split("## 随机抽查")[1].split("## 督导报告")[0]
    kinds = {
        "township_hospital": "乡镇卫生院",
        "community_health_centre": "社区卫生服务机构",
        "village_clinic": "村卫生室",
    }
    for entry in round_.draw.result:
        row = drawn.split(f'<a href="../../regions/{entry.region}/">')[1].split("</tr>")[0]
        for facility_id in entry.facilities:
            facility = facilities[facility_id]
            assert f'{facility.name}<span class="facility-kind">（{kinds[facility.kind]}）</span>' in row
    assert f"<code>{round_.draw.seed}</code>" in drawn
    assert f"bulletin sample {round_.id} --seed {round_.draw.seed} --check" in drawn
    assert "尚未抽样" not in body


def test_zaozhuang_reports_due_submitted_late_and_missing() -> None:
    ctx = context("zaozhuang")
    (round_,) = ctx.dataset.supervision
    body = pages_of(ctx)[f"supervision/{round_.id}.md"].body
    reports = body.split("## 督导报告")[1]
    due = supervision.report_due(round_)
    for number, group in enumerate(round_.groups, start=1):
        row = reports.split(f'<th scope="row">第{number}组</th>')[1].split("</tr>")[0]
        assert f"<td>{due}</td>" in row
        status, days = supervision.report_status(due, group.report_submitted_on)
        expected = {"on_time": "按时", "late": f"迟报（{days}天）", "not_submitted": "未报送"}[status]
        assert f'<span class="report-status report-{status}">{expected}</span>' in row
        for finding in group.findings:
            assert f"<li><p>{finding}</p></li>" in reports.split(f"### 第{number}组")[1]


def test_a_hand_built_round_without_a_draw_or_a_due_date() -> None:
    ctx = context("fixture")
    groups = [
        SupervisionGroup("g1", "zhao", ["east", "hill"], "qian", dt.date(2011, 4, 9), ["药品配送不及时。"]),
        SupervisionGroup("g2", "sun", ["west"]),
    ]
    round_ = SupervisionRound(
        "2011-spring",
        "春季督导",
        dt.date(2011, 3, 20),
        dt.date(2011, 3, 31),
        groups,
        sampling=[SamplingRule(["township_hospital"], 1, 1)],
    )
    pages = pages_of(with_rounds(ctx, round_))
    body = pages["supervision/2011-spring.md"].body
    assert "<dt>报告截止日期</dt><dd>2011-04-07<span" in body
    assert "督导结束后 7 天内" in body
    assert "迟报（2天）" in body
    assert "未报送" in body
    assert "尚未抽样" in body
    assert "<pre><code>bulletin sample 2011-spring --seed 种子</code></pre>" in body
    assert "--check" not in body
    assert "每个区县随机抽取乡镇卫生院 1 所。" in body
    assert "## 督导内容\n\n<p>无</p>" in body
    index = pages["supervision/index.md"].body
    assert '<a href="2011-spring/">春季督导</a>' in index
    assert "尚未抽样" in index
    assert "已报送 1 / 2" in index


def test_a_hand_built_draw_names_its_facilities() -> None:
    ctx = context("fixture")
    facilities = (
        Facility("f1", "east", "东区甲卫生院", "township_hospital", ""),
        Facility("f2", "east", "东区乙村卫生室", "village_clinic", ""),
    )
    draw = Draw(42, "python-random-sha512-sample/1", dt.date(2011, 3, 21), [DrawnFacilities("east", ["f1", "f2"])])
    round_ = SupervisionRound(
        "r1", "督导", dt.date(2011, 3, 20), dt.date(2011, 3, 31), [SupervisionGroup("g1", "zhao", ["east"])], draw=draw
    )
    body = pages_of(with_rounds(ctx, round_, facilities=facilities))["supervision/r1.md"].body
    assert '东区甲卫生院<span class="facility-kind">（乡镇卫生院）</span>' in body
    assert '东区乙村卫生室<span class="facility-kind">（村卫生室）</span>' in body
    assert "<pre><code>bulletin sample r1 --seed 42 --check</code></pre>" in body
    assert "<dt>抽样日期</dt><dd>2011-03-21</dd>" in body


def test_no_rounds_says_so() -> None:
    pages = pages_of(with_rounds(context("fixture")))
    assert list(pages) == ["supervision/index.md"]
    assert "暂无督导安排。" in pages["supervision/index.md"].body
    assert "每轮督导结束后公布各组督导报告的报送情况" in pages["supervision/index.md"].body
    assert not pages["supervision/index.md"].nav  # nothing yet: out of the navigation


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_links_resolve(name: str) -> None:
    pages = pages_of(context(name))
    targets = known_targets(name) | {p.removesuffix(".md").removesuffix("index").strip("/") for p in pages}
    for page in pages.values():
        for href in re.findall(r'\shref="([^"]*)"', page.body):
            assert resolve(href, page.path) in targets, f"{page.path}: {href}"


def test_payloads_stay_text() -> None:
    ctx = context("fixture")
    facilities = (Facility("f1", "east", f"卫生院{SCRIPT}", "township_hospital", IMAGE),)
    draw = Draw(1, f"method{SCRIPT}", dt.date(2011, 3, 21), [DrawnFacilities("east", ["f1"])])
    group = SupervisionGroup("g1", "zhao", ["east"], "qian", None, [f"{SCRIPT} 问题", f"{LINK} {IMAGE}", "# heading"])
    round_ = SupervisionRound(
        f"r{IMAGE}",  # ids equal file names, so never hold a slash
        f"# 督导 {LINK}",
        dt.date(2011, 3, 20),
        dt.date(2011, 3, 31),
        [group],
        document=f"文件{IMAGE}",
        methods=[SCRIPT],
        content=[ContentSection(f"标题{SCRIPT}", [IMAGE, LINK])],
        forms=[f"表{SCRIPT}"],
        sampling=[SamplingRule([f"kind{SCRIPT}"], 1, 2)],
        draw=draw,
    )
    for page in supervision.pages(with_rounds(ctx, round_, facilities=facilities)):
        assert_inert(page.body, page.path)
        assert_inert(as_html(page.body), f"{page.path} (as HTML)")
    body = supervision.pages(with_rounds(ctx, round_, facilities=facilities))[1].body
    assert body.splitlines()[0] == r"# \# 督导 \[x\]\(javascript:alert\(1\)\)"
    assert "卫生院&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<li><p>&lt;script&gt;alert(1)&lt;/script&gt; 问题</p></li>" in body
