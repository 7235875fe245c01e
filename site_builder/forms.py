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

import csv
import datetime as dt
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.writer.excel import ExcelWriter

from site_builder.compute import Results
from site_builder.compute.ranking import due_date
from site_builder.contract import REPORTS, REQUIRED_COLUMNS
from site_builder.findings import Finding
from site_builder.method import expected_share, month_number
from site_builder.model import Dataset, Indicator, Region

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


def form_filename(dataset: Dataset, region_id: str, month: str) -> str:
    """A form's file name: the region's name and the month, e.g. 海拉尔区-2011-10.xlsx."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "", dataset.region(region_id).name) or region_id
    return f"{name}-{month}.xlsx"


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
    if isinstance(value, str) and cell.data_type == "f":
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


# Reading forms back


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _at(code: str, name: str, ref: str | None, value: str | None = None, **params: str) -> Finding:
    if ref is None:
        return Finding(code, name, None, None, value, params)
    row, column = coordinate_to_tuple(ref)
    return Finding(code, name, row, column, value, {**params, "cell": ref})


def _open(content: bytes) -> tuple[Any, str]:
    """The workbook, or None and why it cannot be read."""
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        return None, "文件是旧版 Excel 格式（.xls），请在 Excel 中另存为 Excel 工作簿（.xlsx）"
    if len(content) > MAX_BYTES:
        return None, f"文件过大（{len(content)} 字节），报表应小于 {MAX_BYTES // 1_000_000} MB"
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
                return None, "文件解压后过大，不是 bulletin forms 生成的报表"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(content), data_only=True), ""
    except Exception:  # a damaged or foreign file is a finding, never a traceback
        return None, "文件不是 Excel 工作簿（.xlsx）或已损坏（如果是 CSV 或 WPS 格式，请在 Excel 中另存为 .xlsx）"


def _layout(book: Any, name: str, dataset: Dataset) -> tuple[dict[str, str], list[Finding]]:
    """The form's metadata and indicator order, and what is wrong with its layout."""
    if META not in book.sheetnames:
        detail = "缺少隐藏的工作表 _meta：报表不是由 bulletin forms 生成的，或内容被复制到了新的工作簿"
        return {}, [_at("form-layout", name, None, detail=detail)]
    meta: dict[str, str] = {}
    order: list[str] = []
    for key, value, *_ in book[META].iter_rows(min_col=1, max_col=2, values_only=True):
        if _text(key) == "indicator":
            order.append(_text(value))
        elif key is not None:
            meta[_text(key)] = _text(value)
    if meta.get("format") != FORMAT:
        detail = f"报表格式版本为 “{meta.get('format', '')}”，本程序读取 {FORMAT}，请使用新生成的报表"
        return meta, [_at("form-layout", name, None, detail=detail)]
    if SHEET not in book.sheetnames:
        return meta, [_at("form-layout", name, None, detail=f"缺少工作表 “{SHEET}”（被删除或改名）")]
    ws = book[SHEET]
    expected = {**LABELS, REGION_CELL: meta.get("region_id", ""), MONTH_CELL: meta.get("month", "")}
    expected |= {f"{LETTER[key]}{HEADER_ROW}": title for key, title, _ in COLUMNS}
    for ref, label in expected.items():  # the first difference only: one shifted row changes them all
        if (got := _text(ws[ref].value)) != label:
            detail = f"单元格 {ref} 应为 “{label}”，现为 “{got}”（表头被改动，或插入、删除了行或列）"
            return meta, [_at("form-layout", name, ref, got, detail=detail)]
    current = [i.id for i in dataset.indicators]
    if order != current:
        missing, extra = [i for i in current if i not in order], [i for i in order if i not in current]
        detail = f"报表的指标与现行指标体系不一致（缺少：{'、'.join(missing) or '无'}；多出：{'、'.join(extra) or '无'}"
        return meta, [_at("form-layout", name, None, detail=detail + "；或顺序不同），请使用新生成的报表")]
    column = [_text(ws.cell(FIRST_ROW + k, 1).value) for k in range(len(order) + 1)]
    present = [_text(c.value) for (c,) in ws.iter_rows(min_row=FIRST_ROW, min_col=1, max_col=1) if _text(c.value)]
    if column != [*order, ""]:
        k = next(k for k, (a, b) in enumerate(zip(column, [*order, ""], strict=True)) if a != b)
        ref = f"A{FIRST_ROW + k}"
        if missing := [i for i in order if i not in present]:
            detail = f"删除了行（缺少指标 {'、'.join(missing)}，自第 {FIRST_ROW + k} 行起）"
        elif sorted(present) == sorted(order) and present != order:
            detail = f"指标的行序被改变（第 {FIRST_ROW + k} 行应为 {order[k]}，现为 “{column[k]}”）"
        else:
            detail = f"插入了行（第 {FIRST_ROW + k} 行）"
        return meta, [_at("form-layout", name, ref, column[k], detail=detail)]
    return meta, []


def _format_number(value: float | str) -> str:
    """A number as the CSV writes it: 360 not 360.0, 60.1 not 60.100000000000001, never 1e-05."""
    number = Decimal(value if isinstance(value, str) else repr(float(value)))
    return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")


def _read_number(cell: Any) -> tuple[str, str | None]:
    """A number cell's text for the CSV, or "" and the offending text."""
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return "", None
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        if "%" in str(cell.number_format):  # 85% typed in Excel is stored as 0.85
            return "", f"{value * 100:g}%"
        return _format_number(value), None
    text = _text(value)
    if PLAIN_NUMBER.fullmatch(text):
        return _format_number(text), None
    return "", text


