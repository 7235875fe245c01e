"""The pipeline, top to bottom: load, validate, model, compute (render and publish follow).

The CLI calls these functions; they return values and never print or exit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.compute import Results, compute
from site_builder.compute.errata import Edition
from site_builder.datapackage import set_report_paths
from site_builder.findings import Finding, has_errors, sorted_findings
from site_builder.forms import form_filename, make_form
from site_builder.forms_read import duplicate_regions, locate_in_form, read_form, report_csv
from site_builder.issuing import editions
from site_builder.load import Sources, load_sources
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

    The pages are generated into `workspace` (default: docs/generated/<data folder name>/).
    Raises `PublishError` when MkDocs fails or the site would need another host.
    """
    workspace = workspace or Workspace.for_data(data_dir)
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
    descriptor = (data_dir / "datapackage.yaml").read_text(encoding="utf-8")
    plan = scaffold_month(dataset, month, descriptor)
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
    findings: tuple[Finding, ...]  # form problems, or the data folder's findings after writing
    written: tuple[str, ...] = ()


def import_forms(data_dir: Path, forms: list[tuple[str, bytes]], month: str | None = None) -> Imported:
    """Read filled forms; write the month's report files only when every form is clean."""
    validated = check(data_dir)
    if has_errors(validated.findings):
        return Imported(tuple(validated.findings))
    dataset = build_dataset(validated)
    read = [(name, read_form(name, content, dataset, month)) for name, content in forms]
    problems = [f for _, form in read for f in form.findings] + duplicate_regions(read)
    if has_errors(problems) or any(form.region_id is None or form.month is None for _, form in read):
        return Imported(tuple(problems))
    files = {scaffold_path(str(form.month), str(form.region_id)): report_csv(form.rows) for _, form in read}
    descriptor = (data_dir / "datapackage.yaml").read_text(encoding="utf-8")
    descriptor = set_report_paths(descriptor, sorted(set(dataset.report_files) | set(files)))
    written = write_data_files(data_dir, files, descriptor)
    after = check(data_dir).findings
    located: list[Finding] = []
    for name, form in read:
        path = scaffold_path(str(form.month), str(form.region_id))
        located += locate_in_form([f for f in after if f.file == path], path, name, form.rows)
    others = [f for f in after if f.file not in files]
    return Imported(tuple(located + others), tuple(written))
