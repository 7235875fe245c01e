"""Every workbook the project writes (report forms, the bulletins' XLSX downloads), through XlsxWriter's
public API, in memory: no temporary file, and the same data give the same bytes.

Text from the data is always written as text, never as a formula, a number or a link; text a spreadsheet
would take for a formula (`text.formula_like`) gets Excel's quote prefix, so that it stays text even when
the cell is edited. Characters XML cannot hold are removed and carriage returns become line feeds. The
workbook's properties are dated `day`, and the package is made again by `zipfiles.repack`, every entry
dated `day`, so nothing depends on the clock.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import io
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]  # XlsxWriter ships no type information
from xlsxwriter.utility import xl_cell_to_rowcol  # type: ignore[import-untyped]

from site_builder.core.text import formula_like
from site_builder.files import zipfiles

ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML 1.0 cannot hold
DATE_FORMAT = "yyyy-mm-dd"
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
# XlsxWriter has no workbook protection: the element is put where the schema wants it, before <bookViews>
_BOOK_VIEWS = b"<bookViews>"
_LOCK_STRUCTURE = b'<workbookProtection lockStructure="1"/>'


def clean(text: str) -> str:
    """Text as a cell can hold it: no control characters but tab and line feed, line breaks as line feeds."""
    return ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def locked_structure(xml: bytes) -> bytes:
    """workbook.xml with the structure locked (XlsxWriter has no workbook protection)."""
    if xml.count(_BOOK_VIEWS) != 1 or b"<workbookProtection" in xml:
        raise ValueError("xl/workbook.xml is not laid out as expected: cannot lock the workbook's structure")
    return xml.replace(_BOOK_VIEWS, _LOCK_STRUCTURE + _BOOK_VIEWS)


class Book:
    """One workbook being written: sheets, cached cell formats, and its bytes once finished."""

    def __init__(self, *, title: str, author: str, day: dt.date) -> None:
        self.day = day
        self._buffer = io.BytesIO()
        self._book: Any = xlsxwriter.Workbook(self._buffer, OPTIONS)
        created = dt.datetime.combine(day, dt.time())
        self._book.set_properties({"title": clean(title), "author": clean(author), "created": created})
        self._formats: dict[tuple[tuple[str, object], ...], Any] = {}
        self._seen: dict[tuple[tuple[str, object], ...], Any] = {}  # properties in the order given → format

    def sheet(self, name: str) -> Any:
        """A new worksheet (XlsxWriter's `Worksheet`), after the others."""
        return self._book.add_worksheet(name)

    def format(self, **properties: object) -> Any:
        """The workbook's cell format with these XlsxWriter format properties (one per distinct set), or
        None for none."""
        return self._format(properties)

    def _format(self, properties: dict[str, object]) -> Any:
        if not properties:
            return None
        given = tuple(properties.items())
        found = self._seen.get(given)  # per cell, skip sorting: most cells share a few sets of properties
        if found is None:
            key = tuple(sorted(given))
            if key not in self._formats:
                self._formats[key] = self._book.add_format(dict(properties))
            found = self._seen[given] = self._formats[key]
        return found

    def write(self, sheet: Any, row: int, column: int, value: object, **properties: object) -> None:
        """One cell (0-based row and column) in the format `properties`: text as text, formula-like text
        with the quote prefix; numbers, booleans and dates typed (a date without a number format shown
        as yyyy-mm-dd); None and numbers that are not finite as a blank cell, kept only if formatted."""
        if isinstance(value, str):
            if value.isprintable():  # no control character, tab or line break: nothing to clean (the common case)
                text, quoted = value, formula_like(value)
            else:
                text = clean(value)
                quoted = formula_like(value) or formula_like(text)
            if quoted:
                properties = {**properties, "quote_prefix": True}
            sheet.write_string(row, column, text, self._format(properties))
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, self._format(properties))
        elif isinstance(value, dt.date):
            properties = {"num_format": DATE_FORMAT, **properties}
            sheet.write_datetime(row, column, value, self._format(properties))
        elif isinstance(value, int | float) and math.isfinite(value):
            sheet.write_number(row, column, value, self._format(properties))
        elif value is None or isinstance(value, int | float):
            sheet.write_blank(row, column, None, self._format(properties))
        else:
            raise TypeError(f"cannot write a {type(value).__name__} to a cell")

    def put(self, sheet: Any, cells: str, value: object, **properties: object) -> None:
        """`write` at a cell named as Excel shows it (B3), or into a range (B3:D3) merged into one cell."""
        first, _, last = cells.partition(":")
        if last:
            sheet.merge_range(cells, "", self.format(**properties))
        row, column = xl_cell_to_rowcol(first)
        self.write(sheet, row, column, value, **properties)

    def finish(self, *, lock_structure: bool = False) -> bytes:
        """The workbook's bytes, every zip entry dated `day`; with `lock_structure`, sheets cannot be added,
        removed, renamed, moved or unhidden in Excel."""
        self._book.close()
        edits = {"xl/workbook.xml": locked_structure} if lock_structure else {}
        return zipfiles.repack(self._buffer.getvalue(), zipfiles.stamp(self.day), edits)


class Remembered:
    """Workbooks' bytes by a digest of everything they are made from, kept between the rebuilds of a preview
    (`bulletin serve`), so that a saved report file remakes only the workbooks that show it. The oldest are
    forgotten beyond `limit` bytes."""

    def __init__(self, limit: int = 512 << 20) -> None:
        self.limit = limit
        self.made = 0  # workbooks made (not found), for tests and benchmarks
        self._items: OrderedDict[bytes, bytes] = OrderedDict()
        self._size = 0

    def get(self, key: bytes, make: Callable[[], bytes]) -> bytes:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
            return found
        found = make()
        self.made += 1
        self._items[key] = found
        self._size += len(found)
        while self._size > self.limit and len(self._items) > 1:
            self._size -= len(self._items.popitem(last=False)[1])
        return found


_REMEMBERED: contextvars.ContextVar[Remembered | None] = contextvars.ContextVar("workbooks", default=None)


@contextlib.contextmanager
def remembering(memory: Remembered) -> Iterator[None]:
    """Within the block, `made` looks workbooks up in `memory` before making them."""
    token = _REMEMBERED.set(memory)
    try:
        yield
    finally:
        _REMEMBERED.reset(token)


def made(parts: object, make: Callable[[], bytes]) -> bytes:
    """`make()`: the bytes of a workbook made only from `parts` (plain values: text, numbers, dates, tuples,
    lists, dataclasses, whose repr tells them apart). Inside `remembering`, equal parts give the bytes made
    before without making them again."""
    memory = _REMEMBERED.get()
    if memory is None:
        return make()
    return memory.get(hashlib.sha256(repr(parts).encode("utf-8")).digest(), make)
