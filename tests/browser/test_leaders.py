"""Leader pages in a real browser at phone size (390 × 844), for every leader of both examples: the page
loads without errors, its key block fits the first screen, nothing scrolls sideways, and axe-core finds
no serious violation on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ViewportSize

from site_builder.commands.pdf import serving
from tests.browser.conftest import visit
from tests.browser.test_accessibility import AXE, SERIOUS
from tests.browser.test_site import Watch

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def zaozhuang(built_example: Callable[[str], Path]) -> Iterator[tuple[Path, str]]:
    target = built_example("examples/zaozhuang")
    with serving(target) as base:
        yield target, base


def _leaders(site: Path) -> list[str]:
    folder = site / "leaders"
    return sorted(p.name for p in folder.iterdir() if (p / "index.html").is_file())


def _check(browser: Browser, site: Path, base: str) -> None:
    leaders = _leaders(site)
    assert leaders, "the example has leaders"
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # axe is a script the site does not ship
    page = context.new_page()
    watch = Watch(page, base)
    found: list[str] = []
    for leader in leaders:
        visit(page, f"{base}leaders/{leader}/")
        key = page.locator("section.leader-key")
        assert key.count() == 1, leader
        box = key.bounding_box()
        assert box is not None
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= PHONE["height"], (
            f"{leader}: the key block ends at {box['y'] + box['height']}"
        )
        assert key.locator("tbody tr").count() >= 1
        wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 0, f"{leader}: the page scrolls sideways by {wide}px"
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        found += [
            f"{leader}: {v['id']} ({len(v['nodes'])} elements)" for v in result["violations"] if v["impact"] in SERIOUS
        ]
    visit(page, f"{base}leaders/")
    assert page.locator("article table tbody tr").count() == len(leaders)
    context.close()
    assert not found, "\n".join(found)
    assert watch.problems == []


def test_every_leader_page_of_the_example_fits_a_phone_screen(browser: Browser, site_dir: Path, site_url: str) -> None:
    _check(browser, site_dir, site_url)


def test_every_leader_page_of_zaozhuang_fits_a_phone_screen(browser: Browser, zaozhuang: tuple[Path, str]) -> None:
    _check(browser, *zaozhuang)
