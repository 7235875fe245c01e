"""A bulletin as an official document (公文): the same content as its page, as plain text and tables,
which `official_html` lays out for print (GB/T 9704-2012) and `official_docx` as a Word file (no I/O).

The document is drawn from the data the bulletin was issued with (`SiteContext.as_issued`); a corrected
bulletin has a second document beside it, drawn from its last edition (after its errata). Links become
text, provenance and digests stay on the site, and a table wider than a portrait page can hold
(`ANNEX_COLUMNS`) becomes a landscape annex (附件) referred to from the text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import polars as pl

from site_builder.compute import RankRow
from site_builder.compute.ranking import due_date
from site_builder.render.base import number, percent
from site_builder.render.bulletin_record import bulletin_for, errata_views, issue_number, own_corrections
from site_builder.render.cells import city_summed, lower, neutral, status_of, status_word
from site_builder.render.charts_indicators import month_text
from site_builder.render.context import SiteContext
from site_builder.render.indicator_overview import benchmark, city_na_words, city_rows, indicator_sections
from site_builder.render.labels import chinese_number, date_text, t

ANNEX_COLUMNS = 8  # a table with more columns than this goes to a landscape annex
LIGHT_CHARS = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰"}
_MARKUP = re.compile(r"[*_`#>]+|\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、 (黑体), 2: （一） (楷体)
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    annex: int | None = None  # its number as an annex (附件N), printed landscape after the text


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    """Everything a printed or Word bulletin shows, in order, as text."""

    stem: str  # file name without extension: bulletin-2011-09, bulletin-2011-09-corrected
    issuer: str  # 发文机关标志
    marking: str  # 内部资料 注意保存, or ""
    number_line: str  # 2011年第8期 (草稿 for a draft)
    issued: str  # 2011年10月8日, or "" for a draft
    issued_on: dt.date  # the date the document's metadata carry (issue date, else the cutoff)
    title: str
    blocks: tuple[Block, ...]
    annexes: tuple[Table, ...]
    cc: tuple[str, ...]
    note: str  # the simulated-data notice printed in every page's footer, or ""
    edition: str = ""  # "" as issued; 更正后 for the corrected edition

    @property
    def printed(self) -> str:
        """The 印发日期 of the 版记 (2011年10月8日印发), or 草稿."""
        return f"{self.issued}印发" if self.issued else t("draft")

    @property
    def colophon(self) -> str:
        """印发机关 and date (the 印发 line of the 版记) as one line of text."""
        return f"{self.issuer}　{self.printed}"


def document_path(month: str, suffix: str, corrected: bool = False) -> str:
    """Where a bulletin's document is served (docs-relative): downloads/bulletin-2011-09.docx."""
    return f"downloads/bulletin-{month}{'-corrected' if corrected else ''}.{suffix}"


def plain(text: str) -> str:
    """Markdown of a bulletin's own text as plain text: links keep their words, emphasis marks go."""
    return _MARKUP.sub(lambda m: m.group(1) or "", text).strip()


def _light(light: str | None) -> str:
    return t(light or "grey")


def _completion(value: object, indicator_lower: bool) -> str:
    shown = percent(value)
    return f"{t('attainment')}{shown}" if indicator_lower and shown != "—" else shown


def _overview(ctx: SiteContext, month: str) -> Table:
    programme = ctx.dataset.programme
    city = city_rows(ctx, month)
    na_words = city_na_words(ctx, month)
    header: tuple[str, ...] = (
        t("indicator"),
        t("measure_unit"),
        t("actual"),
        t("target"),
        t("completion"),
        t("expected"),
    )
    header += (t("light"), t("reported"), programme.benchmark_term, "比较")
    rows = []
    for indicator in ctx.dataset.indicators:
        c = city.get(indicator.id)
        found = benchmark(ctx, indicator, c)
        tail = (
            f"{c['reported']}/{c['regions']}" if c else "—",
            found.value if found else "—",
            found.comparison if found and found.comparison else "—",
        )
        if c and c["light"] == "na":
            rows.append((indicator.name, indicator.unit, "—", "—", "—", "—", na_words.get(indicator.id, ""), *tail))
        elif not city_summed(indicator):
            expected = percent(c["expected"] if c else None)
            rows.append((indicator.name, indicator.unit, "—", "—", "—", expected, t("city_none"), *tail))
        else:
            rows.append(
                (
                    indicator.name,
                    indicator.unit,
                    number(c["actual"] if c else None),
                    number(c["target"] if c else None),
                    _completion(c["completion"] if c else None, lower(indicator)),
                    percent(c["expected"] if c else None),
                    _light(c["light"] if c else None),
                    *tail,
                )
            )
    caption = f"{month_text(month)}全市各项指标完成情况（与{programme.benchmark_term}对比）"
    return Table(caption, header, tuple(rows))


