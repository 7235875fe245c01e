"""`bulletin erratum`: correct one published figure in one command, without editing YAML or CSV by hand.

The district's report file of the month gets the new figure, the correction date (`corrected_on`) and
"更正：" with the reason in its explanation (one row rewritten, the rest of the file as it was); the
month's bulletin gets the erratum (date, description, reason, approver) at the end of its `errata`;
then `bulletin publish MONTH --erratum` seals it. When the seal is refused, both files are put back
as they were: the erratum is written and sealed, or nothing is.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

from site_builder.commands.publish import Published, bulletin_file, publish_bulletin
from site_builder.core import paths
from site_builder.core.documents import Erratum
from site_builder.core.text import code_point, escape_invisible, invisible_characters
from site_builder.files.durable import write_files
from site_builder.issuing.record import PublishRefused, record_text
from site_builder.load import load_sources
from site_builder.model import Dataset, build_dataset
from site_builder.validate import validate
from site_builder.validate.columns import LARGEST

_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
COLUMNS = {"value": "累计完成值", "numerator": "分子", "denominator": "分母"}


def _row_span(text: str, indicator_id: str) -> tuple[int, int, dict[str, str]] | None:
    """The character span of the indicator's row in a report CSV's text, and the row."""
    offsets = [0]
    for line in io.StringIO(text, newline=""):  # the lines as the CSV reader sees them
        offsets.append(offsets[-1] + len(line))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    start = 1  # after the header
    for row in reader:
        if row.get("indicator_id") == indicator_id:
            return offsets[start], offsets[reader.line_num], row
        start = reader.line_num
    return None


def _shown(value: str) -> str:
    return value or "（空）"


def _check(
    dataset: Dataset, district: str, indicator: str, figures: dict[str, str], *, reason: str, approver: str
) -> None:
    """Refuse a district or indicator that is not one, a figure that is not a number, a missing reason."""
    regions = {r.id: r for r in dataset.regions}
    indicators = {i.id: i for i in dataset.indicators}
    if district not in regions:
        known = "、".join(f"{r.id}（{r.name}）" for r in dataset.regions)
        raise PublishRefused(f"没有编码为 “{district}” 的地区；地区编码有：{known}")
    if indicator not in indicators:
        known = "、".join(f"{i.id}（{i.name}）" for i in dataset.indicators)
        raise PublishRefused(f"没有编码为 “{indicator}” 的指标；指标编码有：{known}")
    for column, number in figures.items():
        if not _NUMBER.fullmatch(number):
            raise PublishRefused(f"{COLUMNS[column]} “{number}” 不是数字：只写半角数字，如 453 或 96.5。")
        if abs(float(number)) > LARGEST:
            raise PublishRefused(f"{COLUMNS[column]} “{number[:40]}…” 太大（超过 {LARGEST:,.0f}）：请核对数字。")
    if not reason.strip() or not approver.strip():
        raise PublishRefused("更正须写明原因（--reason）和批准人（--approver）。")
    for option, text, free in (("--reason", reason, True), ("--approver", approver, False)):
        if hidden := invisible_characters(text.strip(), free_text=free):
            points = "、".join(map(code_point, hidden))
            raise PublishRefused(
                f"{option} “{escape_invisible(text)}” 含有看不见的字符或控制字符：{points}；"
                + ("原因中可以换行，" if free else "批准人只写一行，")
                + "请删除这些字符（常见于从网页或聊天软件复制粘贴）后重新输入。"
            )


def correct(
    data_dir: Path,
    month: str,
    *,
    district: str,
    indicator: str,
    figures: dict[str, str],
    reason: str,
    approver: str,
    on: dt.date,
) -> Published:
    """Correct the district's figures (`figures`: column -> number) of `month`, record and seal the erratum;
    raises `PublishRefused` for anything that cannot be corrected, writing nothing."""
    validated = validate(load_sources(data_dir), dt.date.today())
    path = bulletin_file(month)
    bulletin = validated.bulletins.get(path)
    if bulletin is None or not bulletin.published:
        raise PublishRefused(f"{month} 的通报尚未发布，没有可更正的内容；草稿的数据直接修改即可。")
    if validated.programme is None or validated.organization is None:
        raise PublishRefused("数据有错误，无法办理更正：请先运行 bulletin validate 并改正。")
    dataset = build_dataset(validated)
    regions = {r.id: r for r in dataset.regions}
    indicators = {i.id: i for i in dataset.indicators}
    _check(dataset, district, indicator, figures, reason=reason, approver=approver)
    report = paths.report_path(month, district)
    target = paths.inside(data_dir, report)
    if not target.is_file():
        raise PublishRefused(f"没有 {report}：{regions[district].name} {month} 没有月报，无从更正。")
    text = target.read_text(encoding="utf-8")
    span = _row_span(text, indicator)
    if span is None:
        raise PublishRefused(f"{report} 中没有指标 {indicator}（{indicators[indicator].name}）的行。")
    start, end, row = span
    before = {column: row.get(column) or "" for column in figures}
    if all(before[c] == v for c, v in figures.items()):
        raise PublishRefused(
            f"{report} 中 {indicators[indicator].name} 已经是 {'、'.join(figures.values())}，无需更正。"
        )
    old_explanation = (row.get("explanation") or "").strip()
    changes = "，".join(f"{COLUMNS[c]}由{_shown(before[c])}更正为{v}" for c, v in figures.items())
    description = f"{regions[district].name}{int(month[5:])}月{indicators[indicator].name}{changes}"
    row.update(figures)
    row["corrected_on"] = on.isoformat()
    row["explanation"] = f"更正：{reason.strip()}" + (f"；{old_explanation}" if old_explanation else "")
    buffer = io.StringIO()
    header = next(csv.reader(io.StringIO(text)))
    csv.writer(buffer, lineterminator="\n").writerow([row.get(column) or "" for column in header])
    new_text = text[:start] + buffer.getvalue() + text[end:]
    erratum = Erratum(date=on, description=description, reason=reason.strip(), approved_by=approver.strip())
    record = paths.inside(data_dir, path)
    old_record = record.read_text(encoding="utf-8")
    new_record = record_text(old_record, dataclasses.replace(bulletin, errata=[*bulletin.errata, erratum]))
    originals = {report: text.encode("utf-8"), path: old_record.encode("utf-8")}
    write_files(data_dir, {report: new_text.encode("utf-8"), path: new_record.encode("utf-8")})
    try:
        sealed = publish_bulletin(data_dir, month, on, erratum=True)
    except BaseException:
        write_files(data_dir, originals)
        raise
    if not sealed.bulletins:
        write_files(data_dir, originals)
    return sealed
