"""The methodology page agrees with the code.

The site's page is docs/methodology.md with its `<!-- city:… -->` blocks made from the site's own data
(render/methodology.py). Its worked example (the district ranked in the middle of the latest month) is
recomputed with the real pipeline and every printed number is compared at its printed precision; its
settings (in Chinese, with the city's values) and progress profiles are compared with the programme models and
the programme's own profiles. The page is the readers': no configuration key or code is on it.
The same holds for a programme unlike the example (tests/fixtures/city_2012), whose page names no other city.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from site_builder.commands.build import generate
from site_builder.compute import Results, month_ranking
from site_builder.core import documents
from site_builder.model import Dataset
from site_builder.render.base import markdown_text
from site_builder.render.context import SiteContext
from site_builder.render.labels import profile_label
from site_builder.render.methodology import settings
from site_builder.site.build import Workspace
from tests.conftest import REPO, TODAY

PAGE = REPO / "docs" / "methodology.md"
CITY_2012 = REPO / "tests" / "fixtures" / "city_2012"
CHOSEN = re.compile(r"以(\S+) (\d{4}) 年 (\d{1,2}) 月（m = \d+）为例")
START, END = "<!-- worked-example:start -->", "<!-- worked-example:end -->"
HEADER = ["指标", "完成值 A", "目标 T", "完成率 c", "序时进度 e", "进度比 p", "计入值 q", "分值 w"]
NUMBER = r"-?\d+(?:\.\d+)?"
FOUR_DECIMALS = r"-?\d+\.\d{4}"
TOTALS = re.compile(rf"^Σ w·q = ({FOUR_DECIMALS})，Σ w = ({NUMBER})。$", flags=re.MULTILINE)
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
    page: str  # the site's methodology page

    @property
    def chosen(self) -> tuple[str, str]:
        """The district and month the page's worked example shows."""
        found = CHOSEN.search(self.page)
        assert found, "the page does not say which district and month it shows"
        region = next(r.id for r in self.dataset.regions if r.name == found.group(1))
        return region, f"{found.group(2)}-{int(found.group(3)):02d}"


def _example(data: Path, tmp: Path, today: dt.date) -> Example:
    workspace = Workspace(tmp / "work")
    built = generate(data, workspace, today)  # its computation (`compute_folder`'s) is the one the page shows
    assert built.ok
    computed = built.computed
    assert computed.dataset is not None, computed.validated.findings
    assert computed.results is not None
    return Example(computed.dataset, computed.results, (workspace.docs / "methodology.md").read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=["data", "city_2012"])
