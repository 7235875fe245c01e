"""The pipeline, top to bottom: load → validate → model → compute → editions → render → site.

`bulletin build` is `build`; `validate` is `check`; the other commands start from `check` or
`compute_folder`. These functions return values and never print or exit: the CLI does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from site_builder.compute import Computed, compute
from site_builder.compute.editions import editions
from site_builder.compute.years import past_years
from site_builder.core.findings import has_errors, sorted_findings
from site_builder.core.history import ReportHistory
from site_builder.load import Sources, load_sources
from site_builder.load.history import report_history
from site_builder.model import Dataset, build_dataset
from site_builder.render.site import render_site
from site_builder.site.build import Workspace, build_site, prepare
from site_builder.site.chromium import available as chromium_available
from site_builder.validate import Validated, validate
from site_builder.validate.timeliness import timeliness_findings


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


@dataclass(frozen=True)
class Built:
    """What `build` did: the computation, and the files it rewrote (nothing when data is invalid)."""

    computed: Computed
    changed: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()  # keys of cli/messages.py: what the build left out and why ("no-chromium")

    @property
    def ok(self) -> bool:
        return self.computed.results is not None


def generate(data_dir: Path, workspace: Workspace, today: dt.date | None = None, *, pdf: bool = False) -> Built:
    """load → validate → model → compute → render, then write the pages into the work folder.

    Published bulletins that were corrected are computed again from the data as sealed (their editions).
    `pdf`: the site stage will print the bulletins' PDFs, which their pages then link.
    """
    computed = compute_folder(data_dir, today)
    if computed.dataset is None or computed.results is None:
        return Built(computed)
    site = render_site(computed.dataset, computed.results, computed.editions, computed.past, pdf=pdf)
    contract = computed.validated.contract
    private = {
        path: fields
        for name, fields in contract.private_fields().items()
        if fields
        for path in contract.tables[name].paths
    }
    changed = prepare(computed.dataset, site, data_dir, workspace, private)
    return Built(computed, tuple(changed))


def build(
    data_dir: Path,
    site_dir: Path,
    today: dt.date | None = None,
    workspace: Workspace | None = None,
    *,
    pdf: bool = False,
) -> Built:
    """The whole pipeline: a site in `site_dir`, or findings and nothing written to it.

    The pages are generated into `workspace` (default: docs/generated/<data folder name>-<path hash>/).
    With `pdf`, each bulletin is also printed to PDF by Chromium; without Chromium the rest is built and
    the notice "no-chromium" returned. Raises `BuildError` when MkDocs fails or the site would need
    another host.
    """
    workspace = workspace or Workspace.for_data(data_dir)
    printing = pdf and chromium_available()
    notices = ("no-chromium",) if pdf and not printing else ()
    with workspace.locked():  # another build of the same work folder waits: pages never mix
        built = generate(data_dir, workspace, today, pdf=printing)
        if built.ok and built.computed.dataset is not None:
            build_site(workspace, site_dir, data_date(built.computed.dataset), documents=printing)
    return Built(built.computed, built.changed, notices if built.ok else ())


def data_date(dataset: Dataset) -> int | None:
    """The latest date in the reports (submission or correction), as seconds since the epoch."""
    dates = [d for column in ("submitted_on", "corrected_on") for d in dataset.reports[column].drop_nulls().to_list()]
    if not dates:
        return None
    latest = max(dates)
    return int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC).timestamp())
