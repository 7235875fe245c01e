"""People pages on real data: the index in leading-group order, each person's roles and districts."""

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
def test_a_page_for_every_person(name: str) -> None:
    ctx = context(name)
    pages = pages_under(name, "people/")
    assert set(pages) == {"people/index.md"} | {f"people/{p.id}.md" for p in ctx.dataset.people}
    index = pages["people/index.md"].body
    for person in ctx.dataset.people:
        assert pages[f"people/{person.id}.md"].title == person.name
        assert f'<a href="{person.id}/">{person.name}</a>' in index


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_links_resolve(name: str) -> None:
    assert_links_resolve(name, pages_under(name, "people/"))


def test_index_lists_the_leading_group_first_in_document_order() -> None:
    ctx = context("data")
    index = pages_under("data", "people/")["people/index.md"].body
    order = re.findall(r'<th scope="row"><a href="([a-z_]+)/">', index)
    leading = ctx.dataset.organization.leading_group
    assert leading is not None
    members = [m.person for m in leading.members]
    assert order[: len(members)] == members
    assert set(order[len(members) :]) == {"gui_hanlin", "yan_haijun"}  # task group deputies only
    assert index.index("## 领导小组") < index.index("## 其他人员")
    assert "<td>市卫生局局长</td>" in index


def test_zaozhuang_index_has_one_section() -> None:
    index = pages_under("zaozhuang", "people/")["people/index.md"].body
    assert "## 人员" in index
    assert "## 领导小组" not in index
    assert "基层医疗卫生机构综合改革专题调研督导第1组秘书" in index  # 胡忠华


def test_person_roles_and_districts() -> None:
    body = pages_under("data", "people/")["people/tian_xiaochuan.md"].body
    assert "<dt>职务</dt><dd>市卫生局局长</dd>" in body
    assert '<a href="../../org/">深化医药卫生体制改革工作领导小组</a>组长' in body
    districts = body.split("## 负责的旗市区")[1]
    assert districts.index("满洲里市") < districts.index("陈巴尔虎旗")
    assert districts.count("<td>联系点</td>") == 2
    assert "附件二" in districts
    assert "2010-07-01" in districts
    assert districts.count('class="light light-') == 2
    director = pages_under("data", "people/")["people/xie_fulin.md"].body
    assert '<a href="../../org/">领导小组办公室</a>主任（兼）' in director
    deputy = pages_under("data", "people/")["people/gui_hanlin.md"].body
    assert '<a href="../../org/basic_medical_insurance/">基本医疗保障制度建设工作推进组</a>副组长' in deputy


def test_person_latest_rank() -> None:
    ctx = context("zaozhuang")
    latest = ctx.latest
    assert latest is not None
    rank = next(r.rank for r in ctx.rankings[latest] if r.region_id == "tengzhou")
    body = pages_under("zaozhuang", "people/")["people/zhang_linggang.md"].body
    row = body.split('regions/tengzhou/">滕州市</a></th>')[1].split("</tr>")[0]
    assert "<td>包保</td>" in row
    assert f"<td>{rank}</td>" in row
    assert "督导组长" in body
    secretary = pages_under("zaozhuang", "people/")["people/hu_zhonghua.md"].body
    assert "<dd>—</dd>" in secretary  # no title, no unit in the source
    assert "督导秘书" in secretary


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    return injected_pages(tmp_path_factory)


def test_payloads_stay_text(injected: dict[str, Page]) -> None:
    for path in ("people/index.md", "people/zhao.md", "people/qian.md"):
        assert_inert(as_html(injected[path].body), path)
    zhao = injected["people/zhao.md"].body
    assert zhao.splitlines()[0] == r"# 赵一&lt;script&gt;alert\(1\)&lt;/script&gt;"
    assert "局长&lt;img src=x onerror=alert(1)&gt;" in zhao
    qian = injected["people/qian.md"].body
    assert "<dd>*emph* [x](javascript:alert(1))</dd>" in qian
    assert "<dt>单位</dt><dd>市卫生局</dd>" in qian
