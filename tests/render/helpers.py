"""Helpers the render tests share: contexts computed once per session, link checks, chart and
escaping checks, and data folders with script and HTML payloads."""

from __future__ import annotations

import csv
import functools
import io
import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from site_builder.commands.check import compute_folder
from site_builder.render import indicator_downloads, organization, people, regions
from site_builder.render.base import Chart, Page, page_url
from site_builder.render.bulletin_record import issued_copies, manifest_path, report_download, xlsx_path
from site_builder.render.context import (
    SiteContext,
    bulletin_path,
    group_path,
    indicator_path,
    leader_path,
    person_path,
    region_path,
)
from site_builder.render.downloads import DATA_PACKAGE, tables
from site_builder.render.official import document_path, documents
from site_builder.render.responsibility import with_leader_page
from tests.conftest import REPO, TODAY, VALID

FOLDERS = {"fixture": VALID, "data": REPO / "data", "zaozhuang": REPO / "examples" / "zaozhuang"}
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINK = "*emph* [x](javascript:alert(1))"
HEADING = "# heading"
ATTRIBUTES = "{: onclick=alert(1)}"  # attr_list is on: a heading must not take attributes from data


def context_of(folder: Path) -> SiteContext:
    """The site context of any data folder that validates."""
    computed = compute_folder(folder, TODAY)
    assert computed.dataset is not None, computed.validated.findings
    assert computed.results is not None
    return SiteContext(computed.dataset, computed.results, editions=computed.editions)


@functools.cache
def context(name: str) -> SiteContext:
    """The context of a shipped example or the fixture, computed once per test session."""
    return context_of(FOLDERS[name])


@functools.cache
def family_pages(name: str) -> dict[str, Page]:
    ctx = context(name)
    found = [*organization.pages(ctx), *people.pages(ctx), *regions.pages(ctx)]
    by_path = {page.path: page for page in found}
    assert len(by_path) == len(found), "two pages with the same path"
    return by_path


def _served(path: str) -> str:
    """The URL path MkDocs serves a docs path at, without slashes at the ends."""
    stem = path.removesuffix(".md")
    stem = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem
    return stem.strip("/")


def resolve(href: str, current: str) -> str:
    """The served path a relative href on page `current` points at."""
    base = _served(current)
    return posixpath.normpath(posixpath.join(base, href)).strip("/").removeprefix(".")


def known_targets(name: str) -> set[str]:
    ctx = context(name)
    paths = set(family_pages(name))
    paths |= {indicator_path(i.id) for i in ctx.dataset.indicators}
    paths |= {bulletin_path(m) for m in ctx.months} | {"index.md", "methodology.md"}
    paths |= {leader_path(p) for p in with_leader_page(ctx.dataset)}  # render/leaders.py
    return {_served(p) for p in paths}


HREF = re.compile(r'\shref="([^"]*)"')
DATA_CHART = re.compile(r'\sdata-chart="([^"]*)"')


def assert_links_resolve(name: str, pages: dict[str, Page]) -> None:
    targets = known_targets(name)
    for page in pages.values():
        for href in HREF.findall(page.body):
            assert not re.match(r"^[a-z][a-z0-9+.-]*:", href), f"{page.path}: absolute link {href}"
            assert resolve(href, page.path) in targets, f"{page.path}: {href} leads to no page"
        charts = {f"charts/{chart.id}.json" for chart in page.charts}
        for source in DATA_CHART.findall(page.body):
            assert resolve(source, page.path) in charts, f"{page.path}: {source} is not a chart of the page"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(html: str, where: str) -> None:
    """No script element, no event handler attribute, no javascript: link in this HTML."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object"), f"{where}: <{tag}>"
        for attribute, value in attrs:
            assert not attribute.startswith("on"), f"{where}: <{tag} {attribute}=…>"
            target = "".join((value or "").split()).lower()
            assert not target.startswith(("javascript:", "data:")), f"{where}: <{tag} {attribute}={value}>"
    assert "<script" not in html.lower(), where


def as_html(body: str) -> str:
    """The page as MkDocs turns it into HTML, with the site's Markdown extensions."""
    return markdown.markdown(body, extensions=["admonition", "tables", "attr_list", "md_in_html", "toc"])


