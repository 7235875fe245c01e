"""The pipeline up to the computation: load → validate → model → compute → editions, no rendering.

`bulletin validate` is `check`; `bulletin rank`, `forms`, `publish` and `diff` start from `compute_folder`
or `compute_sources`; `commands/build.py` renders and builds the site from the same computation. This
module imports neither the render nor the site stage, so the commands that only read the data start
without Jinja, Markdown or MkDocs; the model and compute stages are imported by `compute_sources` when it
runs, so `bulletin validate` (`check`) starts without them either. These functions return values and never
print or exit: the CLI does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder.core.findings import has_errors, sorted_findings
from site_builder.core.history import ReportHistory
from site_builder.load import Sources, load_sources
from site_builder.load.history import report_history
from site_builder.validate import Validated, validate
from site_builder.validate.timeliness import timeliness_findings

if TYPE_CHECKING:  # `check` (bulletin validate) starts without the model and compute stages
    from site_builder.compute import Computed


def check(data_dir: Path, today: dt.date | None = None) -> Validated:
    """Load a data folder and validate it, its declared dates against its git history included;
    `today` bounds report dates (default: the clock)."""
    sources = load_sources(data_dir)
    validated = validate(sources, today or dt.date.today())
    with_history(validated, data_dir)
    return validated


def compute_folder(data_dir: Path, today: dt.date | None = None) -> Computed:
    """load → validate → model → compute; stops after validation when there are errors."""
    return compute_sources(load_sources(data_dir), today, data_dir)


def with_history(validated: Validated, data_dir: Path | None) -> ReportHistory:
    """The folder's report history (state "off" without a folder, "simulated" for simulated data), its
    findings added to `validated` (validate/timeliness.py)."""
    programme = validated.programme
    if data_dir is None or programme is None:
        return ReportHistory("off")
    history = ReportHistory("simulated") if programme.simulated else report_history(data_dir)
    reports = validated.tables.get("reports")
    found = timeliness_findings(reports if reports is not None and reports.usable else None, history)
    if found:
        validated.findings = sorted_findings([*validated.findings, *found])
    return history


def compute_sources(sources: Sources, today: dt.date | None = None, data_dir: Path | None = None) -> Computed:
    """validate → model → compute (the current year, then each past year), for a folder already read
    (`bulletin diff` also needs its sources). With `data_dir`, the declared dates are compared with its
    git history, which the pages show (`Dataset.history`)."""
    from site_builder.compute import Computed, compute  # noqa: PLC0415 - not for `check`
    from site_builder.compute.editions import editions  # noqa: PLC0415 - not for `check`
    from site_builder.compute.years import past_years  # noqa: PLC0415 - not for `check`
    from site_builder.model import build_dataset  # noqa: PLC0415 - not for `check`

    today = today or dt.date.today()
    validated = validate(sources, today)
    history = with_history(validated, data_dir)
    if has_errors(validated.findings):
        return Computed(validated)
    dataset = replace(build_dataset(validated), history=history)
    results = compute(dataset)
    past = past_years(dataset)  # each earlier year with reports, computed for itself (compute/years.py)
    issued, problems = editions(sources, validated, dataset, today)
    if problems:
        validated.findings = sorted_findings([*validated.findings, *problems])
        return Computed(validated)
    return Computed(validated, dataset, results, issued, past)
