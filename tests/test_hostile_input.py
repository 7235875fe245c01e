"""What a careless or hostile user can hand the office commands: summaries aimed into the data folder or
nowhere, links in the inbox, form names that are Markdown, control characters in an erratum. Each is a
clear message and nothing written, never a traceback, an internal error or a file overwritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.commands.check import check
from site_builder.commands.importing import FormOutcome
from site_builder.core.findings import Finding
from site_builder.render import import_summary
from tests.conftest import REPO, TODAY, VALID


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("where", ["data/organization.yaml", "data", "data/../data/comment.md"])
@pytest.mark.parametrize("option", ["--comment", "--result"])
def test_a_summary_inside_the_data_folder_is_refused_before_anything_is_imported(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str], option: str, where: str
) -> None:
    data, inbox = month
    before = _snapshot(data)
    target = str(data.parent / where)
    assert main(["import", "--inbox", str(inbox), "--data", str(data), option, target]) == 2
    err = capsys.readouterr().err
    assert "在数据文件夹内" in err
    assert "Traceback" not in err
    assert _snapshot(data) == before


def test_a_summary_that_cannot_be_written_is_a_clear_message_not_an_internal_error(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, inbox = month
    blocker = data.parent / "a-file"
    blocker.write_text("x", encoding="utf-8")  # a folder that cannot be made: a file is in the way
    before = _snapshot(data)
    for target in (blocker / "comment.md", data.parent):
        assert main(["import", "--inbox", str(inbox), "--data", str(data), "--comment", str(target)]) == 2
        err = capsys.readouterr().err
        assert "--comment" in err
        assert "内部错误" not in err
    assert _snapshot(data) == before


def test_a_link_in_the_inbox_is_refused_and_nothing_outside_is_read(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data, inbox = month
    outside = tmp_path / "elsewhere" / "secret.xlsx"
    outside.parent.mkdir()
    shutil.copy(next(inbox.glob("*.xlsx")), outside)
    (inbox / "link.xlsx").symlink_to(outside)
    before = _snapshot(data)
    assert main(["import", "--inbox", str(inbox), "--data", str(data)]) == 2
    err = capsys.readouterr().err
    assert "link.xlsx" in err
    assert "链接" in err
    assert _snapshot(data) == before


def test_the_pull_request_comment_shows_hostile_names_and_messages_as_text() -> None:
    name = "[点此](https://evil.example) **x** &#64;boss @boss <b>|`\n.xlsx"
    finding = Finding("form-layout", name)
    text = import_summary.as_markdown([FormOutcome(name, "refused", findings=(finding,))], [finding], "zh")
    heading = next(line for line in text.splitlines() if line.startswith("### ❌"))
    assert "\\[点此\\](https://evil.example)" in heading  # no link
    assert "\\*\\*x\\*\\*" in heading  # no emphasis
    assert "&amp;#64;boss" in heading  # no entity that becomes a mention
    for shown in ("@\u200bboss", "&lt;b&gt;", "\\|", "\\n"):  # no mention, tag, cell end or line break
        assert shown in heading
    row = next(line for line in text.splitlines() if line.startswith("| `"))
    assert row.startswith("| `[点此](https://evil.example) **x** &#64;boss @boss <b>\\|'\\n.xlsx` |")  # a code span
    assert text.splitlines() == text.rstrip("\n").split("\n")  # no line break but the comment's own


@pytest.mark.parametrize(
    ("option", "value"),
    [("--reason", "复核\x1b[31m发现"), ("--reason", "a\u202eb"), ("--approver", "张三\n李四"), ("--approver", "x\x00")],
)
def test_an_erratum_with_control_characters_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    before = _snapshot(data)
    args = {"--reason": "复核发现\n两个乡镇重复统计", "--approver": "办公室", option: value}
    status = main(
        ["erratum", "2011-09", "--district", "zhalantun", "--indicator", "sanitary_toilets", "--value", "470",
         "--reason", args["--reason"], "--approver", args["--approver"], "--data", str(data)]
    )  # fmt: skip
    assert status == 1
    err = capsys.readouterr().err
    assert option in err
    assert "U+" in err
    assert _snapshot(data) == before


@pytest.mark.parametrize("typed", ["1e309", "-1e309", "1" + "0" * 400, "2e15"])
def test_a_figure_too_big_for_any_count_is_a_finding_not_an_internal_error(tmp_path: Path, typed: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    report = next((data / "reports").glob("*/*.csv"))
    lines = report.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    column = next(i for i, c in enumerate(cells[3:6], 3) if c)  # the first figure filled in (value or numerator)
    cells[column] = typed
    report.write_text("".join([lines[0], ",".join(cells), *lines[2:]]), encoding="utf-8")
    (finding,) = [f for f in check(data, TODAY).findings if f.severity == "error"]
    assert (finding.code, finding.line, finding.value) == ("cell-range", 2, typed)
    assert typed.startswith("-") or "1,000,000,000,000,000" in finding.message("zh")  # -1e309: below the minimum 0


def test_an_erratum_with_a_figure_too_big_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data)
    before = _snapshot(data)
    status = main(
        ["erratum", "2011-09", "--district", "zhalantun", "--indicator", "sanitary_toilets", "--value", "9" * 400,
         "--reason", "r", "--approver", "a", "--data", str(data)]
    )  # fmt: skip
    assert status == 1
    assert "太大" in capsys.readouterr().err
    assert _snapshot(data) == before
