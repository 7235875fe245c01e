"""Filled Excel report forms read back: rows for the month's CSV, and findings naming cells (no I/O).

The forms are made by `write.py`; the layout both share is `layout.py`.
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
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.cell import coordinate_to_tuple

from site_builder.core import paths
from site_builder.core.findings import Finding, has_errors
from site_builder.forms.advice import FORM_HINTS, date_advice, number_advice
from site_builder.forms.layout import (
    COLUMNS,
    DATE,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    LABELS,
    LETTER,
    LOOSE_DATE,
    MAX_BYTES,
    MAX_UNZIPPED,
    META,
    MONTH_CELL,
    NUMBER,
    PLAIN_NUMBER,
    REGION_CELL,
    REPORT_COLUMNS,
    SHEET,
    ImportedForm,
    asked,
    filename_region,
)
from site_builder.model import Dataset

NAME_CELL = "B3"  # the region's name, shown
# a form's file name as `form_filename` makes it, perhaps with a copy's mark: 西区-2011-03 (1).xlsx
_FILE_NAME = re.compile(
    r"(?P<region>.+?)-(?P<month>[0-9]{4}-[0-9]{2})(?:\s*[(（]?[0-9]{1,3}[)）]?|-副本|_副本)?\.xlsx", re.I
)

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
    expected = dict(LABELS)  # the region and month cells are compared by `_identity`
    expected |= {f"{LETTER[key]}{HEADER_ROW}": title for key, title, _ in COLUMNS}
    for ref, label in expected.items():  # the first difference only: one shifted row changes them all
        if (got := _text(ws[ref].value)) != label:
            detail = f"单元格 {ref} 应为 “{label}”，现为 “{got}”（表头被改动，或插入、删除了行或列）"
            return meta, [_at("form-layout", name, ref, got, detail=detail)]
    current = _asked(dataset, meta)
    if current is None:  # a district or month that is not one: `_identity`'s finding
        current = order
    if order != current:
        missing, extra = [i for i in current if i not in order], [i for i in order if i not in current]
        detail = (
            f"报表的指标与该地区本月应报的指标不一致（缺少：{'、'.join(missing) or '无'}；"
            f"多出：{'、'.join(extra) or '无'}"
        )
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


def _asked(dataset: Dataset, meta: dict[str, str]) -> list[str] | None:
    """The ids of the indicators the form's district reports for its month (`layout.asked`: due and
    applicable, in the indicators' order); None when its district or month is not one."""
    region_id, month = meta.get("region_id", ""), meta.get("month", "")
    try:
        paths.month(month)
    except paths.UnsafePath:
        return None
    if region_id not in {r.id for r in dataset.regions}:
        return None
    return [i.id for i in asked(dataset, region_id, month)]


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


def _shown(value: str) -> str:
    """A value from the form as a finding shows it: at most 80 characters."""
    return value if len(value) <= 80 else value[:80] + "…"


def _identity(
    book: Any,
    name: str,
    dataset: Dataset,
    meta: dict[str, str],
    *,
    month: str | None,
    region_id: str | None,
    visible: bool,
) -> list[Finding]:
    """The form's own record of its district and month (the hidden sheet) against what it shows, its file
    name, and what the import expects. A month or district that is not one is never used."""
    form_region, form_month = meta.get("region_id", ""), meta.get("month", "")
    found: list[Finding] = []

    def identity(ref: str, value: str, detail: str) -> None:
        found.append(_at("form-identity", name, ref, _shown(value), detail=detail))

    try:
        paths.month(form_month)
    except paths.UnsafePath:
        identity(MONTH_CELL, form_month, f"报表记录的月份 “{_shown(form_month)}” 不是“年-月”格式的月份（如 2011-05）")
    known = {r.id for r in dataset.regions}
    if form_region not in known:
        expected = "本项目的地区（regions.csv 中没有这个地区编码）"
        found.append(_at("form-region", name, REGION_CELL, _shown(form_region), expected=expected))
    elif region_id is not None and form_region != region_id:
        value, expected = _region_text(dataset, form_region), _region_text(dataset, region_id)
        found.append(_at("form-region", name, REGION_CELL, value, expected=expected))
    if month is not None and form_month != month:
        identity(MONTH_CELL, form_month, f"报表的月份是 {_shown(form_month)}，而本次导入的是 {month} 的月报")
    if not visible:  # a changed layout moves the cells: only the hidden record is compared
        return found
    ws = book[SHEET]
    shown = {ref: _text(ws[ref].value) for ref in (REGION_CELL, MONTH_CELL, NAME_CELL)}
    if shown[MONTH_CELL] != form_month:
        identity(
            MONTH_CELL, shown[MONTH_CELL], f"单元格 {MONTH_CELL} 显示的月份与报表记录的月份 “{_shown(form_month)}” 不同"
        )
    if shown[REGION_CELL] != form_region:
        detail = f"单元格 {REGION_CELL} 显示的地区编码与报表记录的地区 “{_shown(form_region)}” 不同"
        identity(REGION_CELL, shown[REGION_CELL], detail)
    if form_region in known and shown[NAME_CELL] != _text(
        ILLEGAL_CHARACTERS_RE.sub("", dataset.region(form_region).name)
    ):
        detail = f"单元格 {NAME_CELL} 显示的地区名称不是报表记录的地区 {_region_text(dataset, form_region)}"
        identity(NAME_CELL, shown[NAME_CELL], detail)
    if form_region in known and (match := _FILE_NAME.fullmatch(name)):
        regions = {filename_region(dataset, r.id): r.id for r in dataset.regions} | {r: r for r in known}
        named = regions.get(match["region"])
        if named is not None and named != form_region:
            mine = _region_text(dataset, form_region)
            detail = f"文件名是 {_region_text(dataset, named)} 的报表，而报表记录的地区是 {mine}"
            identity(NAME_CELL, name, detail)
        if match["month"] != form_month:
            identity(MONTH_CELL, name, f"文件名是 {match['month']} 的报表，而报表记录的月份是 {_shown(form_month)}")
    return found


