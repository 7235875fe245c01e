"""The early warning's projection and interval (compute/forecast.py) on hand-built series with known outcomes,
and through the real pipeline on the fixture with quarterly, not-applicable and level indicators."""

from __future__ import annotations

import math

import polars as pl
import pytest

from site_builder.compute.forecast import Projection, Series, Shape, project_all, spread, t_quantile
from site_builder.core.method import FORECAST_LEVEL
from tests.compute.helpers import computed
from tests.conftest import DUE_AND_NA

LINEAR = tuple(m / 12 for m in range(1, 13))
FLAT = (1.0,) * 12
COUNT = Shape("count", "higher", LINEAR)
WOBBLE = (0.0, 1.5, -1.0, 0.5, -1.5, 1.0, 0.0, -0.5, 1.0, -1.0, 0.5, 0.0)  # monthly noise around a path


def path(
    target: float, pace: float, months: int, noise: tuple[float, ...] = (), shares: tuple[float, ...] = LINEAR
) -> Series:
    """A running total that keeps `pace` times the profile, plus cumulative noise."""
    points, drift = [], 0.0
    for m in range(1, months + 1):
        drift += noise[m - 1] if noise else 0.0
        points.append((m, target * pace * shares[m - 1] + drift))
    return Series(target, tuple(points))


def level_path(target: float, values: list[float], months: list[int] | None = None) -> Series:
    return Series(target, tuple(zip(months or range(1, len(values) + 1), values, strict=True)))


def by_status(found: list[Projection]) -> list[str]:
    return [p.status for p in found]


def test_t_quantiles_are_the_tabulated_ones() -> None:
    assert t_quantile(0.9, 1) == pytest.approx(3.0777, abs=1e-4)
    assert t_quantile(0.9, 2) == pytest.approx(1.8856, abs=1e-4)
    assert t_quantile(0.9, 10) == pytest.approx(1.3722, abs=1e-4)
    assert t_quantile(0.95, 5) == pytest.approx(2.0150, abs=1e-4)
    assert t_quantile(0.975, 30) == pytest.approx(2.0423, abs=1e-4)
    assert t_quantile(0.9, 1000) == pytest.approx(1.2816, abs=1e-4)


def test_a_series_exactly_on_profile_gives_the_target_with_a_narrow_interval() -> None:
    serieses = [path(120, 1.0, 6), path(2400, 1.0, 6, WOBBLE), path(1200, 1.0, 6, tuple(-w for w in WOBBLE))]
    on_profile = project_all(COUNT, serieses, 6, 12)[0]
    assert on_profile.projected == pytest.approx(120)
    assert on_profile.low is not None
    assert on_profile.high is not None
    assert on_profile.low <= 120 <= on_profile.high
    assert on_profile.high - on_profile.low < 0.1 * 120  # narrow: the districts hardly wobble
    assert on_profile.status == "on_track"
    alone = project_all(COUNT, [path(120, 1.0, 6), path(60, 1.0, 6)], 6, 12)[0]
    assert (alone.projected, alone.low, alone.high) == pytest.approx((120, 120, 120))  # no variation at all


def test_a_series_well_behind_is_flagged_and_one_slightly_behind_is_watched() -> None:
    serieses = [path(120, 0.6, 8, WOBBLE), path(120, 0.99, 8, WOBBLE), path(120, 1.0, 8, WOBBLE[::-1])]
    behind, slightly, _ = project_all(COUNT, serieses, 8, 12)
    assert behind.projected == pytest.approx(serieses[0].points[-1][1] / (8 / 12))
    assert behind.high is not None
    assert behind.high < 120
    assert behind.status == "warning"
    assert slightly.projected is not None
    assert slightly.projected < 120
    assert slightly.high is not None
    assert slightly.high > 120
    assert slightly.status == "watch"


def test_the_interval_has_the_level_s_t_quantile_and_widens_with_the_months_to_come() -> None:
    serieses = [path(100, 1.0, 9, WOBBLE), path(100, 1.0, 9, tuple(-w for w in WOBBLE))]
    sigma, dof = spread(COUNT, [s.upto(6) for s in serieses])
    assert dof == 2 * (6 - 1)  # one pace estimated per district
    early = project_all(COUNT, serieses, 6, 12)[0]
    late = project_all(COUNT, serieses, 9, 12)[0]
    assert early.low is not None
    assert early.high is not None
    assert early.projected is not None
    tau = 0.5  # linear profile, its increments above the floor: τ = e
    variance = (1 - tau) + (1 - tau) ** 2 * tau / tau**2
    half = t_quantile((1 + FORECAST_LEVEL) / 2, dof) * sigma * math.sqrt(variance) * 100
    assert early.high - early.projected == pytest.approx(half)
    assert late.low is not None
    assert late.high is not None
    assert late.high - late.low < early.high - early.low


def test_a_running_total_at_its_target_has_met_it() -> None:
    done = project_all(COUNT, [path(120, 1.3, 10), path(120, 1.0, 10, WOBBLE)], 10, 12)[0]
    assert done.status == "met"


def test_a_lower_is_better_total_is_judged_by_the_lower_end_against_its_ceiling() -> None:
    shape = Shape("count", "lower", LINEAR)
    over, under, _ = project_all(
        shape, [path(120, 1.5, 8, WOBBLE), path(120, 0.7, 8, WOBBLE), path(120, 1.0, 8, WOBBLE[::-1])], 8, 12
    )
    assert over.projected is not None
    assert over.projected > 120
    assert over.low is not None
    assert over.low > 120
    assert over.status == "warning"
    assert under.status == "on_track"
    assert under.high is not None
    assert under.high < 120


