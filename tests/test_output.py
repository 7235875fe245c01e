"""Findings in every format show control and invisible characters as visible escapes: a value from the
data never starts a new line of output, a workflow command, or a terminal escape sequence."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.core.findings import Finding
from site_builder.render import findings as output
from tests.conftest import VALID
from tests.render.helpers import edit_csv

FORGED = "\n::error file=x::forged"
VALUES = [FORGED, "\x1b[31mred", "\u202eevil", "##[error]legacy", "\r::warning::cr", "\x85nel\u2028sep"]
RAW = ["\r", "\x1b", "\u202e", "\x85", "\u2028"]  # and line feeds: each test counts the lines


def findings() -> list[Finding]:
    return [
        Finding("cell-unique", "regions.csv", 2 + i, 6, value, {"title": "全称", "field": "name", "first": "x:1"})
        for i, value in enumerate(VALUES)
    ]


def no_command_lines(text: str, allowed: int = 0) -> None:
    """No line but the first `allowed` ones can be read by the GitHub runner as a workflow command."""
    lines = text.splitlines()
    assert not any(line.strip().startswith("::") for line in lines[allowed:]), text
    assert "##[" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text(lang: str) -> None:
    text = output.as_text(findings(), lang)  # type: ignore[arg-type]
    assert text.count("\n") == 1 + 3 * len(VALUES) + 2  # file, 3 lines per finding, blank, summary
    assert not any(char in text for char in RAW)
    no_command_lines(text)
    assert "\\n::error file=x::forged" in text
    assert "\\x1b[31mred" in text
    assert "\\u202eevil" in text


def test_json_keeps_the_values_and_escapes_them() -> None:
    text = output.as_json(findings(), "zh")
    assert not any(char in text for char in RAW)
    assert all(line.strip().startswith(("{", "}", "[", "]", '"')) for line in text.splitlines())
    no_command_lines(text)
    document = json.loads(text)
    assert [f["value"] for f in document["findings"]] == VALUES  # the same data, only written with escapes
    assert "\\u202e" in text


def test_github_annotations() -> None:
    text = output.as_github(findings(), "zh")
    lines = text.splitlines()
    assert len(lines) == len(VALUES) + 1
    assert all(line.startswith("::error file=regions.csv,") for line in lines[:-1])
    no_command_lines(text, allowed=len(VALUES))
    assert not any(char in text for char in RAW)
    assert "\\n::error file=x::forged" in lines[0]


def test_markdown_summary() -> None:
    text = output.as_markdown_summary(findings(), "zh")
    assert text.count("\n") == 4 + 2 + len(VALUES)  # title, blank, summary, blank, table head, rows
    assert not any(char in text for char in RAW)
    no_command_lines(text)


def test_a_file_name_cannot_start_a_command() -> None:
    finding = Finding("file-unknown", "::error file=x::forged.txt")
    no_command_lines(output.as_text([finding], "zh"))
    assert output.as_text([finding], "zh").startswith("\\x3a:error")


@pytest.mark.parametrize("form", ["text", "json", "github"])
def test_through_the_command_line(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    edit_csv(data / "regions.csv", {"name": "东区" + FORGED + "\x1b[31m\u202e"}, where={"id": "east"})
    assert main(["validate", "--data", str(data), "--format", form]) == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) == {"text": 6, "json": 17, "github": 2}[form]
    assert "text-invisible" in out
    assert not any(char in out for char in RAW)
    no_command_lines(out, allowed=1 if form == "github" else 0)
    if form == "github":
        assert "::error file=x" not in out.splitlines()[0].split("::", 2)[1]
        summary_text = summary.read_text(encoding="utf-8")
        assert not any(char in summary_text for char in RAW)
        no_command_lines(summary_text)
