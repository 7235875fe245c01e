"""Indicator pages: the index grouped by task group, and one page per indicator.

Each indicator page has its definition, the city pooled figure of the latest month against target,
expected progress and the benchmark, a league table of the districts, a funnel plot (rate indicators)
and the city's trend.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from site_builder.core.method import LINEAR
from site_builder.model import Indicator
from site_builder.render.base import Page, number
from site_builder.render.cells import notes, value_text
from site_builder.render.charts_indicators import FLAG_KEYS, funnel_chart, month_text, trend_chart
from site_builder.render.context import METHODOLOGY, SiteContext, indicator_path
from site_builder.render.indicator_overview import benchmark, city_na_words, city_rows, indicator_sections
from site_builder.render.labels import t

Row = dict[str, Any]


def kind_text(indicator: Indicator) -> str:
    return t(f"kind_{indicator.kind}")


def league(ctx: SiteContext, indicator: Indicator, rows: pl.DataFrame) -> list[Row]:
    """One month's district rows of an indicator, ranked by completion (1, 2, 2, 4), missing last."""
    month = rows["month"][0] if not rows.is_empty() else None
    ranked = rows.with_columns(pl.col("completion").rank("min", descending=True).cast(pl.Int64).alias("league_rank"))
    ranked = ranked.sort(pl.col("league_rank").is_null(), "league_rank", "region_order")
    funnel = ctx.results.funnels.get((indicator.id, month)) if month is not None else None
    out = []
    for row in ranked.iter_rows(named=True):
        flag = str(funnel.flag[row["region_order"]]) if funnel is not None else ""
        out.append({**row, "region": ctx.regions[row["region_id"]], "flag": t(FLAG_KEYS[flag]) if flag else "—"})
    return out


def profile_text(ctx: SiteContext, indicator: Indicator) -> str:
    if indicator.profile == LINEAR:
        return f"{LINEAR}：{t('profile_linear')}"
    values = ctx.dataset.programme.profiles.get(indicator.profile, [])
    return f"{indicator.profile}：" + "、".join(number(float(v), 3) for v in values)


def _index(ctx: SiteContext) -> Page:
    page = Page("indicators/index.md", t("indicators"))
    latest = ctx.latest
    city = city_rows(ctx, latest)
    body = ctx.render(
        "indicators/index.md.j2",
        page,
        t=t,
        methodology=METHODOLOGY,
        title=page.title,
        sections=indicator_sections(ctx),
        city=city,
        month=month_text(latest) if latest else "",
        kind_text=kind_text,
        na_words=city_na_words(ctx, latest),
    )
    page.body = body
    return page


def _indicator_page(ctx: SiteContext, indicator: Indicator, latest_rows: pl.DataFrame | None) -> Page:
    page = Page(indicator_path(indicator.id), indicator.name)
    latest = ctx.latest
    city = city_rows(ctx, latest).get(indicator.id)
    group = next((g for g in ctx.dataset.organization.task_groups if g.id == indicator.group_id), None)
    funnel = funnel_chart(ctx, indicator, latest, t) if latest is not None and indicator.kind == "rate" else None
    rows = league(ctx, indicator, latest_rows) if latest_rows is not None else []
    page.body = ctx.render(
        "indicators/indicator.md.j2",
        page,
        t=t,
        methodology=METHODOLOGY,
        title=indicator.name,
        indicator=indicator,
        kind=kind_text(indicator),
        group=group,
        lead_unit=ctx.units.get(indicator.lead_unit_id),
        profile=profile_text(ctx, indicator),
        month=month_text(latest) if latest else "",
        city=city,
        benchmark=benchmark(ctx, indicator, city),
        term=ctx.dataset.programme.benchmark_term,
        region_term=ctx.dataset.programme.region_term,
        na_words=city_na_words(ctx, latest),
        league=rows,
        league_notes=notes(rows, [indicator]),
        funnel=funnel,
        trend=trend_chart(ctx, indicator, t) if ctx.months else None,
        value_text=value_text,
    )
    return page


def pages(ctx: SiteContext) -> list[Page]:
    """indicators/index.md and indicators/<id>.md for every indicator."""
    latest = ctx.latest
    partitions: dict[str, pl.DataFrame] = {}
    if latest is not None:
        month_rows = ctx.progress(month=latest)
        for key, frame in month_rows.partition_by("indicator_id", as_dict=True).items():
            partitions[str(key[0])] = frame
    return [_index(ctx)] + [_indicator_page(ctx, i, partitions.get(i.id)) for i in ctx.dataset.indicators]
