"""Past programme years: each year before `programme.year` that has report files, computed on its own.

`programme.yaml`'s `year` is the current year; the site shows it on the home, district and indicator
pages. A past year keeps its bulletins, its rankings and its year-end page: its figures are computed
from the same data folder with `year` set to that year (its own targets, months and seeds), exactly as
they were computed while it was the current year. No I/O.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from site_builder.compute import Results, compute
from site_builder.model import Dataset


@dataclass(frozen=True)
class Year:
    """One past programme year: the model with `programme.year` set to it, and its figures."""

    dataset: Dataset
    results: Results


def report_years(dataset: Dataset) -> tuple[int, ...]:
    """Every year with at least one report file, in order."""
    folders = (path.split("/")[1] if path.count("/") >= 2 else "" for path in dataset.report_files)
    return tuple(sorted({int(folder[:4]) for folder in folders if folder[:4].isdigit()}))


def in_year(dataset: Dataset, year: int) -> Dataset:
    """The model as it is computed for programme year `year`."""
    return dataclasses.replace(dataset, programme=dataclasses.replace(dataset.programme, year=year))


def past_years(dataset: Dataset) -> dict[int, Year]:
    """Every past year with reports (before `programme.year`), newest first, each computed for itself."""
    current = dataset.programme.year
    out: dict[int, Year] = {}
    for year in reversed(report_years(dataset)):
        if year < current:
            model = in_year(dataset, year)
            out[year] = Year(model, compute(model))
    return out
