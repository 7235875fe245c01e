"""The scripts the workflows run, run as the workflows run them: the inbox import committed in a real git
repository from real .xlsx forms, the check's summary, the push with the job's token, the forge API calls
against a real HTTP server, and the preview's one-click server on a real built site."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import REPO, git

SCRIPTS = REPO / "scripts"
BULLETIN = str(REPO / ".venv" / "bin" / "bulletin")
MONTH = "2011-03"  # the month after the valid fixture's last


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env={**os.environ, "BULLETIN": BULLETIN, **env}, capture_output=True, text=True, check=False
    )


def _forms(repo: Path, out: Path) -> dict[str, Path]:
    result = _run([BULLETIN, "forms", MONTH, "--data", "data", "--out", str(out)], repo)
    assert result.returncode == 0, result.stdout + result.stderr
    return {path.stem: path for path in sorted(out.glob("*.xlsx"))}


def _fill(path: Path, screening: object = 360.0) -> None:
    """A clerk's form: the three indicators of the valid fixture and the date each was reported."""
    book = load_workbook(path)
    sheet = book["填报表"]
    sheet["I8"], sheet["J8"] = 97, 100
    sheet["H9"] = screening
    sheet["H10"] = 2
    for row in (8, 9, 10):
        sheet[f"K{row}"] = dt.datetime(2011, 3, 25)
    book.save(path)


@pytest.fixture
def branch(repo: Path, tmp_path: Path) -> Path:
    """The repository with an origin, and a branch on which three filled forms were uploaded to inbox/."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "HEAD:refs/heads/main")
    git(repo, "switch", "-q", "-c", "forms-march")
    forms = _forms(repo, tmp_path / "blank")
    assert len(forms) == 3, forms
    inbox = repo / "inbox"
    inbox.mkdir()
    for index, (name, path) in enumerate(forms.items()):
        _fill(path, "三百六十" if index == 1 else 360.0)  # the second district wrote a number in words
        shutil.copy(path, inbox / f"{name}.xlsx")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "上传报表")
    git(repo, "push", "-q", "origin", "HEAD:refs/heads/forms-march")
    return repo


def test_the_inbox_import_commits_the_reports_and_removes_the_forms(branch: Path, tmp_path: Path) -> None:
    uploaded = git(branch, "rev-parse", "HEAD")
    out = tmp_path / "out"
    outputs = tmp_path / "github_output"
    result = _run(["bash", str(SCRIPTS / "ci" / "inbox.sh"), "data", "inbox", str(out)], branch,
                  GITHUB_OUTPUT=str(outputs))  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    said = dict(line.split("=", 1) for line in outputs.read_text(encoding="utf-8").splitlines())
    assert said["forms"] == "3"
    assert said["committed"] == "true"
    assert said["sha"] == git(branch, "rev-parse", "HEAD") != uploaded
    assert git(branch, "rev-parse", "HEAD~1") == uploaded  # one commit on top of the upload
    changed = git(branch, "-c", "core.quotePath=false", "show", "--name-status", "--format=", "HEAD").splitlines()
    assert sorted(line.split("\t")[1] for line in changed if line.startswith("D")) == sorted(
        f"inbox/{name}" for name in os.listdir(tmp_path / "blank")
    )
    added = [line.split("\t")[1] for line in changed if line[0] in "AM"]
    reports = sorted(path for path in added if path.startswith(f"data/reports/{MONTH}/"))
    assert len(reports) == 2, changed  # two clean forms written, the bad one refused
    assert not [path for path in added if path.endswith(".xlsx")]
    assert not list((branch / "inbox").glob("*.xlsx"))
    assert git(branch, "status", "--porcelain") == ""  # everything the import wrote is in the commit
    comment = (out / "comment.md").read_text(encoding="utf-8")
    assert comment.strip()
    json.loads((out / "result.json").read_text(encoding="utf-8"))

    # the same job then validates the commit and says what changed since main
    checked = _run(["bash", str(SCRIPTS / "ci" / "check.sh"), "data", "origin/main", str(out)], branch,
                   GITHUB_STEP_SUMMARY=str(tmp_path / "summary"))  # fmt: skip
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert checked.returncode in (0, 1), checked.stderr
    assert summary.splitlines()[0].startswith("✅" if checked.returncode == 0 else "❌"), summary
    assert "::" not in summary  # the annotations went to the log, the table to the summary
    assert (tmp_path / "summary").read_text(encoding="utf-8") == summary

    # and pushes it to the branch with the job's token (here a local origin, which ignores the header)
    pushed = _run(["bash", str(SCRIPTS / "ci" / "push.sh"), "forms-march"], branch, FORGE_TOKEN="secret-token")
    assert pushed.returncode == 0, pushed.stderr
    assert "secret-token" not in pushed.stdout + pushed.stderr
    assert git(branch, "rev-parse", "origin/forms-march") == said["sha"]
    assert "secret-token" not in (branch / ".git" / "config").read_text(encoding="utf-8")


def test_the_workflows_run_these_scripts_as_the_tests_do() -> None:
    """The tests above run the scripts the way the workflows' steps call them."""
    workflows = REPO / ".github" / "workflows"
    pull = (workflows / "pull-request.yml").read_text(encoding="utf-8")
    for call in (
        '../scripts/ci/inbox.sh "$DATA" inbox ../ci-out/inbox',  # in pr/, the base branch's script
        '../scripts/ci/push.sh "$HEAD_REF"',
        '../scripts/ci/check.sh "$DATA" "$(git merge-base "origin/$BASE_REF" HEAD)" ../ci-out/check',
        'scripts/ci/check.sh "$DATA" "$(git merge-base "origin/$BASE_REF" HEAD)" ci-out/check',
        "python3 scripts/ci/forge.py comment --pr",
        "python3 scripts/ci/forge.py status --sha",
        "cp scripts/preview/preview.py scripts/preview/preview.cmd scripts/preview/preview.ps1 preview/",
    ):
        assert call in pull, call
    for name, branch in (("new-month", "new-month"), ("publish-bulletin", "publish"), ("erratum", "erratum")):
        text = (workflows / f"{name}.yml").read_text(encoding="utf-8")
        assert f'scripts/ci/propose.sh "$DATA" "{branch}/$MONTH-$RUN"' in text, name
        assert "fetch-depth: 0" in text, name


