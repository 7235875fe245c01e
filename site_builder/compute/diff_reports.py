"""A data diff's monthly reports, district by district, as a reviewer reads them (no I/O).

For every month whose report files change: each district's changed indicators in form order (the
indicators' order) with the figure before and after (the last earlier month's figure when the cell was
empty before, as a new month's report is), its completion and light after the change; the districts that
reported and those that did not; and ranks among the districts that reported on each side only, so that
an unreported district at score 0 moves nobody. `compute/diff.py` calls `month_reports`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from site_builder.compute import Computed
from site_builder.load import Sources

REPORT_FILE = re.compile(r"reports/[0-9]{4}-[0-9]{2}/[^/]+\.csv")
FIGURES = ("value", "numerator", "denominator")
OTHER_FIELDS = ("submitted_on", "corrected_on", "explanation")
FILED = ("on_time", "late")  # compliance statuses of a district that reported the month
Record = dict[str, str]
FILE, LINE = "\0file", "\0line"  # where a record is, kept in it under keys no CSV header can have
Cells = dict[tuple[str, str, str], Record]  # (month, region, indicator) → the report row as written


@dataclass(frozen=True)
class Figure:  # one changed indicator of one district
    indicator_id: str
    name: str
    old: str  # the figure as written before ("" none); a rate is numerator/denominator
    new: str
    since: str | None  # the month `old` comes from when the cell was empty before (None: this month's)
    completion: float | None  # after the change
    light: str | None  # green, yellow, red, grey, na; None: the new data has no results
    fields: tuple[str, ...]  # the other columns that changed (submitted_on, corrected_on, explanation)
    explanation: str = ""  # what happened to the explanation: added, changed, removed ("" nothing)
    said: str = ""  # the explanation after the change, when it changed
    file: str = ""  # the report file and line of the row after the change (before, when it was removed)
    line: int = 0


@dataclass(frozen=True)
class District:
    region_id: str
    name: str
    figures: tuple[Figure, ...]  # in form order


@dataclass(frozen=True)
class Place:  # a district in a month's ranking before and after (None: not ranked on that side)
    region_id: str
    name: str
    old_rank: int | None
    new_rank: int | None
    old_score: float | None
    new_score: float | None


@dataclass(frozen=True)
class Standing:  # a district that reported the month on either side, ranked among those that reported
    place: Place
    since: str | None  # old rank and score are this earlier month's (the district had not reported before)
    submitted_on: str | None
    days_late: int
    lights: tuple[int, int, int]  # green, yellow, red after the change


@dataclass(frozen=True)
class MonthReports:
    month: str
    owing: int  # districts that owe the month a report (new side; every district without results)
    reported: int  # of those, how many reported
    unreported: tuple[str, ...]  # names of the districts that owe the month and have not reported
    standings: tuple[Standing, ...]  # reporters in new rank order, then those no longer reporting
    districts: tuple[District, ...]  # every district with a changed indicator, in the districts' order
    ranked: bool  # the new side has results (else no ranks)
    compared: bool  # the old side has results too (else old ranks are the month before's)


def month_reports(
    old: Computed, new: Computed, sources: tuple[Sources, Sources], months: Iterable[str], names: Mapping[str, str]
) -> tuple[MonthReports, ...]:
    """The months' reports as they change from `old` to `new` (each with its `Sources`)."""
    before, after = (_cells(side) for side in sources)
    regions = _order(new, old, "regions", [r for _, r, _ in after] + [r for _, r, _ in before])
    indicators = _order(new, old, "indicators", [i for _, _, i in after] + [i for _, _, i in before])
    history = _history(after)
    result = []
    for month in sorted(set(months)):
        figures = _figures(new, month, before=before, after=after, history=history, names=names)
        by_region = {r: tuple(sorted(f, key=lambda x: indicators.index(x.indicator_id))) for r, f in figures.items()}
        districts = tuple(District(r, names.get(f"region:{r}", r), by_region[r]) for r in regions if by_region.get(r))
        filed_old, filed_new = _filed(old, month, before), _filed(new, month, after)
        owing = [r for r in regions if filed_new.get(r, "missing") != "not_due"]
        missing = [r for r in owing if filed_new.get(r) not in FILED]
        standings = _standings(old, new, month, filed=(filed_old, filed_new), regions=regions, names=names)
        result.append(
            MonthReports(
                month,
                len(owing),
                len(owing) - len(missing),
                tuple(names.get(f"region:{r}", r) for r in missing),
                standings,
                districts,
                new.results is not None,
                old.results is not None,
            )
        )
    return tuple(result)