def test_a_lower_is_better_rate_keeps_its_gap_to_the_ceiling() -> None:
    shape = Shape("rate", "lower", FLAT)
    high = level_path(10, [14.0, 14.5, 14.2, 14.6, 14.4, 14.5])
    fine = level_path(10, [8.0, 8.2, 7.9, 8.1, 8.0, 8.1])
    found = project_all(shape, [high, fine], 6, 12)
    assert by_status(found) == ["warning", "on_track"]


def test_a_rate_on_profile_stays_there_and_one_well_below_is_flagged() -> None:
    shape = Shape("rate", "higher", FLAT)
    steady = level_path(90, [90.0, 90.3, 89.8, 90.1, 89.9, 90.0])
    low = level_path(90, [70.0, 70.2, 69.9, 70.1, 70.0, 70.0])
    on, below = project_all(shape, [steady, low], 6, 12)
    assert on.projected == pytest.approx(90.0, abs=0.5)
    assert on.low is not None
    assert on.high is not None
    assert on.low <= 90 <= on.high
    assert on.status in ("on_track", "watch")
    assert below.status == "warning"
    assert below.high is not None
    assert below.high < 90


def test_a_rate_s_projection_stays_within_0_and_100() -> None:
    shape = Shape("rate", "higher", FLAT)
    rising = level_path(95, [80.0, 85.0, 90.0, 95.0, 99.0, 99.5])
    found = project_all(shape, [rising, level_path(95, [96.0, 96.5, 97.0, 97.0, 97.5, 98.0])], 6, 12)
    assert all(p.high is not None and p.high <= 100 for p in found)


def test_a_quarterly_indicator_is_projected_from_its_last_due_month() -> None:
    shape = Shape("count", "higher", LINEAR, "quarterly")
    serieses = [
        level_path(400, [100.0, 190.0, 310.0], [3, 6, 9]),
        level_path(400, [90.0, 210.0, 290.0], [3, 6, 9]),
    ]
    first = project_all(shape, serieses, 11, 12)[0]
    assert first.basis == 9
    assert first.projected == pytest.approx(310 * 12 / 9)
    assert first.low is not None  # two districts, three due months each: variation to estimate


def test_not_applicable_no_target_and_no_report_are_not_projected() -> None:
    serieses = [
        Series(120, ((1, 10.0), (2, 20.0)), applicable=False),
        Series(None, ((1, 10.0), (2, 20.0))),
        Series(120, ()),
        path(120, 1.0, 2, WOBBLE),
    ]
    assert by_status(project_all(COUNT, serieses, 2, 12))[:3] == ["na", "unknown", "unknown"]


def test_one_month_of_reports_gives_a_projection_without_an_interval() -> None:
    found = project_all(COUNT, [path(120, 0.5, 1), path(120, 1.0, 1)], 1, 12)
    assert [p.projected for p in found] == pytest.approx([60, 120])
    assert all(p.low is None and p.high is None for p in found)
    assert by_status(found) == ["watch", "on_track"]  # never a warning without a measured variation


@pytest.mark.parametrize(("done", "status", "due"), [(0, "warning", 3), (1, "watch", 5), (2, "on_track", 8)])
def test_a_milestone_is_judged_by_the_due_month_of_its_next_stage(done: int, status: str, due: int) -> None:
    shape = Shape("milestone", "higher", LINEAR)  # 5 stages: stage n due when 5·m/12 ≥ n
    stages = [min(done, m) for m in range(1, 5)]
    found = project_all(shape, [level_path(5, [float(s) for s in stages])], 4, 12)[0]
    assert (found.status, found.due, found.low) == (status, due, None)
    finished = project_all(shape, [level_path(5, [1.0, 2.0, 4.0, 5.0])], 4, 12)[0]
    assert finished.status == "met"


def test_the_pipeline_projects_every_cell_as_of_every_month() -> None:
    dataset, results = computed(DUE_AND_NA)
    frame = results.forecast
    assert len(frame) == len(results.progress)
    joined = frame.join(results.progress, on=["month", "region_id", "indicator_id"])
    assert joined.filter(pl.col("status") == "not_applicable")["forecast"].unique().to_list() == ["na"]
    quarterly = [i.id for i in dataset.indicators if i.frequency == "quarterly"]
    assert quarterly
    rows = joined.filter(pl.col("indicator_id").is_in(quarterly) & (pl.col("status") != "not_applicable"))
    assert all(int(b[5:7]) in (3, 6, 9, 12) for b in rows["basis"].drop_nulls())
    before = rows.filter(pl.col("month") < f"{dataset.programme.year}-03")  # nothing due yet: nothing to go on
    assert not before.is_empty()
    assert before["forecast"].unique().to_list() == ["unknown"]
    level = [i.id for i in dataset.indicators if i.kind == "level"]
    assert level
    assert joined.filter(pl.col("indicator_id").is_in(level))["forecast"].is_in(["na", "unknown"]).not_().any()


def test_a_lower_is_better_total_already_past_its_ceiling_is_a_warning_whatever_its_spread() -> None:
    shape = Shape("count", "lower", LINEAR)
    past = level_path(100, [50.0, 120.0])  # two months in, the ceiling of the whole year is gone
    found = project_all(shape, [past, path(100, 1.0, 2)], 2, 12)[0]
    assert found.status == "warning"
