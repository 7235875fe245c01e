"""Excel report forms: one .xlsx per district and month out, the filled-in form back in as report rows.

Pure: bytes in, bytes out, no file I/O (written by XlsxWriter in memory through `site_builder.workbook`;
read back by openpyxl's `load_workbook` in `forms_read`). The sheet 填报表 has a locked header block and
one row per indicator; the white input cells are the only unlocked cells of the protected sheet. A very
hidden sheet `_meta` records the format version, region, month and indicator order, so that `read_form`
recognizes a form whose layout changed.
What `read_form` cannot take becomes a finding at the cell's address (form-layout, form-region,
form-cell); its rows are the report CSV's columns as text, which `report_csv` writes and the pipeline
then validates like any report file (`locate_in_form` maps those findings back to the form's cells).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from site_builder import paths
from site_builder.compute import Results
from site_builder.compute.ranking import due_date
from site_builder.contract import REPORTS, REQUIRED_COLUMNS
from site_builder.findings import Finding
from site_builder.method import expected_share, month_number
from site_builder.model import Dataset, Indicator, Region
from site_builder.workbook import Book

FORMAT = "bulletin-form/1"
SHEET, META = "填报表", "_meta"
HEADER_ROW, FIRST_ROW = 7, 8
REGION_CELL, MONTH_CELL = "F3", "B4"
REPORT_COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS[REPORTS]
MAX_BYTES, MAX_UNZIPPED = 10_000_000, 50_000_000
EXPLANATION_LIMIT = 1000
# the table's columns: keys (those of input columns are report CSV columns), titles and widths
KEYS = (
    "indicator_id name kind target expected previous last_completion "
    "value numerator denominator submitted_on explanation"
)
TITLES = (
    "指标编码 指标名称 类型/单位 年度目标 本月序时进度 上月累计 上月完成进度 "
    "累计完成值 分子 分母 报送日期 说明（未完成原因、困难和问题）"
)
COLUMNS = list(zip(KEYS.split(), TITLES.split(), (16, 26, 12, 10, 12, 13, 15, 12, 12, 12, 13, 44), strict=True))
LETTER: dict[str, str] = {key: xl_col_to_name(i) for i, (key, _, _) in enumerate(COLUMNS)}
LABELS = {"A2": "主管单位", "A3": "填报地区", "E3": "地区编码", "A4": "月份", "E4": "截止日期", "A5": "填写说明"}
KIND_ZH = {"rate": "率", "count": "数量", "milestone": "节点"}
LIGHT_ZH = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}
NUMBER = {"type_zh": "数字", "type_en": "a number"}
DATE = {"type_zh": "日期（年-月-日）", "type_en": "a date (YYYY-MM-DD)"}
INSTRUCTIONS = "\n".join(
    [
        "1. 只在白色单元格中填写；灰色单元格已锁定，不需要也不能填写。",
        "2. 累计完成值、分子、分母填写年初至本月底的累计数，只填数字，不带单位、百分号、千位分隔符或文字；"
        "率类指标填写分子和分母，由系统计算比率。",
        "3. 报送日期填写“年-月-日”，如 {example}。",
        "4. 完成进度低于本月序时进度的指标，必须在“说明”列写明未完成原因、困难和问题及下一步措施"
        "（需要说明而未填写时，说明单元格显示为黄色）。",
        "5. 保存为 Excel 工作簿（.xlsx），不要另存为 CSV；不要插入、删除或移动行和列，不要改动工作表。",
    ]
)
NUMBER_PROMPT = "只填写不小于 0 的数字，不带单位、百分号或文字。"
PROGRESS = ("region_id", "indicator_id", "completion", "light")
# cell formats, as XlsxWriter format properties
PLAIN: dict[str, object] = {"font_size": 11, "valign": "vcenter", "text_wrap": True}
BOXED: dict[str, object] = {**PLAIN, "border": 1, "border_color": "#A6A6A6", "pattern": 1}
LOCKED_FILL: dict[str, object] = {**BOXED, "bg_color": "#F2F2F2"}
UNUSED_FILL: dict[str, object] = {**BOXED, "bg_color": "#BFBFBF"}
INPUT_FILL: dict[str, object] = {**BOXED, "bg_color": "#FFFFFF", "locked": False}
HEADER_FILL: dict[str, object] = {**BOXED, "bg_color": "#DDEBF7", "bold": True}
WARN_FILL: dict[str, object] = {"bg_color": "#FFEB9C"}
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)  # not full-width digits
_NOT_IN_FILE_NAMES = re.compile(
    r'[\\/:*?"<>|\s\x00-\x1f\x7f\u2215\u2044\u29f8\uff0f\uff3c\u200b-\u200f\u202a-\u202e\u2066-\u2069]+'
)
LOOSE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", re.ASCII)


@dataclass(frozen=True)
class ImportedForm:
    region_id: str | None
    month: str | None
    rows: list[dict[str, str]]  # one per indicator, report CSV columns as text ("" for empty), indicator order
    findings: list[Finding]  # file = the form's name, line/column = the cell's row/column, params["cell"] = "C7"


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


def filename_region(dataset: Dataset, region_id: str) -> str:
    """The region's part of a form's file name: its name without characters no file name may hold
    (separators, look-alike slashes, controls, a leading dot), at most 40 characters; else its id."""
    name = _NOT_IN_FILE_NAMES.sub("", dataset.region(region_id).name).lstrip(".")[:40]
    return name or paths.identifier(region_id)


def form_filename(dataset: Dataset, region_id: str, month: str) -> str:
    """A form's file name: the region's name and the month, e.g. 海拉尔区-2011-10.xlsx; raises
    `paths.UnsafePath` for a month that is not one."""
    return f"{filename_region(dataset, region_id)}-{paths.month(month)}.xlsx"


def make_form(dataset: Dataset, results: Results | None, region_id: str, month: str) -> bytes:
    """One district's report form for one month, as .xlsx bytes (the same data give the same bytes)."""
    return _build(dataset, dataset.region(region_id), _context(dataset, results, month, [region_id]))


