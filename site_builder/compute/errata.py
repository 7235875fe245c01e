"""What an erratum did to a published bulletin: figures old → new, and ranks old → new.

A published bulletin is shown in editions: as issued (from the data as sealed), then after each
erratum. Each edition is the whole model and its results, computed from the sealed files
(`compute/editions.py` makes them); comparing two editions for the bulletin's month gives the erratum's
effects. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from site_builder.compute import RankRow, Results, month_ranking
from site_builder.model import Dataset

Row = dict[str, Any]

CELL_FIELDS = ("actual", "completion", "light")
CITY_FIELDS = ("actual", "completion", "light")
RANK_FIELDS = ("rank", "rank_change", "score", "light", "bottom", "summoned")


@dataclass(frozen=True)
class Edition:
    """The bulletin's figures at one point: as issued (the first edition), or after an erratum."""

    dataset: Dataset
    results: Results


@dataclass(frozen=True)
class FigureChange:
    region_id: str | None  # None: the city as a whole
    indicator_id: str
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class RankChange:
    region_id: str
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Effects:
    figures: tuple[FigureChange, ...]
    ranks: tuple[RankChange, ...]


def _same(old: object, new: object) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return abs(old - new) <= 1e-9 * max(1.0, abs(old), abs(new))
    return old == new


def _rows(frame: pl.DataFrame, keys: tuple[str, ...], fields: tuple[str, ...]) -> dict[tuple[object, ...], Row]:
    return {tuple(r[k] for k in keys): r for r in frame.select(*keys, *fields).iter_rows(named=True)}


def effects(before: Edition, after: Edition, month: str) -> Effects:
    """The figures of month's bulletin that differ between two editions, in table order."""
    figures: list[FigureChange] = []
    keys = ("region_id", "indicator_id")
    old = _rows(before.results.progress.filter(pl.col("month") == month), keys, CELL_FIELDS)
    new = _rows(after.results.progress.filter(pl.col("month") == month), keys, CELL_FIELDS)
    for key in sorted(set(old) | set(new), key=str):
        for field in CELL_FIELDS:
            a, b = old.get(key, {}).get(field), new.get(key, {}).get(field)
            if not _same(a, b):
                figures.append(FigureChange(str(key[0]), str(key[1]), field, a, b))
    old_city = _rows(before.results.city.filter(pl.col("month") == month), ("indicator_id",), CITY_FIELDS)
    new_city = _rows(after.results.city.filter(pl.col("month") == month), ("indicator_id",), CITY_FIELDS)
    for key in sorted(set(old_city) | set(new_city), key=str):
        for field in CITY_FIELDS:
            a, b = old_city.get(key, {}).get(field), new_city.get(key, {}).get(field)
            if not _same(a, b):
                figures.append(FigureChange(None, str(key[0]), field, a, b))
    return Effects(tuple(figures), tuple(_rank_changes(before, after, month)))


def _rank_changes(before: Edition, after: Edition, month: str) -> list[RankChange]:
    old: dict[str, RankRow] = {r.region_id: r for r in month_ranking(before.dataset, before.results, month)}
    new_rows = month_ranking(after.dataset, after.results, month)
    changes = []
    for row in new_rows:
        previous = old.get(row.region_id)
        for field in RANK_FIELDS:
            a = getattr(previous, field) if previous else None
            b = getattr(row, field)
            if not _same(a, b):
                changes.append(RankChange(row.region_id, field, a, b))
    return changes
