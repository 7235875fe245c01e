"""HTML blocks around Markdown (site/rawhtml.py): the page Markdown makes, byte for byte, in less time; the
search reads each block's search view (site/search.py); the built site's links and hosts in one pass."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from site_builder.site.build import NAV_LIMIT, _bounded
from site_builder.site.checks import references
from site_builder.site.rawhtml import TOKEN, drop_in, lift
from site_builder.site.search import search_view

EXTENSIONS = ["admonition", "tables", "attr_list", "md_in_html", "toc"]  # as site/build.py's mkdocs.yml

PAGES = [
    '# 海拉尔区\n\n<p class="page-lead">简称：海拉尔</p>\n\n## 责任领导\n\n'
    '<dl class="x">\n<dt>a</dt>\n<dd>b</dd>\n</dl>\n',
    "<div>a</div>\n\n<div>b</div>",
    '<div class="t">\n<div class="u">\n<table><tr><td>1</td></tr></table>\n</div>\n</div>\n\n## 年度\n\n<p>x</p>\n',
    '<div>a</div>\n\ntext with *emphasis*\n\n<section>\n<h2 id="s">s</h2>\n</section>\n\n- list\n\n<div>w</div>\n',
    # blocks one per line, as the reporting, leader and early-warning templates write them
    '<p class="note">a <a href="x/">b</a></p>\n<ul class="f">\n<li><span title="t">c</span></li>\n</ul>\n<p>d</p>\n',
    "<div>a</div>\n<div>b<div>c</div></div>\n\n## h\n\n<p>x</p>\n<table><tr><td>1</td></tr></table>\n",
    # not lifted: closed before the chunk's end, opened and closed elsewhere, a comment, markdown="1"
    "<div>a</div> tail\n\n<div>b</div>\n",
    "<div>\n\n<p>inner</p>\n\n</div>\n\n<div>after</div>\n",
    "<div><!-- c --></div>\n\n<div>x</div>\n",
    '<div markdown="1">\n*x*\n</div>\n\n<div>y</div>\n',
    "```\n<div>code</div>\n```\n\n<div>after</div>\n",
    "<span>inline</span>\n\n<div>x</div>\n",
    "<p>a</p>\n\n\n<p>b</p>\n\n\n\n## c\n",
    "<p>a</p>\ntext after a block\n\n<p>b</p>\n",
    "<p>a</p> <p>same line</p>\n\n<p>b</p>\n",
    "<p>a</p>\n  <p>indented</p>\n\n<p>b</p>\n",
    "<p>a</p>\n<!-- c -->\n\n<p>b</p>\n",
]


def _through_markdown(page: str) -> str:
    return markdown.markdown(page, extensions=EXTENSIONS)


@pytest.mark.parametrize("page", PAGES)
def test_a_page_comes_out_as_markdown_makes_it(page: str) -> None:
    text, blocks = lift(page)
    assert drop_in(_through_markdown(text), blocks) == _through_markdown(page)


def test_only_whole_blocks_before_anything_that_may_reach_further_are_lifted() -> None:
    assert len(lift(PAGES[0])[1]) == 2
    assert len(lift(PAGES[2])[1]) == 2
    assert len(lift(PAGES[4])[1]) == 1  # blocks one per line: one chunk
    assert len(lift(PAGES[5])[1]) == 2
    assert lift(PAGES[6])[1] == []  # closed before its end: Markdown reads on
    assert lift(PAGES[7])[1] == []  # opened here, closed in a later chunk: nothing after it either
    assert lift(PAGES[9])[1] == []
    for page in PAGES[-4:]:  # text, a block on the same line, an indented block or a comment after a block
        assert lift(page)[1] == []
    assert lift(f"<div>{TOKEN}1x</div>\n")[1] == []  # a page that holds the placeholder's word is left alone


def test_a_block_markdown_lost_is_an_error_not_a_silent_gap() -> None:
    text, blocks = lift(PAGES[1])
    with pytest.raises(ValueError, match="lost"):
        drop_in(_through_markdown(text.replace(f"{TOKEN}1x", "")), blocks)


def test_the_search_reads_a_blocks_text_without_its_markup_or_its_charts_data() -> None:
    block = (
        '<figure><div class="bulletin-chart"></div><figcaption>趋势</figcaption><details class="chart-data">'
        "<summary>数据表</summary><table><tr><td>4711</td></tr></table></details></figure>\n"
        '<table>\n<tr>\n<th scope="row"><a href="x/">满洲里市</a></th>\n<td>1</td>\n<td>A &amp; B</td></tr></table>'
    )
    assert search_view(block) == "<p>趋势 满洲里市 1 A &amp; B</p>"
    assert search_view('<section>\n<h2 id="s">s</h2>\n</section>') == '<section>\n<h2 id="s">s</h2>\n</section>'
    assert search_view('<details class="chart-data"><table><tr><td>1</td></tr></table></details>') == ""
    headed = '<h2 id="t">表</h2>\n<p>x</p><details class="chart-data"><p>趋势数据</p></details>'
    assert search_view(headed) == '<h2 id="t">表</h2>\n<p>x</p>'  # a block with a heading: its chart data too


def test_links_to_missing_files_and_references_to_other_hosts_are_found_in_one_pass(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">a</a><a href="./">home</a><a href="#top">t</a>')
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../">up</a><a href="../b/">b</a>\n<img src = " https://cdn.example/x.png">'
        '<a href="mailto:x@example.org">m</a><svg xmlns="http://www.w3.org/2000/svg"></svg>'
    )
    (tmp_path / "s.css").write_text("a { background: url('//cdn.example/y.png') }")
    external, broken = references(tmp_path)
    assert broken == ["a/index.html:1: ../b/"]
    assert [line.split("//")[0] for line in external] == ['a/index.html:2: src = " https:', "s.css:1: url('"]


def test_a_navigation_section_of_more_than_a_hundred_pages_lists_only_its_index() -> None:
    regions = ["regions/index.md", *({f"区{n}": f"regions/r{n}.md"} for n in range(NAV_LIMIT))]
    nav: list[object] = [
        {"首页": "index.md"},
        {"各旗市区": regions},
        {"人员": ["people/index.md", {"甲": "people/a.md"}]},
    ]
    assert _bounded(nav) == [{"首页": "index.md"}, {"各旗市区": ["regions/index.md"]}, nav[2]]
    assert _bounded([{"各旗市区": regions[:-1]}]) == [{"各旗市区": regions[:-1]}]  # a hundred entries stay
