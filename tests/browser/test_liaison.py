"""Liaison map, supervision and accountability pages in a real browser, offline."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browser.conftest import visit
from tests.browser.test_site import Watch


def test_liaison_page_has_the_full_matrix_tiles_and_the_drawn_map(browser: Browser, mapped_site: str) -> None:
    page = browser.new_page()
    watch = Watch(page, mapped_site)
    visit(page, mapped_site + "liaison/")
    matrix = page.locator("table").first
    assert matrix.locator("tbody tr").count() == 3  # zhao, qian, sun each answer for a district
    header = matrix.locator("thead").inner_text()
    for name in ("东区", "西区", "山县"):
        assert name in header
    assert page.get_by_text("示意图").count() >= 1
    assert page.locator(".tile-map a").count() == 3
    svg = page.locator("svg.geo-map-svg")
    assert svg.count() == 1
    assert svg.locator("path").count() == 3
    box = svg.locator("path").first.bounding_box()
    assert box is not None
    assert box["width"] > 10
    assert "测试用，无审图号" in page.locator("article").inner_text()
    assert watch.problems == []
    page.close()


def test_supervision_round_shows_its_draw_and_how_to_rerun_it(browser: Browser, mapped_site: str) -> None:
    page = browser.new_page()
    watch = Watch(page, mapped_site)
    visit(page, mapped_site + "supervision/2011-03/")
    text = page.locator("article").inner_text()
    for expected in ("东区镇卫生院", "东区二村卫生室", "bulletin sample 2011-03", "7"):
        assert expected in text
    visit(page, mapped_site + "meetings/")
    visit(page, mapped_site + "accountability/")
    assert "表彰" in page.locator("article").inner_text()
    assert watch.problems == []
    page.close()
