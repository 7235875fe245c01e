"""The first-seen date of a report beside its declared submission date, shared by the page families.

`Record.of(ctx)` wraps the history `commands/build.py` read (`Dataset.history`, see core/history.py):
`shown` says whether the pages add the 入库日期 column, `date(month, region_id)` is what a cell shows and
`note(region_term)` the sentence under a table of declared dates, which says where the dates come from or
why they are not checked (simulated data, no repository, a shallow clone). The reporting-status page can
use `by_report()` ((month, region_id) → first-seen date).
"""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.core.history import LATE_TOLERANCE_DAYS, ReportHistory
from site_builder.render.context import SiteContext

LABEL = "入库日期"  # the column's heading


@dataclass(frozen=True)
class Record:
    history: ReportHistory

    @classmethod
    def of(cls, ctx: SiteContext) -> Record:
        return cls(ctx.dataset.history)

    @property
    def shown(self) -> bool:
        """Whether the first-seen dates are known (a full history was read)."""
        return self.history.readable

    def date(self, month: str, region_id: str) -> str:
        """The report's first-seen date as a cell shows it, '—' when its figures are not in the history."""
        seen = self.history.report(month, region_id)
        return seen.date.isoformat() if seen is not None else "—"

    def commit(self, month: str, region_id: str) -> str:
        """The short id of the commit that brought the report's last figure, '' when none."""
        seen = self.history.report(month, region_id)
        return seen.commit[:7] if seen is not None else ""

    def by_report(self) -> dict[tuple[str, str], str]:
        """(month, region_id) → the first-seen date (ISO), for every report with figures in the history."""
        return {key: seen.date.isoformat() for key, seen in self.history.by_report().items()}

    def note(self, region_term: str) -> str:
        """Where the dates of a table come from, or why they are not checked ('' when nothing was asked)."""
        state = self.history.state
        if state == "full":
            return (
                f"报送日期由各{region_term}自行填写；{LABEL}是这份月报的数字首次提交到数据仓库的日期，取自版本历史"
                f"（不计只建空表的提交和合并提交）。报送日期早于{LABEL}超过 {LATE_TOLERANCE_DAYS} 天，"
                f"或晚于{LABEL}，校验时会给出提示。"
            )
        if state == "simulated":
            return f"报送日期为各{region_term}填写的日期。本站为模拟数据，报送日期未与数据仓库的版本历史核对。"
        if state == "none":
            return f"报送日期为各{region_term}自行填写，未经核对：生成本站时读不到数据仓库的版本历史。"
        if state == "shallow":
            return f"报送日期为各{region_term}自行填写，未经核对：生成本站时数据仓库的版本历史不完整（浅克隆）。"
        return ""
