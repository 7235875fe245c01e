"""Text that another program could misread: formula starts in free text, invisible characters anywhere.

The cells to look at are found column-wise with the other cell checks (`validate.columns`); only
failing cells are looked at one by one.

- `cell-formula`: a free-text cell (a string column without enum, pattern or foreign key) that a
  spreadsheet would take for a formula. The report files are published as they are (readers check
  them with `sha256sum` against the seal), so the text is reported, never changed.
- `text-invisible`: C0/C1 controls, DEL, bidirectional controls, zero-width and other format
  characters, in CSV cells and in every string of the YAML documents. Tab and line breaks are allowed
  in free text (a quoted CSV cell may hold several lines) and in YAML (block scalars); keys and names
  that must be unique allow none. Columns of codes (enum, pattern, reference) are not scanned: such a
  character makes the code fail its check, which then reports `text-invisible` instead, so a national
  report table costs one scan of its explanations only.
- Free-text keys (names) are compared after removing invisible characters and Unicode NFKC
  normalisation, so that "海\u200b拉尔", "海拉尔" and full-width forms are duplicates (`comparable_keys`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping

import polars as pl

from site_builder.core.contract import FieldSpec, TableSpec
from site_builder.core.findings import Finding
from site_builder.core.text import (
    INVISIBLE_IN_FREE_TEXT_PATTERN,
    INVISIBLE_PATTERN,
    code_point,
    comparable_expr,
    invisible_characters,
)
from site_builder.load import Path_, YamlFile

CellFinding = Callable[..., Finding]  # (row, code, **params) -> the finding located at that cell
Admit = Callable[[list[int], str], list[int]]  # (rows, code) -> the rows that get a finding of the code
_STARTS = {"\t": ("制表符（Tab）", "a tab"), "\r": ("回车符", "a carriage return")}
_NOT_PLAIN_ASCII = r"[^\x20-\x7e]"
_INVISIBLE_IN_FREE_TEXT = re.compile(INVISIBLE_IN_FREE_TEXT_PATTERN)
_CONTROL_NAMES = {0x00: "NULL", 0x09: "TAB", 0x0A: "LINE FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE"}


def coded(spec: TableSpec, field: FieldSpec) -> bool:
    """Whether a column holds codes: values constrained by an enum or a pattern, or references."""
    keyed = any(field.name in key.fields for key in spec.foreign_keys)
    return field.enum is not None or field.pattern is not None or keyed


def scanned(spec: TableSpec, field: FieldSpec) -> bool:
    """Whether a column is scanned for `text-invisible` and `cell-formula`: free strings, not codes.

    Columns of codes are not scanned: an invisible character makes a code fail its enum, pattern or
    reference, and `coded_problem` then names the character instead.
    """
    return field.type == "string" and not coded(spec, field)


def invisible_pattern(identifying: bool) -> str:
    """The characters `text-invisible` reports: tab and line breaks are allowed in free text only."""
    return INVISIBLE_PATTERN if identifying else INVISIBLE_IN_FREE_TEXT_PATTERN


def text_findings(
    field: FieldSpec,
    column: pl.Series,
    hidden: list[int],
    formula: list[int],
    *,
    identifying: bool,
    admit: Admit,
    cell: CellFinding,
) -> list[Finding]:
    """`text-invisible` and `cell-formula` findings for the rows of a scanned column (`scanned`) that
    hold an invisible character (`hidden`), or else look like a formula (`formula`).

    Neither finding makes the cell unusable: the text is still the text (names stay in the keys
    compared for uniqueness).
    """
    findings: list[Finding] = []
    for row in admit(hidden, "text-invisible") if hidden else ():
        characters = invisible_characters(column[row], free_text=not identifying)
        findings.append(cell(row, "text-invisible", **invisible_params(field, characters)))
    for row in admit(formula, "cell-formula") if formula else ():
        start = column[row].lstrip(" \n")[:1]
        zh, en = _STARTS.get(start, (f"“{start}”", f"'{start}'"))
        findings.append(cell(row, "cell-formula", start_zh=zh, start_en=en))
    return findings


def coded_problem(field: FieldSpec, code: str, value: str) -> tuple[str, dict[str, object]]:
    """The code of a value that fails its enum, pattern or reference: `text-invisible` (with its
    parameters) when it holds an invisible character, which is then the reason to give; else `code`."""
    characters = invisible_characters(value)
    return ("text-invisible", invisible_params(field, characters)) if characters else (code, {})


def invisible_params(field: FieldSpec, characters: list[str]) -> dict[str, object]:
    return {
        "characters": describe(characters),
        "where_zh": f"“{field.title}”（{field.name}）",
        "where_en": f"'{field.title}' ({field.name})",
    }


def describe(characters: list[str]) -> str:
    """U+200B ZERO WIDTH SPACE, U+001B: each character's code point, and its Unicode name if it has one."""
    names = [unicodedata.name(c, "") or _CONTROL_NAMES.get(ord(c), "") for c in characters]
    return ", ".join(f"{code_point(c)} {name}".strip() for c, name in zip(characters, names, strict=True))


def comparable_keys(spec: TableSpec, frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """The key columns as compared for uniqueness: free text (names) without invisible characters and
    NFKC-normalised; codes as they are, since they must equal a code exactly.

    Plain ASCII text is already in that form, so such columns are kept as they are too.
    """
    columns = []
    for key in keys:
        series = frame[key]
        free = series.dtype == pl.Utf8 and not coded(spec, spec.field(key))
        if free and series.str.contains(_NOT_PLAIN_ASCII).any():
            columns.append(comparable_expr(pl.col(key)).alias(key))
        else:
            columns.append(pl.col(key))
    return frame.select(columns)


def check_documents_text(documents: Mapping[str, YamlFile]) -> list[Finding]:
    """`text-invisible` for every key and string of every YAML document that holds such a character."""
    findings = []
    for path in sorted(documents):
        document = documents[path]
        joined = " ".join(_all_strings(document.data))
        if joined.isprintable() or not _INVISIBLE_IN_FREE_TEXT.search(joined):
            continue  # the usual case, in one scan (printable text holds no Cc, Cf, Zl or Zp character)
        for node_path, text in _strings(document.data):
            characters = invisible_characters(text, free_text=True)
            if characters:
                line, column = document.mark(node_path)
                findings.append(
                    Finding(
                        "text-invisible",
                        path,
                        line,
                        column,
                        text,
                        {
                            "characters": describe(characters),
                            "where_zh": f"字段 {_dotted(node_path)}",
                            "where_en": f"the field {_dotted(node_path)}",
                        },
                    )
                )
    return findings


def _all_strings(data: object) -> list[str]:
    """Every string of a YAML tree (mapping keys included), without paths; iterative, for deep trees."""
    found: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            found += [key for key in node if isinstance(key, str)]
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    return found


def _strings(data: object) -> Iterator[tuple[Path_, str]]:
    """Every string (mapping keys included) of a YAML tree with its path; iterative, for deep trees."""
    stack: list[tuple[Path_, object]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, str):
            yield path, node
        elif isinstance(node, dict):
            for key, value in node.items():
                if isinstance(key, str):
                    yield (*path, key), key
                stack.append(((*path, key), value))
        elif isinstance(node, list):
            stack.extend(((*path, index), value) for index, value in enumerate(node))


def _dotted(path: Path_) -> str:
    return ".".join(str(part) for part in path) or "—"
