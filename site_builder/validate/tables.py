"""Check every CSV against its Table Schema, column by column, and cast it to typed columns.

Cells are checked as whole columns with polars, all columns of a table in one query
(`validate.columns`), so the work grows with the data and not with a Python loop per row or a
query per check; only failing cells are looked at one by one to say precisely what is wrong.
The result is one typed DataFrame per table (all report files form one table) with the source
file and line of every row, and the findings. Reading the files into one frame (and checking
their headers) is `validate.frames`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from site_builder.core.contract import REPORTS, Contract, FieldSpec, TableSpec
from site_builder.core.findings import Finding
from site_builder.load import CsvFile, Sources
from site_builder.validate.cap import Cap, by_code
from site_builder.validate.columns import LARGEST, Failing, check_cells, identifying
from site_builder.validate.frames import FILE, LINE, stack_files
from site_builder.validate.text_checks import coded_problem, comparable_keys, text_findings
from site_builder.validate.values import date_finding_code, iso_suggestion, number_problem

REFERENCE_CODES = {
    "regions": "unknown-region",
    "people": "unknown-person",
    "indicators": "unknown-indicator",
    "units": "unknown-unit",
}
_TYPE_WORDS = {"number": ("数字", "a number"), "integer": ("整数", "a whole number"), "date": ("日期", "a date")}


@dataclass
class Table:
    """A table's typed rows; `files[frame[FILE][i]]` and `frame[LINE][i]` locate row i."""

    spec: TableSpec
    files: list[CsvFile]
    columns: list[dict[str, int]]  # per file: field name -> column index in that file
    frame: pl.DataFrame  # typed; null where a cell is empty or invalid
    raw: pl.DataFrame  # the cells as written; null where the file lacks the column
    complete: bool = True  # False when a file of the table could not be read
    _cap: Cap = dataclasses.field(default_factory=Cap, repr=False)  # findings made and left out
    _file_of_row: np.ndarray[tuple[int], np.dtype[np.int32]] | None = dataclasses.field(default=None, repr=False)

    @property
    def usable(self) -> bool:
        """Whether rules may rely on the table holding every row it should."""
        return self.complete and bool(self.files)

    def locate(self, row: int, field: str | None = None) -> tuple[str, int, int]:
        file_index = int(self.frame[FILE][row])
        line = int(self.frame[LINE][row])
        csv_file = self.files[file_index]
        index = self.columns[file_index].get(field, 0) if field else 0
        found_line, column = csv_file.position(line, index)
        return csv_file.path, found_line, column

    def admitted(self, rows: Sequence[int], code: str) -> list[int]:
        """The rows (of `rows`, ascending) that get a finding of `code`: the first MAX_FINDINGS_PER_CODE per file
        and code; the rest are only counted (`left_out`), so a file of repeated rows costs a few findings."""
        if self._file_of_row is None:
            self._file_of_row = self.frame[FILE].to_numpy()
        return self._cap.admitted(rows, self._file_of_row, code)

    def left_out(self) -> list[Finding]:
        """One findings-truncated per file and code with findings not made since the last call."""
        return self._cap.left_out([f.path for f in self.files], lambda row: int(self.frame[LINE][row]))


def report_files(sources: Sources) -> list[str]:
    return [path for path in sorted(sources.csv) if path.startswith(f"{REPORTS}/")]


def check_tables(contract: Contract, sources: Sources) -> tuple[dict[str, Table], list[Finding]]:
    """Check headers, cells and keys of every table; return typed tables and findings."""
    findings: list[Finding] = []
    tables: dict[str, Table] = {}
    for spec in contract.tables.values():
        paths = report_files(sources) if spec.name == REPORTS else list(spec.paths)
        files = []
        complete = True
        for path in paths:
            if path in sources.csv:
                files.append(sources.csv[path])
            else:
                complete = False
                if path not in sources.files:
                    findings.append(Finding("file-missing", path, params={"expected": path}))
        if spec.name == REPORTS:
            missing = sorted(set(spec.paths) - set(sources.files))
            findings += [Finding("file-missing", path, params={"expected": path}) for path in missing]
        table, problems = _check_table(spec, files)
        table.complete = complete
        tables[spec.name] = table
        findings.extend(problems)
    for table in tables.values():
        findings.extend(_check_foreign_keys(table, tables))
    for table in tables.values():
        findings.extend(table.left_out())
    return tables, findings


