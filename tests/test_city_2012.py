"""A third programme, unlike both examples, checked against figures worked out here from the
methodology page's formulas (docs/methodology.md), not by the code under test.

tests/fixtures/city_2012: programme year 2012, eight districts including a development zone, a growth
rate (a level that may be negative, lower is better, weighted city figure, one negative ceiling) and an
average inpatient cost (a level from numerator and denominator, lower is better, pooled), a running
total, a quarterly indicator, a rate, a zero-weight pilot, and two not-applicable cells of the zone.
"""

from __future__ import annotations

import csv
import datetime as dt
import statistics
from dataclasses import dataclass
from pathlib import Path

import pytest

from site_builder.commands.build import build
from site_builder.commands.check import compute_folder
from site_builder.compute import Computed, month_ranking
from site_builder.site.build import Workspace

FOLDER = Path(__file__).resolve().parent / "fixtures" / "city_2012"
TODAY = dt.date(2012, 4, 30)
MONTHS = ("2012-01", "2012-02", "2012-03")
CAP = 1.2
DUE = {"quarterly": (3, 6, 9, 12)}


@dataclass(frozen=True)
class Indicator:
    id: str
    kind: str
    direction: str
    weight: float
    profile: str
    city: str
    frequency: str


def _rows(name: str) -> list[dict[str, str]]:
    with (FOLDER / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _indicators() -> list[Indicator]:
    default = {"count": "sum", "milestone": "sum", "rate": "pooled"}
    return [
        Indicator(
            r["id"],
            r["kind"],
            r["direction"],
            float(r["weight"]),
            r["profile"],
            r["city"] or default[r["kind"]],
            r["frequency"] or "monthly",
        )
        for r in _rows("indicators.csv")
    ]


REGIONS = [r["id"] for r in _rows("regions.csv")]
INDICATORS = _indicators()
TARGETS = {(r["region_id"], r["indicator_id"]): r for r in _rows("targets.csv")}


def _reports(month: str) -> dict[tuple[str, str], dict[str, str]]:
    out = {}
    for path in sorted((FOLDER / "reports" / month).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                out[(row["region_id"], row["indicator_id"])] = row
    return out


def _expected(profile: str, m: int) -> float:
    return 1.0 if profile == "flat" else m / 12  # the two profiles this programme uses


@dataclass(frozen=True)
class Cell:
    status: str
    actual: float | None = None
    ratio: float | None = None  # capped at CAP, floored at 0; None when not scored
    weight_of: float | None = None  # the weight of a weighted or pooled level / a rate's denominator


def _actual(ind: Indicator, row: dict[str, str] | None) -> tuple[float | None, float | None]:
    """The district's value and its weight (denominator) by the methodology page's kinds."""
    if row is None:
        return None, None
    num, den = row["numerator"], row["denominator"]
    if ind.kind == "rate":
        return (100 * float(num) / float(den), float(den)) if num and den and float(den) > 0 else (None, None)
    if ind.kind == "level" and ind.city == "pooled":
        return (float(num) / float(den), float(den)) if num and den and float(den) > 0 else (None, None)
    return (float(row["value"]), float(den) if den else None) if row["value"] else (None, None)


def _completion(ind: Indicator, actual: float, target: float, e: float) -> tuple[float, float]:
    """(completion, expected) for higher-is-better; for a lower-is-better ceiling T·e: 1 + (T·e − A)/|T·e|."""
    if ind.direction == "higher":
        return actual / target, e
    ceiling = target * e
    if ceiling == 0:
        return (1.0 if actual <= 0 else 0.0), 1.0
    return 1 + (ceiling - actual) / abs(ceiling), 1.0


def _cell(ind: Indicator, region: str, month: str, reports: dict[tuple[str, str], dict[str, str]]) -> Cell:
    target_row = TARGETS[(region, ind.id)]
    m = int(month[5:])
    if target_row["not_applicable"] or (ind.direction == "higher" and float(target_row["target"]) == 0):
        return Cell("not_applicable")
    if m not in DUE.get(ind.frequency, range(1, 13)) and (region, ind.id) not in reports:
        return Cell("not_due")  # in this programme's three months nothing is carried: March is the first due month
    actual, weight = _actual(ind, reports.get((region, ind.id)))
    if actual is None:
        return Cell("missing")
    c, e = _completion(ind, actual, float(target_row["target"]), _expected(ind.profile, m))
    ratio = c / e if e > 0 else (CAP if c > 0 else 1.0)
    return Cell("reported", actual, min(max(ratio, 0.0), CAP), weight)


def _scores(month: str) -> dict[str, float]:
    reports = _reports(month)
    out = {}
    for region in REGIONS:
        total = weights = 0.0
        for ind in INDICATORS:
            cell = _cell(ind, region, month, reports)
            if cell.status in ("not_applicable", "not_due"):
                continue  # out of the district's score: its weight is not counted
            weights += ind.weight
            total += ind.weight * (cell.ratio or 0.0)  # missing_value: zero (the default)
        out[region] = total / weights
    return out


def _ranks(scores: dict[str, float]) -> dict[str, int]:
    return {r: 1 + sum(1 for other in scores.values() if other > s + 1e-12) for r, s in scores.items()}


def _city(ind: Indicator, month: str) -> tuple[float | None, float | None]:
    """(city value, city completion) by the indicator's city rule over the districts with a value."""
    reports = _reports(month)
    m = int(month[5:])
    cells = [(r, _cell(ind, r, month, reports)) for r in REGIONS]
    present = [(r, c) for r, c in cells if c.status == "reported"]
    if not present or ind.city == "none":
        return None, None
    targets = {r: float(TARGETS[(r, ind.id)]["target"]) for r, _ in present}
    if ind.city == "sum":
        value, target = sum(c.actual or 0 for _, c in present), sum(targets.values())
    elif ind.city == "pooled":
        rows = [reports[(r, ind.id)] for r, _ in present]
        scale = 100 if ind.kind == "rate" else 1
        value = scale * sum(float(x["numerator"]) for x in rows) / sum(float(x["denominator"]) for x in rows)
        dens = {r: float(reports[(r, ind.id)]["denominator"]) for r, _ in present}
        target = sum(targets[r] * dens[r] for r in dens) / sum(dens.values())
    elif ind.city == "weighted":
        dens = {r: c.weight_of or 0.0 for r, c in present}
        value = sum((c.actual or 0) * dens[r] for r, c in present) / sum(dens.values())
        target = sum(targets[r] * dens[r] for r in dens) / sum(dens.values())
    else:  # median
        value, target = statistics.median(c.actual or 0 for _, c in present), statistics.median(targets.values())
    completion, _ = _completion(ind, value, target, _expected(ind.profile, m))
    return value, completion


@pytest.fixture(scope="module")
def computed() -> Computed:
    result = compute_folder(FOLDER, TODAY)
    errors = [f"{f.code} {f.file}:{f.line} {f.message()}" for f in result.validated.findings if f.severity == "error"]
    assert not errors, "\n".join(errors)
    return result


def test_the_programme_is_unlike_both_examples() -> None:
    kinds = {(i.kind, i.direction) for i in INDICATORS}
    assert ("level", "lower") in kinds
    assert any(i.frequency == "quarterly" for i in INDICATORS)
    assert any(i.weight == 0 for i in INDICATORS)
    assert len(REGIONS) >= 8
    assert any(r["not_applicable"] for r in TARGETS.values())
    assert any(float(r["target"] or 0) < 0 for r in TARGETS.values())  # a negative ceiling
    assert any(float(r["value"] or 0) < 0 for m in MONTHS for r in _reports(m).values())  # negative values


@pytest.mark.parametrize("month", MONTHS)
def test_scores_and_ranks_equal_the_hand_computation(computed: Computed, month: str) -> None:
    assert computed.dataset is not None
    assert computed.results is not None
    rows = {row.region_id: row for row in month_ranking(computed.dataset, computed.results, month)}
    expected = _scores(month)
    ranks = _ranks(expected)
    for region in REGIONS:
        assert rows[region].score == pytest.approx(expected[region], abs=1e-9), region
        assert rows[region].rank == ranks[region], region


@pytest.mark.parametrize("month", MONTHS)
def test_city_figures_equal_the_hand_computation(computed: Computed, month: str) -> None:
    assert computed.results is not None
    city = computed.results.city.filter(computed.results.city["month"] == month)
    by_id = {row["indicator_id"]: row for row in city.iter_rows(named=True)}
    for ind in INDICATORS:
        value, completion = _city(ind, month)
        row = by_id[ind.id]
        if value is None:
            assert row["actual"] is None, ind.id
            continue
        assert row["actual"] == pytest.approx(value, rel=1e-12), ind.id
        assert row["completion"] == pytest.approx(completion, rel=1e-12), ind.id


def test_not_applicable_and_not_due_cells_are_shown_as_such(computed: Computed) -> None:
    assert computed.results is not None
    progress = computed.results.progress
    status = {(r["month"], r["region_id"], r["indicator_id"]): r["status"] for r in progress.iter_rows(named=True)}
    assert status[("2012-02", "kaifaqu", "village_clinics")] == "not_applicable"
    assert status[("2012-02", "kaifaqu", "coverage")] == "not_applicable"
    assert status[("2012-01", "jia", "village_clinics")] == "not_due"
    assert status[("2012-03", "jia", "village_clinics")] == "reported"
    assert status[("2012-02", "ding", "screening")] == "missing"


def test_the_programme_builds(tmp_path: Path) -> None:
    built = build(FOLDER, tmp_path / "site", TODAY, Workspace(tmp_path / "work"))
    assert built.ok
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "第三测试市" in page
    # No page of the reader's site names another city: the methodology page's worked example and profile
    # table are this city's. (The editors' and maintainers' pages still join the site: issue 14.)
    handwritten = ("guide", "reference", "maintainers")
    pages = [
        p for p in (tmp_path / "site").rglob("*.html") if p.relative_to(tmp_path / "site").parts[0] not in handwritten
    ]
    assert len(pages) > 20
    for other in ("呼伦贝尔", "枣庄", "海拉尔"):
        hits = [p for p in pages if other in p.read_text(encoding="utf-8")]
        assert not hits, (other, hits[:3])
