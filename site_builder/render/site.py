"""The whole generated site as values: every page, chart and download, the navigation, and the
words the Chinese search must keep whole. Nothing is written here; `site/build.py` does that."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from site_builder.compute import Results
from site_builder.compute.errata import Edition
from site_builder.compute.years import Year
from site_builder.model import Dataset
from site_builder.render import (
    accountability,
    bulletins,
    documents,
    downloads,
    home,
    indicators,
    leaders,
    liaison,
    organization,
    people,
    rankings,
    regions,
    reporting,
    supervision,
)
from site_builder.render.base import Page, chart_json
from site_builder.render.context import SiteContext
from site_builder.render.labels import label
from site_builder.render.methodology import fragments


class PageFamily(Protocol):
    """A module of pages of one kind: its pages(ctx) are the site's pages."""

    def pages(self, ctx: SiteContext, /) -> list[Page]: ...


@runtime_checkable
class FileFamily(Protocol):
    """A page family that also makes files besides its pages (downloads)."""

    def files(self, ctx: SiteContext, /) -> dict[str, bytes]: ...


# The page families, in navigation order; each module has pages(ctx) and may have files(ctx).
# A family imports only the shared render modules, never another family (tests/render/test_families.py).
FAMILIES: tuple[PageFamily, ...] = (
    home,
    bulletins,
    regions,
    liaison,
    leaders,
    indicators,
    organization,
    people,
    rankings,
    reporting,
    accountability,
    supervision,
    downloads,
    documents,
)
SECTION_TITLES = {
    "bulletins": "bulletins",
    "regions": "regions",
    "indicators": "indicators",
    "org": "organization",
    "people": "people",
    "leaders": "leader_pages",
}
# Static pages from docs/ in the readers' navigation, after the generated ones. The other pages of docs/
# (the editors' guide and reference, the maintainers' notes) are built too, reached from the footer's
# 编辑与维护说明 link, and kept out of the sidebar and the search (site/build.py).
STATIC_NAV: list[object] = [{"方法说明": "methodology.md"}]


@dataclass(frozen=True)
class Site:
    files: dict[str, bytes]  # docs-relative path -> content, pages and charts and downloads
    nav: list[object]
    search_words: list[str]  # names the search segmenter must not split (regions, people, units)
    fragments: dict[str, str] = field(default_factory=dict)  # `<!-- city:NAME -->` blocks of the static pages


def _nav(pages: list[Page]) -> list[object]:
    """MkDocs' navigation. Titles are HTML-escaped: the theme writes nav titles into the page as
    markup, and a title may come from the data (a district's name)."""
    nav: list[object] = []
    sections: dict[str, list[object]] = {}
    for page in pages:
        if not page.nav:
            continue
        head = page.path.split("/")[0]
        if "/" not in page.path:
            nav.append({html.escape(page.title): page.path})
            continue
        key = SECTION_TITLES.get(head, head)
        if key not in sections:
            sections[key] = []
            nav.append({label(key): sections[key]})
        entry: object = page.path if page.path.endswith("/index.md") else {html.escape(page.title): page.path}
        sections[key].append(entry)
    return nav


def render_site(
    dataset: Dataset,
    results: Results,
    editions: dict[str, list[Edition]] | None = None,
    past: dict[int, Year] | None = None,
    *,
    pdf: bool = False,
) -> Site:
    """Every page and file of the site; `editions` are the corrected bulletins' figures as issued and after
    each erratum (a bulletin not in it is shown from today's data, which are its sealed data); `past` the
    past programme years with reports (compute/years.py), whose bulletins, rankings and year-end pages stay;
    `pdf` whether the site stage prints each bulletin's PDF (its page then links it)."""
    ctx = SiteContext(dataset, results, editions=editions or {}, past=past or {}, pdf=pdf)
    pages: list[Page] = []
    files: dict[str, bytes] = {}
    for family in FAMILIES:
        pages.extend(family.pages(ctx))
        if isinstance(family, FileFamily):
            files.update(family.files(ctx))
    for page in pages:
        files[page.path] = page.body.encode("utf-8")
        for chart in page.charts:
            files[f"charts/{chart.id}.json"] = chart_json(chart).encode("utf-8")
    # proper names stay whole words; indicator names are left to the segmenter and the glossary,
    # so that a search for a term inside them (新农合) still finds them
    words = [r.name for r in dataset.regions] + [r.short_name for r in dataset.regions]
    words += [p.name for p in dataset.people] + [u.name for u in dataset.units] + [f.name for f in dataset.facilities]
    return Site(files=files, nav=_nav(pages), search_words=sorted(set(words)), fragments=fragments(ctx))
