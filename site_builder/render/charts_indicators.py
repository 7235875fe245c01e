"""Figure builders for the indicator and ranking pages: funnel plot, trend, bump chart.

Each builder returns a `Chart`: the plotly figure as plain data, and the same numbers as table rows
(one row per plotted point, or per line of points for the bump chart). No background or font colours
are set here (the site script applies the light or dark theme); trace colours are. Labels come from
the `t` function the caller passes, so this module does not depend on the page modules.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl

from site_builder.model import Indicator
from site_builder.render.base import Chart
from site_builder.render.charts_regions import PERCENT_HOVER, month_axis, percent_text
from site_builder.render.context import SiteContext
from site_builder.render.labels import month_label

Label = Callable[[str], str]

# Funnel flags (compute.uncertainty.Funnel.flag) → label key, colour and marker symbol.
FLAG_KEYS = {"above3": "above3", "above2": "above2", "within": "within", "below2": "below2", "below3": "below3"}
FLAG_STYLE = {
    "above3": ("#d62728", "triangle-up"),
    "above2": ("#ff7f0e", "triangle-up"),
    "within": ("#1f77b4", "circle"),
    "below2": ("#ff7f0e", "triangle-down"),
    "below3": ("#d62728", "triangle-down"),
}
LIMIT_COLOURS = {"sd3": "#d62728", "sd2": "#ff7f0e", "pooled": "#7f7f7f"}
SERIES_COLOURS = {"completion": "#1f77b4", "expected": "#7f7f7f", "benchmark": "#2ca02c", "rate": "#9467bd"}
# one colour per district on the bump chart, 20 before any repeats (after Kelly's colours of maximum contrast, darkened
# to stay legible on a light background)
LINE_COLOURS = (
    "#1f4e9c", "#e6194b", "#3cb44b", "#f58231", "#911eb4", "#0e8fb0", "#f032e6", "#9a6324", "#469990", "#808000",
    "#7b68ee", "#c04040", "#c71585", "#2e8b57", "#6a5acd", "#d2691e", "#6b8e23", "#a9a9a9", "#4363d8", "#b8860b",
)  # fmt: skip
ADJUSTED = "，已按过度离散调整"  # appended to the limits' names when they were widened by √φ
PHI = "（φ = {phi}）"


def count_ticks(low: float, high: float) -> dict[str, Any]:
    """Ticks of a logarithmic count axis at 1, 2 and 5 times a power of ten between low and high, written
    as the site writes counts: 5,000, 1万, 20万 (never 10k or 1e+5)."""
    values: list[int] = []
    power = 1
    while power <= max(high, 1):
        values += [k * power for k in (1, 2, 5) if low <= k * power <= high]
        power *= 10
    if len(values) < 2:  # a narrow range: its two ends
        values = sorted({math.floor(low), math.ceil(high)})
    text = [f"{v // 10000:,}万" if v >= 10000 and v % 10000 == 0 else f"{v:,}" for v in values]
    return {"tickmode": "array", "tickvals": values, "ticktext": text}


def month_text(month: str) -> str:
    """'2011-05' → '2011年5月', the site's month format (labels.month_label)."""
    return month_label(month)


def rounded(value: object, places: int = 4) -> float | None:
    """A finite float rounded for JSON, or None (JSON has no NaN)."""
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return round(float(value), places)


def cell(value: object, places: int = 2) -> object:
    """A table cell: a rounded number, or — when missing."""
    number = rounded(value, places)
    return "—" if number is None else number


def _layout(x_title: str, y_title: str) -> dict[str, Any]:
    return {
        "xaxis": {"title": {"text": x_title}},
        "yaxis": {"title": {"text": y_title}},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "margin": {"l": 60, "r": 20, "t": 60, "b": 50},
        "hovermode": "closest",
    }


def _line(name: str, x: Sequence[object], y: Sequence[object], colour: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "lines",
        "name": name,
        "x": list(x),
        "y": list(y),
        "line": {"color": colour, "width": 1.5, **extra.pop("line", {})},
        **extra,
    }


