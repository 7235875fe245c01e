"""Stage 3, model: the domain objects the rest of the pipeline works with.

Built from a `Validated` result that has no errors, so every reference resolves and every value
has its type. Fields marked private in the schemas (`x-private`) are dropped here, so no later
stage can publish them. Monthly figures stay as polars frames, which `compute` vectorizes over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import polars as pl

from site_builder.core.contract import REPORTS
from site_builder.core.documents import Accountability, Bulletin, Meeting, Organization, Programme, SupervisionRound
from site_builder.core.history import ReportHistory
from site_builder.core.method import ACCUMULATING, CITY_DEFAULT, is_due, month_number
from site_builder.validate import Validated
from site_builder.validate.frames import FILE, LINE
from site_builder.validate.tables import Table

IndicatorKind = Literal["rate", "count", "level", "milestone"]
CityRule = Literal["sum", "pooled", "weighted", "median", "none"]
Frequency = Literal["monthly", "quarterly", "half_yearly", "yearly"]


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    short_name: str
    kind: str
    parent_id: str | None
    tile_row: int | None
    tile_col: int | None


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    title: str
    unit_id: str | None


@dataclass(frozen=True)
class Assignment:
    person_id: str
    region_id: str
    kind: Literal["liaison", "contract"]
    start: dt.date
    end: dt.date | None
    source: str


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    group_id: str | None
    lead_unit_id: str
    kind: IndicatorKind
    unit: str
    direction: Literal["higher", "lower"]
    weight: float
    profile: str
    description: str
    numerator: str
    denominator: str
    city: CityRule = "sum"  # how the city figure is made (core/method.py CITY_RULES)
    frequency: Frequency = "monthly"  # how often a report is due (core/method.py DUE_MONTHS)

    @property
    def accumulates(self) -> bool:
        """A running total within the year (count, milestone): its value never falls."""
        return self.kind in ACCUMULATING

    def due(self, month: str) -> bool:
        """Whether a report is due for `month` (YYYY-MM)."""
        return is_due(self.frequency, month_number(month))


@dataclass(frozen=True)
class Facility:
    id: str
    region_id: str
    name: str
    kind: str  # a known code (township_hospital …) or a kind the city names itself (an open list)
    note: str


@dataclass(frozen=True)
class Dataset:
    """One programme's data, typed and cross-checked, without private fields."""

    programme: Programme
    organization: Organization
    regions: tuple[Region, ...]
    units: tuple[Unit, ...]
    people: tuple[Person, ...]
    assignments: tuple[Assignment, ...]
    indicators: tuple[Indicator, ...]
    targets: pl.DataFrame  # year, region_id, indicator_id, target, not_applicable (reason or null)
    benchmarks: pl.DataFrame  # month, indicator_id, value, source
    reports: pl.DataFrame  # the report columns, plus file (path) and line
    report_files: tuple[str, ...]  # every report file, including those not yet filled in
    supervision: tuple[SupervisionRound, ...]
    bulletins: tuple[Bulletin, ...]
    facilities: tuple[Facility, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    accountability: tuple[Accountability, ...] = ()
    geo: dict[str, Any] | None = None  # the user's FeatureCollection of region boundaries, validated
    # when each report's figures first appeared in the repository's history (commands/build.py reads it)
    history: ReportHistory = field(default_factory=ReportHistory)

    @property
    def months(self) -> tuple[str, ...]:
        """Months of the programme's year with at least one report file, in order."""
        year = f"{self.programme.year}-"
        months = {path.split("/")[1] for path in self.report_files if path.split("/")[1].startswith(year)}
        return tuple(sorted(months))

    def region(self, region_id: str) -> Region:
        return next(r for r in self.regions if r.id == region_id)

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)


def _public_rows(table: Table) -> list[dict[str, Any]]:
    private = {f.name for f in table.spec.fields if f.private}
    columns = [name for name in table.spec.field_names if name not in private]
    return list(table.frame.select(columns).iter_rows(named=True))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _targets(frame: pl.DataFrame) -> pl.DataFrame:
    """year, region_id, indicator_id, target, not_applicable (the reason a district has no such task,
    null where it has one); folders whose descriptor predates the column have it all null."""
    if "not_applicable" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("not_applicable"))
    return frame


def build_dataset(validated: Validated) -> Dataset:
    """The domain model of a folder that validated without errors."""
    if validated.programme is None or validated.organization is None:
        raise ValueError("build_dataset needs a programme and an organization that validated")
    tables = validated.tables
    regions = tuple(
        Region(r["id"], r["name"], r["short_name"], r["kind"], r["parent_id"], r["tile_row"], r["tile_col"])
        for r in _public_rows(tables["regions"])
    )
    units = tuple(Unit(u["id"], u["name"], u["kind"]) for u in _public_rows(tables["units"]))
    people = tuple(Person(p["id"], p["name"], _text(p["title"]), p["unit_id"]) for p in _public_rows(tables["people"]))
    assignments = tuple(
        Assignment(a["person_id"], a["region_id"], a["kind"], a["start"], a["end"], _text(a["source"]))
        for a in _public_rows(tables["assignments"])
    )
    indicators = tuple(
        Indicator(
            id=i["id"],
            name=i["name"],
            group_id=i["group_id"],
            lead_unit_id=i["lead_unit_id"],
            kind=i["kind"],
            unit=i["unit"],
            direction=i["direction"],
            weight=float(i["weight"]),
            profile=i["profile"],
            description=i["description"],
            numerator=_text(i["numerator"]),
            denominator=_text(i["denominator"]),
            city=cast(CityRule, i.get("city") or CITY_DEFAULT[i["kind"]] or "none"),  # checked by validate
            frequency=i.get("frequency") or "monthly",
        )
        for i in _public_rows(tables["indicators"])
    )
    reports_table = tables[REPORTS]
    paths = pl.Series("file", [f.path for f in reports_table.files], dtype=pl.Utf8)
    private = [f.name for f in reports_table.spec.fields if f.private]
    reports = (
        reports_table.frame.drop(private)
        .with_columns(paths.gather(reports_table.frame[FILE]).alias("file"), pl.col(LINE).alias("line"))
        .drop(FILE, LINE)
    )
    return Dataset(
        programme=validated.programme,
        organization=validated.organization,
        regions=regions,
        units=units,
        people=people,
        assignments=assignments,
        indicators=indicators,
        targets=_targets(tables["targets"].frame.drop(FILE, LINE)),
        benchmarks=tables["benchmarks"].frame.drop(FILE, LINE),
        reports=reports,
        report_files=tuple(f.path for f in reports_table.files),
        supervision=tuple(validated.supervision.values()),
        bulletins=tuple(validated.bulletins.values()),
        facilities=tuple(
            Facility(f["id"], f["region_id"], f["name"], f["kind"], _text(f["note"]))
            for f in _public_rows(tables["facilities"])
        ),
        meetings=tuple(validated.meetings.values()),
        accountability=tuple(validated.accountability.values()),
        geo=validated.geo,
    )
