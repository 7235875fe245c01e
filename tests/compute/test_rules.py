"""Indicator kinds, city rules, lower-is-better ceilings, not-applicable cells and reporting frequency,
against figures computed by hand from the methodology page (docs/methodology.md §1–4).

The fixture tests/fixtures/compute_rules (programme year 2012, four districts: east, west, hill and an
economic development zone; cap 1.2, yellow band 0.1, missing_value zero) has eight indicators:

    enrol        rate   higher  w 30  flat    city pooled
    clinics      count  higher  w 20  linear  city sum     zone: not applicable; hill: target 0
    cost_growth  level  lower   w 20  flat    city weighted (by the denominator column)
    avg_cost     level  lower   w 10  flat    city median
    screening    count  higher  w 20  linear  city sum     quarterly
    stay         level  lower   w 0   flat    city pooled  (numerator / denominator, no ×100)
    complaints   count  lower   w 0   linear  city none
    balance      level  higher  w 0   flat    city median
"""

from __future__ import annotations

import statistics
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from site_builder.commands.check import compute_folder
from site_builder.compute import Results, month_ranking
from site_builder.compute.ranking import year_standings
from site_builder.model import Dataset
from tests.compute.helpers import cell, computed
from tests.conftest import FIXTURES, TODAY

FOLDER = FIXTURES / "compute_rules"
CAP, BAND = 1.2, 0.1


@pytest.fixture(scope="module", name="computed")
def computed_rules() -> tuple[Dataset, Results]:
    return computed(FOLDER)


def city(results: Results, month: str, indicator: str) -> dict[str, object]:
    rows = results.city.filter((pl.col("month") == month) & (pl.col("indicator_id") == indicator))
    assert len(rows) == 1
    return rows.row(0, named=True)


def scores(dataset: Dataset, results: Results, month: str) -> dict[str, float | None]:
    return {row.region_id: row.score for row in month_ranking(dataset, results, month)}


def ceiling_completion(actual: float, ceiling: float) -> float:
    """The methodology page's c for a ceiling to date T_m (written out here, not taken from the code)."""
    if ceiling == 0:
        return 1.0 if actual <= 0 else 0.0
    return 1 + (ceiling - actual) / abs(ceiling)


# --- direction: a lower-is-better target is a ceiling ---------------------------------------------------------


