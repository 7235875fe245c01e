"""A new month's report files: one per district, one row per indicator, values left empty.

Pure: returns the files' text and the descriptor with the new paths registered; `publish`
writes them. A district's existing file for the month is never replaced.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from site_builder import paths
from site_builder.contract import REPORTS, REQUIRED_COLUMNS
from site_builder.datapackage import set_report_paths
from site_builder.model import Dataset

REPORT_COLUMNS = REQUIRED_COLUMNS[REPORTS]  # the schema's report columns, in order


@dataclass(frozen=True)
class Scaffold:
    files: dict[str, str]  # data-folder-relative path -> CSV text, only files that do not exist yet
    existing: tuple[str, ...]  # the month's files that exist already and are left alone
    descriptor: str  # datapackage.yaml with every report file of the month registered


def report_path(month: str, region_id: str) -> str:
    """reports/<month>/<region_id>.csv; raises `paths.UnsafePath` for a month or id that is not one."""
    return paths.report_path(month, region_id)


def empty_report(dataset: Dataset, month: str, region_id: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for indicator in dataset.indicators:
        writer.writerow([month, region_id, indicator.id, "", "", "", "", "", ""])
    return buffer.getvalue()


def scaffold_month(dataset: Dataset, month: str, descriptor: str) -> Scaffold:
    """The month's empty reports for every district that has none yet, and the registered paths."""
    present = set(dataset.report_files)
    files: dict[str, str] = {}
    existing: list[str] = []
    for region in dataset.regions:
        path = report_path(month, region.id)
        if path in present:
            existing.append(path)
        else:
            files[path] = empty_report(dataset, month, region.id)
    listed = sorted(present | set(files))
    return Scaffold(files, tuple(existing), set_report_paths(descriptor, listed))
