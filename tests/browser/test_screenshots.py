"""Screenshots of the example site for the editors' guide (docs/guide/images/).

They are taken on every run; with BULLETIN_SCREENSHOTS=1 they replace the guide's images.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.conftest import REPO

SHOTS = {
    "home": "",
    "region": "regions/xinbaerhu_you/",
    "bulletin": "bulletins/2011-09/",
    "erratum": "bulletins/2011-08/#errata",
}


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_screenshot_for_the_guide(name: str, browser: Browser, site_url: str, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url + SHOTS[name], wait_until="networkidle")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.bulletin-chart')).every(e => e.dataset.drawn)", timeout=20_000
    )
    folder = REPO / "docs" / "guide" / "images" if os.environ.get("BULLETIN_SCREENSHOTS") else tmp_path
    target = folder / f"{name}.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 20_000  # a page with text and colour, not a blank one
    page.close()
