"""Which district × indicator × month cells a report is owed for: the indicators' kinds, city rules and
reporting frequencies with their defaults, and the cells targets.csv marks not applicable.

Descriptors written before these columns existed lack them; every helper here then gives the defaults
(city rule of the kind, monthly, nothing marked not applicable), so such folders validate as before.
"""

from __future__ import annotations

import polars as pl

from site_builder.core.method import CITY_DEFAULT, DUE_MONTHS
from site_builder.validate.tables import Table

MONTHLY = "monthly"
# How a report of an indicator is written: numerator and denominator (a rate, a pooled level), a value and
# its weight in the denominator column (a weighted level), or a value only (counts, milestones, other levels)
PARTS, WEIGHTED, VALUE = "parts", "weighted", "value"


def optional(frame: pl.DataFrame, name: str) -> pl.Expr:
    """The column `name`, or nulls when the table's descriptor predates it."""
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype=pl.Utf8)


def indicator_info(indicators: Table) -> pl.DataFrame:
    """indicator_id, indicator_name, kind, direction, profile, city (the rule; the kind's default when blank,
    `none` for a level that declares none), frequency (`monthly` when blank) and form (how a report is written)."""
    frame = indicators.frame
    default = pl.col("kind").replace_strict(
        {k: v for k, v in CITY_DEFAULT.items() if v is not None}, default=None, return_dtype=pl.Utf8
    )
    city = pl.coalesce(optional(frame, "city"), default, pl.lit("none"))
    info = frame.select(
        pl.col("id").alias("indicator_id"),
        pl.col("name").alias("indicator_name"),
        "kind",
        "direction",
        "profile",
        city.alias("city"),
        pl.coalesce(optional(frame, "frequency"), pl.lit(MONTHLY)).alias("frequency"),
    ).drop_nulls("indicator_id")
    level = pl.col("kind") == "level"
    form = (
        pl.when(pl.col("kind").is_null())
        .then(None)  # a kind written wrong is a cell-enum; its reports are not judged by shape
        .when((pl.col("kind") == "rate") | (level & (pl.col("city") == "pooled")))
        .then(pl.lit(PARTS))
        .when(level & (pl.col("city") == "weighted"))
        .then(pl.lit(WEIGHTED))
        .otherwise(pl.lit(VALUE))
    )
    return info.with_columns(form.alias("form"))


def due_months() -> pl.DataFrame:
    """(frequency, _m) for every month a report of that frequency is due."""
    rows = [(frequency, month) for frequency, months in DUE_MONTHS.items() for month in months]
    return pl.DataFrame(rows, schema={"frequency": pl.Utf8, "_m": pl.Int64}, orient="row")


def with_due(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` (with frequency and _m) plus `_due`: whether a report is due; true where the month is unknown."""
    due = due_months().with_columns(pl.lit(True).alias("_due"))
    joined = frame.join(due, on=["frequency", "_m"], how="left", maintain_order="left")
    return joined.with_columns(pl.col("_due").fill_null(pl.col("_m").is_null()))


def not_applicable(targets: Table) -> pl.DataFrame:
    """(_year, region_id, indicator_id, _reason) of every cell targets.csv marks not applicable: a reason and
    no target (a row with both is a `target-not-applicable` error, and is not taken as either)."""
    frame = targets.frame.with_columns((targets.raw["target"].fill_null("") == "").alias("_no_target"))
    reason = optional(frame, "not_applicable")
    marked = frame.filter(reason.is_not_null() & pl.col("_no_target") & pl.col("year").is_not_null())
    subset = ["_year", "region_id", "indicator_id"]
    cells = marked.select(
        pl.col("year").cast(pl.Int64).alias("_year"), "region_id", "indicator_id", reason.alias("_reason")
    )
    return cells.unique(subset, keep="first", maintain_order=True)


def with_applicability(frame: pl.DataFrame, targets: Table) -> pl.DataFrame:
    """`frame` (with _year, region_id, indicator_id) plus `_reason` (why the cell is not applicable, or null)
    and `_na` (whether it is marked not applicable)."""
    marked = not_applicable(targets)
    joined = frame.join(marked, on=["_year", "region_id", "indicator_id"], how="left", maintain_order="left")
    return joined.with_columns(pl.col("_reason").is_not_null().alias("_na"))


def month_parts(month: pl.Expr) -> list[pl.Expr]:
    """_year and _m (month of the year) from a YYYY-MM column; null where it is not one."""
    return [
        month.str.slice(0, 4).cast(pl.Int64, strict=False).alias("_year"),
        month.str.slice(5, 2).cast(pl.Int64, strict=False).alias("_m"),
    ]
