"""Excel report forms out: one .xlsx per district and month (`read.py` takes the filled form back).

Pure: bytes in, bytes out, no file I/O (written by XlsxWriter in memory through `files/workbook.py`;
read back by openpyxl's `load_workbook` in `read.py`; the layout both share is `layout.py`).
The sheet 填报表 has a locked header block and
one row per indicator the district reports that month (`layout.asked`: due and applicable; a district
with none gets no form); the white input cells are the only unlocked cells of the protected sheet. A very
hidden sheet `_meta` records the format version, region, month and indicator order, so that `read_form`
recognizes a form whose layout changed.
What `read_form` cannot take becomes a finding at the cell's address (form-layout, form-region,
form-cell); its rows are the report CSV's columns as text, which `report_csv` writes and the pipeline
then validates like any report file (`locate_in_form` maps those findings back to the form's cells).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from site_builder.compute import Results
from site_builder.compute.ranking import due_date
from site_builder.core.method import SIGNED, expected_share, month_number
from site_builder.files.workbook import Book
from site_builder.forms.layout import (
    COLUMNS,
    EXPLANATION_LIMIT,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    INSTRUCTIONS,
    KIND_ZH,
    LABELS,
    LETTER,
    LEVEL_NOTE,
    LIGHT_ZH,
    META,
    MONTH_CELL,
    NUMBER_PROMPT,
    PROGRESS,
    REGION_CELL,
    REPORT_COLUMNS,
    SHEET,
    SIGNED_PROMPT,
    asked,
    form_filename,
)
from site_builder.model import Dataset, Indicator, Region

# cell formats, as XlsxWriter format properties
PLAIN: dict[str, object] = {"font_size": 11, "valign": "vcenter", "text_wrap": True}
BOXED: dict[str, object] = {**PLAIN, "border": 1, "border_color": "#A6A6A6", "pattern": 1}
LOCKED_FILL: dict[str, object] = {**BOXED, "bg_color": "#F2F2F2"}
UNUSED_FILL: dict[str, object] = {**BOXED, "bg_color": "#BFBFBF"}
INPUT_FILL: dict[str, object] = {**BOXED, "bg_color": "#FFFFFF", "locked": False}
HEADER_FILL: dict[str, object] = {**BOXED, "bg_color": "#DDEBF7", "bold": True}
WARN_FILL: dict[str, object] = {"bg_color": "#FFEB9C"}
SIGNED_LIMIT = 1e15  # a level may be negative: Excel's check only asks for a number

# Making forms


@dataclass(frozen=True)
class _Context:
    """What the forms of one month show besides the indicators, looked up once for all the districts."""

    month: str
    due: dt.date
    profiles: Mapping[str, Sequence[float]]
    targets: dict[tuple[str, str], float]
    previous: dict[tuple[str, str], tuple[float | None, float | None, float | None]]
    completion: dict[tuple[str, str], tuple[float | None, str]]


def _context(dataset: Dataset, results: Results | None, month: str, region_ids: list[str]) -> _Context:
    mine = pl.col("region_id").is_in(region_ids)
    number = month_number(month)  # cumulative figures restart in January: no previous month then
    previous = f"{month[:4]}-{number - 1:02d}" if number > 1 else None
    targets = dataset.targets.filter((pl.col("year") == int(month[:4])) & mine)
    reports = dataset.reports.filter((pl.col("month") == previous) & mine)
    progress = results.progress.filter((pl.col("month") == previous) & mine) if results else pl.DataFrame()
    return _Context(
        month,
        due_date(dataset, month),
        dataset.programme.profiles,
        {(r, i): t for r, i, t in targets.select("region_id", "indicator_id", "target").iter_rows() if t is not None},
        {(r, i): (v, n, d) for r, i, v, n, d in reports.select(*REPORT_COLUMNS[1:6]).iter_rows()},
        {(r, i): (c, light) for r, i, c, light in progress.select(*PROGRESS).iter_rows()} if results else {},
    )


def make_form(dataset: Dataset, results: Results | None, region_id: str, month: str) -> bytes | None:
    """One district's report form for one month, as .xlsx bytes (the same data give the same bytes);
    None when the district reports nothing that month (`layout.asked`: nothing due, or not applicable)."""
    if not asked(dataset, region_id, month):
        return None
    return _build(dataset, dataset.region(region_id), _context(dataset, results, month, [region_id]))


def make_forms(dataset: Dataset, results: Results | None, month: str) -> dict[str, bytes]:
    """The form of every district that reports something for the month, by `form_filename`; the data
    are looked up once for all."""
    context = _context(dataset, results, month, [r.id for r in dataset.regions])
    return {
        form_filename(dataset, r.id, month): _build(dataset, r, context)
        for r in dataset.regions
        if asked(dataset, r.id, month)
    }


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and float(value).is_integer() else value


def _check(kind: str, criteria: str, limits: dict[str, object], *, title: str, text: str) -> dict[str, object]:
    """Excel's check of some input cells (XlsxWriter's data validation options), with a prompt shown
    when such a cell is selected."""
    return {
        "validate": kind,
        "criteria": criteria,
        **limits,
        "ignore_blank": True,
        "show_input": True,
        "show_error": True,
        "input_title": title,
        "input_message": text,
        "error_title": "填写有误",
        "error_message": text,
    }


def _checks(due: dt.date) -> dict[str, dict[str, object]]:
    """Excel's own checks of the input cells, by kind of cell."""
    first, last = due.replace(day=1), dt.date(due.year + 1, 12, 31)
    behind = f"落后于序时进度时写明未完成原因、困难和问题及下一步措施，不超过 {EXPLANATION_LIMIT} 字。"
    return {
        "number": _check("decimal", ">=", {"value": 0}, title="累计数", text=NUMBER_PROMPT),
        "signed": _check(
            "decimal",
            "between",
            {"minimum": -SIGNED_LIMIT, "maximum": SIGNED_LIMIT},
            title="本期值",
            text=SIGNED_PROMPT,
        ),
        "submitted_on": _check(
            "date", "between", {"minimum": first, "maximum": last}, title="报送日期", text=f"年-月-日，如 {due}。"
        ),
        "explanation": _check("length", "<=", {"value": EXPLANATION_LIMIT}, title="说明", text=behind),
    }


