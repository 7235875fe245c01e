"""What a change to the data does to files, rows, months and rankings, and its Markdown summary (no I/O).

Rows are matched by their table's primary key in `datapackage.yaml`, so reordering is not a change;
only files whose bytes differ are compared row by row, so the work grows with the change.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import polars as pl

from site_builder.compute import RankRow, month_ranking
from site_builder.contract import REPORTS, TableSpec
from site_builder.load import CsvFile, Sources
from site_builder.pipeline import Computed

Status = Literal["added", "removed", "changed"]
Key = tuple[tuple[str, str], ...]  # a row's primary-key field → value (every cell when the table has no key)
REPORT_MONTH = re.compile(r"reports/([0-9]{4}-[0-9]{2})/[^/]+\.csv")
BULLETIN = re.compile(r"bulletins/([0-9]{4}-[0-9]{2})\.ya?ml")
LIMIT = 200  # lines per table; the counts above each table stay exact
TOP = 3  # districts shown at each end of a new month's ranking
SHORT = 40  # characters of a cell shown
Bulletins = dict[str, tuple[str, int]]  # month → status and number of errata
_PAIRS = ("rank", "rank_new", "score", "score_new")  # a district's rank and score before and after


@dataclass(frozen=True)
class Cell:  # one cell before and after; None where the row does not exist on that side
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class RowChange:
    file: str
    table: str  # the resource's name in datapackage.yaml, "" when the file belongs to none
    status: Status
    key: Key
    cells: tuple[Cell, ...]  # the changed cells; every non-empty cell of an added or removed row
    month: str | None = None  # a report row's month


@dataclass(frozen=True)
class FileChange:
    path: str
    status: Status
    rows_added: int | None = None  # None: not a table
    rows_removed: int | None = None
    rows_changed: int | None = None
    keys: tuple[str, ...] = ()  # a YAML mapping's top-level keys whose values changed
    same_content: bool = False  # a YAML file whose comments or layout changed, not its content


@dataclass(frozen=True)
class Check:  # one side's validation; valid: no errors, so it has rankings
    label: str
    valid: bool
    codes: tuple[tuple[str, str, int], ...]  # code, severity, number of findings

    def count(self, severity: str) -> int:
        return sum(n for _, s, n in self.codes if s == severity)


@dataclass(frozen=True)
class Place:  # a district in a month's ranking before and after (None: not ranked on that side)
    region_id: str
    name: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None


@dataclass(frozen=True)
class MonthEffect:
    month: str
    moved: tuple[Place, ...]  # every district whose rank changed, in new rank order
    rescored: int  # districts whose score changed but not their rank
    reports_changed: bool


@dataclass(frozen=True)
class Published:  # a month whose bulletin is published (on either side) and whose report rows change
    month: str
    rows: tuple[RowChange, ...]
    errata_added: int
    ranks_changed: bool


@dataclass(frozen=True)
class Diff:
    old: Check
    new: Check
    files: tuple[FileChange, ...]
    rows: tuple[RowChange, ...]  # row changes inside files present on both sides
    published: tuple[Published, ...]
    months_added: tuple[str, ...]
    months_removed: tuple[str, ...]
    effects: tuple[MonthEffect, ...]  # months on both sides whose reports or rankings changed
    new_months: tuple[tuple[str, tuple[Place, ...], tuple[Place, ...]], ...]  # month, top, bottom
    names: Mapping[str, str] = field(default_factory=dict)  # "region:east" → 东区, "indicator:…" → its name


def compare(
    old: Computed,
    new: Computed,
    old_sources: Sources,
    new_sources: Sources,
    *,
    digests: tuple[Mapping[str, str], Mapping[str, str]],
    labels: tuple[str, str] = ("旧版本", "新版本"),
) -> Diff:
    """Compare two data folders: each side's `Computed` (`pipeline.compute_folder`), its `Sources`
    (`load.load_sources`: files and rows as written, valid or not) and its file digests
    (`revisions.file_digests`: which files changed, YAML comments and unreadable files included).
    """
    bulletins = (_bulletins(old_sources), _bulletins(new_sources))
    published = {month for side in bulletins for month, (status, _) in side.items() if status == "published"}
    files: list[FileChange] = []
    rows: list[RowChange] = []
    whole: list[RowChange] = []  # rows of report files added or removed, kept for published months
    old_files, new_files = set(old_sources.files), set(new_sources.files)
    for path in sorted(old_files | new_files):
        spec = _spec(new, path) or _spec(old, path)
        before, after = old_sources.csv.get(path), new_sources.csv.get(path)
        if path not in new_files or path not in old_files:
            added = path in new_files
            present = after if added else before
            count = len(present.rows) if present else None
            if _month_of(path) in published:
                whole += _row_changes(path, spec, *((None, present) if added else (present, None)))
            files.append(FileChange(path, "added", count) if added else FileChange(path, "removed", None, count))
        elif digests[0].get(path) != digests[1].get(path):
            if before is not None and after is not None:
                changes = _row_changes(path, spec, before, after)
                rows += changes
                tally = Counter(c.status for c in changes)
                files.append(FileChange(path, "changed", tally["added"], tally["removed"], tally["changed"]))
            else:
                a, b = (side.yaml[path].data if path in side.yaml else None for side in (old_sources, new_sources))
                same = path in old_sources.yaml and path in new_sources.yaml and a == b
                files.append(FileChange(path, "changed", keys=_yaml_keys(a, b), same_content=same))
    old_months, new_months = ({m for p in side.files if (m := _month_of(p))} for side in (old_sources, new_sources))
    touched = {m for f in files if (m := _month_of(f.path))}
    effects = _effects(old, new, touched)
    added_months = sorted(new_months - old_months)
    return Diff(
        old=_check(labels[0], old),
        new=_check(labels[1], new),
        files=tuple(files),
        rows=tuple(rows),
        published=_published(published, rows + whole, bulletins, {e.month for e in effects if e.moved}),
        months_added=tuple(added_months),
        months_removed=tuple(sorted(old_months - new_months)),
        effects=effects,
        new_months=_tops(new, sorted(set(added_months) | (set() if old.dataset else touched))),
        names=_names(old, new),
    )


def _spec(computed: Computed, path: str) -> TableSpec | None:
    contract = computed.validated.contract
    return contract.tables.get(REPORTS) if _month_of(path) else contract.table_for_path(path)


def _month_of(path: str) -> str | None:
    match = REPORT_MONTH.fullmatch(path)
    return match.group(1) if match else None


def _yaml_keys(a: object, b: object) -> tuple[str, ...]:
    if not isinstance(a, dict) or not isinstance(b, dict):
        return ()
    return tuple(sorted(str(k) for k in set(a) | set(b) if a.get(k) != b.get(k)))


def _bulletins(sources: Sources) -> Bulletins:
    """Month → (status, number of errata) of every bulletin, from the YAML as written (valid or not)."""
    found = {}
    for path, doc in sorted(sources.yaml.items()):
        if (match := BULLETIN.fullmatch(path)) and isinstance(doc.data, dict):
            errata = doc.data.get("errata")
            month = str(doc.data.get("month") or match.group(1))
            found[month] = (str(doc.data.get("status")), len(errata) if isinstance(errata, list) else 0)
    return found


def _published(
    months: set[str], rows: list[RowChange], bulletins: tuple[Bulletins, Bulletins], moved: set[str]
) -> tuple[Published, ...]:
    by_month: dict[str, list[RowChange]] = {}
    for row in rows:
        for month in sorted({m for m in (row.month, _month_of(row.file)) if m in months}):
            by_month.setdefault(month, []).append(row)
    result = []
    for month, changes in sorted(by_month.items()):
        errata = [side.get(month, ("", 0))[1] for side in bulletins]
        ordered = tuple(sorted(changes, key=lambda r: (r.file, r.key)))
        result.append(Published(month, ordered, max(0, errata[1] - errata[0]), month in moved))
    return tuple(result)


def _records(csv_file: CsvFile | None, key: Sequence[str]) -> dict[tuple[tuple[str, ...], int], dict[str, str]]:
    """Rows by (primary key, occurrence), so that even duplicate keys are matched one to one."""
    header = csv_file.header if csv_file else []
    seen: Counter[tuple[str, ...]] = Counter()
    keyed = {}
    for row in csv_file.rows if csv_file else []:
        record = {name: row[i] if i < len(row) else "" for i, name in enumerate(header)}
        if len(row) > len(header):
            record["…"] = ",".join(row[len(header) :])
        values = tuple(record.get(f, "") for f in key) if key else tuple(row)
        keyed[(values, seen[values])] = record
        seen[values] += 1
    return keyed


def _row_changes(path: str, spec: TableSpec | None, before: CsvFile | None, after: CsvFile | None) -> list[RowChange]:
    present = [f for f in (before, after) if f is not None]
    key = spec.primary_key if spec and all(set(spec.primary_key) <= set(f.header) for f in present) else ()
    old, new = _records(before, key), _records(after, key)
    columns = list(dict.fromkeys([*(after.header if after else []), *(before.header if before else []), "…"]))
    changes = []
    for index in sorted(set(old) | set(new)):
        a, b = old.get(index), new.get(index)
        record = b or a or {}
        if a is not None and b is not None:
            cells = tuple(Cell(c, a.get(c, ""), b.get(c, "")) for c in columns if a.get(c, "") != b.get(c, ""))
        else:
            pairs = ((c, record.get(c)) for c in columns if c not in key and record.get(c))
            cells = tuple(Cell(c, None, v) if b is not None else Cell(c, v, None) for c, v in pairs)
        status: Status = "changed" if a is not None and b is not None else "added" if b is not None else "removed"
        if cells or status != "changed":
            month = (record.get("month") or _month_of(path)) if _month_of(path) else None
            where = tuple((f, record.get(f, "")) for f in key) if key else tuple(record.items())
            changes.append(RowChange(path, spec.name if spec else "", status, where, cells, month))
    return changes


def _check(label: str, computed: Computed) -> Check:
    counts = Counter((f.code, f.severity) for f in computed.validated.findings)
    return Check(label, computed.results is not None, tuple((c, s, n) for (c, s), n in sorted(counts.items())))


def _names(*sides: Computed) -> dict[str, str]:
    """`region:east` → 东区, `indicator:screening` → 筛查人数, from each side that has a model."""
    names: dict[str, str] = {}
    for dataset in (side.dataset for side in sides if side.dataset is not None):
        names |= {f"region:{r.id}": r.short_name or r.name for r in dataset.regions}
        names |= {f"indicator:{i.id}": i.name for i in dataset.indicators}
    return names


def _ranking(computed: Computed, month: str) -> list[RankRow]:
    if computed.dataset is None or computed.results is None or month not in computed.dataset.months:
        return []
    return month_ranking(computed.dataset, computed.results, month)


def _effects(old: Computed, new: Computed, touched: set[str]) -> tuple[MonthEffect, ...]:
    """Every month on both sides whose reports changed or where a district's rank or score did (column-wise)."""
    if old.dataset is None or old.results is None or new.dataset is None or new.results is None:
        return ()
    months = sorted(set(old.dataset.months) & set(new.dataset.months))
    keys = ["month", "region_id"]
    before = old.results.standings.select(*keys, "score", "rank")
    after = new.results.standings.select(*keys, "score", "rank", "region_order")
    both = before.join(after, on=keys, how="full", coalesce=True, suffix="_new").filter(pl.col("month").is_in(months))
    same_rank = pl.col("rank").eq_missing(pl.col("rank_new"))
    both = both.with_columns(moved=~same_rank, rescored=same_rank & pl.col("score").ne_missing(pl.col("score_new")))
    names = _names(old, new)
    effects = []
    for month in months:
        rows = both.filter(pl.col("month") == month)
        moved = rows.filter("moved").sort(pl.col("rank_new").is_null(), "rank_new", "region_order", "region_id")
        places = tuple(
            Place(r["region_id"], names.get(f"region:{r['region_id']}", r["region_id"]), *(r[c] for c in _PAIRS))
            for r in moved.iter_rows(named=True)
        )
        rescored = int(rows["rescored"].sum())
        if places or rescored or month in touched:
            effects.append(MonthEffect(month, places, rescored, month in touched))
    return tuple(effects)


