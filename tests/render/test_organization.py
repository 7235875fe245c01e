"""Organization pages on real data: the leading group chart, the office, the task groups."""

from __future__ import annotations

import re

import pytest

from site_builder.render.base import Page
from tests.render.helpers import (
    FOLDERS,
    as_html,
    assert_inert,
    assert_links_resolve,
    context,
    injected_pages,
    pages_under,
)


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_a_page_for_every_task_group(name: str) -> None:
    ctx = context(name)
    groups = ctx.dataset.organization.task_groups
    pages = pages_under(name, "org/")
    assert set(pages) == {"org/index.md"} | {f"org/{g.id}.md" for g in groups}
    index = pages["org/index.md"].body
    assert index.startswith("# 组织机构\n")
    for group in groups:
        assert pages[f"org/{group.id}.md"].title == group.name
        assert f'<a href="{group.id}/">{group.name}</a>' in index


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_links_resolve(name: str) -> None:
    assert_links_resolve(name, pages_under(name, "org/"))


def test_leading_group_chart_in_document_order() -> None:
    ctx = context("data")
    body = pages_under("data", "org/")["org/index.md"].body
    chart = body.split('<section class="org-chart"')[1].split("</section>")[0]
    assert chart.index("田晓川") < chart.index("市卫生局局长") < chart.index("孙泽成")
    assert chart.index('<h3 class="org-role">组长</h3>') < chart.index("副组长") < chart.index(">成员<")
    leading = ctx.dataset.organization.leading_group
    assert leading is not None
    names = re.findall(r'<a class="org-name" href="../people/([a-z_]+)/">', chart)
    assert names == [m.person for m in leading.members]  # roles are already in document order here
    assert len(names) == 31
    # tiers nest: the deputies' list sits inside the leader's item, the members' inside the deputies'
    assert chart.count('<ul class="org-tree">') == 3
    assert "<script" not in chart
    assert "style=" not in chart


def test_office_and_director() -> None:
    body = pages_under("data", "org/")["org/index.md"].body
    office = body.split("## 领导小组办公室")[1].split("## 专项工作推进组")[0]
    assert '<a href="../people/xie_fulin/">谢福林</a>（兼）' in office
    assert "<dd>办公室</dd>" in office  # the unit where it sits
    assert "协调各专项推进组实施改革工作" in office


def test_zaozhuang_has_no_leading_group_and_no_task_groups() -> None:
    body = pages_under("zaozhuang", "org/")["org/index.md"].body
    # what the source document says, not that the city has none
    assert "《关于建立基层医疗卫生机构综合改革包保责任制度的通知（枣卫办[2011]1号）》未载明领导小组" in body
    assert "未载明专项工作推进组" in body
    assert "本项目未设" not in body
    assert "org-chart" not in body
    assert "<dd>局医改办</dd>" in body
    assert "未载明" in body  # the source names no director


def test_task_group_page() -> None:
    ctx = context("data")
    body = pages_under("data", "org/")["org/basic_medical_insurance.md"].body
    assert re.search(r"<dt>组长</dt><dd><a href=\"../../people/sun_zecheng/\">孙泽成</a>", body)
    assert "桂罕林" in body
    assert "牧仁" in body
    assert "农卫科、规财科、医政科、中蒙医科、农合办" in body
    owned = [i for i in ctx.dataset.indicators if i.group_id == "basic_medical_insurance"]
    assert owned
    for indicator in owned:
        assert f'<a href="../../indicators/{indicator.id}/">{indicator.name}</a>' in body
    table = body.split("## 各旗市区进展")[1]
    assert table.count("<tr>") == len(ctx.dataset.regions) + 1
    assert table.count('class="light light-') == len(ctx.dataset.regions) * len(owned)


def test_task_group_missing_value_is_grey() -> None:
    body = pages_under("fixture", "org/")["org/insurance.md"].body
    row = body.split("regions/west/")[1].split("</tr>")[0]
    assert "light-grey" in row  # pilot not reported in February


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    return injected_pages(tmp_path_factory)


def test_payloads_stay_text(injected: dict[str, Page]) -> None:
    body = injected["org/index.md"].body
    assert_inert(as_html(body), "org/index.md")
    assert "医改领导小组&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "*emph* [x](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;" in body  # duties: plain text
    assert "赵一&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<dd>办公室&lt;script&gt;alert(1)&lt;/script&gt;</dd>" in body  # the unit where the office sits
    group = injected["org/insurance.md"].body
    assert group.splitlines()[0] == r"# \# heading 医疗保障推进组&lt;script&gt;alert\(1\)&lt;/script&gt;"
    assert "&lt;img src=x onerror=alert(1)&gt; # heading" in group
