"""Figures of the district pages, as plain plotly dicts, each with the table of its numbers.

No colours for backgrounds or fonts: the site script applies the light or dark theme. Text from the
data that plotly draws (indicator names) is entity-escaped, because plotly reads a small set of
HTML-like tags in labels; the tables under the charts are escaped by `chart_block`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from site_builder.render.base import Chart
from site_builder.render.labels import label, month_label

COMPLETION_COLOUR = "#1565c0"
EXPECTED_COLOUR = "#8d8d8d"
RANK_COLOUR = "#6a1b9a"
PANEL_COLUMNS = 3
PANEL_HEIGHT = 220
MISSING = "—"


def plot_text(text: str) -> str:
    """Data text for a plotly label: plotly reads <b>, <a> … in labels, so entities instead."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def month_tick(month: str) -> str:
    """'2011-05' → '5月': the tick of a month axis."""
    return f"{int(month[5:7])}月"


def month_axis(months: Sequence[str]) -> tuple[list[str], dict[str, Any]]:
    """The x values ('2011年5月', the site's month format, which hover labels show) and the category axis
    that every chart's month axis uses: ticks '1月' … '12月', with the year only where a new year starts
    after the first ('2012年1月')."""
    values = [month_label(m) for m in months]
    ticks = [month_label(m) if i > 0 and m[:4] != months[i - 1][:4] else month_tick(m) for i, m in enumerate(months)]
    axis = {"type": "category", "tickmode": "array", "tickvals": values, "ticktext": ticks, "fixedrange": True}
    return values, axis


PERCENT_HOVER = "%{y:.1f}%"  # every chart shows a percentage with one decimal, as the tables do


def percent_text(value: float | None) -> str:
    """A percentage (already × 100) with one decimal, as every chart's table and hover label shows it."""
    return MISSING if value is None or not math.isfinite(value) else f"{value:.1f}%"


def _percent(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value * 100, 2)


def _percent_text(value: float | None) -> str:
    return percent_text(_percent(value))


def shared_range(values: Sequence[float | None]) -> list[float] | None:
    """One y range [0, top] for small multiples of the same measure: from 0 to at least 100%, in steps of 10,
    with room above the highest point; None when nothing is plotted."""
    present = [v for v in values if v is not None and math.isfinite(v)]
    if not present:
        return None
    top = max(100.0, *present)
    return [min(0.0, 10 * math.floor(min(present) / 10)), 10 * math.ceil((top + 5) / 10)]


@dataclass(frozen=True)
class ProgressPoint:
    month: str
    completion: float | None  # None when not reported: a gap in the line, never imputed
    expected: float | None
    light: str


@dataclass(frozen=True)
class ProgressPanel:
    indicator_id: str
    name: str
    points: Sequence[ProgressPoint]


def _axis(kind: str, index: int) -> str:
    """Trace reference of the index-th subplot axis: 'x', 'x2', …"""
    return kind if index == 1 else f"{kind}{index}"


def _layout_key(kind: str, index: int) -> str:
    return f"{kind}axis" if index == 1 else f"{kind}axis{index}"


