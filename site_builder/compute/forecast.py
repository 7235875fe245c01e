"""Early warning (预警): each district's year-end value projected from its months so far, with a
prediction interval from the districts' own month-to-month variation (docs/methodology.md, 第 9 节).

The indicator's progress profile e(m) is the expected shape; T is the annual target (a ceiling when lower
is better), so the value due by month m is T·e(m). Values are measured in units of the district's |T|
(its scale), which makes districts of different sizes comparable and lets them share one variation.

- Running totals (count): the district keeps its own pace against the profile. Pace r = A(M)/(T·e(M)),
  projected Â(h) = A(M)·e(h)/e(M). Month-to-month, an increment is r times the profile's increment plus
  noise whose variance grows with the profile's increment (at least FORECAST_FLOOR a month): in the
  profile's clock τ, a random walk with drift. Residuals z = (ΔX − r·Δe)/√Δτ, pooled over the indicator's
  districts with n − 1 degrees of freedom each; the projection's variance σ²·[(τ(h) − τ(M)) + (e(h) −
  e(M))²·τ(M)/e(M)²] adds the uncertainty of the pace to that of the months to come.
- Rates and levels: the value follows the profile, and its gap to the profile keeps drifting as it has
  since the district's first report: drift d = (change of the gap)/(months between first and last report),
  Â(h) = A(M) + T·(e(h) − e(M)) + d·|T|·(h − M). Residual steps z = (Δg − d·n)/√n over n months between
  reports, pooled with n − 1 degrees of freedom per district; the variance σ²·[(h − M) + (h − M)²/span]
  adds the drift's uncertainty. A rate's projection and interval stay within 0–100.
- Milestones (stages of a plan): no interval. Stage n is due in the first month with T·e(m) ≥ n; a stage
  already due and not done is a warning, a stage due by the next report is watched.

The interval is Â ± t·σ·√variance·|T| (Student's t at FORECAST_LEVEL, two-sided). Flagged (warning) when
its favourable end is on the wrong side of T·e(h); watched when the projection is; met when a running
total has already reached its target (it cannot fall), flagged at once when a running total is already
past its ceiling. Only reported months count (carried months repeat
a due month's figures). No I/O.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import pairwise

import polars as pl

from site_builder.core.method import (
    DUE_MONTHS,
    FORECAST_FLOOR,
    FORECAST_LEVEL,
    MONTHS,
    expected_share,
)
from site_builder.model import Dataset

STATUSES = ("warning", "watch", "on_track", "met", "unknown", "na")
EPSILON = 1e-9


@dataclass(frozen=True)
class Shape:
    """What an indicator's values are and how they are expected to grow: e(1..12)."""

    kind: str  # count | rate | level | milestone
    direction: str  # higher | lower
    shares: tuple[float, ...]
    frequency: str = "monthly"

    def e(self, month: int) -> float:
        return 0.0 if month <= 0 else self.shares[month - 1]

    def clock(self, month: int) -> float:
        """τ(m): the profile's increments to month m, each at least FORECAST_FLOOR."""
        return self._clocks[month]

    @cached_property
    def _clocks(self) -> tuple[float, ...]:
        clocks = [0.0]
        for m in range(1, MONTHS + 1):
            clocks.append(clocks[-1] + max(self.e(m) - self.e(m - 1), FORECAST_FLOOR))
        return tuple(clocks)

    @property
    def pace(self) -> bool:
        """Projected at the district's own pace (a running total), else by a persisting gap."""
        return self.kind == "count" or (self.kind == "milestone" and self.direction == "lower")


@dataclass(frozen=True)
class Series:
    """One district's reported values of one indicator: (month number, value), in month order."""

    target: float | None
    points: tuple[tuple[int, float], ...]
    applicable: bool = True

    def upto(self, month: int) -> Series:
        return Series(self.target, tuple(p for p in self.points if p[0] <= month), self.applicable)


@dataclass(frozen=True)
class Projection:
    status: str  # one of STATUSES
    basis: int | None = None  # the month of the last value used
    projected: float | None = None
    low: float | None = None
    high: float | None = None
    goal: float | None = None  # the value due by the horizon: T·e(h)
    due: int | None = None  # a milestone's next stage: the month it is due by


