"""A bulletin as a Word file (.docx) in the national layout of official documents (GB/T 9704-2012), made
in memory with python-docx: red masthead, 期号 line and red rule, title, headings, real Word tables,
landscape annexes, page numbers "— 1 —" at the outer corner, the 抄送/印发 block (no I/O).

The bytes depend only on the document: its core properties are dated from the bulletin's date, and the
archive is packed again with every entry dated that day (`files/zipfiles.py`).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as WordParagraph

from site_builder.files import zipfiles
from site_builder.render.official import Document, Heading, Paragraph, Table

# The faces offices have first; Word falls back by its own font substitution when they are missing.
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
RED = RGBColor(0xE6, 0x00, 0x12)
SIZE_3 = Pt(16)  # 三号
SIZE_2 = Pt(22)  # 二号
LINE = Pt(28.95)  # 22 lines in the 225 mm type area
TYPE_WIDTH_MM = 156
CAPTION, HEAD, CELL = "BulletinCaption", "BulletinHead", "BulletinCell"  # paragraph styles of tables
RECORD = "BulletinRecord"  # the 版记's paragraphs: 4号 (14 pt), a right tab stop one character in
RECORD_CHARS = 29  # characters of 4号 on a line of the 版记 (156 mm less a character each side)
RECORD_SPARE = Pt(8)  # the 版记's rules and what a renderer may add
NUMBER_LINE, NOTE_LINE = Pt(18), Pt(11)  # the footer's lines: the page number (4号), the notice (9 pt)
NOTE_CHARS = 48  # characters of 9 pt on a line of the footer


CORE_PROPERTY = 255  # characters of a Word core property (title, author) at most

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text Word can hold: characters XML forbids (control characters) are left out."""
    return _NOT_XML.sub("", text)


def _lines(text: str, per_line: int = RECORD_CHARS) -> int:
    """Lines a text takes at `per_line` full-width characters a line, counted generously (a half-width
    character as half a character); a line break ("\\n") starts a line."""
    return sum(
        max(1, math.ceil(sum(0.5 if ord(c) < 0x2000 else 1 for c in part if c != "\t") / per_line))
        for part in text.split("\n")
    )


def _font(run_or_style: object, face: str, size: Pt | None = None, color: RGBColor | None = None) -> None:
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = face
    if size is not None:
        font.size = size
    if color is not None:
        font.color.rgb = color
    element = run_or_style.element  # type: ignore[attr-defined]
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), face)


def _border(paragraph: WordParagraph, edges: tuple[str, ...], color: str, size: int) -> None:
    """A rule above or below a paragraph (w:pBdr): the red rule under the masthead, the 版记's lines."""
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for edge in edges:
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), str(size))
        line.set(qn("w:space"), "1")
        line.set(qn("w:color"), color)
        borders.append(line)
    properties.append(borders)


def _text(word: WordDocument, text: str, *, face: str = FANGSONG, size: Pt = SIZE_3, **layout: object) -> WordParagraph:
    paragraph = word.add_paragraph()
    run = paragraph.add_run(xml_text(text))
    _font(run, face, size, layout.get("color"))  # type: ignore[arg-type]
    paragraph.alignment = layout.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)  # type: ignore[assignment]
    if layout.get("indent", False):
        paragraph.paragraph_format.first_line_indent = Pt(32)
    return paragraph


def _page_number(paragraph: WordParagraph) -> None:
    """— PAGE — as a field, in 4号 半角宋体 digits."""
    paragraph.add_run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = text
            run._r.append(code)
        else:
            run.text = text or ""
    paragraph.add_run(" —")
    for run in paragraph.runs:
        _font(run, "宋体", Pt(14))


def _footers(section: Section, note: str) -> None:
    """Page numbers at the outer corner, a character in (odd pages right, even pages left), 7 mm under the type
    area, and the simulated-data notice under them. Their lines are of exact height, and the footer's distance
    from the page's edge is what leaves 7 mm, so that the footer never reaches into the type area (Word and
    LibreOffice would shorten every page's text to make room)."""
    notes = _lines(note, NOTE_CHARS) if note else 0
    # a notice too long for the bottom margin starts at least 4 mm from the page's edge (Word then shortens the
    # text area to make room) rather than at a negative distance, which Word files cannot hold
    section.footer_distance = Emu(max(Mm(4), Mm(35 - 7) - NUMBER_LINE - NOTE_LINE * notes))
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = NUMBER_LINE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(14)
        else:
            paragraph.paragraph_format.left_indent = Pt(14)
        _page_number(paragraph)
        if note:
            extra = footer.add_paragraph()
            extra.alignment = WD_ALIGN_PARAGRAPH.CENTER
            extra.paragraph_format.line_spacing = NOTE_LINE
            _font(extra.add_run(note), FANGSONG, Pt(9))


