"""Bulletin pages: the archive, and one page per month laid out like an official 通报.

A month with a `bulletins/<month>.yaml` uses its title, number, dates, text, 抄送 and errata; a month
without one gets a draft with a generated title and the issuer and 抄送 of `programme.bulletin`. A draft
has no issue number (shown as 草稿): `bulletin publish` numbers bulletins in the order of issue. The
sections follow the monthly bulletin of the work mechanism: overall situation against the city and the
benchmark (全区/全省), the composite ranking with rank intervals, each task group, leaders and laggards
(with their written explanations and the proposed summons to the leading group's meeting), and
reporting compliance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
from markupsafe import Markup, escape

from site_builder.compute import RankRow
from site_builder.compute.ranking import due_date
from site_builder.model import Indicator
from site_builder.render import early_warning
from site_builder.render.base import Page, number
from site_builder.render.bulletin_record import (
    Source,
    bulletin_for,
    errata_views,
    issue_number,
    issue_text,
    issued_copies,
    manifest_path,
    own_corrections,
    region_sources,
    source_title,
    sources,
    xlsx_path,
)
from site_builder.render.cells import (
    NA,
    NEUTRAL,
    carried_mark,
    city_summed,
    completion_text,
    neutral,
    notes,
    status_of,
    status_text,
    status_word,
)
from site_builder.render.charts_indicators import month_text
from site_builder.render.context import METHODOLOGY, SiteContext, bulletin_path
from site_builder.render.first_seen import LABEL, Record
from site_builder.render.indicator_overview import (
    Benchmark,
    Section,
    benchmark,
    city_na_words,
    city_rows,
    indicator_sections,
)
from site_builder.render.labels import chinese_number, date_text, label, t
from site_builder.render.official import document_path, has_corrected_edition

Row = dict[str, Any]
TOP_N = 3
BEHIND = ("red", "yellow", "grey")  # lights of the indicators a laggard answers for, worst first
LIGHT_CHARS = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰"}
COMPLIANCE_KEYS = ("on_time", "late", "missing")


def short_title(ctx: SiteContext, month: str) -> str:
    return f"{month_text(month)}（{issue_text(ctx, month)}）"


def change_text(change: int | None) -> str:
    if change is None:
        return "—"
    if change > 0:
        return f"↑{change}"
    return f"↓{-change}" if change < 0 else "→"


def interval_text(row: RankRow) -> str:
    if row.rank_low is None or row.rank_high is None:
        return "—"
    return f"{row.rank_low}–{row.rank_high}"


def iso_date_text(value: str | None) -> str:
    """2011-08-04 → 2011年8月4日; — when there is no date."""
    return date_text(dt.date.fromisoformat(value)) if value else "—"


def compliance_text(status: str, days_late: int) -> str:
    return t(status) + (f"{days_late}天" if status == "late" and days_late else "")


@dataclass(frozen=True)
class Overview:
    indicator: Indicator
    city: Row | None
    benchmark: Benchmark | None


@dataclass(frozen=True)
class Behind:
    indicator: Indicator
    row: Row


@dataclass(frozen=True)
class Laggard:
    rank: RankRow
    behind: list[Behind]


def _remarks(row: RankRow, bottom_line: int | None) -> list[str]:
    remarks = []
    if row.bottom:
        remarks.append(t("bottom"))
    if row.summoned:
        remarks.append(t("summoned"))
    if row.rank is not None and not row.robust and bottom_line is not None:
        remarks.append(t("not_robust"))
    if row.red_streak >= 2:
        remarks.append(f"{t('red_streak')}{row.red_streak}个月")
    if row.missing_values:
        remarks.append(t("missing_values").format(n=row.missing_values))
    return remarks


def _cells(ctx: SiteContext, month: str) -> dict[tuple[str, str], Row]:
    frame = ctx.progress(month=month)
    columns = ["region_id", "indicator_id", "actual", "target", "completion", "expected", "light", "explanation"]
    frame = frame.select(*columns, *(c for c in ("status", "carried_from", "missing") if c in frame.columns))
    return {(r["region_id"], r["indicator_id"]): r for r in frame.iter_rows(named=True)}


def _chips(ctx: SiteContext) -> dict[tuple[str, str], str]:
    """Per indicator and light: the compact coloured character (绿, 黄, 红, 灰), titled with the indicator;
    per indicator and neutral status (not_due, not_applicable): a dashed －, titled with the status."""
    chip = '<span class="light-chip light-{light}" title="{n} {name}：{word}">{char}</span>'
    chips = {
        (i.id, light): chip.format(light=light, n=n, name=escape(i.name), word=label(light), char=char)
        for n, i in enumerate(ctx.dataset.indicators, start=1)
        for light, char in LIGHT_CHARS.items()
    }
    for n, i in enumerate(ctx.dataset.indicators, start=1):
        for status in NEUTRAL:
            chips[(i.id, status)] = chip.format(
                light="na", n=n, name=escape(i.name), word=status_word(status), char="－"
            )
    return chips


def _chip_key(indicator_id: str, light: str, cell: Row | None) -> tuple[str, str]:
    """The chip of a cell: by its light, or by its status when it has none."""
    return (indicator_id, status_of(cell) if light == NA or neutral(cell) else light)


def _group_cells(
    sections: list[Section],
    rows: list[RankRow],
    cells: dict[tuple[str, str], Row],
    chips: dict[tuple[str, str], str],
    found: dict[tuple[str, str], Source],
) -> list[dict[str, Markup]]:
    """Per task group, per district: the row's <td> cells (completion and light of each indicator, the
    completion linking to its source), built here rather than cell by cell in the template, since a
    national bulletin has millions of them."""
    out = []
    for section in sections:
        by_region = {}
        for row in rows:
            tds = []
            anchor = escape(row.region_id)
            for indicator in section.indicators:
                key = (row.region_id, indicator.id)
                cell = cells[key]
                chip = chips[_chip_key(indicator.id, cell["light"], cell)]
                if neutral(cell):  # not applicable, or not yet due: no figure, no source
                    tds.append(f"<td>{status_text(cell)} {chip}</td>")
                    continue
                title = escape(source_title(found.get(key)))
                shown = completion_text(cell["completion"], indicator)
                link = (
                    f'<a class="bulletin-source" href="#src-{anchor}" title="{title}">{shown}</a>{carried_mark(cell)}'
                )
                tds.append(f"<td>{link} {chip}</td>")
            by_region[row.region_id] = Markup("".join(tds))  # numbers and escaped text only
        out.append(by_region)
    return out


def _laggards(ctx: SiteContext, rows: list[RankRow], cells: dict[tuple[str, str], Row]) -> list[Laggard]:
    out = []
    for row in rows:
        if not row.bottom:
            continue
        behind = [
            Behind(ctx.indicators[indicator_id], cells[(row.region_id, indicator_id)])
            for light in BEHIND
            for indicator_id, own in row.lights
            if own == light
        ]
        out.append(Laggard(row, behind))
    return out


def _counts(frame: pl.DataFrame, column: str, keys: tuple[str, ...]) -> dict[str, int]:
    return {key: int((frame[column] == key).sum()) for key in keys}


def _documents(ctx: SiteContext, month: str) -> list[tuple[str, str]]:
    """The bulletin's files as issued (and, when corrected, after its errata): (label, docs-relative path);
    the PDF only when the build prints them (render/documents.py, site/chromium.py)."""
    editions = [False, True] if has_corrected_edition(ctx, month) else [False]
    out = []
    for corrected in editions:
        prefix = "更正后的" if corrected else ""
        if ctx.pdf:
            out.append((f"{prefix}PDF 文件", document_path(month, "pdf", corrected)))
        out.append((f"{prefix}Word 文件", document_path(month, "docx", corrected)))
    return out


def _forecast(ctx: SiteContext, month: str) -> list[tuple[str, str, list[early_warning.Alert]]]:
    """The month's early warnings (预警) by district: (region id, name, its warnings in indicator order)."""
    by_region: dict[str, list[early_warning.Alert]] = {}
    for alert in early_warning.alerts(ctx, month):
        if alert.row["forecast"] == "warning":
            by_region.setdefault(alert.region.id, []).append(alert)
    return [(r.id, r.name, by_region[r.id]) for r in ctx.dataset.regions if r.id in by_region]


