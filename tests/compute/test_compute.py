"""The computed figures agree with hand computation on the small valid fixture."""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl
import pytest

from site_builder.compute import month_ranking
from tests.compute.helpers import cell, computed


def test_progress_of_one_region_by_hand() -> None:
    _, results = computed()
    # east, February: 96 of 100 enrolled against a target rate of 90 %, flat profile (e = 1)
    rate = cell(results, "2011-02", "east", "participation")
    assert rate["actual"] == pytest.approx(96.0)
    assert rate["completion"] == pytest.approx(96 / 90)
    assert rate["expected"] == pytest.approx(1.0)
    assert rate["ratio"] == pytest.approx(96 / 90)
    assert rate["increment"] == pytest.approx(1.0)  # 95 % in January
    assert rate["light"] == "green"
    # 240 screened of 1200, linear profile: e = 2/12
    count = cell(results, "2011-02", "east", "screening")
    assert count["completion"] == pytest.approx(0.2)
    assert count["expected"] == pytest.approx(2 / 12)
    assert count["gap"] == pytest.approx(0.2 - 2 / 12)
    assert count["ratio"] == pytest.approx(1.2)
    assert count["increment"] == pytest.approx(120.0)
    # west screened 180: c = 0.15, within the yellow band of 0.1 below e = 0.1667
    assert cell(results, "2011-02", "west", "screening")["light"] == "yellow"
    # west's pilot value is missing (explained): grey, flagged missing
    missing = cell(results, "2011-02", "west", "pilot")
    assert (missing["light"], missing["missing"], missing["completion"]) == ("grey", True, None)


def test_composite_scores_and_ranks_by_hand() -> None:
    dataset, results = computed()
    february = {row.region_id: row for row in month_ranking(dataset, results, "2011-02")}
    # east: (40·96/90 + 40·min(1.2, 1.2) + 20·1.0) / 100
    assert february["east"].score == pytest.approx((40 * 96 / 90 + 40 * 1.2 + 20 * 1.0) / 100)
    # west: pilot missing scores zero under missing_value: zero
    assert february["west"].score == pytest.approx((40 * 93 / 90 + 40 * 0.9 + 0) / 100)
    # hill: screening 260/1200 / (2/12) = 1.3, capped at 1.2
    assert february["hill"].score == pytest.approx((40 * 92 / 90 + 40 * 1.2 + 20 * 1.0) / 100)
    assert [(r.region_id, r.rank) for r in month_ranking(dataset, results, "2011-02")] == [
        ("east", 1),
        ("hill", 2),
        ("west", 3),
    ]
    assert february["west"].missing_values == 1
    assert february["west"].light == "red"  # 0.773 < 1 − 0.1
    assert february["west"].red_streak == 1  # January's 1.049 was green
    assert february["west"].bottom
    assert not february["west"].summoned  # summoned after 2 red months
    assert {r.rank_change for r in february.values()} == {0}


def test_reporting_compliance() -> None:
    dataset, results = computed()
    february = {row.region_id: row for row in month_ranking(dataset, results, "2011-02")}
    # due on 30 February, that is the 28th; hill reported on 2 March
    assert (february["hill"].compliance, february["hill"].days_late) == ("late", 2)
    assert february["east"].compliance == "on_time"


def test_city_is_pooled_not_averaged() -> None:
    _, results = computed()
    rows = results.city.filter(pl.col("month") == "2011-02").rows_by_key("indicator_id", named=True, unique=True)
    assert rows["participation"]["actual"] == pytest.approx(100 * (96 + 93 + 92) / 300)
    assert rows["participation"]["target"] == pytest.approx(90)
    assert rows["participation"]["benchmark"] == pytest.approx(92)
    assert rows["screening"]["actual"] == pytest.approx(680)
    assert rows["screening"]["completion"] == pytest.approx(680 / 3600)
    # west's missing pilot value is left out, and counted
    assert (rows["pilot"]["reported"], rows["pilot"]["regions"]) == (2, 3)
    assert rows["pilot"]["completion"] == pytest.approx(2 / 12)


def test_funnel_of_a_rate() -> None:
    _, results = computed()
    funnel = results.funnels[("participation", "2011-02")]
    pooled = 281 / 300
    assert funnel.pooled == pytest.approx(pooled)
    z_east = (0.96 - pooled) / math.sqrt(pooled * (1 - pooled) / 100)
    assert funnel.z[0] == pytest.approx(z_east)
    assert list(funnel.flag) == ["within", "within", "within"]


def test_year_to_date_standings() -> None:
    _, results = computed()
    standings = results.year.filter(pl.col("month") == "2011-02").rows_by_key("region_id", named=True, unique=True)
    east = ((40 * 95 / 90 + 48 + 24) / 100 + (40 * 96 / 90 + 48 + 20) / 100) / 2
    assert standings["east"]["mean_score"] == pytest.approx(east)
    assert standings["east"]["commend"]
    assert standings["west"]["penalize"]
    assert not standings["hill"]["commend"]
    assert not standings["east"]["year_end"]


def test_missing_values_can_be_excluded(valid_copy: Path) -> None:
    programme = valid_copy / "programme.yaml"
    programme.write_text(
        programme.read_text(encoding="utf-8").replace("  cap: 1.2\n", "  cap: 1.2\n  missing_value: exclude\n"),
        encoding="utf-8",
    )
    dataset, results = computed(valid_copy)
    west = next(r for r in month_ranking(dataset, results, "2011-02") if r.region_id == "west")
    assert west.score == pytest.approx((40 * 93 / 90 + 40 * 0.9) / 80)


def test_ties_at_the_bottom_line_are_all_in_the_bottom(valid_copy: Path) -> None:
    # west and hill get identical February figures: tied for last place with bottom_n = 1
    west = (valid_copy / "reports/2011-02/west.csv").read_text(encoding="utf-8")
    hill = west.replace(",west,", ",hill,").replace("2011-02-25", "2011-03-02")
    (valid_copy / "reports/2011-02/hill.csv").write_text(hill, encoding="utf-8")
    dataset, results = computed(valid_copy)
    rows = {r.region_id: r for r in month_ranking(dataset, results, "2011-02")}
    assert rows["west"].rank == rows["hill"].rank == 2
    assert rows["west"].bottom
    assert rows["hill"].bottom
    assert not rows["east"].bottom
