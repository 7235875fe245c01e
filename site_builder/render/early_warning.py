"""The early warning (预警) as the pages show it: the year-end projections of compute/forecast.py, in
Chinese words, shared by the district, indicator, bulletin and leader pages and the methodology page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from site_builder.core.method import FORECAST_LEVEL
from site_builder.model import Indicator, Region
from site_builder.render.base import number
from site_builder.render.context import SiteContext

Row = dict[str, Any]
WORDS = {
    "warning": "预警",
    "watch": "关注",
    "on_track": "有望完成",
    "met": "已完成",
    "unknown": "暂无法预测",
    "na": "不适用",
}
MEANINGS = {
    "warning": "按目前进度，年末很可能完成不了目标",
    "watch": "按目前进度年末达不到目标，但仍有可能完成",
    "on_track": "按目前进度，年末可以完成目标",
    "met": "已完成全年目标",
    "unknown": "月报太少或还没有序时进度，暂无法预测",
    "na": "该指标不适用于该地区",
}
FLAGGED = ("warning", "watch")
STATUS_ORDER = ("warning", "watch", "on_track", "met", "unknown")


def level_text() -> str:
    """The interval's probability, e.g. 80%."""
    return f"{FORECAST_LEVEL * 100:g}%"


def word(status: str) -> str:
    return WORDS.get(status, status)


def badge(status: str) -> Markup:
    """The status as a small labelled mark (its meaning in the title)."""
    return Markup(
        f'<span class="forecast forecast-{escape(status)}" title="{escape(MEANINGS.get(status, ""))}">'
        f"{escape(word(status))}</span>"
    )


def figure(value: float | None, indicator: Indicator) -> str:
    """A projected value with its unit: whole numbers for counts and stages, one decimal otherwise."""
    if value is None:
        return "—"
    places = 0 if indicator.kind in ("count", "milestone") else 1
    return f"{number(float(round(value, places)), places)}{indicator.unit}"


def projection_text(row: Row | None, indicator: Indicator) -> str:
    """预计 4,905人，80%区间 4,713–5,095人; a milestone's stage and due month, or the status word."""
    if row is None:
        return "—"
    if indicator.kind == "milestone" and indicator.direction == "higher":
        if row["forecast"] == "met":
            return f"已完成 {figure(row['projected'], indicator)}"
        if row["due"] is None or row["projected"] is None:
            return word(row["forecast"])
        stage = int(row["projected"]) + 1
        verb = "应于" if row["forecast"] != "warning" else "应在"
        return f"已完成 {figure(row['projected'], indicator)}，第{stage}阶段{verb}{row['due']}月底前完成"
    if row["projected"] is None:
        return word(row["forecast"])
    text = f"预计 {figure(row['projected'], indicator)}"
    if row["low"] is not None and row["high"] is not None:
        unit = indicator.unit
        low, high = figure(row["low"], indicator).removesuffix(unit), figure(row["high"], indicator)
        text += f"，{level_text()}区间 {low}–{high}"
    return text


def by_month(ctx: SiteContext) -> dict[str, dict[tuple[str, str], Row]]:
    """month → (region, indicator) → the projection as of that month."""
    return ctx.forecasts


def rows_of(ctx: SiteContext, month: str | None) -> dict[tuple[str, str], Row]:
    if month is None:
        return {}
    return by_month(ctx).get(month, {})


def since(ctx: SiteContext, region_id: str, indicator_id: str, month: str, statuses: tuple[str, ...]) -> str:
    """The first month of the unbroken run of `statuses` that reaches `month`."""
    months = by_month(ctx)
    first = month
    for earlier in reversed([m for m in ctx.months if m <= month]):
        row = months.get(earlier, {}).get((region_id, indicator_id))
        if row is None or row["forecast"] not in statuses:
            break
        first = earlier
    return first


@dataclass(frozen=True)
class Alert:
    """A district × indicator flagged as of a month: its projection and since when."""

    region: Region
    indicator: Indicator
    row: Row
    since: str

    @property
    def text(self) -> str:
        return projection_text(self.row, self.indicator)


def alerts(ctx: SiteContext, month: str | None, regions: list[str] | None = None) -> list[Alert]:
    """The month's warnings then watches, in region and indicator order."""
    rows = rows_of(ctx, month)
    if month is None:
        return []
    if regions is None:
        chosen = list(ctx.dataset.regions)
    else:
        order = ctx.region_order
        chosen = [ctx.regions[r] for r in sorted({r for r in regions if r in order}, key=order.__getitem__)]
    found = []
    for status in FLAGGED:
        for region in chosen:
            for indicator in ctx.dataset.indicators:
                row = rows.get((region.id, indicator.id))
                if row is not None and row["forecast"] == status:
                    first = since(ctx, region.id, indicator.id, month, (status,))
                    found.append(Alert(region, indicator, row, first))
    return found


def counts(
    ctx: SiteContext, month: str | None, *, region_id: str | None = None, indicator_id: str | None = None
) -> dict[str, int]:
    """How many district × indicator cells have each status in the month (of one district or indicator)."""
    tally = dict.fromkeys(WORDS, 0)
    cells: Iterable[tuple[tuple[str, str], Row]]
    if month is not None and region_id is not None:  # the district's own rows, grouped once (linear, not D²)
        cells = (((region_id, row["indicator_id"]), row) for row in _group(ctx, month, "region", region_id))
    elif month is not None and indicator_id is not None:
        cells = (((row["region_id"], indicator_id), row) for row in _group(ctx, month, "indicator", indicator_id))
    else:
        cells = rows_of(ctx, month).items()
    for (region, indicator), row in cells:
        if region_id in (None, region) and indicator_id in (None, indicator):
            tally[row["forecast"]] = tally.get(row["forecast"], 0) + 1
    return tally


def _group(ctx: SiteContext, month: str, by: str, key: str) -> list[Row]:
    return ctx.forecasts_grouped.get((month, by, key), [])


def alerts_of_indicator(ctx: SiteContext, month: str | None, indicator_id: str) -> list[Alert]:
    """The month's warnings then watches of one indicator, in region order."""
    indicator = ctx.indicators.get(indicator_id)
    rows = rows_of(ctx, month)
    if month is None or indicator is None:
        return []
    found = []
    for status in FLAGGED:
        for region in ctx.dataset.regions:
            row = rows.get((region.id, indicator_id))
            if row is not None and row["forecast"] == status:
                found.append(Alert(region, indicator, row, since(ctx, region.id, indicator_id, month, (status,))))
    return found


def summary(tally: dict[str, int]) -> str:
    """预警 2 项、关注 1 项、有望完成 9 项、已完成 1 项 (statuses that occur, in order; na left out)."""
    parts = [f"{WORDS[s]} {tally[s]} 项" for s in STATUS_ORDER if tally.get(s)]
    return "、".join(parts) if parts else "暂无预测"
