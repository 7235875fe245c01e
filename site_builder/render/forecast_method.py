"""The methodology page's section on the early warning (预警): how the year-end value is projected, its
interval, what is flagged, and the back-test on the site's own data (compute/backtest.py), as Markdown.

The whole section is the `<!-- city:forecast -->` block of docs/methodology.md (render/methodology.py's
`fragments` adds it): its explanation is written here, apart from the rest of the page, and its figures
come from the site's data. Values from the data go through `markdown_text`.
"""

from __future__ import annotations

from site_builder.compute.backtest import Backtest, Origin, backtest
from site_builder.core.method import FORECAST_FLOOR, FORECAST_LEVEL
from site_builder.render.base import markdown_text as md
from site_builder.render.context import SiteContext

START, END = "<!-- backtest:start -->", "<!-- backtest:end -->"
HEADER = ("起点月份", "推算项数", "有区间的", "区间含实际值", "覆盖率", "未达序时进度", "其中已预警", "预警率", "误报")
LEAD = 3  # the summary line: projections made this many months before the scored month


def share(part: int, whole: int) -> str:
    """A share as printed on the page: one decimal percent, — of nothing."""
    return f"{100 * part / whole:.1f}%" if whole else "—"


def section(ctx: SiteContext) -> str:
    level = f"{FORECAST_LEVEL * 100:g}%"
    tail = f"{(1 - FORECAST_LEVEL) / 2 * 100:g}%"
    lines = [
        "年末预警回答一个问题：照目前的进度，到年底能不能完成年度目标？每月通报、地区页、指标页和领导专页都按"
        "当月及以前的月报给出各地区各指标的年末推算值和判断。",
        "",
        "**怎么推算。** 序时进度曲线 e 是各月应完成全年目标的比例（见第 1 节），T 是年度目标，m 月应完成 T × e(m)。",
        "",
        "- 数量类指标（累计数）：照本地区自己的节奏往下走。节奏 = 目前完成值 ÷（T × 本月的 e），年末预计值 = "
        "目前完成值 ÷ 本月的 e。例如 9 月完成 600、9 月的 e 为 0.75，年末预计 800。",
        "- 率和水平值：本地区的值随序时进度曲线变化，它与曲线的差距照自第一次上报以来的平均速度继续变化。"
        "年末预计值 = 目前的值 + T ×（1 − 本月的 e）+ 差距每月的变化 × 剩余月数。率的推算值不超出 0 到 100%。",
        "- 节点类指标（完成的阶段数）：不做数值推算。按序时进度，第 n 个阶段应在 T × e(m) 达到 n 的那个月底前完成；"
        "已经到期仍未完成的阶段为预警，下一次报送前到期的为关注。",
        "- 越低越好的指标：T 是上限，推算值高于上限就是完成不了；判断时看区间的下端。累计数已超过上限的，直接预警。",
        "- 只用实际报送的月份：按季度、半年报送的指标只用报送月份的数据，沿用的月份不重复计算；不适用的地区不推算。",
        "",
        f"**预测区间。** 每个地区每次报送的进展与“照自己的节奏（或差距速度）走”相比，总有偏多偏少。"
        "同一指标各地区的这些偏离合在一起，估计每月波动的大小；剩余的月份越多、本地区已有的月报越少，"
        f"区间越宽。区间按 t 分布取 {level}：照以往的波动，年末实际值大约有 {level} 的可能落在区间内，"
        f"高于上端和低于下端的可能各约 {tail}。只有一个月的月报时没有波动可估，只给推算值、不给区间。"
        f"数量类指标在曲线不增长的月份，波动至少按全年目标的 {FORECAST_FLOOR:.0%} 计。",
        "",
        "**判断。**",
        "",
        "| 判断 | 含义 |",
        "| --- | --- |",
        "| 预警 | 区间的有利一端（越高越好看上端，越低越好看下端）也达不到目标："
        f"完成目标的可能不到 {tail}；节点类：有阶段已逾期 |",
        "| 关注 | 推算值达不到目标，但区间包含目标；节点类：下一个阶段在下次报送前到期 |",
        "| 有望完成 | 推算值达到目标 |",
        "| 已完成 | 累计数或阶段数已达到全年目标（累计数不会减少） |",
        "| 暂无法预测 | 还没有月报或目标，或本月的序时进度为 0 |",
        "",
        "预警是提醒，不是考核：推算假定今后照目前的节奏走，督导、整改和年底集中攻坚都会改变结果。",
        "",
    ]
    return "\n".join(lines + _backtest(ctx)) + "\n"


def _row(origin: Origin, label: str) -> str:
    cells = (
        label,
        str(origin.cells),
        str(origin.intervals),
        str(origin.covered),
        share(origin.covered, origin.intervals),
        str(origin.misses),
        str(origin.flagged),
        share(origin.flagged, origin.misses),
        str(origin.false_alarms),
    )
    return "| " + " | ".join(cells) + " |"


def _backtest(ctx: SiteContext) -> list[str]:
    programme = ctx.dataset.programme
    found: Backtest | None = backtest(ctx.dataset, ctx.results.progress)
    if found is None:
        return ["**检验。** 本站有了两个月以上的月报后，这里会用较早月份的推算对照较晚月份的实际，检验预警。"]
    latest = found.latest
    simulated = (
        "**本站数据为模拟数据，这一检验只是演示，不能说明方法在实际中的准确程度。** " if programme.simulated else ""
    )
    lines = [
        f"**检验（回测）。** 用本站 {programme.year} 年 1—{latest} 月的数据（{md(programme.city)}）检验："
        f"从每个较早的月份出发，只用该月及以前的月报，按上面的方法推算各地区 {latest} 月的值"
        f"（按季度等报送的指标推算 {latest} 月及以前最近一个报送月份的值），再与实际报送的值对照。{simulated}",
        "",
        "- 覆盖率：有区间的推算中，区间含实际值的比例，应接近 " + f"{FORECAST_LEVEL * 100:g}%；",
        f"- 未达序时进度：{latest} 月实际未达到序时进度的地区指标项数；预警率：其中在起点月份已被预警的比例；",
        "- 误报：起点月份预警、但实际达到了序时进度的项数。",
        "",
        START,
        "",
        "| " + " | ".join(HEADER) + " |",
        "| --- |" + " ---: |" * (len(HEADER) - 1),
    ]
    lines += [_row(origin, f"{origin.month}月") for origin in found.origins]
    lines.append(_row(found.total(), "合计"))
    lines += ["", END, ""]
    ahead = latest - LEAD
    if ahead >= 1:
        chosen = found.total(range(ahead, ahead + 1))
        lines.append(
            f"提前 {LEAD} 个月（从 {ahead} 月起）推算：区间覆盖率 {share(chosen.covered, chosen.intervals)}，"
            f"{latest} 月未达序时进度的 {chosen.misses} 项中已预警 {chosen.flagged} 项"
            f"（{share(chosen.flagged, chosen.misses)}），误报 {chosen.false_alarms} 项。"
        )
        lines.append("")
    return lines
