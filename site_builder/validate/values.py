"""How one textual value fails: spreadsheet habits recognised, with the value it should be."""

from __future__ import annotations

import datetime as dt
import re

NUMBER_RE = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
INTEGER_RE = r"[+-]?[0-9]+"
ISO_DATE_RE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

_FULLWIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_OTHER_DATE = re.compile(r"([0-9]{4})\s*[/.年-]\s*([0-9]{1,2})\s*[/.月-]\s*([0-9]{1,2})\s*日?")


def has_fullwidth(text: str) -> bool:
    return text != text.translate(_FULLWIDTH)


def number_problem(text: str) -> tuple[str, str]:
    """The finding code for a cell that is not a plain number, and what to write instead."""
    if has_fullwidth(text):
        return "cell-fullwidth", text.translate(_FULLWIDTH)
    if text.endswith("%") and re.fullmatch(NUMBER_RE, text[:-1].strip()):
        return "cell-percent", text[:-1].strip()
    if _THOUSANDS.fullmatch(text):
        return "cell-thousands", text.replace(",", "")
    return "cell-type", ""


def date_finding_code(text: str) -> str:
    """`date-format` for a real date written another way (2011/5/1), else `date-invalid`."""
    return "date-format" if iso_suggestion(text) else "date-invalid"


def iso_suggestion(text: str) -> str:
    """The ISO form of a date written as 2011/5/1, 2011.5.1 or 2011年5月1日; '' if none."""
    match = _OTHER_DATE.fullmatch(text.strip().translate(_FULLWIDTH))
    if not match:
        return ""
    try:
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        return ""
