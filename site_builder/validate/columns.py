"""Which cells of a table fail which check, for all its columns in one polars query.

Every check a cell can fail (`cell-required`, `cell-whitespace`, `text-invisible`, `cell-formula`,
not a number or a date, too long, outside its enum, pattern or range, too big) is first computed as
a plain boolean column per field, all in one `select`; the checks' rules (a cell with stray spaces
is not checked further, a cell outside its enum is not range-checked, …) then combine them with
numpy. A table costs two polars queries (the predicates, then the typed columns), whatever its
number of columns and checks. The findings are made from the failing rows by `validate.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl

from site_builder.core.contract import FieldSpec, TableSpec
from site_builder.core.text import formula_expr
from site_builder.validate.text_checks import invisible_pattern, scanned
from site_builder.validate.values import INTEGER_RE, ISO_DATE_RE, NUMBER_RE

LARGEST = 1e15  # the largest figure a number cell may hold: exact in a float, far beyond any count or sum (also
# refused by `bulletin erratum`)
_POLARS_TYPES = {"string": pl.Utf8, "number": pl.Float64, "integer": pl.Int64, "date": pl.Date}
_SPACED = r"^\s|\s$|\u3000"

Mask = np.ndarray[Any, np.dtype[np.bool_]]


@dataclass
class Failing:
    """One column's failing rows (ascending) per check, in the order its findings are made."""

    required: list[int] = field(default_factory=list)  # empty cells of a required column
    spaced: list[int] = field(default_factory=list)  # leading, trailing or full-width spaces
    hidden: list[int] = field(default_factory=list)  # invisible characters in free text
    formula: list[int] = field(default_factory=list)  # free text a spreadsheet takes for a formula
    not_number: list[int] = field(default_factory=list)  # not a plain number (or integer)
    bad_date: list[int] = field(default_factory=list)  # not a real date written YYYY-MM-DD
    written_iso: list[bool] = field(default_factory=list)  # per row of bad_date: written as YYYY-MM-DD
    too_long: list[int] = field(default_factory=list)
    outside: list[int] = field(default_factory=list)  # outside the enum
    unmatched: list[int] = field(default_factory=list)  # not matching the pattern
    out_of_range: list[int] = field(default_factory=list)  # below the minimum or above the maximum
    too_big: list[int] = field(default_factory=list)  # beyond LARGEST (or infinite)


def identifying(spec: TableSpec, field: FieldSpec) -> bool:
    """Whether stray spaces change what a value means: codes, keys, dates, numbers, unique names.

    Free text (names of things, definitions, explanations) may hold full-width spaces as Chinese
    writing does; it is not checked for them.
    """
    keyed = field.name in spec.primary_key or any(field.name in key.fields for key in spec.foreign_keys)
    return field.type != "string" or keyed or field.unique or field.enum is not None or field.pattern is not None


def check_cells(spec: TableSpec, raw: pl.DataFrame) -> tuple[list[pl.Series], dict[str, Failing]]:
    """Each field's column cast to its type (null where a cell is empty or bad), and its failing rows.

    Fields are keyed by position in the queries (`c0`, `c1`, …), so that no field name is read as
    a polars column pattern.
    """
    if not spec.fields:
        return [], {}
    cells = pl.DataFrame([raw[f.name].alias(f"c{k}") for k, f in enumerate(spec.fields)])
    predicates = cells.select([expr for k, f in enumerate(spec.fields) for expr in _predicates(spec, f, k)])
    failing: dict[str, Failing] = {}
    blanks: dict[int, Mask] = {}
    for k, f in enumerate(spec.fields):
        failing[f.name], blanks[k] = _combine(spec, f, lambda name, k=k: _mask(predicates, f"{k}.{name}"))
    nulled = [
        pl.when(pl.lit(pl.Series(values=blanks[k], dtype=pl.Boolean)))
        .then(None)
        .otherwise(pl.col(f"{k}.typed"))
        .alias(f.name)
        for k, f in enumerate(spec.fields)
    ]
    typed = predicates.select(nulled)
    by_name = {f.name: typed.to_series(k) for k, f in enumerate(spec.fields)}  # a repeated name: the last wins
    return list(by_name.values()), failing


