"""A bulletin as an HTML document laid out for print in the national layout of official documents
(GB/T 9704-2012), which Chromium prints to the bulletin's PDF (`site/chromium.py`); no I/O.

Its stylesheet is inside it (templates/official/document.html.j2), so that the site's own pages keep theirs;
the page numbers and the simulated-data notice are CSS margin boxes of every page.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup, escape

from site_builder.render.official import Document, Table

TYPE_WIDTH_MM = 156
NUMBER_BOX = (
    'font-size: 14pt; font-family: "宋体", "SimSun", "AR PL UMing CN"; vertical-align: top; padding-top: 7mm;'
    " width: 40mm; white-space: nowrap;"
)


def css_string(text: str) -> str:
    """Text as a CSS string literal, whatever it holds (quotes, backslashes, `</style>`)."""
    if not text:
        return "none"
    return '"' + "".join(c if c.isalnum() else f"\\{ord(c):x} " for c in text) + '"'


# Header text and cell values up to these lengths are kept whole (CSS word-break: keep-all); longer ones wrap,
# so that a table is never wider than the type area. The first column (districts, indicators) never wraps.
HEADER_KEPT = 6
CELL_KEPT = 16


def _wrap(text: str, kept: int) -> str:
    return ' class="wrap"' if len(text) > kept else ""


def table_html(table: Table) -> Markup:
    dense = " dense" if len(table.header) > 6 else ""
    head = "".join(f'<th scope="col"{_wrap(h, HEADER_KEPT)}>{escape(h)}</th>' for h in table.header)
    rows = "".join(
        "<tr>"
        + "".join(f"<td{_wrap(v, CELL_KEPT) if i else ''}>{escape(v)}</td>" for i, v in enumerate(row))
        + "</tr>\n"
        for row in table.rows
    )
    return Markup(
        f'<table class="official-table{dense}">\n<caption>{escape(table.caption)}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"
    )


def issuer_size(issuer: str) -> str:
    """The masthead's size in mm: as large as the type area's width allows, at most 22 mm (GB/T 9704 7.2.3)."""
    return f"{min(22.0, TYPE_WIDTH_MM * 0.96 / max(len(issuer), 1)):.2f}"


def document_html(env: jinja2.Environment, doc: Document) -> str:
    return env.get_template("official/document.html.j2").render(
        doc=doc,
        table=table_html,
        note_css=Markup(css_string(doc.note)),
        number_box=Markup(NUMBER_BOX),
        issuer_size=issuer_size(doc.issuer),
    )
