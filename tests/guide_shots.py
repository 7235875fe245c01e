"""The screenshots of the readers' site in the editors' guide (docs/guide/images/), in one list.

tests/browser/test_screenshots.py takes them from the example site on every run and, with
BULLETIN_SCREENSHOTS=1, writes them into docs/guide/images/:

    BULLETIN_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_screenshots.py

tests/test_guide_images.py checks, without a browser, that each one is checked in at its size (pixels and
at most MAX_BYTES) and shown on a page of docs/guide/. Pixels are never compared: fonts differ between
machines.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO

IMAGES = REPO / "docs" / "guide" / "images"
MAX_BYTES = 150 * 1024
OFFICE = (1024, 640)
PHONE = (390, 844)


@dataclass(frozen=True)
class Shot:
    path: str  # the page, relative to the site's root
    size: tuple[int, int] = OFFICE  # the viewport, and so the image, in pixels
    top: str = ""  # a CSS selector scrolled to the top of the window before the shot
    click: str = ""  # a CSS selector clicked before the shot
    search: str = ""  # a query typed into the search box before the shot


SHOTS: dict[str, Shot] = {
    "home": Shot(""),
    "region": Shot("regions/xinbaerhu_you/"),
    "bulletin": Shot("bulletins/2011-09/"),
    "erratum": Shot("bulletins/2011-08/", top="#errata"),
    "indicator-tabs": Shot("indicators/ncms_enrolment/", top=".indicator-tabs"),
    "indicator-table": Shot("indicators/ncms_enrolment/", top=".indicator-tabs", click="label[for=view-table]"),
    "reporting": Shot("reporting/"),
    "search": Shot("", PHONE, search="新农合"),
    "phone-home": Shot("", PHONE, top="#home-regions"),
    "phone-region": Shot("regions/manzhouli/", PHONE, top=".region-progress"),
    "phone-reporting": Shot("reporting/", PHONE, top="#m2011-09"),
}


def png_size(path: Path) -> tuple[int, int]:
    """A PNG's width and height, from its IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height
