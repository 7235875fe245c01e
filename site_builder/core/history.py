"""What the repository's history says about the monthly reports: when each row's figures first appeared.

`load/history.py`'s `report_history` reads it from git (one `git log` over the reports folder); validation
compares it with the declared `submitted_on` (`validate/timeliness.py`) and the pages show it beside the
declared date (`render/first_seen.py`). No I/O here: these are the values passed between the stages.

The first-seen date of a row is the author date (in the author's own time zone) of the first non-merge
commit, reachable from HEAD, after which the row's value, numerator or denominator is no longer empty.
The empty rows `bulletin new-month` writes do not count, nor does a merge commit (its branch commit
does), nor a later correction. A report's (month × district) first-seen date is the latest of its rows':
the day its last figure reached the record, as its declared date is the latest `submitted_on`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

# full: the whole history was read; simulated: the data is simulated (programme.yaml), so its history is
# not a record of submissions and is not read; none: not a git repository (or no git); shallow: a shallow
# clone, whose history is cut off; off: not asked (bulletin diff's revisions, editions, past years)
HistoryState = Literal["full", "simulated", "none", "shallow", "off"]

# A declared date this many days before the figures reached the record is still believed: reports sent
# by mail or form are often committed by the office on the next working day, after a weekend.
LATE_TOLERANCE_DAYS = 3

RowKey = tuple[str, str, str]  # month, region_id, indicator_id


@dataclass(frozen=True)
class Seen:
    """When figures first appeared in the history: the date and the commit (full id)."""

    date: dt.date
    commit: str


@dataclass(frozen=True)
class ReportHistory:
    """First-seen dates of report rows, and whether the history could be read at all."""

    state: HistoryState = "off"
    rows: dict[RowKey, Seen] = field(default_factory=dict)
    detail: str = ""  # why there is no history (git's words), for the finding

    @property
    def readable(self) -> bool:
        return self.state == "full"

    def report(self, month: str, region_id: str) -> Seen | None:
        """A report's first-seen date: the latest of its rows' (None when none of its rows is in the history)."""
        seen = [s for (m, r, _), s in self.rows.items() if m == month and r == region_id]
        return max(seen, key=lambda s: (s.date, s.commit)) if seen else None

    def by_report(self) -> dict[tuple[str, str], Seen]:
        """(month, region_id) → the report's first-seen date, for every report with a row in the history."""
        reports: dict[tuple[str, str], Seen] = {}
        for (month, region_id, _), seen in self.rows.items():
            known = reports.get((month, region_id))
            if known is None or (seen.date, seen.commit) > (known.date, known.commit):
                reports[(month, region_id)] = seen
        return reports