def test_a_branch_without_forms_gets_no_commit(repo: Path, tmp_path: Path) -> None:
    head = git(repo, "rev-parse", "HEAD")
    (repo / "inbox").mkdir()
    (repo / "inbox" / "说明.txt").write_text("把填好的报表上传到这里", encoding="utf-8")
    result = _run(["bash", str(SCRIPTS / "ci" / "inbox.sh"), "data", "inbox", str(tmp_path / "out")], repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["forms=0", "committed=false"]
    assert git(repo, "rev-parse", "HEAD") == head


# The forge's API: a real HTTP server that records what the script asks


class _Forge(http.server.BaseHTTPRequestHandler):
    calls: list[tuple[str, str, Any, str]]
    comments: list[dict[str, Any]]
    refuse_pulls = False

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.calls.append((self.command, self.path, body, self.headers.get("Authorization", "")))
        return body

    def do_GET(self) -> None:
        self._record()
        page = int(self.path.rsplit("page=", 1)[1])
        self._answer(200, self.comments[(page - 1) * 50 : page * 50])

    def do_POST(self) -> None:
        body = self._record()
        if self.path.endswith("/pulls"):
            if self.refuse_pulls:
                self._answer(403, {"message": "GitHub Actions is not permitted to create pull requests"})
            else:
                self._answer(201, {"html_url": "https://forge.example/o/r/pull/7"})
        elif "/comments" in self.path:
            self.comments.append({"id": 1000 + len(self.comments), "body": body["body"]})
            self._answer(201, {})
        else:
            self._answer(201, {})

    def do_PATCH(self) -> None:
        body = self._record()
        number = int(self.path.rsplit("/", 1)[1])
        next(c for c in self.comments if c["id"] == number)["body"] = body["body"]
        self._answer(200, {})

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def forge() -> Iterator[tuple[type[_Forge], dict[str, str]]]:
    handler = type("Forge", (_Forge,), {"calls": [], "comments": [{"id": i, "body": "别人的留言"} for i in range(60)]})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api = f"http://127.0.0.1:{server.server_address[1]}/api/v1"  # Gitea's and Forgejo's API root
    env = {
        "GITHUB_API_URL": api,
        "GITHUB_SERVER_URL": "https://forge.example/",  # Gitea's server_url ends with a slash
        "GITHUB_REPOSITORY": "office/bulletin",
        "FORGE_TOKEN": "job-token",
    }
    yield handler, env
    server.shutdown()
    server.server_close()


def _forge_py(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPTS / "ci" / "forge.py"), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_one_comment_per_key_is_added_then_replaced(forge: tuple[type[_Forge], dict[str, str]], tmp_path: Path) -> None:
    handler, env = forge
    body = tmp_path / "body.md"
    body.write_text("## 导入结果\n\n两份报表已导入。", encoding="utf-8")
    first = _forge_py(env, "comment", "--pr", "12", "--key", "inbox", "--body-file", str(body))
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "comment added"
    body.write_text("## 导入结果\n\n三份报表已导入。" + "很长" * 40_000, encoding="utf-8")
    second = _forge_py(env, "comment", "--pr", "12", "--key", "inbox", "--body-file", str(body))
    assert second.stdout.strip() == "comment updated", second.stderr
    ours = [c for c in handler.comments if c["body"].startswith("<!-- bulletin:inbox -->")]
    assert len(ours) == 1
    assert "三份报表已导入" in ours[0]["body"]
    assert len(ours[0]["body"]) <= 60_100
    assert ours[0]["body"].rstrip().endswith("完整内容见本次运行的日志。）")
    paths = [(method, path) for method, path, _, _ in handler.calls]
    assert ("POST", "/api/v1/repos/office/bulletin/issues/12/comments") in paths
    assert ("PATCH", "/api/v1/repos/office/bulletin/issues/comments/1060") in paths
    assert ("GET", "/api/v1/repos/office/bulletin/issues/12/comments?per_page=50&limit=50&page=2") in paths
    assert {auth for _, _, _, auth in handler.calls} == {"token job-token"}
    assert "job-token" not in first.stdout + first.stderr + second.stdout + second.stderr


def test_a_commit_status_and_a_pull_request(forge: tuple[type[_Forge], dict[str, str]], tmp_path: Path) -> None:
    handler, env = forge
    words = "导入后校验：" + "有错误" * 100
    status = _forge_py(env, "status", "--sha", "a" * 40, "--state", "failure", "--context", "校验、对比并生成预览",
                       "--description", words, "--url", "https://forge.example/run/1")  # fmt: skip
    assert status.returncode == 0, status.stderr
    method, path, body, _ = handler.calls[-1]
    assert (method, path) == ("POST", f"/api/v1/repos/office/bulletin/statuses/{'a' * 40}")
    assert body["state"] == "failure"
    assert body["context"] == "校验、对比并生成预览"
    assert body["target_url"] == "https://forge.example/run/1"
    assert len(body["description"]) == 140
    text = tmp_path / "pr.md"
    text.write_text("新月份 2011-03", encoding="utf-8")
    opened = _forge_py(env, "pull-request", "--head", "new-month/2011-03", "--base", "main", "--title", "新月份",
                       "--body-file", str(text))  # fmt: skip
    assert opened.stdout.strip() == "https://forge.example/o/r/pull/7"
    assert handler.calls[-1][2] == {"head": "new-month/2011-03", "base": "main", "title": "新月份",
                                    "body": "新月份 2011-03"}  # fmt: skip
    handler.refuse_pulls = True
    refused = _forge_py(env, "pull-request", "--head", "new-month/2011-03", "--base", "main", "--title", "新月份",
                        "--body-file", str(text))  # fmt: skip
    assert refused.returncode == 0
    assert refused.stdout.strip() == "https://forge.example/office/bulletin/compare/main...new-month/2011-03"
    assert "403" in refused.stderr
    assert _forge_py({**env, "FORGE_TOKEN": ""}, "status", "--sha", "b", "--state", "success", "--context", "c",
                     "--description", "d").returncode != 0  # fmt: skip


def test_a_manual_workflow_proposes_its_change_as_a_checked_pull_request(
    repo: Path, tmp_path: Path, forge: tuple[type[_Forge], dict[str, str]]
) -> None:
    """新月份 as the workflow runs it: the command, then propose.sh: branch, check, push, pull request, status."""
    handler, env = forge
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "HEAD:refs/heads/main")
    started = git(repo, "rev-parse", "HEAD")
    assert _run([BULLETIN, "new-month", MONTH, "--data", "data"], repo).returncode == 0
    summary = tmp_path / "summary"
    out = tmp_path / "out"
    workflow = {**env, "GITHUB_REF_NAME": "main", "GITHUB_WORKFLOW": "新月份", "GITHUB_ACTOR": "office",
                "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_RUN_NUMBER": "4", "CI_OUT": str(out)}  # fmt: skip
    branch = f"new-month/{MONTH}-4"
    result = _run(["bash", str(SCRIPTS / "ci" / "propose.sh"), "data", branch, f"新月份：{MONTH}"], repo, **workflow)
    assert result.returncode == 0, result.stdout + result.stderr
    head = git(repo, "rev-parse", "HEAD")
    assert git(repo, "rev-parse", "HEAD~1") == started
    assert git(repo, "rev-parse", f"origin/{branch}") == head
    assert git(repo, "rev-parse", "origin/main") == started  # main is never pushed to
    assert git(repo, "log", "-1", "--format=%s") == f"新月份：{MONTH}"
    calls = {(method, path): body for method, path, body, _ in handler.calls}
    pull = calls[("POST", "/api/v1/repos/office/bulletin/pulls")]
    assert (pull["head"], pull["base"], pull["title"]) == (branch, "main", f"新月份：{MONTH}")
    assert "由工作流「新月份」生成，运行者：office" in pull["body"]
    assert "## " in pull["body"]  # the check's summary is the pull request's text
    status = calls[("POST", f"/api/v1/repos/office/bulletin/statuses/{head}")]
    assert status["context"] == "校验、对比并生成预览"
    assert status["state"] == "success"
    assert status["target_url"] == "https://forge.example/office/bulletin/actions/runs/4"  # Gitea: the run's number
    assert "合并请求：https://forge.example/o/r/pull/7" in summary.read_text(encoding="utf-8")
    again = _run(["bash", str(SCRIPTS / "ci" / "propose.sh"), "data", branch + "-b", "再来一次"], repo, **workflow)
    assert again.returncode == 0
    assert "数据没有变化" in again.stdout