def _tops(new: Computed, months: Iterable[str]) -> tuple[tuple[str, tuple[Place, ...], tuple[Place, ...]], ...]:
    tops = []
    for month in months:
        ranked = [Place(r.region_id, r.short_name, None, r.rank, None, r.score) for r in _ranking(new, month) if r.rank]
        if ranked:
            tops.append((month, tuple(ranked[:TOP]), tuple(ranked[max(TOP, len(ranked) - TOP) :])))
    return tuple(tops)


# Markdown. Every text from the data passes through _text, _code or _value: one line, nothing active.

_ESCAPE = re.compile(r"([\\`*_\[\]<>|&~@$])")
_NEWLINE = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_STATUS = {"added": "新增", "removed": "删除", "changed": "修改"}
_SEVERITY = {"error": "错误", "warning": "警告"}
_KINDS = {"region_id": "region", "indicator_id": "indicator"}
_ROW_HEADER = ("文件", "行", "字段", "原值", "新值")
_FILE_HEADER = ("文件", "变化", "新增行", "删除行", "修改行", "说明")


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


def _table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(line) + " |" for line in lines[:LIMIT]]
    return [*out, *(["", f"另有 {len(lines) - LIMIT} 行未列出。"] if len(lines) > LIMIT else []), ""]


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
    lines += ["", *_table(_ROW_HEADER, _row_lines([r for p in diff.published for r in p.rows], diff.names))]
    return [f"> {line}" if line else ">" for line in lines[:-1]] + [""]