@cache
def t_quantile(p: float, dof: int) -> float:
    """Student's t quantile for p > 0.5 and integer dof ≥ 1 (exact CDF, Abramowitz & Stegun 26.7.3–4)."""
    if dof > 300:
        return statistics.NormalDist().inv_cdf(p)

    def central(t: float) -> float:  # P(|T| ≤ t)
        theta = math.atan(t / math.sqrt(dof))
        c2 = math.cos(theta) ** 2
        if dof % 2 == 1:
            term, total = math.cos(theta), 0.0
            if dof > 1:
                total = term
                for k in range(3, dof - 1, 2):
                    term *= c2 * (k - 1) / k
                    total += term
            return 2 / math.pi * (theta + math.sin(theta) * total)
        term = total = 1.0
        for k in range(2, dof - 1, 2):
            term *= c2 * (k - 1) / k
            total += term
        return math.sin(theta) * total

    goal, low, high = 2 * p - 1, 0.0, 1.0
    while central(high) < goal:
        high *= 2
    for _ in range(64):  # the bracket halves each time: past double precision
        middle = (low + high) / 2
        low, high = (middle, high) if central(middle) < goal else (low, middle)
    return (low + high) / 2


def _scale(series: Series, fallback: float) -> float:
    return abs(series.target) if series.target else fallback


def residuals(shape: Shape, series: Series, scale: float) -> tuple[list[float], int]:
    """The district's standardized month-to-month residuals and the degrees of freedom they carry."""
    points = series.points
    target = series.target or 0.0
    if shape.pace:
        last_month, last_value = points[-1]
        if shape.e(last_month) <= 0:
            return [], 0
        pace = last_value / scale / shape.e(last_month)
        steps, previous = [], (0, 0.0)
        for month, value in points:
            change = (value - previous[1]) / scale - pace * (shape.e(month) - shape.e(previous[0]))
            steps.append(change / math.sqrt(shape.clock(month) - shape.clock(previous[0])))
            previous = (month, value)
        return steps, len(steps) - 1
    drift, _ = _drift(shape, series, scale)
    steps = []
    for (m0, a0), (m1, a1) in pairwise(points):
        gap = (a1 - a0) / scale - target / scale * (shape.e(m1) - shape.e(m0))
        steps.append((gap - drift * (m1 - m0)) / math.sqrt(m1 - m0))
    return steps, max(len(steps) - 1, 0)


def _drift(shape: Shape, series: Series, scale: float) -> tuple[float, int]:
    """A rate's or level's own drift away from the profile, per month (in units of |T|), and the months
    it was measured over: the change of its gap to the profile from its first report to its last."""
    (m0, a0), (m1, a1) = series.points[0], series.points[-1]
    if m1 == m0:
        return 0.0, 0
    target = series.target or 0.0
    return ((a1 - a0) / scale - target / scale * (shape.e(m1) - shape.e(m0))) / (m1 - m0), m1 - m0


def spread(shape: Shape, serieses: Sequence[Series]) -> tuple[float, int]:
    """σ and its degrees of freedom, pooled over the districts of one indicator."""
    fallback = _fallback(serieses)
    squares, dof = 0.0, 0
    for series in serieses:
        if not series.applicable or series.target is None or not series.points:
            continue
        steps, own = residuals(shape, series, _scale(series, fallback))
        squares += sum(z * z for z in steps)
        dof += own
    return (math.sqrt(squares / dof), dof) if dof > 0 else (0.0, 0)


def _fallback(serieses: Sequence[Series]) -> float:
    """The scale of a district whose target is 0: the mean |T| of the others, or 1."""
    sizes = [abs(s.target) for s in serieses if s.applicable and s.target]
    return sum(sizes) / len(sizes) if sizes else 1.0


def _milestone(shape: Shape, series: Series, asof: int, horizon: int) -> Projection:
    target = float(series.target or 0.0)
    month, done = series.points[-1]
    goal = target * shape.e(horizon)
    if done >= goal - EPSILON:
        return Projection("met", month, done, goal=goal)
    stage = math.floor(done + EPSILON) + 1
    due = next((m for m in range(1, MONTHS + 1) if target * shape.e(m) >= stage - EPSILON), MONTHS)
    after = [m for m in DUE_MONTHS.get(shape.frequency, DUE_MONTHS["monthly"]) if m > asof]
    status = "warning" if due <= asof else "watch" if due <= (after[0] if after else MONTHS) else "on_track"
    return Projection(status, month, done, goal=goal, due=due)


