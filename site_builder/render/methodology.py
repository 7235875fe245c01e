"""The methodology page's city-specific parts, made from the site's own data (no I/O).

Every value from the data is written through `markdown_text` (HTML- and Markdown-escaped): the fragments
are Markdown, which would pass HTML through.

docs/methodology.md is the method in general. Where it shows a city's numbers it holds a block between
`<!-- city:NAME -->` and `<!-- city:end -->` (the example programme's, for the editors' documentation);
the site stage replaces each block with the fragment of that name made here, so a city's site explains
the method with its own progress profiles, a worked example of one of its own districts and its own settings.
The page is for readers (a bureau's leaders): Chinese names, no configuration keys or codes; the keys and
their defaults are the editors' (docs/reference/data-contract.md).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from site_builder.core.method import LINEAR
from site_builder.render import forecast_method
from site_builder.render.base import markdown_text as md
from site_builder.render.context import SiteContext
from site_builder.render.labels import deadline_text, month_label, profile_label

HEADER = ("指标", "完成值 A", "目标 T", "完成率 c", "序时进度 e", "进度比 p", "计入值 q", "分值 w")
MISSING_RULES = {
    "zero": "按 0 计分（分值仍计入分母）",
    "exclude": "不计入（其余指标的分值按比例放大）",
}
SKIPPED = {"not_applicable": "不适用", "not_due": "未到报送期"}


def plain(value: float) -> str:
    """A number as written in the worked example: at most four decimals, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def fragments(ctx: SiteContext) -> dict[str, str]:
    """`profiles`, `example`, `settings` and `forecast` (the early warning, render/forecast_method.py), as Markdown."""
    return {
        "profiles": _profiles(ctx),
        "example": _example(ctx),
        "settings": _settings(ctx),
        "forecast": forecast_method.section(ctx),
    }


def settings(ctx: SiteContext) -> list[tuple[str, str, str, str]]:
    """Every method setting of the programme: (section, field, its name for readers, the city's value)."""
    programme = ctx.dataset.programme
    ranking, lights, uncertainty = programme.ranking, programme.lights, programme.uncertainty
    missing = MISSING_RULES.get(ranking.missing_value, ranking.missing_value)
    return [
        ("ranking", "cap", "封顶值 K：单项进度比最多按此计入", f"{ranking.cap:g}"),
        ("ranking", "bottom_n", "末位数 N：通报中排在最后的几名为末位", f"{ranking.bottom_n} 名"),
        ("ranking", "missing_value", "缺报的数如何计分", missing),
        ("ranking", "summon_after_red_months", "连续红灯几个月建议列席例会", f"{ranking.summon_after_red_months} 个月"),
        ("ranking", "commend_n", "年度表彰候选数", f"{ranking.commend_n} 名"),
        ("ranking", "penalize_n", "年度惩戒候选数", f"{ranking.penalize_n} 名"),
        ("lights", "yellow_band", "黄灯宽度 δ：落后于序时进度不超过此数为黄灯", f"{lights.yellow_band:g}"),
        ("uncertainty", "draws", "排名区间的抽样次数 D", f"{uncertainty.draws} 次"),
        ("uncertainty", "seed", "排名区间的随机种子", str(uncertainty.seed)),
        (
            "uncertainty",
            "weight_spread",
            "权重扰动幅度 s：抽样时每个分值上下浮动的比例",
            f"{uncertainty.weight_spread:g}",
        ),
        ("reporting", "deadline_day", "每月报送截止日", f"{programme.reporting.deadline_day} 日"),
        ("reporting", "deadline_month_offset", "报送要求", deadline_text(programme.reporting)),
    ]


def _settings(ctx: SiteContext) -> str:
    lines = [f"{md(ctx.dataset.programme.city)}的设置：", "", "| 项目 | 本市取值 |", "| --- | --- |"]
    lines += [f"| {md(name)} | {md(value)} |" for _, _, name, value in settings(ctx)]
    return "\n".join(lines) + "\n"


def _profiles(ctx: SiteContext) -> str:
    programme = ctx.dataset.programme
    users: dict[str, list[str]] = {}
    for indicator in ctx.dataset.indicators:
        users.setdefault(indicator.profile, []).append(md(indicator.name))
    lines = [f"{md(programme.city)}使用的序时进度曲线，以及使用每条曲线的指标：", ""]
    if not programme.profiles:
        lines[0] = f"{md(programme.city)}的所有指标都按月平均（每月 1/12）计算序时进度。"
        return "\n".join(lines) + "\n"
    lines += [
        "| 曲线 | " + " | ".join(f"{m}月" for m in range(1, 13)) + " | 用于 |",
        "| --- |" + " --- |" * 13,
    ]
    for name, values in programme.profiles.items():
        shares = " | ".join(f"{value:g}" for value in values)
        lines.append(f"| {md(profile_label(name))} | {shares} | {'、'.join(users.get(name, [])) or '（未使用）'} |")
    if LINEAR in users:
        lines += ["", f"其余指标按月平均（每月 1/12）：{'、'.join(users[LINEAR])}。"]
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
    missing = MISSING_RULES.get(programme.ranking.missing_value, programme.ranking.missing_value)
    simulated = "**本站数据为模拟数据，仅用于演示，不代表任何地区的真实进展。** " if programme.simulated else ""
    lines = [
        f"以下算例取自本站数据（{md(programme.city)}，{programme.year} 年）。{simulated}"
        f"以{md(region.name)} {month[:4]} 年 {m} 月（m = {m}）为例，本市封顶值 K = {cap:g}，缺报的数{missing}。"
        f"率类指标的 A 是百分数，"
        f"括号中是月报的分子和分母；越低越好的指标 T 是上限，c 为达标程度、e 记为 1。各指标的 e 取自其序时进度曲线的"
        f" {m} 月值（按月平均为 {m}/12）；计入值 q 是进度比 p 和封顶值 K 中较小的一个。",
        "",
        "<!-- worked-example:start -->",
        "",
        "| " + " | ".join(HEADER) + " |",
        "| --- |" + " ---: |" * 7,
    ]
    total = weights = 0.0
    capped: list[str] = []
    behind: list[str] = []
    for row in rows.sort("indicator_order").iter_rows(named=True):
        indicator = ctx.indicators[row["indicator_id"]]
        head = f"| {md(indicator.name)} |"
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
    lines += ["", f"Σ w·q = {total:.4f}，Σ w = {plain(weights)}。", ""]
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
        "- S = Σ w·q ÷ Σ w，即各指标“分值 × 计入值”之和除以分值之和（不适用和未到报送期的指标不计入）。"
        "程序用完整精度计算；用表中四舍五入到"
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
