"""`bulletin forms` and `bulletin import`: Excel report forms out to the districts, and back in.

The workbooks themselves are `forms/write.py` (out) and `forms/read.py` (in); these commands choose
the districts, validate what the forms would change, and write only clean forms' report files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from site_builder.commands.build import compute_folder
from site_builder.core import paths
from site_builder.core.findings import Finding, has_errors
from site_builder.files.descriptor import set_report_paths
from site_builder.files.durable import write_data_files
from site_builder.forms.layout import ImportedForm, form_filename, nothing_asked
from site_builder.forms.read import duplicate_forms, locate_in_form, read_form, report_csv
from site_builder.forms.write import make_form
from site_builder.load import Sources, load_sources, overlaid
from site_builder.model import build_dataset
from site_builder.validate import Validated, validate


@dataclass(frozen=True)
class Forms:
    validated: Validated
    files: dict[str, bytes] | None = None  # file name -> .xlsx bytes
    skipped: tuple[tuple[str, str], ...] = ()  # (district name, why) of those with nothing to report


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
    skipped: list[tuple[str, str]] = []
    for region_id in chosen:  # a district with nothing due, or nothing applicable, gets no form
        form = make_form(dataset, computed.results, region_id, month)
        if form is None:
            skipped.append((dataset.region(region_id).name, nothing_asked(dataset, region_id, month)))
        else:
            files[form_filename(dataset, region_id, month)] = form
    return Forms(computed.validated, files, tuple(skipped))


@dataclass(frozen=True)
class Imported:
    findings: tuple[Finding, ...]  # the folder's findings, or each form's problems and what its rows cause
    written: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()  # the forms not imported (each had an error), by name


def import_forms(
    data_dir: Path, forms: list[tuple[str, bytes]], month: str | None = None, today: dt.date | None = None
) -> Imported:
    """Read filled forms and write the report file of each clean one; a form with any error writes nothing.

    A form is clean when its own cells are, and when its rows, validated with the folder and the other
    clean forms, give no error. The data are validated before anything is written.
    """
    today = today or dt.date.today()
    sources = load_sources(data_dir)
    validated = validate(sources, today)
    if has_errors(validated.findings):
        return Imported(tuple(validated.findings))
    dataset = build_dataset(validated)
    read = [(name, read_form(name, content, dataset, month)) for name, content in forms]
    problems: dict[int, list[Finding]] = {i: list(form.findings) for i, (_, form) in enumerate(read)}
    for i, finding in duplicate_forms(read):
        problems[i].append(finding)
    chosen: dict[int, str] = {}  # form index -> report path
    for i, (name, form) in enumerate(read):
        if has_errors(problems[i]):
            continue
        try:
            chosen[i] = paths.report_path(str(form.month), str(form.region_id))
            paths.inside(data_dir, chosen[i])
        except paths.UnsafePath as error:
            chosen.pop(i, None)
            detail = f"报表要写入的路径 {error.value!r} 不在数据文件夹内"
            problems[i].append(Finding("form-identity", name, value=str(form.month), params={"detail": detail}))
    listed = set(dataset.report_files)
    state = _with_forms(sources, read, chosen, listed, today)
    while chosen and has_errors(state.findings):
        errors = [f for f in state.findings if f.severity == "error"]
        bad = {i for i, path in chosen.items() if any(f.file == path for f in errors)}
        if not bad:  # errors in other files: each form alone, then all of them, is to blame
            alone = {
                i for i in chosen if has_errors(_with_forms(sources, read, {i: chosen[i]}, listed, today).findings)
            }
            bad = alone or set(chosen)
        for i in bad:
            name, form = read[i]
            mine = [f for f in errors if f.file == chosen[i]]
            problems[i] += (
                locate_in_form(mine, chosen[i], name, form.rows)
                if mine
                else [f for f in errors if f.file not in chosen.values()]
            )
            del chosen[i]
        state = _with_forms(sources, read, chosen, listed, today)
    files = {chosen[i]: report_csv(read[i][1].rows) for i in sorted(chosen)}
    written: list[str] = []
    if files:
        registered = set_report_paths(sources.descriptor, sorted(listed | set(files)))
        written = write_data_files(data_dir, files, registered)
    located: list[Finding] = []
    for i, path in sorted(chosen.items()):
        located += locate_in_form([f for f in state.findings if f.file == path], path, read[i][0], read[i][1].rows)
    others = [f for f in state.findings if f.file not in files] if files else list(validated.findings)
    refused = tuple(read[i][0] for i in sorted(problems) if i not in chosen)
    found = [f for i in sorted(problems) for f in problems[i]]
    return Imported(tuple(found + located + others), tuple(written), refused)


def _with_forms(
    sources: Sources, read: list[tuple[str, ImportedForm]], chosen: dict[int, str], listed: set[str], today: dt.date
) -> Validated:
    """The folder validated as it would be with the chosen forms' report files written and registered."""
    files = {path: report_csv(read[i][1].rows).encode("utf-8") for i, path in chosen.items()}
    registered = set_report_paths(sources.descriptor, sorted(listed | set(files)))
    return validate(overlaid(sources, {**files, "datapackage.yaml": registered.encode("utf-8")}), today)
