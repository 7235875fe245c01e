"""The monthly reports and bulletins of a data diff as Markdown, district by district (no I/O).

`render/diff_summary.py` puts these sections into the reviewer's summary. Every district takes at most
`DISTRICT_LINES` lines: its line in the month's ranking and at most `ROWS` rows of changed indicators.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from site_builder.compute.diff import MonthEffect
from site_builder.compute.diff_bulletins import BulletinChange
from site_builder.compute.diff_reports import District, Figure, MonthReports, Standing

ROWS = 13  # rows of changed indicators per district; beyond, the most important and one line of counts
DISTRICT_LINES = 1 + ROWS + 1  # its ranking line, its rows, the line counting the rest
LIGHTS = {"green": "🟢 绿灯", "yellow": "🟡 黄灯", "red": "🔴 红灯", "grey": "⚪ 无数值", "na": "不计"}
_IMPORTANCE = {"red": 0, "grey": 1, "yellow": 2, None: 3, "green": 4, "na": 5}
_ESCAPE = re.compile(r"([\\`*_\[\]<>|&~@$])")
_NEWLINE = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
SHORT = 40


def text(value: str) -> str:
    """Data as plain Markdown text on one line: nothing active (links, HTML, mentions, tables)."""
    return _ESCAPE.sub(r"\\\1", _NEWLINE.sub(" ⏎ ", value))


def short(value: str) -> str:
    return text(value if len(value) <= SHORT else value[:SHORT] + "…")


def table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * len(header),
        *("| " + " | ".join(x) + " |" for x in lines),
    ]


def month_name(month: str) -> str:
    return f"{int(month[5:7])}月" if re.fullmatch(r"[0-9]{4}-[0-9]{2}", month) else month


def _earlier(since: str, month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    last = f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"
    return "上月" if since == last else month_name(since)


def figure_change(figure: Figure, month: str) -> str:
    """The figure before → after, as the summary and the annotations write it."""
    old = short(figure.old) if figure.old else "（空）"
    new = short(figure.new) if figure.new else "（空）"
    if not figure.old and not figure.new:
        return "（未填）"
    if figure.since is not None:
        return f"{_earlier(figure.since, month)} {old} → {new}"
    return f"{new}（数值未变）" if figure.old == figure.new else f"{old} → {new}"


def _note(figure: Figure) -> str:
    """The explanation, when it changed (shortened); "（删除）" when it was removed."""
    return "（删除）" if figure.explanation == "removed" else short(figure.said) if figure.explanation else ""


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _district_rows(district: District, month: str) -> list[list[str]]:
    figures = list(district.figures)
    rest: list[Figure] = []
    if len(figures) > ROWS:
        ranked = sorted(range(len(figures)), key=lambda i: (_IMPORTANCE.get(figures[i].light, 3), i))
        keep = set(ranked[: ROWS - 1])
        rest = [f for i, f in enumerate(figures) if i not in keep]
        figures = [f for i, f in enumerate(figures) if i in keep]
    rows = []
    for figure in figures:
        light = LIGHTS.get(figure.light or "", "—")
        rows.append(
            ["", text(figure.name), figure_change(figure, month), _percent(figure.completion), light, _note(figure)]
        )
    if rest:
        counts = Counter(LIGHTS.get(f.light or "", "—") for f in rest)
        shown = "、".join(f"{light} {n} 项" for light, n in sorted(counts.items()))
        rows.append(["", f"另有 {len(rest)} 项指标变化（{shown}）", "", "", "", ""])
    rows[0][0] = f"**{text(district.name)}**"
    return rows


def _rank(rank: int | None) -> str:
    return "—" if rank is None else str(rank)


def _move(old: int | None, new: int | None) -> str:
    if old is None or new is None or old == new:
        return ""
    return f"（{'↑' if new < old else '↓'}{abs(old - new)}）"


def _standing(standing: Standing, month: str) -> list[str]:
    place = standing.place
    prefix = f"{_earlier(standing.since, month)} " if standing.since else ""
    if place.new_rank is None:
        filed = "**未报**（原已报）"
    else:
        day = standing.submitted_on
        filed = f"{month_name(day[:7])}{int(day[8:10])}日" if day and len(day) == 10 else "已报"
        filed += f"（迟 {standing.days_late} 天）" if standing.days_late else ""
    if place.old_rank is None:
        rank = "—"
    elif place.old_rank == place.new_rank:
        rank = f"{prefix}{_rank(place.old_rank)}（不变）" if prefix else "不变"
    else:
        old, new = place.old_rank, place.new_rank
        rank = f"{prefix}{_rank(old)} → {_rank(new)}{_move(old, new)}"
    score = f"{prefix}{_score(place.old_score)} → {_score(place.new_score)}"
    if place.old_score is not None and place.new_score is not None and abs(place.old_score - place.new_score) < 5e-4:
        score = _score(place.new_score)
    lights = "/".join(str(n) for n in standing.lights)
    return [_rank(place.new_rank), text(place.name), filed, rank, score, lights]


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def month_overview(report: MonthReports, *, added: bool = False) -> list[str]:
    """The month's reporting and the ranking among the districts that reported."""
    title = f"### {report.month} 月报{'（新增月份）' if added else ''}"
    out = [f"{title}：应报 {report.owing} 个地区，已报 {report.reported} 个", ""]
    if report.unreported:
        out.append(f"**未报（{len(report.unreported)} 个）**：{'、'.join(text(n) for n in report.unreported)}。")
    else:
        out.append("应报地区全部报送。")
    if not report.ranked:
        return [*out, "", "新版本的数据未通过校验，无法计算名次。", ""]
    if not report.standings:
        return [*out, ""]
    out[-1] += f"名次只在已报送的 {report.reported} 个地区中计算，未报地区不参加（不按 0 分排在最后）。"
    out[-1] += "" if report.compared else "旧版本的数据未通过校验，名次变化与上月相比。"
    header = ("名次", "地区", "报送", "名次变化", "综合得分", "绿/黄/红灯")
    return [*out, "", *table(header, [_standing(s, report.month) for s in report.standings]), ""]