def _check_lines(diff: Diff) -> list[str]:
    out = ["### 数据校验", ""]
    for side, check in (("旧版本", diff.old), ("新版本", diff.new)):
        errors, warnings = check.count("error"), check.count("warning")
        verdict = f"数据有效（{warnings} 个警告）" if warnings else "数据有效"
        if not check.valid:
            verdict = f"**数据未通过校验**：{errors} 个错误、{warnings} 个警告，无法计算这一版本的排名"
        out.append(f"- {side} {_code(check.label)}：{verdict}。")
    codes = sorted({(code, severity) for check in (diff.old, diff.new) for code, severity, _ in check.codes})
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
    for f in diff.files:
        counts = [str(n) if n is not None else "" for n in (f.rows_added, f.rows_removed, f.rows_changed)]
        note = "、".join(_code(k) for k in f.keys) if f.keys else ""
        note = "只改了注释或格式" if f.same_content else f"字段：{note}" if note else ""
        lines.append([_code(f.path), _STATUS[f.status], *counts, note])
    return out + _table(_FILE_HEADER, lines)


def _value_lines(diff: Diff) -> list[str]:
    out = ["### 数值变化", ""] if diff.rows else []
    for title in ("月报", "年度目标", "其他表格"):
        rows = [r for r in diff.rows if {REPORTS: "月报", "targets": "年度目标"}.get(r.table, "其他表格") == title]
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
    if not diff.old.valid:
        more = "；下面列出新版本中数据有变化的月份的排名两端" if diff.new_months else ""
        out += [f"旧版本的数据未通过校验，无法比较排名{more}。", ""]
    for effect in diff.effects:
        lines = [[_text(p.name), _rank(p), f"{_score(p.old_score)} → {_score(p.new_score)}"] for p in effect.moved]
        out += [f"#### {effect.month}", "", *(_table(("地区", "名次", "综合得分"), lines) if lines else [])]
        out += [] if lines else ["各地区名次没有变化。", ""]
        out += [f"另有 {effect.rescored} 个地区得分变化、名次不变。", ""] if effect.rescored else []
    for month, top, bottom in diff.new_months:
        out += [f"#### {month}（新增月份）" if month in diff.months_added else f"#### {month}", ""]
        for title, places in (("前列", top), ("末位", bottom)):
            shown = "、".join(f"{p.new_rank}. {_text(p.name)}（{_score(p.new_score)}）" for p in places)
            out += [f"- {title}：{shown}"] if places else []
        out.append("")
    return out if len(out) > 2 else [*out, "没有月份的排名发生变化。", ""]


def to_markdown(diff: Diff) -> str:
    """The summary in Chinese: changes to published data first, then validation, files, values, months, rankings."""
    out = [f"## 数据变更：{_code(diff.old.label)} → {_code(diff.new.label)}", ""]
    out += _warning(diff) if diff.published else []
    out += _check_lines(diff) + _file_lines(diff) + _value_lines(diff) + _month_lines(diff) + _ranking_lines(diff)
    return "\n".join(out).rstrip("\n") + "\n"
