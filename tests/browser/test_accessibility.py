"""axe-core (vendored in tests/vendor/, see SOURCES.json) on one page of every template of the built example."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from playwright.sync_api import Browser

from tests.browser.conftest import visit

VENDOR = Path(__file__).resolve().parent.parent / "vendor"
AXE = VENDOR / "axe.min.js"
SERIOUS = ("serious", "critical")


def _templates(site_dir: Path) -> list[str]:
    """One page per page family and kind (the home page, each section's index and one page below it)."""
    chosen = [""]
    for section in sorted(p for p in site_dir.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        if section.name in ("assets", "search", "guide", "reference", "maintainers"):
            continue
        chosen.append(f"{section.name}/")
        below = sorted(p for p in section.iterdir() if (p / "index.html").is_file())
        if below:
            chosen.append(f"{section.name}/{below[0].name}/")
    return chosen


def test_the_vendored_axe_is_the_one_recorded() -> None:
    entry = json.loads((VENDOR / "SOURCES.json").read_text(encoding="utf-8"))["axe.min.js"]
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == entry["sha256"]


def test_no_page_template_has_a_serious_accessibility_violation(
    browser: Browser, site_dir: Path, site_url: str
) -> None:
    context = browser.new_context(bypass_csp=True)  # axe is injected as a script the site does not ship
    page = context.new_page()
    found: list[str] = []
    for path in _templates(site_dir):
        visit(page, site_url + path)
        page.wait_for_function(  # charts drawn: the page no longer changes while axe walks it
            "() => Array.from(document.querySelectorAll('.bulletin-chart')).every(e => e.dataset.drawn)"
        )
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in SERIOUS:
                found.append(f"{path or '/'}: {violation['id']} ({len(violation['nodes'])} elements)")
    context.close()
    assert not found, "\n".join(found)


def test_the_leader_pages_are_among_the_templates_checked(site_dir: Path) -> None:
    """render/leaders.py's index and a leader's page (tests/browser/test_leaders.py checks every leader's)."""
    chosen = _templates(site_dir)
    assert "leaders/" in chosen
    assert any(path.startswith("leaders/") and path != "leaders/" for path in chosen)