def month_details(report: MonthReports) -> list[str]:
    """Every district's changed indicators in form order."""
    if not report.districts:
        return []
    rows = [row for district in report.districts for row in _district_rows(district, report.month)]
    header = ("地区", "指标", "原值 → 新值", "完成进度", "灯", "说明（有改动时）")
    earlier = any(f.since for district in report.districts for f in district.figures)
    note = "“上月 X → Y”：这一格原来是空的，X 是上月报送的累计值。" if earlier else ""
    note += "完成进度和灯是修改后的。"
    return [f"#### {report.month} 各地区指标变化（按填报表顺序）", "", note, "", *table(header, rows), ""]


def _issue(change: BulletinChange) -> str:
    number = f"{change.month[:4]}年第{change.number}期" if change.number else "（未编号）"
    return f"{number}（{text(change.month)} 月报）"


def _names(names: Sequence[str]) -> str:
    return "、".join(text(n) for n in names)


def bulletin_lines(
    changes: Sequence[BulletinChange],
    effects: Mapping[str, MonthEffect] | None,
    keys: Callable[[str], str],
) -> list[str]:
    """Publishing and errata as the office's acts: issue, date, unreported districts, ranks that change."""
    if not changes:
        return []
    out = ["### 通报发布与更正", ""]
    for change in changes:
        issue = _issue(change)
        if change.act == "published":
            out.append(f"- **发布** {issue}，印发日期 {text(change.issued_on) or '（未填）'}。")
            out.append(
                f"  - 未报地区（{len(change.unreported)} 个）：{_names(change.unreported)}"
                if change.unreported
                else "  - 应报地区全部报送。"
            )
            out += [f"  - 迟报：{_names(change.late)}"] if change.late else []
            out += [f"  - 按时印发的原因：{short(change.anyway)}"] if change.anyway else []
            moved = [m for m in change.moves if m.old is not None and m.new is not None and m.old != m.new]
            shown = "、".join(f"{text(m.name)} {m.old} → {m.new}{_move(m.old, m.new)}" for m in moved)
            steady = len(change.moves) - len(moved)
            out += (
                [
                    f"  - 名次与上月相比：{shown}；其余 {steady} 个地区不变。"
                    if moved
                    else "  - 名次与上月相比没有变化。"
                ]
                if change.moves
                else []
            )
        elif change.act in ("erratum", "sealed"):
            verb = "封存更正" if change.act == "sealed" else "更正"
            out.append(f"- **{verb}** {issue}：")
            for note in change.errata:
                sealed = f"已封存（{text(note.sealed_on)}）" if note.sealed_on else "**尚未封存**"
                out.append(
                    f"  - {text(note.date)}：{short(note.description)}；原因：{short(note.reason)}；"
                    f"批准人：{text(note.approved_by) or '**未填**'}；{sealed}"
                )
            if effects is None:
                out.append("  - 有一方的数据未通过校验，无法比较名次。")
                continue
            effect = effects.get(change.month)
            moved_places = effect.moved if effect else ()
            ranks = "、".join(f"{text(p.name)} {_rank(p.old_rank)} → {_rank(p.new_rank)}" for p in moved_places)
            out.append(f"  - 名次变化：{ranks}" if ranks else "  - 各地区名次不变。")
        else:
            verbs = {
                "unpublished": "**撤销发布**",
                "draft": "新增通报草稿",
                "removed": "**删除通报**",
                "changed": "修改通报",
            }
            detail = keys(change.month)
            out.append(f"- {verbs[change.act]} {issue}{f'（{detail}）' if detail else ''}。")
    return [*out, ""]
