"""Per region and month: composite score, rank, rank change, red streak, bottom N, summons,
reporting compliance, and the year-to-date standings with commendation and penalty candidates.
"""

from __future__ import annotations

import calendar
import datetime as dt

import numpy as np
import polars as pl

from site_builder.compute.progress import SCORED, cells
from site_builder.compute.uncertainty import competition_ranks, composite_scores, rank_intervals
from site_builder.model import Dataset


def ratio_matrix(rows: pl.DataFrame, regions: int, indicators: int) -> np.ndarray:
    """One month's progress ratios as a regions × indicators array, NaN where a value is missing."""
    ordered = rows.sort("region_order", "indicator_order")
    values = ordered["ratio"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    return np.asarray(values, dtype=np.float64).reshape(regions, indicators)


def applicable_matrix(rows: pl.DataFrame, regions: int, indicators: int) -> np.ndarray:
    """One month's cells that count in the score (reported, carried or missing; not `not_due` or
    `not_applicable`) as a regions × indicators boolean array."""
    ordered = rows.sort("region_order", "indicator_order")
    return np.asarray(ordered["status"].is_in(SCORED).to_numpy(), dtype=bool).reshape(regions, indicators)


def month_scores(dataset: Dataset, rows: pl.DataFrame) -> pl.DataFrame:
    """Composite scores, ranks and rank intervals of every month, one row per month × region."""
    programme = dataset.programme
    ranking = programme.ranking
    weights = np.array([i.weight for i in dataset.indicators], dtype=np.float64)
    region_ids = [r.id for r in dataset.regions]
    frames = []
    for month in dataset.months:
        month_rows = rows.filter(pl.col("month") == month)
        ratios = ratio_matrix(month_rows, len(region_ids), len(weights))
        applicable = applicable_matrix(month_rows, len(region_ids), len(weights))
        scores = composite_scores(
            ratios, weights, cap=ranking.cap, missing_rule=ranking.missing_value, applicable=applicable
        )
        ranks = competition_ranks(scores)
        intervals = rank_intervals(
            ratios,
            weights,
            cap=ranking.cap,
            missing_rule=ranking.missing_value,
            bottom_n=ranking.bottom_n,
            draws=programme.uncertainty.draws,
            seed=[programme.uncertainty.seed, programme.year, int(month[5:7])],
            weight_spread=programme.uncertainty.weight_spread,
            applicable=applicable,
        )
        missing = month_rows.group_by("region_id").agg(pl.col("missing").sum().alias("missing_values"))
        frame = pl.DataFrame(
            {
                "month": [month] * len(region_ids),
                "region_id": region_ids,
                "region_order": list(range(len(region_ids))),
                "score": scores,
                "rank": ranks,
                "rank_median": intervals.median,
                "rank_low": intervals.low,
                "rank_high": intervals.high,
                "bottom_share": intervals.bottom_share,
                "robust": intervals.robust,
            },
            schema_overrides={"region_order": pl.Int32},
        )
        frames.append(frame.join(missing, on="region_id", how="left"))
    table = pl.concat(frames) if frames else pl.DataFrame()
    if table.is_empty():
        return table
    nan_to_null = [pl.col(c).fill_nan(None) for c in ("score", "rank", "bottom_share")]
    interval_nulls = [
        pl.when(pl.col(c) >= 1).then(pl.col(c)).alias(c) for c in ("rank_median", "rank_low", "rank_high")
    ]
    return table.with_columns(*nan_to_null).with_columns(
        pl.col("rank").cast(pl.Int64), *[c.cast(pl.Int64) for c in interval_nulls]
    )


def _streak(flags: pl.Expr, keys: str) -> pl.Expr:
    """Length of the run of True values ending at each row, within `keys`, in row order."""
    run_id = (~flags).cast(pl.Int32).cum_sum().over(keys)
    return pl.when(flags).then(flags.cast(pl.Int32).cum_sum().over(keys, run_id)).otherwise(0)


def _in_bottom(count: int) -> pl.Expr:
    """In the bottom `count`: fewer than `count` ranked regions stand below (so ties at the line are all in)."""
    below = pl.col("rank").count().over("month") - pl.col("rank").rank("max").over("month")
    return pl.col("rank").is_not_null() & (below < count)


def standings_by_month(dataset: Dataset, scores: pl.DataFrame) -> pl.DataFrame:
    """Rank change, region light, red streak, bottom N and the proposed summons, month by month."""
    ranking = dataset.programme.ranking
    band = dataset.programme.lights.yellow_band
    light = (
        pl.when(pl.col("score").is_null())
        .then(pl.lit("grey"))
        .when(pl.col("score") >= 1 - 1e-12)
        .then(pl.lit("green"))
        .when(pl.col("score") >= 1 - band - 1e-12)
        .then(pl.lit("yellow"))
        .otherwise(pl.lit("red"))
    )
    table = (
        scores.sort("region_order", "month")
        .with_columns(
            light.alias("light"), (pl.col("rank").shift(1).over("region_id") - pl.col("rank")).alias("rank_change")
        )
        .with_columns(_streak(pl.col("light") == "red", "region_id").alias("red_streak"))
        .with_columns(
            _in_bottom(ranking.bottom_n).alias("bottom"),
            (pl.col("red_streak") >= ranking.summon_after_red_months).alias("summoned"),
        )
    )
    return table.sort("month", "region_order")


def due_date(dataset: Dataset, month: str) -> dt.date:
    """The reporting deadline of `month`: the deadline day (or the month's last day) of its month,
    or of the following month when the programme says so."""
    reporting = dataset.programme.reporting
    year, number = int(month[:4]), int(month[5:7]) + reporting.deadline_month_offset
    if number > 12:
        year, number = year + 1, number - 12
    return dt.date(year, number, min(reporting.deadline_day, calendar.monthrange(year, number)[1]))


def compliance(dataset: Dataset) -> pl.DataFrame:
    """Per month and region: on time, late or missing, with the submission date and days late.

    Only the report rows of indicators that are due that month and apply to the region count; a month in
    which nothing is due from the region is `not_due`."""
    keys = ["month", "region_id", "indicator_id"]
    owed = cells(dataset).filter(pl.col("_due") & ~pl.col("_na")).select(*keys)
    reports = dataset.reports.join(owed, on=keys, how="inner")
    owing = owed.group_by("month", "region_id").agg(pl.len().alias("_owed"))
    has_figures = pl.any_horizontal([pl.col(c).is_not_null() for c in ("value", "numerator", "denominator")])
    submitted = (
        reports.group_by("month", "region_id")
        .agg(pl.col("submitted_on").max(), has_figures.any().alias("_figures"), pl.col("file").first())
        .filter(pl.col("_figures") | pl.col("submitted_on").is_not_null())
        .drop("_figures")
    )
    grid = pl.DataFrame(
        [(m, r.id, i, due_date(dataset, m)) for m in dataset.months for i, r in enumerate(dataset.regions)],
        schema={"month": pl.Utf8, "region_id": pl.Utf8, "region_order": pl.Int32, "due": pl.Date},
        orient="row",
    )
    days = (pl.col("submitted_on") - pl.col("due")).dt.total_days()
    status = (
        pl.when(pl.col("_owed").is_null())
        .then(pl.lit("not_due"))
        .when(pl.col("submitted_on").is_null())
        .then(pl.lit("missing"))
        .when(days > 0)
        .then(pl.lit("late"))
        .otherwise(pl.lit("on_time"))
    )
    return (
        grid.join(submitted, on=["month", "region_id"], how="left")
        .join(owing, on=["month", "region_id"], how="left")
        .with_columns(status.alias("status"), pl.when(days > 0).then(days).otherwise(0).alias("days_late"))
        .drop("_owed")
        .sort("month", "region_order")
    )


def year_standings(dataset: Dataset, scores: pl.DataFrame) -> pl.DataFrame:
    """Year-to-date standing after each month: the mean of the monthly composite scores so far,
    ranked; the top `commend_n` are commendation candidates, the bottom `penalize_n` penalty ones.

    A month without a score (under "exclude" nothing reported; under either rule nothing due that
    applies) is skipped, and `months` counts only the months with a score; under "zero" a missing
    value already counts 0 in the month's score. The standing after December is the year-end standing.
    """
    ranking = dataset.programme.ranking
    frames = []
    for index, month in enumerate(dataset.months):
        window = scores.filter(pl.col("month").is_in(list(dataset.months[: index + 1])))
        mean = window.group_by("region_id", "region_order").agg(
            pl.col("score").mean().alias("mean_score"), pl.col("score").is_not_null().sum().alias("months")
        )
        mean = mean.sort("region_order").with_columns(pl.lit(month).alias("month"))
        ranks = competition_ranks(mean["mean_score"].fill_null(np.nan).to_numpy().astype(np.float64))
        frames.append(mean.with_columns(pl.Series("rank", ranks).fill_nan(None).cast(pl.Int64)))
    if not frames:
        return pl.DataFrame()
    table = pl.concat(frames)
    return table.with_columns(
        (pl.col("rank") <= ranking.commend_n).fill_null(False).alias("commend"),
        _in_bottom(ranking.penalize_n).fill_null(False).alias("penalize"),
        (pl.col("month").str.slice(5, 2) == "12").alias("year_end"),
    ).sort("month", "region_order")