def _page(section: Section, landscape: bool = False) -> None:
    """A4 with the national margins: top 37 mm, binding edge 28 mm, type area 156 × 225 mm."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.page_width, section.page_height = width, height
    if landscape:
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


def _cell(text: str, style: str) -> str:
    return (
        f'<w:tc><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{escape(xml_text(text))}</w:t></w:r></w:p></w:tc>'
    )


def _table(word: WordDocument, table: Table, width_mm: float = TYPE_WIDTH_MM) -> None:
    """A real Word table (Table Grid), written as WordprocessingML at once: python-docx's cell-by-cell
    calls take seconds for a bulletin's tables. Its header row repeats on every page it runs onto."""
    caption = word.add_paragraph(xml_text(table.caption), style=CAPTION)
    caption.paragraph_format.keep_with_next = True
    dense = "Dense" if len(table.header) > 6 else ""
    width = round(width_mm / 25.4 * 1440)  # twips
    column = width // len(table.header)
    grid = "".join(f'<w:gridCol w:w="{column}"/>' for _ in table.header)
    head = "".join(_cell(text, f"{HEAD}{dense}") for text in table.header)
    rows = "".join("<w:tr>" + "".join(_cell(text, f"{CELL}{dense}") for text in row) + "</w:tr>" for row in table.rows)
    xml = (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{width}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblLayout w:type="autofit"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        f"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{head}</w:tr>{rows}</w:tbl>"
    )
    caption._p.addnext(parse_xml(xml))


def _styles(word: WordDocument) -> None:
    """The paragraph styles of captions and table cells (set once, not run by run)."""
    normal = word.styles["Normal"]
    _font(normal, FANGSONG, SIZE_3)
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_after = Pt(0)
    for name, face, size in (
        (CAPTION, HEITI, Pt(12)),
        (HEAD, HEITI, Pt(10.5)),
        (CELL, FANGSONG, Pt(10.5)),
        (HEAD + "Dense", HEITI, Pt(9)),
        (CELL + "Dense", FANGSONG, Pt(9)),
    ):
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _font(style, face, size)
        style.paragraph_format.first_line_indent = Pt(0)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    record = word.styles.add_style(RECORD, WD_STYLE_TYPE.PARAGRAPH)
    record.base_style = normal
    _font(record, FANGSONG, Pt(14))
    record.paragraph_format.first_line_indent = Pt(0)
    record.paragraph_format.left_indent = record.paragraph_format.right_indent = Pt(14)  # a character in
    record.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    # the 印发日期 ends a character in from the right edge
    record.paragraph_format.tab_stops.add_tab_stop(Mm(TYPE_WIDTH_MM) - Pt(14), WD_TAB_ALIGNMENT.RIGHT)


