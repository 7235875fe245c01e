"""Stage 4, compute: every figure the bulletin publishes, from the model, with no I/O.

    progress   region × indicator × month: actual, target, completion, expected, gap, ratio, light, status
               (reported, carried, missing, not_due, not_applicable)
    city       indicator × month: the city figure by the indicator's city rule, against target and benchmark
    scores     region × month: composite score, rank, rank interval (Monte Carlo)
    standings  region × month: rank change, light, red streak, bottom N, proposed summons
    compliance region × month: on time, late or missing (only reports due and applicable), or not due
    year       region × month: year-to-date standing, commendation and penalty candidates
    funnels    rate indicator × month: funnel-plot control limits
    forecast   month × region × indicator: the year-end projection as of that month, early warning (预警)

The formulas are published on the methodology page (docs/methodology.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from site_builder.compute.forecast import forecasts
from site_builder.compute.progress import SCORED, city, progress
from site_builder.compute.ranking import compliance, month_scores, standings_by_month, year_standings
from site_builder.compute.uncertainty import Funnel, funnel
from site_builder.model import Dataset
from site_builder.validate import Validated

if TYPE_CHECKING:  # errata and years import this module
    from site_builder.compute.errata import Edition
    from site_builder.compute.years import Year

__all__ = ["Results", "compute"]


@dataclass(frozen=True)
class Results:
    months: tuple[str, ...]
    progress: pl.DataFrame
    city: pl.DataFrame
    standings: pl.DataFrame
    compliance: pl.DataFrame
    year: pl.DataFrame
    funnels: dict[tuple[str, str], Funnel]
    forecast: pl.DataFrame = field(default_factory=pl.DataFrame)  # as of each month: year-end projections


def _funnels(dataset: Dataset, rows: pl.DataFrame) -> dict[tuple[str, str], Funnel]:
    funnels: dict[tuple[str, str], Funnel] = {}
    for indicator in dataset.indicators:
        if indicator.kind != "rate":
            continue
        selected = rows.filter(pl.col("indicator_id") == indicator.id).sort("month", "region_order")
        for month in dataset.months:
            month_rows = selected.filter(pl.col("month") == month).with_columns(
                pl.when(pl.col("status").is_in(SCORED)).then(pl.col(c)).alias(c) for c in ("numerator", "denominator")
            )
            numerators = month_rows["numerator"].cast(pl.Float64).fill_null(np.nan).to_numpy()
            denominators = month_rows["denominator"].cast(pl.Float64).fill_null(np.nan).to_numpy()
            funnels[(indicator.id, month)] = funnel(numerators, denominators)
    return funnels


def compute(dataset: Dataset) -> Results:
    """Every figure of every month of the programme's year."""
    rows = progress(dataset)
    scores = month_scores(dataset, rows)
    return Results(
        months=dataset.months,
        progress=rows,
        city=city(dataset, rows),
        standings=standings_by_month(dataset, scores) if not scores.is_empty() else scores,
        compliance=compliance(dataset),
        year=year_standings(dataset, scores) if not scores.is_empty() else scores,
        funnels=_funnels(dataset, rows),
        forecast=forecasts(dataset, rows),
    )


@dataclass(frozen=True)
class RankRow:
    """One region's line of a month's ranking."""

    region_id: str
    name: str
    short_name: str
    score: float | None
    rank: int | None
    rank_change: int | None
    rank_low: int | None
    rank_median: int | None
    rank_high: int | None
    bottom_share: float | None
    robust: bool
    light: str
    red_streak: int
    bottom: bool
    summoned: bool
    missing_values: int
    compliance: str
    submitted_on: str | None
    days_late: int
    lights: tuple[tuple[str, str], ...]


def month_ranking(dataset: Dataset, results: Results, month: str) -> list[RankRow]:
    """The month's ranking in rank order (ties by the regions' order, unranked last)."""
    standings = results.standings.filter(pl.col("month") == month)
    filed = results.compliance.filter(pl.col("month") == month).select(
        "region_id", pl.col("status").alias("compliance"), "submitted_on", "days_late"
    )
    lights = (
        results.progress.filter(pl.col("month") == month)
        .sort("indicator_order")
        .group_by("region_id", maintain_order=True)
        .agg(pl.col("indicator_id"), pl.col("light").alias("lights"))
    )
    table = standings.join(filed, on="region_id", how="left").join(lights, on="region_id", how="left")
    table = table.sort(pl.col("rank").is_null(), "rank", "region_order")
    regions = {region.id: region for region in dataset.regions}
    rows = []
    for row in table.iter_rows(named=True):
        region = regions[row["region_id"]]
        rows.append(
            RankRow(
                region_id=region.id,
                name=region.name,
                short_name=region.short_name,
                score=row["score"],
                rank=row["rank"],
                rank_change=row["rank_change"],
                rank_low=row["rank_low"],
                rank_median=row["rank_median"],
                rank_high=row["rank_high"],
                bottom_share=row["bottom_share"],
                robust=bool(row["robust"]),
                light=row["light"],
                red_streak=int(row["red_streak"]),
                bottom=bool(row["bottom"]),
                summoned=bool(row["summoned"]),
                missing_values=int(row["missing_values"] or 0),
                compliance=row["compliance"],
                submitted_on=row["submitted_on"].isoformat() if row["submitted_on"] else None,
                days_late=int(row["days_late"] or 0),
                lights=tuple(zip(row["indicator_id"], row["lights"], strict=True)),
            )
        )
    return rows


@dataclass(frozen=True)
class Computed:
    """A folder's validation, and when it has no errors, its model and every computed figure."""

    validated: Validated
    dataset: Dataset | None = None
    results: Results | None = None
    editions: dict[str, list[Edition]] = field(default_factory=dict)  # corrected bulletins, as issued and after
    past: dict[int, Year] = field(default_factory=dict)  # past programme years with reports, newest first