def _check_table(spec: TableSpec, files: Sequence[CsvFile]) -> tuple[Table, list[Finding]]:
    raw, mappings, findings = stack_files(spec, files)
    table = Table(spec, list(files), mappings, raw, raw)
    typed, failing = check_cells(spec, raw)
    for field in spec.fields:
        findings.extend(_column_findings(table, field, raw[field.name], failing[field.name]))
    table.frame = raw.with_columns(typed)
    findings.extend(_check_keys(table, raw))
    return table, findings


def _column_findings(table: Table, field: FieldSpec, column: pl.Series, failing: Failing) -> list[Finding]:
    """One column's findings, check by check: rows admitted in this order keep the cap's counts."""

    def cells(code: str, rows: list[int], **params: object) -> list[Finding]:
        return [_cell(table, i, field, code, column[i], **params) for i in _rows(table, rows, code)]

    def coded_cells(code: str, rows: list[int], **params: object) -> list[Finding]:
        return [_coded_cell(table, i, field, code, column[i], **params) for i in _rows(table, rows, code)]

    findings = [_cell(table, i, field, "cell-required", "") for i in _rows(table, failing.required, "cell-required")]
    findings += cells("cell-whitespace", failing.spaced)
    findings += text_findings(
        field,
        column,
        failing.hidden,
        failing.formula,
        identifying=identifying(table.spec, field),
        admit=lambda rows, code: _rows(table, rows, code),
        cell=lambda i, code, **params: _cell(table, i, field, code, column[i], **params),
    )
    if failing.not_number:
        findings += _number_findings(table, field, column, failing.not_number)
    if failing.bad_date:
        findings += _date_findings(table, field, column, failing.bad_date, failing.written_iso)
    findings += [
        _cell(table, i, field, "cell-too-long", column[i], length=len(column[i]), limit=field.max_length)
        for i in _rows(table, failing.too_long, "cell-too-long")
    ]
    findings += coded_cells("cell-enum", failing.outside, expected="、".join(field.enum or ()))
    findings += coded_cells("cell-pattern", failing.unmatched, expected=field.pattern)
    findings += cells("cell-range", failing.out_of_range, expected=f"{_num(field.minimum)} – {_num(field.maximum)}")
    findings += cells("cell-range", failing.too_big, expected=f"{-LARGEST:,.0f} – {LARGEST:,.0f}")
    return findings


def _cell(table: Table, row: int, field: FieldSpec, code: str, value: str, **params: object) -> Finding:
    path, line, column = table.locate(row, field.name)
    return Finding(code, path, line, column, value, {"field": field.name, "title": field.title, **params})


def _rows(table: Table, rows: list[int], code: str) -> list[int]:
    """The `rows` that get a finding of `code` (at most MAX_FINDINGS_PER_CODE per file)."""
    return table.admitted(rows, code) if rows else []


def _number_findings(table: Table, field: FieldSpec, column: pl.Series, rows: list[int]) -> list[Finding]:
    """Cells that are not plain numbers: 85%, 1,234, full-width digits, or words."""
    findings = []
    problems = dict(zip(rows, map(number_problem, column.gather(rows).to_list()), strict=True))
    for i in by_code(table.admitted, problems):
        code, suggestion = problems[i]
        if code == "cell-type":
            zh, en = _TYPE_WORDS[field.type]
            findings.append(_cell(table, i, field, code, column[i], type_zh=zh, type_en=en))
        else:
            findings.append(_cell(table, i, field, code, column[i], suggestion=suggestion))
    return findings


def _date_findings(
    table: Table, field: FieldSpec, column: pl.Series, rows: list[int], written_iso: list[bool]
) -> list[Finding]:
    """Cells that are not real dates written YYYY-MM-DD."""
    texts = dict(zip(rows, column.gather(rows).to_list(), strict=True))
    iso = dict(zip(rows, written_iso, strict=True))
    codes = {i: ("date-invalid" if iso[i] else date_finding_code(text), "") for i, text in texts.items()}
    return [
        _cell(table, i, field, codes[i][0], texts[i], suggestion=iso_suggestion(texts[i]))
        for i in by_code(table.admitted, codes)
    ]