def _header(book: Book, ws: Any, dataset: Dataset, region: Region, context: _Context, *, levels: bool) -> None:
    last = LETTER[COLUMNS[-1][0]]
    bold = {**PLAIN, "bold": True}
    book.put(ws, f"A1:{last}1", f"{dataset.programme.name}月度进展报表", **{**PLAIN, "font_size": 16, "bold": True})
    for ref, label in LABELS.items():
        book.put(ws, ref, label, **bold)
    book.put(ws, f"B2:{last}2", dataset.programme.organization, **PLAIN)
    book.put(ws, "B3:D3", region.name, **PLAIN)
    book.put(ws, REGION_CELL, region.id, **{**PLAIN, "font_size": 9, "font_color": "#808080"})
    book.put(ws, f"{MONTH_CELL}:D4", context.month, **PLAIN)
    book.put(ws, "F4", context.due, **PLAIN, num_format="yyyy-mm-dd")
    instructions = INSTRUCTIONS.format(example=context.due.isoformat()) + (f"\n{LEVEL_NOTE}" if levels else "")
    book.put(ws, f"B5:{last}5", instructions, **PLAIN)
    ws.set_row(4, 118 if levels else 100)
    ws.set_row(HEADER_ROW - 1, 32)
    for column, (_, title, width) in enumerate(COLUMNS):
        ws.set_column(column, column, width)
        book.write(ws, HEADER_ROW - 1, column, title, **HEADER_FILL)


