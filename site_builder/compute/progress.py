"""Per region, indicator and month: actual, target, completion, expected progress, status, lights.

The formulas are those of the methodology page (docs/methodology.md), vectorized with polars.

- Actual A: a count or milestone is the reported value; a rate 100·numerator/denominator; a level the
  value, or numerator/denominator when its city rule is `pooled`.
- Higher is better: completion c = A / T of the annual target, expected e = profile(m), ratio p = c / e.
- Lower is better: T is a ceiling; the ceiling to date is T_m = T·e(m), c = 1 + (T_m − A) / |T_m| (for
  T_m = 0: 1 when A ≤ 0, else 0), expected 1, p = c capped at `ranking.cap`. Every p is floored at 0.
- Light: green c ≥ e, yellow e − δ ≤ c < e, red below, grey when there is no value, "na" when the cell is
  not applicable or not due (then it counts in no score, light or compliance).
- Status: reported; carried (a month that is not due takes the figures of the last due month of the year,
  with its own expected progress); missing (due, nothing reported); not_due; not_applicable (a reason in
  targets.csv, or a higher-is-better target of 0).
"""

from __future__ import annotations

import polars as pl

from site_builder.core.contract import REPORTS, REQUIRED_COLUMNS
from site_builder.core.method import CITY_ALLOWED, CITY_DEFAULT, DUE_MONTHS, MONTHS, expected_shares
from site_builder.model import Dataset, Indicator

LIGHTS = ("green", "yellow", "red", "grey", "na")
STATUSES = ("reported", "carried", "missing", "not_due", "not_applicable")
SCORED = ("reported", "carried", "missing")  # the cells that count in scores, lights and compliance
FIGURES = ("value", "numerator", "denominator", "actual")  # what a carried cell takes from its due month


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


def completion_of(actual: pl.Expr, target: pl.Expr, share: pl.Expr, lower: pl.Expr) -> pl.Expr:
    """c: A / T when higher is better (1 + (A − T)/|T| for a negative target); for a ceiling (lower is
    better) 1 + (T_m − A)/|T_m| with T_m = T·share, and for T_m = 0: 1 when A ≤ 0, else 0."""
    ceiling = target * share
    return (
        pl.when(actual.is_null() | target.is_null())
        .then(None)
        .when(lower)
        .then(
            pl.when(ceiling == 0)
            .then(pl.when(actual <= 0).then(1.0).otherwise(0.0))
            .otherwise(1 + (ceiling - actual) / ceiling.abs())
        )
        .when(target > 0)
        .then(actual / target)
        .when(target < 0)
        .then(1 + (actual - target) / target.abs())
        .otherwise(pl.when(actual >= 0).then(1.0).otherwise(0.0))  # a city target of 0 (districts: not applicable)
    )


def city_rule(indicator: Indicator) -> str:
    """The indicator's city rule, or its kind's default when the declared one does not fit the kind."""
    if indicator.city in CITY_ALLOWED.get(indicator.kind, ()):
        return indicator.city
    return CITY_DEFAULT.get(indicator.kind) or "none"


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
            "city_rule": [city_rule(i) for i in dataset.indicators],
            "frequency": [i.frequency for i in dataset.indicators],
        },
        schema={
            "indicator_id": pl.Utf8,
            "indicator_order": pl.Int32,
            "kind": pl.Utf8,
            "direction": pl.Utf8,
            "weight": pl.Float64,
            "profile": pl.Utf8,
            "city_rule": pl.Utf8,
            "frequency": pl.Utf8,
        },
    )
    return (
        months.join(regions, how="cross")
        .join(indicators, how="cross")
        .with_columns(pl.col("month").str.slice(5, 2).cast(pl.Int64).alias("_m"))
    )


