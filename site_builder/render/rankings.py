"""The rankings page: every district's rank month by month (a bump chart and its table), and the
year-to-date standings of the latest month with the commendation and penalty candidates."""

from __future__ import annotations

from typing import Any

import polars as pl

from site_builder.render.base import Page
from site_builder.render.charts_indicators import bump_chart, month_text, rank_history
from site_builder.render.context import METHODOLOGY, SiteContext, rankings_year_path
from site_builder.render.labels import t

PATH = "rankings.md"


def rank_table(ctx: SiteContext) -> list[dict[str, Any]]:
    """Per district (in the latest month's rank order): its rank in each month, None when unranked."""
    return [{"region": ctx.regions[region_id], "ranks": ranks} for region_id, ranks in rank_history(ctx)]


def year_table(ctx: SiteContext, month: str) -> list[dict[str, Any]]:
    """The year-to-date standing after `month`, in rank order (unranked last)."""
    year = ctx.results.year
    if year.is_empty():
        return []
    rows = year.filter(pl.col("month") == month).sort(pl.col("rank").is_null(), "rank", "region_order")
    return [{**row, "region": ctx.regions[row["region_id"]]} for row in rows.iter_rows(named=True)]


def _page(ctx: SiteContext, page: Page, *, current: SiteContext | None = None) -> Page:
    """The rankings of `ctx`'s year; `current` is the current year's context when `ctx` is a past year's."""
    latest = ctx.latest
    standings = year_table(ctx, latest) if latest else []
    ranking = ctx.dataset.programme.ranking
    past = (current or ctx).past_years()
    page.body = ctx.render(
        "rankings/rankings.md.j2",
        page,
        t=t,
        title=page.title,
        methodology=METHODOLOGY,
        region_term=ctx.dataset.programme.region_term,
        months=[(m, month_text(m)) for m in ctx.months],
        bump=bump_chart(ctx, t) if ctx.months and current is None else None,  # a past year: its table only
        table=rank_table(ctx),
        standings=standings,
        year_end=bool(standings and standings[0]["year_end"]),
        window=f"{month_text(ctx.months[0])}至{month_text(latest)}" if latest else "",
        commend_n=ranking.commend_n,
        penalize_n=ranking.penalize_n,
        year=ctx.year,
        current=(PATH, (current or ctx).year) if current is not None else None,
        years=[(rankings_year_path(y.year), y.year) for y in past if y.year != ctx.year],
    )
    return page


def pages(ctx: SiteContext) -> list[Page]:
    """rankings.md, and rankings/<year>.md for every past programme year (linked from it, not in the nav)."""
    out = [_page(ctx, Page(PATH, t("rankings")))]
    for year_ctx in ctx.past_years():
        page = Page(rankings_year_path(year_ctx.year), f"{year_ctx.year}年{t('rankings')}", nav=False)
        out.append(_page(year_ctx, page, current=ctx))
    return out
