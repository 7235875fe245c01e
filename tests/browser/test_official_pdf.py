"""A bulletin's PDF in the national layout (GB/T 9704-2012), printed by Chromium from its print document:
A4, title, 第N期, 抄送, "— N —" on every page, only embedded TrueType/CID fonts (no Type 3), no URL,
the masthead's red in page 1's top band, the same bytes twice; and `bulletin build --pdf` linking it.

With BULLETIN_SCREENSHOTS=1 page 1 replaces the editors' guide's image (docs/guide/images/bulletin-pdf.png).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from site_builder.commands import build as pipeline
from site_builder.render import documents
from site_builder.render.official import document_path
from site_builder.site.build import Workspace
from site_builder.site.chromium import print_document, settled
from tests.conftest import REPO, TODAY, VALID
from tests.render.helpers import context

MONTH = "2011-09"
A4 = (595, 842)  # points


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes]:
    """The data example's bulletin of 2011-09 printed twice from its print document."""
    folder = tmp_path_factory.mktemp("official")
    rel = document_path(MONTH, "print.html")
    target = folder / rel
    target.parent.mkdir(parents=True)
    target.write_bytes(documents.files(context("data"))[rel])
    print_document(folder, rel, folder / "one.pdf")
    print_document(folder, rel, folder / "two.pdf")
    return (folder / "one.pdf").read_bytes(), (folder / "two.pdf").read_bytes()


def _fonts(reader: PdfReader) -> list[Any]:
    """Every font dictionary of every page (pypdf's objects, untyped)."""
    found = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            found.append(ref.get_object())
    return found


def test_the_pdf_is_a4_with_title_number_cc_and_page_numbers(printed: tuple[bytes, bytes]) -> None:
    reader = PdfReader(io.BytesIO(printed[0]))
    assert len(reader.pages) >= 3
    texts = [page.extract_text() for page in reader.pages]
    for n, (page, text) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        size = tuple(sorted((round(float(page.mediabox.width)), round(float(page.mediabox.height)))))
        assert size == A4, n  # portrait, or an annex's landscape page
        assert f"— {n} —" in text, f"page {n} has no page number"
    portrait = reader.pages[0].mediabox
    assert float(portrait.width) < float(portrait.height)
    whole = re.sub(r"\s+", "", "".join(texts))
    doc = context("data")
    title = next(b.title for b in doc.dataset.bulletins if b.month == MONTH)
    assert re.sub(r"\s+", "", title) in whole
    assert "2011年第9期" in whole
    assert "抄送：" in whole
    assert "印发" in whole
    assert "http" not in whole
    assert ".csv" not in whole
    assert "sha256" not in whole.lower()
    assert whole.count("模拟数据") >= len(reader.pages)  # the notice in every page's footer


def _placed(page: Any) -> list[tuple[float, float, float, str]]:
    """A page's text runs as (x, y, size, text): points from the page's bottom left corner, the size in
    points, as the PDF places them (pypdf's visitor: the text matrix under the current transformation)."""
    found = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, size * abs(cm[0] * tm[0]), text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def test_the_cc_block_is_at_the_bottom_of_the_last_page(printed: tuple[bytes, bytes]) -> None:
    """GB/T 9704 8: the 版记 (抄送, 印发) ends the last page, its last rule on the type area's lower edge
    (35 mm from the bottom), after the annexes."""
    reader = PdfReader(io.BytesIO(printed[0]))
    last = reader.pages[-1]
    assert float(last.mediabox.width) < float(last.mediabox.height), "the 版记 is on a portrait page"
    placed = _placed(last)
    cc = next(y for _, y, _, text in placed if text.startswith("抄送："))
    printed_on = min(y for _, y, _, text in placed if text.endswith("印发"))
    bottom = 35 / 25.4 * 72  # the type area's lower edge, in points from the page's bottom
    assert bottom < printed_on < cc < bottom + 4 * 28.95, (cc, printed_on)  # its 3 lines above the edge
    assert all(y <= cc + 0.5 for _, y, _, _ in placed), "the 版记 page holds nothing above the 版记"
    assert any("附件" in page.extract_text() for page in reader.pages[:-1])  # the annexes come before it


def test_the_text_has_22_lines_of_28_characters(printed: tuple[bytes, bytes]) -> None:
    """3号 body text: 22 lines in the 225 mm type area (a line every 28.99 pt), 28 full-width characters in
    the 156 mm line."""
    pages = [_placed(page) for page in PdfReader(io.BytesIO(printed[0])).pages]
    body = [[(y, text) for _, y, size, text in page if abs(size - 16) < 0.1] for page in pages]
    fullest = max(body, key=len)
    assert len(fullest) == 22, [len(lines) for lines in body]
    ys = sorted(y for y, _ in fullest)
    assert abs((ys[-1] - ys[0]) / 21 - 225 / 25.4 * 72 / 22) < 0.3, ys
    wide = [text for lines in body for _, text in lines if all(ord(c) >= 0x2E80 for c in text)]
    assert max(len(text) for text in wide) == 28, max(wide, key=len)


