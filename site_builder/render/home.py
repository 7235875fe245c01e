"""The home page: the latest bulletin's headline figures, every district one click away,
the reporting calendar, and what changed in the latest month."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from site_builder.compute import RankRow
from site_builder.render.base import Page
from site_builder.render.context import (
    SiteContext,
    accountability_year_path,
    rankings_year_path,
    reporting_year_path,
)
from site_builder.render.labels import deadline_text


@dataclass(frozen=True)
class Move:
    row: RankRow
    change: int


@dataclass(frozen=True)
class Correction:
    region_id: str
    indicator_id: str
    corrected_on: str
    explanation: str


def _moves(rows: list[RankRow]) -> tuple[list[Move], list[Move]]:
    changed = [Move(r, r.rank_change) for r in rows if r.rank_change]
    up = sorted((m for m in changed if m.change > 0), key=lambda m: (-m.change, m.row.rank or 0))
    down = sorted((m for m in changed if m.change < 0), key=lambda m: (m.change, m.row.rank or 0))
    return up[:3], down[:3]


def _corrections(ctx: SiteContext, month: str) -> list[Correction]:
    rows = ctx.progress(month=month).filter(pl.col("corrected_on").is_not_null())
    return [
        Correction(r["region_id"], r["indicator_id"], r["corrected_on"].isoformat(), r["explanation"] or "")
        for r in rows.iter_rows(named=True)
    ]


def _calendar(ctx: SiteContext) -> list[dict[str, object]]:
    frame = ctx.results.compliance
    months = []
    for month in ctx.months:
        rows = frame.filter(pl.col("month") == month)
        due = rows["due"][0].isoformat() if len(rows) else ""
        counts = {status: int((rows["status"] == status).sum()) for status in ("on_time", "late", "missing")}
        months.append(
            {
                "month": month,
                "due": due,
                **counts,
                "statuses": dict(zip(rows["region_id"], rows["status"], strict=True)),
            }
        )
    return months


def _past(ctx: SiteContext) -> list[dict[str, object]]:
    """The past programme years, newest first, with their rankings and (when recorded) year-end pages."""
    recorded = {a.year for a in ctx.dataset.accountability}
    return [
        {
            "year": y.year,
            "rankings": rankings_year_path(y.year),
            "reporting": reporting_year_path(y.year),
            "accountability": accountability_year_path(y.year) if y.year in recorded else None,
        }
        for y in ctx.past_years()
    ]


def pages(ctx: SiteContext) -> list[Page]:
    programme = ctx.dataset.programme
    page = Page("index.md", f"{programme.city}{programme.name}")
    latest = ctx.latest
    rows = ctx.rankings[latest] if latest else []
    up, down = _moves(rows)
    city = ctx.results.city.filter(pl.col("month") == latest) if latest else ctx.results.city
    lights = (
        {light: int((city["light"] == light).sum()) for light in ("green", "yellow", "red", "grey")} if latest else {}
    )
    page.body = ctx.render(
        "home/index.md.j2",
        page,
        latest=latest,
        rows=rows,
        top=[r for r in rows if r.rank is not None][:3],
        bottom=[r for r in rows if r.bottom],
        summoned=[r for r in rows if r.summoned],
        up=up,
        down=down,
        city_lights=lights,
        calendar=_calendar(ctx),
        deadline=deadline_text(programme.reporting),
        corrections=_corrections(ctx, latest) if latest else [],
        past=_past(ctx),
    )
    return [page]
