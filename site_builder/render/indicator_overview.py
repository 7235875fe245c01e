"""The city's figures of each indicator as the indicator pages and the bulletin both show them: the
pooled figures of a month, the comparison with the benchmark (全区/全省), and the indicators grouped
into sections by task group, then by lead unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from site_builder.model import Indicator
from site_builder.render.base import number
from site_builder.render.context import SiteContext
from site_builder.render.labels import t

Row = dict[str, Any]


def points_text(difference: float | None) -> str:
    if difference is None:
        return ""
    if abs(difference) < 0.005:
        return t("level")
    key = "higher_by" if difference > 0 else "lower_by"
    return t(key).format(points=number(abs(difference)))


@dataclass(frozen=True)
class Benchmark:
    """The benchmark figure (全区/全省) of one indicator and month, as shown beside the city's."""

    value: str  # "95.1%" (a rate) or "8.6%" (share of the annual task)
    comparison: str  # "高 1.2 个百分点" of the city against the benchmark, or ""
    meaning: str


def benchmark(ctx: SiteContext, indicator: Indicator, city_row: Row | None) -> Benchmark | None:
    """Rates compare with the city's pooled rate; counts and milestones with 100 × its completion."""
    if city_row is None or city_row.get("benchmark") is None:
        return None
    term = ctx.dataset.programme.benchmark_term
    value = float(city_row["benchmark"])
    if indicator.kind == "rate":
        ours = city_row["actual"]
        meaning = t("benchmark_rate").format(term=term)
    else:
        ours = None if city_row["completion"] is None else 100 * city_row["completion"]
        meaning = t("benchmark_share").format(term=term)
    difference = None if ours is None else float(ours) - value
    return Benchmark(f"{number(value)}%", points_text(difference), meaning)


@dataclass(frozen=True)
class Section:
    """Indicators under one task group, or (for indicators without one) under one lead unit."""

    name: str
    group_id: str | None
    unit_id: str | None
    indicators: tuple[Indicator, ...]


def indicator_sections(ctx: SiteContext) -> list[Section]:
    """Task groups in the organization's order, then indicators without a group by lead unit."""
    indicators = ctx.dataset.indicators
    sections: list[Section] = []
    for group in ctx.dataset.organization.task_groups:
        members = tuple(i for i in indicators if i.group_id == group.id)
        if members:
            sections.append(Section(group.name, group.id, None, members))
    by_unit: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.group_id is None:
            by_unit.setdefault(indicator.lead_unit_id, []).append(indicator)
    for unit_id, led in by_unit.items():
        unit = ctx.units.get(unit_id)
        sections.append(Section(unit.name if unit else unit_id, None, unit_id, tuple(led)))
    return sections


def city_rows(ctx: SiteContext, month: str | None) -> dict[str, Row]:
    """The city pooled figures of a month, by indicator id."""
    if month is None:
        return {}
    frame = ctx.results.city.filter(pl.col("month") == month)
    return {row["indicator_id"]: row for row in frame.iter_rows(named=True)}


def city_na_words(ctx: SiteContext, month: str | None) -> dict[str, str]:
    """For each indicator whose city figure of `month` has no light ("na": no district's cell counts),
    why: 未到报送期 when some district's report is not yet due, else 不适用."""
    if month is None:
        return {}
    city = ctx.results.city.filter((pl.col("month") == month) & (pl.col("light") == "na"))
    words = {}
    for indicator_id in city["indicator_id"].to_list():
        cells = ctx.progress(month=month, indicator_id=indicator_id)
        due = "status" in cells.columns and bool((cells["status"] == "not_due").any())
        words[indicator_id] = t("status_not_due") if due else t("status_not_applicable")
    return words
