"""Rank intervals for the composite score and funnel limits for rate indicators (docs/methodology.md §5–6).

The official composite score of region r is S_r = Σ_i w_i·min(p_ri, cap) / Σ_i w_i, ranked by competition
ranking (1, 2, 2, 4). Its uncertainty is a seeded Monte Carlo over the method's choices (OECD/JRC Handbook on
Constructing Composite Indicators, 2008): each draw perturbs every weight by a factor U(1 − spread, 1 + spread),
switches the cap on or off and aggregates arithmetically or geometrically (floor 0.01), each with probability 1/2,
then ranks the regions. Funnel limits follow Spiegelhalter (Stat Med 2005) with the binomial normal approximation,
widened by the over-dispersion factor √φ when most regions fall outside the 3 SD limits.

Conventions: a cell that does not apply (not applicable, or not due; the `applicable` mask) counts in neither the
numerator nor the weights, under either missing rule. A region without a score (under "exclude": nothing present with a
positive weight; under "zero": nothing applicable with a positive weight) is unranked, in the
official ranking and in every draw, and does not count in n_ranked. In `RankIntervals` it has -1 for the ranks, NaN
for `bottom_share` and `robust` False; `median == -1` is the mask of unranked regions.

Pure functions: no I/O and no clock; the only randomness comes from `numpy.random.default_rng(seed)`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
StrArray = npt.NDArray[np.str_]
MissingRule = Literal["zero", "exclude"]

GEOMETRIC_FLOOR = 0.01  # a zero ratio counts as 0.01 in the geometric mean, so it does not zero the whole score
QUANTILES = (0.05, 0.5, 0.95)  # low (better case), median, high (worse case) rank
_CHUNK_CELLS = 1 << 21  # draws are scored and ranked in chunks of about this many scores (16 MB of float64)


@dataclass(frozen=True)
class RankIntervals:
    """Per region: rank quantiles over the draws, share of draws in the bottom N, and robustness of the verdict."""

    median: IntArray  # -1 where unranked
    low: IntArray  # 5th percentile rank (the better case); -1 where unranked
    high: IntArray  # 95th percentile rank (the worse case); -1 where unranked
    bottom_share: FloatArray  # NaN where unranked
    robust: BoolArray  # False where unranked
    draws: int


@dataclass(frozen=True)
class Funnel:
    """Pooled rate, control limits over a grid of denominators, and each region's z-score and flag."""

    pooled: float  # fraction 0–1; NaN when no region has both a numerator and a positive denominator
    sizes: FloatArray  # denominators at which the limits are given (empty when there is no data)
    lower2: FloatArray
    upper2: FloatArray
    lower3: FloatArray
    upper3: FloatArray
    z: FloatArray  # NaN where missing, or when the pooled rate is 0 or 1; divided by √φ when `adjusted`
    flag: StrArray  # "above3", "above2", "within", "below2", "below3", or "" where missing
    phi: float = 1.0  # over-dispersion factor estimated from the winsorised z-scores (1.0 when not estimable)
    adjusted: bool = False  # limits widened (and z divided) by √phi: most regions fell outside the 3 SD limits