def _cells(sources: Sources) -> Cells:
    cells: Cells = {}
    for path, csv_file in sorted(sources.csv.items()):
        if not REPORT_FILE.fullmatch(path):
            continue
        header = csv_file.header
        for row, line in zip(csv_file.rows, csv_file.lines, strict=True):
            record = {name: row[i] if i < len(row) else "" for i, name in enumerate(header)}
            record |= {FILE: path, LINE: str(line)}
            key = (record.get("month", ""), record.get("region_id", ""), record.get("indicator_id", ""))
            cells[key] = record
    return cells


def _order(new: Computed, old: Computed, what: str, seen: list[str]) -> list[str]:
    """Region or indicator ids in the model's order (form order), then any others as first seen."""
    dataset = new.dataset or old.dataset
    known = [x.id for x in getattr(dataset, what)] if dataset is not None else []
    return list(dict.fromkeys([*known, *seen]))


def figure_text(record: Record | None) -> str:
    """The figure as written: a rate's numerator/denominator, else the value ("" when empty)."""
    if record is None:
        return ""
    numerator, denominator = record.get("numerator", ""), record.get("denominator", "")
    if numerator or denominator:
        return f"{numerator or '？'}/{denominator or '？'}"
    return record.get("value", "")


def _history(cells: Cells) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(region, indicator) → (month, figure) of every month with a figure, in month order."""
    history: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for (month, region, indicator), record in sorted(cells.items()):
        if text := figure_text(record):
            history.setdefault((region, indicator), []).append((month, text))
    return history


def _progress(new: Computed, month: str) -> dict[tuple[str, str], tuple[float | None, str]]:
    if new.results is None:
        return {}
    rows = new.results.progress.filter(pl.col("month") == month).select(
        "region_id", "indicator_id", "completion", "light"
    )
    return {(r, i): (c, light) for r, i, c, light in rows.iter_rows()}


def _figures(
    new: Computed,
    month: str,
    *,
    before: Cells,
    after: Cells,
    history: dict[tuple[str, str], list[tuple[str, str]]],
    names: Mapping[str, str],
) -> dict[str, list[Figure]]:
    progress = _progress(new, month)
    figures: dict[str, list[Figure]] = {}
    for key in sorted({k for k in (*before, *after) if k[0] == month}):
        a, b = before.get(key), after.get(key)
        columns = (*FIGURES, *OTHER_FIELDS)
        if a is not None and b is not None and all(a.get(c, "") == b.get(c, "") for c in columns):
            continue
        _, region, indicator = key
        old_text, new_text, since = figure_text(a), figure_text(b), None
        if not old_text and new_text:  # a cell filled in: against the last figure before
            earlier = [(m, text) for m, text in history.get((region, indicator), []) if m < month]
            since, old_text = earlier[-1] if earlier else (None, "")
        others = tuple(c for c in OTHER_FIELDS if (a or {}).get(c, "") != (b or {}).get(c, ""))
        completion, light = progress.get((region, indicator), (None, None)) if b is not None else (None, None)
        name = names.get(f"indicator:{indicator}", indicator)
        said = [(side or {}).get("explanation", "") for side in (a, b)]
        explained = "" if said[0] == said[1] else "added" if not said[0] else "removed" if not said[1] else "changed"
        said_now = said[1] if explained else ""
        place = b if b is not None else a or {}
        figure = Figure(
            indicator,
            name,
            old_text,
            new_text,
            since,
            completion,
            light,
            others,
            explained,
            said_now,
            place.get(FILE, ""),
            int(place.get(LINE, "0")),
        )
        figures.setdefault(region, []).append(figure)
    return figures


def _filed(side: Computed, month: str, cells: Cells) -> dict[str, str]:
    """Region → compliance status of the month (on_time, late, missing, not_due); from the rows when invalid."""
    if side.results is not None:
        rows = side.results.compliance.filter(pl.col("month") == month).select("region_id", "status")
        return dict(rows.iter_rows())
    filed: dict[str, str] = {}
    for (m, region, _), record in cells.items():
        if m == month:
            has = bool(figure_text(record) or record.get("submitted_on"))
            filed[region] = "on_time" if has or filed.get(region) == "on_time" else "missing"
    return filed


def _ranks(scores: dict[str, float]) -> dict[str, int]:
    """Competition ranks ("1224"), higher score first."""
    return {r: 1 + sum(other > s + 1e-12 for other in scores.values()) for r, s in scores.items()}


def _scores(side: Computed, month: str) -> dict[str, float]:
    if side.results is None or side.results.standings.is_empty():
        return {}
    rows = side.results.standings.filter(pl.col("month") == month).select("region_id", "score")
    return {r: s for r, s in rows.iter_rows() if s is not None}


def _standings(
    old: Computed,
    new: Computed,
    month: str,
    *,
    filed: tuple[dict[str, str], dict[str, str]],
    regions: list[str],
    names: Mapping[str, str],
) -> tuple[Standing, ...]:
    reporters = [{r for r, status in side.items() if status in FILED} for side in filed]
    scores = [_scores(old, month), _scores(new, month)]
    among = [{r: s for r, s in side.items() if r in who} for side, who in zip(scores, reporters, strict=True)]
    ranks = [_ranks(side) for side in among]
    earlier = [m for m in (new.dataset.months if new.dataset else ()) if m < month]
    previous = earlier[-1] if earlier else None
    last = _scores(new, previous) if previous else {}
    last_ranks = _ranks(last)
    late, lights = _lateness(new, month), _lights(new, month)
    standings = []
    for region in regions:
        if region not in reporters[0] | reporters[1]:
            continue
        old_rank, old_score, since = ranks[0].get(region), among[0].get(region), None
        if region not in ranks[0] and region in last_ranks:
            old_rank, old_score, since = last_ranks[region], last[region], previous
        submitted, days = late.get(region, (None, 0))
        standings.append(
            Standing(
                Place(
                    region,
                    names.get(f"region:{region}", region),
                    old_rank,
                    ranks[1].get(region),
                    old_score,
                    among[1].get(region),
                ),
                since,
                submitted,
                days,
                lights.get(region, (0, 0, 0)),
            )
        )
    standings.sort(key=lambda s: (s.place.new_rank is None, s.place.new_rank or 0, regions.index(s.place.region_id)))
    return tuple(standings)


def _lateness(side: Computed, month: str) -> dict[str, tuple[str | None, int]]:
    if side.results is None:
        return {}
    rows = side.results.compliance.filter(pl.col("month") == month)
    return {
        r: (str(d) if d is not None else None, int(n or 0))
        for r, d, n in rows.select("region_id", "submitted_on", "days_late").iter_rows()
    }


def _lights(side: Computed, month: str) -> dict[str, tuple[int, int, int]]:
    if side.results is None:
        return {}
    rows = (
        side.results.progress.filter(pl.col("month") == month)
        .group_by("region_id")
        .agg(*(pl.col("light").eq(light).sum().alias(light) for light in ("green", "yellow", "red")))
    )
    return {
        r: (int(g), int(y), int(red)) for r, g, y, red in rows.select("region_id", "green", "yellow", "red").iter_rows()
    }
