"""Per region, indicator and month: actual, target, completion, expected progress, lights.

The formulas are those of the methodology page (docs/methodology.md), vectorized with polars:
completion c = A / T (for a rate, the rate over its target rate; for a lower-is-better indicator
T / A), expected progress e = profile(m), gap c − e, progress ratio p = c / e, and the light:
green c ≥ e, yellow e − δ ≤ c < e, red below, grey when no value was reported.
"""

from __future__ import annotations

import polars as pl

from site_builder.core.contract import REPORTS, REQUIRED_COLUMNS
from site_builder.core.method import expected_shares
from site_builder.model import Dataset

LIGHTS = ("green", "yellow", "red", "grey")


def light_of(completion: pl.Expr, expected: pl.Expr, band: float) -> pl.Expr:
    """Green c ≥ e, yellow e − δ ≤ c < e, red below, grey without a value (10⁻¹² tolerance)."""
    return (
        pl.when(completion.is_null())
        .then(pl.lit("grey"))
        .when(completion >= expected - 1e-12)
        .then(pl.lit("green"))
        .when(completion >= expected - band - 1e-12)
        .then(pl.lit("yellow"))
        .otherwise(pl.lit("red"))
    )


def _grid(dataset: Dataset) -> pl.DataFrame:
    months = pl.DataFrame({"month": list(dataset.months)}, schema={"month": pl.Utf8})
    regions = pl.DataFrame(
        {"region_id": [r.id for r in dataset.regions], "region_order": list(range(len(dataset.regions)))},
        schema={"region_id": pl.Utf8, "region_order": pl.Int32},
    )
    indicators = pl.DataFrame(
        {
            "indicator_id": [i.id for i in dataset.indicators],
            "indicator_order": list(range(len(dataset.indicators))),
            "kind": [i.kind for i in dataset.indicators],
            "direction": [i.direction for i in dataset.indicators],
            "weight": [i.weight for i in dataset.indicators],
            "profile": [i.profile for i in dataset.indicators],
        },
        schema={
            "indicator_id": pl.Utf8,
            "indicator_order": pl.Int32,
            "kind": pl.Utf8,
            "direction": pl.Utf8,
            "weight": pl.Float64,
            "profile": pl.Utf8,
        },
    )
    return months.join(regions, how="cross").join(indicators, how="cross")


def progress(dataset: Dataset) -> pl.DataFrame:
    """One row per month × region × indicator of the programme's year, in a stable order."""
    programme = dataset.programme
    cap = programme.ranking.cap
    band = programme.lights.yellow_band
    reports = dataset.reports.select(*REQUIRED_COLUMNS[REPORTS], "file", "line")
    targets = dataset.targets.filter(pl.col("year") == programme.year).select("region_id", "indicator_id", "target")
    rate = pl.col("kind") == "rate"
    actual = (
        pl.when(rate)
        .then(pl.when(pl.col("denominator") > 0).then(100 * pl.col("numerator") / pl.col("denominator")))
        .otherwise(pl.col("value"))
    )
    lower = pl.col("direction") == "lower"
    completion = (
        pl.when(pl.col("actual").is_null() | pl.col("target").is_null())
        .then(None)
        .when(lower)
        .then(pl.when(pl.col("actual") > 0).then(pl.col("target") / pl.col("actual")).otherwise(cap))
        .when(pl.col("target") > 0)
        .then(pl.col("actual") / pl.col("target"))
        .otherwise(1.0)  # nothing was due this year: done
    )
    # nothing due yet: on track when nothing was done either, ahead (the cap) when something was
    ratio = (
        pl.when(pl.col("expected") > 0)
        .then(pl.col("completion") / pl.col("expected"))
        .when(pl.col("completion") > 0)
        .then(cap)
        .otherwise(1.0)
    )
    light = light_of(pl.col("completion"), pl.col("expected"), band)
    series = ["region_id", "indicator_id"]
    frame = (
        _grid(dataset)
        .join(reports, on=["month", "region_id", "indicator_id"], how="left")
        .join(targets, on=["region_id", "indicator_id"], how="left")
        .with_columns(pl.col("month").str.slice(5, 2).cast(pl.Int64).alias("_m"))
        .join(expected_shares(dataset.programme.profiles), on=["profile", "_m"], how="left")
        .with_columns(actual.alias("actual"))
        .with_columns(completion.alias("completion"))
        .with_columns(
            (pl.col("completion") - pl.col("expected")).alias("gap"),
            pl.when(pl.col("completion").is_not_null()).then(ratio).alias("ratio"),
            light.alias("light"),
            pl.col("actual").is_null().alias("missing"),
        )
        .sort("region_order", "indicator_order", "month")
        .with_columns(pl.col("actual").shift(1).over(series).alias("_previous"))
        .with_columns(
            pl.when(pl.col("_m") == pl.col("_m").min().over(series))
            .then(pl.when(~rate).then(pl.col("actual")))
            .otherwise(pl.col("actual") - pl.col("_previous"))
            .alias("increment")
        )
        .drop("_previous", "_m", "profile")
        .sort("month", "region_order", "indicator_order")
    )
    return frame


def city(dataset: Dataset, rows: pl.DataFrame) -> pl.DataFrame:
    """Per indicator and month: the city pooled over the regions that reported, and the benchmark.

    A rate is pooled from numerators and denominators (Σ num / Σ den), never as a mean of rates; its
    target is the denominator-weighted mean of the regions' target rates. A count or milestone is
    Σ actual against Σ target. Regions without a value are left out and counted in `reported`.
    """
    band = dataset.programme.lights.yellow_band
    cap = dataset.programme.ranking.cap
    present = pl.col("actual").is_not_null() & pl.col("target").is_not_null()
    rate = pl.col("kind").first() == "rate"
    pooled = (
        rows.group_by("month", "indicator_id", "indicator_order", maintain_order=True)
        .agg(
            pl.col("kind").first(),
            pl.col("direction").first(),
            pl.col("expected").first(),
            present.sum().alias("reported"),
            pl.len().alias("regions"),
            pl.when(rate)
            .then(100 * pl.col("numerator").filter(present).sum() / pl.col("denominator").filter(present).sum())
            .otherwise(pl.col("actual").filter(present).sum())
            .alias("actual"),
            pl.when(rate)
            .then(
                (pl.col("target") * pl.col("denominator")).filter(present).sum()
                / pl.col("denominator").filter(present).sum()
            )
            .otherwise(pl.col("target").filter(present).sum())
            .alias("target"),
        )
        .with_columns(
            pl.when(pl.col("reported") == 0)
            .then(None)
            .when(pl.col("direction") == "lower")
            .then(pl.when(pl.col("actual") > 0).then(pl.col("target") / pl.col("actual")).otherwise(cap))
            .when(pl.col("target") > 0)
            .then(pl.col("actual") / pl.col("target"))
            .otherwise(1.0)
            .alias("completion")
        )
    )
    light = light_of(pl.col("completion"), pl.col("expected"), band)
    benchmarks = dataset.benchmarks.select("month", "indicator_id", pl.col("value").alias("benchmark"))
    return (
        pooled.with_columns(light.alias("light"), (pl.col("completion") - pl.col("expected")).alias("gap"))
        .join(benchmarks, on=["month", "indicator_id"], how="left")
        .sort("month", "indicator_order")
    )
