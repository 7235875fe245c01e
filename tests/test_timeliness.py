"""Timeliness from the record: first-seen dates read from a real git repository with commits on chosen dates."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder.commands.check import check, compute_folder
from site_builder.core.history import ReportHistory
from site_builder.load.history import report_history
from site_builder.render.site import render_site
from tests.conftest import TODAY, VALID

HEADER = "month,region_id,indicator_id,value,numerator,denominator,submitted_on,corrected_on,explanation\n"


def run(repo: Path, *args: str, date: str | None = None) -> str:
    env = dict(os.environ)
    if date is not None:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    result = subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def commit_all(repo: Path, message: str, date: str) -> str:
    run(repo, "add", "-A")
    run(repo, "commit", "-q", "-m", message, date=date)
    return run(repo, "rev-parse", "HEAD")


def empty_month(repo: Path, month: str) -> None:
    """What bulletin new-month writes: a row per indicator, no figures, no dates."""
    for region in ("east", "hill", "west"):
        rows = "".join(f"{month},{region},{i},,,,,,\n" for i in ("participation", "screening", "pilot"))
        (repo / "data" / "reports" / month / f"{region}.csv").write_text(HEADER + rows, encoding="utf-8")


def fill(repo: Path, month: str, region: str) -> None:
    (repo / "data" / "reports" / month / f"{region}.csv").write_text(
        (VALID / "reports" / month / f"{region}.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )


@pytest.fixture
def history(tmp_path: Path, plain_git: None) -> tuple[Path, dict[str, str]]:
    """January filled on 2011-01-26; February's empty files (new-month) on 2011-02-01; east filled on a
    branch on 2011-02-25 and merged on 2011-03-10; hill on 2011-03-02; west on 2011-03-09 (declared
    2011-02-25: twelve days earlier); east corrected on 2011-04-01."""
    repo = tmp_path / "repo"
    shutil.copytree(VALID, repo / "data")
    programme = repo / "data" / "programme.yaml"
    programme.write_text(programme.read_text(encoding="utf-8").replace("simulated: true", "simulated: false"))
    empty_month(repo, "2011-02")
    run(repo, "init", "-q", "-b", "main")
    run(repo, "config", "user.name", "Office")
    run(repo, "config", "user.email", "office@example.invalid")
    shutil.move(repo / "data" / "reports" / "2011-02", tmp_path / "february")  # January first
    commits = {"base": commit_all(repo, "base and January", "2011-01-26T09:00:00+08:00")}
    shutil.move(tmp_path / "february", repo / "data" / "reports" / "2011-02")
    commits["new-month"] = commit_all(repo, "bulletin new-month 2011-02", "2011-02-01T09:00:00+08:00")
    run(repo, "checkout", "-q", "-b", "east")
    fill(repo, "2011-02", "east")
    commits["east"] = commit_all(repo, "east: February", "2011-02-25T16:00:00+08:00")
    run(repo, "checkout", "-q", "main")
    run(repo, "merge", "-q", "--no-ff", "-m", "merge east", "east", date="2011-03-10T09:00:00+08:00")
    commits["merge"] = run(repo, "rev-parse", "HEAD")
    fill(repo, "2011-02", "hill")
    commits["hill"] = commit_all(repo, "hill: February", "2011-03-02T11:00:00+08:00")
    fill(repo, "2011-02", "west")
    commits["west"] = commit_all(repo, "west: February", "2011-03-09T11:00:00+08:00")
    east = repo / "data" / "reports" / "2011-02" / "east.csv"
    east.write_text(east.read_text(encoding="utf-8").replace(",240,", ",241,"), encoding="utf-8")
    commits["correction"] = commit_all(repo, "east: corrected", "2011-04-01T11:00:00+08:00")
    return repo, commits


def test_first_seen_is_the_commit_that_brought_the_figures(history: tuple[Path, dict[str, str]]) -> None:
    repo, commits = history
    found = report_history(repo / "data")
    assert found.state == "full"
    by_report = {key: (seen.date.isoformat(), seen.commit) for key, seen in found.by_report().items()}
    assert by_report[("2011-01", "east")] == ("2011-01-26", commits["base"])
    # not the empty files of new-month, not the merge, not the later correction: the branch's commit
    assert by_report[("2011-02", "east")] == ("2011-02-25", commits["east"])
    assert by_report[("2011-02", "hill")] == ("2011-03-02", commits["hill"])
    assert by_report[("2011-02", "west")] == ("2011-03-09", commits["west"])
    assert ("2011-02", "west", "pilot") not in found.rows  # declared without figures: never in the record
    assert len(by_report) == 6


def test_a_date_declared_long_before_the_record_is_a_warning(history: tuple[Path, dict[str, str]]) -> None:
    repo, commits = history
    findings = check(repo / "data", TODAY).findings
    assert [(f.code, f.file, f.line, f.value) for f in findings] == [
        ("submitted-before-commit", "reports/2011-02/west.csv", 2, "2011-02-25")
    ]
    assert findings[0].params["first_seen"] == "2011-03-09"
    assert findings[0].params["commit"] == commits["west"][:7]
    assert findings[0].params["days"] == 12


def test_a_date_declared_after_the_record_is_a_warning(history: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history
    report = repo / "data" / "reports" / "2011-01" / "hill.csv"
    report.write_text(report.read_text(encoding="utf-8").replace("2011-01-25", "2011-01-28"), encoding="utf-8")
    commit_all(repo, "hill: January's date", "2011-04-02T09:00:00+08:00")
    codes = {(f.code, f.file, f.value) for f in check(repo / "data", TODAY).findings}
    assert ("submitted-after-commit", "reports/2011-01/hill.csv", "2011-01-28") in codes


def test_the_pages_show_the_first_seen_date_beside_the_declared_one(history: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history
    computed = compute_folder(repo / "data", TODAY)
    assert computed.dataset is not None
    assert computed.results is not None
    files = render_site(computed.dataset, computed.results, computed.editions, computed.past).files
    bulletin = files["bulletins/2011-02.md"].decode("utf-8")
    assert "入库日期" in bulletin
    source = next(line for line in bulletin.splitlines() if 'id="src-west"' in line)
    assert "<td>2011-02-25</td><td>2011-03-09</td>" in source
    assert "取自版本历史" in bulletin
    region = files["regions/east.md"].decode("utf-8")
    assert "<td>2011-02-25</td>" in region
    assert "入库日期" in region


def test_a_shallow_clone_says_so_instead_of_guessing(history: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    repo, _ = history
    clone = tmp_path / "clone"
    run(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))
    assert report_history(clone / "data").state == "shallow"
    assert [f.code for f in check(clone / "data", TODAY).findings] == ["history-shallow"]
    computed = compute_folder(clone / "data", TODAY)
    assert computed.dataset is not None
    assert computed.results is not None
    files = render_site(computed.dataset, computed.results, computed.editions, computed.past).files
    bulletin = files["bulletins/2011-02.md"].decode("utf-8")
    assert "入库日期" not in bulletin
    assert "版本历史不完整（浅克隆）" in bulletin


def test_without_a_repository_the_site_says_the_dates_are_not_checked(
    history: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    repo, _ = history
    copy = tmp_path / "copy"
    shutil.copytree(repo / "data", copy)
    found = report_history(copy)
    assert found.state == "none"
    assert "git" in found.detail
    assert [f.code for f in check(copy, TODAY).findings] == ["history-unavailable"]
    computed = compute_folder(copy, TODAY)
    assert computed.dataset is not None
    assert computed.results is not None
    region = render_site(computed.dataset, computed.results).files["regions/hill.md"].decode("utf-8")
    assert "读不到数据仓库的版本历史" in region
    assert "入库日期" not in region


def test_simulated_data_is_not_compared_and_says_so(valid_copy: Path) -> None:
    computed = compute_folder(valid_copy, TODAY)
    assert computed.dataset is not None
    assert computed.results is not None
    assert computed.dataset.history == ReportHistory("simulated")
    assert computed.validated.findings == []
    page = render_site(computed.dataset, computed.results).files["bulletins/2011-02.md"].decode("utf-8")
    assert "未与数据仓库的版本历史核对" in page


def test_one_git_process_reads_the_history_of_many_files(
    history: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, _ = history
    calls: list[list[str]] = []
    real = subprocess.run

    def counting(args: list[str], **kwargs: object) -> object:
        calls.append(list(args))
        return real(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", counting)
    report_history(repo / "data")
    assert sum(1 for call in calls if "log" in call) == 1
