"""The office's monthly work without YAML or a shell's habits: forms imported from an inbox (each on its
own, again and again), publishing with districts unreported, an erratum in one command, a GBK console
and Windows paths. Real .xlsx files (made by `bulletin forms`, filled with openpyxl), real git."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from site_builder.cli import main
from site_builder.commands.check import check
from site_builder.core.findings import has_errors
from site_builder.render import bulletins
from site_builder.render.context import bulletin_path
from tests.conftest import MONTH, REPO, TODAY, VALID
from tests.render.helpers import context_of

NAMES = {"west": "西区", "east": "东区", "hill": "山县"}


def _fill(path: Path, **cells: object) -> None:
    """Fill a form as a clerk would, then type `cells` over it."""
    book = load_workbook(path)
    ws = book["填报表"]
    ws["I8"], ws["J8"], ws["H9"], ws["H10"] = 97, 100, 360.0, 2
    for row in (8, 9, 10):
        ws[f"K{row}"] = dt.datetime(2011, 3, 25)
    ws["L9"] = "筛查车辆检修，已安排补查。"
    for ref, value in cells.items():
        ws[ref] = value
    book.save(path)


def _form(inbox: Path, region: str) -> Path:
    return inbox / f"{NAMES[region]}-{MONTH}.xlsx"


def _inbox(capsys: pytest.CaptureFixture[str], data: Path, inbox: Path, *extra: str) -> tuple[int, str, dict[str, Any]]:
    capsys.readouterr()
    result = inbox.parent / "out" / "result.json"
    status = main(["import", "--inbox", str(inbox), "--data", str(data), "--result", str(result), *extra])
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return status, out.out + out.err, json.loads(result.read_text(encoding="utf-8"))


def test_three_forms_one_bad_write_two_and_say_why_in_the_form_s_terms(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, inbox = month
    _fill(_form(inbox, "west"))
    _fill(_form(inbox, "hill"))
    _fill(_form(inbox, "east"), H9="３６０", K8="3月25日", I8="97%")
    comment = inbox.parent / "out" / "comment.md"
    status, shown, result = _inbox(capsys, data, inbox, "--comment", str(comment))
    assert status == 1
    assert result["written"] == [f"reports/{MONTH}/hill.csv", f"reports/{MONTH}/west.csv"]
    assert result["changed"] == result["written"]  # new-month registered them: datapackage.yaml unchanged
    assert result["refused"] == [f"东区-{MONTH}.xlsx"]
    east = next(form for form in result["forms"] if form["region_id"] == "east")
    hints = {f["cell"]: (f["indicator"], f["hint"]) for f in east["findings"]}
    assert set(hints) == {"H9", "K8", "I8"}
    assert "半角数字，如 360" in hints["H9"][1]
    assert "2011-03-25" in hints["K8"][1]
    assert "分子" in hints["I8"][1]
    assert hints["I8"][0] == "参合率"
    assert "单元格 H9（筛查人数）" in shown
    assert "wrote" not in shown
    assert "nothing" not in shown
    text = comment.read_text(encoding="utf-8")
    assert "退回" in text
    assert "单元格 K8" in text
    assert "已导入" in text
    assert (data / f"reports/{MONTH}/east.csv").read_text(encoding="utf-8").count("\n") == 4  # new-month's, unfilled
    assert not has_errors(check(data, TODAY).findings)


def test_a_reimport_replaces_the_earlier_one_whatever_else_is_wrong(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, inbox = month
    _fill(_form(inbox, "west"))
    assert _inbox(capsys, data, inbox)[0] == 0
    west = data / f"reports/{MONTH}/west.csv"
    bad = west.read_text(encoding="utf-8").replace(",360,", ",50,").replace("筛查车辆检修，已安排补查。", "")
    west.write_text(bad, encoding="utf-8")  # an earlier import that left an error (cumulative decrease)
    (data / f"reports/{MONTH}/east.csv").write_text("month,region_id\n坏,文件\n", encoding="utf-8")  # unrelated
    assert has_errors(check(data, TODAY).findings)
    _fill(_form(inbox, "west"), H9=400)
    status, shown, result = _inbox(capsys, data, inbox)
    assert result["written"] == [f"reports/{MONTH}/west.csv"], shown
    assert ",400," in west.read_text(encoding="utf-8")
    assert status == 0


def test_a_cumulative_decrease_is_explained_in_the_form_s_columns(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, inbox = month
    _fill(_form(inbox, "west"), H9=10, L9=None)  # February's screening was 180
    status, _, result = _inbox(capsys, data, inbox)
    assert status == 1
    (finding,) = [f for form in result["forms"] for f in form["findings"] if f["code"] == "cumulative-decrease"]
    assert finding["cell"] == "H9"
    assert "corrected_on" not in finding["hint"]
    assert "说明" in finding["hint"]


def test_warnings_of_other_files_are_one_line_each(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, inbox = month
    for later in ("2011-04", "2011-05"):  # more months begun, none reported
        assert main(["new-month", later, "--data", str(data)]) == 0
    _fill(_form(inbox, "west"))  # the other two forms are left blank: skipped, not imported
    status, shown, result = _inbox(capsys, data, inbox)
    assert status == 0
    assert [form["status"] for form in result["forms"]] == ["empty", "empty", "written"]
    assert "一项也没有填写，没有导入" in shown
    assert shown.count("[report-not-submitted]") == 1
    assert "[report-not-submitted] 共 8 处" in shown


def test_a_spreadsheet_of_the_wrong_kind_in_the_inbox_is_returned_not_ignored(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, inbox = month
    (inbox / "西区-2011-03.csv").write_text("month,region_id\n", encoding="utf-8")
    (inbox / "README.md").write_text("收件箱\n", encoding="utf-8")
    status, _, result = _inbox(capsys, data, inbox)
    assert status == 1
    assert result["refused"] == ["西区-2011-03.csv"]
    (finding,) = next(form["findings"] for form in result["forms"] if form["file"] == "西区-2011-03.csv")
    assert finding["code"] == "form-layout"
    assert ".xlsx" in finding["message"]


def test_english_messages_under_lang_en(month: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data, inbox = month
    _fill(_form(inbox, "west"))
    status, shown, _ = _inbox(capsys, data, inbox, "--lang", "en")
    assert status == 0
    assert f"imported 西区-{MONTH}.xlsx into reports/{MONTH}/west.csv" in shown
    assert "已导入" not in shown


def test_publish_refuses_with_districts_unreported_unless_told_why(
    month: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, inbox = month
    _fill(_form(inbox, "west"))
    assert _inbox(capsys, data, inbox)[0] == 0
    record = data / f"bulletins/{MONTH}.yaml"
    assert main(["publish", MONTH, "--data", str(data), "--date", "2011-04-08"]) == 1
    refused = capsys.readouterr().err
    assert "东区" in refused
    assert "山县" in refused
    assert "--anyway" in refused
    assert not record.exists()
    reason = "市领导要求按时印发，未报地区下期补报"
    assert main(["publish", MONTH, "--data", str(data), "--date", "2011-04-08", "--anyway", reason]) == 0
    text = record.read_text(encoding="utf-8")
    assert "issued_anyway:" in text
    assert reason in text
    assert "未报：东区、山县" in text
    assert not has_errors(check(data, TODAY).findings)
    page = next(p for p in bulletins.pages(context_of(data)) if p.path == bulletin_path(MONTH))
    assert f"本期在有地区未报送的情况下印发：未报：东区、山县。仍按时印发的原因：{reason}" in page.body


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo, check=True, capture_output=True
    )


def test_an_erratum_in_one_command_is_written_sealed_and_validates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "data", repo / "data")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "data")
    data = repo / "data"
    report, record = data / "reports/2011-09/zhalantun.csv", data / "bulletins/2011-09.yaml"
    before = (report.read_bytes(), record.read_bytes())
    for wrong in (["--district", "nowhere"], ["--indicator", "nothing"], ["--value", "４７０"]):
        args = ["--district", "zhalantun", "--indicator", "sanitary_toilets", "--value", "470", *wrong]
        assert main(["erratum", "2011-09", *args, "--reason", "r", "--approver", "a", "--data", str(data)]) == 1
        assert (report.read_bytes(), record.read_bytes()) == before
    assert "不是数字" in capsys.readouterr().err
    assert main(["erratum", "2011-12", "--district", "zhalantun", "--indicator", "sanitary_toilets", "--value", "1",
                 "--reason", "r", "--approver", "a", "--data", str(data)]) == 1  # fmt: skip
    status = main(
        ["erratum", "2011-09", "--district", "zhalantun", "--indicator", "sanitary_toilets", "--value", "470",
         "--reason", "复核发现两个乡镇重复统计", "--approver", "领导小组办公室（孙泽成）", "--date", "2011-10-20",
         "--data", str(data)]
    )  # fmt: skip
    assert status == 0
    assert "2011-09-20" not in report.read_text(encoding="utf-8")
    row = next(line for line in report.read_text(encoding="utf-8").splitlines() if "sanitary_toilets" in line)
    assert row.startswith("2011-09,zhalantun,sanitary_toilets,470,")
    assert ",2011-10-20,更正：复核发现两个乡镇重复统计" in row
    text = record.read_text(encoding="utf-8")
    assert "description: 扎兰屯市9月农村无害化卫生厕所建设数累计完成值由510更正为470" in text
    assert "sealed_on: 2011-10-20" in text
    assert (data / "bulletins/2011-09/erratum-2/reports/2011-09/zhalantun.csv").exists()
    assert check(data, dt.date(2011, 10, 21)).findings == []


def test_windows_paths_on_posix_are_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.name == "nt":
        pytest.skip("a drive letter is a path there")
    assert main(["validate", "--data", "D:\\报表\\data"]) == 2
    err = capsys.readouterr().err
    assert "Windows" in err
    assert "Traceback" not in err
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    (tmp_path / "sub").mkdir()
    shutil.copytree(VALID, tmp_path / "sub" / "data")
    done = subprocess.run(
        [sys.executable, "-m", "site_builder", "validate", "--data", "sub\\data"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()


def test_a_gbk_console_shows_the_chinese_text(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    (data / "regions.csv").write_text("id,name\n✅,坏\n", encoding="utf-8")  # a finding quoting a non-GBK char
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run(
        [sys.executable, "-m", "site_builder", "validate", "--data", str(data)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 1
    shown = done.stdout.decode("gbk")  # raises if the bytes are not GBK
    assert "错误" in shown
    assert "发现" in shown
    assert "internal" not in shown + done.stderr.decode("gbk")


def test_the_windows_launcher_sets_up_and_runs_the_monthly_commands() -> None:
    raw = (REPO / "scripts" / "bulletin.cmd").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF throughout: cmd.exe misreads labels otherwise
    text = raw.decode("utf-8")
    assert "requirements\\runtime.txt" in text
    assert "-m site_builder %*" in text
    for command in ("validate", "new-month", "forms", "import --inbox inbox", "publish"):
        assert f"-m site_builder {command}" in text
    assert "scripts/bulletin.cmd text eol=crlf" in (REPO / ".gitattributes").read_text(encoding="utf-8")
