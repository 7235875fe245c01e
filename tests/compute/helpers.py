"""Shared by the compute tests: a fixture folder computed through the real pipeline, and one cell of it."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from site_builder.commands.check import compute_folder
from site_builder.compute import Results
from site_builder.model import Dataset
from tests.conftest import TODAY, VALID


def computed(folder: Path = VALID) -> tuple[Dataset, Results]:
    result = compute_folder(folder, TODAY)
    assert result.dataset is not None, result.validated.findings
    assert result.results is not None
    return result.dataset, result.results


def cell(results: Results, month: str, region: str, indicator: str) -> dict[str, object]:
    rows = results.progress.filter(
        (pl.col("month") == month) & (pl.col("region_id") == region) & (pl.col("indicator_id") == indicator)
    )
    assert len(rows) == 1
    return rows.row(0, named=True)
