"""The declared submission dates against the repository's history (core/history.py says what is read).

One finding per report file at most: the row whose declared date is furthest from the record. A declared
`submitted_on` more than LATE_TOLERANCE_DAYS before the day the report's figures first appeared in the
history is `submitted-before-commit`; a declared date after that day is `submitted-after-commit`. Rows not
yet committed (a build of the working tree) are not compared. Without a readable history the site is built
with the declared dates only: `history-unavailable` / `history-shallow` say why. Simulated data is not
compared (its history records the simulation, not the districts' submissions).
"""

from __future__ import annotations

import polars as pl

from site_builder.core.findings import Finding
from site_builder.core.history import LATE_TOLERANCE_DAYS, ReportHistory
from site_builder.validate.frames import FILE
from site_builder.validate.tables import Table

WHERE = "reports"  # findings about the history as a whole point at the reports folder


def timeliness_findings(reports: Table | None, history: ReportHistory) -> list[Finding]:
    """Findings about `reports`' declared dates given `history` (none for states simulated and off)."""
    if history.state == "none":
        return [Finding("history-unavailable", WHERE, params={"detail": history.detail})]
    if history.state == "shallow":
        return [Finding("history-shallow", WHERE)]
    if history.state != "full" or reports is None or not history.rows:
        return []
    seen = pl.DataFrame(
        [(m, r, i, s.date, s.commit) for (m, r, i), s in history.rows.items()],
        schema={
            "month": pl.String,
            "region_id": pl.String,
            "indicator_id": pl.String,
            "_seen": pl.Date,
            "_commit": pl.String,
        },
        orient="row",
    )
    rows = (
        reports.frame.with_row_index("_row")
        .filter(pl.col("submitted_on").is_not_null())
        .join(seen, on=["month", "region_id", "indicator_id"], how="inner")
        .with_columns((pl.col("_seen") - pl.col("submitted_on")).dt.total_days().alias("_days"))
    )
    findings = []
    for code, wrong, worst in (
        ("submitted-before-commit", pl.col("_days") > LATE_TOLERANCE_DAYS, pl.col("_days")),
        ("submitted-after-commit", pl.col("_days") < 0, -pl.col("_days")),
    ):
        flagged = rows.filter(wrong).sort(FILE, worst, "_row", descending=[False, True, False])
        for row in flagged.unique(FILE, keep="first", maintain_order=True).iter_rows(named=True):
            path, line, column = reports.locate(row["_row"], "submitted_on")
            params = {
                "first_seen": row["_seen"].isoformat(),
                "commit": row["_commit"][:7],
                "days": abs(int(row["_days"])),
                "tolerance": LATE_TOLERANCE_DAYS,
            }
            findings.append(Finding(code, path, line, column, row["submitted_on"].isoformat(), params))
    return findings