def _inject(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_injected(target: Path) -> Path:
    """A copy of the valid fixture with payloads in names, titles, duties and explanations."""
    shutil.copytree(VALID, target)
    _inject(target / "people.csv", "zhao,赵一,局长,", f"zhao,赵一{SCRIPT},局长{IMAGE},")
    _inject(target / "people.csv", "qian,钱二,副局长,", f"qian,{HEADING} 钱二 {ATTRIBUTES},{LINK},")
    _inject(target / "units.csv", "office,办公室,", f"office,办公室{SCRIPT},")
    _inject(target / "regions.csv", "east,东区,", f"east,东区{IMAGE},")
    _inject(target / "regions.csv", "west,西区,", f"west,{HEADING} 西区 {LINK},")
    _inject(target / "indicators.csv", "participation,参合率,", f"participation,参合率{SCRIPT},")
    organization_yaml = target / "organization.yaml"
    _inject(organization_yaml, "name: 医改领导小组", f'name: "医改领导小组{SCRIPT}"')
    _inject(organization_yaml, "duties: 统筹医改工作。", f'duties: "{LINK} {IMAGE}"')
    _inject(organization_yaml, "name: 领导小组办公室", f'name: "办公室{IMAGE}"')
    _inject(organization_yaml, "name: 医疗保障推进组", f'name: "{HEADING} 医疗保障推进组{SCRIPT}"')
    _inject(organization_yaml, "duties: 推进医疗保障。", f'duties: "{IMAGE} {HEADING}"')
    reports = target / "reports"
    _inject(reports / "2011-02" / "west.csv", "筛查车检修，已租用替代车辆。", f"{SCRIPT}筛查车检修")
    _inject(reports / "2011-02" / "west.csv", "试点方案待市里批复，数值下月补报。", f"{LINK} {IMAGE}")
    _inject(reports / "2011-01" / "west.csv", "受春节影响，筛查推迟到下月。", f"{HEADING} 受春节影响")
    return target


_INJECTED: dict[str, Page] = {}


def injected_pages(factory: pytest.TempPathFactory) -> dict[str, Page]:
    """The three families' pages of the injected fixture, built once per test session."""
    if not _INJECTED:
        ctx = context_of(build_injected(factory.mktemp("injected") / "data"))
        _INJECTED.update({p.path: p for p in [*organization.pages(ctx), *people.pages(ctx), *regions.pages(ctx)]})
    return _INJECTED


def pages_under(name: str, prefix: str) -> dict[str, Page]:
    """The organization, people and region pages of a folder whose paths start with `prefix`."""
    return {path: page for path, page in family_pages(name).items() if path.startswith(prefix)}


LINK_HREF = re.compile(r'href="([^"]*)"')


def link_targets(ctx: SiteContext) -> set[str]:
    """Every docs path a generated page may link to: path-helper outputs, the family pages, downloads."""
    dataset = ctx.dataset
    targets = {"methodology.md", "downloads.md", "rankings.md", "reporting.md", "bulletins/index.md"}
    targets |= {"indicators/index.md"}
    targets |= {region_path(r.id) for r in dataset.regions} | {person_path(p.id) for p in dataset.people}
    targets |= {indicator_path(i.id) for i in dataset.indicators} | {bulletin_path(m) for m in ctx.months}
    targets |= {group_path(g.id) for g in dataset.organization.task_groups}
    targets |= {leader_path(p) for p in with_leader_page(dataset)}  # render/leaders.py
    targets |= set(tables(ctx)) | {xlsx_path(m) for m in ctx.months} | {DATA_PACKAGE}
    for indicator in dataset.indicators:  # each indicator's own downloads
        targets |= {
            indicator_downloads.csv_path(indicator.id, ctx.year),
            indicator_downloads.xlsx_path(indicator.id, ctx.year),
        }
    targets |= {manifest_path(b.month) for b in dataset.bulletins if b.published}
    targets |= {
        document_path(month, suffix, corrected)
        for month, doc in documents(ctx)
        for suffix in ("docx", "pdf", "print.html")
        for corrected in (False, True)
    }  # render/documents.py
    targets |= {report_download(path) for path in dataset.report_files}
    for bulletin in dataset.bulletins:
        targets |= {report_download(copy) for copy in issued_copies(bulletin).values()}
    return targets


def assert_links(page: Page, ctx: SiteContext) -> None:
    """Every link leads to a generated page or file; a fragment to an element of this page (or to a
    bulletin's errata)."""
    allowed = {page_url(target, page.path) for target in link_targets(ctx)}
    ids = set(re.findall(r'\sid="([^"]*)"', page.body))
    ids |= set(re.findall(r"\{ ?#([\w-]+) ?\}", page.body))  # heading ids (attr_list)
    for href in LINK_HREF.findall(page.body):
        target, _, fragment = href.partition("#")
        if not target:
            assert fragment in ids, f"{page.path}: link to #{fragment}, which is not on the page"
            continue
        assert target in allowed, f"{page.path}: unexpected link {href}"
        assert fragment in ("", "errata"), f"{page.path}: unexpected fragment in {href}"


def assert_chart(chart: Chart) -> None:
    """A chart is plain JSON data (no NaN), and its table is rectangular with no empty cells."""
    json.dumps(chart.figure, allow_nan=False)
    assert chart.rows, chart.id
    for row in chart.rows:
        assert len(row) == len(chart.columns), chart.id
        assert all(cell is not None for cell in row), chart.id


def by_path(pages: list[Page]) -> dict[str, Page]:
    return {page.path: page for page in pages}


def edit_csv(path: Path, change: dict[str, str], where: dict[str, str] | None = None) -> None:
    """Rewrite columns of a CSV file (in every row, or in rows matching `where`)."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fields = list(rows[0])
    for row in rows:
        if where is None or all(row[k] == v for k, v in where.items()):
            row.update({k: v.replace("{old}", row[k]) for k, v in change.items()})
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def square(lon: float, lat: float, size: float = 1.0) -> list[list[float]]:
    half = size / 2
    return [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
