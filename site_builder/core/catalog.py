"""Every finding code, its severity, and its message and hint in Chinese and English.

Codes are stable: documentation, CI annotations and editors' habits refer to them. Add codes,
never rename them. `docs/reference/findings.md` documents each one; a test keeps the two in step.
Templates use `str.format` fields; `{value}` is always available.

The entries live in the `catalog_*` modules beside this one, one per group of codes; `CATALOG`
joins them in this order, which is also the order of the reference page.
"""

from __future__ import annotations

from typing import Literal

from site_builder.core.catalog_bulletins import BULLETINS
from site_builder.core.catalog_cells import CELLS
from site_builder.core.catalog_documents import DOCUMENTS
from site_builder.core.catalog_entry import Entry
from site_builder.core.catalog_files import FILES
from site_builder.core.catalog_reports import REPORTS

__all__ = ["CATALOG", "IMPORT_CODES", "LANGUAGES", "REVIEW_CODES", "Entry", "Language", "render_message"]

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
# Codes of `bulletin import` (Excel forms): tested with real .xlsx files in tests/test_forms.py,
# not with data-folder fixtures.
IMPORT_CODES: tuple[str, ...] = ("form-layout", "form-region", "form-identity", "form-cell")
# Codes of `bulletin check-authors` (a pull request's commits): tested with real git repositories in
# tests/test_codeowners.py, not with data-folder fixtures.
REVIEW_CODES: tuple[str, ...] = ("change-not-owned",)

CATALOG: dict[str, Entry] = {
    **FILES,  # files and encodings; headers and rows
    **CELLS,  # cells; references across files
    **DOCUMENTS,  # YAML documents; organization and assignments
    **REPORTS,  # monthly reports; supervision draws and maps
    **BULLETINS,  # published bulletins; Excel report forms
}


def render_message(code: str, part: Literal["message", "hint"], lang: Language, fields: dict[str, object]) -> str:
    entry = CATALOG[code]
    message, hint = entry.zh if lang == "zh" else entry.en
    return (message if part == "message" else hint).format_map(fields)