def due_months() -> pl.DataFrame:
    """Per frequency and month of the year: whether a report is due, and the last due month so far."""
    rows = []
    for frequency, due in DUE_MONTHS.items():
        for m in range(1, MONTHS + 1):
            last = max((d for d in due if d <= m), default=None)
            rows.append((frequency, m, m in due, last))
    schema = {"frequency": pl.Utf8, "_m": pl.Int64, "_due": pl.Boolean, "_last_due": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


def not_applicable(direction: pl.Expr, target: pl.Expr, reason: pl.Expr) -> pl.Expr:
    """A cell is not applicable when targets.csv gives a reason, or its higher-is-better target is 0."""
    return reason.is_not_null() | ((direction == "higher") & (target == 0)).fill_null(False)


def cells(dataset: Dataset) -> pl.DataFrame:
    """Every month × region × indicator with its targets row, whether a report is due and whether the
    cell applies (`_due`, `_na`); the grid that `progress` and `compliance` share."""
    year = dataset.programme.year
    targets = dataset.targets.filter(pl.col("year") == year).select(
        "region_id", "indicator_id", "target", pl.col("not_applicable").cast(pl.Utf8)
    )
    return (
        _grid(dataset)
        .join(targets, on=["region_id", "indicator_id"], how="left")
        .join(due_months(), on=["frequency", "_m"], how="left")
        .with_columns(
            pl.col("_due").fill_null(True),
            not_applicable(pl.col("direction"), pl.col("target"), pl.col("not_applicable")).alias("_na"),
        )
    )


def _actual() -> pl.Expr:
    ratio = pl.when(pl.col("denominator") > 0).then(pl.col("numerator") / pl.col("denominator"))
    return (
        pl.when(pl.col("kind") == "rate")
        .then(pl.when(pl.col("denominator") > 0).then(100 * pl.col("numerator") / pl.col("denominator")))
        .when((pl.col("kind") == "level") & (pl.col("city_rule") == "pooled"))
        .then(ratio)
        .otherwise(pl.col("value"))
    )


def _with_status(frame: pl.DataFrame) -> pl.DataFrame:
    """status and carried_from; a carried cell takes its due month's figures."""
    source = frame.filter(pl.col("actual").is_not_null()).select(
        "region_id",
        "indicator_id",
        pl.col("_m").alias("_last_due"),
        pl.col("month").alias("_from"),
        *[pl.col(c).alias(f"_c_{c}") for c in FIGURES],
    )
    status = (
        pl.when(pl.col("_na"))
        .then(pl.lit("not_applicable"))
        .when(pl.col("actual").is_not_null())
        .then(pl.lit("reported"))
        .when(pl.col("_due"))
        .then(pl.lit("missing"))
        .when(pl.col("_c_actual").is_not_null())
        .then(pl.lit("carried"))
        .otherwise(pl.lit("not_due"))
    )
    carried = pl.col("status") == "carried"
    return (
        frame.join(source, on=["region_id", "indicator_id", "_last_due"], how="left")
        .with_columns(status.alias("status"))
        .with_columns(
            *[pl.when(carried).then(pl.col(f"_c_{c}")).otherwise(pl.col(c)).alias(c) for c in FIGURES],
            pl.when(carried).then(pl.col("_from")).alias("carried_from"),
        )
        .drop("_from", *[f"_c_{c}" for c in FIGURES])
    )


def progress(dataset: Dataset) -> pl.DataFrame:
    """One row per month × region × indicator of the programme's year, in a stable order."""
    programme = dataset.programme
    cap = programme.ranking.cap
    band = programme.lights.yellow_band
    reports = dataset.reports.select(*REQUIRED_COLUMNS[REPORTS], "file", "line")
    lower = pl.col("direction") == "lower"
    scored = pl.col("status").is_in(SCORED)
    completion = completion_of(pl.col("actual"), pl.col("target"), pl.col("share"), lower)
    # higher: nothing due yet is on track when nothing was done either, ahead (the cap) when something was
    ratio = (
        pl.when(lower)
        .then(pl.col("completion").clip(upper_bound=cap))
        .when(pl.col("expected") > 0)
        .then(pl.col("completion") / pl.col("expected"))
        .when(pl.col("completion") > 0)
        .then(cap)
        .when(pl.col("completion") == 0)
        .then(1.0)
        .otherwise(0.0)
    )
    light = pl.when(scored).then(light_of(pl.col("completion"), pl.col("expected"), band)).otherwise(pl.lit("na"))
    series = ["region_id", "indicator_id"]
    accumulates = pl.col("kind").is_in(["count", "milestone"])
    frame = (
        cells(dataset)
        .join(reports, on=["month", "region_id", "indicator_id"], how="left")
        .join(expected_shares(programme.profiles).rename({"expected": "share"}), on=["profile", "_m"], how="left")
        .with_columns(_actual().alias("actual"), pl.when(lower).then(1.0).otherwise(pl.col("share")).alias("expected"))
    )
    frame = (
        _with_status(frame)
        .with_columns(pl.when(~pl.col("_na")).then(completion).alias("completion"))
        .with_columns(
            (pl.col("completion") - pl.col("expected")).alias("gap"),
            pl.when(pl.col("completion").is_not_null()).then(ratio.clip(lower_bound=0.0)).alias("ratio"),
            light.alias("light"),
            (pl.col("status") == "missing").alias("missing"),
        )
        .sort("region_order", "indicator_order", "month")
        .with_columns(pl.col("actual").shift(1).over(series).alias("_previous"))
        .with_columns(
            pl.when(pl.col("status") != "reported")
            .then(None)
            .when(pl.col("_m") == pl.col("_m").min().over(series))
            .then(pl.when(accumulates).then(pl.col("actual")))
            .when(accumulates | (pl.col("kind") == "rate"))  # a rate: the change in percentage points
            .then(pl.col("actual") - pl.col("_previous"))
            .alias("increment")
        )
        .drop("_previous", "_m", "_due", "_last_due", "_na", "profile")
        .sort("month", "region_order", "indicator_order")
    )
    return frame


def city(dataset: Dataset, rows: pl.DataFrame) -> pl.DataFrame:
    """Per indicator and month: the city figure by the indicator's city rule, and the benchmark.

    Only the districts whose cell is reported or carried, with a target, count (`reported`; `regions` is
    the number of districts the indicator applies to). `sum`: Σ A against Σ T. `pooled`: Σ num / Σ den
    (×100 for a rate), never a mean of rates; the target is the denominator-weighted mean of the targets.
    `weighted`: Σ A·den / Σ den, the target weighted the same way. `median`: the median of the values
    against the median of the targets. `none`: no city figure (actual, completion and light null).
    """
    band = dataset.programme.lights.yellow_band
    rule = pl.col("city_rule").first()
    present = (
        pl.col("status").is_in(["reported", "carried"])
        & pl.col("actual").is_not_null()
        & pl.col("target").is_not_null()
        & ((pl.col("city_rule") != "weighted") | pl.col("denominator").is_not_null())
    )
    weights = pl.col("denominator").filter(present).sum()
    weighted_target = (pl.col("target") * pl.col("denominator")).filter(present).sum() / weights
    actual = (
        pl.when(rule == "sum")
        .then(pl.col("actual").filter(present).sum())
        .when(rule == "pooled")
        .then(
            pl.when(pl.col("kind").first() == "rate")
            .then(100 * pl.col("numerator").filter(present).sum() / weights)
            .otherwise(pl.col("numerator").filter(present).sum() / weights)
        )
        .when(rule == "weighted")
        .then((pl.col("actual") * pl.col("denominator")).filter(present).sum() / weights)
        .when(rule == "median")
        .then(pl.col("actual").filter(present).median())
    )
    target = (
        pl.when(rule == "sum")
        .then(pl.col("target").filter(present).sum())
        .when(rule.is_in(["pooled", "weighted"]))
        .then(weighted_target)
        .when(rule == "median")
        .then(pl.col("target").filter(present).median())
    )
    lower = pl.col("direction") == "lower"
    none = pl.col("city_rule") == "none"
    completion = completion_of(pl.col("actual"), pl.col("target"), pl.col("share"), lower)
    pooled = (
        rows.group_by("month", "indicator_id", "indicator_order", maintain_order=True)
        .agg(
            pl.col("kind").first(),
            pl.col("direction").first(),
            pl.col("city_rule").first(),
            pl.col("share").first(),
            pl.col("expected").first(),
            present.sum().alias("reported"),
            (pl.col("status") != "not_applicable").sum().alias("regions"),
            (present & (pl.col("status") == "carried")).sum().alias("carried"),
            pl.col("status").is_in(SCORED).sum().alias("_scored"),
            actual.cast(pl.Float64).alias("actual"),
            target.cast(pl.Float64).alias("target"),
        )
        .with_columns(
            pl.when(none | (pl.col("reported") == 0)).then(None).otherwise(completion).alias("completion"),
            # no figure where the rule makes none, or no district had one: a sum of nothing is not 0
            pl.when(~none & (pl.col("reported") > 0)).then(pl.col("actual")).alias("actual"),
            pl.when(~none & (pl.col("reported") > 0)).then(pl.col("target")).alias("target"),
        )
    )
    light = (
        pl.when(none)
        .then(None)
        .when(pl.col("_scored") == 0)
        .then(pl.lit("na"))  # no district's report is due (or has been) this month
        .otherwise(light_of(pl.col("completion"), pl.col("expected"), band))
    )
    benchmarks = dataset.benchmarks.select("month", "indicator_id", pl.col("value").alias("benchmark"))
    return (
        pooled.with_columns(light.alias("light"), (pl.col("completion") - pl.col("expected")).alias("gap"))
        .drop("_scored", "share")
        .join(benchmarks, on=["month", "indicator_id"], how="left")
        .sort("month", "indicator_order")
    )
