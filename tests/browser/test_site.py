"""Every page of the built example in a real browser: offline, no errors, charts drawn, search works."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playwright.sync_api import Browser, ConsoleMessage, Page, Request
from pypdf import PdfReader

from site_builder.commands.pdf import print_pdf
from tests.browser.conftest import DRAWN, visit


def _pages(site_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(site_dir).parent.as_posix() + "/"
        for p in site_dir.rglob("index.html")
        if "assets" not in p.parts and "search" not in p.parts
    )


class Watch:
    """Collects console errors, page errors, dialogs and requests to other hosts."""

    def __init__(self, page: Page, base: str) -> None:
        self.problems: list[str] = []
        self.base = base
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", lambda dialog: self.problems.append(f"dialog: {dialog.message}"))
        page.on("request", self._request)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def _request(self, request: Request) -> None:
        if not request.url.startswith((self.base, "data:", "blob:", "about:")):
            self.problems.append(f"request to another host: {request.url}")


# What the page shows once drawn: its charts, how many are drawn or failed, how many drawn hold plotly's SVG,
# its h1 headings and the rows of its first three article tables (one round trip instead of one per count).
SHOWN = """() => ({
  charts: document.querySelectorAll('.bulletin-chart').length,
  drawn: document.querySelectorAll('.bulletin-chart[data-drawn=true]').length,
  failed: document.querySelectorAll('.bulletin-chart[data-drawn=error]').length,
  svgs: document.querySelectorAll('.bulletin-chart[data-drawn=true] .main-svg').length,
  headings: document.querySelectorAll('h1').length,
  rows: Array.from(document.querySelectorAll('article table')).slice(0, 3).map(t => t.querySelectorAll('tr').length),
})"""


def _drawn(page: Page) -> tuple[int, dict[str, Any]]:
    page.wait_for_function(DRAWN, timeout=20_000)
    shown: dict[str, Any] = page.evaluate(SHOWN)
    charts, svgs = int(shown["charts"]), int(shown["svgs"])
    assert shown["failed"] == 0
    assert shown["drawn"] == charts
    return (charts if charts == 0 else min(charts, svgs)), shown


def _wait_for_charts(page: Page) -> int:
    return _drawn(page)[0]


PEOPLE_SAMPLE = 5


def test_every_page_renders_offline_without_errors(browser: Browser, site_dir: Path, site_url: str) -> None:
    """Each page is opened with `visit` (load, then charts drawn; see its docstring for why every request
    to another host is still seen by the `Watch`), in one tab: a request a page starts late is still
    reported while the next page loads.

    Every page, except that of the people's pages (one template, no chart, no table, no script of its own:
    a third of the site) the first `PEOPLE_SAMPLE` are opened; test_payloads.py opens every person's page
    of its site, with script and HTML in their names."""
    page = browser.new_page()
    watch = Watch(page, site_url)
    charts = 0
    everything = _pages(site_dir)
    people = [path for path in everything if path.startswith("people/") and path != "people/"]
    pages = [path for path in everything if path not in people[PEOPLE_SAMPLE:]]
    assert len(people) > PEOPLE_SAMPLE
    assert len(pages) > 50
    for path in pages:
        visit(page, site_url + path)
        drawn, shown = _drawn(page)
        charts += drawn
        assert shown["headings"] != 0, path
        assert 0 not in shown["rows"], path
    page.wait_for_load_state("networkidle")  # the last page too has asked for all it asks for
    assert charts > 20
    assert watch.problems == []
    page.close()


def test_home_reaches_a_district_with_its_leaders_and_explanations_in_two_clicks(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_page()
    visit(page, site_url)
    page.get_by_role("link", name="新巴尔虎右旗").first.click()
    page.wait_for_url(re.compile(r"regions/xinbaerhu_you/"))
    text = page.locator("article").inner_text()
    assert "谢福林" in text  # its liaison leader (附件二)
    assert "说明" in text
    _wait_for_charts(page)  # drawn after Material's instant navigation
    page.close()


def _search(page: Page, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.click(force=True)
    box.type(query, delay=60)
    # Chinese characters arrive as text input without key events; Material's search starts on a
    # key event, as it does after an input method commits the text
    box.press("End")
    page.wait_for_function(  # Material's count line: "没有找到符合条件的结果" or "N 个符合条件的结果"
        "() => (document.querySelector('.md-search-result__meta') || {}).innerText?.includes('符合条件的结果')",
        timeout=15_000,
    )
    page.locator(".md-search-result__more summary").evaluate_all("(list) => list.forEach(s => s.click())")
    return [a.get_attribute("href") or "" for a in page.locator(".md-search-result__item a").all()]


def test_search_for_a_district_finds_its_page(browser: Browser, site_url: str) -> None:
    page = browser.new_page()
    visit(page, site_url)
    hrefs = _search(page, "满洲里")
    assert "regions/manzhouli/" in hrefs[0]
    page.close()


EDITORS = ("guide", "reference/", "maintainers/")


def test_the_readers_sidebar_and_search_hold_no_editors_page(browser: Browser, site_url: str) -> None:
    page = browser.new_page()
    visit(page, site_url)
    sidebar = page.locator(".md-sidebar--primary").inner_text()
    for title in ("使用说明", "数据规范", "校验问题代码", "命令", "维护说明"):
        assert title not in sidebar
    for query in ("满洲里", "数据规范", "校验"):
        visit(page, site_url)
        hrefs = _search(page, query)
        assert not [h for h in hrefs if any(part in h for part in EDITORS)], (query, hrefs[:5])
    visit(page, site_url)
    footer = page.locator("nav.editors-guide a")  # the one way to the editors' documentation
    assert footer.count() == 1
    footer.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().startswith("医改进展通报")
    assert page.locator("a[href*='guide/new-city/']").count() >= 1
    page.close()


def test_search_for_a_programme_term_finds_its_indicators(browser: Browser, site_url: str) -> None:
    page = browser.new_page()
    visit(page, site_url)
    hrefs = _search(page, "新农合")
    assert any("indicators/ncms_enrolment/" in href for href in hrefs)
    page.close()


def test_hostile_text_is_shown_not_run(browser: Browser, hostile_site: str, tmp_path: Path) -> None:
    page = browser.new_page()
    watch = Watch(page, hostile_site)
    for path in [
        "",
        "regions/east/",
        "regions/west/",
        "people/zhao/",
        "indicators/participation/",
        "org/insurance/",
        "bulletins/2011-02/",
        "regions/",
        "rankings/",
    ]:
        visit(page, hostile_site + path)
        assert page.evaluate("() => window.__xss") is None, path
        links = page.locator("a[href^='javascript:' i]").count()
        assert links == 0, path
    assert not [p for p in watch.problems if p.startswith("dialog")]
    visit(page, hostile_site + "regions/east/")
    assert "<script>window.__xss=1</script>" in page.locator("h1").inner_text()
    page.close()


def test_a_bulletin_prints_to_pdf_with_the_district_names(site_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "bulletin.pdf"
    print_pdf(site_dir, "bulletins/2011-09/", out)
    text = unicodedata.normalize("NFKC", "".join(page.extract_text() for page in PdfReader(out).pages))
    for name in ("满洲里", "新右旗", "鄂伦春旗", "抄送"):
        assert name in text


def test_a_corrected_bulletin_shows_what_was_issued_its_erratum_and_where_each_figure_came_from(
    browser: Browser, site_url: str
) -> None:
    page = browser.new_page()
    watch = Watch(page, site_url)
    visit(page, site_url + "bulletins/")
    page.get_by_role("link", name="已更正1次").first.click()
    page.wait_for_url(re.compile(r"bulletins/2011-0[89]/#errata"))
    visit(page, site_url + "bulletins/2011-08/")
    erratum = page.locator(".bulletin-erratum").first
    assert erratum.is_visible()
    assert "由396座更正为453座" in erratum.inner_text()
    assert erratum.locator("del").first.inner_text() == "396 座"
    # the figure as issued links to its report line, and the source table leads to the sealed copy
    source = page.locator('a.bulletin-source[href$="#src-zhalantun"]').first
    assert "reports/2011-08/zhalantun.csv" in (source.get_attribute("title") or "")
    source.click()
    row = page.locator("#src-zhalantun")
    row.wait_for()
    assert row.is_visible()
    href = row.get_by_role("link").first.get_attribute("href") or ""
    assert href.endswith("downloads/bulletins/2011-08/erratum-1/reports/2011-08/zhalantun.csv")
    response = page.request.get(urljoin(page.url, href))
    assert response.ok
    assert b"2011-08,zhalantun,sanitary_toilets,396," in response.body()  # the copy holds the figure as issued
    manifest = page.request.get(site_url + "downloads/bulletin-2011-08-manifest.json").json()
    assert manifest["number"] == 8
    assert manifest["errata"][0]["files"][0]["path"] == "reports/2011-08/zhalantun.csv"
    assert watch.problems == []
    page.close()
