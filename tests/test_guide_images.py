"""The guide's screenshots of the readers' site (tests/guide_shots.py) are checked in, at their size, and shown
on a page of the editors' guide. Regenerate them with

    BULLETIN_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py
"""

from __future__ import annotations

import re

import pytest

from tests.guide_shots import IMAGES, MAX_BYTES, SHOTS, png_size

GUIDE = IMAGES.parent


def _shown() -> set[str]:
    """The images the guide's pages show: ![…](images/NAME.png)."""
    found: set[str] = set()
    for page in sorted(GUIDE.glob("*.md")):
        found |= set(re.findall(r"!\[[^\]]*\]\(images/([\w-]+)\.png\)", page.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("name", sorted(SHOTS))
def test_the_screenshot_is_checked_in_at_its_size(name: str) -> None:
    path = IMAGES / f"{name}.png"
    assert path.is_file(), f"{path} is missing: regenerate it (see this module's docstring)"
    assert png_size(path) == SHOTS[name].size
    assert path.stat().st_size <= MAX_BYTES, f"{path} is over {MAX_BYTES} bytes"


def test_every_screenshot_is_shown_in_the_guide() -> None:
    missing = sorted(set(SHOTS) - _shown())
    assert not missing, f"not shown on any page of docs/guide/: {missing}"