def _read(book: Any, name: str, dataset: Dataset, month: str | None, region_id: str | None) -> ImportedForm:
    meta, layout = _layout(book, name, dataset)
    form_region, form_month = meta.get("region_id") or None, meta.get("month") or None
    findings = list(layout)
    if meta.get("format") == FORMAT:
        findings += _identity(book, name, dataset, meta, month=month, region_id=region_id, visible=not layout)
    if layout or has_errors(findings):
        return ImportedForm(form_region, form_month, [], findings)
    ws = book[SHEET]
    rows: list[dict[str, str]] = []
    indicators = {i.id: i for i in dataset.indicators}
    for r, indicator_id in enumerate(_asked(dataset, meta) or [], start=FIRST_ROW):  # the rows `_layout` checked
        row = dict.fromkeys(REPORT_COLUMNS, "")
        row.update(month=form_month or "", region_id=form_region or "", indicator_id=indicator_id)
        for key in ("value", "numerator", "denominator", "submitted_on"):
            ref = f"{LETTER[key]}{r}"
            row[key], bad = (_read_date if key == "submitted_on" else _read_number)(ws[ref])
            if bad is not None:
                if key == "submitted_on":
                    zh, en = date_advice(bad, form_month or "")
                else:
                    zh, en = number_advice(bad, rate=indicators[indicator_id].kind == "rate")
                kind = DATE if key == "submitted_on" else NUMBER
                advice = {"hint_zh": zh, "hint_en": en, "indicator_name": indicators[indicator_id].name}
                findings.append(_at("form-cell", name, ref, bad, **kind, **advice))
        row["explanation"] = _read_text(ws[f"{LETTER['explanation']}{r}"])
        rows.append(row)
    return ImportedForm(form_region, form_month, rows, findings)


def duplicate_regions(forms: Sequence[tuple[str, ImportedForm]]) -> list[Finding]:
    """form-region for every form (name, imported) after the first of the same region and month."""
    return [finding for _, finding in duplicate_forms(forms)]


def duplicate_forms(forms: Sequence[tuple[str, ImportedForm]]) -> list[tuple[int, Finding]]:
    """`duplicate_regions`, each finding with the index of its form in `forms`."""
    seen: dict[tuple[str, str | None], str] = {}
    found: list[tuple[int, Finding]] = []
    for index, (name, form) in enumerate(forms):
        if form.region_id is None:
            continue
        key = (form.region_id, form.month)
        if key in seen:
            expected = f"唯一的一份（{seen[key]} 也是该地区 {form.month or ''} 的报表）"
            found.append((index, _at("form-region", name, REGION_CELL, form.region_id, expected=expected)))
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
    findings: Iterable[Finding],
    report_path: str,
    name: str,
    rows: list[dict[str, str]],
    names: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Findings about `report_path` written by `report_csv(rows)`, moved to the form's cells; others unchanged.

    A finding's line and column in the CSV are where its cell's text starts (a quoted explanation can
    span lines), so the positions are found by writing the CSV again. A moved finding names its indicator
    (`indicator_name`, from `names`: indicator id -> name) and, where the check's hint names CSV columns,
    carries the form's wording of it (`forms/advice.py`)."""
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
        params: dict[str, object] = {**f.params, "cell": ref}
        indicator_id = rows[rows_at[f.line] - FIRST_ROW].get("indicator_id", "")
        if names and indicator_id in names:
            params["indicator_name"] = names[indicator_id]
        if f.code in FORM_HINTS:
            params["hint_zh"], params["hint_en"] = FORM_HINTS[f.code]
        out.append(Finding(f.code, name, row_number, column_number, f.value, params))
    return out
