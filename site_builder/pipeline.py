"""The pipeline, top to bottom: load, validate, model, compute (render and publish follow).

The CLI calls these functions; they return values and never print or exit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from site_builder import paths
from site_builder.compute import Results, compute
from site_builder.compute.errata import Edition
from site_builder.datapackage import set_report_paths
from site_builder.findings import Finding, has_errors, sorted_findings
from site_builder.folder import read_regular
from site_builder.forms import ImportedForm, form_filename, make_form
from site_builder.forms_read import duplicate_forms, locate_in_form, read_form, report_csv
from site_builder.issuing import editions
from site_builder.load import Sources, load_sources, overlaid
from site_builder.model import Dataset, build_dataset
from site_builder.publish import Workspace, build_site, prepare, record_draw, write_data_files
from site_builder.render.site import render_site
from site_builder.sampling import draw_block
from site_builder.scaffold import report_path as scaffold_path
from site_builder.scaffold import scaffold_month
from site_builder.validate import Validated, validate
from site_builder.validate.activities import redraw


def check(data_dir: Path, today: dt.date | None = None) -> Validated:
    """Load a data folder and validate it; `today` bounds report dates (default: the clock)."""
    sources = load_sources(data_dir)
    return validate(sources, today or dt.date.today())


@dataclass(frozen=True)
class Computed:
    """A folder's validation, and when it has no errors, its model and every computed figure."""

    validated: Validated
    dataset: Dataset | None = None
    results: Results | None = None
    editions: dict[str, list[Edition]] = field(default_factory=dict)  # corrected bulletins, as issued and after


def compute_folder(data_dir: Path, today: dt.date | None = None) -> Computed:
    """load → validate → model → compute; stops after validation when there are errors."""
    return compute_sources(load_sources(data_dir), today)


def compute_sources(sources: Sources, today: dt.date | None = None) -> Computed:
    """validate → model → compute, for a folder already read (`bulletin diff` also needs its sources)."""
    today = today or dt.date.today()
    validated = validate(sources, today)
    if has_errors(validated.findings):
        return Computed(validated)
    dataset = build_dataset(validated)
    issued, problems = editions(sources, validated, dataset, today)
    if problems:
        validated.findings = sorted_findings([*validated.findings, *problems])
        return Computed(validated)
    return Computed(validated, dataset, compute(dataset), issued)


@dataclass(frozen=True)
class Built:
    """What `build` did: the computation, and the files it rewrote (nothing when data is invalid)."""

    computed: Computed
    changed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.computed.results is not None


def generate(data_dir: Path, workspace: Workspace, today: dt.date | None = None) -> Built:
    """load → validate → model → compute → render, then write the pages into the work folder.

    Published bulletins that were corrected are computed again from the data as sealed (their editions).
    """
    computed = compute_folder(data_dir, today)
    if computed.dataset is None or computed.results is None:
        return Built(computed)
    site = render_site(computed.dataset, computed.results, computed.editions)
    contract = computed.validated.contract
    private = {
        path: fields
        for name, fields in contract.private_fields().items()
        if fields
        for path in contract.tables[name].paths
    }
    changed = prepare(computed.dataset, site, data_dir, workspace, private)
    return Built(computed, tuple(changed))


def build(data_dir: Path, site_dir: Path, today: dt.date | None = None, workspace: Workspace | None = None) -> Built:
    """The whole pipeline: a site in `site_dir`, or findings and nothing written to it.

    The pages are generated into `workspace` (default: docs/generated/<data folder name>-<path hash>/).
    Raises `PublishError` when MkDocs fails or the site would need another host.
    """
    workspace = workspace or Workspace.for_data(data_dir)
    with workspace.locked():  # another build of the same work folder waits: pages never mix
        built = generate(data_dir, workspace, today)
        if built.ok and built.computed.dataset is not None:
            build_site(workspace, site_dir, data_date(built.computed.dataset))
    return built