def project(
    shape: Shape, series: Series, asof: int, horizon: int, *, sigma: float, dof: int, fallback: float = 1.0
) -> Projection:
    """The value at month `horizon` from the series' values to month `asof`, with σ and dof pooled
    (spread()) from the indicator's districts over the same months."""
    if not series.applicable:
        return Projection("na")
    series = series.upto(asof)
    if series.target is None or not series.points:
        return Projection("unknown")
    target = float(series.target)
    goal = target * shape.e(horizon)
    month, value = series.points[-1]
    higher = shape.direction == "higher"
    if shape.kind == "milestone" and higher:
        return _milestone(shape, series, asof, horizon)
    accumulating = shape.kind in ("count", "milestone")
    if accumulating and higher and value >= goal - EPSILON:
        return Projection("met", month, value, goal=goal)
    scale = _scale(series, fallback)
    if shape.pace:
        if shape.e(month) <= 0:
            return Projection("unknown", month, goal=goal)
        projected = value * shape.e(horizon) / shape.e(month)
        ahead = shape.e(horizon) - shape.e(month)
        variance = shape.clock(horizon) - shape.clock(month) + ahead**2 * shape.clock(month) / shape.e(month) ** 2
    else:
        drift, span = _drift(shape, series, scale)
        projected = value + target * (shape.e(horizon) - shape.e(month)) + drift * scale * (horizon - month)
        variance = (horizon - month) + ((horizon - month) ** 2 / span if span else 0.0)
    raw = projected  # the interval is the unbounded one's, cut to 0–100 for a rate
    if shape.kind == "rate":  # a percentage stays within 0–100
        projected = min(max(projected, 0.0), 100.0)
    short = projected < goal - EPSILON if higher else projected > goal + EPSILON
    if accumulating and not higher and value > goal + EPSILON:  # past its ceiling: a total does not fall
        return Projection("warning", month, projected, max(projected, value), max(projected, value), goal)
    if dof <= 0:
        return Projection("watch" if short else "on_track", month, projected, goal=goal)
    half = t_quantile((1 + FORECAST_LEVEL) / 2, dof) * sigma * math.sqrt(max(variance, 0.0)) * scale
    low, high = raw - half, raw + half
    if accumulating:
        low = max(low, value)  # a running total does not fall
    if shape.kind == "rate":
        low, high = (min(max(v, 0.0), 100.0) for v in (low, high))
    favourable = high if higher else low
    missed = favourable < goal - EPSILON if higher else favourable > goal + EPSILON
    status = "warning" if missed else "watch" if short else "on_track"
    return Projection(status, month, projected, low, high, goal)


def project_all(shape: Shape, serieses: Sequence[Series], asof: int, horizon: int) -> list[Projection]:
    """Every district's projection of one indicator from the months to `asof`, σ pooled over them."""
    truncated = [s.upto(asof) for s in serieses]
    sigma, dof = spread(shape, truncated)
    fallback = _fallback(truncated)
    return [project(shape, s, asof, horizon, sigma=sigma, dof=dof, fallback=fallback) for s in truncated]


def shapes_and_series(dataset: Dataset, progress: pl.DataFrame) -> dict[str, tuple[Shape, dict[str, Series]]]:
    """Per indicator: its shape, and each district's series of reported values (in region order)."""
    profiles = dataset.programme.profiles
    points: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
    targets: dict[tuple[str, str], tuple[float | None, bool]] = {}
    for row in progress.select("month", "region_id", "indicator_id", "status", "actual", "target").iter_rows():
        month, region, indicator, status, actual, target = row
        targets[(indicator, region)] = (target, status != "not_applicable")
        if status == "reported" and actual is not None:
            points[(indicator, region)].append((int(month[5:7]), float(actual)))
    out = {}
    for indicator in dataset.indicators:
        shares = tuple(expected_share(indicator.profile, m, profiles) for m in range(1, MONTHS + 1))
        shape = Shape(indicator.kind, indicator.direction, shares, indicator.frequency)
        serieses = {}
        for region in dataset.regions:
            target, applicable = targets.get((indicator.id, region.id), (None, True))
            own = sorted(points.get((indicator.id, region.id), []))
            serieses[region.id] = Series(None if target is None else float(target), tuple(own), applicable)
        out[indicator.id] = (shape, serieses)
    return out


SCHEMA = {
    "month": pl.Utf8,
    "region_id": pl.Utf8,
    "indicator_id": pl.Utf8,
    "forecast": pl.Utf8,
    "basis": pl.Utf8,
    "projected": pl.Float64,
    "low": pl.Float64,
    "high": pl.Float64,
    "goal": pl.Float64,
    "due": pl.Int64,
}


def forecasts(dataset: Dataset, progress: pl.DataFrame) -> pl.DataFrame:
    """As of every month of the year: each district's year-end projection of each indicator (SCHEMA;
    `forecast` is the status, `basis` the month of the last value used)."""
    year = dataset.programme.year
    rows = []
    inputs = shapes_and_series(dataset, progress)
    for month in dataset.months:
        asof = int(month[5:7])
        for indicator in dataset.indicators:
            shape, serieses = inputs[indicator.id]
            found = project_all(shape, list(serieses.values()), asof, MONTHS)
            for region_id, p in zip(serieses, found, strict=True):
                basis = f"{year}-{p.basis:02d}" if p.basis is not None else None
                figures = (p.projected, p.low, p.high, p.goal, p.due)
                rows.append((month, region_id, indicator.id, p.status, basis, *figures))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")
