"""Bulletin pages: one per month, laid out like the official 通报, and safe with hostile data."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from site_builder.commands.publish import publish_bulletin
from site_builder.render import bulletins, downloads, indicators, rankings
from site_builder.render.context import bulletin_path, region_path
from tests.conftest import REPO, VALID
from tests.render.helpers import FOLDERS, as_html, assert_inert, assert_links, by_path, context, context_of, edit_csv

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
PAYLOAD = f"{SCRIPT} {IMAGE} {LINK}"


def ranking_names(body: str) -> list[str]:
    """The district names of the 综合排名 table, in order."""
    section = body.split("## 二、综合排名", 1)[1].split("## 三、", 1)[0]
    return re.findall(r'<tr(?: class="[^"]*")?><td class="num">[^<]*</td><th scope="row"><a [^>]*>([^<]*)</a>', section)


@pytest.mark.parametrize("name", FOLDERS)
def test_a_page_for_every_month_and_an_archive(name: str) -> None:
    ctx = context(name)
    pages = bulletins.pages(ctx)
    assert [p.path for p in pages] == ["bulletins/index.md"] + [bulletin_path(m) for m in reversed(ctx.months)]
    archive = pages[0].body
    positions = [archive.index(f'href="{m}/"') for m in reversed(ctx.months)]
    assert positions == sorted(positions)  # newest first
    for page in pages:
        assert page.body.startswith("# ")
        assert_links(page, ctx)
    for page in pages[1:]:
        month = page.path.removeprefix("bulletins/").removesuffix(".md")
        assert ranking_names(page.body) == [row.name for row in ctx.rankings[month]]
        for heading in (
            "## 一、总体情况",
            "## 二、综合排名",
            "## 三、分组情况",
            "## 四、先进与后进",
            "## 五、报送情况",
        ):
            assert heading in page.body
        assert page.body.index("抄送") > page.body.index("## 五、报送情况")


def test_september_bulletin_of_the_example() -> None:
    ctx = context("data")
    body = by_path(bulletins.pages(ctx))["bulletins/2011-09.md"].body
    assert body.startswith("# 呼伦贝尔市深化医药卫生体制改革工作进展情况通报（2011年第9期）\n")
    assert "2011年第9期" in body
    assert "印发日期：2011年10月8日" in body  # published by scripts/simulate.py's replay of the year
    assert "草稿" not in body
    assert "数据截止：2011年9月30日" in body
    assert ranking_names(body)[0] == "满洲里市"  # as `bulletin rank 2011-09`
    assert "抄送：</span>各旗市区党委、政府主要负责同志。" in body
    assert "模拟数据" in body
    assert "与全区对比" in body
    leaders, laggards = body.split("### （一）进度较快的旗市区", 1)[1].split("### （二）", 1)
    assert "满洲里市" in leaders
    assert "额尔古纳市" in leaders
    assert "海拉尔区" in leaders
    bottom = [row for row in ctx.rankings["2011-09"] if row.bottom]
    assert len(bottom) == 3
    for row in bottom:
        assert f'href="../../{region_path(row.region_id).removesuffix(".md")}/">{row.name}</a></strong>' in laggards
    explanation = ctx.progress(month="2011-09", region_id=bottom[0].region_id, light="red")["explanation"][0]
    assert explanation in laggards
    summoned = body.split("### （三）建议列席例会", 1)[1].split("###", 1)[0]
    assert all(row.name in summoned for row in ctx.rankings["2011-09"] if row.summoned)
    assert "排名区间" in body
    assert 'href="../../methodology/"' in body


def test_late_reports_are_listed_with_days_late() -> None:
    body = by_path(bulletins.pages(context("fixture")))["bulletins/2011-02.md"].body
    late = body.split("## 五、报送情况", 1)[1]
    assert "迟报1个" in late
    assert "山县" in late
    assert '<td class="num">2</td>' in late


def test_zaozhuang_groups_by_lead_unit() -> None:
    body = by_path(bulletins.pages(context("zaozhuang")))["bulletins/2011-09.md"].body
    assert "### （一）局人事科（牵头单位）" in body
    assert "抄送：</span>各区（市）党委、政府主要负责同志。" in body


def test_the_corrected_august_bulletin_of_the_example_is_shown_as_issued() -> None:
    ctx = context("data")
    body = by_path(bulletins.pages(ctx))["bulletins/2011-08.md"].body
    issued, errata = body.split("{#errata}", 1)
    assert "本期印发后有1条更正" in issued
    assert re.search(r'title="reports/2011-08/zhalantun.csv 第8行，2011-08-26报送">([0-9.]+%)</a>', issued)
    assert "扎兰屯市8月农村无害化卫生厕所建设数累计由396座更正为453座" in errata
    assert re.search(r"扎兰屯市</th><td>农村无害化卫生厕所建设数</td><td>完成数</td><td[^>]*><del>396 座</del>", errata)
    assert "<ins>453 座</ins>" in errata
    assert "bulletins/2011-08/erratum-1/reports/2011-08/zhalantun.csv" in issued  # the source as sealed
    corrected_now = ctx.progress(month="2011-08", region_id="zhalantun", indicator_id="sanitary_toilets")
    assert corrected_now["actual"][0] == 453  # everywhere else, the corrected figure


def test_a_bulletin_file_sets_title_number_dates_text_cc_and_errata(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    (folder / "bulletins").mkdir()
    record = folder / "bulletins" / "2011-02.yaml"
    record.write_text(
        "month: 2011-02\n"
        "title: 测试市医改工作通报（第二期）\n"
        "cutoff: 2011-03-01\n"
        "text: |\n  请各区县**高度重视**。\n\n  - 加快筛查进度\n"
        "cc: [市政府办公室, 各区县卫生局]\n",
        encoding="utf-8",
    )
    publish_bulletin(folder, "2011-02", dt.date(2011, 3, 5))
    with record.open("a", encoding="utf-8") as text:  # a correction of the text only: no data file changed
        text.write(
            "errata:\n  - {date: 2011-03-10, description: 更正山县筛查人数, reason: 录入错误, approved_by: 王主任}\n"
        )
    publish_bulletin(folder, "2011-02", dt.date(2011, 3, 11), erratum=True)
    ctx = context_of(folder)
    pages = by_path(bulletins.pages(ctx))
    body = pages["bulletins/2011-02.md"].body
    assert body.startswith("# 测试市医改工作通报（第二期）\n")
    assert "2011年第1期" in body
    assert "印发日期：2011年3月5日" in body
    assert "数据截止：2011年3月1日" in body
    assert "<strong>高度重视</strong>" in body
    assert "<li>加快筛查进度</li>" in body
    assert "市政府办公室，各区县卫生局。" in body
    assert "更正山县筛查人数" in body
    assert "bulletin-draft" not in body
    assert "封存日期：</strong>2011年3月11日" in body
    assert "本条更正未改变本期通报中的数字" in body
    assert "第1期" in pages["bulletins/index.md"].body
    assert "已发布" in pages["bulletins/index.md"].body
    default = pages["bulletins/2011-01.md"].body  # a draft has no number until `bulletin publish` gives it one
    assert default.startswith("# 测试市测试项目工作进展情况通报（2011年1月，草稿）\n")
    assert '<p class="bulletin-number">2011年草稿</p>' in default
    assert "bulletin-draft" in default
    assert pages["bulletins/2011-01.md"].title == "2011年1月（草稿）"
    assert pages["bulletins/2011-02.md"].title == "2011年2月（第1期）"
    archive = pages["bulletins/index.md"].body
    assert "第2期" not in archive  # not numbered after the published one (issue 13)
    assert (
        '<tr><td class="num">—</td><th scope="row"><a href="2011-01/">测试市测试项目工作进展情况通报（2011年1月，草稿）'
        in archive
    )
    assert "第2期" not in "".join(page.body for page in pages.values())


def test_print_rules() -> None:
    css = (REPO / "site_builder" / "assets" / "css" / "bulletins.css").read_text(encoding="utf-8")
    printing = css.split("@media print", 1)[1]
    assert "size: A4" in printing
    assert re.search(r"tr[^{]*\{[^}]*break-inside: avoid", printing)
    assert re.search(r"h2[^{]*\{[^}]*break-after: avoid", printing)


def test_hostile_text_is_shown_as_text_on_every_page(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(VALID, folder)
    edit_csv(folder / "indicators.csv", {"name": "{old}" + PAYLOAD, "description": PAYLOAD})
    edit_csv(folder / "regions.csv", {"name": "{old}" + IMAGE})
    for report in (folder / "reports").rglob("*.csv"):
        edit_csv(report, {"explanation": PAYLOAD})
    ctx = context_of(folder)
    pages = [*indicators.pages(ctx), *bulletins.pages(ctx), *rankings.pages(ctx), *downloads.pages(ctx)]
    for page in pages:  # in the Markdown body and in the HTML it becomes
        assert_inert(page.body, page.path)
        assert_inert(as_html(page.body), page.path)
    shown = "&lt;script&gt;alert(1)&lt;/script&gt;"
    bodies = by_path(pages)
    assert shown in bodies["indicators/participation.md"].body  # name in tables, description as narrative
    assert shown in bodies["bulletins/2011-02.md"].body  # explanations of the bottom district
    assert "&lt;img src=x onerror=alert(1)&gt;" in bodies["rankings.md"].body  # region names
    heading = bodies["indicators/participation.md"].body.splitlines()[0]
    assert heading.startswith("# 参合率&lt;script&gt;")
    assert "\\[x\\]\\(javascript" in heading