def example(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Example:
    if request.param == "data":
        return _example(REPO / "data", tmp_path_factory.mktemp("data"), TODAY)
    return _example(CITY_2012, tmp_path_factory.mktemp("city"), dt.date(2012, 4, 30))


@pytest.fixture(scope="module")
def page(example: Example) -> str:
    return example.page


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
    region, month = example.chosen
    rows = example.results.progress.filter((pl.col("month") == month) & (pl.col("region_id") == region))
    return {row["indicator_id"]: row for row in rows.sort("indicator_order").iter_rows(named=True)}


def test_the_page_shows_its_own_city_in_the_middle_of_the_latest_month(page: str, example: Example) -> None:
    region, month = example.chosen
    assert month == example.results.months[-1]
    ranked = sorted(
        (r for r in month_ranking(example.dataset, example.results, month) if r.rank is not None),
        key=lambda r: (r.rank, r.region_id),
    )
    assert ranked[(len(ranked) - 1) // 2].region_id == region
    assert example.dataset.programme.city in block_of(page, "example")
    assert "模拟" in page  # both programmes are simulated, and the page says so
    if example.dataset.programme.city != "呼伦贝尔市":
        for other in ("呼伦贝尔", "海拉尔", "枣庄"):
            assert other not in block_of(page, "example") + block_of(page, "profiles")


def block_of(page: str, name: str) -> str:
    start = page.index(f"<!-- city:{name} -->")
    return page[start : page.index("<!-- city:end -->", start)]


def test_worked_example_table_is_the_computed_one(page: str, example: Example) -> None:
    computed = progress_rows(example)
    cap = example.dataset.programme.ranking.cap
    rows = table(page)
    names = {example.dataset.indicator(i).name: i for i in computed}
    assert [names.get(row[0]) for row in rows] == list(computed), "one row per indicator, in order"
    for row in rows:
        name, actual, target, completion, expected, ratio, counted, weight = row
        data = computed[names[name]]
        indicator = example.dataset.indicator(data["indicator_id"])
        what = f"{indicator.id} {{}}"
        assert name == indicator.name
        if data["status"] in ("not_applicable", "not_due"):
            assert actual == {"not_applicable": "不适用", "not_due": "未到报送期"}[data["status"]]
            assert {target, completion, expected, ratio, counted} == {"—"}
            continue
        if data["kind"] == "rate" or (data["kind"] == "level" and data["city_rule"] == "pooled"):
            scale = "100 × " if data["kind"] == "rate" else ""
            parts = re.fullmatch(rf"({FOUR_DECIMALS})（= {re.escape(scale)}({NUMBER}) / ({NUMBER})）", actual)
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
    scored = [r for r in progress_rows(example).values() if r["status"] not in ("not_applicable", "not_due")]
    cap = example.dataset.programme.ranking.cap
    totals = TOTALS.search(text)
    assert totals, "the line 'Σ w·q = …，Σ w = …。' is missing"
    counted = sum(r["weight"] * min(r["ratio"], cap) for r in scored if r["ratio"] is not None)
    check4(totals.group(1), counted, "Σ w·q")
    check(totals.group(2), sum(r["weight"] for r in scored), "Σ w")

    summary = SUMMARY.search(text)
    assert summary, "the line '综合得分 S = …，排名第 … 名，排名区间 …–…。' is missing"
    region, month = example.chosen
    row = next(r for r in month_ranking(example.dataset, example.results, month) if r.region_id == region)
    check4(summary.group(1), row.score, "S")
    assert (int(summary.group(2)), int(summary.group(3)), int(summary.group(4))) == (
        row.rank,
        row.rank_low,
        row.rank_high,
    ), "rank, rank interval"


def test_worked_example_reading_notes_are_the_computed_ones(page: str, example: Example) -> None:
    """The notes under the table: which items are capped, which are behind, and the bottom verdict."""
    notes = page[page.index("读表：", page.index(END)) :]
    computed = progress_rows(example)
    cap = example.dataset.programme.ranking.cap
    capped = [example.dataset.indicator(i).name for i, r in computed.items() if (r["ratio"] or 0) > cap]
    behind = [example.dataset.indicator(i).name for i, r in computed.items() if r["light"] not in ("green", "na", None)]
    if capped:
        assert f"计入值封顶为 {cap:g} 的指标：{'、'.join(capped)}。" in notes
    else:
        assert "没有指标的进度比超过" in notes
    if behind:
        assert f"没有达到序时进度（黄灯或红灯）的指标：{'、'.join(behind)}。" in notes
    region, month = example.chosen
    row = next(r for r in month_ranking(example.dataset, example.results, month) if r.region_id == region)
    name = example.dataset.region(region).name
    assert f"{name}{'在' if row.bottom else '不在'}末位" in notes
    assert ("判断稳健" in notes) == row.robust


def test_settings_models_are_the_programme_sections() -> None:
    hints = typing.get_type_hints(documents.Programme)
    for section, model in SETTINGS.items():
        assert hints[section] is model


@pytest.mark.parametrize(("section", "model"), list(SETTINGS.items()), ids=list(SETTINGS))
def test_every_method_setting_is_on_the_page_with_the_city_s_value(
    page: str, example: Example, section: str, model: type
) -> None:
    """Each field of the settings models has a row of the page's settings block, with the city's value."""
    ctx = SiteContext(example.dataset, example.results)
    named = {(s, f): (name, value) for s, f, name, value in settings(ctx)}
    shown = {
        cells(line)[0]: cells(line)[1] for line in block_of(page, "settings").splitlines() if line.startswith("| ")
    }
    values = getattr(example.dataset.programme, section)
    for field in dataclasses.fields(model):
        assert (section, field.name) in named, f"{section}.{field.name} has no row on the page"
        name, value = named[(section, field.name)]
        printed = shown.get(markdown_text(name))  # the page's Markdown escapes what Markdown would read
        assert printed == markdown_text(value), f"{section}.{field.name}: page says {printed}, expected {value}"
        raw = getattr(values, field.name)
        if isinstance(raw, int | float) and field.name != "deadline_month_offset":
            assert f"{raw:g}" in value, (field.name, raw, value)


def test_the_page_names_no_setting_key_or_code(page: str) -> None:
    keys = [f"{section}.{field.name}" for section, model in SETTINGS.items() for field in dataclasses.fields(model)]
    codes = ["programme.yaml", "indicators.csv", "targets.csv", "`linear`", "`flat`", "min(p, cap)", "`zero`"]
    found = [word for word in keys + codes if word in page]
    assert not found, found


def test_profiles_table_is_the_programmes_own(page: str, example: Example) -> None:
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| 曲线 | 1月 |"))
    rows: dict[str, list[str]] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        row = cells(line)
        rows[html.unescape(row[0])] = row[1:13]
    profiles = example.dataset.programme.profiles
    assert list(rows) == [profile_label(name) for name in profiles]
    for name, values in profiles.items():
        assert rows[profile_label(name)] == [f"{value:g}" for value in values], name
