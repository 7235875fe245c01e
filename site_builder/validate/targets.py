"""Rules on what an indicator's figures mean: its city rule (indicators.csv `city`) and its targets
(targets.csv: a target or a reason it does not apply, never both; signs; a higher-is-better target of 0)."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from site_builder.core.findings import Finding
from site_builder.core.method import CITY_ALLOWED, SIGNED
from site_builder.validate.cells import optional
from site_builder.validate.reports import KIND_WORDS
from site_builder.validate.tables import Table

RULE_WORDS = {
    "sum": "sum（各地相加）",
    "pooled": "pooled（分子、分母分别相加后相除）",
    "weighted": "weighted（按分母加权平均）",
    "median": "median（各地的中位数）",
    "none": "none（不计算全市数）",
}


def check_city_rules(indicators: Table) -> Iterator[Finding]:
    """`indicator-city-rule`: a level without a rule, a rule its kind does not allow, or a pooled or weighted
    level whose numerator or denominator (the weight) is not defined."""
    frame = indicators.frame.with_row_index("_row")
    raw = indicators.raw
    written = (raw["city"].fill_null("") != "") if "city" in raw.columns else pl.Series([False] * len(raw))
    frame = frame.with_columns(optional(frame, "city").alias("_city"), written.alias("_written"))
    for row in frame.filter(pl.col("kind").is_not_null()).iter_rows(named=True):
        problem = _city_problem(row)
        if problem is None:
            continue
        field, detail_zh, detail_en = problem
        path, line, column = indicators.locate(row["_row"], field)
        kind_zh, kind_en = KIND_WORDS[row["kind"]]
        params = {
            "indicator": row["name"] or row["id"] or "",
            "kind_zh": kind_zh,
            "kind_en": kind_en,
            "detail_zh": detail_zh,
            "detail_en": detail_en,
        }
        yield Finding("indicator-city-rule", path, line, column, row["_city"], params)


def _city_problem(row: dict[str, object]) -> tuple[str, str, str] | None:
    """(the column to point at, what is wrong in Chinese and English), or None."""
    kind, rule = str(row["kind"]), row["_city"]
    if rule is None:
        if kind == "level" and not row["_written"]:  # a rule written wrong is a cell-enum already
            allowed = "、".join(RULE_WORDS[r] for r in CITY_ALLOWED[kind])
            return (
                "city",
                f"没有填写；水平类指标不能相加，必须写明 {allowed} 之一",
                "is empty; a level must declare one",
            )
        return None
    if rule not in CITY_ALLOWED[kind]:
        allowed = "、".join(RULE_WORDS[r] for r in CITY_ALLOWED[kind])
        return "city", f"不能是 {rule}，只能是 {allowed}", f"cannot be {rule}; allowed: {', '.join(CITY_ALLOWED[kind])}"
    if kind == "level" and rule == "pooled":
        for field, word in (("numerator", "分子"), ("denominator", "分母")):
            if not row[field]:
                return (
                    field,
                    f"是 pooled（分子、分母分别相加后相除），但没有写明{word}（{field}）的定义",
                    f"is pooled, but the {field} is not defined",
                )
    if kind == "level" and rule == "weighted" and not row["denominator"]:
        return (
            "denominator",
            "是 weighted（按分母加权平均），但没有写明作为权重的分母（denominator）的定义",
            "is weighted, but the denominator (the weight) is not defined",
        )
    return None


def check_target_cells(targets: Table, indicators: Table) -> Iterator[Finding]:
    """`target-not-applicable` (a target and a reason, or neither), `value-negative` (a negative target other
    than a lower-is-better level's ceiling), `target-zero` (a higher-is-better target of 0)."""
    frame = targets.frame.with_row_index("_row")
    raw = targets.raw
    has_target = raw["target"].fill_null("") != ""
    reasons = raw["not_applicable"] if "not_applicable" in raw.columns else pl.Series([None] * len(raw), dtype=pl.Utf8)
    has_reason = reasons.fill_null("") != ""
    both = frame.filter(has_target & has_reason)["_row"].to_list()
    for index in targets.admitted(both, "target-not-applicable"):
        yield _not_applicable(targets, index, "not_applicable", *BOTH)
    if not targets.spec.field("target").required:  # else an empty target is a cell-required already
        neither = frame.filter(~has_target & ~has_reason)["_row"].to_list()
        for index in targets.admitted(neither, "target-not-applicable"):
            yield _not_applicable(targets, index, "target", *NEITHER)
    info = indicators.frame.select(pl.col("id").alias("indicator_id"), "kind", "direction").drop_nulls("indicator_id")
    known = frame.join(info.unique("indicator_id", keep="first"), on="indicator_id", how="inner").sort("_row")
    ceiling = pl.col("kind").is_in(list(SIGNED)) & (pl.col("direction") == "lower")
    negative = known.filter((pl.col("target") < 0) & ~ceiling)
    for row in _admitted(targets, negative, "value-negative").iter_rows(named=True):
        path, line, column = targets.locate(row["_row"], "target")
        yield Finding("value-negative", path, line, column, f"{row['target']:g}", NEGATIVE_TARGET)
    zero = known.filter(
        (pl.col("target") == 0) & (pl.col("direction") == "higher") & optional(known, "not_applicable").is_null()
    )
    for row in _admitted(targets, zero, "target-zero").iter_rows(named=True):
        path, line, column = targets.locate(row["_row"], "target")
        yield Finding(
            "target-zero", path, line, column, "0", {"region": row["region_id"], "indicator": row["indicator_id"]}
        )


BOTH = ("既填写了年度目标，又写了不适用原因", "has both a target and a reason it does not apply")
NEITHER = ("既没有年度目标，也没有写不适用原因", "has neither a target nor a reason it does not apply")
NEGATIVE_TARGET = {
    "what_zh": "年度目标",
    "what_en": "annual target",
    "detail_zh": "只有越低越好的水平类指标（kind 为 level、direction 为 lower）的年度目标（上限）可以是负数",
    "detail_en": "only a lower-is-better level's target (its ceiling) may be negative",
}


def _admitted(targets: Table, frame: pl.DataFrame, code: str) -> pl.DataFrame:
    return frame.filter(pl.col("_row").is_in(targets.admitted(frame["_row"].to_list(), code)))


def _not_applicable(targets: Table, row: int, field: str, detail_zh: str, detail_en: str) -> Finding:
    path, line, column = targets.locate(row, field)
    params = {
        "region": targets.frame["region_id"][row] or "",
        "indicator": targets.frame["indicator_id"][row] or "",
        "detail_zh": detail_zh,
        "detail_en": detail_en,
    }
    return Finding("target-not-applicable", path, line, column, None, params)
