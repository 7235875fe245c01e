"""What to tell a clerk about a cell of a filled form (no I/O): one specific hint per kind of mistake, and the
hints of the data checks reworded for the form (its columns, not the report CSV's).

A hint goes into a finding's `hint_zh`/`hint_en` parameters, which `Finding.hint` prefers to its code's
template. Dates typed as text in the usual ways (2011/10/5, 2011.10.5, 2011年10月5日) are read as dates and
written to the CSV as 2011-10-05: the form is where a clerk types, the CSV keeps only the ISO form.
"""

from __future__ import annotations

import re
import unicodedata

_FULL_WIDTH = re.compile(r"[\uff10-\uff19\uff0e\uff0c\uff05\uff0d]")
_CHINESE_NUMERAL = re.compile(r"[零〇一二三四五六七八九十百千万亿两]")
_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_NUMBER_IN = re.compile(r"-?\d+(\.\d+)?")
_MONTH_DAY = re.compile(r"\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*")
_YEAR_MONTH = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*")
_FULL_DATE = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*")


def _half_width(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def number_advice(text: str, *, rate: bool) -> tuple[str, str]:
    """(zh, en) advice for `text` found in a number cell; `rate`: the row is a rate (numerator and denominator)."""
    if _FULL_WIDTH.search(text):
        plain = _half_width(text)
        return (
            f"这是全角数字或符号（中文输入法下输入的），请切换到英文输入状态重新输入半角数字，如 {plain}。",
            f"Full-width characters (a Chinese input method): type half-width digits, e.g. {plain}.",
        )
    if "%" in text:
        if rate:
            return (
                "率类指标不填百分比：在“分子”和“分母”两列分别填写人数（或次数），由系统计算比率；"
                "单元格若被设成了百分比格式，请改回“常规”。",
                "Do not type a percentage for a rate: give the numerator and the denominator; set the cell's format "
                "back to General if it shows %.",
            )
        bare = text.replace("%", "").strip()
        return (
            f"去掉百分号，只填数字（如 {bare}）；单元格若被设成了百分比格式，请改回“常规”。",
            f"Drop the percent sign and type the number only (e.g. {bare}); set the cell's format back to General.",
        )
    if _THOUSANDS.fullmatch(text.strip()):
        plain = text.replace(",", "").strip()
        return (f"去掉千位分隔符（逗号），填写 {plain}。", f"Drop the thousands separators: {plain}.")
    if _CHINESE_NUMERAL.search(text) and not _NUMBER_IN.search(text):
        return (
            "用阿拉伯数字填写（如 85），不要用汉字数字。",
            "Write the number in digits (85), not in Chinese numerals.",
        )
    if match := _NUMBER_IN.search(text):
        return (
            f"只填数字（如 {match.group()}），单位、“约”等文字和说明写在“说明”列。",
            f"Type the number only (e.g. {match.group()}); units, words and remarks go in the explanation column.",
        )
    return (
        "只填写数字；暂时没有数字时留空，并在“说明”列写明原因。",
        "Type a number only; when there is none yet, leave it empty and explain why in the explanation column.",
    )


def date_advice(text: str, month: str) -> tuple[str, str]:
    """(zh, en) advice for `text` found in the date cell of a form of `month` (YYYY-MM)."""
    plain = _half_width(text)
    year = month[:4] if month[:4].isdigit() else "2011"
    if match := _MONTH_DAY.fullmatch(plain):
        example = f"{year}-{int(match[1]):02d}-{int(match[2]):02d}"
        return (
            f"日期要写上年份，写成“年-月-日”：{example}。",
            f"Write the year too, as YYYY-MM-DD: {example}.",
        )
    if _YEAR_MONTH.fullmatch(plain):
        return (
            "日期缺少“日”：写成“年-月-日”，如 2011-10-28。",
            "The day is missing: write YYYY-MM-DD, e.g. 2011-10-28.",
        )
    if _FULL_DATE.fullmatch(plain):
        if plain != text:
            return (
                f"这是全角数字（中文输入法下输入的），请用半角数字写成“年-月-日”，如 {plain}。",
                f"Full-width digits: type half-width ones as YYYY-MM-DD, e.g. {plain}.",
            )
        return (
            "没有这一天（如 2 月 30 日）：核对月份和日期，写成“年-月-日”。",
            "There is no such day (e.g. 30 February): check the month and the day.",
        )
    return (
        f"写成“年-月-日”的日期，如 {year}-10-28；也可以直接输入 Excel 日期。",
        f"Write a date as YYYY-MM-DD, e.g. {year}-10-28, or enter an Excel date.",
    )


# The data checks' hints that name a CSV column the form lacks or calls otherwise, as the form says them.
FORM_HINTS: dict[str, tuple[str, str]] = {
    "cumulative-decrease": (
        "“累计完成值”填写年初至本月底的累计数，不应少于上月（{previous}）。请核对是否把本月当月数填成了累计数；"
        "如确是更正前期数据，在同一行的“说明”列写明“更正：”和原因。",
        "The cumulative value is the total since January and should not fall below last month's ({previous}). "
        "Check whether this month's own figure was typed; if it corrects earlier data, write “更正：” and why in the "
        "explanation column of the same row.",
    ),
    "value-missing": (
        "填写本行的累计完成值（率类指标填写分子和分母）；确实无法提供时，在“说明”列写明原因。",
        "Fill in the row's value (numerator and denominator for a rate), or explain in the explanation column why not.",
    ),
    "behind-unexplained": (
        "在本行的“说明”列写明未完成的原因、存在的困难和问题，以及下一步措施。",
        "Explain in the row's explanation column why, what the difficulties are and what will be done.",
    ),
    "date-future": (
        "“报送日期”不能晚于今天：填写实际报送的日期，写成“年-月-日”。",
        "The submission date cannot be later than today: give the real date, as YYYY-MM-DD.",
    ),
    "value-shape": (
        "率类指标只填“分子”和“分母”，“累计完成值”留空；其他指标只填“累计完成值”。",
        "Rates take the numerator and denominator only, with the value empty; other indicators take the value only.",
    ),
    "numerator-exceeds-denominator": (
        "“分子”不能大于“分母”：核对两列是否填反或填错。",
        "The numerator cannot exceed the denominator: check whether they are swapped or mistyped.",
    ),
    "denominator-zero": (
        "“分母”填写实际人数（或次数）；本月确实没有对象时，分子和分母都留空，并在“说明”列写明原因。",
        "Give the real denominator, or leave both empty and explain why in the explanation column.",
    ),
}
