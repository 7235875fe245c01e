"""The readers' search in a real browser: the page whose title matches comes first, results read as
words, the editors' pages and other cities stay out, and the search works from the keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from site_builder.commands.pdf import serving
from tests.browser.conftest import visit

EDITORS = ("guide", "reference/", "maintainers/")
COUNTED = "() => (document.querySelector('.md-search-result__meta') || {}).innerText?.includes('符合条件的结果')"


@pytest.fixture(scope="session")
def zaozhuang_url(built_example: Callable[[str], Path]) -> Iterator[str]:
    with serving(built_example("examples/zaozhuang")) as base:
        yield base


@dataclass(frozen=True)
class Result:
    href: str  # the page, relative to the site
    title: str  # the page's title as the result shows it
    text: str  # everything the result shows, its sections included


def _visible(text: str) -> str:
    return text.replace("\u200b", "")  # the index joins Chinese words with zero-width spaces


def _search(page: Page, base: str, query: str) -> list[Result]:
    """The results for `query`, typed as an input method commits Chinese text: no key event for the
    characters, then one key (Material's search starts on a key event)."""
    visit(page, base)
    box = page.locator("input.md-search__input")
    box.click(force=True)
    page.keyboard.insert_text(query)
    box.press("End")
    page.wait_for_function(COUNTED, timeout=15_000)
    page.locator(".md-search-result__more summary").evaluate_all("(list) => list.forEach(s => s.click())")
    results = []
    for item in page.locator(".md-search-result__item").all():
        href = (item.locator("a").first.get_attribute("href") or "").removeprefix(base).split("?")[0]
        title = _visible(item.locator("article h1").first.inner_text())
        results.append(Result(href, title, _visible(item.inner_text())))
    return results


def test_a_programme_term_finds_the_page_titled_with_it_first(browser: Browser, site_url: str) -> None:
    page = browser.new_page()
    results = _search(page, site_url, "新农合")
    assert "新农合" in results[0].title, [r.title for r in results[:5]]  # not 新巴尔虎左旗, matched on 新
    assert results[0].href.startswith("indicators/")
    assert not [r.href for r in results[:5] if r.href.startswith(EDITORS)]
    page.close()


def test_a_district_finds_its_page_first_and_reads_as_words(browser: Browser, site_url: str) -> None:
    page = browser.new_page()
    results = _search(page, site_url, "满洲里")
    assert results[0].href == "regions/manzhouli/", [r.href for r in results[:5]]
    assert results[0].title == "满洲里市"
    assert not [r.href for r in results[:5] if r.href.startswith(EDITORS)]
    ranks = next(r for r in results if r.href == "rankings/")  # its table of ranks by month
    assert "满洲里市 1 1" in ranks.text
    glued = [r.href for r in results if re.search(r"满洲里市\d(?!\d*年)", r.text)]  # "满洲里市113241111额尔古纳市…"
    assert not glued
    page.close()


def test_another_citys_district_finds_nothing(browser: Browser, zaozhuang_url: str) -> None:
    page = browser.new_page()
    assert _search(page, zaozhuang_url, "满洲里") == []
    assert "没有找到" in page.locator(".md-search-result__meta").inner_text()
    assert _search(page, zaozhuang_url, "滕州")[0].href == "regions/tengzhou/"  # the search itself works
    page.close()


def test_the_search_opens_runs_and_leads_to_a_page_by_keyboard(browser: Browser, site_url: str) -> None:
    page = browser.new_page()
    visit(page, site_url)
    page.keyboard.press("/")  # Material's key for the search
    assert page.evaluate("() => document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("xlsx", delay=60)  # a key event for every character
    page.wait_for_function(COUNTED, timeout=15_000)
    first = page.locator(".md-search-result__item a").first
    assert (first.get_attribute("href") or "").removeprefix(site_url).startswith("downloads/")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/downloads/"))
    assert page.locator("h1").first.inner_text().startswith("数据下载")
    page.close()
