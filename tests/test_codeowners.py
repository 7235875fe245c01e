"""Who may change what: CODEOWNERS written from the examples and checked file by file, and the pull-request
check on a real repository's commits."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.commands import codeowners
from site_builder.commands.check import check
from tests.conftest import REPO, TODAY, VALID, git

EXAMPLES = [REPO / "data", REPO / "examples" / "zaozhuang"]
ACCOUNTS = """
accounts:
  office: [city-office]
  regions:
    east: [east-editor]
    west: [west-editor, west-deputy]
"""


def github_rules(text: str) -> list[tuple[re.Pattern[str], tuple[str, ...], int]]:
    """A small reading of GitHub's CODEOWNERS: gitignore-like patterns, `/` roots a pattern, `*` stays
    within a segment, `**` crosses them, a pattern without a slash matches at any depth."""
    rules = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
        body = re.escape(pattern.lstrip("/")).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
        regex = re.compile(("" if anchored else "(?:.*/)?") + body + "(?:/.*)?")
        rules.append((regex, tuple(o.lstrip("@") for o in owners), number))
    return rules


def github_owners(text: str, path: str) -> tuple[tuple[str, ...], int]:
    """The owners of `path` and the line of the rule that gave them: the last matching rule wins."""
    matched = [(owners, line) for regex, owners, line in github_rules(text) if regex.fullmatch(path)]
    assert matched, path
    return matched[-1]


def gitea_owners(text: str, path: str) -> set[str]:
    """Gitea's reading: each rule a regular expression over the whole path (after the file's own escaping
    is undone), every matching rule adding its owners."""
    owners: set[str] = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *names = line.split()
        if re.fullmatch(pattern.replace("\\\\", "\\"), path):
            owners |= {n.lstrip("@") for n in names}
    return owners


def tracked(top: Path, folder: Path) -> list[str]:
    """The files git holds below `folder`, relative to the repository's top."""
    return git(top, "ls-files", "--", str(folder.relative_to(top))).splitlines()


@pytest.mark.parametrize("data", EXAMPLES, ids=lambda p: p.name)
def test_codeowners_of_the_examples_give_every_file_its_owners(data: Path, tmp_path: Path) -> None:
    owned = codeowners.ownership(data)
    assert owned.ownership is not None
    assert owned.top is not None
    out, gitea_out = tmp_path / "CODEOWNERS", tmp_path / "gitea"
    written = codeowners.write(codeowners.files(owned, out, gitea_out))
    assert written == [out, gitea_out]
    github, gitea = out.read_text(encoding="utf-8"), gitea_out.read_text(encoding="utf-8")
    office = owned.ownership.office
    rule_of = {r: n for n, line in enumerate(github.splitlines(), 1) if (r := _region_rule(line)) is not None}
    default = next(n for n, line in enumerate(github.splitlines(), 1) if line.startswith("* "))
    regions = set(check(data, TODAY).tables["regions"].frame["id"].to_list())
    assert set(rule_of) == set(owned.ownership.editors) == regions
    files = tracked(owned.top, data)
    reports = [f for f in files if "/reports/" in f and f.endswith(".csv")]
    assert len(reports) > 50
    for path in [*files, ".github/workflows/publish.yml", "site_builder/cli/parser.py", "README.md"]:
        region = re.fullmatch(rf"{re.escape(owned.ownership.reports)}/[^/]+/([a-z0-9_]+)\.csv", path)
        owners, line = github_owners(github, path)
        if region is None:
            assert (owners, line) == (office, default), path  # the office's default rule
        else:
            expected = (*owned.ownership.editors[region.group(1)], *office)
            assert (owners, line) == (expected, rule_of[region.group(1)]), path
        assert gitea_owners(gitea, path) == set(owners), path


def _region_rule(line: str) -> str | None:
    found = re.fullmatch(r"/\S+/reports/\*/([a-z0-9_]+)\.csv .*", line)
    return found.group(1) if found else None