def funnel_chart(ctx: SiteContext, indicator: Indicator, month: str, t: Label) -> Chart | None:
    """Districts' rates against their denominators, with 2 and 3 SD limits around the pooled rate."""
    funnel = ctx.results.funnels.get((indicator.id, month))
    if funnel is None or len(funnel.sizes) == 0:
        return None
    rows = ctx.progress(month=month, indicator_id=indicator.id).sort("region_order")
    sizes = [rounded(s, 2) for s in funnel.sizes]
    pooled = 100 * funnel.pooled
    data: list[dict[str, Any]] = []
    adjusted = ADJUSTED if funnel.adjusted else ""
    for key, lower, upper, dash in (
        ("sd3", funnel.lower3, funnel.upper3, "dot"),
        ("sd2", funnel.lower2, funnel.upper2, "dash"),
    ):
        name = t("limit3" if key == "sd3" else "limit2") + adjusted
        if adjusted and key == "sd3":
            name += PHI.format(phi=f"{funnel.phi:.2f}")
        for bound, show in ((upper, True), (lower, False)):
            data.append(
                _line(
                    name,
                    sizes,
                    [rounded(100 * v) for v in bound],
                    LIMIT_COLOURS[key],
                    line={"dash": dash},
                    legendgroup=key,
                    showlegend=show,
                    hoverinfo="skip",
                )
            )
    data.append(
        _line(
            f"{t('city')}（{percent_text(pooled)}）",
            [sizes[0], sizes[-1]],
            [rounded(pooled), rounded(pooled)],
            LIMIT_COLOURS["pooled"],
            hoverinfo="skip",
        )
    )
    points: list[list[object]] = []
    x: list[float | None] = []
    y: list[float | None] = []
    names: list[str] = []
    flags: list[str] = []
    for row in rows.iter_rows(named=True):
        flag = str(funnel.flag[row["region_order"]])
        if not flag:
            continue
        region = ctx.regions[row["region_id"]]
        rate = 100 * row["numerator"] / row["denominator"]
        x.append(rounded(row["denominator"], 2))
        y.append(rounded(rate))
        names.append(region.short_name)
        flags.append(flag)
        z = funnel.z[row["region_order"]]
        points.append(
            [
                region.name,
                cell(row["numerator"]),
                cell(row["denominator"]),
                percent_text(rate),
                "—" if not math.isfinite(z) else f"{z:.2f}",
                t(FLAG_KEYS[flag]),
            ]
        )
    # Names only in the hover label and the table below: district names printed beside crowded points overlap.
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": ctx.dataset.programme.region_term,
            "x": x,
            "y": y,
            "text": names,
            "showlegend": False,  # each point's flag is in its hover label and the table
            "customdata": [t(FLAG_KEYS[f]) for f in flags],
            "hovertemplate": f"%{{text}}<br>%{{x:,}}<br>{PERCENT_HOVER}<extra>%{{customdata}}</extra>",
            "marker": {
                "size": 9,
                "color": [FLAG_STYLE[f][0] for f in flags],
                "symbol": [FLAG_STYLE[f][1] for f in flags],
            },
        }
    )
    denominator = indicator.denominator or t("denominator")
    layout = _layout(f"{t('denominator')}：{denominator}", f"{indicator.name}（%）")
    layout["xaxis"].update({"type": "log", **count_ticks(float(funnel.sizes[0]), float(funnel.sizes[-1]))})
    columns = [
        t("district"),
        t("numerator"),
        t("denominator"),
        indicator.name,
        "标准化差值（z，已按过度离散调整）" if funnel.adjusted else "标准化差值（z）",
        t("funnel_flag"),
    ]
    return Chart(
        f"indicator-{indicator.id}-funnel",
        f"{indicator.name}{t('funnel')}（{month_text(month)}）",
        {"data": data, "layout": layout},
        columns,
        points,
    )


