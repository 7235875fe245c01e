"""A data diff's bulletins: a month published, an erratum recorded or sealed, as the office's acts (no I/O).

Read from each side's bulletin YAML as written (valid or not); the districts that had not reported
and the ranks come from the new side's results. `compute/diff.py` calls `bulletin_changes`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import polars as pl

from site_builder.compute import Computed
from site_builder.load import Sources

BULLETIN = re.compile(r"bulletins/([0-9]{4}-[0-9]{2})\.ya?ml")
Act = Literal["published", "unpublished", "erratum", "sealed", "draft", "changed", "removed"]


@dataclass(frozen=True)
class Note:  # an erratum as recorded
    date: str
    description: str
    reason: str
    approved_by: str
    sealed_on: str


@dataclass(frozen=True)
class Move:  # a district's rank against the month before (publish) or before the change (erratum)
    name: str
    old: int | None
    new: int | None


@dataclass(frozen=True)
class BulletinChange:
    month: str
    act: Act
    number: int | None
    issued_on: str
    title: str
    errata: tuple[Note, ...]  # errata added or sealed by the change
    unreported: tuple[str, ...]  # districts that owed the month a report and had none (new side)
    late: tuple[str, ...]  # districts that reported late (new side)
    moves: tuple[Move, ...]  # publish: ranks against the month before, in rank order (every ranked district)
    anyway: str = ""  # publish: why it was issued with districts unreported or late (issued_anyway)


def bulletin_changes(
    old: Sources, new: Sources, computed: Computed, names: Mapping[str, str]
) -> tuple[BulletinChange, ...]:
    """Every bulletin file added, removed or changed, as what the office did."""
    sides = _bulletins(old), _bulletins(new)
    changes = []
    for month in sorted(set(sides[0]) | set(sides[1])):
        a, b = sides[0].get(month), sides[1].get(month)
        if a == b:
            continue
        act = _act(a, b)
        doc = b if b is not None else a or {}
        number = doc.get("number")
        unreported, late = _filing(computed, month, names)
        changes.append(
            BulletinChange(
                month,
                act,
                number if isinstance(number, int) and not isinstance(number, bool) else None,
                _text(doc.get("issued_on")),
                _text(doc.get("title")),
                _notes(a, b),
                unreported,
                late,
                _moves(computed, month, names) if act == "published" else (),
                _text(doc.get("issued_anyway")) if act == "published" else "",
            )
        )
    return tuple(changes)


def _bulletins(sources: Sources) -> dict[str, dict[str, object]]:
    found = {}
    for path, doc in sorted(sources.yaml.items()):
        if (match := BULLETIN.fullmatch(path)) and isinstance(doc.data, dict):
            found[str(doc.data.get("month") or match.group(1))] = {str(k): v for k, v in doc.data.items()}
    return found


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _errata(doc: Mapping[str, object] | None) -> list[dict[str, object]]:
    errata = (doc or {}).get("errata")
    return [e for e in errata if isinstance(e, dict)] if isinstance(errata, list) else []


def _notes(a: Mapping[str, object] | None, b: Mapping[str, object] | None) -> tuple[Note, ...]:
    """The errata of `b` that `a` does not have as they are (added, or sealed since)."""
    before = _errata(a)
    notes = []
    for erratum in _errata(b):
        if erratum in before:
            continue
        fields = ("date", "description", "reason", "approved_by", "sealed_on")
        notes.append(Note(*(_text(erratum.get(f)) for f in fields)))
    return tuple(notes)


def _act(a: Mapping[str, object] | None, b: Mapping[str, object] | None) -> Act:
    if b is None:
        return "removed"
    published = [doc is not None and doc.get("status") == "published" for doc in (a, b)]
    if published[1] and not published[0]:
        return "published"
    if published[0] and not published[1]:
        return "unpublished"
    added = _notes(a, b)
    if added:
        return "sealed" if all(n.sealed_on for n in added) and len(_errata(a)) == len(_errata(b)) else "erratum"
    return "draft" if a is None else "changed"


def _filing(computed: Computed, month: str, names: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if computed.results is None:
        return (), ()
    rows = computed.results.compliance.filter(pl.col("month") == month).sort("region_order")
    status = list(rows.select("region_id", "status").iter_rows())
    unreported = tuple(names.get(f"region:{r}", r) for r, s in status if s == "missing")
    return unreported, tuple(names.get(f"region:{r}", r) for r, s in status if s == "late")


def _moves(computed: Computed, month: str, names: Mapping[str, str]) -> tuple[Move, ...]:
    dataset, results = computed.dataset, computed.results
    if dataset is None or results is None or month not in dataset.months or results.standings.is_empty():
        return ()
    earlier = [m for m in dataset.months if m < month]
    standings = results.standings.select("month", "region_id", "rank", "region_order")
    now = standings.filter(pl.col("month") == month).sort(pl.col("rank").is_null(), "rank", "region_order")
    before = (
        dict(standings.filter(pl.col("month") == earlier[-1]).select("region_id", "rank").iter_rows())
        if earlier
        else {}
    )
    return tuple(
        Move(names.get(f"region:{r}", r), before.get(r), rank)
        for r, rank in now.select("region_id", "rank").iter_rows()
    )