def _chip(cell: dict[str, object] | None, light: str) -> str:
    return "－" if light == "na" or neutral(cell) else LIGHT_CHARS.get(light, "灰")


def _ranking(
    ctx: SiteContext, month: str, rows: list[RankRow], cells: dict[tuple[str, str], dict[str, object]]
) -> Table:
    term = ctx.dataset.programme.region_term
    header: tuple[str, ...] = (
        t("rank"),
        term,
        t("score"),
        t("light"),
        t("rank_change"),
        t("rank_interval"),
        t("compliance"),
    )
    header += (t("indicator_lights"),)
    out = []
    for row in rows:
        change = "—" if row.rank_change is None else ("→" if row.rank_change == 0 else f"{row.rank_change:+d}")
        interval = "—" if row.rank_low is None or row.rank_high is None else f"{row.rank_low}–{row.rank_high}"
        chips = "".join(_chip(cells.get((row.region_id, i)), light) for i, light in row.lights)
        out.append(
            (
                str(row.rank) if row.rank is not None else "—",
                row.name,
                number(row.score, 3),
                _light(row.light),
                change,
                interval,
                t(row.compliance) + (f"{row.days_late}天" if row.compliance == "late" and row.days_late else ""),
                chips,
            )
        )
    return Table(f"{month_text(month)}各{term}综合排名", header, tuple(out))


def _cells(ctx: SiteContext, month: str) -> dict[tuple[str, str], dict[str, object]]:
    return {(r["region_id"], r["indicator_id"]): r for r in ctx.progress(month=month).iter_rows(named=True)}


def _group_tables(
    ctx: SiteContext, month: str, rows: list[RankRow], cells: dict[tuple[str, str], dict[str, object]]
) -> list[tuple[str, Table]]:
    term = ctx.dataset.programme.region_term
    out = []
    for section in indicator_sections(ctx):
        header = (term, *(i.name for i in section.indicators))
        body = []
        for row in rows:
            values = [row.short_name]
            for indicator in section.indicators:
                cell = cells.get((row.region_id, indicator.id))
                if neutral(cell):
                    values.append(status_word(status_of(cell)))
                    continue
                light = str(cell["light"]) if cell else "grey"
                shown = percent(cell["completion"] if cell else None)
                values.append(f"{shown} {LIGHT_CHARS.get(light, '－')}")
            body.append(tuple(values))
        name = section.name if section.group_id else f"{section.name}（{t('lead_unit')}）"
        out.append((name, Table(f"{section.name}：各{term}完成率和灯（{month_text(month)}）", header, tuple(body))))
    return out


def _counts(frame: pl.DataFrame, column: str, keys: tuple[str, ...]) -> dict[str, int]:
    return {key: int((frame[column] == key).sum()) for key in keys}


