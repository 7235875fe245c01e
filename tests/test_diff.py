"""`bulletin diff`: data folders read from real git repositories, compared, and summarized in Markdown."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest

from site_builder.commands.check import compute_folder
from site_builder.commands.publish import publish_bulletin
from site_builder.compute import Computed, month_ranking
from site_builder.compute.diff import Diff, compare
from site_builder.files.descriptor import set_report_paths
from site_builder.load import load_sources
from site_builder.load.history import WORKING_TREE, RevisionError, data_at, describe, file_digests
from site_builder.render.diff_annotations import as_github
from site_builder.render.diff_summary import to_markdown
from tests.conftest import TODAY, VALID, commit, git

WARNING = "> ⚠️ **已发布通报的数据被修改**"
_counter = itertools.count()


@pytest.fixture(autouse=True)
def _plain_git(plain_git: None) -> None:
    """Every test here runs git as on a fresh machine."""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


EAST_FEB = "data/reports/2011-02/east.csv"
EAST_SCREENING = "2011-02,east,screening,240,,,2011-02-25,,"
EAST_LOWER = "2011-02,east,screening,100,,,2011-02-25,,筛查车辆故障，三月集中补筛。"


def _side(repo: Path, revision: str | None, tmp: Path) -> tuple[Computed, Path]:
    folder = data_at(repo, revision, "data", tmp / f"side-{next(_counter)}")
    return compute_folder(folder, TODAY), folder


def _diff(repo: Path, old: str, new: str | None) -> tuple[Diff, str, Computed, Computed]:
    tmp = repo.parent
    (before, old_dir), (after, new_dir) = _side(repo, old, tmp), _side(repo, new, tmp)
    diff = compare(
        before,
        after,
        load_sources(old_dir),
        load_sources(new_dir),
        labels=(describe(repo, old), describe(repo, new)),
        digests=(file_digests(old_dir), file_digests(new_dir)),
    )
    return diff, to_markdown(diff), before, after


def _rank(computed: Computed, month: str, region: str) -> int | None:
    assert computed.dataset is not None
    assert computed.results is not None
    return next(r.rank for r in month_ranking(computed.dataset, computed.results, month) if r.region_id == region)


def test_a_changed_value_shows_its_file_row_and_the_ranking_it_moves(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD")
    _edit(repo / EAST_FEB, EAST_SCREENING, EAST_LOWER)
    head = commit(repo, "east corrects February screening")
    diff, md, before, after = _diff(repo, base, head)
    assert diff.old.valid
    assert diff.new.valid
    assert [(f.path, f.status, f.rows_changed) for f in diff.files] == [("reports/2011-02/east.csv", "changed", 1)]
    (row,) = diff.rows
    assert dict(row.key) == {"month": "2011-02", "region_id": "east", "indicator_id": "screening"}
    assert [(c.field, c.old, c.new) for c in row.cells] == [
        ("value", "240", "100"),
        ("explanation", "", "筛查车辆故障，三月集中补筛。"),
    ]
    assert (
        "| **东区** | 筛查人数 | 240 → 100 | 8.3% | 🟡 黄灯 | 筛查车辆故障，三月集中补筛。 |" in md
    )  # after the change
    old_rank, new_rank = _rank(before, "2011-02", "east"), _rank(after, "2011-02", "east")
    assert old_rank is not None
    assert new_rank is not None
    assert new_rank > old_rank  # east falls
    (effect,) = diff.effects
    assert effect.month == "2011-02"
    assert effect.reports_changed
    east = next(p for p in effect.moved if p.region_id == "east")
    assert (east.old_rank, east.new_rank) == (old_rank, new_rank)
    assert f"| {new_rank} | 东区 | 2月25日 | {old_rank} → {new_rank}（↓{new_rank - old_rank}） |" in md
    assert WARNING not in md
    assert diff.months_added == ()
    assert md == to_markdown(diff)  # the same diff gives the same text


def test_a_new_month_is_listed_with_its_ranking_ends(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD")
    data = repo / "data"
    march = {"east": ("240", "360"), "west": ("180", "250"), "hill": ("260", "390")}
    paths = []
    for region, (february, value) in march.items():
        text = (data / f"reports/2011-02/{region}.csv").read_text(encoding="utf-8")
        text = re.sub(r"2011-0(2-25|3-02)", "2011-03-25", text.replace("2011-02,", "2011-03,"))
        text = text.replace(f"screening,{february},", f"screening,{value},").replace("east,pilot,1,", "east,pilot,2,")
        (data / "reports/2011-03").mkdir(exist_ok=True)
        (data / f"reports/2011-03/{region}.csv").write_text(text, encoding="utf-8")
        paths.append(f"reports/2011-03/{region}.csv")
    descriptor = data / "datapackage.yaml"
    old_paths = sorted(p.relative_to(data).as_posix() for p in data.glob("reports/*/*.csv") if "2011-03" not in str(p))
    descriptor.write_text(set_report_paths(descriptor.read_text(encoding="utf-8"), old_paths + paths), encoding="utf-8")
    head = commit(repo, "March")
    diff, md, _, after = _diff(repo, base, head)
    assert diff.new.valid, after.validated.findings
    assert diff.months_added == ("2011-03",)
    assert {f.path: f.status for f in diff.files} == {
        "datapackage.yaml": "changed",
        **dict.fromkeys(paths, "added"),
    }
    assert next(f for f in diff.files if f.path == "datapackage.yaml").keys == ("resources",)
    assert "| `datapackage.yaml` | 修改 |  |  |  | 字段：`resources` |" in md
    assert "- 新增月份：2011-03" in md
    assert "### 2011-03 月报（新增月份）：应报 3 个地区，已报 3 个" in md
    top = next(top for month, top, _ in diff.new_months if month == "2011-03")
    assert top[0].new_rank == 1
    assert f"| 1 | {top[0].name} | 3月25日 | 上月 " in md  # ranked against February's ranks
    assert "|  | 筛查人数 | 上月 240 → 360 | 30.0% | 🟢 绿灯 |  |" in md  # a new figure against last month's
    assert "|  | 试点进度 | （未填） | — | ⚪ 无数值 | " in md


def test_changes_to_a_published_month_come_first_and_loudly(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD")
    publish_bulletin(repo / "data", "2011-02", dt.date(2011, 3, 5), anyway="山县迟报两天，按时印发")
    published = commit(repo, "publish February")
    _edit(repo / "data/reports/2011-02/hill.csv", "participation,,92,100", "participation,,94,100")
    changed = commit(repo, "hill changes February after publication")
    for old in (published, base):  # published in both revisions, and published by the same change
        diff, md, _, _ = _diff(repo, old, changed)
        assert diff.old.valid
        assert ("bulletin-frozen", "error", 1) in diff.new.codes  # validate rejects it; diff shows what changed
        assert [p.month for p in diff.published] == ["2011-02"]
        assert md.index(WARNING) < md.index("### ")  # before every other section
        block = md[md.index(WARNING) : md.index("### ")]
        assert "| `reports/2011-02/hill.csv` | 2011-02 · 山县 · 参合率 | `numerator` | 92 | 94 |" in block
        assert "**没有新增更正记录**" in block
        annotations = as_github(diff, "data/").splitlines()
        assert annotations == [
            "::error file=data/reports/2011-02/hill.csv,line=2,title=已发布通报的数据被修改::2011-02 山县：参合率 "
            "92/100 → 94/100。该月通报已发布，修改须登记更正并封存（bulletin publish --erratum）。"
        ]
    diff, md, _, _ = _diff(repo, base, published)  # publishing alone changes no report row
    assert diff.published == ()
    assert WARNING not in md


def test_unknown_revisions_and_folders_are_clear_errors(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(RevisionError, match="no-such-branch"):
        data_at(repo, "no-such-branch", "data", tmp_path / "a")
    with pytest.raises(RevisionError, match="无效"):
        data_at(repo, "--output=x", "data", tmp_path / "b")
    with pytest.raises(RevisionError, match="没有数据文件夹"):
        data_at(repo, "HEAD", "nothing-here", tmp_path / "c")
    with pytest.raises(RevisionError, match="不在仓库"):
        data_at(repo, "HEAD", "../elsewhere", tmp_path / "d")
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    with pytest.raises(RevisionError, match="不在 git 仓库中"):
        data_at(outside, "HEAD", "data", tmp_path / "e")


def test_without_git_the_error_says_so(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(RevisionError, match="找不到 git"):
        data_at(repo, "HEAD", "data", tmp_path / "a")


def test_a_revision_is_read_from_git_not_from_the_working_tree(repo: Path, tmp_path: Path) -> None:
    _edit(repo / EAST_FEB, EAST_SCREENING, EAST_LOWER)  # uncommitted
    (repo / "data/.hidden").write_text("x", encoding="utf-8")
    committed = data_at(repo / "data", "HEAD", ".", tmp_path / "committed")  # from inside the repository
    assert file_digests(committed) == file_digests(VALID)
    working = data_at(repo, None, "data", tmp_path / "working")
    assert not (working / ".hidden").exists()
    assert EAST_LOWER in (working / "reports/2011-02/east.csv").read_text(encoding="utf-8")


def test_the_working_tree_is_compared_when_the_second_revision_is_omitted(repo: Path) -> None:
    _edit(repo / EAST_FEB, EAST_SCREENING, EAST_LOWER)
    with (repo / "data/programme.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# 只加一行注释\n")
    diff, md, _, _ = _diff(repo, "HEAD", None)
    assert diff.new.label == WORKING_TREE
    assert f"→ `{WORKING_TREE}`" in md.splitlines()[0]
    assert diff.old.label.startswith("HEAD (")
    assert [f.path for f in diff.files] == ["programme.yaml", "reports/2011-02/east.csv"]
    assert "| `programme.yaml` | 修改 |  |  |  | 只改了注释或格式 |" in md
    assert diff.effects[0].moved


def test_invalid_new_data_gives_finding_counts_and_still_the_changes(repo: Path) -> None:
    _edit(repo / EAST_FEB, EAST_SCREENING, "2011-02,east,screening,abc,,,2011-02-25,,")
    diff, md, _, after = _diff(repo, "HEAD", None)
    assert after.results is None
    assert not diff.new.valid
    assert diff.old.valid
    assert ("cell-type", "error", 1) in diff.new.codes
    assert "| `cell-type` | 错误 | 0 | 1 |" in md
    assert "| **东区** | 筛查人数 | 240 → abc | — | — |  |" in md
    assert diff.effects == ()
    assert (
        "### 2011-02 月报：应报 3 个地区，已报 3 个\n\n应报地区全部报送。\n\n新版本的数据未通过校验，无法计算名次。"
        in md
    )
    assert "新版本的数据未通过校验，无法计算排名" in md
    broken = commit(repo, "a typo")
    _edit(repo / EAST_FEB, "screening,abc,", "screening,250,")  # fixed in the working tree
    diff, md, _, _ = _diff(repo, broken, None)
    assert not diff.old.valid
    assert diff.new.valid
    assert "| **东区** | 筛查人数 | abc → 250 | 20.8% | 🟢 绿灯 |  |" in md
    assert "旧版本的数据未通过校验，名次变化与上月相比。" in md
    assert "| 1 | 东区 | 2月25日 | 上月 1（不变） |" in md


def test_data_text_cannot_break_the_markdown(repo: Path) -> None:
    text = '2011-02,east,screening,100,,,2011-02-25,,"a|b\n<i>x</i> [l](javascript:y) @all `c`"'
    _edit(repo / EAST_FEB, EAST_SCREENING, text)
    _, md, _, _ = _diff(repo, "HEAD", None)
    assert "<i>" not in md
    assert not re.search(r"(?<!\\)\]\(", md)  # no link
    assert " @all" not in md  # no mention
    assert r"| a\|b ⏎ \<i\>x\</i\> \[l\](javascript:y) \@all \`c\` |" in md
    lines = md.splitlines()
    for number, line in enumerate(lines):  # every table line has as many cells as its header
        if line.startswith("| "):
            header = next(lines[i] for i in range(number, -1, -1) if not lines[i - 1].startswith("|"))
            assert len(re.findall(r"(?<!\\)\|", line)) == len(re.findall(r"(?<!\\)\|", header))
