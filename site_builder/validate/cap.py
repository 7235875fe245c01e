"""The cap on findings while they are made: at most MAX_FINDINGS_PER_CODE per file and code, the rest counted.

`validate()` caps the findings it returns (`findings.capped`); this caps the work of making them, so
that a file of half a million repeated or broken rows costs a few hundred `Finding` values rather than
half a million located ones. What is left out becomes one `findings-truncated` per file and code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from site_builder.core.findings import Finding, truncated
from site_builder.core.limits import MAX_FINDINGS_PER_CODE


class Cap:
    """The findings of one table made and left out, by (file index, code)."""

    def __init__(self) -> None:
        self.listed: Counter[tuple[int, str]] = Counter()
        self.left: dict[tuple[int, str], list[int]] = {}  # count, first row left out

    def admitted(self, rows: Sequence[int], file_of_row: np.ndarray[Any, Any], code: str) -> list[int]:
        """The rows (of `rows`, ascending) that get a finding of `code`: the first MAX_FINDINGS_PER_CODE per file
        (`file_of_row[row]`) and code; the others are only counted."""
        picked = np.asarray(rows, dtype=np.int64)
        order = np.argsort(file_of_row[picked], kind="stable")
        groups, starts, counts = np.unique(file_of_row[picked][order], return_index=True, return_counts=True)
        kept: list[int] = []
        for file_index, start, count in zip(groups.tolist(), starts.tolist(), counts.tolist(), strict=True):
            key = (file_index, code)
            take = min(count, max(0, MAX_FINDINGS_PER_CODE - self.listed[key]))
            self.listed[key] += count
            kept += picked[order[start : start + take]].tolist()
            if take < count:
                first = int(picked[order[start + take]])
                left = self.left.setdefault(key, [0, first])
                left[0], left[1] = left[0] + count - take, min(left[1], first)
        return sorted(kept)

    def left_out(self, paths: Sequence[str], line_of_row: Callable[[int], int]) -> list[Finding]:
        """One findings-truncated per file and code left out since the last call, at the first one's line."""
        left, self.left = self.left, {}
        return [
            truncated(paths[index], code, count, line_of_row(first))
            for (index, code), (count, first) in sorted(left.items())
        ]


def by_code(admitted: Callable[[Sequence[int], str], list[int]], problems: dict[int, tuple[str, str]]) -> list[int]:
    """The rows of `problems` (row -> code, suggestion) admitted for a finding of their code."""
    rows: list[int] = []
    for code in sorted({code for code, _ in problems.values()}):
        rows += admitted([i for i, (found, _) in problems.items() if found == code], code)
    return sorted(rows)


def cell_counts(path: str, miscounted: list[tuple[int, int]], width: int) -> list[Finding]:
    """row-cell-count for the first MAX_FINDINGS_PER_CODE of (line, cells); the rest counted in one finding."""
    findings = [
        Finding("row-cell-count", path, line, 1, params={"actual": cells, "expected": width})
        for line, cells in miscounted[:MAX_FINDINGS_PER_CODE]
    ]
    if len(miscounted) > MAX_FINDINGS_PER_CODE:
        left, first = len(miscounted) - MAX_FINDINGS_PER_CODE, miscounted[MAX_FINDINGS_PER_CODE][0]
        findings.append(truncated(path, "row-cell-count", left, first))
    return findings