def _laggards(ctx: SiteContext, rows: list[RankRow], cells: dict[tuple[str, str], dict[str, object]]) -> list[Block]:
    term = ctx.dataset.programme.region_term
    laggards = [row for row in rows if row.bottom]
    if not laggards:
        return [Paragraph(f"{t('none')}。")]
    out: list[Block] = [
        Paragraph(f"综合排名末位（后 {ctx.dataset.programme.ranking.bottom_n} 名）的{term}及其落后指标的书面说明如下。")
    ]
    for row in laggards:
        line = f"{row.name}：第{row.rank}名，综合得分 {number(row.score, 3)}，{t(row.light)}"
        if row.red_streak:
            line += f"，{t('red_streak')} {row.red_streak} 个月"
        out.append(Paragraph(line + "。"))
        for light in ("red", "yellow", "grey"):
            for indicator_id, own in row.lights:
                if own != light:
                    continue
                indicator = ctx.indicators[indicator_id]
                cell = cells.get((row.region_id, indicator_id)) or {}
                explanation = plain(str(cell.get("explanation") or "")) or t("no_explanation")
                out.append(
                    Paragraph(
                        f"{indicator.name}（{t(light)}，{_completion(cell.get('completion'), lower(indicator))}，"
                        f"{t('expected')} {percent(cell.get('expected'))}）：{explanation}"
                    )
                )
    return out


def _body(ctx: SiteContext, month: str, annexes: list[Table]) -> list[Block]:
    programme = ctx.dataset.programme
    term = programme.region_term
    rows = ctx.rankings[month]
    cells = _cells(ctx, month)
    filed = _counts(ctx.results.compliance.filter(pl.col("month") == month), "status", ("on_time", "late", "missing"))
    summed = [i.id for i in ctx.dataset.indicators if city_summed(i)]
    city = ctx.results.city.filter((pl.col("month") == month) & pl.col("indicator_id").is_in(summed))
    lights = _counts(city, "light", tuple(LIGHT_CHARS))
    bulletin = bulletin_for(ctx, month)
    cutoff = date_text(bulletin.cutoff or due_date(ctx.dataset, month))
    regions = len(ctx.dataset.regions)

    def table(item: Table) -> list[Block]:
        if len(item.header) <= ANNEX_COLUMNS:
            return [item]
        annexed = Table(item.caption, item.header, item.rows, annex=len(annexes) + 1)
        annexes.append(annexed)
        return [Paragraph(f"{item.caption}见附件{annexed.annex}。")]

    grey = f"、灰灯{lights['grey']}项" if lights["grey"] else ""
    out: list[Block] = [
        Paragraph(f"现将{month_text(month)}全市{programme.name}工作进展情况通报如下。"),
        Heading(1, "一、总体情况"),
        Paragraph(
            f"截至{cutoff}，全市{regions}个{term}中，{filed['on_time']}个按时报送月报，{filed['late']}个迟报，"
            f"{filed['missing']}个未报。全市{len(ctx.dataset.indicators)}项指标中，绿灯{lights['green']}项、"
            f"黄灯{lights['yellow']}项、红灯{lights['red']}项{grey}。"
        ),
        *table(_overview(ctx, month)),
        Heading(1, "二、综合排名"),
        *table(_ranking(ctx, month, rows, cells)),
        Paragraph(
            f"“{t('indicator_lights')}”一栏依次为："
            + "、".join(f"{n} {i.name}" for n, i in enumerate(ctx.dataset.indicators, start=1))
            + "。"
        ),
        Heading(1, "三、分组情况"),
    ]
    for n, (name, group) in enumerate(_group_tables(ctx, month, rows, cells), start=1):
        out += [Heading(2, f"（{chinese_number(n)}）{name}"), *table(group)]
    top = [r for r in rows if r.rank is not None and r.rank <= 3]
    leaders = "、".join(f"{r.name}（第{r.rank}名，综合得分 {number(r.score, 3)}）" for r in top)
    out += [
        Heading(1, "四、先进与后进"),
        Heading(2, f"（一）进度较快的{term}"),
        Paragraph(f"综合排名前三名：{leaders}。" if top else f"{t('none')}。"),
        Heading(2, f"（二）进度靠后的{term}"),
        *_laggards(ctx, rows, cells),
        Heading(2, f"（三）{t('summoned')}"),
    ]
    summoned = [r for r in rows if r.summoned]
    red = programme.ranking.summon_after_red_months
    leading = ctx.dataset.organization.leading_group
    if summoned:
        names = "、".join(f"{r.name}（{t('red_streak')} {r.red_streak} 个月）" for r in summoned)
        group_name = leading.name if leading else t("leading_group")
        out.append(
            Paragraph(
                f"{names}地区灯连续 {red} 个月以上为红灯，建议邀请其主要负责同志列席{group_name}例会说明情况，"
                "由领导小组办公室决定。"
            )
        )
    else:
        out.append(Paragraph(f"本月没有地区灯连续 {red} 个月以上为红灯的{term}。"))
    due = date_text(due_date(ctx.dataset, month))
    out += [
        Heading(1, "五、报送情况"),
        Paragraph(
            f"本月报送截止日期为{due}。{regions}个{term}中，按时报送{filed['on_time']}个，"
            f"迟报{filed['late']}个，未报{filed['missing']}个。"
        ),
    ]
    late = [r for r in rows if r.compliance != "on_time"]
    if late:
        header = (term, t("due"), t("submitted_on"), t("compliance"), t("days_late"))
        body = tuple(
            (
                r.name,
                due,
                date_text(dt.date.fromisoformat(r.submitted_on)) if r.submitted_on else "—",
                t(r.compliance),
                str(r.days_late) if r.compliance == "late" else "—",
            )
            for r in late
        )
        out += table(Table(f"{month_text(month)}迟报和未报的{term}", header, body))
    if bulletin.text:
        out.append(Heading(1, "六、有关事项"))
        out += [Paragraph(plain(part)) for part in re.split(r"\n\s*\n", bulletin.text) if plain(part)]
    return out


