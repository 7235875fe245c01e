"""The command line: exit codes, the three output formats, both languages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.cli import main
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
    assert "data folder not found" in err


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
