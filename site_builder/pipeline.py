"""The pipeline, top to bottom: load, validate, model, compute (render and publish follow).

The CLI calls these functions; they return values and never print or exit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from site_builder.compute import Results, compute
from site_builder.findings import has_errors
from site_builder.load import load_sources
from site_builder.model import Dataset, build_dataset
from site_builder.publish import Workspace, build_site, prepare, record_draw
from site_builder.render.site import render_site
from site_builder.sampling import Candidate, draw_block, draw_facilities
from site_builder.validate import Validated, validate


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


def compute_folder(data_dir: Path, today: dt.date | None = None) -> Computed:
    """load → validate → model → compute; stops after validation when there are errors."""
    validated = check(data_dir, today)
    if has_errors(validated.findings):
        return Computed(validated)
    dataset = build_dataset(validated)
    return Computed(validated, dataset, compute(dataset))


@dataclass(frozen=True)
class Built:
    """What `build` did: the computation, and the files it rewrote (nothing when data is invalid)."""

    computed: Computed
    changed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.computed.results is not None


def generate(data_dir: Path, workspace: Workspace, today: dt.date | None = None) -> Built:
    """load → validate → model → compute → render, then write the pages into the work folder."""
    computed = compute_folder(data_dir, today)
    if computed.dataset is None or computed.results is None:
        return Built(computed)
    site = render_site(computed.dataset, computed.results)
    changed = prepare(computed.dataset, site, data_dir, workspace)
    return Built(computed, tuple(changed))


def build(data_dir: Path, site_dir: Path, today: dt.date | None = None, workspace: Workspace | None = None) -> Built:
    """The whole pipeline: a site in `site_dir`, or findings and nothing written to it.

    The pages are generated into `workspace` (default: docs/generated/<data folder name>/).
    Raises `PublishError` when MkDocs fails or the site would need another host.
    """
    workspace = workspace or Workspace.for_data(data_dir)
    built = generate(data_dir, workspace, today)
    if built.ok:
        build_site(workspace, site_dir)
    return built


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
    candidates = [
        Candidate(row["id"], row["region_id"], row["kind"])
        for row in validated.tables["facilities"]
        .frame.select("id", "region_id", "kind")
        .drop_nulls()
        .iter_rows(named=True)
    ]
    regions = [region for group in round_.groups for region in group.regions]
    result = draw_facilities(round_id, regions, round_.sampling, candidates, seed)
    recorded = {e.region: sorted(e.facilities) for e in round_.draw.result} if round_.draw else None
    matches = recorded == result and round_.draw is not None and round_.draw.seed == seed
    if check_only:
        return Sampled(validated, round_id, seed, result, matches)
    record_draw(data_dir / path, draw_block(seed, drawn_on.isoformat(), result))
    return Sampled(validated, round_id, seed, result, matches, written=True)
