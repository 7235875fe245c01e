"""Indicator pages: the index grouped by task group, and one page per indicator.

Each indicator page has its definition and metadata (source, frequency, last update, responsible unit
and task group), the city pooled figure of the latest month against target, expected progress and the
benchmark, then three views in tabs (radio buttons styled as tabs: keyboard reachable, no script; all
shown in print): 图表 (the city's trend and, for rates, the funnel plot), 表格 (every district × month
of the year) and, when the programme supplies boundaries, 地图 (the latest month's lights); its CSV and
XLSX downloads (indicator_downloads.py) and a league table of the districts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from markupsafe import Markup

from site_builder.core.method import LINEAR
from site_builder.model import Indicator, Region
from site_builder.render import early_warning, indicator_downloads
from site_builder.render.base import Page, number, page_url
from site_builder.render.cells import NA, neutral, notes, status_of, status_word, value_text
from site_builder.render.charts_indicators import FLAG_KEYS, funnel_chart, month_text, trend_chart
from site_builder.render.context import METHODOLOGY, SiteContext, indicator_path, region_path
from site_builder.render.geo_svg import Area, svg_map
from site_builder.render.indicator_overview import benchmark, city_na_words, city_rows, indicator_sections
from site_builder.render.labels import date_text, month_label, profile_label, t

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
        return t("profile_linear")
    values = ctx.dataset.programme.profiles.get(indicator.profile, [])
    return f"{profile_label(indicator.profile)}：" + "、".join(number(float(v), 3) for v in values)


FREQUENCY_WORDS = {
    "monthly": "每月",
    "quarterly": "每季度（3、6、9、12月）",
    "half_yearly": "每半年（6、12月）",
    "yearly": "每年（12月）",
}


@dataclass(frozen=True)
class MonthTable:
    """Every district × month of the year with reports: rows of (region, cells by month)."""

    months: list[str]
    regions: list[tuple[Region, list[Row | None]]]
    city: list[Row | None]


def month_table(ctx: SiteContext, indicator: Indicator) -> MonthTable:
    months = list(ctx.months)
    cells: dict[tuple[str, str], Row] = {
        (row["region_id"], row["month"]): row for row in ctx.progress(indicator_id=indicator.id).iter_rows(named=True)
    }
    city = {
        row["month"]: row
        for row in ctx.results.city.filter(pl.col("indicator_id") == indicator.id).iter_rows(named=True)
    }
    return MonthTable(
        months,
        [(region, [cells.get((region.id, m)) for m in months]) for region in ctx.dataset.regions],
        [city.get(m) for m in months],
    )


def geo_map(ctx: SiteContext, indicator: Indicator, path: str, title: str) -> Markup | None:
    """The latest month's lights of the indicator on the programme's boundaries; None without them."""
    boundaries, collection = ctx.dataset.programme.map, ctx.dataset.geo
    if boundaries is None or collection is None or ctx.latest is None:
        return None
    rows = {
        row["region_id"]: row for row in ctx.progress(indicator_id=indicator.id, month=ctx.latest).iter_rows(named=True)
    }
    areas = []
    for region in ctx.dataset.regions:
        row = rows.get(region.id)
        light = NA if neutral(row) else str((row or {}).get("light") or "grey")
        words = status_word(status_of(row)) if light == NA else t(light)
        areas.append(
            Area(region.id, region.name, region.short_name, page_url(region_path(region.id), path), light, words)
        )
    svg = svg_map(collection, boundaries.join_key, areas, title=title)
    return svg or None


def metadata(ctx: SiteContext, indicator: Indicator) -> dict[str, str]:
    """Source, frequency and last update, as the indicator card shows them."""
    lead = ctx.units.get(indicator.lead_unit_id)
    updated = indicator_downloads.last_updated(ctx, indicator)
    term = ctx.dataset.programme.region_term
    return {
        "source": f"各{term}月报，{lead.name if lead else indicator.lead_unit_id}汇总",
        "frequency": FREQUENCY_WORDS.get(indicator.frequency, indicator.frequency),
        "updated": date_text(updated) if updated else "—",
    }


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
    term = ctx.dataset.programme.region_term
    year = ctx.dataset.programme.year
    map_title = f"{indicator.name}：各{term}{month_label(latest)}灯分布图"
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
        meta=metadata(ctx, indicator),
        table=month_table(ctx, indicator),
        geo=geo_map(ctx, indicator, page.path, map_title) if latest is not None else None,
        geo_source=ctx.dataset.programme.map,
        map_title=map_title,
        csv=indicator_downloads.csv_path(indicator.id, year),
        xlsx=indicator_downloads.xlsx_path(indicator.id, year),
        year=year,
        forecast_alerts=early_warning.alerts_of_indicator(ctx, latest, indicator.id),
        forecast_summary=early_warning.summary(early_warning.counts(ctx, latest, indicator_id=indicator.id))
        if latest is not None
        else "",
        forecast_badge=early_warning.badge,
        forecast_figure=early_warning.figure,
        forecast_level=early_warning.level_text(),
        month_label=month_label,
    )
    return page


def files(ctx: SiteContext) -> dict[str, bytes]:
    """Each indicator's CSV and XLSX of the year (indicator_downloads.py), linked from its page."""
    return indicator_downloads.files(ctx)


def pages(ctx: SiteContext) -> list[Page]:
    """indicators/index.md and indicators/<id>.md for every indicator."""
    latest = ctx.latest
    partitions: dict[str, pl.DataFrame] = {}
    if latest is not None:
        month_rows = ctx.progress(month=latest)
        for key, frame in month_rows.partition_by("indicator_id", as_dict=True).items():
            partitions[str(key[0])] = frame
    return [_index(ctx)] + [_indicator_page(ctx, i, partitions.get(i.id)) for i in ctx.dataset.indicators]
