"""The whole pipeline: load → validate → model → compute → editions (`commands/check.py`) → render → site.

`bulletin build` is `build`; `bulletin serve` regenerates with `generate`. These functions return values
and never print or exit: the CLI does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from site_builder.commands.check import compute_folder
from site_builder.compute import Computed
from site_builder.model import Dataset
from site_builder.render.site import render_site
from site_builder.site.build import Workspace, build_site, prepare
from site_builder.site.chromium import available as chromium_available


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
