"""The published method's formulas that more than one stage needs (docs/methodology.md).

Pure functions on plain values; `compute` vectorizes the same formulas.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import polars as pl

LINEAR = "linear"
MONTHS = 12

# What an indicator's value is (indicators.csv `kind`): a year-to-date total that adds up, a rate from
# numerator and denominator, a level (a value for the period that does not add up: an average cost, a
# growth rate), or the number of stages of a plan done.
KINDS = ("count", "rate", "level", "milestone")
ACCUMULATING = ("count", "milestone")  # running totals: they never fall within a year
SIGNED = ("level",)  # the only kind whose values (and targets) may be negative
# How the city figure is made from the districts' (indicators.csv `city`), and the rules each kind allows
CITY_RULES = ("sum", "pooled", "weighted", "median", "none")
CITY_DEFAULT = {"count": "sum", "milestone": "sum", "rate": "pooled", "level": None}  # level: must be declared
CITY_ALLOWED = {
    "count": ("sum", "none"),
    "milestone": ("sum", "none"),
    "rate": ("pooled", "none"),
    "level": ("pooled", "weighted", "median", "none"),
}
# How often an indicator is reported (indicators.csv `frequency`), and the months a report is due
DUE_MONTHS = {
    "monthly": tuple(range(1, 13)),
    "quarterly": (3, 6, 9, 12),
    "half_yearly": (6, 12),
    "yearly": (12,),
}
FREQUENCIES = tuple(DUE_MONTHS)


def is_due(frequency: str, month: int) -> bool:
    """Whether a report of an indicator reported at `frequency` is due for `month` (1–12)."""
    return month in DUE_MONTHS.get(frequency, DUE_MONTHS["monthly"])


def expected_share(profile: str, month: int, profiles: Mapping[str, Sequence[float]]) -> float:
    """Share of the annual target due by the end of `month` (1–12): m/12, or the profile's value."""
    if profile == LINEAR or profile not in profiles:
        return month / MONTHS
    return float(profiles[profile][month - 1])


def expected_shares(profiles: Mapping[str, Sequence[float]]) -> pl.DataFrame:
    """Every profile's share per month as a table (profile, _m, expected), `linear` included.

    Profiles that are not 12 values long, or that try to redefine `linear`, are left out: they are
    reported by validation and never used.
    """
    rows = [(LINEAR, m, m / MONTHS) for m in range(1, MONTHS + 1)]
    for name, values in profiles.items():
        if len(values) == MONTHS and name != LINEAR:
            rows += [(name, m, float(values[m - 1])) for m in range(1, MONTHS + 1)]
    return pl.DataFrame(rows, schema={"profile": pl.Utf8, "_m": pl.Int64, "expected": pl.Float64}, orient="row")


def profile_problem(name: str, values: Sequence[float]) -> str | None:
    """Why a progress profile is unusable, or None: 12 non-decreasing shares in 0–1 ending at 1."""
    if name == LINEAR:
        return "linear 是内置的按月平均曲线，不能重新定义，请换一个名称"
    if len(values) != MONTHS:
        return f"需要 12 个值，实际 {len(values)} 个"
    if any(v < 0 or v > 1 for v in values):
        return "每个值应在 0 到 1 之间"
    if any(b < a for a, b in pairwise(values)):
        return "累计比例不能逐月减少"
    if abs(values[-1] - 1) > 1e-9:
        return "12 月的值应为 1"
    return None


def month_number(month: str) -> int:
    """The month of the year from 'YYYY-MM'."""
    return int(month[5:7])


# Early warning (预警, compute/forecast.py): the year-end value projected from the months so far, with a
# prediction interval at this probability; a target is flagged as likely missed when the interval's
# favourable end falls short of it (for 0.8: less than a 10% chance of reaching it).
FORECAST_LEVEL = 0.8
# The least month-to-month variation assumed for a running total in a month whose profile adds nothing
# (a share of the annual target): a profile that stands still does not make the future certain.
FORECAST_FLOOR = 0.01
