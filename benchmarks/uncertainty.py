"""Time the Monte Carlo rank intervals and the funnel limits at national scale (site_builder/compute/uncertainty.py).

Run `python benchmarks/uncertainty.py [--regions N] [--indicators N] [--months N] [--draws N]`; prints JSON.
The inputs are random but seeded, so every run measures the same work.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.compute.uncertainty import funnel, rank_intervals  # noqa: E402

SEED = 2011
MISSING_SHARE = 0.03


def measure(regions: int = 3000, indicators: int = 50, months: int = 12, draws: int = 1000) -> dict[str, float]:
    """Seconds for `rank_intervals` per month and `funnel` per indicator-month, and the process's peak memory."""
    rng = np.random.default_rng(SEED)
    weights = rng.integers(1, 11, size=indicators).astype(np.float64)
    ratios = rng.lognormal(0.0, 0.35, size=(months, regions, indicators))
    ratios[rng.random(ratios.shape) < MISSING_SHARE] = np.nan
    denominators = rng.integers(20, 5000, size=(months, indicators, regions)).astype(np.float64)
    numerators = rng.binomial(denominators.astype(np.int64), rng.uniform(0.3, 0.95, size=(months, indicators, 1)))
    numerators = numerators.astype(np.float64)
    numerators[rng.random(numerators.shape) < MISSING_SHARE] = np.nan

    start = time.perf_counter()
    for month in range(months):
        rank_intervals(
            ratios[month],
            weights,
            cap=1.2,
            missing_rule="exclude",
            bottom_n=10,
            draws=draws,
            seed=[SEED, month + 1],
            weight_spread=0.25,
        )
    intervals = time.perf_counter() - start

    start = time.perf_counter()
    for month in range(months):
        for indicator in range(indicators):
            funnel(numerators[month, indicator], denominators[month, indicator])
    funnels = time.perf_counter() - start

    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "regions": float(regions),
        "indicators": float(indicators),
        "months": float(months),
        "draws": float(draws),
        "rank_intervals_seconds": intervals,
        "rank_intervals_seconds_per_month": intervals / months,
        "funnel_seconds": funnels,
        "funnel_seconds_per_indicator_month": funnels / (months * indicators),
        "total_seconds": intervals + funnels,
        "peak_rss_mib": peak_kib / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    result = measure(regions=args.regions, indicators=args.indicators, months=args.months, draws=args.draws)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
