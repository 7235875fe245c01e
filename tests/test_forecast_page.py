"""The early warning's back-test on the methodology page agrees with a recomputation.

The site's methodology page (docs/methodology.md with its `<!-- city:forecast -->` block made from the site's
data, render/forecast_method.py) prints, per origin month, how projections made from the earlier months
score against the latest month. Here the scores are recomputed from the projections themselves (the
counting written out again), compared with the printed table and summary line, and the projections from
an origin month are checked to depend on nothing after it: the same folder with its later reports removed
projects the same values. Both examples.
"""

from __future__ import annotations

import dataclasses
import re

import polars as pl
import pytest

from site_builder.commands.build import generate
from site_builder.compute import compute
from site_builder.compute.forecast import project_all, shapes_and_series
from site_builder.core.method import DUE_MONTHS
from site_builder.model import Dataset
from site_builder.render.forecast_method import END, HEADER, LEAD, START
from site_builder.site.build import Workspace
from tests.conftest import REPO, TODAY

FOLDERS = ("data", "examples/zaozhuang")


@dataclasses.dataclass(frozen=True)
class Site:
    dataset: Dataset
    progress: pl.DataFrame
    page: str


@pytest.fixture(scope="module", params=FOLDERS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    data = REPO / request.param
    workspace = Workspace(tmp_path_factory.mktemp("forecast") / "work")
    built = generate(data, workspace, TODAY)  # its computation (`compute_folder`'s) is the one the page shows
    assert built.ok
    computed = built.computed
    assert computed.dataset is not None
    assert computed.results is not None
    page = (workspace.docs / "methodology.md").read_text(encoding="utf-8")
    return Site(computed.dataset, computed.results.progress, page)


def scores(dataset: Dataset, progress: pl.DataFrame) -> dict[int, list[int]]:
    """origin month → [cells, intervals, covered, misses, flagged, false alarms], counted afresh."""
    latest = int(dataset.months[-1][5:7])
    found: dict[int, list[int]] = {k: [0] * 6 for k in range(1, latest)}
    for shape, serieses in shapes_and_series(dataset, progress).values():
        horizon = max(m for m in DUE_MONTHS[shape.frequency] if m <= latest)
        for origin in range(1, horizon):
            for series, p in zip(
                serieses.values(), project_all(shape, list(serieses.values()), origin, horizon), strict=True
            ):
                reported = dict(series.points).get(horizon)
                if not series.applicable or series.target is None or reported is None:
                    continue
                due = series.target * shape.e(horizon)
                missed = reported < due - 1e-9 if shape.direction == "higher" else reported > due + 1e-9
                row = found[origin]
                row[0] += 1
                if p.low is not None and p.high is not None:
                    row[1] += 1
                    row[2] += p.low - 1e-9 <= reported <= p.high + 1e-9
                row[3] += missed
                row[4] += missed and p.status == "warning"
                row[5] += p.status == "warning" and not missed
    return found


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def printed_rows(page: str) -> dict[str, list[str]]:
    start = page.index("<!-- city:forecast -->")
    block = page[start : page.index("<!-- city:end -->", start)]
    assert block.count(START) == 1
    assert block.count(END) == 1
    table = block[block.index(START) : block.index(END)]
    lines = [line for line in table.splitlines() if line.startswith("|")]
    assert [c.strip() for c in lines[0].strip("|").split("|")] == list(HEADER)
    return {cells[0]: cells[1:] for cells in ([c.strip() for c in line.strip("|").split("|")] for line in lines[2:])}


def expected_cells(row: list[int]) -> list[str]:
    cells, intervals, covered, misses, flagged, false_alarms = row
    return [
        str(cells),
        str(intervals),
        str(covered),
        percent(covered, intervals),
        str(misses),
        str(flagged),
        percent(flagged, misses),
        str(false_alarms),
    ]


def test_the_page_prints_the_recomputed_back_test(site: Site) -> None:
    recomputed = scores(site.dataset, site.progress)
    rows = printed_rows(site.page)
    assert list(rows) == [f"{k}月" for k in recomputed] + ["合计"]
    for origin, row in recomputed.items():
        assert rows[f"{origin}月"] == expected_cells(row), f"origin {origin}"
    total = [sum(row[i] for row in recomputed.values()) for i in range(6)]
    assert rows["合计"] == expected_cells(total)
    assert total[1] > 0
    assert total[3] > 0


def test_the_summary_line_is_the_origin_a_quarter_before(site: Site) -> None:
    latest = int(site.dataset.months[-1][5:7])
    origin = latest - LEAD
    _, intervals, covered, misses, flagged, false_alarms = scores(site.dataset, site.progress)[origin]
    line = (
        f"提前 {LEAD} 个月（从 {origin} 月起）推算：区间覆盖率 {percent(covered, intervals)}，"
        f"{latest} 月未达序时进度的 {misses} 项中已预警 {flagged} 项（{percent(flagged, misses)}），"
        f"误报 {false_alarms} 项。"
    )
    assert line in site.page
    assert "模拟数据" in site.page[site.page.index("<!-- city:forecast -->") :]


def test_projections_from_an_origin_use_no_later_month(site: Site) -> None:
    """The folder with the reports after the origin removed gives the same projections."""
    dataset, latest = site.dataset, int(site.dataset.months[-1][5:7])
    origin = latest - LEAD
    cutoff = f"{dataset.programme.year}-{origin:02d}"
    earlier = dataclasses.replace(
        dataset,
        reports=dataset.reports.filter(pl.col("month") <= cutoff),
        report_files=tuple(p for p in dataset.report_files if p.split("/")[1] <= cutoff),
    )
    assert earlier.months[-1] == cutoff
    full = shapes_and_series(dataset, site.progress)
    cut = shapes_and_series(earlier, compute(earlier).progress)
    for indicator_id, (shape, serieses) in full.items():
        horizon = max(m for m in DUE_MONTHS[shape.frequency] if m <= latest)
        if origin >= horizon:
            continue
        mine = project_all(shape, list(serieses.values()), origin, horizon)
        theirs = project_all(shape, list(cut[indicator_id][1].values()), origin, horizon)
        assert mine == theirs, indicator_id


def test_the_forecast_block_of_the_docs_is_the_example_s(site: Site) -> None:
    """docs/methodology.md holds the example's (data/) block as the site makes it, for the editors' docs."""
    if site.dataset.programme.city != "呼伦贝尔市":
        pytest.skip("the docs carry the example's block")
    docs = (REPO / "docs" / "methodology.md").read_text(encoding="utf-8")
    mark = "<!-- city:forecast -->"
    shown = docs[docs.index(mark) : docs.index("<!-- city:end -->", docs.index(mark))]
    built = site.page[site.page.index(mark) : site.page.index("<!-- city:end -->", site.page.index(mark))]
    assert shown == built
    assert re.search(r"## \d+\. 年末预警", docs)