def _prepare(
    ratios: npt.ArrayLike, weights: npt.ArrayLike, cap: float, missing_rule: str, applicable: npt.ArrayLike | None
) -> tuple[FloatArray, FloatArray, BoolArray]:
    p = np.asarray(ratios, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if p.ndim != 2 or w.ndim != 1 or p.shape[1] != w.shape[0]:
        raise ValueError(f"ratios must be regions x indicators and weights one per indicator, got {p.shape}, {w.shape}")
    a = np.ones(p.shape, dtype=bool) if applicable is None else np.asarray(applicable, dtype=bool)
    if a.shape != p.shape:
        raise ValueError(f"applicable must have the shape of ratios, got {a.shape}, {p.shape}")
    p = np.where(a, p, np.nan)  # a cell that does not apply has no ratio
    if not (np.all(np.isfinite(w)) and np.all(w >= 0) and w.sum() > 0):
        raise ValueError("weights must be finite, non-negative and not all zero")
    if np.any(np.isinf(p)) or np.any(p < 0):
        raise ValueError("ratios must be non-negative numbers or NaN (missing)")
    if not cap > 0:
        raise ValueError(f"cap must be positive, got {cap}")
    if missing_rule not in ("zero", "exclude"):
        raise ValueError(f"missing_rule must be 'zero' or 'exclude', got {missing_rule!r}")
    return p, w, a


def composite_scores(
    ratios: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    cap: float,
    missing_rule: MissingRule,
    applicable: npt.ArrayLike | None = None,
) -> FloatArray:
    """Official score per region: Σ w·min(p, cap) / Σ w over the cells that apply (`applicable`, all by
    default); NaN for a region that is unranked (under "exclude" nothing present, under either rule
    nothing that applies, with a positive weight)."""
    p, w, a = _prepare(ratios, weights, cap, missing_rule, applicable)
    present = ~np.isnan(p)
    # Row-wise sums (not a matrix product), so that equal rows give bit-identical scores wherever they are.
    numerator: FloatArray = (np.where(present, np.minimum(p, cap), 0.0) * w).sum(axis=1)
    if missing_rule == "zero" and a.all():
        return numerator / float(w.sum())
    denominator = ((a if missing_rule == "zero" else present) * w).sum(axis=1)
    scores = np.full(p.shape[0], np.nan)
    np.divide(numerator, denominator, out=scores, where=denominator > 0)
    return scores


def _row_ranks(scores: FloatArray) -> IntArray:
    """Competition ranks within each row of a 2-D array: 1 + the number of strictly higher scores (NaN last)."""
    order = np.argsort(-scores, axis=1)  # descending; NaN sorts last
    ordered = np.take_along_axis(scores, order, axis=1)
    starts = np.ones(scores.shape, dtype=bool)  # where a run of equal scores begins in sorted order
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    positions = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
    first = np.maximum.accumulate(np.where(starts, positions, 0), axis=1)
    ranks = np.empty(scores.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, first + 1, axis=1)
    return ranks


def competition_ranks(scores: npt.ArrayLike) -> FloatArray:
    """Competition ranks ("1224"), higher score first, as floats with NaN for NaN scores; a 2-D array per row."""
    x = np.asarray(scores, dtype=np.float64)
    if x.ndim not in (1, 2):
        raise ValueError(f"scores must be 1-D or 2-D, got {x.ndim}-D")
    rows = x.reshape(1, -1) if x.ndim == 1 else x
    ranks = _row_ranks(rows).astype(np.float64)
    ranks[np.isnan(rows)] = np.nan
    return ranks.reshape(x.shape)


def _draw_ranks(
    p: FloatArray,
    applicable: BoolArray,
    draw_weights: FloatArray,
    variant: IntArray,
    *,
    cap: float,
    missing_rule: MissingRule,
) -> npt.NDArray[np.int32]:
    """Ranks (draws x regions) of ranked regions `p` under each draw's weights and variant (2·geometric + capped);
    a cell that does not apply counts in neither the sum nor the weights, under either missing rule."""
    # A BLAS product may round two identical rows differently (its kernels treat edge rows apart), which would
    # break their tie at random. Each distinct row is therefore scored once and its score copied to its twins.
    # ratios are >= 0, so -1 marks "missing" and -2 "does not apply"; + 0.0 turns -0.0 into 0.0
    key = np.where(applicable, np.where(np.isnan(p), -1.0, p + 0.0), -2.0)
    distinct, inverse = np.unique(key, axis=0, return_inverse=True)
    twins = distinct.shape[0] < p.shape[0]
    if twins:
        p = np.where(distinct < 0, np.nan, distinct)
        applicable = distinct != -2.0
    present = ~np.isnan(p)
    values = np.where(present, p, 0.0)
    capped = np.minimum(values, cap)
    # "zero": a missing p = 0 -> floor; a cell that does not apply adds nothing
    dropped = np.where(applicable, 0.0 if missing_rule == "exclude" else np.log(GEOMETRIC_FLOOR), 0.0)
    logs = np.where(present, np.log(np.maximum(values, GEOMETRIC_FLOOR)), dropped)
    capped_logs = np.where(present, np.log(np.maximum(capped, GEOMETRIC_FLOOR)), dropped)
    # Indicators x regions, indexed by variant: arithmetic uncapped, capped, geometric uncapped, capped.
    terms = [np.ascontiguousarray(t.T) for t in (values, capped, logs, capped_logs)]
    counted = present if missing_rule == "exclude" else applicable
    presence = np.ascontiguousarray(counted.T, dtype=np.float64)
    dropping = not counted.all()
    draws, regions = draw_weights.shape[0], key.shape[0]
    ranks = np.empty((draws, regions), dtype=np.int32)
    chunk = max(1, _CHUNK_CELLS // max(regions, 1))
    for start in range(0, draws, chunk):  # bounds memory; every draw of a chunk is handled at once
        w = draw_weights[start : start + chunk]
        kind = variant[start : start + chunk]
        scores = np.empty((w.shape[0], p.shape[0]))
        for k, term in enumerate(terms):
            rows = np.flatnonzero(kind == k)
            if rows.size:
                scores[rows] = w[rows] @ term
        scores /= (w @ presence) if dropping else w.sum(axis=1, keepdims=True)
        geometric = np.flatnonzero(kind >= 2)
        scores[geometric] = np.exp(scores[geometric])
        ranks[start : start + chunk] = _row_ranks(scores[:, inverse.reshape(-1)] if twins else scores)
    return ranks


def rank_intervals(
    ratios: npt.ArrayLike,
    weights: npt.ArrayLike,
    *,
    cap: float,
    missing_rule: MissingRule,
    bottom_n: int,
    draws: int,
    seed: Sequence[int],
    weight_spread: float,
    applicable: npt.ArrayLike | None = None,
) -> RankIntervals:
    """Monte Carlo rank intervals; the same inputs and seed give identical results.

    Random numbers are taken in this order: weight factors (draws x indicators), cap switch (draws), aggregation
    switch (draws). Cells outside `applicable` (all by default) count nowhere.
    The bottom N are the ranks ≥ n_ranked − N + 1. An official bottom-N region is robust iff its low
    (5th percentile) rank is still in the bottom N; any other ranked region iff its high (95th) rank is not.
    """
    p, w, a = _prepare(ratios, weights, cap, missing_rule, applicable)
    if bottom_n < 0 or draws < 1 or not 0 <= weight_spread < 1:
        raise ValueError("need bottom_n >= 0, draws >= 1 and 0 <= weight_spread < 1")
    official = composite_scores(p, w, cap=cap, missing_rule=missing_rule, applicable=a)
    ranked = ~np.isnan(official)
    n_ranked = int(ranked.sum())
    cutoff = n_ranked - bottom_n + 1

    rng = np.random.default_rng(list(seed))
    factors = rng.uniform(1.0 - weight_spread, 1.0 + weight_spread, size=(draws, w.shape[0]))
    capped = rng.random(draws) < 0.5
    geometric = rng.random(draws) < 0.5
    variant = 2 * geometric.astype(np.int64) + capped
    ranks = _draw_ranks(p[ranked], a[ranked], factors * w, variant, cap=cap, missing_rule=missing_rule)

    regions = p.shape[0]
    median, low, high = (np.full(regions, -1, dtype=np.int64) for _ in range(3))
    bottom_share = np.full(regions, np.nan)
    robust = np.zeros(regions, dtype=bool)
    if n_ranked:
        quantiles = np.quantile(ranks, QUANTILES, axis=0, method="inverted_cdf").astype(np.int64)
        low[ranked], median[ranked], high[ranked] = quantiles
        bottom_share[ranked] = (ranks >= cutoff).mean(axis=0)
        in_bottom = competition_ranks(official[ranked]) >= cutoff
        robust[ranked] = np.where(in_bottom, quantiles[0] >= cutoff, quantiles[2] < cutoff)
    return RankIntervals(median=median, low=low, high=high, bottom_share=bottom_share, robust=robust, draws=draws)


WINSOR = (0.1, 0.9)  # z-scores are winsorised at these quantiles before φ is estimated (Spiegelhalter 2005)


def overdispersion(z: npt.ArrayLike) -> float:
    """Multiplicative over-dispersion factor φ = mean of the squared z-scores, each z first winsorised at the 10th
    and 90th percentiles (Spiegelhalter 2005, §7): z below the 10th percentile counts as the 10th percentile, above
    the 90th as the 90th. NaN z-scores are left out; NaN when none is left."""
    scores = np.asarray(z, dtype=np.float64)
    scores = scores[np.isfinite(scores)]
    if scores.size == 0:
        return float("nan")
    low, high = np.quantile(scores, WINSOR)
    return float(np.mean(np.clip(scores, low, high) ** 2))


def funnel(numerators: npt.ArrayLike, denominators: npt.ArrayLike, *, points: int = 60) -> Funnel:
    """Funnel plot for a rate indicator: p̄ = Σ numerators / Σ denominators, limits p̄ ± k·sqrt(φ·p̄(1 − p̄)/n).

    A region counts when both values are present and the denominator is positive. φ is 1 unless more than half of
    the regions with a z-score lie outside the 3 SD limits and the over-dispersion factor estimated from their
    winsorised z-scores (`overdispersion`) exceeds 1: then the limits are widened by √φ and z divided by √φ
    (`adjusted`). Flags come from z with strict inequalities (a rate exactly on a limit is "within"); limits are
    clipped to [0, 1], z is not.
    """
    num = np.asarray(numerators, dtype=np.float64)
    den = np.asarray(denominators, dtype=np.float64)
    if num.ndim != 1 or num.shape != den.shape:
        raise ValueError(f"numerators and denominators must be 1-D of equal length, got {num.shape}, {den.shape}")
    if points < 2:
        raise ValueError(f"points must be at least 2, got {points}")
    pairs = np.isfinite(num) & np.isfinite(den)
    if np.any(pairs & ((num < 0) | (den < 0) | (num > den))):
        raise ValueError("numerators and denominators must satisfy 0 <= numerator <= denominator")
    valid = pairs & (den > 0)
    z = np.full(num.shape, np.nan)
    flag = np.full(num.shape, "", dtype="<U6")
    if not valid.any():
        empty = np.empty(0)
        return Funnel(np.nan, empty, empty, empty, empty, empty, z, flag)

    pooled = float(num[valid].sum() / den[valid].sum())
    sizes = np.geomspace(den[valid].min(), den[valid].max(), points)
    variance = pooled * (1.0 - pooled)
    phi, adjusted = 1.0, False
    if 0.0 < pooled < 1.0:
        z[valid] = (num[valid] / den[valid] - pooled) / np.sqrt(variance / den[valid])
        estimated = overdispersion(z[valid])
        phi = estimated if math.isfinite(estimated) else 1.0
        adjusted = 2 * int((np.abs(z[valid]) > 3).sum()) > int(valid.sum()) and phi > 1.0
        if adjusted:
            z[valid] /= math.sqrt(phi)
    sd = np.sqrt((phi if adjusted else 1.0) * variance / sizes)
    lower2, upper2, lower3, upper3 = (np.clip(pooled + k * sd, 0.0, 1.0) for k in (-2.0, 2.0, -3.0, 3.0))
    flag[valid] = "within"
    for label, outside in (("above2", z > 2), ("above3", z > 3), ("below2", z < -2), ("below3", z < -3)):
        flag[outside] = label
    return Funnel(pooled, sizes, lower2, upper2, lower3, upper3, z, flag, phi, adjusted)