def _predicates(spec: TableSpec, f: FieldSpec, k: int) -> list[pl.Expr]:
    """The plain per-cell tests of field `f` (column `c<k>`), null-free, named `<k>.<test>`."""
    column = pl.col(f"c{k}")
    tests: dict[str, pl.Expr] = {"null": column.is_null(), "empty": (column == "").fill_null(False)}
    if identifying(spec, f):
        tests["spaced"] = column.str.contains(_SPACED).fill_null(False)
    if scanned(spec, f):
        tests["hidden"] = column.str.contains(invisible_pattern(identifying(spec, f))).fill_null(False)
        tests["formula"] = formula_expr(column).fill_null(False)
    typed = column
    if f.type in ("number", "integer"):
        plain = INTEGER_RE if f.type == "integer" else NUMBER_RE
        tests["plain"] = column.str.contains(f"^(?:{plain})$").fill_null(False)
        typed = column.cast(_POLARS_TYPES[f.type], strict=False)
        figure = typed.cast(pl.Float64)  # an integer is compared with the float bounds as a float
        if f.minimum is not None:
            tests["low"] = (figure < f.minimum).fill_null(False)
        if f.maximum is not None:
            tests["high"] = (figure > f.maximum).fill_null(False)
        tests["huge"] = (typed.is_null() | (figure.abs() > LARGEST)).fill_null(True)
    elif f.type == "date":
        typed = column.str.to_date("%Y-%m-%d", strict=False)
        tests["iso"] = column.str.contains(f"^{ISO_DATE_RE}$").fill_null(False)
        tests["real"] = typed.is_not_null()
    if f.max_length is not None:
        tests["long"] = (column.str.len_chars() > f.max_length).fill_null(False)
    if f.enum is not None:
        tests["listed"] = column.is_in(pl.Series(values=list(f.enum), dtype=pl.Utf8).implode()).fill_null(False)
    if f.pattern is not None:
        tests["matched"] = column.str.contains(f"^(?:{f.pattern})$").fill_null(False)
    return [expr.alias(f"{k}.{name}") for name, expr in {**tests, "typed": typed}.items()]


def _mask(predicates: pl.DataFrame, name: str) -> Mask:
    mask: Mask = predicates.get_column(name).to_numpy()
    return mask


def _combine(spec: TableSpec, f: FieldSpec, test: Any) -> tuple[Failing, Mask]:
    """The failing rows per check, each check looking only at cells no earlier check found bad; and
    the cells left blank in the typed column (empty or bad)."""
    out = Failing()
    null, empty = test("null"), test("empty")
    bad = np.zeros(len(null), dtype=bool)
    if f.required:
        out.required = _rows(empty)
    if identifying(spec, f):
        spaced = test("spaced")
        out.spaced = _rows(spaced)
        bad |= spaced
    filled = ~empty & ~null & ~bad
    if scanned(spec, f):  # neither finding makes the cell unusable
        hidden = filled & test("hidden")
        out.hidden, out.formula = _rows(hidden), _rows(filled & test("formula") & ~hidden)
    number = f.type in ("number", "integer")
    if number:
        not_number = filled & ~test("plain")
        out.not_number = _rows(not_number)
        bad |= not_number
    elif f.type == "date":
        iso = test("iso")
        bad_date = filled & ~(iso & test("real"))
        out.bad_date = _rows(bad_date)
        out.written_iso = iso[bad_date].tolist()
        bad |= bad_date
    ok = filled & ~bad
    if f.max_length is not None:
        too_long = ok & test("long")
        out.too_long = _rows(too_long)
        bad |= too_long
    if f.enum is not None:
        outside = ok & ~test("listed")
        out.outside = _rows(outside)
        bad |= outside
    if f.pattern is not None:
        unmatched = ok & ~test("matched")
        out.unmatched = _rows(unmatched)
        bad |= unmatched
    if number and (f.minimum is not None or f.maximum is not None):
        low = test("low") if f.minimum is not None else np.zeros_like(bad)
        high = test("high") if f.maximum is not None else np.zeros_like(bad)
        out_of_range = ok & (low | high)
        out.out_of_range = _rows(out_of_range)
        bad |= out_of_range
    if number:
        too_big = ok & ~bad & test("huge")
        out.too_big = _rows(too_big)
        bad |= too_big
    return out, bad | empty | null


def _rows(mask: Mask) -> list[int]:
    rows: list[int] = np.flatnonzero(mask).tolist()
    return rows
