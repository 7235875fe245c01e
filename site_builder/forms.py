"""Excel report forms: one .xlsx per district and month out, the filled-in form back in as report rows.

Pure: bytes in, bytes out, no file I/O (worksheets are serialized in memory, not through openpyxl's
temporary files). The sheet 填报表 has a locked header block and one row per indicator; the white input
cells are the only unlocked cells of the protected sheet. A very hidden sheet `_meta` records the format
version, region, month and indicator order, so that `read_form` recognizes a form whose layout changed.
What `read_form` cannot take becomes a finding at the cell's address (form-layout, form-region,
form-cell); its rows are the report CSV's columns as text, which `report_csv` writes and the pipeline
then validates like any report file (`locate_in_form` maps those findings back to the form's cells).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from site_builder import paths
from site_builder.compute import Results
from site_builder.compute.ranking import due_date
from site_builder.contract import REPORTS, REQUIRED_COLUMNS
from site_builder.findings import Finding
from site_builder.method import expected_share, month_number
from site_builder.model import Dataset, Indicator, Region
from site_builder.text import formula_like

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
LETTER = {key: get_column_letter(i) for i, (key, _, _) in enumerate(COLUMNS, start=1)}
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
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
UNUSED_FILL = PatternFill("solid", fgColor="BFBFBF")
INPUT_FILL = PatternFill("solid", fgColor="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WARN_FILL = PatternFill("solid", fgColor="FFEB9C", bgColor="FFEB9C")
EXCEL_EPOCH = dt.date(1899, 12, 30)
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


def _put(ws: Any, ref: str, value: object, *, font: Font | None = None, fill: PatternFill | None = None) -> Any:
    """Write a cell; text from the data is always text (never a formula) and free of illegal characters."""
    cell = ws[ref]
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.value = value
    if isinstance(value, str) and (cell.data_type == "f" or formula_like(value)):
        cell.data_type, cell.quotePrefix = "s", True
    cell.font = font or Font(size=11)
    if fill is not None:
        cell.fill, cell.border = fill, BORDER
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    return cell


def _check(kind: str, operator: str, limits: list[str], *, title: str, text: str) -> DataValidation:
    return DataValidation(
        kind,
        operator=operator,
        formula1=limits[0],
        formula2=limits[1] if len(limits) > 1 else None,
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle="填写有误",
        error=text,
        promptTitle=title,
        prompt=text,
    )


def _checks(due: dt.date) -> dict[str, DataValidation]:
    """Excel's own checks of the input cells, with a prompt shown when a cell is selected."""
    days = [str((day - EXCEL_EPOCH).days) for day in (due.replace(day=1), dt.date(due.year + 1, 12, 31))]
    behind = f"落后于序时进度时写明未完成原因、困难和问题及下一步措施，不超过 {EXPLANATION_LIMIT} 字。"
    return {
        "number": _check("decimal", "greaterThanOrEqual", ["0"], title="累计数", text=NUMBER_PROMPT),
        "submitted_on": _check("date", "between", days, title="报送日期", text=f"年-月-日，如 {due.isoformat()}。"),
        "explanation": _check("textLength", "lessThanOrEqual", [str(EXPLANATION_LIMIT)], title="说明", text=behind),
    }


def _header(ws: Any, dataset: Dataset, region: Region, context: _Context) -> None:
    last = get_column_letter(len(COLUMNS))
    _put(ws, "A1", f"{dataset.programme.name}月度进展报表", font=Font(size=16, bold=True))
    for ref, label in LABELS.items():
        _put(ws, ref, label, font=Font(bold=True))
    _put(ws, "B2", dataset.programme.organization)
    _put(ws, "B3", region.name)
    _put(ws, REGION_CELL, region.id, font=Font(size=9, color="808080"))
    _put(ws, MONTH_CELL, context.month)
    _put(ws, "F4", context.due).number_format = "yyyy-mm-dd"
    _put(ws, "B5", INSTRUCTIONS.format(example=context.due.isoformat()))
    for span in (f"A1:{last}1", f"B2:{last}2", "B3:D3", "B4:D4", f"B5:{last}5"):
        ws.merge_cells(span)
    ws.row_dimensions[5].height, ws.row_dimensions[HEADER_ROW].height = 100, 32
    for key, title, width in COLUMNS:
        ws.column_dimensions[LETTER[key]].width = width
        _put(ws, f"{LETTER[key]}{HEADER_ROW}", title, font=Font(bold=True), fill=HEADER_FILL)


