"""The context every page renderer receives: the model, the computed results, lookups, helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import jinja2
import polars as pl
from markupsafe import Markup

from site_builder.compute import RankRow, Results, month_ranking
from site_builder.compute.errata import Edition
from site_builder.compute.years import Year
from site_builder.model import Dataset, Indicator, Person, Region, Unit
from site_builder.render.base import Chart, Page, chart_block, environment, page_url
from site_builder.render.cells import helpers


@dataclass
class SiteContext:
    dataset: Dataset
    results: Results
    env: jinja2.Environment = field(default_factory=environment)
    editions: dict[str, list[Edition]] = field(default_factory=dict)  # month -> as issued, after each erratum
    past: dict[int, Year] = field(default_factory=dict)  # past programme years with reports, newest first
    pdf: bool = False  # the site stage prints each bulletin's PDF (`bulletin build --pdf` with Chromium)

    def as_issued(self, month: str) -> SiteContext:
        """The context month's bulletin is drawn from: its first edition when it was corrected, else this one."""
        editions = self.editions.get(month)
        if not editions:
            return self
        return SiteContext(editions[0].dataset, editions[0].results, self.env, pdf=self.pdf)

    @property
    def year(self) -> int:
        """The programme year this context shows."""
        return self.dataset.programme.year

    def past_years(self) -> list[SiteContext]:
        """A context per past programme year (its own figures, months and bulletins), newest first."""
        return [
            SiteContext(y.dataset, y.results, self.env, self.editions, pdf=self.pdf)
            for _, y in sorted(self.past.items())[::-1]
        ]

    @property
    def months(self) -> tuple[str, ...]:
        return self.results.months

    @property
    def latest(self) -> str | None:
        return self.months[-1] if self.months else None

    @cached_property
    def people(self) -> dict[str, Person]:
        return {p.id: p for p in self.dataset.people}

    @cached_property
    def regions(self) -> dict[str, Region]:
        return {r.id: r for r in self.dataset.regions}

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.dataset.indicators}

    @cached_property
    def units(self) -> dict[str, Unit]:
        return {u.id: u for u in self.dataset.units}

    @cached_property
    def rankings(self) -> dict[str, list[RankRow]]:
        return {month: month_ranking(self.dataset, self.results, month) for month in self.months}

    @cached_property
    def forecasts(self) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
        """month → (region, indicator) → the year-end projection as of that month (compute/forecast.py)."""
        found: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
        for row in self.results.forecast.iter_rows(named=True):
            found.setdefault(row["month"], {})[(row["region_id"], row["indicator_id"])] = row
        return found

    @cached_property
    def forecasts_grouped(self) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
        """(month, "region" or "indicator", id) → that district's or indicator's projections of the month, in
        the order of `forecasts`: grouped once, so that a page per district or indicator reads only its own."""
        found: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        for month, rows in self.forecasts.items():
            for (region, indicator), row in rows.items():
                found.setdefault((month, "region", region), []).append(row)
                found.setdefault((month, "indicator", indicator), []).append(row)
        return found

    @cached_property
    def region_order(self) -> dict[str, int]:
        """A district's position in regions.csv."""
        return {r.id: n for n, r in enumerate(self.dataset.regions)}

    def progress(self, **where: str) -> pl.DataFrame:
        """Progress rows filtered by column values, e.g. progress(region_id="x", month="2011-05")."""
        frame = self.results.progress
        for column, value in where.items():
            frame = frame.filter(pl.col(column) == value)
        return frame

    def render(self, template: str, page: Page, **values: object) -> str:
        """Render a template for `page`; `url(target)` in it links relative to that page."""

        def url(target: str) -> str:
            return page_url(target, page.path)

        def chart(figure: Chart) -> Markup:
            if figure not in page.charts:
                page.charts.append(figure)
            return chart_block(figure, page.path)

        paths = {
            "region_path": region_path,
            "person_path": person_path,
            "leader_path": leader_path,
            "indicator_path": indicator_path,
            "group_path": group_path,
            "bulletin_path": bulletin_path,
        }
        return self.env.get_template(template).render(
            ctx=self, page=page, url=url, chart=chart, **paths, **helpers(), **values
        )


def unit_name(ctx: SiteContext, unit_id: str | None) -> str:
    """A unit's name; its id when the unit is unknown, '' when there is none."""
    if unit_id is None:
        return ""
    unit = ctx.units.get(unit_id)
    return unit.name if unit is not None else unit_id


def latest_ranks(ctx: SiteContext) -> dict[str, RankRow]:
    """The latest month's ranking line of every district that has one."""
    if ctx.latest is None:
        return {}
    return {row.region_id: row for row in ctx.rankings.get(ctx.latest, [])}


# Paths of the generated pages, in one place so that every renderer links the same way.
METHODOLOGY = "methodology.md"  # a static page from docs/


def region_path(region_id: str) -> str:
    return f"regions/{region_id}.md"


def person_path(person_id: str) -> str:
    return f"people/{person_id}.md"


def leader_path(person_id: str) -> str:
    """A leader's page (render/leaders.py): their 联系点 and 包保 districts at a glance."""
    return f"leaders/{person_id}.md"


def indicator_path(indicator_id: str) -> str:
    return f"indicators/{indicator_id}.md"


def group_path(group_id: str) -> str:
    return f"org/{group_id}.md"


def bulletin_path(month: str) -> str:
    return f"bulletins/{month}.md"


def rankings_year_path(year: int) -> str:
    """A past programme year's rankings (the current year's are rankings.md)."""
    return f"rankings/{year}.md"


def reporting_year_path(year: int) -> str:
    """A past programme year's reporting status (the current year's is reporting.md)."""
    return f"reporting/{year}.md"


def accountability_year_path(year: int) -> str:
    """A past programme year's year-end page (the current year's is accountability.md)."""
    return f"accountability/{year}.md"