def _coded_cell(table: Table, row: int, field: FieldSpec, code: str, value: str, **params: object) -> Finding:
    """A code that fails its enum, pattern or reference; `text-invisible` if an invisible character is why."""
    code, invisible = coded_problem(field, code, value)
    return _cell(table, row, field, code, value, **(invisible or params))


def _false(length: int) -> pl.Series:
    return pl.Series(values=np.zeros(length, dtype=bool), dtype=pl.Boolean)


def _num(value: float | None) -> str:
    return "…" if value is None else f"{value:g}"


def _first_lines(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Row index of each key's first occurrence, for rows whose key is complete."""
    indexed = frame.with_row_index("_row").drop_nulls(keys)
    return indexed.group_by(keys, maintain_order=True).agg(pl.col("_row").first().alias("_first"))


def _check_keys(table: Table, raw: pl.DataFrame) -> list[Finding]:
    findings: list[Finding] = []
    spec = table.spec
    for field in spec.fields:
        if field.unique and [field.name] != list(spec.primary_key):
            findings += _duplicates(table, [field.name], raw, unique_field=field)
    if spec.primary_key:
        findings += _duplicates(table, list(spec.primary_key), raw, unique_field=None)
    return findings


def _duplicates(table: Table, keys: list[str], raw: pl.DataFrame, unique_field: FieldSpec | None) -> list[Finding]:
    compared = comparable_keys(table.spec, table.frame, keys)  # 海\u200b拉尔 and full-width forms repeat 海拉尔
    frame = compared.with_row_index("_row").drop_nulls(keys)
    dup = frame.filter(pl.struct(keys).is_duplicated())
    if dup.is_empty():
        return []
    firsts = _first_lines(compared, keys)
    dup = dup.join(firsts, on=keys).filter(pl.col("_row") != pl.col("_first"))
    findings = []
    dup = dup.sort("_row").with_columns(_same=~_false(len(dup)) if unique_field is None else _false(len(dup)))
    for name in table.spec.field_names if unique_field is None else ():  # whole rows compared, as columns
        same = raw[name].gather(dup["_row"]).eq_missing(raw[name].gather(dup["_first"]))
        dup = dup.with_columns(_same=pl.col("_same") & same)
    codes = (
        {"cell-unique": False} if unique_field is not None else {"row-duplicate": True, "primary-key-duplicate": False}
    )
    admitted = [row for code, same in codes.items() for row in _admit(table, dup, same, code)]
    dup = dup.filter(pl.col("_row").is_in(admitted))
    for row, first, same in zip(dup["_row"].to_list(), dup["_first"].to_list(), dup["_same"].to_list(), strict=True):
        code = "cell-unique" if unique_field is not None else "row-duplicate" if same else "primary-key-duplicate"
        first_path, first_line, _ = table.locate(first)
        where = f"{first_path}:{first_line}"
        value = "/".join(str(raw[k][row]) for k in keys)
        if unique_field is not None:
            findings.append(_cell(table, row, unique_field, "cell-unique", value, first=where))
            continue
        path, line, column = table.locate(row)
        findings.append(Finding(code, path, line, column, value, {"first": where, "expected": "+".join(keys)}))
    return findings


def _admit(table: Table, dup: pl.DataFrame, same: bool, code: str) -> list[int]:
    return table.admitted(dup.filter(pl.col("_same") == same)["_row"].to_list(), code)


def _check_foreign_keys(table: Table, tables: dict[str, Table]) -> Iterable[Finding]:
    for key in table.spec.foreign_keys:
        target = tables.get(key.resource)
        if target is None or not target.usable:
            continue  # a table that could not be read would make every reference look wrong
        code = REFERENCE_CODES.get(key.resource, "unknown-region")
        known = target.frame.select([pl.col(c).alias(f) for c, f in zip(key.reference_fields, key.fields, strict=True)])
        rows = table.frame.select(list(key.fields)).with_row_index("_row").drop_nulls(list(key.fields))
        missing = rows.join(known.drop_nulls().unique(), on=list(key.fields), how="anti").sort("_row")
        example = ", ".join(str(v) for v in known[key.fields[0]].drop_nulls().head(3).to_list())
        for row in table.admitted(missing["_row"].to_list(), code):
            field = table.spec.field(key.fields[0])
            value = "/".join(str(table.frame[f][row]) for f in key.fields)
            yield _coded_cell(table, row, field, code, value, example=example or "—")
