"""Bulletins as official documents (render/official*.py, render/documents.py): the Word file opened with
python-docx, the print document's HTML, the same bytes twice, the security marking, the bulletin page's links."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from site_builder.render import bulletins, documents
from site_builder.render.context import SiteContext
from site_builder.render.official import Document, Table, document, document_path
from site_builder.render.official_docx import docx_bytes
from site_builder.render.official_html import css_string, document_html
from tests.render.helpers import context

MONTH = "2011-09"
MM = 36000  # EMU per millimetre


@pytest.fixture(scope="module")
def ctx() -> SiteContext:
    return context("data")


@pytest.fixture(scope="module")
def doc(ctx: SiteContext) -> Document:
    return document(ctx, MONTH)


@pytest.fixture(scope="module")
def word(doc: Document) -> bytes:
    return docx_bytes(doc)


def test_the_word_file_has_the_masthead_title_tables_and_cc_block(ctx: SiteContext, doc: Document, word: bytes) -> None:
    opened = docx.Document(io.BytesIO(word))
    texts = [p.text for p in opened.paragraphs]
    issuer = ctx.dataset.programme.bulletin.issuer
    assert texts[0] == issuer  # the masthead first (no marking in this example)
    red = opened.paragraphs[0].runs[0].font.color.rgb
    assert red is not None
    assert str(red) == "E60012"
    assert texts[1] == f"{ctx.dataset.programme.year}年第9期"
    assert doc.title in texts
    assert any(t.startswith("抄送：") and "各旗市区党委、政府主要负责同志" in t for t in texts)
    assert any(t.endswith("印发") and issuer in t for t in texts)
    # real Word tables; the ranking has one row per district under its header row
    assert len(opened.tables) >= 3
    ranking = next(t for t in opened.tables if t.rows[0].cells[0].text == "名次")
    names = [row.cells[1].text for row in ranking.rows[1:]]
    assert sorted(names) == sorted(r.name for r in ctx.dataset.regions)
    section = opened.sections[0]
    width, height = section.page_width or 0, section.page_height or 0
    top, bottom = section.top_margin or 0, section.bottom_margin or 0
    left, right = section.left_margin or 0, section.right_margin or 0
    assert (round(width / MM), round(height / MM)) == (210, 297)
    assert (round(top / MM), round(left / MM)) == (37, 28)
    assert round((width - left - right) / MM) == 156  # the type area
    assert round((height - top - bottom) / MM) == 225


def test_wide_tables_are_landscape_annexes(doc: Document, word: bytes) -> None:
    assert doc.annexes, "the overview of every indicator (10 columns) is an annex"
    assert all(len(a.header) > 8 for a in doc.annexes)
    opened = docx.Document(io.BytesIO(word))
    landscape = [s for s in opened.sections if (s.page_width or 0) > (s.page_height or 0)]
    assert len(landscape) == len(doc.annexes)
    texts = [p.text for p in opened.paragraphs]
    assert "附件1" in texts
    assert any("见附件1" in t for t in texts)


def test_the_word_file_is_dated_from_the_bulletin_and_the_same_twice(
    ctx: SiteContext, doc: Document, word: bytes
) -> None:
    assert docx_bytes(document(ctx, MONTH)) == word
    opened = docx.Document(io.BytesIO(word))
    issued = doc.issued_on
    assert opened.core_properties.created is not None
    assert opened.core_properties.created.date() == issued
    assert opened.core_properties.modified is not None
    assert opened.core_properties.modified.date() == issued
    with zipfile.ZipFile(io.BytesIO(word)) as archive:
        stamps = {info.date_time[:3] for info in archive.infolist()}
    assert stamps == {(issued.year, issued.month, issued.day)}


def test_the_print_document_is_text_without_links_or_digests(ctx: SiteContext, doc: Document) -> None:
    html = document_html(ctx.env, doc)
    assert "<a " not in html
    assert "http" not in html
    assert "sha256" not in html.lower()
    assert ".csv" not in html
    assert "size: A4 portrait" in html
    assert "margin: 37mm 26mm 35mm 28mm" in html
    assert "counter(page)" in html
    assert '"仿宋_GB2312"' in html
    assert '"AR PL UMing CN"' in html
    assert "Noto" not in html
    assert '<meta name="dcterms.issued" content="2011-' in html
    # the simulated-data notice is in every page's footer, not above the title
    assert "模拟数据" in doc.note
    body = html.split("<body>", 1)[1]
    assert "模拟数据" not in body
    assert re.search(r"@bottom-center \{ content: \"[^\"]*\\6a21 ", html) is None  # CJK stays as it is
    assert css_string(doc.note) in html


def test_css_strings_cannot_end_the_style_element() -> None:
    quoted = css_string('a"b\\c</style><script>x</script>')
    assert "</style>" not in quoted
    assert '"' not in quoted[1:-1]
    assert "\\" + "5c " in quoted


def test_a_marking_is_on_the_documents_and_the_bulletin_page(ctx: SiteContext) -> None:
    programme = ctx.dataset.programme
    marked = dataclasses.replace(
        programme, bulletin=dataclasses.replace(programme.bulletin, marking="内部资料 注意保存")
    )
    marked_ctx = SiteContext(dataclasses.replace(ctx.dataset, programme=marked), ctx.results, editions=ctx.editions)
    # a month shown from today's data (a bulletin drawn from its sealed edition has that edition's settings)
    month = next(m for m in ctx.months if m not in ctx.editions)
    doc = document(marked_ctx, month)
    opened = docx.Document(io.BytesIO(docx_bytes(doc)))
    assert opened.paragraphs[0].text == "内部资料 注意保存"
    assert opened.paragraphs[1].text == programme.bulletin.issuer
    assert '<p class="marking">内部资料 注意保存</p>' in document_html(marked_ctx.env, doc)
    page = next(p for p in bulletins.pages(marked_ctx) if p.path == f"bulletins/{month}.md")
    assert '<p class="bulletin-marking">内部资料 注意保存</p>' in page.body


def test_the_bulletin_page_links_its_files_as_issued(ctx: SiteContext) -> None:
    files = documents.files(ctx)
    for month in ctx.months:
        assert document_path(month, "docx") in files
        assert document_path(month, "print.html") in files
    # 2011-08 was corrected: its corrected edition beside the one as issued
    assert document_path("2011-08", "docx", corrected=True) in files
    # 2011-09 only followed that correction, its figures unchanged: no corrected edition of its own
    assert document_path("2011-09", "docx", corrected=True) not in files
    pages = {p.path: p for p in bulletins.pages(ctx)}
    body = pages["bulletins/2011-08.md"].body
    assert "bulletin-2011-08.docx" in body
    assert "bulletin-2011-08-corrected.docx" in body
    assert ".pdf" not in body  # no PDF is linked when the build does not print them
    printing = SiteContext(ctx.dataset, ctx.results, editions=ctx.editions, pdf=True)
    body = next(p for p in bulletins.pages(printing) if p.path == f"bulletins/{MONTH}.md").body
    assert f"bulletin-{MONTH}.pdf" in body
    assert f"bulletin-{MONTH}.docx" in body


def test_the_corrected_edition_says_so(ctx: SiteContext) -> None:
    issued = document(ctx, "2011-08")
    corrected = document(ctx, "2011-08", corrected=True)
    assert corrected.stem == "bulletin-2011-08-corrected"
    assert corrected.edition == "更正后"
    assert isinstance(corrected.blocks[0], type(issued.blocks[0]))
    assert "更正" in corrected.blocks[0].text  # type: ignore[union-attr]
    tables = [b for b in issued.blocks if isinstance(b, Table)]
    assert tables


def test_libreoffice_opens_the_word_file(ctx: SiteContext, doc: Document, word: bytes, tmp_path: Path) -> None:
    """LibreOffice (headless, Debian's libreoffice-writer-nogui) converts the .docx to PDF, as an office's
    OA system would open it; the PDF's text holds the title and every district's name."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None, "LibreOffice is missing: make setup installs libreoffice-writer-nogui"
    source = tmp_path / "bulletin.docx"
    source.write_bytes(word)
    profile = (tmp_path / "profile").as_uri()  # its own profile: no clash with a LibreOffice already running
    command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir"]
    subprocess.run([*command, str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    pdf = (tmp_path / "bulletin.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", doc.title) in flat
    for region in ctx.dataset.regions:
        assert region.name in flat, region.name
    # the 版记 at the bottom of the last page, a portrait one: its last line just above the type area's
    # lower edge (35 mm), nothing above it on that page
    last = reader.pages[-1]
    assert float(last.mediabox.width) < float(last.mediabox.height)
    lines: list[tuple[float, str]] = []
    last.extract_text(visitor_text=lambda t, cm, tm, font, size: lines.append((tm[5] * cm[3] + cm[5], t)))
    cc = max(y for y, t in lines if t.strip().startswith("抄"))
    bottom = 35 / 25.4 * 72
    printed = min(y for y, t in lines if "印发" in t)
    assert bottom < printed < cc < bottom + 4 * 28.95, (cc, printed)
    assert all(y <= cc + 0.5 for y, t in lines if t.strip()), "nothing above the 版记 on its page"


def test_text_word_cannot_hold_is_left_out_not_a_crash(doc: Document) -> None:
    hostile = dataclasses.replace(doc, title="标题\x07<w:t>&", blocks=(Table("表\x0b", ("a&<",), (("b\x01>",),)),))
    opened = docx.Document(io.BytesIO(docx_bytes(hostile)))
    assert "标题<w:t>&" in [p.text for p in opened.paragraphs]
    assert opened.tables[0].rows[1].cells[0].text == "b>"


def test_a_title_longer_than_word_properties_hold_is_whole_in_the_text(doc: Document) -> None:
    long_title = "关于" + "很长的名称" * 80 + "的通报"  # 405 characters; Word's core properties take 255
    opened = docx.Document(io.BytesIO(docx_bytes(dataclasses.replace(doc, title=long_title, issuer="局" * 300))))
    assert long_title in [p.text for p in opened.paragraphs]
    assert opened.core_properties.title == long_title[:255]
    assert opened.core_properties.author == "局" * 255


def test_a_simulated_data_notice_longer_than_the_bottom_margin_still_makes_a_word_file(doc: Document) -> None:
    long_note = "模拟数据说明。" * 400  # far more lines than the 35 mm bottom margin holds
    opened = docx.Document(io.BytesIO(docx_bytes(dataclasses.replace(doc, note=long_note))))
    distance = opened.sections[0].footer_distance
    assert distance is not None
    assert distance >= docx.shared.Mm(4)
    assert long_note in "".join(p.text for p in opened.sections[0].footer.paragraphs)