def _row(ws: Any, r: int, indicator: Indicator, key: tuple[str, str], context: _Context) -> list[str]:
    """One indicator's row: locked reference cells, then the input cells (grey and locked where they do
    not apply). Returns the input cells' columns."""
    rate = indicator.kind == "rate"
    value, numerator, denominator = context.previous.get(key, (None, None, None))
    previous: object = f"{_number(numerator)}/{_number(denominator)}" if rate and denominator else _number(value)
    completion, light = context.completion.get(key, (None, "grey"))
    locked = {
        "indicator_id": indicator.id,
        "name": indicator.name,
        "kind": KIND_ZH[indicator.kind] + (f"（{indicator.unit}）" if indicator.unit else ""),
        "target": _number(context.targets.get(key)),
        "expected": expected_share(indicator.profile, month_number(context.month), context.profiles),
        "previous": previous,
        "last_completion": completion,
    }
    for name, content in locked.items():
        _put(ws, f"{LETTER[name]}{r}", content, fill=LOCKED_FILL)
    ws[f"E{r}"].number_format = "0.0%"
    ws[f"G{r}"].number_format = f'0.0%" {LIGHT_ZH[light]}"' if light in LIGHT_ZH else "0.0%"
    inputs = ["numerator", "denominator"] if rate else ["value"]
    for name in ("value", "numerator", "denominator", "submitted_on", "explanation"):
        cell = _put(ws, f"{LETTER[name]}{r}", None, fill=UNUSED_FILL)
        if name in inputs or name in ("submitted_on", "explanation"):
            cell.fill, cell.protection = INPUT_FILL, Protection(locked=False)
    ws[f"K{r}"].number_format = "yyyy-mm-dd"
    # the explanation turns yellow while the figures typed are behind expected progress and it is empty
    actual, known = (f"100*$I{r}/$J{r}", f"ISNUMBER($I{r}),ISNUMBER($J{r})") if rate else (f"$H{r}", f"ISNUMBER($H{r})")
    done = f"{actual}/$D{r}" if indicator.direction == "higher" else f"$D{r}/({actual})"
    ws.conditional_formatting.add(f"L{r}", FormulaRule(formula=[f'AND($L{r}="",{known},{done}<$E{r})'], fill=WARN_FILL))
    return inputs


def _build(dataset: Dataset, region: Region, context: _Context) -> bytes:
    book = Workbook()
    ws = book.active
    ws.title = SHEET
    _header(ws, dataset, region, context)
    checks = _checks(context.due)
    for r, indicator in enumerate(dataset.indicators, start=FIRST_ROW):
        for name in _row(ws, r, indicator, (region.id, indicator.id), context):
            checks["number"].add(f"{LETTER[name]}{r}")
        checks["submitted_on"].add(f"K{r}")
        checks["explanation"].add(f"L{r}")
    for check in checks.values():
        ws.add_data_validation(check)
    ws.freeze_panes, ws.print_title_rows = f"C{FIRST_ROW}", f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = "landscape", 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = False  # widths and heights may change
    meta = book.create_sheet(META)
    for row in [("format", FORMAT), ("region_id", region.id), ("month", context.month)]:
        meta.append(row)
    for indicator in dataset.indicators:
        meta.append(("indicator", indicator.id))
    meta.sheet_state, meta.protection.sheet = "veryHidden", True
    book.security = WorkbookProtection(lockStructure=True)
    due = context.due
    book.properties.created = book.properties.modified = dt.datetime.combine(due, dt.time())
    book.properties.creator = ILLEGAL_CHARACTERS_RE.sub("", dataset.programme.organization)
    book.properties.title = ILLEGAL_CHARACTERS_RE.sub("", f"{region.name} {context.month} 月度进展报表")
    return _save(book, (max(due.year, 1980), due.month, due.day, 0, 0, 0))


class _MemoryWriter(ExcelWriter):  # type: ignore[misc]  # openpyxl has no type information
    """openpyxl's package writer, with each worksheet written to memory instead of a temporary file."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts, ws._drawing.images = ws._charts, ws._images
        out = io.BytesIO()
        out.close = lambda: None  # type: ignore[method-assign]  # the XML writer closes its file
        writer = WorksheetWriter(ws, out)
        writer.write()
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], out.getvalue())
        self.manifest.append(ws)


def _save(book: Any, stamp: tuple[int, int, int, int, int, int]) -> bytes:
    """The workbook's bytes, every zip entry dated `stamp`."""
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        _MemoryWriter(book, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(info, source.read(entry))
    return out.getvalue()