def _month_page(ctx: SiteContext, month: str, *, nav: bool = True) -> Page:
    bulletin = bulletin_for(ctx, month)
    page = Page(bulletin_path(month), short_title(ctx, month), nav=nav)
    views = errata_views(ctx, bulletin)
    documents = _documents(ctx, month)
    record = Record.of(ctx)  # the history is the repository's, whichever edition is shown
    ctx = ctx.as_issued(month)  # a corrected bulletin shows the figures it was issued with
    programme = ctx.dataset.programme
    found = sources(ctx, month)
    rows = ctx.rankings[month]
    cells = _cells(ctx, month)
    city = city_rows(ctx, month)
    filed = ctx.results.compliance.filter(pl.col("month") == month)
    ranked = sum(1 for r in rows if r.rank is not None)
    bottom_n = programme.ranking.bottom_n
    bottom_line = ranked - bottom_n + 1 if bottom_n > 0 and ranked > 0 else None
    overview = [Overview(i, city.get(i.id), benchmark(ctx, i, city.get(i.id))) for i in ctx.dataset.indicators]
    sections = indicator_sections(ctx)
    chips = _chips(ctx)
    lights = {
        r.region_id: Markup("".join(chips[_chip_key(i, light, cells.get((r.region_id, i)))] for i, light in r.lights))
        for r in rows
    }
    summed = [i.id for i in ctx.dataset.indicators if city_summed(i)]  # a city rule `none` has no city light
    leading_group = ctx.dataset.organization.leading_group
    page.body = ctx.render(
        "bulletins/month.md.j2",
        page,
        t=t,
        methodology=METHODOLOGY,
        programme=programme,
        bulletin=bulletin,
        number=issue_number(ctx, month),
        issued=date_text(bulletin.issued_on),
        cutoff=date_text(bulletin.cutoff or due_date(ctx.dataset, month)),
        month=month_text(month),
        overview=overview,
        city_lights=_counts(
            ctx.results.city.filter((pl.col("month") == month) & pl.col("indicator_id").is_in(summed)),
            "light",
            tuple(LIGHT_CHARS),
        ),
        na_words=city_na_words(ctx, month),
        overview_notes=notes([], ctx.dataset.indicators, city=True),
        group_notes=notes(cells.values(), ctx.dataset.indicators, city=True),
        filed_counts=_counts(filed, "status", COMPLIANCE_KEYS),
        regions=len(ctx.dataset.regions),
        rows=rows,
        remarks={r.region_id: _remarks(r, bottom_line) for r in rows},
        bottom_line=bottom_line,
        sections=sections,
        group_cells=_group_cells(sections, rows, cells, chips, found),
        errata=views,
        corrected=own_corrections(views) > 0,
        provenance=region_sources(ctx, month, found, issued_copies(bulletin)),
        manifest=manifest_path(month) if bulletin.published and bulletin.manifest else None,
        sealed_files=len(bulletin.manifest.entries()) if bulletin.manifest else 0,
        lights=lights,
        city=city,
        top=[r for r in rows if r.rank is not None and r.rank <= TOP_N],
        top_n=TOP_N,
        laggards=_laggards(ctx, rows, cells),
        summoned=[r for r in rows if r.summoned],
        unstable=[r for r in rows if r.rank is not None and not r.robust and bottom_line is not None],
        late=[r for r in rows if r.compliance != "on_time"],
        due=date_text(due_date(ctx.dataset, month)),
        leading_group=leading_group.name if leading_group else t("leading_group"),
        cc=bulletin.cc or list(programme.bulletin.cc),
        xlsx=xlsx_path(month),
        documents=documents,
        change_text=change_text,
        interval_text=interval_text,
        compliance_text=compliance_text,
        chinese_number=chinese_number,
        date_text=date_text,
        iso_date_text=iso_date_text,
        band=number(100 * programme.lights.yellow_band),
        forecast=_forecast(ctx, month),
        forecast_watches=early_warning.counts(ctx, month)["watch"],
        forecast_level=early_warning.level_text(),
        record=record,
        record_label=LABEL,
        record_note=record.note(programme.region_term),
        month_id=month,
    )
    return page


