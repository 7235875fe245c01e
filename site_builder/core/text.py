"""Text from the data that another program could misread, shared by validation and every writer.

Two hazards. A spreadsheet takes a cell that starts with `=`, `+`, `-` or `@` (also after spaces or
tabs), or with a tab or a carriage return, for a formula: `neutralise` keeps every file the project
writes for a spreadsheet inert, and validation reports such text in the data (`cell-formula`), since
the clerk's files are published as they are. Invisible characters (C0 and C1 controls, DEL,
bidirectional controls, zero-width and other format characters) change what a terminal, a CI log or a
reader sees without showing themselves: validation reports them (`text-invisible`), every finding is
printed through `escape_invisible`, and keys are compared through `comparable_expr`, so that
"海\u200b拉尔", "海拉尔" and their full-width forms are the same name.
"""

from __future__ import annotations

import re

import polars as pl

# Regular expressions written so that Python's `re` and polars (Rust `regex`) read them alike.
FORMULA_PATTERN = r"^(?:[\t\r]|[ \t\r\n]*[=+\-@])"
_NUMBER_PATTERN = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"  # -5 stays a number
_BREAKS = ((0x09, 0x0A), (0x0D, 0x0D))  # tab, line feed, carriage return: allowed in free text
_CONTROLS = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F))  # C0 (but the breaks), DEL, C1
_FORMAT = (  # soft hyphen, bidirectional controls and marks, zero-width characters, other format characters
    (0xAD, 0xAD),
    (0x61C, 0x61C),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0xE0000, 0xE007F),
)


def _escape_point(point: int) -> str:
    if point < 0x100:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def _class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "[" + "".join(f"{_escape_point(low)}-{_escape_point(high)}" for low, high in ranges) + "]"


INVISIBLE_PATTERN = _class(_BREAKS + _CONTROLS + _FORMAT)  # every invisible or control character
INVISIBLE_IN_FREE_TEXT_PATTERN = _class(_CONTROLS + _FORMAT)  # the same, but tab and line breaks

_FORMULA = re.compile(FORMULA_PATTERN)
_NUMBER = re.compile(_NUMBER_PATTERN[1:-1])  # used with fullmatch
_INVISIBLE = re.compile(INVISIBLE_PATTERN)
_INVISIBLE_IN_FREE_TEXT = re.compile(INVISIBLE_IN_FREE_TEXT_PATTERN)


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take the text for a formula (a plain number such as -5 is not)."""
    return _FORMULA.match(text) is not None and _NUMBER.fullmatch(text) is None


def neutralise(text: str) -> str:
    """The text as a spreadsheet cell that stays text: formula-like text gets a leading apostrophe."""
    return "'" + text if formula_like(text) else text


def formula_expr(expr: pl.Expr) -> pl.Expr:
    """`formula_like` as a polars expression (null stays null)."""
    return expr.str.contains(FORMULA_PATTERN) & ~expr.str.contains(_NUMBER_PATTERN)


def neutralise_expr(expr: pl.Expr) -> pl.Expr:
    """`neutralise` as a polars expression, for whole text columns."""
    return pl.when(formula_expr(expr)).then(pl.lit("'") + expr).otherwise(expr)


def invisible_characters(text: str, *, free_text: bool = False) -> list[str]:
    """The invisible or control characters in the text, each once, in order of appearance; in free
    text, tab and line breaks are allowed."""
    found = (_INVISIBLE_IN_FREE_TEXT if free_text else _INVISIBLE).findall(text)
    return list(dict.fromkeys(found))


def code_point(char: str) -> str:
    """U+200B, for messages."""
    return f"U+{ord(char):04X}"


_SHORT = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
_ESCAPES = {
    point: _SHORT.get(point) or _escape_point(point)
    for low, high in _BREAKS + _CONTROLS + _FORMAT
    for point in range(low, high + 1)
}


def escape_invisible(text: str) -> str:
    """The text with every invisible or control character written as a visible escape (\\n, \\x1b, \\u202e)."""
    return text.translate(_ESCAPES)


def comparable_expr(expr: pl.Expr) -> pl.Expr:
    """Text as compared for uniqueness: invisible characters removed, then Unicode NFKC (full-width → half-width)."""
    return expr.str.replace_all(INVISIBLE_PATTERN, "").str.normalize("NFKC")
