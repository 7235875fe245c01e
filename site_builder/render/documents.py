"""Bulletins as official documents: each bulletin as a Word file and as a print document, which the site
stage prints to PDF when the build is asked to and Chromium is there (`site/chromium.py`).

Files, no pages: downloads/bulletin-<month>.docx and .print.html, drawn from the data the bulletin was
issued with; a corrected bulletin has its corrected edition beside them (bulletin-<month>-corrected.*).
"""

from __future__ import annotations

from site_builder.render.base import Page
from site_builder.render.context import SiteContext
from site_builder.render.official import document_path, documents
from site_builder.render.official_docx import docx_bytes
from site_builder.render.official_html import document_html


def pages(ctx: SiteContext) -> list[Page]:
    return []


def files(ctx: SiteContext) -> dict[str, bytes]:
    out = {}
    for month, doc in documents(ctx):
        corrected = bool(doc.edition)
        out[document_path(month, "docx", corrected)] = docx_bytes(doc)
        out[document_path(month, "print.html", corrected)] = document_html(ctx.env, doc).encode("utf-8")
    return out