def _row(book: Book, ws: Any, r: int, indicator: Indicator, *, key: tuple[str, str], context: _Context) -> list[str]:
    """One indicator's row (`r` counted from 1, as Excel shows it): locked reference cells, then the input
    cells (grey and locked where they do not apply). Returns the input cells' columns."""
    rate = indicator.kind == "rate"
    value, numerator, denominator = context.previous.get(key, (None, None, None))
    previous: object = f"{_number(numerator)}/{_number(denominator)}" if rate and denominator else _number(value)
    completion, light = context.completion.get(key, (None, "grey"))
    locked: dict[str, tuple[object, str | None]] = {
        "indicator_id": (indicator.id, None),
        "name": (indicator.name, None),
        "kind": (KIND_ZH[indicator.kind] + (f"（{indicator.unit}）" if indicator.unit else ""), None),
        "target": (_number(context.targets.get(key)), None),
        "expected": (expected_share(indicator.profile, month_number(context.month), context.profiles), "0.0%"),
        "previous": (previous, None),
        "last_completion": (completion, f'0.0%" {LIGHT_ZH[light]}"' if light in LIGHT_ZH else "0.0%"),
    }
    columns = {key: column for column, (key, _, _) in enumerate(COLUMNS)}
    for name, (content, number_format) in locked.items():
        shown = {"num_format": number_format} if number_format else {}
        book.write(ws, r - 1, columns[name], content, **LOCKED_FILL, **shown)
    inputs = ["numerator", "denominator"] if rate else ["value"]  # grey and locked where they do not apply
    for name in ("value", "numerator", "denominator", "submitted_on", "explanation"):
        fill = INPUT_FILL if name in inputs or name in ("submitted_on", "explanation") else UNUSED_FILL
        shown = {"num_format": "yyyy-mm-dd"} if name == "submitted_on" else {}
        book.write(ws, r - 1, columns[name], None, **fill, **shown)
    # the explanation turns yellow while the figures typed are behind expected progress and it is empty
    actual, known = (f"100*$I{r}/$J{r}", f"ISNUMBER($I{r}),ISNUMBER($J{r})") if rate else (f"$H{r}", f"ISNUMBER($H{r})")
    # lower is better: behind while the value is above the ceiling to date (target × expected progress)
    behind = f"{actual}/$D{r}<$E{r}" if indicator.direction == "higher" else f"{actual}>$D{r}*$E{r}"
    rule = f'AND($L{r}="",{known},{behind})'
    ws.conditional_format(f"L{r}", {"type": "formula", "criteria": rule, "format": book.format(**WARN_FILL)})
    return inputs


def _build(dataset: Dataset, region: Region, context: _Context) -> bytes:
    due = context.due
    title = f"{region.name} {context.month} 月度进展报表"
    book = Book(title=title, author=dataset.programme.organization, day=due)
    ws = book.sheet(SHEET)
    indicators = asked(dataset, region.id, context.month)  # due that month and applicable to the district
    _header(book, ws, dataset, region, context, levels=any(i.kind in SIGNED for i in indicators))
    cells: dict[str, list[str]] = {"number": [], "signed": [], "submitted_on": [], "explanation": []}
    for r, indicator in enumerate(indicators, start=FIRST_ROW):
        for name in _row(book, ws, r, indicator, key=(region.id, indicator.id), context=context):
            cells["signed" if indicator.kind in SIGNED else "number"].append(f"{LETTER[name]}{r}")
        cells["submitted_on"].append(f"{LETTER['submitted_on']}{r}")
        cells["explanation"].append(f"{LETTER['explanation']}{r}")
    for kind, options in _checks(due).items():
        if cells[kind]:
            ws.data_validation(cells[kind][0], {**options, "multi_range": " ".join(cells[kind])})
    ws.freeze_panes(f"C{FIRST_ROW}")
    ws.repeat_rows(HEADER_ROW - 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.protect("", {"format_columns": True, "format_rows": True})  # widths and heights may change
    meta = book.sheet(META)
    rows = [("format", FORMAT), ("region_id", region.id), ("month", context.month)]
    for r, row in enumerate([*rows, *(("indicator", i.id) for i in indicators)]):
        for column, value in enumerate(row):
            book.write(meta, r, column, value)
    meta.very_hidden()
    meta.protect()
    return book.finish(lock_structure=True)
