"""A month's ranking as text for people, JSON for programs and CSV for spreadsheets.

The same data gives the same bytes: numbers are rounded to fixed places, rows come in rank order.
The CSV opens directly in a spreadsheet, so its text cells go through `text.neutralise`.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Sequence

from site_builder.compute import RankRow
from site_builder.core.text import neutralise
from site_builder.model import Dataset

LIGHT_WORDS = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰", "na": "－"}  # na: not applicable or not due
COMPLIANCE_WORDS = {"on_time": "按时", "late": "迟报", "missing": "未报", "not_due": "未到报送期"}


def _number(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def _interval(row: RankRow) -> str:
    if row.rank_low is None or row.rank_high is None:
        return "—"
    return f"{row.rank_low}–{row.rank_high}"


def _change(row: RankRow) -> str:
    if row.rank_change is None:
        return "—"
    if row.rank_change > 0:
        return f"↑{row.rank_change}"
    if row.rank_change < 0:
        return f"↓{-row.rank_change}"
    return "→"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def as_text(dataset: Dataset, month: str, rows: Sequence[RankRow]) -> str:
    programme = dataset.programme
    title = f"{programme.city} {programme.name} {month} 综合排名"
    if programme.simulated:
        title += "（模拟数据）"
    header = ["名次", programme.region_term, "得分", "变化", "排名区间", "灯", "连红", "报送", "各指标"]
    body = []
    for row in rows:
        flags = ("，末位" if row.bottom else "") + ("，区间跨越末位线" if not row.robust and row.rank else "")
        body.append(
            [
                str(row.rank) if row.rank is not None else "—",
                row.short_name,
                f"{row.score:.3f}" if row.score is not None else "—",
                _change(row),
                _interval(row),
                LIGHT_WORDS[row.light],
                str(row.red_streak),
                COMPLIANCE_WORDS[row.compliance] + (f"{row.days_late}天" if row.days_late else ""),
                "".join(LIGHT_WORDS[light] for _, light in row.lights) + flags,
            ]
        )
    widths = [max(_width(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = [title, ""]
    for line in [header, *body]:
        lines.append("  ".join(_pad(cell, width) for cell, width in zip(line, widths, strict=True)).rstrip())
    order = "、".join(i.name for i in dataset.indicators)
    lines += ["", f"各指标依次为：{order}。", "排名区间为权重、封顶和汇总方式随机变化时名次的 5%–95% 分位数。"]
    return "\n".join(lines) + "\n"


def _record(row: RankRow) -> dict[str, object]:
    return {
        "region_id": row.region_id,
        "name": row.name,
        "short_name": row.short_name,
        "score": _number(row.score),
        "rank": row.rank,
        "rank_change": row.rank_change,
        "rank_interval": {"low": row.rank_low, "median": row.rank_median, "high": row.rank_high},
        "bottom_share": _number(row.bottom_share, 3),
        "robust": row.robust,
        "light": row.light,
        "red_streak": row.red_streak,
        "bottom": row.bottom,
        "summoned": row.summoned,
        "missing_values": row.missing_values,
        "compliance": {"status": row.compliance, "submitted_on": row.submitted_on, "days_late": row.days_late},
        "lights": dict(row.lights),
    }


def as_json(dataset: Dataset, month: str, rows: Sequence[RankRow]) -> str:
    ranking = dataset.programme.ranking
    document = {
        "month": month,
        "programme": dataset.programme.name,
        "organization": dataset.programme.organization,
        "simulated": dataset.programme.simulated,
        "method": {
            "cap": ranking.cap,
            "missing_value": ranking.missing_value,
            "bottom_n": ranking.bottom_n,
            "yellow_band": dataset.programme.lights.yellow_band,
            "draws": dataset.programme.uncertainty.draws,
            "seed": dataset.programme.uncertainty.seed,
            "weight_spread": dataset.programme.uncertainty.weight_spread,
        },
        "indicators": [{"id": i.id, "name": i.name, "weight": i.weight} for i in dataset.indicators],
        "rows": [_record(row) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class _Writer:
    """csv.writer whose text cells a spreadsheet keeps as text (numbers such as -0.5 stay numbers)."""

    def __init__(self, buffer: io.StringIO) -> None:
        self.writer = csv.writer(buffer, lineterminator="\n")

    def writerow(self, cells: Sequence[object]) -> None:
        self.writer.writerow([neutralise(cell) if isinstance(cell, str) else cell for cell in cells])


def as_csv(dataset: Dataset, month: str, rows: Sequence[RankRow]) -> str:
    buffer = io.StringIO()
    writer = _Writer(buffer)
    indicator_ids = [i.id for i in dataset.indicators]
    writer.writerow(
        [
            "month",
            "rank",
            "region_id",
            "name",
            "score",
            "rank_change",
            "rank_low",
            "rank_median",
            "rank_high",
            "robust",
            "light",
            "red_streak",
            "bottom",
            "summoned",
            "compliance",
            "submitted_on",
            "days_late",
            *[f"light_{i}" for i in indicator_ids],
        ]
    )
    for row in rows:
        lights = dict(row.lights)
        writer.writerow(
            [
                month,
                row.rank if row.rank is not None else "",
                row.region_id,
                row.name,
                f"{row.score:.4f}" if row.score is not None else "",
                row.rank_change if row.rank_change is not None else "",
                row.rank_low if row.rank_low is not None else "",
                row.rank_median if row.rank_median is not None else "",
                row.rank_high if row.rank_high is not None else "",
                str(row.robust).lower(),
                row.light,
                row.red_streak,
                str(row.bottom).lower(),
                str(row.summoned).lower(),
                row.compliance,
                row.submitted_on or "",
                row.days_late,
                *[lights.get(i, "grey") for i in indicator_ids],
            ]
        )
    return buffer.getvalue()
