"""Programme years: `programme.yaml`'s `year` is the current year, earlier years with reports are past
years that stay on the site (docs/reference/data-contract.md, 年度).

Every year with reports needs its targets (each district × indicator a target or a reason it does not
apply), like the current year; a report of a year after `year` is an error whose hint says to raise `year`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from site_builder.core.documents import Programme
from site_builder.core.findings import Finding
from site_builder.validate.tables import Table

REPORT_MONTH = re.compile(r"reports/([0-9]{4})-(0[1-9]|1[0-2])/")


def reported_years(reports: Table) -> tuple[int, ...]:
    """Every year with a report file placed in a month's folder, in order."""
    found = (REPORT_MONTH.match(f.path) for f in reports.files)
    return tuple(sorted({int(match.group(1)) for match in found if match is not None}))


def target_years(reports: Table, programme: Programme) -> tuple[int, ...]:
    """The years whose targets are checked: the current year and every past year with reports."""
    return tuple(sorted({programme.year, *(y for y in reported_years(reports) if y < programme.year)}))


def check_report_years(reports: Table, programme: Programme) -> Iterator[Finding]:
    """`report-year-ahead` once per month of a year after the programme's year (at its first file)."""
    seen: set[str] = set()
    for csv_file in sorted(reports.files, key=lambda f: f.path):
        match = REPORT_MONTH.match(csv_file.path)
        if match is None or int(match.group(1)) <= programme.year:
            continue
        month = f"{match.group(1)}-{match.group(2)}"
        if month in seen:
            continue
        seen.add(month)
        params = {"month": month, "year": programme.year, "next": match.group(1)}
        yield Finding("report-year-ahead", csv_file.path, 1, 1, month, params)
