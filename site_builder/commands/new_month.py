"""`bulletin new-month`: a new month's report files, one per district, values empty, one row per
indicator the district reports that month: due (its frequency) and applicable (targets.csv).

`scaffold_month` plans the files and the descriptor with the new paths registered; `new_month`
writes them. A month of a year after programme.yaml's `year` is refused with what the new year needs
(`NewYear`): the year raised, its targets, its benchmarks. A district's existing file for the month is
never replaced; a district with nothing to report that month gets no file, and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from site_builder.core import paths
from site_builder.core.contract import REPORTS, REQUIRED_COLUMNS
from site_builder.core.findings import has_errors
from site_builder.files.descriptor import set_report_paths
from site_builder.files.durable import write_data_files
from site_builder.forms.layout import asked, nothing_asked
from site_builder.load import load_sources
from site_builder.model import Dataset, build_dataset
from site_builder.validate import Validated, validate

REPORT_COLUMNS = REQUIRED_COLUMNS[REPORTS]  # the schema's report columns, in order


@dataclass(frozen=True)
class Scaffold:
    files: dict[str, str]  # data-folder-relative path -> CSV text, only files that do not exist yet
    existing: tuple[str, ...]  # the month's files that exist already and are left alone
    descriptor: str  # datapackage.yaml with every report file of the month registered
    skipped: dict[str, tuple[str, ...]] = field(
        default_factory=dict
    )  # path -> the indicators due (layout.nothing_asked)


def empty_report(dataset: Dataset, month: str, region_id: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for indicator in asked(dataset, region_id, month):
        writer.writerow([month, region_id, indicator.id, "", "", "", "", "", ""])
    return buffer.getvalue()


def scaffold_month(dataset: Dataset, month: str, descriptor: str) -> Scaffold:
    """The month's empty reports for every district that has none yet and something to report, and
    the registered paths."""
    present = set(dataset.report_files)
    files: dict[str, str] = {}
    existing: list[str] = []
    skipped: dict[str, tuple[str, ...]] = {}
    for region in dataset.regions:
        path = paths.report_path(month, region.id)
        if path in present:
            existing.append(path)
        elif asked(dataset, region.id, month):
            files[path] = empty_report(dataset, month, region.id)
        else:
            skipped[path] = nothing_asked(dataset, month)
    listed = sorted(present | set(files))
    return Scaffold(files, tuple(existing), set_report_paths(descriptor, listed), skipped)


@dataclass(frozen=True)
class NewYear:
    """A month of a year after programme.yaml's `year`: what the new programme year needs first."""

    month: str
    year: int  # the new year
    current: int  # programme.yaml's year
    regions: int
    indicators: int
    benchmarks: bool  # whether benchmarks.csv has rows of the new year already

    @property
    def rows(self) -> int:
        """The targets.csv rows the new year needs: one per district × indicator."""
        return self.regions * self.indicators


@dataclass(frozen=True)
class NewMonth:
    validated: Validated
    written: tuple[str, ...] = ()
    existing: tuple[str, ...] = ()
    skipped: tuple[
        tuple[str, tuple[str, ...]], ...
    ] = ()  # (path, indicators due) of the districts with nothing to report
    new_year: NewYear | None = None  # set when the month starts a year the data is not ready for: nothing written


def new_year(dataset: Dataset, month: str) -> NewYear | None:
    """What the month's programme year needs, when it is later than programme.yaml's `year`."""
    year, current = int(month[:4]), dataset.programme.year
    if year <= current:
        return None
    months = dataset.benchmarks["month"].cast(pl.Utf8) if "month" in dataset.benchmarks.columns else pl.Series([])
    benchmarks = bool(months.str.starts_with(f"{year}-").any()) if len(months) else False
    return NewYear(month, year, current, len(dataset.regions), len(dataset.indicators), benchmarks)


def new_month(data_dir: Path, month: str) -> NewMonth:
    """Scaffold the month's report files (every district × indicator it reports, values empty) and
    register them."""
    sources = load_sources(data_dir)
    validated = validate(sources, dt.date.today())
    if has_errors(validated.findings):
        return NewMonth(validated)
    dataset = build_dataset(validated)
    ahead = new_year(dataset, month)
    if ahead is not None:  # a new programme year starts: programme.yaml and targets.csv first
        return NewMonth(validated, new_year=ahead)
    plan = scaffold_month(dataset, month, sources.descriptor)
    for rel in plan.files:  # made from a checked month and ids; and no link may lead them elsewhere
        paths.inside(data_dir, rel)
    written = write_data_files(data_dir, plan.files, plan.descriptor)
    return NewMonth(validated, tuple(written), plan.existing, tuple(plan.skipped.items()))
