"""A data change (`site_builder.compute.diff.Diff`) as the Markdown summary a reviewer reads (no I/O).

Most important first: changes to published data, the bulletins published or corrected, validation, then
each month's reports (who reported, ranks among those who did, every district's changed indicators in
form order, `render/diff_reports.py`), other tables, months, rankings, files. Every value from the data
is escaped and kept on one line; tables are capped at LIMIT lines, and the whole summary at `max_chars`
characters (GitHub: a job summary holds at most 1 MiB, a pull-request comment 65,536 characters).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence

from site_builder.compute.diff import LIMIT, SHORT, Cell, Diff, FileChange, RowChange
from site_builder.compute.diff_reports import REPORT_FILE, Place
from site_builder.core.contract import REPORTS
from site_builder.render.diff_reports import bulletin_lines, month_details, month_overview

_ESCAPE = re.compile(r"([\\`*_\[\]<>|&~@$])")
_NEWLINE = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_STATUS = {"added": "新增", "removed": "删除", "changed": "修改"}
_SEVERITY = {"error": "错误", "warning": "警告"}
_KINDS = {"region_id": "region", "indicator_id": "indicator"}
_ROW_HEADER = ("文件", "行", "字段", "原值", "新值")
_FILE_HEADER = ("文件", "变化", "新增行", "删除行", "修改行", "说明")
_ORDER = {"error": 0, "warning": 1}
MAX_CHARS = 60_000  # below a pull-request comment's 65,536 characters, far below a job summary's 1 MiB
WARNING_LIMIT = 10  # changed rows of published months listed in the warning


def _text(value: str) -> str:
    return _ESCAPE.sub(r"\\\1", _NEWLINE.sub(" ⏎ ", value))


def _code(value: str) -> str:
    plain = not value.strip() or value != value.strip() or "`" in value or "|" in value or _NEWLINE.search(value)
    return _text(value) if plain else f"`{value}`"


def _value(value: str | None) -> str:
    if value is None:
        return "—"
    return _text(value if len(value) <= SHORT else value[:SHORT] + "…") if value else "（空）"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _table(header: Sequence[str], lines: Sequence[Sequence[str]], limit: int = LIMIT) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(line) + " |" for line in lines[:limit]]
    return [*out, *(["", f"另有 {len(lines) - limit} 行未列出。"] if len(lines) > limit else []), ""]


def _row_lines(rows: Iterable[RowChange], names: Mapping[str, str]) -> list[list[str]]:
    lines = []
    for row in rows:
        where = " · ".join(_value(names.get(f"{_KINDS.get(f)}:{v}", v)) for f, v in row.key)
        whole = Cell("（整行）", None if row.status == "added" else "", "" if row.status == "added" else None)
        lines += [[_code(row.file), where, _code(c.field), _value(c.old), _value(c.new)] for c in row.cells or [whole]]
    return lines


def _warning(diff: Diff) -> list[str]:
    lines = [
        "⚠️ **已发布通报的数据被修改**",
        "",
        "下列月份的通报已经发布（status: published），发布后的数据原则上不再修改。确需更正的，请在该月通报文件的 "
        "errata 中登记更正（日期、内容、原因、批准人），并确认是否需要重新印发。",
        "",
    ]
    for p in diff.published:
        notes = [f"{len(p.rows)} 行数据变化", "名次随之变化" if p.ranks_changed else "名次不变"]
        notes.append(f"新增 {p.errata_added} 条更正记录" if p.errata_added else "**没有新增更正记录**")
        lines.append(f"- {_text(p.month)}（bulletins/{_text(p.month)}.yaml）：" + "；".join(notes))
    rows = _row_lines([r for p in diff.published for r in p.rows], diff.names)
    lines += ["", *_table(_ROW_HEADER, rows, WARNING_LIMIT)]
    return [f"> {line}" if line else ">" for line in lines[:-1]] + [""]


def _check_lines(diff: Diff) -> list[str]:
    out = ["### 数据校验", ""]
    for side, check in (("旧版本", diff.old), ("新版本", diff.new)):
        errors, warnings = check.count("error"), check.count("warning")
        verdict = f"数据有效（{warnings} 个警告）" if warnings else "数据有效"
        if not check.valid:
            verdict = f"**数据未通过校验**：{errors} 个错误、{warnings} 个警告，无法计算这一版本的排名"
        out.append(f"- {side} {_code(check.label)}：{verdict}。")
    found_codes = {(code, severity) for check in (diff.old, diff.new) for code, severity, _ in check.codes}
    codes = sorted(found_codes, key=lambda cs: (_ORDER.get(cs[1], 2), cs[0]))  # errors first
    if codes:
        found = [{(c, s): n for c, s, n in check.codes} for check in (diff.old, diff.new)]
        lines = [[_code(c), _SEVERITY.get(s, s), *(str(side.get((c, s), 0)) for side in found)] for c, s in codes]
        out += ["", *_table(("问题代码", "级别", "旧版本", "新版本"), lines)]
        out.append("运行 `bulletin validate` 查看每个问题的位置和改正方法。")
    return [*out, ""]


def _file_lines(diff: Diff) -> list[str]:
    if not diff.files:
        return ["### 文件变化", "", "两个版本的数据文件相同。", ""]
    tally = Counter(f.status for f in diff.files)
    head = f"新增 {tally['added']} 个、删除 {tally['removed']} 个、修改 {tally['changed']} 个文件。"
    out = ["### 文件变化", "", head, ""]
    lines = []
    groups: dict[tuple[str, str], list[FileChange]] = {}
    for f in diff.files:
        if REPORT_FILE.fullmatch(f.path):
            groups.setdefault((f.path.rsplit("/", 1)[0] + "/", f.status), []).append(f)
            continue
        counts = [str(n) if n is not None else "" for n in (f.rows_added, f.rows_removed, f.rows_changed)]
        note = "、".join(_code(k) for k in f.keys) if f.keys else ""
        note = "只改了注释或格式" if f.same_content else f"字段：{note}" if note else ""
        lines.append([_code(f.path), _STATUS[f.status], *counts, note])
    for (folder, status), group in sorted(groups.items()):
        sums = [
            sum(n or 0 for n in column)
            for column in zip(*((f.rows_added, f.rows_removed, f.rows_changed) for f in group), strict=True)
        ]
        counts = [str(n) for n in sums] if any(f.rows_added is not None for f in group) else ["", "", ""]
        where = "各地区的变化见上文月报" if status != "removed" else ""
        lines.append([f"{_code(folder)}（{len(group)} 个报表）", _STATUS[status], *counts, where])
    return out + _table(_FILE_HEADER, lines)


def _value_lines(diff: Diff) -> list[str]:
    tables = [r for r in diff.rows if r.table != REPORTS]  # report rows: district by district, above
    out = ["### 其他数值变化", ""] if tables else []
    for title in ("年度目标", "其他表格"):
        rows = [r for r in tables if {"targets": "年度目标"}.get(r.table, "其他表格") == title]
        out += [f"#### {title}", "", *_table(_ROW_HEADER, _row_lines(rows, diff.names))] if rows else []
    return out


def _month_lines(diff: Diff) -> list[str]:
    lines = [f"- 新增月份：{'、'.join(diff.months_added)}"] if diff.months_added else []
    lines += [f"- **删除月份**：{'、'.join(diff.months_removed)}"] if diff.months_removed else []
    return ["### 月份变化", "", *lines, ""] if lines else []


def _rank(place: Place) -> str:
    old, new = place.old_rank, place.new_rank
    text = f"{'—' if old is None else old} → {'—' if new is None else new}"
    return text + (f"（{'↑' if new < old else '↓'}{abs(old - new)}）" if old and new and old != new else "")


def _ranking_lines(diff: Diff) -> list[str]:
    out = ["### 对排名的影响", ""]
    if not diff.new.valid:
        return [*out, "新版本的数据未通过校验，无法计算排名；改正上面列出的问题后再看排名的变化。", ""]
    above = {r.month for r in diff.reports if r.ranked}  # ranked among the districts that reported, above
    tops = [t for t in diff.new_months if t[0] not in above]
    if not diff.old.valid:
        more = "；下面列出新版本中数据有变化的月份的排名两端" if tops else ""
        out += [f"旧版本的数据未通过校验，无法比较排名{more}。", ""]
    for effect in (e for e in diff.effects if e.month not in above):
        lines = [[_text(p.name), _rank(p), f"{_score(p.old_score)} → {_score(p.new_score)}"] for p in effect.moved]
        out += [f"#### {effect.month}", "", *(_table(("地区", "名次", "综合得分"), lines) if lines else [])]
        out += [] if lines else ["各地区名次没有变化。", ""]
        out += [f"另有 {effect.rescored} 个地区得分变化、名次不变。", ""] if effect.rescored else []
    for month, top, bottom in tops:
        out += [f"#### {month}（新增月份）" if month in diff.months_added else f"#### {month}", ""]
        for title, places in (("前列", top), ("末位", bottom)):
            shown = "、".join(f"{p.new_rank}. {_text(p.name)}（{_score(p.new_score)}）" for p in places)
            out += [f"- {title}：{shown}"] if places else []
        out.append("")
    if len(out) > 2:
        return out
    return [] if above else [*out, "没有月份的排名发生变化。", ""]


def _keys(diff: Diff) -> Callable[[str], str]:
    def keys(month: str) -> str:
        changed = next((f for f in diff.files if f.path in (f"bulletins/{month}.yaml", f"bulletins/{month}.yml")), None)
        return "字段：" + "、".join(_code(k) for k in changed.keys) if changed and changed.keys else ""

    return keys


def _sections(diff: Diff) -> list[list[str]]:
    effects = {e.month: e for e in diff.effects} if diff.old.valid and diff.new.valid else None
    sections = [[f"## 数据变更：{_code(diff.old.label)} → {_code(diff.new.label)}", ""]]
    sections += [_warning(diff)] if diff.published else []
    sections += [bulletin_lines(diff.bulletins, effects, _keys(diff)), _check_lines(diff)]
    sections += [month_overview(r, added=r.month in diff.months_added) for r in diff.reports]
    sections += [month_details(report) for report in diff.reports]
    return [*sections, _value_lines(diff), _month_lines(diff), _ranking_lines(diff), _file_lines(diff)]


def to_markdown(diff: Diff, max_chars: int = MAX_CHARS) -> str:
    """The summary in Chinese, most important first (see the module's docstring); at most `max_chars`
    characters (0: no limit), the lines beyond counted in a last line."""
    lines = [line for section in _sections(diff) for line in section]
    text = "\n".join(lines).rstrip("\n") + "\n"
    if not max_chars or len(text) <= max_chars:
        return text
    kept, size = [], 0
    for line in lines:
        if size + len(line) + 1 > max_chars - 200:  # room for the closing note
            break
        kept.append(line)
        size += len(line) + 1
    rest = sum(1 for line in lines[len(kept) :] if line.strip())
    note = f"……摘要超过 {max_chars} 个字符，以下 {rest} 行未列出；在本地运行 `bulletin diff` 查看全部。"
    return "\n".join([*kept, "", note]).rstrip("\n") + "\n"