def test_fonts_are_embedded_truetype_never_type3(printed: tuple[bytes, bytes]) -> None:
    fonts = _fonts(PdfReader(io.BytesIO(printed[0])))
    assert fonts
    for font in fonts:
        assert font["/Subtype"] != "/Type3", font
        assert font["/Subtype"] == "/Type0", font  # CID-keyed
        for descendant in font["/DescendantFonts"]:
            descriptor = descendant.get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{font['/BaseFont']} is not an embedded TrueType font"


def test_two_prints_give_the_same_bytes_dated_from_the_bulletin(printed: tuple[bytes, bytes]) -> None:
    assert printed[0] == printed[1]
    info = PdfReader(io.BytesIO(printed[0])).metadata
    assert info is not None
    assert "/Producer" not in info
    assert "/Creator" not in info  # no browser version
    issued = next(b.issued_on for b in context("data").dataset.bulletins if b.month == MONTH)
    assert issued is not None
    assert str(info["/CreationDate"]) == issued.strftime("D:%Y%m%d000000Z")


def test_page_one_has_the_red_masthead(printed: tuple[bytes, bytes], tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "pdftoppm is missing: make setup installs poppler-utils"
    (tmp_path / "b.pdf").write_bytes(printed[0])
    subprocess.run(
        [pdftoppm, "-r", "40", "-f", "1", "-l", "1", str(tmp_path / "b.pdf"), str(tmp_path / "p")], check=True
    )
    width, height, pixels = _ppm(next(tmp_path.glob("p*.ppm")).read_bytes())
    band = range(int(height * 0.10), int(height * 0.25))  # under the 37 mm top margin: the masthead
    red = sum(
        1
        for y in band
        for x in range(width)
        if (p := pixels[3 * (y * width + x) : 3 * (y * width + x) + 3])[0] > 180 and p[1] < 90 and p[2] < 90
    )
    assert red > 50, "no red masthead in the top band of page 1"
    lower = range(int(height * 0.5), height)
    assert not any(
        pixels[3 * (y * width + x)] > 180 and pixels[3 * (y * width + x) + 1] < 90 for y in lower for x in range(width)
    ), "red below the masthead"
    if os.environ.get("BULLETIN_SCREENSHOTS"):
        image = REPO / "docs" / "guide" / "images" / "bulletin-pdf.png"
        subprocess.run(
            [
                pdftoppm,
                "-png",
                "-r",
                "75",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(tmp_path / "b.pdf"),
                str(image)[:-4],
            ],
            check=True,
        )


def _ppm(data: bytes) -> tuple[int, int, bytes]:
    """A binary PPM (P6) as width, height and its RGB bytes."""
    fields = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    assert fields is not None
    return int(fields.group(1)), int(fields.group(2)), data[fields.end() :]


def test_build_with_pdf_links_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    site = pipeline.build(data, tmp_path / "site", TODAY, Workspace(tmp_path / "work"), pdf=True)
    assert site.ok
    assert site.notices == ()
    months = sorted(p.name for p in (data / "reports").iterdir())
    for month in months:
        pdf = tmp_path / "site" / document_path(month, "pdf")
        assert pdf.read_bytes().startswith(b"%PDF")
        page = (tmp_path / "site" / "bulletins" / month / "index.html").read_text(encoding="utf-8")
        assert f'href="../../downloads/bulletin-{month}.pdf"' in page
        assert f'href="../../downloads/bulletin-{month}.docx"' in page
    # without Chromium: the rest is built, the notice says so, and no PDF is linked
    monkeypatch.setattr(pipeline, "chromium_available", lambda: False)
    again = pipeline.build(data, tmp_path / "site2", TODAY, Workspace(tmp_path / "work2"), pdf=True)
    assert again.ok
    assert again.notices == ("no-chromium",)
    assert not (tmp_path / "site2" / document_path(months[0], "pdf")).exists()
    assert (tmp_path / "site2" / document_path(months[0], "docx")).exists()
    page = (tmp_path / "site2" / "bulletins" / months[0] / "index.html").read_text(encoding="utf-8")
    assert ".pdf" not in page


def test_settling_keeps_the_length_and_renumbers_node_ids_in_order() -> None:
    body = (
        b"%PDF-1.4\n1 0 obj\n<</Title (t)\n/Creator (HeadlessChrome/156)\n/Producer (Skia/PDF m156)\n"
        b"/CreationDate (D:20261202111525+00'00')\n/ModDate (D:20261202111525+00'00')>>\nendobj\n"
        b"2 0 obj\n<</ID (node00000031) /Headers [(node00000030)]>>\nendobj\n"
        b"trailer\n<</Size 3\n/Info 1 0 R>>\n"
    )
    day = dt.date(2011, 10, 8)
    out = settled(body, day)
    assert len(out) == len(body)
    assert b"Creator" not in out
    assert b"Producer" not in out
    assert b"/CreationDate (D:20111008000000Z)" in out
    assert b"/ID (node00000002) /Headers [(node00000001)]" in out
    shifted = body.replace(b"00000031", b"00000041").replace(b"00000030", b"00000040")
    assert settled(shifted, day) == out
