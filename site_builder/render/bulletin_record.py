"""The record parts of a bulletin page: its errata with their effects, and where each figure came from;
also which bulletin a month has (its document, or the draft it would be) and the paths of its files,
which the bulletin and download pages share.

A corrected bulletin is drawn from its first edition (the data as sealed when it was issued);
beneath it each erratum lists the figures it changed, old → new, and what that did to the ranks,
found by comparing consecutive editions. Every completion in the bulletin's tables links to the
report line it was computed from.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass

import polars as pl
from markupsafe import Markup

from site_builder.compute.errata import Edition, FigureChange, RankChange, effects
from site_builder.core.documents import Bulletin, ChangedFile, Erratum, default_title
from site_builder.issuing.seal import copy_path
from site_builder.render.base import number, percent
from site_builder.render.context import SiteContext
from site_builder.render.labels import label


def xlsx_path(month: str) -> str:
    """The docs-relative path of a month's bulletin tables as a workbook (written by downloads)."""
    return f"downloads/bulletin-{month}.xlsx"


def bulletin_for(ctx: SiteContext, month: str) -> Bulletin:
    """The month's bulletin document, or the generated draft when there is no file for it."""
    for bulletin in ctx.dataset.bulletins:
        if bulletin.month == month:
            return bulletin
    programme = ctx.dataset.programme
    issue = issue_number(ctx, month)
    return Bulletin(
        month=month,
        title=default_title(programme, month, issue),
        status="draft",
        number=issue,
        cc=list(programme.bulletin.cc),
    )


def issue_number(ctx: SiteContext, month: str) -> int | None:
    """The bulletin's own number; None for a draft: `bulletin publish` numbers bulletins in the order they
    are issued, so a draft has no number until then (no guess that a later issue would contradict)."""
    for bulletin in ctx.dataset.bulletins:
        if bulletin.month == month and bulletin.number is not None:
            return bulletin.number
    return None


def issue_text(ctx: SiteContext, month: str) -> str:
    """第8期, or 草稿 for a bulletin not yet published."""
    number = issue_number(ctx, month)
    return label("draft") if number is None else f"第{number}期"


def manifest_path(month: str) -> str:
    """The docs-relative path of a published bulletin's manifest (written by the downloads family)."""
    return f"downloads/bulletin-{month}-manifest.json"


def report_download(path: str) -> str:
    """Where a report file is served for readers to check a figure against (downloads family)."""
    return f"downloads/{path}"


def manifest_json(bulletin: Bulletin) -> bytes:
    """A published bulletin's publication record as JSON: number, date, manifest, and the errata's seals."""
    manifest = bulletin.manifest
    record = {
        "month": bulletin.month,
        "title": bulletin.title,
        "number": bulletin.number,
        "issued_on": bulletin.issued_on,
        "manifest": None
        if manifest is None
        else {
            "sealed_on": manifest.sealed_on,
            "generator": manifest.generator,
            "method": dataclasses.asdict(manifest.method),
            "files": [dataclasses.asdict(entry) for entry in manifest.entries()],
        },
        "errata": [dataclasses.asdict(erratum) for erratum in bulletin.errata],
    }
    text = json.dumps(record, ensure_ascii=False, indent=2, default=str)
    return (text + "\n").encode("utf-8")


@dataclass(frozen=True)
class Change:
    where: str
    what: str
    item: str
    old: str
    new: str


@dataclass(frozen=True)
class ErratumView:
    number: int
    erratum: Erratum
    figures: list[Change]
    ranks: list[Change]
    files: list[ChangedFile]
    compared: bool  # its editions were computed, so no changes listed means none


def _value(field: str, value: object, unit: str = "") -> str:
    if value is None:
        return "—"
    if field == "completion":
        return percent(value)
    if field == "light":
        return label(str(value))
    if field in ("bottom", "summoned"):
        return label("yes" if value else "no")
    if field == "score":
        return number(value, 3)
    if field == "rank_change" and isinstance(value, int):
        return f"↑{value}" if value > 0 else (f"↓{-value}" if value < 0 else "→")
    text = number(value)
    return f"{text} {unit}".strip() if field == "actual" else text


def _figure(ctx: SiteContext, change: FigureChange) -> Change:
    indicator = ctx.indicators[change.indicator_id]
    where = label("whole_city") if change.region_id is None else ctx.regions[change.region_id].name
    old = _value(change.field, change.old, indicator.unit)
    return Change(
        where, indicator.name, label(f"field_{change.field}"), old, _value(change.field, change.new, indicator.unit)
    )