def _issues(ctx: SiteContext) -> list[dict[str, Any]]:
    """The year's bulletins, newest first, as the archive lists them."""
    issues = [(month, bulletin_for(ctx, month)) for month in reversed(ctx.months)]
    own = {month: own_corrections(errata_views(ctx, bulletin)) for month, bulletin in issues}
    return [
        {
            "month": month,
            "month_text": month_text(month),
            "number": issue_number(ctx, month),
            "title": bulletin.title,
            "issued": date_text(bulletin.issued_on),
            "status": bulletin.status,
            "corrected": own[month],
            "followed": bool(bulletin.corrected) and not own[month],
        }
        for month, bulletin in issues
    ]


def _archive(ctx: SiteContext) -> Page:
    """Every year's bulletins, the current year first; a year's heading only when there are past years."""
    page = Page("bulletins/index.md", t("archive"))
    past = ctx.past_years()
    caption = f"{ctx.year}年{t('archive')}（新的在前）" if past else f"{t('archive')}（新的在前）"
    groups = [{"year": ctx.year, "issues": _issues(ctx), "caption": caption}]
    groups += [{"year": y.year, "issues": _issues(y), "caption": f"{y.year}年{t('archive')}（新的在前）"} for y in past]
    page.body = ctx.render(
        "bulletins/index.md.j2",
        page,
        t=t,
        title=page.title,
        groups=groups,
        headings=bool(past),
    )
    return page


def pages(ctx: SiteContext) -> list[Page]:
    """bulletins/index.md and bulletins/<month>.md for every month with reports, newest first; then the
    bulletins of past programme years, each drawn from its own year's figures (not in the navigation)."""
    out = [_archive(ctx)] + [_month_page(ctx, month) for month in reversed(ctx.months)]
    for year_ctx in ctx.past_years():
        out += [_month_page(year_ctx, month, nav=False) for month in reversed(year_ctx.months)]
    return out
