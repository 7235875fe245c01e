"""Properties of the ranking over real files: row order, monotonicity, pooling."""

from __future__ import annotations

import functools
import random
import shutil
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.commands.check import compute_folder
from site_builder.compute import Computed, month_ranking
from tests.computed import computed
from tests.conftest import REPO, TODAY, VALID

SLOW = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _ranks(folder: Path, month: str, result: Computed | None = None) -> dict[str, tuple[float | None, int | None]]:
    result = result or compute_folder(folder, TODAY)
    assert result.dataset is not None, result.validated.findings
    assert result.results is not None
    return {r.region_id: (r.score, r.rank) for r in month_ranking(result.dataset, result.results, month)}


@functools.cache
def _valid_ranks(month: str) -> dict[str, tuple[float | None, int | None]]:
    """The unchanged valid fixture's ranks, computed once: each example compares against them."""
    return _ranks(VALID, month, computed(VALID))


def _shuffle_rows(path: Path, rng: random.Random) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    body = lines[1:]
    rng.shuffle(body)
    path.write_text("\n".join([lines[0], *body]) + "\n", encoding="utf-8")


@SLOW
@given(seed=st.integers(0, 10_000))
def test_the_row_order_of_the_input_does_not_change_the_result(seed: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(VALID, data)
        for name in ["targets.csv", "benchmarks.csv", "assignments.csv", *[f"reports/2011-0{m}" for m in (1, 2)]]:
            for path in sorted((data / name).glob("*.csv")) if (data / name).is_dir() else [data / name]:
                _shuffle_rows(path, rng)
        assert _ranks(data, "2011-02") == _valid_ranks("2011-02")


@SLOW
@given(region=st.sampled_from(["east", "west", "hill"]), extra=st.integers(1, 2000))
def test_raising_a_value_never_worsens_the_rank(region: str, extra: int) -> None:
    before = _valid_ranks("2011-02")[region][1]
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(VALID, data)
        report = data / "reports" / "2011-02" / f"{region}.csv"
        rows = report.read_text(encoding="utf-8").splitlines()
        for index, line in enumerate(rows):
            cells = line.split(",")
            if cells[2] == "screening":
                cells[3] = str(int(cells[3]) + extra)
                rows[index] = ",".join(cells)
        report.write_text("\n".join(rows) + "\n", encoding="utf-8")
        after = _ranks(data, "2011-02")[region][1]
    assert after is not None
    assert before is not None
    assert after <= before


def test_tied_regions_share_a_rank_and_the_next_rank_skips(valid_copy: Path) -> None:
    # make hill's February report the same figures as east's
    east = (valid_copy / "reports/2011-02/east.csv").read_text(encoding="utf-8")
    (valid_copy / "reports/2011-02/hill.csv").write_text(east.replace(",east,", ",hill,"), encoding="utf-8")
    ranks = _ranks(valid_copy, "2011-02")
    assert ranks["east"][1] == ranks["hill"][1] == 1
    assert ranks["west"][1] == 3


def test_the_pooled_city_rate_lies_between_the_districts_rates() -> None:
    for folder in (REPO / "data", REPO / "examples" / "zaozhuang"):
        result = computed(folder)
        assert result.results is not None
        rows = result.results.progress.filter(pl.col("kind") == "rate")
        bounds = rows.group_by("month", "indicator_id").agg(
            pl.col("actual").min().alias("low"), pl.col("actual").max().alias("high")
        )
        city = result.results.city.filter(pl.col("kind") == "rate").join(bounds, on=["month", "indicator_id"])
        assert len(city) > 0
        assert city.filter(
            (pl.col("actual") < pl.col("low") - 1e-9) | (pl.col("actual") > pl.col("high") + 1e-9)
        ).is_empty()