def trend_chart(ctx: SiteContext, indicator: Indicator, t: Label) -> Chart:
    """The city's completion against expected progress by month, and the benchmark where present.

    A count's or milestone's benchmark is a share of the annual task, drawn on the completion axis; a
    rate's benchmark is a rate, drawn with the city's pooled rate in a second panel below.
    """
    term = ctx.dataset.programme.benchmark_term
    rows = list(ctx.results.city.filter(pl.col("indicator_id") == indicator.id).sort("month").iter_rows(named=True))
    months = [r["month"] for r in rows]
    completion = [rounded(None if r["completion"] is None else 100 * r["completion"], 2) for r in rows]
    expected = [rounded(100 * r["expected"], 2) for r in rows]
    benchmark = [rounded(r["benchmark"], 2) for r in rows]
    has_benchmark = any(b is not None for b in benchmark)
    city, completion_label, expected_label = t("city"), t("completion"), t("expected")
    x, x_axis = month_axis(months)

    def percent_line(name: str, values: list[float | None], colour: str, **extra: Any) -> dict[str, Any]:
        hover = f"{name}<br>%{{x}}：{PERCENT_HOVER}<extra></extra>"
        return _line(name, x, values, colour, hovertemplate=hover, **extra)

    data = [
        {
            **percent_line(f"{city}{completion_label}", completion, SERIES_COLOURS["completion"]),
            "mode": "lines+markers",
        },
        percent_line(expected_label, expected, SERIES_COLOURS["expected"], line={"dash": "dash"}),
    ]
    columns = [t("month"), f"{city}{completion_label}", expected_label]
    layout = _layout(t("month"), f"{completion_label}（%）")
    layout["xaxis"].update(x_axis)
    layout["yaxis"]["ticksuffix"] = "%"
    extra: list[list[float | None]] = []
    if has_benchmark and indicator.kind == "rate":
        actual = [rounded(r["actual"], 2) for r in rows]
        for name, values, colour in (
            (f"{city}{t('actual')}", actual, SERIES_COLOURS["rate"]),
            (term, benchmark, SERIES_COLOURS["benchmark"]),
        ):
            data.append({**_line(name, x, values, colour), "mode": "lines+markers", "yaxis": "y2"})
            columns.append(f"{name}（{indicator.unit}）")
            extra.append(values)
        layout["yaxis"]["domain"] = [0.55, 1]
        layout["xaxis"]["anchor"] = "y2"  # month labels under the lower panel
        layout["yaxis2"] = {"title": {"text": f"{t('actual')}（{indicator.unit}）"}, "domain": [0, 0.42], "anchor": "x"}
    elif has_benchmark:
        name = f"{term}{completion_label}"
        data.append({**percent_line(name, benchmark, SERIES_COLOURS["benchmark"]), "mode": "lines+markers"})
        columns.append(name)
        extra.append(benchmark)
    shares = indicator.kind != "rate"  # a count's benchmark is a share of the task, a rate's is in the unit
    table = [
        [
            month_text(m),
            percent_text(c),
            percent_text(e),
            *(percent_text(series[i]) if shares else cell(series[i]) for series in extra),
        ]
        for i, (m, c, e) in enumerate(zip(months, completion, expected, strict=True))
    ]
    return Chart(
        f"indicator-{indicator.id}-trend",
        f"{indicator.name}{t('trend')}",
        {"data": data, "layout": layout},
        columns,
        table,
    )


def rank_history(ctx: SiteContext) -> list[tuple[str, list[int | None]]]:
    """Per district, in the latest month's rank order: its rank in each month (None when unranked)."""
    ranks: dict[str, dict[str, int | None]] = {r.id: {} for r in ctx.dataset.regions}
    standings = ctx.results.standings
    if not standings.is_empty():
        for row in standings.select("month", "region_id", "rank").iter_rows(named=True):
            ranks[row["region_id"]][row["month"]] = row["rank"]
    latest = ctx.rankings[ctx.latest] if ctx.latest else []
    order = [r.region_id for r in latest] or [r.id for r in ctx.dataset.regions]
    return [(region_id, [ranks[region_id].get(m) for m in ctx.months]) for region_id in order]


def bump_chart(ctx: SiteContext, t: Label) -> Chart:
    """Each district's rank month by month, one line per district labelled with its short name."""
    months = list(ctx.months)
    x, x_axis = month_axis(months)
    data = []
    table: list[list[object]] = []
    for number, (region_id, series) in enumerate(rank_history(ctx)):
        region = ctx.regions[region_id]
        last = max((i for i, v in enumerate(series) if v is not None), default=-1)
        colour = LINE_COLOURS[number % len(LINE_COLOURS)]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "name": region.short_name,
                "x": x,
                "y": series,
                "text": [region.short_name if i == last else "" for i in range(len(months))],
                "textposition": "middle right",
                "cliponaxis": False,
                "line": {"color": colour, "width": 2},
                "marker": {"color": colour},
                "textfont": {"color": colour},
                "hovertemplate": f"{region.short_name}<br>%{{x}}：第%{{y}}名<extra></extra>",
            }
        )
        table.append([region.name, *("—" if v is None else v for v in series)])
    layout = _layout(t("month"), t("rank"))
    layout["xaxis"].update(x_axis)
    layout["yaxis"].update({"autorange": "reversed", "dtick": 1})
    layout["margin"]["r"] = 80
    layout["showlegend"] = False
    columns = [t("district"), *(month_text(m) for m in months)]
    return Chart("rankings-bump", t("rankings"), {"data": data, "layout": layout}, columns, table)