def test_the_command_writes_both_files_and_checks_them(repo: Path) -> None:
    organization = repo / "data" / "organization.yaml"
    organization.write_text(organization.read_text(encoding="utf-8") + ACCOUNTS, encoding="utf-8")
    assert main(["codeowners", "--data", str(repo / "data")]) == 0
    github = (repo / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/data/reports/*/west.csv @west-editor @west-deputy @city-office\n" in github
    assert "hill" not in github  # no editors: the office's alone
    assert r"data/reports/[^/]+/east\\.csv @east-editor @city-office" in (repo / ".gitea" / "CODEOWNERS").read_text()
    assert main(["codeowners", "--data", str(repo / "data"), "--check"]) == 0
    organization.write_text(organization.read_text(encoding="utf-8").replace("west-deputy", "west-second"))
    assert main(["codeowners", "--data", str(repo / "data"), "--check"]) == 1


def test_without_accounts_there_is_nothing_to_write(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codeowners", "--data", str(repo / "data")]) == 2
    assert "accounts" in capsys.readouterr().err
    assert main(["check-authors", "--data", str(repo / "data"), "--base", "HEAD", "--author", "x"]) == 0


def test_accounts_are_validated(valid_copy: Path) -> None:
    organization = valid_copy / "organization.yaml"
    bad = ACCOUNTS.replace("west:", "nowhere:").replace("city-office", '"@city office"')
    organization.write_text(organization.read_text(encoding="utf-8") + bad, encoding="utf-8")
    found = sorted((f.code, f.value) for f in check(valid_copy, TODAY).findings)
    assert found == [("unknown-region", "nowhere"), ("yaml-value", "@city office")]


def _commit(repo: Path, message: str, edit: dict[str, str]) -> None:
    for rel, line in edit.items():
        with open(repo / rel, "a", encoding="utf-8") as handle:
            handle.write(line)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def pull_request(repo: Path) -> Path:
    """main with accounts; a branch `pr` of commits by people and by the import bot, merged with main once."""
    organization = repo / "data" / "organization.yaml"
    organization.write_text(organization.read_text(encoding="utf-8") + ACCOUNTS, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "accounts")
    git(repo, "branch", "-M", "main")
    git(repo, "checkout", "-q", "-b", "pr")
    _commit(repo, "east: February", {"data/reports/2011-02/east.csv": "\n"})
    _commit(repo, "and west's too", {"data/reports/2011-02/west.csv": "\n", "data/organization.yaml": "\n"})
    _commit(repo, "forged\n\nImported-for: city-office", {"data/targets.csv": "\n"})
    git(repo, "checkout", "-q", "main")
    _commit(repo, "office: README", {"README.md": "x\n"})
    git(repo, "checkout", "-q", "pr")
    git(repo, "merge", "-q", "--no-edit", "main")  # merges are no one's change
    return repo


def _flagged(repo: Path, author: str, base: str = "main", head: str = "pr") -> list[tuple[str, object]]:
    _, found = codeowners.check_authors(repo / "data", base, head, author)
    return [(f.file, f.params["account"]) for f in found]


def test_a_change_outside_the_authors_files_is_flagged(pull_request: Path) -> None:
    assert _flagged(pull_request, "east-editor") == [
        ("data/organization.yaml", "@east-editor"),
        ("data/reports/2011-02/west.csv", "@east-editor"),
        ("data/targets.csv", "@east-editor"),  # a trailer in a person's commit counts for nothing
    ]
    assert _flagged(pull_request, "city-office") == []


def test_the_import_bots_commits_are_the_uploaders(pull_request: Path) -> None:
    git(pull_request, "checkout", "-q", "-b", "import", "main")
    _commit(pull_request, "导入 东区 2011-02\n\nImported-for: east-editor", {"data/reports/2011-02/east.csv": "\n"})
    _commit(pull_request, "导入 山县 2011-02\n\nImported-for: east-editor", {"data/reports/2011-02/hill.csv": "\n"})
    _commit(pull_request, "导入（没有上传人）", {"data/reports/2011-02/west.csv": "\n"})
    assert _flagged(pull_request, "github-actions[bot]", head="import") == [
        ("data/reports/2011-02/hill.csv", "@east-editor"),
        ("data/reports/2011-02/west.csv", "@github-actions[bot]"),
    ]


def test_the_check_on_the_command_line(pull_request: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check-authors", "--data", str(pull_request / "data"), "--base", "main", "--head", "pr"]
    assert main([*args, "--author", "west-editor", "--format", "github"]) == 1
    out = capsys.readouterr().out
    assert "change-not-owned" in out
    assert "data/reports/2011-02/east.csv" in out
    assert main([*args, "--author", "city-office"]) == 0
    assert main([*args, "--base", "no-such-branch", "--author", "city-office"]) == 2


def test_gitea_escapes_survive_an_odd_but_allowed_data_folder(plain_git: None, tmp_path: Path) -> None:
    top = tmp_path / "repo"
    shutil.copytree(VALID, top / "city.data-2011")
    organization = top / "city.data-2011" / "organization.yaml"
    organization.write_text(organization.read_text(encoding="utf-8") + ACCOUNTS, encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=top, check=True, env={**os.environ})
    owned = codeowners.ownership(top / "city.data-2011")
    texts = list(codeowners.files(owned).values())
    path = "city.data-2011/reports/2011-02/east.csv"
    assert github_owners(texts[0], path)[0] == ("east-editor", "city-office")
    assert gitea_owners(texts[1], path) == {"east-editor", "city-office"}
    assert gitea_owners(texts[1], "cityxdata-2011/reports/2011-02/east.csv") == {"city-office"}


def test_an_inbox_upload_and_its_import_are_the_uploaders(pull_request: Path) -> None:
    """A district's pull request puts a form in the inbox; the workflow (another committer, no trailer)
    imports it into the district's report and removes the form: all of it is the uploader's."""
    git(pull_request, "checkout", "-q", "-b", "upload", "main")
    (pull_request / "inbox").mkdir()
    (pull_request / "inbox" / "东区.XLSX").write_bytes(b"PK")
    git(pull_request, "add", "-A")
    git(pull_request, "commit", "-q", "-m", "上传报表")
    git(pull_request, "rm", "-q", "inbox/东区.XLSX")
    _commit(pull_request, "导入报表：东区.XLSX", {"data/reports/2011-02/east.csv": "\n"})
    assert _flagged(pull_request, "east-editor", head="upload") == [("inbox/东区.XLSX", "@east-editor")]
    _, found = codeowners.check_authors(pull_request / "data", "main", "upload", "east-editor", inbox="inbox")
    assert found == []
    _, found = codeowners.check_authors(pull_request / "data", "main", "upload", "west-editor", inbox="inbox/")
    assert [f.file for f in found] == ["data/reports/2011-02/east.csv"]
