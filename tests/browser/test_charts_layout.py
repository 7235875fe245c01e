"""Charts at a phone's and an office PC's width: small multiples one per row or three across, month ticks
in Chinese, panel titles that never overlap (measured from the drawn SVG's bounding boxes)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from tests.browser.conftest import visit
from tests.browser.test_site import Watch

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1366, "height": 768}
MONTH_TICK = re.compile(r"^(20\d\d年)?(1[0-2]|[1-9])月$")

# Per panel of the first small-multiples chart: its plot area and its title, as drawn.
MEASURE = """() => {
  const chart = document.querySelector('.bulletin-chart[data-drawn=true]');
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {
    plots: Array.from(chart.querySelectorAll('.draglayer .nsewdrag')).map(box),
    titles: Array.from(chart.querySelectorAll('.annotation')).map(box),
    ticks: Array.from(chart.querySelectorAll('.xtick text')).map((e) => e.textContent),
    width: chart.clientWidth,
  };
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5


def _measure(browser: Browser, site_url: str, viewport: ViewportSize) -> tuple[dict[str, Any], Page, Watch]:
    page = browser.new_page(viewport=viewport)
    watch = Watch(page, site_url)
    visit(page, site_url + "regions/manzhouli/")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.bulletin-chart')).every(e => e.dataset.drawn)", timeout=20_000
    )
    measured: dict[str, Any] = page.evaluate(MEASURE)
    return measured, page, watch


def _check_titles(measured: dict[str, Any]) -> None:
    titles, plots = measured["titles"], measured["plots"]
    assert len(titles) == len(plots) > 1
    for i, title in enumerate(titles):
        assert title[2] - title[0] > 0
        for other in titles[i + 1 :]:
            assert not _overlap(title, other), (title, other)
        for plot in plots:
            assert not _overlap(title, plot), (title, plot)  # a title sits above its panel, not on one


@pytest.mark.parametrize(("viewport", "columns"), [(PHONE, 1), (DESKTOP, 3)])
def test_district_small_multiples_fit_the_screen(
    browser: Browser, site_url: str, viewport: ViewportSize, columns: int
) -> None:
    measured, page, watch = _measure(browser, site_url, viewport)
    plots = measured["plots"]
    lefts = sorted({round(p[0]) for p in plots})
    assert len(lefts) == columns
    for plot in plots:
        assert plot[2] <= viewport["width"] + 0.5  # no panel runs off the screen
    _check_titles(measured)
    ticks = measured["ticks"]
    assert ticks
    assert all(MONTH_TICK.match(tick) for tick in ticks), ticks
    assert "1月" in ticks
    assert watch.problems == []
    page.close()


def test_small_multiples_are_laid_out_again_when_the_width_changes(browser: Browser, site_url: str) -> None:
    measured, page, watch = _measure(browser, site_url, DESKTOP)
    assert len({round(p[0]) for p in measured["plots"]}) == 3
    page.set_viewport_size(PHONE)
    page.wait_for_function(
        "() => { const e = document.querySelector('.bulletin-chart[data-drawn=true]');"
        " return e && e.getAttribute('data-width') === String(e.clientWidth); }",
        timeout=20_000,
    )
    page.wait_for_function(
        "() => new Set(Array.from(document.querySelector('.bulletin-chart').querySelectorAll('.draglayer .nsewdrag'))"
        ".map(e => Math.round(e.getBoundingClientRect().left))).size === 1",
        timeout=20_000,
    )
    _check_titles(page.evaluate(MEASURE))
    assert watch.problems == []
    page.close()


def test_month_ticks_of_the_indicator_and_ranking_charts(browser: Browser, site_url: str) -> None:
    page = browser.new_page(viewport=PHONE)
    watch = Watch(page, site_url)
    checked = 0
    for path in ("indicators/ncms_enrolment/", "rankings/"):
        visit(page, site_url + path)
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.bulletin-chart')).every(e => e.dataset.drawn)",
            timeout=20_000,
        )
        for chart in page.locator(".bulletin-chart[data-drawn=true]").all():
            ticks: list[str] = chart.evaluate(
                "e => Array.from(e.querySelectorAll('.xtick text')).map(t => t.textContent)"
            )
            if any("月" in tick for tick in ticks) or any(re.match(r"20\d\d-", tick) for tick in ticks):
                assert all(MONTH_TICK.match(tick) for tick in ticks), (path, ticks)
                checked += 1
    assert checked >= 2  # the trend and the bump chart (the funnel's axis is a count)
    assert watch.problems == []
    page.close()
