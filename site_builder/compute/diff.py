"""What a change to the data does to files, rows, months and rankings (no I/O).

`render/diff_summary.py` writes it as Markdown for reviewers.

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

from site_builder.compute import Computed, RankRow, month_ranking
from site_builder.compute.diff_bulletins import BulletinChange, bulletin_changes
from site_builder.compute.diff_reports import MonthReports, Place, month_reports
from site_builder.core.contract import REPORTS, TableSpec
from site_builder.load import CsvFile, Sources

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
    reports: tuple[MonthReports, ...] = ()  # months whose report files change, district by district
    bulletins: tuple[BulletinChange, ...] = ()  # bulletins published, corrected or otherwise changed


def compare(
    old: Computed,
    new: Computed,
    old_sources: Sources,
    new_sources: Sources,
    *,
    digests: tuple[Mapping[str, str], Mapping[str, str]],
    labels: tuple[str, str] = ("旧版本", "新版本"),
) -> Diff:
    """Compare two data folders: each side's `Computed` (`commands/build.py`'s `compute_sources`), its `Sources`
    (`load.load_sources`: files and rows as written, valid or not) and its file digests
    (`load/history.py`'s `file_digests`: which files changed, YAML comments and unreadable files included).
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
    names = _names(old, new)
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
        names=names,
        reports=month_reports(old, new, (old_sources, new_sources), touched, names),
        bulletins=bulletin_changes(old_sources, new_sources, new, names),
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
