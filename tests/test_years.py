"""Year after year: a second programme year beside the first (issue 13, item 8).

A copy of data/ (2011, bulletins 1–9 published, two of them corrected) becomes a 2012 programme: year 2012 in
programme.yaml, 2012 targets for every district × indicator, 2012 benchmarks, and January and February 2012
reports made from 2011's rows. It validates, builds, and the 2011 bulletins, rankings and downloads stay.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.commands.build import Built, build
from site_builder.commands.check import check
from site_builder.commands.new_month import new_month
from site_builder.files.descriptor import set_report_paths
from site_builder.site.build import Workspace
from tests.conftest import REPO, TODAY

NEW_MONTHS = ("01", "02")


def _next_year(text: str) -> str:
    """A 2011 text as 2012: its months and dates one year on."""
    return re.sub(r"\b2011-", "2012-", text)


def _rows_of(text: str, keep: re.Pattern[str]) -> list[str]:
    return [line for line in text.splitlines()[1:] if keep.match(line)]


def make_second_year(data: Path) -> None:
    """data/ turned into a 2012 programme with two months of reports, 2011 left as it was."""
    programme = data / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("\nyear: 2011\n", "\nyear: 2012\n"), "utf-8")
    targets = data / "targets.csv"
    text = targets.read_text(encoding="utf-8")
    rows = [re.sub(r"^2011,", "2012,", line) for line in _rows_of(text, re.compile(r"2011,"))]
    targets.write_text(text + "\n".join(rows) + "\n", encoding="utf-8")
    benchmarks = data / "benchmarks.csv"
    text = benchmarks.read_text(encoding="utf-8")
    rows = [_next_year(line) for line in _rows_of(text, re.compile(r"2011-0[12],"))]
    benchmarks.write_text(text + "\n".join(rows) + "\n", encoding="utf-8")
    paths = []
    for month in NEW_MONTHS:
        source, target = data / "reports" / f"2011-{month}", data / "reports" / f"2012-{month}"
        target.mkdir()
        for report in sorted(source.glob("*.csv")):
            (target / report.name).write_text(_next_year(report.read_text(encoding="utf-8")), encoding="utf-8")
            paths.append(f"reports/2012-{month}/{report.name}")
    (data / "accountability").mkdir()
    (data / "accountability" / "2011.yaml").write_text(
        "year: 2011\ndecided_on: 2012-01-20\ncommended:\n  - region: hailaer\n    reason: 全年排名第一\n", "utf-8"
    )
    descriptor = data / "datapackage.yaml"
    text = descriptor.read_text(encoding="utf-8")
    listed = re.findall(r"^\s+- (reports/\S+\.csv)$", text, re.MULTILINE)
    descriptor.write_text(set_report_paths(text, sorted({*listed, *paths})), encoding="utf-8")


@pytest.fixture(scope="module")
def two_years(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("years")
    shutil.copytree(REPO / "data", root / "data")
    make_second_year(root / "data")
    return root


@pytest.fixture(scope="module")
def building(two_years: Path) -> Built:
    """The two-year folder built: its validation (`check`'s, on TODAY) and its site."""
    return build(two_years / "data", two_years / "site", TODAY, Workspace(two_years / "work"))


@pytest.fixture(scope="module")
def built(two_years: Path, building: Built) -> Path:
    assert building.ok, [f.code for f in building.computed.validated.findings if f.severity == "error"]
    return two_years / "site"


@pytest.fixture(scope="module")
def one_year(built_example: Callable[[str], Path]) -> Path:
    return built_example("data")  # the example as it ships: 2011 only


def _page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def test_the_second_year_validates_without_errors(building: Built) -> None:
    findings = building.computed.validated.findings  # the build's validation, the one `check` makes
    assert [f for f in findings if f.severity == "error"] == []


def test_the_home_page_shows_the_current_year_and_links_the_past(built: Path) -> None:
    home = (built / "index.html").read_text(encoding="utf-8")
    assert "2012 年 · 数据截至 2012-02" in home
    assert "往年：2011 年" in home
    assert 'href="rankings/2011/"' in home


@pytest.mark.parametrize("month", ["2011-09", "2011-05"])  # corrected (its editions), and shown from 2011's figures
def test_a_past_bulletin_stays_with_its_own_figures(built: Path, one_year: Path, month: str) -> None:
    past, alone = _page(built, f"bulletins/{month}"), _page(one_year, f"bulletins/{month}")
    ranking = re.compile(r'<div class="bulletin-ranking">.*?</div>', re.DOTALL)
    first, second = ranking.search(past), ranking.search(alone)
    assert first is not None
    assert second is not None
    assert "综合排名" in first.group(0)
    assert first.group(0) == second.group(0)  # the same districts, scores and ranks as in a 2011-only site
    assert (built / "downloads" / f"bulletin-{month}.xlsx").is_file()


def test_past_meetings_keep_their_proposals(built: Path, one_year: Path) -> None:
    meetings, alone = _page(built, "meetings"), _page(one_year, "meetings")
    assert meetings.count("meeting-differs") == alone.count("meeting-differs")
    assert 'href="../bulletins/2011-09/"' in meetings


def test_each_year_keeps_its_downloads(built: Path) -> None:
    for name in ("progress-2011.csv", "progress-2012.csv", "bulletin-2012-02.xlsx"):
        assert (built / "downloads" / name).is_file()
    assert "2011年：各地区各指标逐月进展" in _page(built, "downloads")


def test_past_rankings_and_the_archive_of_both_years(built: Path) -> None:
    rankings = _page(built, "rankings/2011")
    assert "这是 2011 年度的排名" in rankings
    assert "2011年9月" in rankings
    assert 'href="2011/"' in _page(built, "rankings")
    year_end = _page(built, "accountability/2011")
    assert "2011年年终奖惩" in year_end
    assert "全年排名第一" in year_end
    assert 'href="accountability/2011/"' in (built / "index.html").read_text(encoding="utf-8")
    archive = _page(built, "bulletins")
    assert archive.index("2012年") < archive.index("2011年")
    assert 'href="2012-02/"' in archive
    assert 'href="2011-09/"' in archive
    assert "第9期" in archive


def test_new_month_of_a_later_year_says_what_the_year_needs(
    two_years: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(two_years / "data", data)
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    assert main(["new-month", "2013-01", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "2013-01 属于新的年度 2013，而 programme.yaml 中的年度是 2012" in err
    assert "year: 2013" in err
    assert "13 个地区 × 13 个指标，共 169 行" in err
    assert "benchmarks.csv" in err
    assert "往年（2012 年及以前）的通报、排名和年终奖惩页仍保留在网站上" in err
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before  # nothing written


def test_a_new_year_without_its_targets_is_a_finding(two_years: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(two_years / "data", data)
    programme = data / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("\nyear: 2012\n", "\nyear: 2013\n"), "utf-8")
    outcome = new_month(data, "2013-01")
    codes = {(f.code, f.params.get("year")) for f in outcome.validated.findings if f.severity == "error"}
    assert codes == {("target-missing", 2013)}
    assert outcome.written == ()


def test_a_past_year_still_needs_its_targets(two_years: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(two_years / "data", data)
    targets = data / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    targets.write_text("\n".join(line for line in lines if not line.startswith("2011,hailaer,")) + "\n", "utf-8")
    findings = [f for f in check(data, TODAY).findings if f.code == "target-missing"]
    assert findings
    assert {f.params["year"] for f in findings} == {2011}


def test_a_report_of_a_later_year_asks_to_raise_the_year(two_years: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(two_years / "data", data)
    programme = data / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("\nyear: 2012\n", "\nyear: 2011\n"), "utf-8")
    ahead = [f for f in check(data, TODAY).findings if f.code == "report-year-ahead"]
    assert [f.value for f in ahead] == ["2012-01", "2012-02"]
    assert "year 改为 2012" in str(ahead[0].as_dict("zh")["hint"])


def test_bulletin_rank_of_a_past_month_ranks_it_as_in_its_year(
    two_years: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rank", "2011-09", "--format", "csv", "--data", str(REPO / "data")]) == 0
    alone = capsys.readouterr().out
    assert main(["rank", "2011-09", "--format", "csv", "--data", str(two_years / "data")]) == 0
    assert capsys.readouterr().out == alone  # the same ranking as when 2011 was the current year
    assert main(["rank", "2010-09", "--data", str(two_years / "data")]) == 2  # no such month: a usage error
    assert "2011-09" in capsys.readouterr().err  # the months there are, past years included