def _read_date(cell: Any) -> tuple[str, str | None]:
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    text = _text(value)
    if not text:
        return "", None
    if match := LOOSE_DATE.fullmatch(text):
        try:
            return dt.date(*(int(part) for part in match.groups())).isoformat(), None
        except ValueError:
            pass
    return "", text


def _read_text(cell: Any) -> str:
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _format_number(value)
    return _text(value).replace("\r\n", "\n").replace("\r", "\n")


def _region_text(dataset: Dataset, region_id: str) -> str:
    names = {r.id: r.name for r in dataset.regions}
    return f"{names[region_id]}（{region_id}）" if region_id in names else region_id


def read_form(
    name: str, content: bytes, dataset: Dataset, month: str | None = None, region_id: str | None = None
) -> ImportedForm:
    """A filled-in form's report rows and findings; `month` and `region_id`, when given, are expected.

    Rows are returned when the layout is intact, even with other findings: write them only without errors.
    """
    book, problem = _open(content)
    if book is None:
        return ImportedForm(None, None, [], [_at("form-layout", name, None, detail=problem)])
    try:
        return _read(book, name, dataset, month, region_id)
    except Exception as error:  # a form edited in unforeseen ways is a finding, never a traceback
        return ImportedForm(None, None, [], [_at("form-layout", name, None, detail=f"无法读取报表（{error!r}）")])


def _read(book: Any, name: str, dataset: Dataset, month: str | None, region_id: str | None) -> ImportedForm:
    meta, layout = _layout(book, name, dataset)
    form_region, form_month = meta.get("region_id") or None, meta.get("month") or None
    findings = list(layout)
    if form_region is not None and form_region not in {r.id for r in dataset.regions}:
        expected = "本项目的地区（regions.csv 中没有这个地区编码）"
        findings.append(_at("form-region", name, REGION_CELL, form_region, expected=expected))
    elif form_region is not None and region_id is not None and form_region != region_id:
        value, expected = _region_text(dataset, form_region), _region_text(dataset, region_id)
        findings.append(_at("form-region", name, REGION_CELL, value, expected=expected))
    if month is not None and form_month is not None and form_month != month:
        detail = f"报表的月份是 {form_month}，而本次导入的是 {month} 的月报"
        findings.append(_at("form-layout", name, MONTH_CELL, form_month, detail=detail))
    if layout:
        return ImportedForm(form_region, form_month, [], findings)
    ws = book[SHEET]
    rows: list[dict[str, str]] = []
    for r, indicator in enumerate(dataset.indicators, start=FIRST_ROW):
        row = dict.fromkeys(REPORT_COLUMNS, "")
        row.update(month=form_month or "", region_id=form_region or "", indicator_id=indicator.id)
        for key in ("value", "numerator", "denominator", "submitted_on"):
            ref = f"{LETTER[key]}{r}"
            row[key], bad = (_read_date if key == "submitted_on" else _read_number)(ws[ref])
            if bad is not None:
                findings.append(_at("form-cell", name, ref, bad, **(DATE if key == "submitted_on" else NUMBER)))
        row["explanation"] = _read_text(ws[f"{LETTER['explanation']}{r}"])
        rows.append(row)
    return ImportedForm(form_region, form_month, rows, findings)


def duplicate_regions(forms: Sequence[tuple[str, ImportedForm]]) -> list[Finding]:
    """form-region for every form (name, imported) after the first of the same region and month."""
    seen: dict[tuple[str, str | None], str] = {}
    found: list[Finding] = []
    for name, form in forms:
        if form.region_id is None:
            continue
        key = (form.region_id, form.month)
        if key in seen:
            expected = f"唯一的一份（{seen[key]} 也是该地区 {form.month or ''} 的报表）"
            found.append(_at("form-region", name, REGION_CELL, form.region_id, expected=expected))
        else:
            seen[key] = name
    return found


def report_csv(rows: list[dict[str, str]]) -> str:
    """The month's report CSV for one district: header in schema order, LF line ends, no BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    writer.writerows([row.get(column, "") for column in REPORT_COLUMNS] for row in rows)
    return buffer.getvalue()


def _encoded(value: str) -> str:
    """A cell's text in the CSV (quoted when needed); an empty cell is empty."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([value])
    return buffer.getvalue()[:-1] if value else ""


def locate_in_form(
    findings: Iterable[Finding], report_path: str, name: str, rows: list[dict[str, str]]
) -> list[Finding]:
    """Findings about `report_path` written by `report_csv(rows)`, moved to the form's cells; others unchanged.

    A finding's line and column in the CSV are where its cell's text starts (a quoted explanation can
    span lines), so the positions are found by writing the CSV again."""
    cells: dict[tuple[int, int], str] = {}
    rows_at: dict[int, int] = {}
    line = 2
    for r, row in enumerate(rows, start=FIRST_ROW):
        column = 1
        for field in REPORT_COLUMNS:
            cells[(line, column)] = f"{LETTER.get(field, 'A')}{r}"
            column += len(_encoded(row.get(field, ""))) + 1
        rows_at[line] = r
        line += report_csv([row]).count("\n") - 1
    out: list[Finding] = []
    for f in findings:
        if f.file != report_path or f.line not in rows_at:
            out.append(f)
            continue
        ref = cells.get((f.line, f.column or 1), f"A{rows_at[f.line]}")
        row_number, column_number = coordinate_to_tuple(ref)
        out.append(Finding(f.code, name, row_number, column_number, f.value, {**f.params, "cell": ref}))
    return out
