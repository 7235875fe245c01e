"""A figure behind expected progress needs an explanation (docs/reference/data-contract.md, docs/methodology.md).

Higher is better: completion c = A/T of the annual target T, behind when c is below the expected share
e(m) of the indicator's profile. Lower is better: T is a ceiling, the ceiling to date is T_m = T·e(m), and a
figure above it (A > T_m) needs an explanation; its completion is c = 1 + (T_m − A)/|T_m|. Only cells a
report is due for and applicable to are judged; a higher-is-better target of 0 (`target-zero`) is not one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl

from site_builder.core.documents import Programme
from site_builder.core.findings import Finding
from site_builder.core.method import expected_shares
from site_builder.validate.cells import PARTS
from site_builder.validate.tables import Table

TOLERANCE = 1e-9


def check_progress(reports: Table, rows: pl.DataFrame, targets: Table, programme: Programme) -> Iterator[Finding]:
    """`behind-unexplained` for the programme year's due, applicable, unexplained rows of `rows`."""
    share_frame = expected_shares(programme.profiles).rename({"expected": "_expected"})
    goal = (
        targets.frame.filter(pl.col("year") == programme.year)
        .select("region_id", "indicator_id", "target")
        .unique(subset=["region_id", "indicator_id"], keep="first", maintain_order=True)
    )
    parts = pl.col("numerator") / pl.col("denominator")
    actual = (
        pl.when(pl.col("form") == PARTS)
        .then(
            pl.when(pl.col("denominator") > 0).then(
                pl.when(pl.col("kind") == "rate").then(100 * parts).otherwise(parts)
            )
        )
        .otherwise(pl.col("value"))
    )
    frame = (
        rows.filter(
            (pl.col("_year") == programme.year) & pl.col("_due") & ~pl.col("_na") & pl.col("form").is_not_null()
        )
        .filter(pl.col("explanation").is_null())
        .with_columns(actual.alias("_actual"))
        .join(goal.drop_nulls(), on=["region_id", "indicator_id"], how="inner")
        .join(share_frame, on=["profile", "_m"], how="inner")
        .filter(pl.col("_actual").is_not_null())
    )
    lower = pl.col("direction") == "lower"
    frame = frame.filter(lower | (pl.col("target") > 0)).with_columns(
        (pl.col("target") * pl.col("_expected")).alias("_ceiling")
    )
    behind = frame.filter(
        pl.when(lower)
        .then(pl.col("_actual") > pl.col("_ceiling") + TOLERANCE)
        .otherwise(pl.col("_actual") / pl.col("target") < pl.col("_expected") - TOLERANCE)
    )
    admitted = reports.admitted(sorted(behind["_row"].to_list()), "behind-unexplained")
    for row in behind.filter(pl.col("_row").is_in(admitted)).sort("_row").iter_rows(named=True):
        yield _finding(reports, row)


def _finding(reports: Table, row: dict[str, Any]) -> Finding:
    actual, target, expected = float(row["_actual"]), float(row["target"]), float(row["_expected"])
    if row["direction"] == "lower":
        ceiling = target * expected
        completion = (1 + (ceiling - actual) / abs(ceiling)) if ceiling != 0 else (1.0 if actual <= 0 else 0.0)
        detail_zh = (
            f"实际 {actual:g} 高于截至本月的控制目标 {ceiling:g}（年度目标 {target:g} × 序时进度 {expected:.1%}），"
            f"完成 {completion:.1%}"
        )
        detail_en = (
            f"is at {actual:g}, above its ceiling to date {ceiling:g} (annual target {target:g} × expected "
            f"{expected:.1%}), completion {completion:.1%}"
        )
    else:
        completion = actual / target
        detail_zh = f"完成 {completion:.1%}，低于序时进度 {expected:.1%}"
        detail_en = f"is at {completion:.1%}, behind the expected {expected:.1%}"
    field = "value" if row["form"] != PARTS else "numerator"
    path, line, column = reports.locate(int(row["_row"]), field)
    params = {"indicator": row["indicator_name"], "detail_zh": detail_zh, "detail_en": detail_en}
    return Finding("behind-unexplained", path, line, column, f"{actual:g}", params)
