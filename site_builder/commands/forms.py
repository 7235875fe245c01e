"""`bulletin forms`: the month's Excel report forms, out to the districts (back in: `importing.py`).

The workbooks themselves are `forms/write.py` (out) and `forms/read.py` (in).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from site_builder.commands.check import compute_folder
from site_builder.forms.layout import form_filename, nothing_asked
from site_builder.forms.write import make_form
from site_builder.validate import Validated


@dataclass(frozen=True)
class Forms:
    validated: Validated
    files: dict[str, bytes] | None = None  # file name -> .xlsx bytes
    skipped: tuple[
        tuple[str, tuple[str, ...]], ...
    ] = ()  # (district name, indicators due) of those with nothing to report


def month_forms(data_dir: Path, month: str, region_ids: list[str] | None = None) -> Forms:
    """Excel report forms of a month, one per district (or the districts named) that reports something."""
    computed = compute_folder(data_dir)
    if computed.dataset is None:
        return Forms(computed.validated)
    dataset = computed.dataset
    chosen = region_ids or [region.id for region in dataset.regions]
    unknown = [r for r in chosen if r not in {region.id for region in dataset.regions}]
    if unknown:
        raise ValueError(f"unknown region id(s): {', '.join(unknown)}")
    files: dict[str, bytes] = {}
    skipped: list[tuple[str, tuple[str, ...]]] = []
    for region_id in chosen:  # a district with nothing due, or nothing applicable, gets no form
        form = make_form(dataset, computed.results, region_id, month)
        if form is None:
            skipped.append((dataset.region(region_id).name, nothing_asked(dataset, month)))
        else:
            files[form_filename(dataset, region_id, month)] = form
    return Forms(computed.validated, files, tuple(skipped))