def test_a_lower_level_with_negative_values_and_a_negative_ceiling(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    # east: ceiling −2 %, growth −3 %: c = 1 + (−2 − (−3)) / 2 = 1.5, expected 1, p capped at 1.2
    east = cell(results, "2012-01", "east", "cost_growth")
    assert east["actual"] == pytest.approx(-3.0)
    assert east["completion"] == pytest.approx(1.5)
    assert east["expected"] == pytest.approx(1.0)
    assert east["gap"] == pytest.approx(0.5)
    assert east["ratio"] == pytest.approx(CAP)
    assert east["light"] == "green"
    # hill: ceiling 3 %, growth 3.15 %: c = 1 − 0.15/3 = 0.95, within the yellow band below 1
    hill = cell(results, "2012-01", "hill", "cost_growth")
    assert (hill["completion"], hill["ratio"], hill["light"]) == (pytest.approx(0.95), pytest.approx(0.95), "yellow")
    # zone: ceiling 3 %, growth 4.5 %: c = 1 − 1.5/3 = 0.5, red
    zone = cell(results, "2012-01", "zone", "cost_growth")
    assert (zone["completion"], zone["ratio"], zone["light"]) == (pytest.approx(0.5), pytest.approx(0.5), "red")


def test_a_zero_ceiling_is_a_real_target(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    # west's ceiling is 0 %: met (c = 1) when the growth is 0 or below, missed (c = 0) above
    for month, actual, completion, light in (
        ("2012-01", -0.5, 1.0, "green"),
        ("2012-02", 0.2, 0.0, "red"),
        ("2012-03", 0.0, 1.0, "green"),
    ):
        west = cell(results, month, "west", "cost_growth")
        assert west["status"] == "reported"
        assert west["actual"] == pytest.approx(actual)
        assert west["completion"] == pytest.approx(ceiling_completion(actual, 0.0)) == completion
        assert west["ratio"] == pytest.approx(completion)
        assert west["light"] == light


def test_a_ceiling_to_date_follows_the_profile(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    # complaints: ceiling 12 a year, linear: T_1 = 12 · 1/12 = 1 in January
    expected = {"east": (0.0, 2.0, CAP, "green"), "west": (1.0, 1.0, 1.0, "green"), "hill": (2.0, 0.0, 0.0, "red")}
    for region, (actual, completion, ratio, light) in expected.items():
        row = cell(results, "2012-01", region, "complaints")
        assert row["completion"] == pytest.approx(ceiling_completion(actual, 12 * 1 / 12)) == completion
        assert (row["ratio"], row["light"], row["expected"]) == (pytest.approx(ratio), light, 1.0)
    # zone: 3 complaints against 1: c = 1 + (1 − 3)/1 = −1, p floored at 0
    zone = cell(results, "2012-01", "zone", "complaints")
    assert (zone["completion"], zone["ratio"], zone["light"]) == (pytest.approx(-1.0), 0.0, "red")
    # April: T_4 = 12 · 4/12 = 4; east's 4 complaints are exactly at the ceiling
    assert cell(results, "2012-04", "east", "complaints")["completion"] == pytest.approx(ceiling_completion(4, 4))


def test_a_negative_value_of_a_higher_is_better_level_scores_zero(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    # balance: target 5 %, the zone's fund ran a deficit of 2 %: c = −2/5 = −0.4, p floored at 0
    zone = cell(results, "2012-01", "zone", "balance")
    assert (zone["completion"], zone["ratio"], zone["light"]) == (pytest.approx(-0.4), 0.0, "red")
    east = cell(results, "2012-01", "east", "balance")
    assert (east["completion"], east["ratio"]) == (pytest.approx(6 / 5), pytest.approx(6 / 5))


# --- not applicable -------------------------------------------------------------------------------------------


def test_not_applicable_cells(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    for region, reason in (("zone", "开发区没有行政村"), ("hill", None)):  # hill: a higher-is-better target of 0
        for month in ("2012-01", "2012-04"):
            row = cell(results, month, region, "clinics")
            assert row["status"] == "not_applicable"
            assert row["not_applicable"] == reason
            assert (row["light"], row["completion"], row["ratio"], row["missing"]) == ("na", None, None, False)


def test_not_applicable_cells_leave_the_score_renormalised(computed: tuple[Dataset, Results]) -> None:
    dataset, results = computed
    january = scores(dataset, results, "2012-01")
    # screening is not due in January (quarterly), so nobody's score counts it;
    # the zero-weight indicators (stay, complaints, balance) add nothing either way.
    # east: enrol 92/90, clinics (1/12)/(1/12) = 1, cost_growth min(1.5, 1.2), avg_cost 1 + 5/100
    east = (30 * (92 / 90) + 20 * 1.0 + 20 * 1.2 + 10 * 1.05) / (30 + 20 + 20 + 10)
    # west: enrol 85/90, clinics 0/6 = 0, cost_growth 1 (zero ceiling met), avg_cost 1 − 10/120
    west = (30 * (85 / 90) + 20 * 0.0 + 20 * 1.0 + 10 * (1 - 10 / 120)) / (30 + 20 + 20 + 10)
    # hill and the zone: clinics not applicable, left out of the weights as well
    hill = (30 * (80 / 90) + 20 * 0.95 + 10 * 1.1) / (30 + 20 + 10)
    zone = (30 * (90 / 90) + 20 * 0.5 + 10 * 0.8) / (30 + 20 + 10)
    assert january == {
        "east": pytest.approx(east),
        "west": pytest.approx(west),
        "hill": pytest.approx(hill),
        "zone": pytest.approx(zone),
    }
    ranks = {row.region_id: row.rank for row in month_ranking(dataset, results, "2012-01")}
    assert ranks == {"east": 1, "hill": 2, "zone": 3, "west": 4}
    zone_row = next(r for r in month_ranking(dataset, results, "2012-01") if r.region_id == "zone")
    assert zone_row.missing_values == 0
    assert dict(zone_row.lights)["clinics"] == "na"


# --- reporting frequency --------------------------------------------------------------------------------------


def test_a_quarterly_indicator_is_not_due_before_its_first_due_month(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    for region in ("east", "west", "hill", "zone"):
        row = cell(results, "2012-01", region, "screening")
        assert row["status"] == "not_due"
        assert (row["light"], row["missing"], row["completion"], row["ratio"]) == ("na", False, None, None)
    # a value reported in a month that is not due is used as any report: 150 of 1200, e = 2/12
    west = cell(results, "2012-02", "west", "screening")
    assert west["status"] == "reported"
    assert west["ratio"] == pytest.approx((150 / 1200) / (2 / 12))


def test_a_quarterly_figure_is_carried_to_the_months_that_are_not_due(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    # March is due: hill reported nothing, so it is missing
    hill = cell(results, "2012-03", "hill", "screening")
    assert (hill["status"], hill["missing"], hill["light"]) == ("missing", True, "grey")
    # April is not due: east's March figure (300) is carried with April's expected progress 4/12
    east = cell(results, "2012-04", "east", "screening")
    assert (east["status"], east["carried_from"], east["missing"]) == ("carried", "2012-03", False)
    assert east["actual"] == pytest.approx(300)
    assert east["expected"] == pytest.approx(4 / 12)
    assert east["completion"] == pytest.approx(300 / 1200)
    assert east["ratio"] == pytest.approx((300 / 1200) / (4 / 12))
    assert east["light"] == "yellow"  # 0.25 ≥ 4/12 − 0.1
    zone = cell(results, "2012-04", "zone", "screening")
    assert (zone["status"], zone["actual"]) == ("carried", pytest.approx(250))
    assert zone["light"] == "red"  # 250/1200 < 4/12 − 0.1
    # west reported again in April: its own figure
    west = cell(results, "2012-04", "west", "screening")
    assert (west["status"], west["actual"], west["carried_from"]) == ("reported", pytest.approx(400), None)
    # hill's March figure is missing, so April has nothing to carry: not due
    hill = cell(results, "2012-04", "hill", "screening")
    assert (hill["status"], hill["light"], hill["missing"]) == ("not_due", "na", False)


def test_scores_with_carried_missing_and_not_due_cells(computed: tuple[Dataset, Results]) -> None:
    dataset, results = computed
    march, april = scores(dataset, results, "2012-03"), scores(dataset, results, "2012-04")
    # March, hill: screening is due and missing, so it counts 0 (missing_value zero); clinics does not apply
    assert march["hill"] == pytest.approx((30 * (85 / 90) + 20 * 1.0 + 10 * 1.0 + 20 * 0.0) / (30 + 20 + 10 + 20))
    # April, hill: screening not due (nothing to carry) is left out, as clinics is
    assert april["hill"] == pytest.approx((30 * (86 / 90) + 20 * 1.0 + 10 * 1.0) / (30 + 20 + 10))
    # April, east: clinics 4/12 on a linear profile, screening carried (300/1200)/(4/12) = 0.75
    assert april["east"] == pytest.approx(
        (30 * (95 / 90) + 20 * 1.0 + 20 * 1.0 + 10 * 1.0 + 20 * 0.75) / (30 + 20 + 20 + 10 + 20)
    )
    # April, zone: enrol 100·47/50 = 94 %, screening carried (250/1200)/(4/12) = 0.625
    assert april["zone"] == pytest.approx((30 * (94 / 90) + 20 * 1.0 + 10 * 1.0 + 20 * 0.625) / (30 + 20 + 10 + 20))


def test_compliance_counts_only_reports_due_and_applicable(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    february = results.compliance.filter(pl.col("month") == "2012-02").rows_by_key("region_id", named=True, unique=True)
    # the zone's only dated row in February is the screening figure, which is not due then: it has not reported
    assert february["zone"]["status"] == "missing"
    assert february["zone"]["submitted_on"] is None
    assert {february[r]["status"] for r in ("east", "west", "hill")} == {"on_time"}


def test_increments_only_for_figures_that_add_up(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    assert cell(results, "2012-03", "west", "screening")["increment"] == pytest.approx(330 - 150)
    assert cell(results, "2012-04", "east", "screening")["increment"] is None  # carried: nothing new
    assert cell(results, "2012-02", "east", "cost_growth")["increment"] is None  # a level does not add up
    assert cell(results, "2012-02", "east", "clinics")["increment"] == pytest.approx(2 - 1)


# --- the city figure by rule ----------------------------------------------------------------------------------


def test_city_rules_by_hand(computed: tuple[Dataset, Results]) -> None:
    _, results = computed
    # pooled rate: 100 · Σ numerators / Σ denominators; target weighted by the denominators
    enrol = city(results, "2012-01", "enrol")
    assert enrol["actual"] == pytest.approx(100 * (92 + 85 + 80 + 45) / (100 + 100 + 100 + 50))
    assert enrol["target"] == pytest.approx(90)
    assert enrol["benchmark"] == pytest.approx(91)
    # sum: the two districts with the task (hill's target 0 and the zone are not applicable)
    clinics = city(results, "2012-01", "clinics")
    assert (clinics["actual"], clinics["target"]) == (pytest.approx(1 + 0), pytest.approx(12 + 6))
    assert (clinics["reported"], clinics["regions"]) == (2, 2)
    assert clinics["completion"] == pytest.approx(1 / 18)
    # weighted by outpatient visits (the denominator column), the ceiling weighted the same way
    visits = {"east": 1000, "west": 500, "hill": 500, "zone": 200}
    growth = {"east": -3.0, "west": -0.5, "hill": 3.15, "zone": 4.5}
    ceilings = {"east": -2.0, "west": 0.0, "hill": 3.0, "zone": 3.0}
    actual = sum(growth[r] * visits[r] for r in visits) / sum(visits.values())
    ceiling = sum(ceilings[r] * visits[r] for r in visits) / sum(visits.values())
    cost = city(results, "2012-01", "cost_growth")
    assert (cost["actual"], cost["target"]) == (pytest.approx(actual), pytest.approx(ceiling))
    assert cost["completion"] == pytest.approx(ceiling_completion(actual, ceiling))
    assert cost["light"] == "green"
    # median of the values against the median of the targets
    avg = city(results, "2012-01", "avg_cost")
    assert avg["actual"] == pytest.approx(statistics.median([95, 130, 99, 180]))
    assert avg["target"] == pytest.approx(statistics.median([100, 120, 110, 150]))
    assert avg["completion"] == pytest.approx(ceiling_completion(114.5, 115))
    balance = city(results, "2012-01", "balance")
    assert balance["actual"] == pytest.approx(statistics.median([6, 5, 4.5, -2]))
    assert (balance["completion"], balance["light"]) == (pytest.approx(4.75 / 5), "yellow")
    # pooled level: Σ bed days / Σ discharges, no ×100
    stay = city(results, "2012-01", "stay")
    assert stay["actual"] == pytest.approx((900 + 1100 + 1000 + 160) / (100 + 100 + 100 + 20))
    assert stay["completion"] == pytest.approx(ceiling_completion(9.875, 10))
    # none: no city figure, the counts kept
    complaints = city(results, "2012-01", "complaints")
    assert (complaints["actual"], complaints["target"], complaints["completion"], complaints["light"]) == (
        None,
        None,
        None,
        None,
    )
    assert (complaints["reported"], complaints["regions"]) == (4, 4)


def test_the_city_leaves_out_missing_and_not_due_cells_and_counts_carried_ones(
    computed: tuple[Dataset, Results],
) -> None:
    _, results = computed
    january = city(results, "2012-01", "screening")
    assert (january["reported"], january["completion"], january["light"]) == (0, None, "na")
    april = city(results, "2012-04", "screening")
    assert (april["reported"], april["carried"], april["regions"]) == (3, 2, 4)
    assert (april["actual"], april["target"]) == (pytest.approx(300 + 400 + 250), pytest.approx(3 * 1200))
    assert april["completion"] == pytest.approx(950 / 3600)
    assert april["light"] == "yellow"  # 0.264 ≥ 4/12 − 0.1
    # the zone reported nothing in February but screening: its enrolment is left out of the pooled rate
    february = city(results, "2012-02", "enrol")
    assert february["reported"] == 3
    assert february["actual"] == pytest.approx(100 * (93 + 86 + 82) / 300)


# --- the year table -------------------------------------------------------------------------------------------


def test_year_standings_count_only_months_with_a_score(computed: tuple[Dataset, Results]) -> None:
    dataset, _ = computed
    months = list(dataset.months)
    by_hand: dict[str, list[float | None]] = {
        "east": [1.0, None, 0.8, None],
        "west": [0.9, 0.7, 0.8, 0.6],
        "hill": [None] * 4,
        "zone": [1.1] * 4,
    }
    frame = pl.DataFrame(
        {
            "month": [m for m in months for _ in by_hand],
            "region_id": list(by_hand) * len(months),
            "region_order": list(range(len(by_hand))) * len(months),
            "score": [by_hand[r][i] for i in range(len(months)) for r in by_hand],
        },
        schema_overrides={"region_order": pl.Int32, "score": pl.Float64},
    )
    year = year_standings(dataset, frame).filter(pl.col("month") == "2012-04")
    rows = year.rows_by_key("region_id", named=True, unique=True)
    assert (rows["east"]["months"], rows["east"]["mean_score"]) == (2, pytest.approx((1.0 + 0.8) / 2))
    assert (rows["west"]["months"], rows["west"]["mean_score"]) == (4, pytest.approx((0.9 + 0.7 + 0.8 + 0.6) / 4))
    assert (rows["hill"]["months"], rows["hill"]["mean_score"], rows["hill"]["rank"]) == (0, None, None)
    assert [rows[r]["rank"] for r in ("zone", "east", "west")] == [1, 2, 3]


def test_monthly_applicable_cells_are_reported_or_missing(valid_copy: Path) -> None:
    result = compute_folder(valid_copy, TODAY)
    assert result.results is not None
    statuses = set(result.results.progress["status"].to_list())
    assert statuses == {"reported", "missing"}
    assert np.all(result.results.progress.filter(pl.col("status") == "missing")["missing"].to_numpy())
