"""Indicator pages: the index grouped by task group, and one page per indicator.

Each indicator page has its definition, the city pooled figure of the latest month against target,
expected progress and the benchmark, a league table of the districts, a funnel plot (rate indicators)
and the city's trend. Also home of the helpers the bulletin, ranking and download pages share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl

from site_builder.method import LINEAR
from site_builder.model import Indicator
from site_builder.render.base import Page, number
from site_builder.render.charts_indicators import FLAG_KEYS, funnel_chart, month_text, trend_chart
from site_builder.render.context import SiteContext, indicator_path
from site_builder.render.labels import label

Row = dict[str, Any]

# Labels these pages need that the shared table (labels.py) does not hold yet; `t` looks there first.


def t(key: str) -> str:
    """A label from the site's one translation table (labels.py)."""
    return label(key)


METHODOLOGY = "methodology.md"

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五: the numbering of official document sections."""
    if n < 1 or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DIGITS[tens] + "十")
    return head + (DIGITS[ones] if ones else "")


def date_text(day: dt.date | None) -> str:
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


def kind_text(indicator: Indicator) -> str:
    return t(f"kind_{indicator.kind}")


def value_text(value: float | None, indicator: Indicator) -> str:
    """A cumulative value or target with its unit (97.71%, 377人); — when missing."""
    if value is None:
        return "—"
    return f"{number(value)}{indicator.unit}"


def points_text(difference: float | None) -> str:
    if difference is None:
        return ""
    if abs(difference) < 0.005:
        return t("level")
    key = "higher_by" if difference > 0 else "lower_by"
    return t(key).format(points=number(abs(difference)))


@dataclass(frozen=True)
class Benchmark:
    """The benchmark figure (全区/全省) of one indicator and month, as shown beside the city's."""

    value: str  # "95.1%" (a rate) or "8.6%" (share of the annual task)
    comparison: str  # "高 1.2 个百分点" of the city against the benchmark, or ""
    meaning: str


def benchmark(ctx: SiteContext, indicator: Indicator, city_row: Row | None) -> Benchmark | None:
    """Rates compare with the city's pooled rate; counts and milestones with 100 × its completion."""
    if city_row is None or city_row.get("benchmark") is None:
        return None
    term = ctx.dataset.programme.benchmark_term
    value = float(city_row["benchmark"])
    if indicator.kind == "rate":
        ours = city_row["actual"]
        meaning = t("benchmark_rate").format(term=term)
    else:
        ours = None if city_row["completion"] is None else 100 * city_row["completion"]
        meaning = t("benchmark_share").format(term=term)
    difference = None if ours is None else float(ours) - value
    return Benchmark(f"{number(value)}%", points_text(difference), meaning)


@dataclass(frozen=True)
class Section:
    """Indicators under one task group, or (for indicators without one) under one lead unit."""

    name: str
    group_id: str | None
    unit_id: str | None
    indicators: tuple[Indicator, ...]


def indicator_sections(ctx: SiteContext) -> list[Section]:
    """Task groups in the organization's order, then indicators without a group by lead unit."""
    indicators = ctx.dataset.indicators
    sections: list[Section] = []
    for group in ctx.dataset.organization.task_groups:
        members = tuple(i for i in indicators if i.group_id == group.id)
        if members:
            sections.append(Section(group.name, group.id, None, members))
    by_unit: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        if indicator.group_id is None:
            by_unit.setdefault(indicator.lead_unit_id, []).append(indicator)
    for unit_id, led in by_unit.items():
        unit = ctx.units.get(unit_id)
        sections.append(Section(unit.name if unit else unit_id, None, unit_id, tuple(led)))
    return sections


def city_rows(ctx: SiteContext, month: str | None) -> dict[str, Row]:
    """The city pooled figures of a month, by indicator id."""
    if month is None:
        return {}
    frame = ctx.results.city.filter(pl.col("month") == month)
    return {row["indicator_id"]: row for row in frame.iter_rows(named=True)}


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
    )
    page.body = body
    return page


def _indicator_page(ctx: SiteContext, indicator: Indicator, latest_rows: pl.DataFrame | None) -> Page:
    page = Page(indicator_path(indicator.id), indicator.name)
    latest = ctx.latest
    city = city_rows(ctx, latest).get(indicator.id)
    group = next((g for g in ctx.dataset.organization.task_groups if g.id == indicator.group_id), None)
    funnel = funnel_chart(ctx, indicator, latest, t) if latest is not None and indicator.kind == "rate" else None
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
        league=league(ctx, indicator, latest_rows) if latest_rows is not None else [],
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
