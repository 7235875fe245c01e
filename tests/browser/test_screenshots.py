"""Screenshots of the example site for the editors' guide (docs/guide/images/, listed in tests/guide_shots.py).

They are taken on every run; with BULLETIN_SCREENSHOTS=1 they replace the guide's images:

    BULLETIN_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import visit
from tests.browser.test_site import _search
from tests.guide_shots import IMAGES, MAX_BYTES, SHOTS, Shot, png_size


def _prepare(page: Page, shot: Shot) -> None:
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.bulletin-chart')).every(e => e.dataset.drawn)", timeout=20_000
    )
    if shot.click:
        page.locator(shot.click).first.click()
    if shot.top:
        page.locator(shot.top).first.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 60)")
    if shot.search:
        _search(page, shot.search)
    else:
        page.evaluate("() => document.activeElement && document.activeElement.blur()")  # no focus ring in the shot


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_screenshot_for_the_guide(name: str, browser: Browser, site_url: str, tmp_path: Path) -> None:
    shot = SHOTS[name]
    width, height = shot.size
    page = browser.new_page(viewport={"width": width, "height": height})
    visit(page, site_url + shot.path)
    _prepare(page, shot)
    folder = IMAGES if os.environ.get("BULLETIN_SCREENSHOTS") else tmp_path
    target = folder / f"{name}.png"
    page.screenshot(path=str(target))
    assert png_size(target) == shot.size
    assert 20_000 < target.stat().st_size <= MAX_BYTES  # a page with text and colour, not a blank one; small
    page.close()
