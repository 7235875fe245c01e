"""Stack the CSV files of one table into a single frame of cells as written, checking each header.

Plain files (no quotes, laid out exactly as the schema, the usual report) are parsed all at once by
polars; others row by row from the parsed CSV. Every row keeps the index of its file (FILE) and its
line (LINE), so a finding can point at the cell. Cells are not checked here: see `validate.tables`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from site_builder.core.contract import TableSpec
from site_builder.core.findings import Finding
from site_builder.load import CsvFile
from site_builder.validate.cap import cell_counts

FILE = "_file"
LINE = "_line"


def stack_files(spec: TableSpec, files: Sequence[CsvFile]) -> tuple[pl.DataFrame, list[dict[str, int]], list[Finding]]:
    """Check each file's header and read its rows into one frame of the cells as written.

    Returns the frame (one Utf8 column per field, null where a file lacks the column, then FILE and
    LINE), per file the mapping of field name to column index, and the findings about headers and
    cell counts.
    """
    findings: list[Finding] = []
    names = spec.field_names
    data: dict[str, list[str | None]] = {name: [] for name in names}
    file_ids: list[int] = []
    lines: list[int] = []
    mappings: list[dict[str, int]] = []
    bodies: list[tuple[int, int, str]] = []
    bulk: list[tuple[int, CsvFile, dict[str, int], int]] = []

    def read_rows(file_index: int, csv_file: CsvFile, mapping: dict[str, int], width: int) -> None:
        miscounted: list[tuple[int, int]] = []  # (line, cells)
        for row, line in zip(csv_file.rows, csv_file.lines, strict=True):
            if len(row) != width and (len(row) < width or any(cell != "" for cell in row[width:])):
                miscounted.append((line, len(row)))
                if len(row) > width:
                    continue
            for name in names:
                index = mapping.get(name)
                data[name].append(None if index is None else (row[index] if index < len(row) else ""))
            file_ids.append(file_index)
            lines.append(line)
        findings.extend(cell_counts(csv_file.path, miscounted, width))

    for file_index, csv_file in enumerate(files):
        if not csv_file.header:
            findings.append(Finding("file-empty", csv_file.path, 1, 1, params={"expected": ", ".join(names)}))
            mappings.append({})
            continue
        mapping, width, problems = _check_header(spec, csv_file)
        mappings.append(mapping)
        findings.extend(problems)
        body = _bulk_body(csv_file, mapping, names)
        if body is None:
            read_rows(file_index, csv_file, mapping, width)
        elif body:
            bodies.append((file_index, csv_file.header_line, body))
            bulk.append((file_index, csv_file, mapping, width))
    frames = []
    if bodies:
        try:
            frames.append(_read_bulk(names, bodies))
        except pl.exceptions.PolarsError:  # rows whose cell counts differ but add up: read them one by one
            for file_index, csv_file, mapping, width in bulk:
                read_rows(file_index, csv_file, mapping, width)
    raw = pl.DataFrame(
        {**{n: pl.Series(n, data[n], dtype=pl.Utf8) for n in names}, FILE: file_ids, LINE: lines},
        schema_overrides={FILE: pl.Int32, LINE: pl.Int32},
    )
    if frames:
        raw = pl.concat([*frames, raw]).sort(FILE, LINE)
    return raw, mappings, findings


def _bulk_body(csv_file: CsvFile, mapping: dict[str, int], names: tuple[str, ...]) -> str | None:
    """The file's records as one block of lines, when it can be parsed in bulk; else None.

    That is a file without quotes, laid out exactly as its schema, with no blank line and the
    same number of cells on every line (the usual report). Its record i is on line header+1+i.
    """
    if not csv_file.plain or len(csv_file.header) != len(names) or tuple(mapping) != names:
        return None
    body = csv_file.text[csv_file.body_start :].replace("\r\n", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    count = body.count("\n")
    empty_row = "\n" + "," * (len(names) - 1) + "\n"
    if body.startswith("\n") or "\n\n" in body or empty_row in "\n" + body:
        return None
    if body.count(",") != count * (len(names) - 1):
        return None
    return body


def _read_bulk(names: tuple[str, ...], bodies: list[tuple[int, int, str]]) -> pl.DataFrame:
    """Parse many plain files at once with polars; `bodies` holds (file index, header line, text)."""
    text = "".join(body for _, _, body in bodies).encode("utf-8")
    schema = dict.fromkeys(names, pl.Utf8)
    frame = pl.read_csv(
        text, has_header=False, schema=schema, quote_char=None, empty_string_is_null=False, infer_schema=False
    )
    counts = [body.count("\n") for _, _, body in bodies]
    file_ids = np.repeat(np.array([index for index, _, _ in bodies], dtype=np.int32), counts)
    starts = np.repeat(np.array([line + 1 for _, line, _ in bodies], dtype=np.int64), counts)
    offsets = np.repeat(np.cumsum([0, *counts[:-1]]), counts)
    lines = (starts + np.arange(len(file_ids)) - offsets).astype(np.int32)
    return frame.with_columns(pl.Series(FILE, file_ids), pl.Series(LINE, lines))


def _check_header(spec: TableSpec, csv_file: CsvFile) -> tuple[dict[str, int], int, list[Finding]]:
    findings: list[Finding] = []
    header = list(csv_file.header)
    names = spec.field_names
    if header == list(names):
        return {name: index for index, name in enumerate(names)}, len(names), findings
    expected = ", ".join(names)
    while header and header[-1] == "":
        header.pop()
    mapping: dict[str, int] = {}
    line = csv_file.header_line
    known = set(spec.field_names)
    for index, name in enumerate(csv_file.header):
        if name in known and name not in mapping:
            mapping[name] = index
            continue
        _, column = csv_file.position(line, index)
        if name == "":
            findings.append(Finding("header-blank-column", csv_file.path, line, column, params={"position": index + 1}))
        elif name in mapping:
            findings.append(Finding("header-duplicate-column", csv_file.path, line, column, name))
        else:
            findings.append(
                Finding("header-unknown-column", csv_file.path, line, column, name, params={"expected": expected})
            )
    for field in spec.fields:
        if field.name not in mapping and csv_file.header:
            findings.append(
                Finding(
                    "header-missing-column",
                    csv_file.path,
                    line,
                    1,
                    field.name,
                    params={"title": field.title, "expected": expected},
                )
            )
    return mapping, len(header), findings