def data_date(dataset: Dataset) -> int | None:
    """The latest date in the reports (submission or correction), as seconds since the epoch."""
    dates = [d for column in ("submitted_on", "corrected_on") for d in dataset.reports[column].drop_nulls().to_list()]
    if not dates:
        return None
    latest = max(dates)
    return int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC).timestamp())


@dataclass(frozen=True)
class Sampled:
    """A supervision round's draw: the facility ids per district, and whether it was written or matches."""

    validated: Validated
    round_id: str
    seed: int | None = None
    result: dict[str, list[str]] | None = None
    matches_record: bool | None = None
    written: bool = False


def sample(data_dir: Path, round_id: str, seed: int | None, drawn_on: dt.date, *, check_only: bool = False) -> Sampled:
    """Draw the round's institutions (or, with `check_only`, redo the recorded draw and compare).

    Without `check_only` the draw is recorded in supervision/<round>.yaml. Data with errors
    (other than a draw that does not match) are not drawn from.
    """
    validated = check(data_dir)
    blocking = [f for f in validated.findings if f.severity == "error" and f.code != "draw-mismatch"]
    path = f"supervision/{round_id}.yaml"
    round_ = validated.supervision.get(path)
    if blocking or round_ is None or "facilities" not in validated.tables:
        return Sampled(validated, round_id)
    if seed is None:
        if round_.draw is None:
            return Sampled(validated, round_id)
        seed = round_.draw.seed
    result = redraw(round_, validated.tables["facilities"], seed)
    recorded = {e.region: sorted(e.facilities) for e in round_.draw.result} if round_.draw else None
    matches = recorded == result and round_.draw is not None and round_.draw.seed == seed
    if check_only:
        return Sampled(validated, round_id, seed, result, matches)
    record_draw(data_dir / path, draw_block(seed, drawn_on.isoformat(), result))
    return Sampled(validated, round_id, seed, result, matches, written=True)


@dataclass(frozen=True)
class NewMonth:
    validated: Validated
    written: tuple[str, ...] = ()
    existing: tuple[str, ...] = ()


def new_month(data_dir: Path, month: str) -> NewMonth:
    """Scaffold the month's report files (every district × indicator, values empty) and register them."""
    validated = check(data_dir)
    if has_errors(validated.findings):
        return NewMonth(validated)
    dataset = build_dataset(validated)
    plan = scaffold_month(dataset, month, _descriptor(data_dir))
    for rel in plan.files:  # made from a checked month and ids; and no link may lead them elsewhere
        paths.inside(data_dir, rel)
    written = write_data_files(data_dir, plan.files, plan.descriptor)
    return NewMonth(validated, tuple(written), plan.existing)


@dataclass(frozen=True)
class Forms:
    validated: Validated
    files: dict[str, bytes] | None = None  # file name -> .xlsx bytes


def month_forms(data_dir: Path, month: str, region_ids: list[str] | None = None) -> Forms:
    """Excel report forms of a month, one per district (or the districts named)."""
    computed = compute_folder(data_dir)
    if computed.dataset is None:
        return Forms(computed.validated)
    dataset = computed.dataset
    chosen = region_ids or [region.id for region in dataset.regions]
    unknown = [r for r in chosen if r not in {region.id for region in dataset.regions}]
    if unknown:
        raise ValueError(f"unknown region id(s): {', '.join(unknown)}")
    files = {form_filename(dataset, r, month): make_form(dataset, computed.results, r, month) for r in chosen}
    return Forms(computed.validated, files)


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
            chosen[i] = scaffold_path(str(form.month), str(form.region_id))
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
        registered = set_report_paths(_descriptor(data_dir), sorted(listed | set(files)))
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
    registered = set_report_paths(_descriptor(sources.root), sorted(listed | set(files)))
    return validate(overlaid(sources, {**files, "datapackage.yaml": registered.encode("utf-8")}), today)


def _descriptor(data_dir: Path) -> str:
    """datapackage.yaml's text (validation has found it a regular file)."""
    return (read_regular(data_dir / "datapackage.yaml") or b"").decode("utf-8")
