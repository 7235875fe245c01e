"""`bulletin pdf`: a month's bulletin as a PDF in the national layout of official documents.

It prints the bulletin's print document of the built site (downloads/bulletin-<month>.print.html,
made by render/official_html.py) with headless Chromium (`site/chromium.py`), dated from the bulletin;
CJK text is set in the faces named by the document, falling back to the free TrueType faces the project
installs (Debian's fonts-arphic-uming and fonts-wqy-zenhei), which embed as CID TrueType fonts.
"""

from __future__ import annotations

from site_builder.site.chromium import (
    CHROMIUM_FLAGS,
    CHROMIUM_NAMES,
    CHROMIUM_QUIET,
    PrintError,
    chromium,
    closed_network,
    print_document,
    print_documents,
    print_pdf,
    sandbox_flags,
    serving,
    settled,
)

__all__ = [
    "CHROMIUM_FLAGS",
    "CHROMIUM_NAMES",
    "CHROMIUM_QUIET",
    "PrintError",
    "chromium",
    "closed_network",
    "print_document",
    "print_documents",
    "print_pdf",
    "sandbox_flags",
    "serving",
    "settled",
]