# The preview a reviewer opens by double-click: the script shipped in the artifact serves the built site


def test_the_preview_script_serves_the_built_site(tmp_path: Path, built_example: Callable[[str], Path]) -> None:
    preview = tmp_path / "site-preview"
    shutil.copytree(built_example("data"), preview / "site", symlinks=False)  # as the workflow copies it (cp -rL)
    for name in ("preview.py", "preview.cmd", "preview.ps1"):
        shutil.copy(SCRIPTS / "preview" / name, preview / name)
    process = subprocess.Popen(
        [sys.executable, str(preview / "preview.py"), "--port", "0", "--no-browser"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert response.read() == (preview / "site" / "index.html").read_bytes()
        folder = next(p for p in sorted((preview / "site" / "bulletins").iterdir()) if (p / "index.html").is_file())
        with urllib.request.urlopen(f"{url}bulletins/{folder.name}/", timeout=30) as response:
            assert response.read() == (folder / "index.html").read_bytes()
        script = next((preview / "site" / "assets").rglob("*.js"))
        with urllib.request.urlopen(url + script.relative_to(preview / "site").as_posix(), timeout=30) as response:
            assert response.headers["Content-Type"].startswith("text/javascript")
    finally:
        process.terminate()
        process.wait(timeout=30)
    cmd = (preview / "preview.cmd").read_bytes()
    assert cmd.isascii()  # cmd.exe reads a batch file in the console's code page
    assert b"\r\n" in cmd
    assert b"preview.py" in cmd
    assert b"preview.ps1" in cmd
    assert (preview / "preview.ps1").read_bytes().isascii()  # Windows PowerShell 5.1 reads it as ANSI


def test_the_preview_script_says_so_when_there_is_no_site(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPTS / "preview" / "preview.py"), "--site", str(tmp_path), "--no-browser"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "没有找到网站" in result.stderr
