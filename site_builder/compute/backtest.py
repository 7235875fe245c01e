"""The early warning's back-test: projections made from the year's earlier months scored against its
latest month (docs/methodology.md, 第 9 节). No I/O.

For every indicator the scored month H is the last month up to the latest one in which a report is due.
From each earlier month k (the origin), every district's value at H is projected from its reports to k
alone, with the variation pooled from those months only (compute/forecast.py `project_all`, horizon H
instead of December), and compared with the value the district reported for H:

- coverage: the share of the intervals that hold the reported value;
- misses: the districts behind their expected progress at H (higher is better: A < T·e(H); lower: A > T·e(H));
  flagged: how many of them the origin's projection had warned about (status `warning`); false alarms:
  warnings whose district was not behind at H.

Only districts the indicator applies to, with a target and a value reported for H, are scored.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from site_builder.compute.forecast import EPSILON, project_all, shapes_and_series
from site_builder.core.method import DUE_MONTHS
from site_builder.model import Dataset


@dataclass(frozen=True)
class Origin:
    """The scores of the projections made from one origin month."""

    month: int  # the origin k
    cells: int  # district × indicator cells scored
    intervals: int  # of which with an interval (milestones and the first months have none)
    covered: int  # intervals that hold the reported value
    misses: int  # cells behind expected progress in the scored month
    flagged: int  # misses warned about from this origin
    false_alarms: int  # warnings that were not misses


@dataclass(frozen=True)
class Backtest:
    latest: int  # the latest month of the year (the scored month of monthly indicators)
    origins: tuple[Origin, ...]

    def total(self, months: range | None = None) -> Origin:
        """The origins' scores added up (those in `months`, all by default)."""
        chosen = [o for o in self.origins if months is None or o.month in months]
        return Origin(
            0,
            sum(o.cells for o in chosen),
            sum(o.intervals for o in chosen),
            sum(o.covered for o in chosen),
            sum(o.misses for o in chosen),
            sum(o.flagged for o in chosen),
            sum(o.false_alarms for o in chosen),
        )


def scored_month(frequency: str, latest: int) -> int | None:
    """The last month up to `latest` in which a report of this frequency is due."""
    due = [m for m in DUE_MONTHS.get(frequency, DUE_MONTHS["monthly"]) if m <= latest]
    return due[-1] if due else None


def backtest(dataset: Dataset, progress: pl.DataFrame) -> Backtest | None:
    """The scores per origin month; None before a second month of reports."""
    if len(dataset.months) < 2:
        return None
    latest = int(dataset.months[-1][5:7])
    scores: dict[int, list[int]] = {k: [0] * 6 for k in range(1, latest)}
    for shape, serieses in shapes_and_series(dataset, progress).values():
        horizon = scored_month(shape.frequency, latest)
        if horizon is None:
            continue
        listed = list(serieses.values())
        actual = [dict(s.points).get(horizon) for s in listed]
        for origin in range(1, horizon):
            found = project_all(shape, listed, origin, horizon)
            score = scores[origin]
            for series, value, p in zip(listed, actual, found, strict=True):
                if not series.applicable or series.target is None or value is None:
                    continue
                goal = series.target * shape.e(horizon)
                missed = value < goal - EPSILON if shape.direction == "higher" else value > goal + EPSILON
                warned = p.status == "warning"
                score[0] += 1
                if p.low is not None and p.high is not None:
                    score[1] += 1
                    score[2] += p.low - EPSILON <= value <= p.high + EPSILON
                score[3] += missed
                score[4] += missed and warned
                score[5] += warned and not missed
    return Backtest(latest, tuple(Origin(k, *scores[k]) for k in sorted(scores)))
