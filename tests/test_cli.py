"""The command line: exit codes, the three output formats, both languages."""

from __future__ import annotations

import errno
import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.cli import COMMANDS, main, runner
from site_builder.cli.messages import MESSAGES
from tests.conftest import REPO, build_fixture


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_valid_data_exits_zero(valid_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["validate", "--data", str(valid_copy)], capsys)
    assert status == 0
    assert "数据有效" in out


def test_a_missing_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(["validate", "--data", str(tmp_path / "nowhere")], capsys)
    assert status == 2
    assert err == f"bulletin: 错误：找不到数据文件夹：{tmp_path / 'nowhere'}\n"  # Chinese, like the findings
    status, _, err = run(["validate", "--lang", "en", "--data", str(tmp_path / "nowhere")], capsys)
    assert status == 2
    assert err == f"bulletin: error: data folder not found: {tmp_path / 'nowhere'}\n"


@pytest.mark.parametrize(
    ("argv", "zh", "en"),
    [
        (["rank", "May"], "MONTH 应写成 2011-05 这样的月份", "MONTH must look like 2011-05"),
        (["rank", "2012-01"], "2012-01 没有月报；有月报的月份：2011-01、2011-02", "no reports for 2012-01"),
        (
            ["publish", "2011-02", "--date", "2011-02-30"],
            "--date 应写成 2011-10-08 这样的日期",
            "--date must look like",
        ),
        (["sample", "2011-03"], "抽样要用 --seed 给出随机种子", "give --seed SEED to draw"),
        (["import", "nowhere.xlsx"], "找不到文件：nowhere.xlsx", "no such file: nowhere.xlsx"),
    ],
)
def test_usage_errors_follow_lang(
    argv: list[str], zh: str, en: str, valid_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run([*argv, "--data", str(valid_copy)], capsys)
    assert status == 2
    assert err.startswith("bulletin: 错误：")
    assert zh in err
    status, _, err = run([*argv, "--data", str(valid_copy), "--lang", "en"], capsys)
    assert status == 2
    assert err.startswith("bulletin: error: ")
    assert en in err


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--format", "xml"])
    assert exit_info.value.code == 2


def test_json_holds_every_field_of_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    build_fixture("cell-percent", data)
    status, out, _ = run(["validate", "--data", str(data), "--format", "json"], capsys)
    assert status == 1
    document = json.loads(out)
    assert document["valid"] is False
    assert document["errors"] == 1
    (finding,) = document["findings"]
    assert set(finding) == {"code", "severity", "file", "line", "column", "value", "message", "hint"}
    assert finding["code"] == "cell-percent"
    assert finding["file"].endswith("data/benchmarks.csv")
    assert (finding["line"], finding["column"], finding["value"]) == (2, 23, "91%")
    assert "91" in finding["hint"]


def test_english_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    build_fixture("cell-percent", data)
    _, out, _ = run(["validate", "--data", str(data), "--lang", "en"], capsys)
    assert "has a percent sign" in out
    assert "line 2, column 23" in out


def test_github_annotations_and_job_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    build_fixture("csv-syntax", data)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    status, out, _ = run(["validate", "--data", str(data), "--format", "github"], capsys)
    assert status == 1
    line = out.splitlines()[0]
    assert line.startswith("::error file=")
    assert "reports/2011-02/hill.csv,line=5,col=1,title=csv-syntax::" in line
    assert "\n" not in line
    assert "csv-syntax" in summary.read_text(encoding="utf-8")


def test_text_output_groups_findings_by_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    build_fixture("cell-type", data)
    (data / "notes.txt").write_text("x", encoding="utf-8")
    _, out, _ = run(["validate", "--data", str(data)], capsys)
    files = [line for line in out.splitlines() if line and not line.startswith(" ")]
    assert files[:2] == [f"{data.as_posix()}/notes.txt", f"{data.as_posix()}/targets.csv"]
    assert "发现 2 个错误" in out


def test_the_console_script_and_module_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "site_builder", "validate", "--data", "tests/fixtures/valid"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "数据有效" in result.stdout


def test_files_are_named_from_the_repository_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    build_fixture("cell-percent", repo / "city" / "data")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.chdir(repo / "city")
    status, out, _ = run(["--data", "data", "validate", "--format", "json"], capsys)
    assert status == 1
    assert json.loads(out)["findings"][0]["file"] == "city/data/benchmarks.csv"


# A full, read-only or refusing disk: a clear message and exit 1, never a traceback or exit 70

DISK_ERRORS = {
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "只读",
    errno.EACCES: "没有读写权限",
    errno.EDQUOT: "磁盘配额",
    errno.ENAMETOOLONG: "路径太长",
}


def refuse_writes(monkeypatch: pytest.MonkeyPatch, number: int) -> None:
    """Every way the package writes a file fails as a disk would (tests run as root: permissions would not)."""

    def replace(source: object, target: object, *args: object, **kwargs: object) -> None:
        raise OSError(number, os.strerror(number), str(target))

    def write(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(number, os.strerror(number), str(self))

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "rename", replace)
    monkeypatch.setattr(Path, "write_bytes", write)
    monkeypatch.setattr(Path, "write_text", write)


@pytest.mark.parametrize("number", sorted(DISK_ERRORS), ids=errno.errorcode.get)
def test_new_month_on_a_refusing_disk_says_what_and_exits_1(
    number: int, valid_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refuse_writes(monkeypatch, number)
    status, _, err = run(["new-month", "2011-03", "--data", str(valid_copy)], capsys)
    assert status == 1
    assert DISK_ERRORS[number] in err
    assert "reports/2011-03/" in err  # which file
    assert "重新运行" in err or "文件夹" in err  # what to do
    assert "Traceback" not in err
    assert "internal error" not in err
    assert not list((valid_copy / "reports" / "2011-03").glob("*.csv"))


@pytest.mark.parametrize("number", [errno.ENOSPC, errno.EROFS], ids=errno.errorcode.get)
def test_build_on_a_refusing_disk_says_what_and_exits_1(
    number: int, valid_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refuse_writes(monkeypatch, number)
    status, _, err = run(["build", "--data", str(valid_copy), "--site-dir", str(tmp_path / "site")], capsys)
    assert status == 1
    assert DISK_ERRORS[number] in err
    assert "Traceback" not in err
    assert "internal error" not in err


def test_the_disk_message_follows_the_language(
    valid_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    refuse_writes(monkeypatch, errno.ENOSPC)
    status, _, err = run(["new-month", "2011-03", "--data", str(valid_copy), "--lang", "en"], capsys)
    assert status == 1
    assert "the disk is full" in err


def test_other_errors_are_still_internal_errors(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EBADF, "Bad file descriptor")

    monkeypatch.setattr("site_builder.commands.check.check", broken)
    monkeypatch.delenv("BULLETIN_DEBUG", raising=False)
    status, _, err = run(["validate", "--data", str(REPO / "tests" / "fixtures" / "valid")], capsys)
    assert status == 70
    assert "内部错误（internal error）" in err
    assert "不是数据的问题" in err
    status, _, err = run(["validate", "--lang", "en", "--data", str(REPO / "tests" / "fixtures" / "valid")], capsys)
    assert status == 70
    assert "This is a bug in bulletin, not in your data." in err


def test_ctrl_c_during_a_build_is_a_message_not_a_traceback(
    valid_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("site_builder.site.build.secure_pages", interrupted)  # after MkDocs, before the switch
    site = tmp_path / "site"
    status, _, err = run(["build", "--data", str(valid_copy), "--site-dir", str(site)], capsys)
    assert status == 130
    assert "已中断" in err
    assert "Traceback" not in err
    assert not site.exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site-") and p.is_dir()]


def test_every_command_message_has_both_languages_with_the_same_fields() -> None:
    for key, (zh, en) in MESSAGES.items():
        assert _fields(zh) == _fields(en), key
        assert re.search(r"[\u4e00-\u9fff]", zh), key  # the Chinese text is Chinese
        assert not re.search(r"[\u4e00-\u9fff]", en), key


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_progress_messages_follow_lang(valid_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["new-month", "2011-03", "--data", str(valid_copy)], capsys)
    assert status == 0
    assert "已写入 reports/2011-03/east.csv\n" in out
    status, out, _ = run(["new-month", "2011-03", "--data", str(valid_copy), "--lang", "en"], capsys)
    assert status == 0
    assert "kept reports/2011-03/east.csv (exists)\n" in out


# libraries only the site, the forms or the documents need: a command that only reads the data starts without
HEAVY = ("jinja2", "markdown", "mkdocs", "material", "pymdownx", "openpyxl", "xlsxwriter", "plotly", "jieba", "docx")


@pytest.mark.parametrize("argv", [["validate"], ["rank", "2011-02", "--format", "csv"]])
def test_commands_that_only_read_the_data_do_not_import_the_site_stage(argv: list[str]) -> None:
    script = (
        "import sys\n"
        "from site_builder.cli import main\n"
        f"status = main({[*argv, '--data', str(REPO / 'tests' / 'fixtures' / 'valid')]!r})\n"
        "print(status, sorted({m.split('.')[0] for m in sys.modules} & set(sys.argv[1:])))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, *HEAVY], capture_output=True, text=True, check=True, cwd=REPO, timeout=120
    )
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_validate_does_not_import_the_model_or_compute_stage() -> None:
    # `bulletin validate` is load → validate: the model and compute stages (and their start-up) are for the
    # commands that compute; `rank` imports them, which shows the check can see them
    script = (
        "import sys\n"
        "from site_builder.cli import main\n"
        "status = main(sys.argv[1:])\n"
        "print(status, sorted(m for m in sys.modules if m.split('.')[:2] in (['site_builder', 'compute'], "
        "['site_builder', 'model'])))\n"
    )
    fixture = str(REPO / "tests" / "fixtures" / "valid")
    seen = {}
    for argv in (["validate"], ["rank", "2011-02", "--format", "csv"]):
        done = subprocess.run(
            [sys.executable, "-c", script, *argv, "--data", fixture],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            timeout=120,
        )
        seen[argv[0]] = done.stdout.splitlines()[-1]
    assert seen["validate"] == "0 []", seen
    assert "'site_builder.compute'" in seen["rank"], seen
    assert "'site_builder.model'" in seen["rank"], seen


def test_every_command_has_its_run_function() -> None:
    for command in COMMANDS:
        assert callable(runner(command)), command