def document(ctx: SiteContext, month: str, *, corrected: bool = False) -> Document:
    """The bulletin of `month` as issued, or (`corrected`) as its last edition after its errata."""
    bulletin = bulletin_for(ctx, month)
    editions = ctx.editions.get(month)
    if corrected and editions:
        source = SiteContext(editions[-1].dataset, editions[-1].results, ctx.env)
    else:
        source = ctx.as_issued(month)
    programme = source.dataset.programme
    annexes: list[Table] = []
    blocks = _body(source, month, annexes)
    if corrected:
        sealed = "、".join(
            f"更正{chinese_number(n)}（{date_text(e.date)}）" for n, e in enumerate(bulletin.corrected, 1)
        )
        blocks.insert(0, Paragraph(f"本文件为本期通报按{sealed}更正后的文本，原印发文本另存。"))
    if annexes:
        names = "；".join(f"{a.annex}. {a.caption}" for a in annexes)
        blocks.append(Paragraph(f"附件：{names}"))
    number_value = issue_number(ctx, month)
    issued = date_text(bulletin.issued_on) if bulletin.issued_on else ""
    note = ""
    if programme.simulated:
        note = "模拟数据：" + (programme.simulation_note or t("simulated_note"))
    return Document(
        stem=f"bulletin-{month}{'-corrected' if corrected else ''}",
        issuer=programme.bulletin.issuer,
        marking=programme.bulletin.marking,
        number_line=f"{programme.year}年第{number_value}期"
        if number_value is not None
        else f"{programme.year}年{t('draft')}",
        issued=issued,
        issued_on=bulletin.issued_on or bulletin.cutoff or due_date(source.dataset, month),
        title=bulletin.title,
        blocks=tuple(blocks),
        annexes=tuple(annexes),
        cc=tuple(bulletin.cc or programme.bulletin.cc),
        note=note,
        edition="更正后" if corrected else "",
    )


def has_corrected_edition(ctx: SiteContext, month: str) -> bool:
    """Whether the month's bulletin has a corrected edition of its own: an erratum changed its figures
    or ranks (a bulletin that only followed another's correction, its figures unchanged, has none)."""
    bulletin = bulletin_for(ctx, month)
    if not bulletin.corrected or not ctx.editions.get(month):
        return False
    return own_corrections(errata_views(ctx, bulletin)) > 0


def documents(ctx: SiteContext) -> list[tuple[str, Document]]:
    """Every bulletin's documents (month, document): as issued, and after its errata when corrected,
    the current year's and the past years'."""
    out = []
    for year_ctx in [ctx, *ctx.past_years()]:
        for month in reversed(year_ctx.months):
            out.append((month, document(year_ctx, month)))
            if has_corrected_edition(year_ctx, month):
                out.append((month, document(year_ctx, month, corrected=True)))
    return out
