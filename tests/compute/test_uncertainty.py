"""Composite scores, competition ranks, Monte Carlo rank intervals and funnel limits (docs/methodology.md §4–6)."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.compute.uncertainty import (
    MissingRule,
    RankIntervals,
    competition_ranks,
    composite_scores,
    funnel,
    overdispersion,
    rank_intervals,
)

NAN = math.nan
RULES = st.sampled_from(["zero", "exclude"])
CAPS = st.sampled_from([0.8, 1.0, 1.2, math.inf])
FAST = settings(max_examples=60, deadline=None)

Problem = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]


@st.composite
def problems(draw: st.DrawFn, max_regions: int = 8, max_indicators: int = 4) -> Problem:
    """A small ratio matrix (with ties, zeros, values above the cap and missing cells) and its weights."""
    regions = draw(st.integers(1, max_regions))
    indicators = draw(st.integers(1, max_indicators))
    cell = st.sampled_from([0.0, 0.3, 0.5, 1.0, 1.5, NAN]) | st.floats(0.0, 3.0, allow_subnormal=False)
    rows = st.lists(cell, min_size=indicators, max_size=indicators)
    ratios = np.array(draw(st.lists(rows, min_size=regions, max_size=regions)), dtype=np.float64)
    weight = st.sampled_from([0.0, 1.0, 2.0, 5.0]) | st.floats(0.1, 10.0)
    weights = np.array(draw(st.lists(weight, min_size=indicators, max_size=indicators)), dtype=np.float64)
    weights[0] = max(weights[0], 1.0)  # not all zero
    return ratios, weights


# --- by hand -------------------------------------------------------------------------------------------------


def test_composite_scores_by_hand() -> None:
    ratios = np.array([[0.5, 1.5], [1.0, NAN], [NAN, NAN]])
    weights = np.array([1.0, 3.0])
    # zero, cap 1.2:  (1·0.5 + 3·min(1.5, 1.2)) / 4 = 4.1/4 = 1.025;  (1·1.0 + 3·0) / 4 = 0.25;  0
    zero = composite_scores(ratios, weights, cap=1.2, missing_rule="zero")
    np.testing.assert_allclose(zero, [1.025, 0.25, 0.0])
    # zero, no cap:   (1·0.5 + 3·1.5) / 4 = 5/4 = 1.25
    np.testing.assert_allclose(composite_scores(ratios, weights, cap=math.inf, missing_rule="zero"), [1.25, 0.25, 0.0])
    # exclude, cap 1.2: 1.025 as above;  1·1.0 / 1 = 1.0 (weights renormalized);  nothing present -> NaN
    exclude = composite_scores(ratios, weights, cap=1.2, missing_rule="exclude")
    np.testing.assert_allclose(exclude, [1.025, 1.0, NAN])
    # exclude, cap 0.8: (1·0.5 + 3·0.8) / 4 = 2.9/4 = 0.725;  min(1.0, 0.8) = 0.8
    np.testing.assert_allclose(composite_scores(ratios, weights, cap=0.8, missing_rule="exclude"), [0.725, 0.8, NAN])


def test_composite_scores_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="weights"):
        composite_scores(np.ones((2, 2)), np.zeros(2), cap=1.0, missing_rule="zero")
    with pytest.raises(ValueError, match="ratios"):
        composite_scores(np.array([[-1.0]]), np.ones(1), cap=1.0, missing_rule="zero")


def test_competition_ranks_by_hand() -> None:
    # 9 > 7 = 7 > 2: ranks 1, 2, 2, 4 (1 + number of strictly higher scores)
    np.testing.assert_array_equal(competition_ranks(np.array([9.0, 7.0, 7.0, 2.0])), [1, 2, 2, 4])
    # 5 = 5 > 3 > 1, NaN unranked: 3 -> 3, 5 -> 1, 5 -> 1, 1 -> 4
    np.testing.assert_array_equal(competition_ranks(np.array([3.0, 5.0, 5.0, 1.0, NAN])), [3, 1, 1, 4, NAN])
    rows = competition_ranks(np.array([[2.0, 7.0, 7.0, 9.0], [1.0, 1.0, NAN, 1.0]]))
    np.testing.assert_array_equal(rows, [[4, 2, 2, 1], [1, 1, NAN, 1]])


def test_funnel_by_hand() -> None:
    numerators = np.array([5.0, 71.0, 35.0, NAN, 29.0, 0.0])
    denominators = np.array([100.0, 400.0, 100.0, 50.0, 100.0, 0.0])
    result = funnel(numerators, denominators, points=3)
    # pooled = (5 + 71 + 35 + 29) / (100 + 400 + 100 + 100) = 140 / 700 = 0.2 (missing and n = 0 left out)
    assert result.pooled == pytest.approx(0.2)
    # sizes geometric from 100 to 400; at n = 100 sd = sqrt(0.2·0.8/100) = 0.04, at n = 400 sd = 0.02
    np.testing.assert_allclose(result.sizes, [100.0, 200.0, 400.0])
    np.testing.assert_allclose(result.lower2[[0, 2]], [0.2 - 0.08, 0.2 - 0.04])
    np.testing.assert_allclose(result.upper2[[0, 2]], [0.2 + 0.08, 0.2 + 0.04])
    np.testing.assert_allclose(result.lower3[[0, 2]], [0.2 - 0.12, 0.2 - 0.06])
    np.testing.assert_allclose(result.upper3[[0, 2]], [0.2 + 0.12, 0.2 + 0.06])
    # z: (0.05 − 0.2)/0.04 = −3.75; (0.1775 − 0.2)/0.02 = −1.125; (0.35 − 0.2)/0.04 = 3.75; (0.29 − 0.2)/0.04 = 2.25
    np.testing.assert_allclose(result.z, [-3.75, -1.125, 3.75, NAN, 2.25, NAN])
    assert result.flag.tolist() == ["below3", "within", "above3", "", "above2", ""]
    # 2 of the 4 regions are outside the 3 SD limits: not most, so the limits are not widened
    assert not result.adjusted


def test_overdispersion_winsorises_at_10_and_90_percent() -> None:
    z = np.array([-6.0, -1.0, 0.0, 1.0, 2.0, NAN])
    # 5 finite z sorted: −6, −1, 0, 1, 2; the 10th percentile lies 0.4 of the way from −6 to −1 (−4.0),
    # the 90th 0.6 of the way from 1 to 2 (1.6): winsorised −4, −1, 0, 1, 1.6
    phi = (16.0 + 1.0 + 0.0 + 1.0 + 1.6**2) / 5
    assert overdispersion(z) == pytest.approx(phi)
    assert math.isnan(overdispersion(np.array([NAN])))


def test_funnel_widens_its_limits_when_most_regions_fall_outside() -> None:
    numerators = np.array([5.0, 15.0, 30.0, 45.0, 55.0])
    denominators = np.full(5, 100.0)
    result = funnel(numerators, denominators, points=2)
    pooled = 150 / 500
    sd = math.sqrt(pooled * (1 - pooled) / 100)
    z = (numerators / 100 - pooled) / sd  # ±5.46, ±3.27 and 0: 4 of 5 beyond 3 SD
    assert np.sum(np.abs(z) > 3) == 4
    # winsorised at the 10th and 90th percentiles (linear between the sorted z): 0.4 of the way from z[0] to z[1]
    low = z[0] + 0.4 * (z[1] - z[0])
    high = z[3] + 0.6 * (z[4] - z[3])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    assert phi == pytest.approx(2 * (low**2 + z[3] ** 2) / 5)
    assert result.adjusted
    assert result.phi == pytest.approx(phi)
    # the limits are p̄ ± k·√φ·sd, z is divided by √φ and the flags follow the widened limits
    np.testing.assert_allclose(result.upper2, [pooled + 2 * math.sqrt(phi) * sd] * 2)
    np.testing.assert_allclose(result.upper3, [pooled + 3 * math.sqrt(phi) * sd] * 2)
    assert pooled - 2 * math.sqrt(phi) * sd < 0
    np.testing.assert_allclose(result.lower2, [0.0, 0.0])  # clipped at 0
    np.testing.assert_allclose(result.z, z / math.sqrt(phi))
    assert result.flag.tolist() == ["within"] * 5  # |z| / √φ ≤ 5.46 / 3.56 < 2


def test_funnel_edge_cases() -> None:
    none = funnel(np.array([NAN, 3.0]), np.array([10.0, NAN]))
    assert math.isnan(none.pooled)
    assert none.sizes.size == 0
    assert none.flag.tolist() == ["", ""]
    zero = funnel(np.array([0.0, 0.0]), np.array([10.0, 20.0]), points=5)
    assert zero.pooled == 0.0
    assert zero.sizes.size == 5
    assert np.all(zero.upper3 == 0.0)
    assert np.isnan(zero.z).all()
    assert zero.flag.tolist() == ["within", "within"]
    with pytest.raises(ValueError, match="numerator"):
        funnel(np.array([11.0]), np.array([10.0]))


def test_rank_intervals_by_hand() -> None:
    # Officially B = (0.2 + 1.05·1.0)/2.05 ≈ 0.610 beats A = (1.0 + 1.05·0.2)/2.05 ≈ 0.590, and C is last. With
    # spread 0.3 the two weights often swap order, so A and B trade ranks 1 and 2; C stays 3; D is unranked.
    ratios = np.array([[1.0, 0.2], [0.2, 1.0], [0.05, 0.05], [NAN, NAN]])
    weights = np.array([1.0, 1.05])

    def intervals(bottom_n: int) -> RankIntervals:
        return rank_intervals(
            ratios, weights, cap=1.2, missing_rule="exclude", bottom_n=bottom_n, draws=400, seed=[7], weight_spread=0.3
        )

    last = intervals(1)
    np.testing.assert_array_equal(last.low, [1, 1, 3, -1])
    np.testing.assert_array_equal(last.high, [2, 2, 3, -1])
    np.testing.assert_array_equal(last.bottom_share[:3], [0.0, 0.0, 1.0])
    assert math.isnan(last.bottom_share[3])
    assert last.robust.tolist() == [True, True, True, False]  # bottom 1 = rank ≥ 3: C always, A and B never
    two = intervals(2)
    assert two.robust.tolist() == [False, False, True, False]  # bottom 2 = rank ≥ 2: A and B swap in and out
    assert 0.0 < two.bottom_share[1] < two.bottom_share[0] < 1.0
    assert two.draws == 400


def test_cells_that_do_not_apply_count_nowhere_by_hand() -> None:
    ratios = np.array([[0.5, 1.5, 0.9], [1.0, NAN, NAN], [NAN, NAN, NAN]])
    weights = np.array([1.0, 3.0, 2.0])
    applicable = np.array([[True, True, False], [True, False, True], [False, False, False]])
    # zero, cap 1.2: (1·0.5 + 3·1.2) / 4 = 1.025 (the third cell left out, and its weight);
    # (1·1.0 + 3·0 left out + 2·0 missing) / (1 + 2) = 1/3; nothing applies -> NaN (unranked)
    zero = composite_scores(ratios, weights, cap=1.2, missing_rule="zero", applicable=applicable)
    np.testing.assert_allclose(zero, [1.025, 1 / 3, NAN])
    # exclude: the same first row; 1·1.0 / 1 = 1.0; NaN
    exclude = composite_scores(ratios, weights, cap=1.2, missing_rule="exclude", applicable=applicable)
    np.testing.assert_allclose(exclude, [1.025, 1.0, NAN])
    # all applicable is the default
    everything = np.ones(ratios.shape, dtype=bool)
    np.testing.assert_array_equal(
        composite_scores(ratios, weights, cap=1.2, missing_rule="zero", applicable=everything),
        composite_scores(ratios, weights, cap=1.2, missing_rule="zero"),
    )


@pytest.mark.parametrize("rule", ["zero", "exclude"])
def test_rank_intervals_leave_out_cells_that_do_not_apply(rule: MissingRule) -> None:
    # A (1.0 and a cell that does not apply) ties with B (1.0, 1.0) in every draw, arithmetic or geometric,
    # capped or not, and so does D, A's twin: they share rank 1, and C (0.5, 0.5) is always 4th. Counted as
    # missing under "zero", A's second cell would score 0 (arithmetic) or 0.01 (geometric) instead.
    ratios = np.array([[1.0, 7.0], [1.0, 1.0], [0.5, 0.5], [1.0, 7.0]])  # 7.0 does not apply and must not count
    applicable = np.array([[True, False], [True, True], [True, True], [True, False]])
    weights = np.array([1.0, 2.0])

    def run(values: npt.NDArray[np.float64]) -> RankIntervals:
        return rank_intervals(
            values,
            weights,
            cap=1.2,
            missing_rule=rule,
            bottom_n=1,
            draws=200,
            seed=[3],
            weight_spread=0.4,
            applicable=applicable,
        )

    result = run(ratios)
    np.testing.assert_array_equal(result.low, [1, 1, 4, 1])
    np.testing.assert_array_equal(result.high, [1, 1, 4, 1])
    np.testing.assert_array_equal(result.bottom_share, [0.0, 0.0, 1.0, 0.0])
    other = ratios.copy()
    other[[0, 3], 1] = [NAN, 0.0]  # whatever a cell that does not apply holds
    again = run(other)
    for field in ("median", "low", "high", "bottom_share", "robust"):
        np.testing.assert_array_equal(getattr(result, field), getattr(again, field))


# --- properties ----------------------------------------------------------------------------------------------


@FAST
@given(problem=problems(), rule=RULES, cap=CAPS, data=st.data())
def test_official_ranks_follow_a_permutation_of_the_regions(
    problem: Problem, rule: MissingRule, cap: float, data: st.DataObject
) -> None:
    ratios, weights = problem
    order = np.array(data.draw(st.permutations(range(ratios.shape[0]))), dtype=np.int64)
    ranks = competition_ranks(composite_scores(ratios, weights, cap=cap, missing_rule=rule))
    permuted = competition_ranks(composite_scores(ratios[order], weights, cap=cap, missing_rule=rule))
    np.testing.assert_array_equal(permuted, ranks[order])


@FAST
@given(scores=st.lists(st.sampled_from([0.0, 0.5, 1.0, 2.5, NAN]) | st.floats(-5, 5), min_size=1, max_size=12))
def test_tied_scores_share_a_rank_and_the_next_rank_skips(scores: list[float]) -> None:
    values = np.array(scores)
    ranks = competition_ranks(values)
    numbers = values[~np.isnan(values)]
    assert np.isnan(ranks[np.isnan(values)]).all()
    for value, rank in zip(values, ranks, strict=True):
        if not math.isnan(value):
            assert rank == 1 + np.sum(numbers > value)  # equal scores get the same rank
    distinct = np.unique(numbers)[::-1]  # best first
    counts = [int(np.sum(numbers == v)) for v in distinct]
    expected = [1 + sum(counts[:k]) for k in range(len(counts))]  # after a tie of k the next rank is k higher
    assert [ranks[values == v][0] for v in distinct] == expected
    np.testing.assert_array_equal(competition_ranks(values[None, :])[0], ranks)  # rows of a 2-D array alike


@FAST
@given(problem=problems(), rule=RULES, cap=CAPS, data=st.data())
def test_raising_a_ratio_never_worsens_the_official_rank(
    problem: Problem, rule: MissingRule, cap: float, data: st.DataObject
) -> None:
    ratios, weights = problem
    region = data.draw(st.integers(0, ratios.shape[0] - 1))
    indicator = data.draw(st.integers(0, ratios.shape[1] - 1))
    raised = ratios.copy()
    before = ratios[region, indicator]
    base = 0.0 if math.isnan(before) and rule == "zero" else before  # under "exclude" a missing cell stays missing
    raised[region, indicator] = base + data.draw(st.floats(0.0, 2.0))
    old = competition_ranks(composite_scores(ratios, weights, cap=cap, missing_rule=rule))[region]
    new = competition_ranks(composite_scores(raised, weights, cap=cap, missing_rule=rule))[region]
    assert new <= old or (math.isnan(new) and math.isnan(old))


@settings(max_examples=40, deadline=None)
@given(problem=problems(), rule=RULES, cap=CAPS, bottom_n=st.integers(0, 4), spread=st.sampled_from([0.0, 0.2, 0.5]))
def test_intervals_are_ordered_bounded_and_reproducible(
    problem: Problem, rule: MissingRule, cap: float, bottom_n: int, spread: float
) -> None:
    ratios, weights = problem

    def run(seed: list[int]) -> RankIntervals:
        return rank_intervals(
            ratios, weights, cap=cap, missing_rule=rule, bottom_n=bottom_n, draws=30, seed=seed, weight_spread=spread
        )

    result = run([2011, 3])
    again = run([2011, 3])
    for field in ("median", "low", "high", "bottom_share", "robust"):
        np.testing.assert_array_equal(getattr(result, field), getattr(again, field))
    ranked = ~np.isnan(composite_scores(ratios, weights, cap=cap, missing_rule=rule))
    n_ranked = int(ranked.sum())
    low, median, high = result.low[ranked], result.median[ranked], result.high[ranked]
    assert np.all((low >= 1) & (low <= median) & (median <= high) & (high <= n_ranked))
    share = result.bottom_share[ranked]
    assert np.all((share >= 0) & (share <= 1))
    unranked = ~ranked
    assert np.all(result.low[unranked] == -1)
    assert np.all(result.high[unranked] == -1)
    assert np.isnan(result.bottom_share[unranked]).all()
    assert not result.robust[unranked].any()


def test_a_different_seed_may_give_different_intervals() -> None:
    ratios = np.random.default_rng(5).uniform(0.2, 1.5, size=(30, 6))
    weights = np.array([1.0, 2.0, 3.0, 1.0, 2.0, 3.0])

    def shares(seed: int) -> npt.NDArray[np.float64]:
        result = rank_intervals(
            ratios, weights, cap=1.2, missing_rule="zero", bottom_n=5, draws=200, seed=[seed], weight_spread=0.3
        )
        return result.bottom_share

    assert not np.array_equal(shares(1), shares(2))


LEVELS = [0.05 * k for k in range(1, 41)]  # from 0.05 to 2.0, all above the geometric floor


@FAST
@given(
    levels=st.lists(st.sampled_from(LEVELS), min_size=1, max_size=30),
    indicators=st.integers(1, 40),  # sizes at which a BLAS product can round equal rows apart
    rule=RULES,
    bottom_n=st.integers(0, 3),
    data=st.data(),
)
def test_without_weight_spread_agreeing_variants_give_the_official_rank(
    levels: list[float], indicators: int, rule: MissingRule, bottom_n: int, data: st.DataObject
) -> None:
    # Every region has the same ratio on every indicator and all ratios are within the cap, so the arithmetic and
    # geometric means, capped or not, all equal that ratio: every draw ranks like the official ranking.
    ratios = np.repeat(np.array(levels)[:, None], indicators, axis=1)
    if len(set(levels)) == len(levels) and rule == "exclude":  # missing cells keep distinct levels apart
        mask = data.draw(st.lists(st.booleans(), min_size=ratios.size, max_size=ratios.size))
        ratios[np.array(mask).reshape(ratios.shape)] = NAN
    weights = np.array(data.draw(st.lists(st.floats(0.5, 5.0), min_size=indicators, max_size=indicators)))
    official = competition_ranks(composite_scores(ratios, weights, cap=2.0, missing_rule=rule))
    result = rank_intervals(
        ratios, weights, cap=2.0, missing_rule=rule, bottom_n=bottom_n, draws=40, seed=[1], weight_spread=0.0
    )
    expected = np.where(np.isnan(official), -1, official).astype(np.int64)
    np.testing.assert_array_equal(result.low, expected)
    np.testing.assert_array_equal(result.median, expected)
    np.testing.assert_array_equal(result.high, expected)
    ranked = ~np.isnan(official)
    assert result.robust[ranked].all()  # a zero-width interval never crosses the cutoff


COUNTS = st.lists(st.tuples(st.integers(0, 1000), st.integers(1, 1000)), min_size=1, max_size=12)


@FAST
@given(pairs=COUNTS, points=st.integers(2, 80))
def test_funnel_pooled_rate_and_limits_are_ordered(pairs: list[tuple[int, int]], points: int) -> None:
    denominators = np.array([d for _, d in pairs], dtype=np.float64)
    numerators = np.array([min(n, d) for n, d in pairs], dtype=np.float64)
    result = funnel(numerators, denominators, points=points)
    rates = numerators / denominators
    assert rates.min() <= result.pooled <= rates.max()
    assert result.sizes.size == points
    assert result.sizes[0] == pytest.approx(denominators.min())
    assert result.sizes[-1] == pytest.approx(denominators.max())
    p = result.pooled
    assert np.all(result.lower3 <= result.lower2)
    assert np.all(result.lower2 <= p)
    assert np.all(p <= result.upper2)
    assert np.all(result.upper2 <= result.upper3)
    assert np.all((result.lower3 >= 0) & (result.upper3 <= 1))
    assert all(flag in {"above3", "above2", "within", "below2", "below3"} for flag in result.flag)