def make_forms(dataset: Dataset, results: Results | None, month: str) -> dict[str, bytes]:
    """Every district's form for the month, by `form_filename`; the data are looked up once for all."""
    context = _context(dataset, results, month, [r.id for r in dataset.regions])
    return {form_filename(dataset, r.id, month): _build(dataset, r, context) for r in dataset.regions}


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
        "submitted_on": _check(
            "date", "between", {"minimum": first, "maximum": last}, title="报送日期", text=f"年-月-日，如 {due}。"
        ),
        "explanation": _check("length", "<=", {"value": EXPLANATION_LIMIT}, title="说明", text=behind),
    }


def _header(book: Book, ws: Any, dataset: Dataset, region: Region, context: _Context) -> None:
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
    book.put(ws, f"B5:{last}5", INSTRUCTIONS.format(example=context.due.isoformat()), **PLAIN)
    ws.set_row(4, 100)
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
    inputs = ["numerator", "denominator"] if rate else ["value"]
    for name in ("value", "numerator", "denominator", "submitted_on", "explanation"):
        fill = INPUT_FILL if name in inputs or name in ("submitted_on", "explanation") else UNUSED_FILL
        shown = {"num_format": "yyyy-mm-dd"} if name == "submitted_on" else {}
        book.write(ws, r - 1, columns[name], None, **fill, **shown)
    # the explanation turns yellow while the figures typed are behind expected progress and it is empty
    actual, known = (f"100*$I{r}/$J{r}", f"ISNUMBER($I{r}),ISNUMBER($J{r})") if rate else (f"$H{r}", f"ISNUMBER($H{r})")
    done = f"{actual}/$D{r}" if indicator.direction == "higher" else f"$D{r}/({actual})"
    rule = f'AND($L{r}="",{known},{done}<$E{r})'
    ws.conditional_format(f"L{r}", {"type": "formula", "criteria": rule, "format": book.format(**WARN_FILL)})
    return inputs


def _build(dataset: Dataset, region: Region, context: _Context) -> bytes:
    due = context.due
    title = f"{region.name} {context.month} 月度进展报表"
    book = Book(title=title, author=dataset.programme.organization, day=due)
    ws = book.sheet(SHEET)
    _header(book, ws, dataset, region, context)
    cells: dict[str, list[str]] = {"number": [], "submitted_on": [], "explanation": []}
    for r, indicator in enumerate(dataset.indicators, start=FIRST_ROW):
        for name in _row(book, ws, r, indicator, key=(region.id, indicator.id), context=context):
            cells["number"].append(f"{LETTER[name]}{r}")
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
    for r, row in enumerate([*rows, *(("indicator", i.id) for i in dataset.indicators)]):
        for column, value in enumerate(row):
            book.write(meta, r, column, value)
    meta.very_hidden()
    meta.protect()
    return book.finish(lock_structure=True)
