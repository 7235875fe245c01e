"""What a reader's browser downloads: byte budgets on a cold load, and a chart toolbar in Chinese.

The budgets are bytes, not timings: every response of a cold load (a new browser context, so nothing
cached) is gzipped here at level 6, as an intranet server with compression would send it, and summed.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Response

from tests.browser.conftest import visit

KB = 1024
BUDGETS = {"home": 400 * KB, "bulletin": 400 * KB, "chart": 900 * KB}
PLOTLY = "assets/vendor/plotly-basic.min.js"


def _first_page(site_dir: Path, folder: str, chart: bool) -> str:
    for path in sorted((site_dir / folder).rglob("index.html")):
        if ("bulletin-chart" in path.read_text(encoding="utf-8")) == chart:
            return path.relative_to(site_dir).parent.as_posix() + "/"
    raise AssertionError(f"no page under {folder}/ with chart={chart}")


def _cold_load(browser: Browser, url: str) -> dict[str, int]:
    """Every URL a cold load of `url` fetched (the page, its scripts, styles, workers' fetches), gzipped size."""
    context = browser.new_context()
    bodies: dict[str, int] = {}

    def record(response: Response) -> None:
        if response.ok and response.request.method == "GET":
            bodies[response.url] = len(gzip.compress(response.body(), compresslevel=6, mtime=0))

    context.on("response", record)
    page = context.new_page()
    visit(page, url)
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.bulletin-chart')).every(e => e.dataset.drawn)", timeout=20_000
    )
    page.wait_for_load_state("networkidle")
    context.close()
    return bodies


@pytest.mark.parametrize("kind", sorted(BUDGETS))
def test_a_cold_load_stays_within_its_byte_budget(browser: Browser, site_dir: Path, site_url: str, kind: str) -> None:
    path = {
        "home": "",
        "bulletin": _first_page(site_dir, "bulletins", chart=False).removesuffix("index.html"),
        "chart": _first_page(site_dir, "indicators", chart=True),
    }[kind]
    loaded = _cold_load(browser, site_url + path)
    total = sum(loaded.values())
    heaviest = sorted(loaded.items(), key=lambda item: -item[1])[:5]
    assert total <= BUDGETS[kind], (kind, path, total, heaviest)
    fetched_plotly = any(url.endswith(PLOTLY) for url in loaded)
    assert fetched_plotly == (kind == "chart"), (kind, sorted(loaded))  # plotly only where a chart is drawn


def test_the_chart_toolbar_offers_a_png_in_chinese_and_nothing_else(
    browser: Browser, site_dir: Path, site_url: str
) -> None:
    page = browser.new_page()
    visit(page, site_url + _first_page(site_dir, "indicators", chart=True))
    page.wait_for_function("() => document.querySelector('.bulletin-chart[data-drawn=true] .modebar')")
    chart = page.locator(".bulletin-chart[data-drawn=true]").first
    chart.hover()
    buttons = chart.locator(".modebar-btn")
    titles = [buttons.nth(i).get_attribute("data-title") for i in range(buttons.count())]
    assert titles == ["下载图表为PNG格式"]
    assert chart.locator(".modebar a[href]").count() == 0  # no "produced with plotly" or cloud link
    html = chart.inner_html()
    for english in ("Download plot", "Edit in Chart Studio", "Box Select", "Share", "Produced with"):
        assert english not in html
    page.close()
