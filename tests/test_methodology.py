"""The methodology page agrees with the code.

Its worked example (海拉尔区, 2011-09, on the example data) is recomputed with the real pipeline and every
printed number is compared at its printed precision; its settings and progress profiles are compared with
the programme models and `data/programme.yaml`.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from typing import Any

import polars as pl
import pytest

from site_builder.commands.build import compute_folder
from site_builder.compute import Results, month_ranking
from site_builder.core import documents
from site_builder.model import Dataset
from tests.conftest import REPO, TODAY

PAGE = REPO / "docs" / "methodology.md"
REGION, MONTH = "hailaer", "2011-09"
START, END = "<!-- worked-example:start -->", "<!-- worked-example:end -->"
HEADER = ["指标", "编码", "完成值 A", "目标 T", "完成率 c", "序时进度 e", "进度比 p", "计入值 min(p, cap)", "分值 w"]
NUMBER = r"\d+(?:\.\d+)?"
FOUR_DECIMALS = r"\d+\.\d{4}"
RATE_ACTUAL = re.compile(rf"({FOUR_DECIMALS})（= 100 × ({NUMBER}) / ({NUMBER})）")
TOTALS = re.compile(rf"^Σ w·min\(p, cap\) = ({FOUR_DECIMALS})，Σ w = ({NUMBER})。$", flags=re.MULTILINE)
SUMMARY = re.compile(rf"^综合得分 S = ({FOUR_DECIMALS})，排名第 (\d+) 名，排名区间 (\d+)–(\d+)。$", flags=re.MULTILINE)
# The method settings: the programme.yaml section of each settings model.
SETTINGS: dict[str, type] = {
    "ranking": documents.Ranking,
    "lights": documents.Lights,
    "uncertainty": documents.Uncertainty,
    "reporting": documents.Reporting,
}


@dataclass(frozen=True)
class Example:
    dataset: Dataset
    results: Results


@pytest.fixture(scope="module")
def example() -> Example:
    computed = compute_folder(REPO / "data", TODAY)
    assert computed.dataset is not None, computed.validated.findings
    assert computed.results is not None
    return Example(computed.dataset, computed.results)


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def block(text: str) -> str:
    assert text.count(START) == 1, f"one {START} expected"
    assert text.count(END) == 1, f"one {END} expected"
    start, end = text.index(START) + len(START), text.index(END)
    assert start < end
    return text[start:end]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table(text: str) -> list[list[str]]:
    """The rows (header and separator excluded) of the worked-example table."""
    lines = [line for line in block(text).splitlines() if line.startswith("|")]
    assert len(lines) >= 2
    assert cells(lines[0]) == HEADER
    assert all(set(cell) <= set("-:") for cell in cells(lines[1])), lines[1]
    rows = [cells(line) for line in lines[2:]]
    for row in rows:
        assert len(row) == len(HEADER), row
    return rows


def check(printed: str, value: object, what: str) -> None:
    """`printed` is `value` at the printed number of decimals."""
    assert isinstance(value, int | float), (what, value)
    assert re.fullmatch(NUMBER, printed), (what, printed)
    decimals = len(printed.partition(".")[2])
    assert printed == f"{float(value):.{decimals}f}", f"{what}: page says {printed}, computed {value!r}"


def check4(printed: str, value: object, what: str) -> None:
    assert re.fullmatch(FOUR_DECIMALS, printed), f"{what}: {printed} should have 4 decimals"
    check(printed, value, what)


def progress_rows(example: Example) -> dict[str, dict[str, Any]]:
    rows = example.results.progress.filter((pl.col("month") == MONTH) & (pl.col("region_id") == REGION))
    return {row["indicator_id"]: row for row in rows.sort("indicator_order").iter_rows(named=True)}


def test_the_page_names_the_example_it_shows(page: str, example: Example) -> None:
    region = example.dataset.region(REGION)
    year, month = MONTH.split("-")
    assert f"{region.name} {year} 年 {int(month)} 月" in page
    assert "模拟" in page  # the example figures are simulated, and the page says so
    assert example.dataset.programme.simulated


def test_worked_example_table_is_the_computed_one(page: str, example: Example) -> None:
    computed = progress_rows(example)
    cap = example.dataset.programme.ranking.cap
    rows = table(page)
    codes = [re.fullmatch(r"`([a-z][a-z0-9_]*)`", row[1]) for row in rows]
    assert all(codes), [row[1] for row in rows]
    assert [code.group(1) for code in codes if code] == list(computed), "one row per indicator, in order"
    for row in rows:
        name, code, actual, target, completion, expected, ratio, counted, weight = row
        data = computed[code.strip("`")]
        indicator = example.dataset.indicator(data["indicator_id"])
        what = f"{indicator.id} {{}}"
        assert name == indicator.name
        if data["kind"] == "rate":
            parts = RATE_ACTUAL.fullmatch(actual)
            assert parts, f"{indicator.id}: a rate's A is written 'A（= 100 × numerator / denominator）', got {actual}"
            check4(parts.group(1), data["actual"], what.format("A"))
            check(parts.group(2), data["numerator"], what.format("numerator"))
            check(parts.group(3), data["denominator"], what.format("denominator"))
        else:
            check(actual, data["actual"], what.format("A"))
        check(target, data["target"], what.format("T"))
        check4(completion, data["completion"], what.format("c"))
        check4(expected, data["expected"], what.format("e"))
        check4(ratio, data["ratio"], what.format("p"))
        check4(counted, min(data["ratio"], cap), what.format("min(p, cap)"))
        check(weight, data["weight"], what.format("w"))


def test_worked_example_score_rank_and_interval(page: str, example: Example) -> None:
    text = block(page)
    computed = progress_rows(example)
    cap = example.dataset.programme.ranking.cap
    totals = TOTALS.search(text)
    assert totals, "the line 'Σ w·min(p, cap) = …，Σ w = …。' is missing"
    check4(totals.group(1), sum(r["weight"] * min(r["ratio"], cap) for r in computed.values()), "Σ w·min(p, cap)")
    check(totals.group(2), sum(r["weight"] for r in computed.values()), "Σ w")

    summary = SUMMARY.search(text)
    assert summary, "the line '综合得分 S = …，排名第 … 名，排名区间 …–…。' is missing"
    row = next(r for r in month_ranking(example.dataset, example.results, MONTH) if r.region_id == REGION)
    check4(summary.group(1), row.score, "S")
    assert (int(summary.group(2)), int(summary.group(3)), int(summary.group(4))) == (
        row.rank,
        row.rank_low,
        row.rank_high,
    ), "rank, rank interval"


def test_worked_example_reading_notes_still_hold(example: Example) -> None:
    """The notes under the table: which item is capped, the lights, and the robust verdict."""
    computed = progress_rows(example)
    cap = example.dataset.programme.ranking.cap
    assert [i for i, r in computed.items() if r["ratio"] > cap] == ["major_disease_pilot"]
    assert [i for i, r in computed.items() if r["light"] != "green"] == ["sanitary_toilets", "hepb_catchup"]
    assert {r["light"] for r in computed.values()} == {"green", "yellow"}
    row = next(r for r in month_ranking(example.dataset, example.results, MONTH) if r.region_id == REGION)
    assert (row.light, row.bottom, row.robust, row.bottom_share) == ("green", False, True, 0.0)
    assert example.dataset.programme.ranking.bottom_n == 3
    assert len(example.dataset.regions) == 13


def test_settings_models_are_the_programme_sections() -> None:
    hints = typing.get_type_hints(documents.Programme)
    for section, model in SETTINGS.items():
        assert hints[section] is model


@pytest.mark.parametrize(("section", "model"), list(SETTINGS.items()), ids=list(SETTINGS))
def test_every_method_setting_is_on_the_page_with_its_default(page: str, section: str, model: type) -> None:
    rows = {cells(line)[0]: cells(line) for line in page.splitlines() if line.startswith("| `")}
    for field in dataclasses.fields(model):
        name = f"`{section}.{field.name}`"
        assert name in page, f"{name} is not on the page"
        assert name in rows, f"{name} has no row in the settings table"
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            expected = "必填"
        else:
            expected = f"`{field.default}`"
        assert rows[name][1] == expected, f"{name}: page says {rows[name][1]}, model says {expected}"


def test_profiles_table_is_the_example_programme(page: str, example: Example) -> None:
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| 曲线 | 1月 |"))
    rows: dict[str, list[str]] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        row = cells(line)
        rows[row[0].strip("`")] = row[1:13]
    profiles = example.dataset.programme.profiles
    assert list(rows) == list(profiles)
    for name, values in profiles.items():
        assert rows[name] == [f"{value:g}" for value in values], name
