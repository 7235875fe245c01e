"""The indicator page's tabs in a real browser: radio buttons styled as tabs, reached and switched from
the keyboard, without script; the table of every month and the map of a programme with boundaries."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from tests.browser.conftest import visit
from tests.browser.test_site import Watch

MAX_TABS = 400  # Tab presses allowed to reach the tab controls from the top of the page


def _tab_to(page: Page, element_id: str) -> None:
    """Press Tab from the top of the page until `element_id` has the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reachable with Tab")


def _shown(page: Page) -> list[str]:
    return [
        panel.get_attribute("id") or ""
        for panel in page.locator(".indicator-tabs > .tab-panel").all()
        if panel.is_visible()
    ]


def test_tabs_switch_from_the_keyboard(browser: Browser, site_url: str) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    watch = Watch(page, site_url)
    visit(page, site_url + "indicators/ncms_enrolment/")
    assert _shown(page) == ["panel-chart"]
    assert page.locator("#panel-chart .bulletin-chart").first.is_visible()
    assert page.locator(".indicator-tabs > .tab-label").all_inner_texts() == ["图表", "表格"]
    _tab_to(page, "view-chart")
    outline = page.evaluate("() => getComputedStyle(document.querySelector('label[for=view-chart]')).outlineStyle")
    assert outline != "none"  # the focused tab is marked
    page.keyboard.press("ArrowRight")
    assert page.locator("#view-table").is_checked()
    assert _shown(page) == ["panel-table"]
    page.keyboard.press("Space")  # Space on the focused tab keeps it
    assert _shown(page) == ["panel-table"]
    table = page.locator("#panel-table table")
    assert table.locator("thead th").all_inner_texts()[1:] == [f"{m}月" for m in range(1, 10)]
    assert table.locator("tbody tr").count() == 14  # 13 districts and the city
    page.keyboard.press("ArrowLeft")
    assert _shown(page) == ["panel-chart"]
    page.locator("label[for=view-table]").click()  # and with the mouse
    assert _shown(page) == ["panel-table"]
    page.emulate_media(media="print")
    assert _shown(page) == ["panel-chart", "panel-table"]  # print shows every view
    assert watch.problems == []
    page.close()


def test_the_map_tab_with_boundaries(browser: Browser, mapped_site: str) -> None:
    page = browser.new_page()
    watch = Watch(page, mapped_site)
    visit(page, mapped_site + "indicators/participation/")
    assert page.locator(".indicator-tabs > .tab-label").all_inner_texts() == ["图表", "表格", "地图"]
    assert not page.locator("#panel-map svg.geo-map-svg").is_visible()
    _tab_to(page, "view-chart")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator("#view-map").is_checked()
    svg = page.locator("#panel-map svg.geo-map-svg")
    assert svg.is_visible()
    assert svg.locator("path").count() == 3
    box = svg.locator("path").first.bounding_box()
    assert box is not None
    assert box["width"] > 10
    assert watch.problems == []
    page.close()
