"""What every page renderer shares: the template environment, escaping, links, charts, pages.

Pages are Markdown files whose body is mostly HTML blocks written by jinja2 with autoescaping, so
every value from the data is escaped where it is rendered. Links are computed here for MkDocs'
directory URLs (`regions/x.md` is served at `regions/x/`), because MkDocs does not rewrite links
inside raw HTML.
"""

from __future__ import annotations

import functools
import html
import json
import math
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup, escape

from site_builder.render.labels import label
from site_builder.render.safe_markdown import render_narrative

LIGHT_SYMBOLS = {"green": "●", "yellow": "●", "red": "●", "grey": "○", "na": "–"}  # na: not due, not applicable
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


@dataclass(frozen=True)
class Chart:
    """A plotly figure (as JSON data) and the table that carries the same numbers."""

    id: str  # file name under charts/, without .json
    title: str
    figure: Mapping[str, Any]
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]


@dataclass
class Page:
    """One generated Markdown page, its charts, and where it sits in the navigation."""

    path: str  # relative to the generated docs folder, e.g. "regions/hailaer.md"
    title: str
    body: str = ""
    charts: list[Chart] = field(default_factory=list)
    nav: bool = True  # False: reached by links only (a past year's pages), not listed in the navigation


@functools.lru_cache(maxsize=1 << 16)  # the same few thousand links recur on every page
def page_url(target: str, current: str) -> str:
    """The relative URL from page `current` to page or file `target` (both docs-relative paths)."""

    def served(path: str) -> str:
        if not path.endswith(".md"):
            return path
        stem = path[: -len(".md")]
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return stem + "/"

    here = (
        posixpath.dirname(served(current).rstrip("/") + "/x") if current.endswith(".md") else posixpath.dirname(current)
    )
    if current.endswith(".md") and served(current) == "":
        here = ""
    there = served(target)
    relative = posixpath.relpath(there or ".", here or ".")
    if there.endswith("/") or there == "":
        relative = relative.rstrip("/") + "/"
    return "./" if relative in {"./", "."} else relative.removeprefix("./")


def markdown_text(value: object) -> Markup:
    """Data text for a Markdown context (a heading): HTML-escaped and Markdown-escaped.

    Quotes stay as they are: in text they are harmless, and an entity such as `&#39;` would have its
    `#` escaped for Markdown, which then shows the reader `&#39;`.
    """
    return Markup(_MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(str(value), quote=False)))


def number(value: object, places: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, float):
        text = f"{value:,.{places}f}"
        return text.rstrip("0").rstrip(".") if "." in text and places > 0 else text
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def percent(value: object, places: int = 1) -> str:
    if value is None or not isinstance(value, (int, float)) or math.isnan(value):
        return "—"
    return f"{value * 100:.{places}f}%"


def light_badge(light: str) -> Markup:
    """A coloured symbol with its name as text, so colour is never the only signal."""
    name = label(light)
    return Markup(
        f'<span class="light light-{escape(light)}" title="{escape(name)}">'
        f'<span aria-hidden="true">{LIGHT_SYMBOLS.get(light, "○")}</span>'
        f'<span class="light-text">{escape(name)}</span></span>'
    )


def chart_block(chart: Chart, current: str) -> Markup:
    """The placeholder the site script draws into, and the chart's data as a table below it."""
    source = page_url(f"charts/{chart.id}.json", current)
    head = "".join(f"<th>{escape(c)}</th>" for c in chart.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(number(v) if isinstance(v, float) else v)}</td>" for v in row) + "</tr>"
        for row in chart.rows
    )
    return Markup(
        f'<figure class="bulletin-chart-figure">'
        f'<div class="bulletin-chart" data-chart="{escape(source)}" role="group"'
        f' aria-label="{escape(chart.title)}"></div>'
        f"<figcaption>{escape(chart.title)}</figcaption>"
        f'<details class="chart-data"><summary>{escape(label("data_table"))}：{escape(chart.title)}</summary>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></details></figure>"
    )


def chart_json(chart: Chart) -> str:
    return json.dumps(chart.figure, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("site_builder", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=markdown_text,
        num=number,
        pct=percent,
        light=light_badge,
        narrative=render_narrative,
    )
    env.globals.update(t=label)
    return env
