"""`bulletin import`: filled Excel report forms back into the month's report files, each form on its own.

A form is judged alone: its own cells (`forms/read.py`), then its rows validated with the folder as it
would be with the form's report file written. A form is refused only for errors it brings: errors the
folder had before (another district's bad report, say) do not count, and the report file the form
replaces does not either, so importing a corrected form again simply replaces the earlier import. The
clean forms are then validated together and written; the refused ones write nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from site_builder.core import paths
from site_builder.core.contract import REPORTS
from site_builder.core.findings import Finding, has_errors
from site_builder.files.descriptor import set_report_paths
from site_builder.files.durable import write_data_files
from site_builder.forms.layout import ImportedForm
from site_builder.forms.read import duplicate_forms, locate_in_form, read_form, report_csv
from site_builder.load import Sources, load_sources, overlaid
from site_builder.model import Dataset, build_dataset
from site_builder.validate import Validated, validate

Status = Literal["written", "unchanged", "refused", "empty"]
INPUTS = ("value", "numerator", "denominator", "submitted_on", "explanation")


@dataclass(frozen=True)
class FormOutcome:
    """One form of an import: what became of it, and its findings (cells named as in the form)."""

    name: str
    status: Status
    region_id: str | None = None
    region_name: str | None = None
    month: str | None = None
    report: str | None = None  # its report file in the data folder (written, or that it would have written)
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class Imported:
    findings: tuple[Finding, ...]  # the forms' findings, then the folder's other findings
    written: tuple[str, ...] = ()  # data-folder paths written, datapackage.yaml included
    refused: tuple[str, ...] = ()  # the forms not imported (each had an error), by name
    forms: tuple[FormOutcome, ...] = ()
    others: tuple[Finding, ...] = ()  # findings about the folder's other files (none of them blocks a form)
    blocked: bool = False  # the folder itself is broken (its districts or indicators cannot be read)


Key = tuple[str, str, int | None, int | None, str | None]


def _key(finding: Finding) -> Key:
    return (finding.code, finding.file, finding.line, finding.column, finding.value)


def _dataset(validated: Validated) -> Dataset | None:
    """The folder's districts and indicators, also when some report file has errors; None when not readable."""
    if validated.programme is None or validated.organization is None:
        return None
    try:
        return build_dataset(validated)
    except Exception:  # a folder too broken to model: its findings say why
        return None


def _with_forms(
    sources: Sources, read: list[tuple[str, ImportedForm]], chosen: dict[int, str], listed: set[str], today: dt.date
) -> Validated:
    """The folder validated as it would be with the chosen forms' report files written and registered."""
    files = {path: report_csv(read[i][1].rows).encode("utf-8") for i, path in chosen.items()}
    registered = set_report_paths(sources.descriptor, sorted(listed | set(files)))
    return validate(overlaid(sources, {**files, "datapackage.yaml": registered.encode("utf-8")}), today)


def _brought(state: Validated, before: set[Key], own: set[str]) -> list[Finding]:
    """The errors the forms writing `own` bring: every error of those files, and new errors elsewhere."""
    return [f for f in state.findings if f.severity == "error" and (f.file in own or _key(f) not in before)]


def _targets(
    data_dir: Path, read: list[tuple[str, ImportedForm]], problems: dict[int, list[Finding]]
) -> dict[int, str]:
    """The report file of each form without errors so far (form index -> path); a path outside the folder
    is the form's finding."""
    targets: dict[int, str] = {}  # form index -> report path
    for i, (name, form) in enumerate(read):
        if has_errors(problems[i]):
            continue
        try:
            targets[i] = paths.report_path(str(form.month), str(form.region_id))
            paths.inside(data_dir, targets[i])
        except paths.UnsafePath as error:
            targets.pop(i, None)
            detail = f"报表要写入的路径 {error.value!r} 不在数据文件夹内"
            problems[i].append(Finding("form-identity", name, value=str(form.month), params={"detail": detail}))
    return targets


def import_forms(
    data_dir: Path, forms: list[tuple[str, bytes]], month: str | None = None, today: dt.date | None = None
) -> Imported:
    """Read filled forms and write the report file of each clean one; a form with any error writes nothing."""
    today = today or dt.date.today()
    sources = load_sources(data_dir)
    base = validate(sources, today)
    dataset = _dataset(base)
    if dataset is None or REPORTS not in base.contract.tables:
        errors = tuple(f for f in base.findings if f.severity == "error")
        none = tuple(FormOutcome(name, "refused") for name, _ in forms)
        return Imported(errors, refused=tuple(name for name, _ in forms), forms=none, others=errors, blocked=True)
    names = {i.id: i.name for i in dataset.indicators}
    read = [(name, read_form(name, content, dataset, month)) for name, content in forms]
    problems: dict[int, list[Finding]] = {i: list(form.findings) for i, (_, form) in enumerate(read)}
    for i, finding in duplicate_forms(read):
        problems[i].append(finding)
    empty = {i for i, (_, form) in enumerate(read) if form.rows and not any(r[k] for r in form.rows for k in INPUTS)}
    targets = {i: path for i, path in _targets(data_dir, read, problems).items() if i not in empty}
    listed = set(base.contract.tables[REPORTS].paths)
    before = {_key(f) for f in base.findings if f.severity == "error"}

    def blame(i: int, errors: list[Finding]) -> None:
        name, form = read[i]
        mine = [f for f in errors if f.file == targets[i]]
        problems[i].extend(locate_in_form(mine, targets[i], name, form.rows, names))
        problems[i].extend(f for f in errors if f.file not in targets.values())

    accepted: dict[int, str] = {}
    for i, path in targets.items():  # each form alone
        brought = _brought(_with_forms(sources, read, {i: path}, listed, today), before, {path})
        if brought:
            blame(i, brought)
        else:
            accepted[i] = path
    state = _with_forms(sources, read, accepted, listed, today) if accepted else base
    while accepted and (brought := _brought(state, before, set(accepted.values()))):  # then together
        bad = {i for i, path in accepted.items() if any(f.file == path for f in brought)} or set(accepted)
        for i in bad:
            blame(i, brought)
            del accepted[i]
        state = _with_forms(sources, read, accepted, listed, today) if accepted else base
    files = {accepted[i]: report_csv(read[i][1].rows) for i in sorted(accepted)}
    written: list[str] = []
    if files:
        written = write_data_files(data_dir, files, set_report_paths(sources.descriptor, sorted(listed | set(files))))
    for i, path in accepted.items():  # the warnings of the forms written, at their cells
        name, form = read[i]
        problems[i] += locate_in_form([f for f in state.findings if f.file == path], path, name, form.rows, names)
    outcomes: list[FormOutcome] = []
    for i, (name, form) in enumerate(read):
        status: Status = "refused" if i not in accepted else "written" if accepted[i] in written else "unchanged"
        status = "empty" if i in empty and not has_errors(problems[i]) else status
        region = form.region_id if form.region_id in {r.id for r in dataset.regions} else None
        outcomes.append(
            FormOutcome(
                name,
                status,
                form.region_id,
                dataset.region(region).name if region else None,
                form.month,
                targets.get(i),
                tuple(problems[i]),
            )
        )
    others = tuple(f for f in state.findings if f.file not in set(accepted.values()))
    found = [f for outcome in outcomes for f in outcome.findings]
    refused = tuple(o.name for o in outcomes if o.status == "refused")  # an empty form is skipped, not refused
    return Imported(tuple(found) + others, tuple(written), refused, tuple(outcomes), others)
