"""District pages: the index of all districts, and one page per district.

A district page answers, in one place: who answers for it, how it stands in the latest month, every
indicator against target and expected progress, how it got there (charts with tables), what it wrote
to explain shortfalls, and whether it reported on time. Missing values are shown as 未报, never
imputed. The frames are split by district once, so the work grows with the data.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from site_builder.compute import RankRow
from site_builder.model import Indicator, Person, Region
from site_builder.render import early_warning
from site_builder.render.base import Chart, Page
from site_builder.render.cells import neutral, notes
from site_builder.render.charts_regions import RankPoint, panels_from_rows, progress_chart, rank_chart
from site_builder.render.context import SiteContext, latest_ranks, region_path
from site_builder.render.first_seen import LABEL, Record
from site_builder.render.labels import label, month_label
from site_builder.render.responsibility import Responsibility, kind_key, responsibilities


@dataclass(frozen=True)
class Leader:
    person: Person
    duty: Responsibility


def leaders_by_region(ctx: SiteContext) -> dict[str, list[tuple[str, list[Leader]]]]:
    """For each district, its people grouped by kind label, in kind order then source order."""
    grouped: dict[str, dict[str, list[Leader]]] = defaultdict(dict)
    for duty in sorted(responsibilities(ctx.dataset), key=kind_key):
        person = ctx.people.get(duty.person_id)
        if person is None:
            continue
        kinds = grouped[duty.region_id]
        leaders = kinds.setdefault(duty.kind_label, [])
        if all(leader.person.id != person.id for leader in leaders):
            leaders.append(Leader(person, duty))
    return {region_id: list(kinds.items()) for region_id, kinds in grouped.items()}


def rank_change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    if change < 0:
        return f"↓{-change}"
    return "→"


def points_text(gap: float | None) -> str:
    """A completion gap in percentage points, signed."""
    if gap is None or math.isnan(gap):
        return "—"
    return f"{gap * 100:+.1f}"


def _split(frame: pl.DataFrame, sort: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    if frame.is_empty():
        return {}
    parts = frame.sort(*sort).partition_by("region_id", as_dict=True)
    return {str(key[0]): part.to_dicts() for key, part in parts.items()}


@dataclass(frozen=True)
class IndicatorLine:
    indicator_id: str
    name: str
    unit: str
    row: dict[str, Any] | None  # the latest month's progress row; None when the district sent none
    gap: str
    indicator: Indicator

    @property
    def missing(self) -> bool:
        return self.row is None or bool(self.row["missing"])


@dataclass(frozen=True)
class Frames:
    """Every computed frame split by district, once."""

    progress: dict[str, list[dict[str, Any]]]
    standings: dict[str, list[dict[str, Any]]]
    compliance: dict[str, list[dict[str, Any]]]

    @classmethod
    def of(cls, ctx: SiteContext) -> Frames:
        results = ctx.results
        return cls(
            progress=_split(results.progress, ["month", "indicator_order"]),
            standings=_split(results.standings, ["month"]),
            compliance=_split(results.compliance, ["month"]),
        )


def _region_page(
    ctx: SiteContext,
    region: Region,
    *,
    frames: Frames,
    leaders: list[tuple[str, list[Leader]]],
    standing: RankRow | None,
    ranked: int,
    scale: int,
) -> Page:
    page = Page(region_path(region.id), region.name)
    record = Record.of(ctx)
    progress = frames.progress.get(region.id, [])
    by_key = {(row["indicator_id"], row["month"]): row for row in progress}
    latest = ctx.latest
    lines = []
    for indicator in ctx.dataset.indicators:
        row = by_key.get((indicator.id, latest)) if latest else None
        gap = points_text(None if row is None or row["missing"] or neutral(row) else row["gap"])
        lines.append(IndicatorLine(indicator.id, indicator.name, indicator.unit, row, gap, indicator))
    explanations = sorted(
        (row for row in progress if row["explanation"]),
        key=lambda row: (row["month"], -row["indicator_order"]),
        reverse=True,
    )
    progress_figure: Chart | None = None
    rank_figure: Chart | None = None
    if ctx.months:
        pairs = [(i.id, i.name) for i in ctx.dataset.indicators]
        panels = panels_from_rows(pairs, ctx.months, by_key)
        title = f"{region.name}：{label('completion')}与{label('expected')}"
        progress_figure = progress_chart(f"region-{region.id}-progress", title, panels)
        history = [
            RankPoint(s["month"], s["rank"], s["rank_low"], s["rank_high"], s["score"], s["light"])
            for s in frames.standings.get(region.id, [])
        ]
        if history:
            rank_figure = rank_chart(f"region-{region.id}-rank", f"{region.name}：{label('rank')}", history, scale)
    page.body = ctx.render(
        "regions/region.md.j2",
        page,
        region=region,
        leaders=leaders,
        standing=standing,
        ranked=ranked,
        latest_label=month_label(latest),
        change=rank_change_text(standing.rank_change if standing else None),
        lines=lines,
        notes=notes([line.row for line in lines], ctx.dataset.indicators),
        progress_figure=progress_figure,
        rank_figure=rank_figure,
        explanations=explanations,
        compliance=frames.compliance.get(region.id, []),
        indicator_names={i.id: i.name for i in ctx.dataset.indicators},
        month_label=month_label,
        forecast_alerts=early_warning.alerts(ctx, latest, [region.id]),
        forecast_summary=early_warning.summary(early_warning.counts(ctx, latest, region_id=region.id)),
        forecast_badge=early_warning.badge,
        forecast_figure=early_warning.figure,
        forecast_level=early_warning.level_text(),
        record=record,
        record_label=LABEL,
        record_note=record.note(ctx.dataset.programme.region_term),
        latest_month=latest,
    )
    return page


def pages(ctx: SiteContext) -> list[Page]:
    """regions/index.md and regions/<id>.md for every district."""
    frames = Frames.of(ctx)
    leaders = leaders_by_region(ctx)
    standings = latest_ranks(ctx)
    ranked = sum(1 for row in standings.values() if row.rank is not None) or len(ctx.dataset.regions)
    index = Page("regions/index.md", label("regions"))
    index.body = ctx.render(
        "regions/index.md.j2",
        index,
        regions=ctx.dataset.regions,
        leaders=leaders,
        standings=standings,
        latest_label=month_label(ctx.latest),
        region_term=ctx.dataset.programme.region_term,
    )
    result = [index]
    for region in ctx.dataset.regions:
        leaders_here = leaders.get(region.id, [])
        scale = len(ctx.dataset.regions)
        result.append(
            _region_page(
                ctx,
                region,
                frames=frames,
                leaders=leaders_here,
                standing=standings.get(region.id),
                ranked=ranked,
                scale=scale,
            )
        )
    return result