def progress_figure(panels: Sequence[ProgressPanel]) -> dict[str, Any]:
    """Small multiples: one panel per indicator, completion against expected progress by month, all on one
    y scale (every panel is a percentage of its annual task). Three across here; the site script lays them
    out one per row on a narrow screen and wraps their titles to the panel width (assets/js/charts.js)."""
    columns = max(1, min(PANEL_COLUMNS, len(panels)))
    rows = max(1, math.ceil(len(panels) / columns))
    completion_name = label("completion")
    expected_name = label("expected")
    data: list[dict[str, Any]] = []
    margin = {"t": 80, "r": 20, "b": 40, "l": 50}
    height = PANEL_HEIGHT * rows + margin["t"] + margin["b"]
    legend_y = 1 + 40 / (height - margin["t"] - margin["b"])  # above the first row's panel titles
    layout: dict[str, Any] = {
        "grid": {"rows": rows, "columns": columns, "pattern": "independent", "ygap": 0.45, "xgap": 0.12},
        "height": height,
        "showlegend": True,
        "legend": {"orientation": "h", "x": 0, "y": round(legend_y, 4), "yanchor": "bottom"},
        "margin": margin,
        "hovermode": "x unified",
        "annotations": [],
        "meta": {"panels": len(panels), "panel_height": PANEL_HEIGHT},
    }
    y_range = shared_range([_percent(v) for panel in panels for p in panel.points for v in (p.completion, p.expected)])
    for index, panel in enumerate(panels, start=1):
        x, x_axis = month_axis([p.month for p in panel.points])
        name = plot_text(panel.name)
        common = {"x": x, "xaxis": _axis("x", index), "yaxis": _axis("y", index), "type": "scatter"}
        data.append(
            {
                **common,
                "name": completion_name,
                "legendgroup": "completion",
                "showlegend": index == 1,
                "mode": "lines+markers",
                "y": [_percent(p.completion) for p in panel.points],
                "line": {"color": COMPLETION_COLOUR, "width": 2},
                "marker": {"size": 6},
                "connectgaps": False,
                "hovertemplate": f"{name}<br>{completion_name} {PERCENT_HOVER}<extra></extra>",
            }
        )
        data.append(
            {
                **common,
                "name": expected_name,
                "legendgroup": "expected",
                "showlegend": index == 1,
                "mode": "lines",
                "y": [_percent(p.expected) for p in panel.points],
                "line": {"color": EXPECTED_COLOUR, "width": 2, "dash": "dot"},
                "hovertemplate": f"{expected_name} {PERCENT_HOVER}<extra></extra>",
            }
        )
        layout[_layout_key("x", index)] = x_axis
        y_axis: dict[str, Any] = {"ticksuffix": "%", "fixedrange": True}
        if y_range is None:
            y_axis["rangemode"] = "tozero"
        else:
            y_axis.update({"range": y_range, "autorange": False})
        layout[_layout_key("y", index)] = y_axis
        layout["annotations"].append(
            {
                "text": name,
                "xref": f"{_axis('x', index)} domain",
                "yref": f"{_axis('y', index)} domain",
                "x": 0.5,
                "y": 1.02,
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
    return {"data": data, "layout": layout}


def progress_chart(chart_id: str, title: str, panels: Sequence[ProgressPanel]) -> Chart:
    """The small multiples and their numbers in long form: indicator, month, completion, expected, light."""
    rows = [
        [panel.name, month_label(p.month), _percent_text(p.completion), _percent_text(p.expected), label(p.light)]
        for panel in panels
        for p in panel.points
    ]
    columns = [label("indicators"), label("month"), label("completion"), label("expected"), label("light")]
    return Chart(chart_id, title, progress_figure(panels), columns, rows)


@dataclass(frozen=True)
class RankPoint:
    month: str
    rank: int | None
    low: int | None
    high: int | None
    score: float | None
    light: str


def rank_figure(points: Sequence[RankPoint], ranked: int) -> dict[str, Any]:
    """Rank by month (1 at the top), with the Monte Carlo rank interval as error bars."""
    above = [max(0, p.rank - p.low) if p.rank is not None and p.low is not None else 0 for p in points]
    below = [max(0, p.high - p.rank) if p.rank is not None and p.high is not None else 0 for p in points]
    rank_name = label("rank")
    yaxis: dict[str, Any] = {"title": {"text": rank_name}, "autorange": False, "range": [ranked + 0.5, 0.5]}
    if ranked <= 20:
        yaxis["dtick"] = 1
    x, x_axis = month_axis([p.month for p in points])
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": rank_name,
                "x": x,
                "y": [p.rank for p in points],
                "connectgaps": False,
                "line": {"color": RANK_COLOUR, "width": 2},
                "marker": {"size": 8},
                "error_y": {"type": "data", "symmetric": False, "array": below, "arrayminus": above, "width": 4},
                "hovertemplate": f"%{{x}} {rank_name} %{{y}}<extra></extra>",
            }
        ],
        "layout": {
            "height": 320,
            "showlegend": False,
            "margin": {"t": 20, "r": 20, "b": 40, "l": 60},
            "xaxis": x_axis,
            "yaxis": {**yaxis, "fixedrange": True},
        },
    }


def rank_chart(chart_id: str, title: str, points: Sequence[RankPoint], ranked: int) -> Chart:
    def interval(p: RankPoint) -> str:
        return MISSING if p.low is None or p.high is None else f"{p.low}–{p.high}"

    rows = [
        [
            month_label(p.month),
            MISSING if p.rank is None else str(p.rank),
            interval(p),
            MISSING if p.score is None else f"{p.score:.3f}",
            label(p.light),
        ]
        for p in points
    ]
    columns = [label("month"), label("rank"), label("rank_interval"), label("score"), label("light")]
    return Chart(chart_id, title, rank_figure(points, ranked), columns, rows)


def panels_from_rows(
    indicators: Sequence[tuple[str, str]], months: Sequence[str], rows: Mapping[tuple[str, str], Mapping[str, Any]]
) -> list[ProgressPanel]:
    """Panels for (indicator id, name) pairs from progress rows keyed by (indicator id, month)."""
    panels = []
    for indicator_id, name in indicators:
        points = []
        for month in months:
            row = rows.get((indicator_id, month))
            if row is None:
                points.append(ProgressPoint(month, None, None, "grey"))
                continue
            completion = None if row.get("missing") or row.get("light") == "na" else row.get("completion")
            light = str(row.get("light") or "grey")
            if light == "na":  # not applicable or not yet due: its status is what the table says
                light = f"status_{row.get('status') or 'not_applicable'}"
            points.append(ProgressPoint(month, completion, row.get("expected"), light))
        panels.append(ProgressPanel(indicator_id, name, points))
    return panels
