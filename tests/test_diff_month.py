"""`bulletin diff` over a full month of the example's 13 districts, played in a real git repository.

The example data/ is copied into a temporary repository without its September bulletin and September
reports; `bulletin new-month 2011-09` scaffolds the empty reports (commit `new-month`); three districts'
reports come back (`three`), then all thirteen (`full`), then the bulletin is issued (`published`).
The summary of `new-month` → `full` is compared with tests/golden/diff/full-month.md; regenerate it after
an intended change with

    pytest tests/test_diff_month.py --regen-golden

and review `git diff tests/golden/diff`.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.commands.diff import diff_revisions
from site_builder.commands.new_month import new_month
from site_builder.compute.diff import Diff
from site_builder.compute.diff_reports import District, Figure, MonthReports
from site_builder.files.descriptor import set_report_paths
from site_builder.render.diff_annotations import as_github
from site_builder.render.diff_reports import DISTRICT_LINES, ROWS, month_details
from site_builder.render.diff_summary import MAX_CHARS, to_markdown
from tests.computed import computed
from tests.conftest import REPO
from tests.goldens import Golden

MONTH = "2011-09"
THREE = ("arong", "genhe", "hailaer")
DATE = "2011-10-01T12:00:00+08:00"  # fixed, so that the commits (and the labels) are the same every run


def _git(root: Path, *args: str) -> None:
    who = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *who, *args], cwd=root, check=True, capture_output=True)


def _commit(root: Path, tag: str) -> None:
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--allow-empty", "-m", tag)
    _git(root, "tag", tag)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("month") / "repo"
    data, source = root / "data", REPO / "data"
    with pytest.MonkeyPatch.context() as env:
        for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
            env.delenv(name, raising=False)
        env.setenv("GIT_CEILING_DIRECTORIES", str(root.parent))
        env.setenv("GIT_CONFIG_GLOBAL", str(root.parent / "no-gitconfig"))
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
            env.setenv(name, DATE)
        shutil.copytree(source, data)
        (data / f"bulletins/{MONTH}.yaml").unlink()  # not issued yet
        shutil.rmtree(data / f"bulletins/{MONTH}")
        shutil.rmtree(data / f"reports/{MONTH}")
        descriptor = data / "datapackage.yaml"
        kept = sorted(p.relative_to(data).as_posix() for p in data.glob("reports/*/*.csv"))
        descriptor.write_text(set_report_paths(descriptor.read_text(encoding="utf-8"), kept), encoding="utf-8")
        _git(root, "init", "-q")
        assert new_month(data, MONTH).written  # the empty reports, as the office makes them
        _commit(root, "new-month")
        for region in THREE:
            shutil.copy(source / f"reports/{MONTH}/{region}.csv", data / f"reports/{MONTH}/{region}.csv")
        _commit(root, "three")
        shutil.copytree(source / "reports", data / "reports", dirs_exist_ok=True)
        shutil.copy(source / "datapackage.yaml", descriptor)
        _commit(root, "full")
        shutil.copy(source / f"bulletins/{MONTH}.yaml", data / f"bulletins/{MONTH}.yaml")
        shutil.copytree(source / f"bulletins/{MONTH}", data / f"bulletins/{MONTH}")
        _commit(root, "published")
        yield root


@functools.cache
def _diff(repo: Path, old: str, new: str) -> tuple[Diff, str]:
    diff = diff_revisions(repo, "data", old, new)
    return diff, to_markdown(diff)


def _stable(md: str) -> str:
    """The summary without the commits' hashes (they follow git's object format, not the data)."""
    return re.sub(r"\(([0-9a-f]{7,40})\)", "(<commit>)", md)


def _district_lines(md: str, name: str) -> list[str]:
    """The lines of the summary that belong to one district: its ranking row and its indicator rows."""
    lines = md.splitlines()
    own = [line for line in lines if line.startswith("| ") and f" | {name} | " in line]
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| **{name}** |"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("|  | "))
    return own + lines[start:end]


def test_a_full_month_reads_district_by_district_within_the_limit(repo: Path, golden: Golden) -> None:
    diff, md = _diff(repo, "new-month", "full")
    golden("diff/full-month.md", _stable(md))
    assert diff.old.valid
    assert diff.new.valid
    (report,) = diff.reports
    assert (report.month, report.owing, report.reported, report.unreported) == (MONTH, 13, 13, ())
    example = computed(REPO / "data")
    assert example.dataset is not None
    regions, indicators = example.dataset.regions, example.dataset.indicators
    assert [d.region_id for d in report.districts] == [r.id for r in regions]  # the districts' order
    for district in report.districts:
        assert [f.name for f in district.figures] == [i.name for i in indicators]  # form order, not by id
        lines = _district_lines(md, district.name)
        assert len(lines) <= DISTRICT_LINES, (district.name, lines)
        assert len(lines) == 1 + len(indicators)
    assert "（空） →" not in md  # a new month's figure stands against last month's
    zhalantun = next(d for d in report.districts if d.region_id == "zhalantun")
    toilets = next(f for f in zhalantun.figures if f.indicator_id == "sanitary_toilets")
    assert (toilets.since, toilets.old, toilets.new) == ("2011-08", "453", "510")  # August as corrected
    assert "|  | 农村无害化卫生厕所建设数 | 上月 453 → 510 | 71.8% | 🟡 黄灯 |" in md
    assert len(md) < MAX_CHARS
    assert "另有" not in md  # nothing hidden
    assert "| `reports/2011-09/`（13 个报表） | 修改 | 0 | 0 | 169 |" in md  # one line for the month's files


def test_ranks_are_among_the_districts_that_reported(repo: Path) -> None:
    diff, md = _diff(repo, "new-month", "three")
    (report,) = diff.reports
    assert report.reported == 3
    assert len(report.unreported) == 10
    assert f"**未报（10 个）**：{'、'.join(report.unreported)}。名次只在已报送的 3 个地区中计算" in md
    assert sorted(s.place.new_rank for s in report.standings if s.place.new_rank) == [1, 2, 3]
    assert {s.place.region_id for s in report.standings} == set(THREE)  # nobody else is ranked, at 0 or otherwise
    assert "0.000" not in md
    assert [d.region_id for d in report.districts] == ["hailaer", "genhe", "arong"]  # the districts' order
    _, full = _diff(repo, "three", "full")
    assert "**未报" not in full
    assert "应报地区全部报送。" in full
    hailaer = next(line for line in full.splitlines() if line.startswith("| ") and " | 海拉尔 | " in line)
    assert hailaer.startswith("| 3 | 海拉尔 | 9月28日 | 1 → 3（↓2） |")  # two more districts above it now


def test_publishing_is_summarised_as_the_office_issued_it(repo: Path) -> None:
    diff, md = _diff(repo, "full", "published")
    (change,) = diff.bulletins
    assert (change.act, change.number, change.issued_on) == ("published", 9, "2011-10-08")
    block = md[md.index("### 通报发布与更正") : md.index("### 数据校验")]
    assert "- **发布** 2011年第9期（2011-09 月报），印发日期 2011-10-08。" in block
    assert "  - 应报地区全部报送。" in block
    assert "  - 名次与上月相比：" in block
    assert "bulletins/2011-09.yaml` | 新增" in md  # still listed among the files, after the acts
    assert md.index("### 通报发布与更正") < md.index("### 文件变化")


def test_the_summary_stays_within_a_limit_and_says_what_it_left_out(repo: Path) -> None:
    diff, md = _diff(repo, "new-month", "full")
    cut = to_markdown(diff, 5000)
    assert len(cut) <= 5000
    assert cut.splitlines()[-1].startswith("……摘要超过 5000 个字符，以下 ")
    assert "### 2011-09 月报" in cut  # the most important parts first
    assert md.startswith(cut.rsplit("\n\n……", 1)[0])
    assert to_markdown(diff, 0) == md


def test_annotations_stay_within_githubs_limits_most_important_first(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    diff, _ = _diff(repo, "new-month", "full")
    reds = sum(f.light == "red" for d in diff.reports[0].districts for f in d.figures)
    assert reds > 10
    lines = as_github(diff, "data/").splitlines()
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(warnings) == 10  # GitHub shows 10 of a step
    assert lines[-1] == f"::notice title=另有未标注的改动::另有 {reds - 10} 处红灯未在文件旁标注，见检查的摘要。"
    shares = [float(match.group(1)) for line in warnings if (match := re.search(r"完成进度 ([0-9.]+)%25", line))]
    assert len(shares) == 10
    assert shares == sorted(shares)  # the furthest behind first
    place = re.match(r"::warning file=data/(reports/2011-09/\w+\.csv),line=(\d+),", warnings[0])
    assert place is not None
    row = (repo / "data" / place.group(1)).read_text(encoding="utf-8").splitlines()[int(place.group(2)) - 1]
    indicator = next(i for i in diff.names if i == f"indicator:{row.split(',')[2]}")
    assert f"：{diff.names[indicator]} " in warnings[0]  # the line of the indicator it names
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["diff", "new-month", "full", "--data", "data", "--format", "github"]) == 0
    assert capsys.readouterr().out.splitlines() == lines


def test_a_district_with_more_changes_than_rows_keeps_the_worst_and_counts_the_rest() -> None:
    lights = ["green"] * 15 + ["red", "yellow", "grey", "red", "green"]
    figures = tuple(Figure(f"i{n}", f"指标{n}", "1", "2", None, 0.5, light, ()) for n, light in enumerate(lights))
    report = MonthReports(MONTH, 1, 1, (), (), (District("east", "东区", figures),), True, True)
    rows = [line for line in month_details(report) if line.startswith("| ") and "指标" in line and "---" not in line]
    rows = rows[1:]  # the header
    assert len(rows) == ROWS
    assert len(rows) + 1 <= DISTRICT_LINES  # with its ranking line
    shown = [re.search(r"\| (指标\d+) \|", row) for row in rows[:-1]]
    names = [match.group(1) for match in shown if match]
    assert {"指标15", "指标16", "指标17", "指标18"} <= set(names)  # red, yellow, no value: all kept
    assert names == sorted(names, key=lambda name: int(name[2:]))  # still in form order
    assert rows[-1] == "|  | 另有 8 项指标变化（🟢 绿灯 8 项） |  |  |  |  |"