def _rank(ctx: SiteContext, change: RankChange) -> Change:
    region = ctx.regions[change.region_id].name
    return Change(
        region, "", label(f"field_{change.field}"), _value(change.field, change.old), _value(change.field, change.new)
    )


def own_corrections(views: list[ErratumView]) -> int:
    """How many sealed errata changed the bulletin's own figures or ranks. An erratum recorded because a
    file it was computed from was corrected for another bulletin, with no effect on its figures, does not
    count; one whose effects were not computed does (nothing says it changed nothing)."""
    return sum(
        1 for view in views if view.erratum.sealed_on is not None and (view.figures or view.ranks or not view.compared)
    )


def errata_views(ctx: SiteContext, bulletin: Bulletin) -> list[ErratumView]:
    """Each sealed erratum with what it changed in the bulletin (when its editions were computed)."""
    editions: list[Edition] = ctx.editions.get(bulletin.month, [])
    views = []
    for number_, erratum in enumerate(bulletin.errata, start=1):
        figures: list[Change] = []
        ranks: list[Change] = []
        compared = erratum.sealed_on is not None and number_ < len(editions)
        if compared:
            found = effects(editions[number_ - 1], editions[number_], bulletin.month)
            figures = [_figure(ctx, change) for change in found.figures]
            ranks = [_rank(ctx, change) for change in found.ranks]
        views.append(ErratumView(number_, erratum, figures, ranks, list(erratum.files), compared))
    return views


@dataclass(frozen=True)
class Source:
    file: str
    line: int
    submitted_on: str
    corrected_on: str


def sources(ctx: SiteContext, month: str) -> dict[tuple[str, str], Source]:
    """Per (region, indicator): the report file and line of the month's figure, and its dates."""
    rows = ctx.dataset.reports.filter(pl.col("month") == month).select(
        "region_id", "indicator_id", "file", "line", "submitted_on", "corrected_on"
    )
    return {
        (r["region_id"], r["indicator_id"]): Source(
            r["file"],
            r["line"],
            r["submitted_on"].isoformat() if r["submitted_on"] else "",
            r["corrected_on"].isoformat() if r["corrected_on"] else "",
        )
        for r in rows.iter_rows(named=True)
    }


def source_title(source: Source | None) -> str:
    """The hover text of a figure: file, line and submission date."""
    if source is None:
        return "未报"
    text = f"{source.file} 第{source.line}行，{source.submitted_on or '未报送'}报送"
    return text + (f"，{source.corrected_on}更正" if source.corrected_on else "")


def linked(region_id: str, source: Source | None, content: str) -> Markup:
    """A figure linking to its region's entry under 数据来源, titled with its file and line."""
    return Markup('<a class="bulletin-source" href="#src-{}" title="{}">{}</a>').format(
        region_id, source_title(source), Markup(content)
    )


@dataclass(frozen=True)
class RegionSources:
    region_id: str
    name: str
    files: list[tuple[str, str]]  # (file, its download path)
    submitted_on: str
    corrected_on: str
    lines: str


def issued_copies(bulletin: Bulletin) -> dict[str, str]:
    """For a corrected bulletin, the sealed copy each replaced file was issued from (path -> copy path)."""
    out: dict[str, str] = {}
    for number_, erratum in enumerate(bulletin.corrected, start=1):
        for change in erratum.files:
            if change.previous is not None:
                out.setdefault(change.path, copy_path(bulletin.month, number_, change.path))
    return out


def region_sources(
    ctx: SiteContext, month: str, found: dict[tuple[str, str], Source], copies: dict[str, str]
) -> list[RegionSources]:
    """Per region: the report files its figures came from (a corrected file: its copy as sealed), lines, dates."""
    out = []
    for region in ctx.dataset.regions:
        own = [found[(region.id, i.id)] for i in ctx.dataset.indicators if (region.id, i.id) in found]
        files = sorted({s.file for s in own})
        submitted = sorted({s.submitted_on for s in own if s.submitted_on})
        corrected = sorted({s.corrected_on for s in own if s.corrected_on})
        lines = f"第{min(s.line for s in own)}–{max(s.line for s in own)}行" if own else "—"
        out.append(
            RegionSources(
                region.id,
                region.name,
                [(f, report_download(copies.get(f, f))) for f in files],
                "、".join(submitted) or "未报送",
                "、".join(corrected),
                lines,
            )
        )
    return out
