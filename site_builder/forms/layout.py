"""The report form's layout, shared by the writer (`write.py`) and the reader (`read.py`): the sheet
and cell addresses, the table's columns, the format version recorded in the hidden `_meta` sheet, and
the form's file name. A form whose layout changes gets a new `FORMAT`, so old forms are recognised."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl
from xlsxwriter.utility import xl_col_to_name  # type: ignore[import-untyped]

from site_builder.core import paths
from site_builder.core.contract import REPORTS, REQUIRED_COLUMNS
from site_builder.core.findings import Finding
from site_builder.model import Dataset, Indicator

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
KIND_ZH = {"rate": "率", "count": "数量", "level": "水平值", "milestone": "节点"}
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
SIGNED_PROMPT = "只填写数字（可以为负数，如 -3.5），不带单位、百分号或文字。"
LEVEL_NOTE = "6. 水平值类指标（如次均费用、增长率）填写本期的值，不是累计数，可以为负数。"
PROGRESS = ("region_id", "indicator_id", "completion", "light")
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


def filename_region(dataset: Dataset, region_id: str) -> str:
    """The region's part of a form's file name: its name without characters no file name may hold
    (separators, look-alike slashes, controls, a leading dot), at most 40 characters; else its id."""
    name = _NOT_IN_FILE_NAMES.sub("", dataset.region(region_id).name).lstrip(".")[:40]
    return name or paths.identifier(region_id)


def form_filename(dataset: Dataset, region_id: str, month: str) -> str:
    """A form's file name: the region's name and the month, e.g. 海拉尔区-2011-10.xlsx; raises
    `paths.UnsafePath` for a month that is not one."""
    return f"{filename_region(dataset, region_id)}-{paths.month(month)}.xlsx"


def not_applicable(dataset: Dataset, region_id: str, year: int) -> dict[str, str]:
    """The district's indicators marked not applicable in `year` (targets.csv), with their reasons."""
    rows = dataset.targets.filter(
        (pl.col("year") == year) & (pl.col("region_id") == region_id) & pl.col("not_applicable").is_not_null()
    )
    return dict(rows.select("indicator_id", "not_applicable").iter_rows())


def asked(dataset: Dataset, region_id: str, month: str) -> tuple[Indicator, ...]:
    """The indicators a district reports for `month`, in the indicators' order: those due that month
    (their frequency) and applicable to the district (no not-applicable reason in targets.csv).
    `bulletin new-month`'s files and the Excel forms have a row for each, and only for these."""
    skipped = not_applicable(dataset, region_id, int(month[:4]))
    return tuple(i for i in dataset.indicators if i.due(month) and i.id not in skipped)


def nothing_asked(dataset: Dataset, month: str) -> tuple[str, ...]:
    """Why a district reports nothing for `month` (when `asked` is empty): the names of the indicators due
    that month, none of which applies to the district; empty when no indicator is due at all."""
    return tuple(i.name for i in dataset.indicators if i.due(month))
