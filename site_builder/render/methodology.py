"""The methodology page's city-specific parts, made from the site's own data (no I/O).

Every value from the data is written through `markdown_text` (HTML- and Markdown-escaped): the fragments
are Markdown, which would pass HTML through.

docs/methodology.md is the method in general. Where it shows a city's numbers it holds a block between
`<!-- city:NAME -->` and `<!-- city:end -->` (the example programme's, for the editors' documentation);
the site stage replaces each block with the fragment of that name made here, so a city's site explains
the method with its own progress profiles and a worked example of one of its own districts.
"""

from __future__ import annotations

import html
from typing import Any

import polars as pl

from site_builder.core.method import LINEAR
from site_builder.render.base import markdown_text as md
from site_builder.render.context import SiteContext
from site_builder.render.labels import month_label

HEADER = ("指标", "编码", "完成值 A", "目标 T", "完成率 c", "序时进度 e", "进度比 p", "计入值 min(p, cap)", "分值 w")
SKIPPED = {"not_applicable": "不适用", "not_due": "未到报送期"}


def plain(value: float) -> str:
    """A number as written in the worked example: at most four decimals, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fragments(ctx: SiteContext) -> dict[str, str]:
    """`profiles` and `example`, as Markdown."""
    return {"profiles": _profiles(ctx), "example": _example(ctx)}


def _profiles(ctx: SiteContext) -> str:
    programme = ctx.dataset.programme
    users: dict[str, list[str]] = {}
    for indicator in ctx.dataset.indicators:
        users.setdefault(indicator.profile, []).append(md(indicator.name))
    lines = [f"{md(programme.city)}的 `programme.yaml` 定义的曲线，以及使用每条曲线的指标：", ""]
    if not programme.profiles:
        lines.append("没有定义曲线，所有指标都按 `linear`（m ÷ 12）计算序时进度。")
        return "\n".join(lines) + "\n"
    lines += [
        "| 曲线 | " + " | ".join(f"{m}月" for m in range(1, 13)) + " | 用于 |",
        "| --- |" + " --- |" * 13,
    ]
    for name, values in programme.profiles.items():
        shares = " | ".join(f"{value:g}" for value in values)
        lines.append(
            f"| <code>{html.escape(name)}</code> | {shares} | {'、'.join(users.get(name, [])) or '（未使用）'} |"
        )
    if LINEAR in users:
        lines += ["", f"使用内置 `linear` 曲线的指标：{'、'.join(users[LINEAR])}。"]
    return "\n".join(lines) + "\n"


def _chosen(ctx: SiteContext) -> tuple[str, str] | None:
    """The latest month and the district ranked in the middle of it (a typical case, not an extreme)."""
    latest = ctx.latest
    if latest is None:
        return None
    ranked = sorted((r for r in ctx.rankings[latest] if r.rank is not None), key=lambda r: (r.rank, r.region_id))
    if not ranked:
        return None
    return latest, ranked[(len(ranked) - 1) // 2].region_id


def _actual_text(row: dict[str, Any]) -> str:
    if row["kind"] == "rate":
        return f"{row['actual']:.4f}（= 100 × {plain(row['numerator'])} / {plain(row['denominator'])}）"
    if row["kind"] == "level" and row.get("city_rule") == "pooled":
        return f"{row['actual']:.4f}（= {plain(row['numerator'])} / {plain(row['denominator'])}）"
    return plain(row["actual"])


def _example(ctx: SiteContext) -> str:
    programme = ctx.dataset.programme
    chosen = _chosen(ctx)
    if chosen is None:
        return "本站还没有月报，有了第一个月的月报后，这里会给出本市一个地区的算例。\n"
    month, region_id = chosen
    region = ctx.regions[region_id]
    cap = programme.ranking.cap
    m = int(month[5:7])
    rows = ctx.results.progress.filter((pl.col("month") == month) & (pl.col("region_id") == region_id))
    ranking = next(r for r in ctx.rankings[month] if r.region_id == region_id)
    simulated = "**本站数据为模拟数据，仅用于演示，不代表任何地区的真实进展。** " if programme.simulated else ""
    lines = [
        f"以下算例取自本站数据（{md(programme.city)}，{programme.year} 年）。{simulated}"
        f"以{md(region.name)} {month[:4]} 年 {m} 月（m = {m}）为例，本市设置为 `ranking.cap` = {cap:g}、"
        f"`ranking.missing_value` = `{programme.ranking.missing_value}`。率类指标的 A 是百分数，括号中是月报的分子"
        f"和分母；越低越好的指标 T 是上限，c 为达标程度、e 记为 1。各指标的 e 取自其序时进度曲线的 {m} 月值"
        f"（`linear` 为 {m}/12）。",
        "",
        "<!-- worked-example:start -->",
        "",
        "| " + " | ".join(HEADER) + " |",
        "| --- | --- |" + " ---: |" * 7,
    ]
    total = weights = 0.0
    capped: list[str] = []
    behind: list[str] = []
    for row in rows.sort("indicator_order").iter_rows(named=True):
        indicator = ctx.indicators[row["indicator_id"]]
        head = f"| {md(indicator.name)} | `{indicator.id}` |"
        if row["status"] in SKIPPED:
            lines.append(head + f" {SKIPPED[row['status']]} |" + " — |" * 5 + f" {plain(indicator.weight)} |")
            continue
        weights += indicator.weight
        if row["ratio"] is None:  # missing: counts as the missing-value rule says
            lines.append(head + " 未报 |" + " — |" * 5 + f" {plain(indicator.weight)} |")
            continue
        counted = min(row["ratio"], cap)
        total += indicator.weight * counted
        if row["ratio"] > cap:
            capped.append(md(indicator.name))
        if row["light"] not in ("green", "na"):
            behind.append(md(indicator.name))
        lines.append(
            head + f" {_actual_text(row)} | {plain(row['target'])} | {row['completion']:.4f} | {row['expected']:.4f}"
            f" | {row['ratio']:.4f} | {counted:.4f} | {plain(indicator.weight)} |"
        )
    lines += ["", f"Σ w·min(p, cap) = {total:.4f}，Σ w = {plain(weights)}。", ""]
    score = ranking.score if ranking.score is not None else float("nan")  # chosen among the ranked: a number
    interval = f"{ranking.rank_low}–{ranking.rank_high}" if ranking.rank_low is not None else "—"
    lines += [f"综合得分 S = {score:.4f}，排名第 {ranking.rank} 名，排名区间 {interval}。", ""]
    lines += ["<!-- worked-example:end -->", "", "读表：", ""]
    lines.append(
        f"- 进度比超过 {cap:g}、计入值封顶为 {cap:g} 的指标：{'、'.join(capped)}。"
        if capped
        else f"- 没有指标的进度比超过 {cap:g}，各项都按 p 原值计入。"
    )
    lines.append(
        "- S = Σ w·min(p, cap) ÷ Σ w（不适用和未到报送期的指标不计入 Σ w）。程序用完整精度计算；用表中四舍五入到"
        " 4 位小数的数字手算，结果的最后一位可能相差 1。"
    )
    lines.append(
        f"- 没有达到序时进度（黄灯或红灯）的指标：{'、'.join(behind)}。"
        if behind
        else "- 各项指标都达到序时进度（绿灯）。"
    )
    verdict = "判断稳健" if ranking.robust else "判断不稳健，末位的认定要结合实际情况"
    lines.append(
        f"- 排名区间 {interval}：在权重、封顶和汇总方式随机变化的抽样中，{md(region.name)} 90% 的情况下排在这一区间；"
        f"{month_label(month)}共 {len(ctx.rankings[month])} 个{md(programme.region_term)}，末位数为 "
        f"{programme.ranking.bottom_n}，{md(region.name)}{'在' if ranking.bottom else '不在'}末位，{verdict}。"
    )
    return "\n".join(lines) + "\n"