def _masthead(word: WordDocument, doc: Document) -> None:
    if doc.marking:
        _text(word, doc.marking, face=HEITI, align=WD_ALIGN_PARAGRAPH.LEFT)
    # the issuing body's name in red, as large as the type area's width allows (at most 小初, 36 pt)
    size = Pt(min(36.0, TYPE_WIDTH_MM * 72 / 25.4 / max(len(doc.issuer), 1) * 0.95))
    _text(word, doc.issuer, face=XIAOBIAOSONG, size=size, color=RED, align=WD_ALIGN_PARAGRAPH.CENTER)
    number = _text(word, doc.number_line, align=WD_ALIGN_PARAGRAPH.CENTER)
    number.paragraph_format.space_before = Pt(24)
    _border(number, ("bottom",), "E60012", 12)
    title = _text(word, doc.title, face=XIAOBIAOSONG, size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.space_before = Pt(28)
    title.paragraph_format.space_after = Pt(28)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if doc.edition:
        _text(word, f"（{doc.edition}）", align=WD_ALIGN_PARAGRAPH.CENTER)


def _signature(word: WordDocument, doc: Document) -> None:
    """The 落款: issuing body and date, right-aligned under the text."""
    word.add_paragraph()
    _text(word, doc.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _text(word, doc.issued or "（草稿）", align=WD_ALIGN_PARAGRAPH.RIGHT)


def _bottom(section: Section) -> None:
    """The section's text at the bottom of its page (Page Setup, vertical alignment: bottom; w:vAlign)."""
    sect = section._sectPr
    align = OxmlElement("w:vAlign")
    align.set(qn("w:val"), "bottom")
    later = {qn(f"w:{name}") for name in ("noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid")}
    follower = next((child for child in sect if child.tag in later), None)
    if follower is None:
        sect.append(align)
    else:
        follower.addprevious(align)


def _record(word: WordDocument, doc: Document) -> None:
    """The 版记 at the bottom of the last page (GB/T 9704 8): 抄送 and 印发 between rules, alone on a
    portrait page that starts on an even page (Word adds a blank page when it must). Word aligns that
    section to the page's bottom (w:vAlign); LibreOffice ignores that, so an empty paragraph of exact
    height fills the type area above the 版记, with a few points to spare (an office that lengthens the
    抄送 shortens it, in Paragraph > line spacing, or deletes it)."""
    section = word.add_section(WD_SECTION.EVEN_PAGE)
    _page(section)
    _bottom(section)
    cc = f"抄送：{'，'.join(doc.cc) if doc.cc else '无'}。"
    colophon = f"{doc.issuer}\t{doc.printed}"
    if _lines(colophon) > 1:  # the date on a line of its own, at the right
        colophon = f"{doc.issuer}\n\t{doc.printed}"
    spacer = word.add_paragraph()
    spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.paragraph_format.line_spacing = Emu(
        max(Mm(225) - LINE * (_lines(cc) + _lines(colophon)) - RECORD_SPARE, Pt(1))
    )
    paragraphs = []
    for text in (cc, colophon):
        paragraph = word.add_paragraph(style=RECORD)
        for n, line in enumerate(text.split("\n")):
            if n:
                paragraph.add_run().add_break()
            paragraph.add_run(xml_text(line))
        paragraphs.append(paragraph)
    _border(paragraphs[0], ("top", "bottom"), "000000", 8)
    _border(paragraphs[1], ("bottom",), "000000", 8)


def docx_bytes(doc: Document) -> bytes:
    """The document as a Word file whose bytes depend only on `doc`."""
    word = new_document()
    word.settings.odd_and_even_pages_header_footer = True
    _styles(word)
    section = word.sections[0]
    _page(section)
    _footers(section, doc.note)
    _masthead(word, doc)
    for block in doc.blocks:
        if isinstance(block, Heading):
            face = HEITI if block.level == 1 else KAITI
            _text(word, block.text, face=face, indent=True).paragraph_format.keep_with_next = True
        elif isinstance(block, Paragraph):
            _text(word, block.text, indent=True)
        else:
            _table(word, block)
    _signature(word, doc)
    for annex in doc.annexes:  # annexes on pages of their own, before the 版记 (GB/T 9704 7.4)
        landscape = word.add_section(WD_SECTION.NEW_PAGE)
        _page(landscape, landscape=True)
        _text(word, f"附件{annex.annex}", face=HEITI, align=WD_ALIGN_PARAGRAPH.LEFT)
        _table(word, annex, width_mm=225)
    _record(word, doc)
    when = dt.datetime(doc.issued_on.year, doc.issued_on.month, doc.issued_on.day, tzinfo=dt.UTC)
    core = word.core_properties
    # Word's core properties hold at most 255 characters (python-docx refuses longer ones)
    core.title, core.author = xml_text(doc.title)[:CORE_PROPERTY], xml_text(doc.issuer)[:CORE_PROPERTY]
    core.last_modified_by = core.author
    core.created = core.modified = core.last_printed = when
    core.revision = 1
    core.comments = core.keywords = core.subject = ""
    buffer = io.BytesIO()
    word.save(buffer)
    return zipfiles.repack(buffer.getvalue(), zipfiles.stamp(doc.issued_on))
